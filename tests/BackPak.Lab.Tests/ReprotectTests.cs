using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Compare;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// Reprotect (issue 14 item 3), run by Core's Reprotect procedure against the lab: after \A was lost and \B took DS01
    /// over and took backups alone, \A comes back still PRIMARY. The reprotect refuses the wrong node and the wrong state
    /// before writing anything; makes \A the SECONDARY of \B with equal catalogs, \B's images and keys at \A's site and
    /// replication flowing from \B; lists and waits on what \A wrote alone; a planned switch back works afterwards; and a
    /// run killed after any journal record resumes to the state of an uninterrupted twin.
    /// </summary>
    public class ReprotectTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly string _base;
        private readonly string _recoveryRunId;
        /// <summary>The labels \B wrote alone after the takeover (one of them a new volume).</summary>
        private readonly List<string> _writtenAtB;

        public ReprotectTests()
        {
            _base = LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "base"), VolumeCount = 60, Seed = 91, Encrypted = true }).Path;
            var lab = Lab.Open(_base);
            using (var a = lab.OpenDomain(@"\A"))
            {
                Assert.Equal(SyncResult.Completed, a.StartExport("DS01", SyncType.Full, "t").Result);
                Assert.Equal(2, a.RunBackups("DS01", 2, null, "t").Count);
            }
            lab.AddFault(LabFaultKind.NodeLost, @"\A");
            using (var b = lab.OpenDomain(@"\B"))
            {
                var recovery = Recovery.Run(new RecoveryContext
                {
                    DataStore = "DS01", Secondary = b, PrimaryNode = @"\A", PrimaryLost = @"\A", PrimaryProblem = @"\A does not answer",
                    KeyServers = new IKeyManager[] { lab.OpenKeyStore(@"\B") }, Journal = lab.RunJournal, User = "t",
                }, null, null, null);
                Assert.Equal(RunStatus.Completed, recovery.Status);
                _recoveryRunId = recovery.RunId;
                // The new PRIMARY works alone: it rewrites a volume and adds one, encrypted, so its site alone has them.
                _writtenAtB = b.RunBackups("DS01", 2, null, "t").Select(v => v.Label).ToList();
                _writtenAtB.AddRange(b.RunBackups("DS01", 1, null, "t", newVolumes: true).Select(v => v.Label).Where(l => !_writtenAtB.Contains(l)));
            }
            // \A comes back as it was left: PRIMARY, its exports pointing at the staging area on \B.
            lab.RemoveFault(LabFaultKind.NodeLost, @"\A");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        public void Dispose() => _t.Dispose();

        private Lab Copy(string name) => _t.CopyLab(_base, name);

        private static ReprotectContext Context(Lab lab, IRunJournalStore? journal = null) => new ReprotectContext
        {
            DataStore = "DS01", Primary = lab.OpenDomain(@"\B"), Returning = lab.OpenDomain(@"\A"),
            StorageLink = lab.ReplicationLink("STORAGE", "DS01"), KeyLink = lab.ReplicationLink("KEYS", null), PrimarySite = lab.SiteOf(@"\B"),
            Journal = journal ?? lab.RunJournal, User = "t",
        };

        private static List<string> Picture(IBackPakDomain d) =>
            d.GetVolumes(new VolumeQuery { DataStore = "DS01" })
                .Select(v => $"{v.Label}|{v.VolumeGroup}|{v.CatalogStatus}|{v.LastBackup:o}|{v.Expiration:o}|{v.MediaKeyName}|" +
                             string.Join(",", d.GetCatalogEntries(v.Label).Where(e => e.Catalog == CatalogKind.DsmTc).Select(e => e.Kind + ":" + e.Name)))
                .ToList();

        /// <summary>Everything a reprotect changes, as lines: both sides' roles, export and import state, catalogs, and the links.</summary>
        private static List<string> State(Lab lab)
        {
            var lines = new List<string>();
            foreach (var node in new[] { @"\A", @"\B" })
            {
                using var d = lab.OpenDomain(node);
                var ex = d.GetExportStatus("DS01");
                var im = d.GetImportStatus("DS01");
                lines.Add($"{node} {d.GetDataStores("DS01").Single().DomainAccess} suspended={ex.Suspended} exports={ex.StagingArea} imports={im.StagingArea} delay={ex.ExportCheckDelaySeconds}");
                lines.AddRange(Picture(d).Select(x => node + " " + x));
            }
            foreach (var l in new[] { lab.ReplicationLink("STORAGE", "DS01")!, lab.ReplicationLink("KEYS", null)! })
                lines.Add($"{l.Kind} {l.Source}->{l.Target}");
            return lines;
        }

        private static readonly CatalogEntryKind[] Dsm = { CatalogEntryKind.TapeVolume, CatalogEntryKind.TapeFile, CatalogEntryKind.DiskFile };

        private static string Image(Lab lab, string site, string label, string ext) => Path.Combine(lab.Root, "sites", site, "storage", "DS01", "LB" + label + "." + ext);

        [Fact]
        public void The_plan_lists_every_step_with_its_source_demotion_first()
        {
            var plan = Reprotect.Plan("DS01", @"\B", @"\A");
            Assert.Equal(new[] { "demote-returning", "list-stale", "reverse-storage-replication", "reverse-key-replication", "move-staging", "configure-export",
                "configure-import", "resume-export", "full-export", "full-import", "compare-catalogs" }, plan.Steps.Select(s => s.Id));
            Assert.Equal(Enumerable.Range(1, plan.Steps.Count), plan.Steps.Select(s => s.Number));
            Assert.All(plan.Steps, s => Assert.False(string.IsNullOrEmpty(s.Source)));
            Assert.Equal(@"\A", plan.Steps[0].Node);
            Assert.Contains(plan.Notes, n => n.Contains("Invoke-BPRoleSwitch DS01 -Primary '\\B' -Secondary '\\A'"));
        }

        [Fact]
        public void The_node_that_took_over_a_third_node_and_a_store_never_recovered_are_refused_naming_the_right_node()
        {
            var lab = Copy("which");
            var wrong = Assert.Throws<BackPakException>(() => Reprotect.FindTakeover(lab.RunJournal, "DS01", @"\B"));
            Assert.Equal(ErrorIds.ReprotectNoTakeover, wrong.ErrorId);
            Assert.Contains(@"\B took DS01 over in run " + _recoveryRunId, wrong.Message);
            Assert.Contains("-Node '\\A'", wrong.RecommendedAction);
            Assert.Equal(ErrorIds.ReprotectNoTakeover, Assert.Throws<BackPakException>(() => Reprotect.FindTakeover(lab.RunJournal, "DS01", @"\C")).ErrorId);
            var never = Assert.Throws<BackPakException>(() => Reprotect.FindTakeover(lab.RunJournal, "DS02", @"\A"));
            Assert.Contains("No completed recovery of DS02", never.Message);
            Assert.Equal((@"\B", _recoveryRunId), Reprotect.FindTakeover(lab.RunJournal, "ds01", @"\a"));
        }

        [Fact]
        public void A_backup_running_at_either_side_or_a_primary_not_PRIMARY_refuses_the_start_and_nothing_is_written()
        {
            var lab = Copy("refused");
            var before = State(lab);
            using (var a = lab.OpenDomain(@"\A"))
            {
                var running = a.StartBackup("DS01", null, "t");
                var e = Assert.Throws<BackPakException>(() => Reprotect.Run(Context(lab), _recoveryRunId, null, null, null));
                Assert.Equal(ErrorIds.ReprotectPreconditionFailed, e.ErrorId);
                Assert.Contains(running.Label, e.Message);
                Assert.Contains("stale", e.Message);
                a.StopBackup(running.Label, "t");
            }
            Assert.DoesNotContain(lab.RunJournal.RunIds(), id => id.StartsWith("RP-", StringComparison.Ordinal));
            using (var b = lab.OpenDomain(@"\B")) b.SetDataStore("DS01", new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, "t");
            var notPrimary = Assert.Throws<BackPakException>(() => Reprotect.Run(Context(lab), _recoveryRunId, null, null, null));
            Assert.Equal(ErrorIds.ReprotectPreconditionFailed, notPrimary.ErrorId);
            Assert.Contains(@"SECONDARY on \B", notPrimary.Message);
            Assert.DoesNotContain(lab.RunJournal.RunIds(), id => id.StartsWith("RP-", StringComparison.Ordinal));
        }

        [Fact]
        public void The_returning_node_becomes_the_SECONDARY_in_step_and_a_switch_back_works()
        {
            var lab = Copy("happy");
            var report = Reprotect.Run(Context(lab), _recoveryRunId, null, null, null);
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.StartsWith("RP-", report.RunId);
            Assert.Equal((@"\B", @"\A"), (report.Primary, report.Secondary));
            Assert.All(report.Steps, s => Assert.Equal(StepStatus.Done, s.Status));
            Assert.Empty(report.StaleVolumes);
            Assert.Contains("nothing stale", report.Steps.Single(s => s.Id == "list-stale").Message);
            Assert.Contains("Invoke-BPRoleSwitch DS01 -Primary '\\B' -Secondary '\\A'", report.NextSteps);

            using (var a = lab.OpenDomain(@"\A"))
            using (var b = lab.OpenDomain(@"\B"))
            {
                Assert.Equal(DomainAccess.Secondary, a.GetDataStores("DS01").Single().DomainAccess);
                Assert.Equal(DomainAccess.Primary, b.GetDataStores("DS01").Single().DomainAccess);
                Assert.False(b.GetExportStatus("DS01").Suspended);
                Assert.Equal(a.StagingAreaFor("DS01"), b.GetExportStatus("DS01").StagingArea);
                Assert.Equal(a.StagingAreaFor("DS01"), a.GetImportStatus("DS01").StagingArea);
                Assert.Empty(DomainComparison.Compare(b, a, new VolumeQuery { DataStore = "DS01" }, entryKinds: Dsm));
                // What \B wrote alone is at \A's site now, images and keys, and replication flows from \B's site.
                foreach (var label in _writtenAtB)
                {
                    Assert.Equal(File.ReadAllBytes(Image(lab, "SITEB", label, "DAT")), File.ReadAllBytes(Image(lab, "SITEA", label, "DAT")));
                    var key = b.GetVolumes(new VolumeQuery { DataStore = "DS01", Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(label) } }).Single().MediaKeyName;
                    if (key != null) Assert.NotEmpty(lab.OpenKeyStore(@"\A").Locate(key));
                }
                Assert.Equal("SITEB", lab.ReplicationLink("STORAGE", "DS01")!.Source);
                Assert.Equal("SITEB", lab.ReplicationLink("KEYS", null)!.Source);
                // A recovery test at \A passes now: it could take over again.
                var checks = RecoveryTest.Test(new RecoveryTestContext { DataStore = "DS01", Secondary = a, Primary = b, KeyServers = new IKeyManager[] { lab.OpenKeyStore(@"\A") } });
                Assert.All(checks, c => Assert.True(c.Passed, c.ToString()));
                // \A refuses backups; \B takes them and replicates them to \A's site.
                Assert.ThrowsAny<BackPakException>(() => a.RunBackups("DS01", 1, null, "t"));
                var later = b.RunBackups("DS01", 1, null, "t").Single().Label;
                Assert.True(File.Exists(Image(lab, "SITEA", later, "DAT")));
            }
            Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, "DS01"));
            // The planned switch back gives \A its role again, with equal catalogs.
            using (var a = lab.OpenDomain(@"\A"))
            using (var b = lab.OpenDomain(@"\B"))
            {
                var back = ProcedureRunner.RunSwitch(new RoleSwitchContext
                {
                    DataStore = "DS01", Primary = b, Secondary = a, Journal = lab.RunJournal, StorageLink = lab.ReplicationLink("STORAGE", "DS01"),
                    KeyLink = lab.ReplicationLink("KEYS", null), SecondarySite = lab.SiteOf(@"\A"), User = "t", Timeout = TimeSpan.FromSeconds(20),
                }, null, null, null);
                Assert.Equal(RunStatus.Completed, back.Status);
                Assert.Equal(DomainAccess.Primary, a.GetDataStores("DS01").Single().DomainAccess);
                Assert.Empty(DomainComparison.Compare(a, b, new VolumeQuery { DataStore = "DS01" }, entryKinds: Dsm));
            }
            // Done once: a second reprotect is refused, and says how to switch back.
            var again = Assert.Throws<BackPakException>(() => Reprotect.FindTakeover(lab.RunJournal, "DS01", @"\A"));
            Assert.Equal(ErrorIds.ReprotectNoTakeover, again.ErrorId);
        }

        [Fact]
        public void What_the_returning_node_wrote_alone_is_listed_and_waits_for_the_operator_before_it_is_replaced()
        {
            var lab = Copy("stale");
            List<string> added;
            using (var a = lab.OpenDomain(@"\A"))
            using (var b = lab.OpenDomain(@"\B"))
            {
                // Back and still PRIMARY, \A takes backups before anyone stops it, on volumes it adds to the pool too.
                var known = new HashSet<string>(b.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Select(v => v.Label));
                added = a.RunBackups("DS01", 80, null, "t", newVolumes: true).Select(v => v.Label).Where(l => !known.Contains(l)).OrderBy(l => l, StringComparer.Ordinal).ToList();
            }
            Assert.NotEmpty(added);
            string addedImage = File.ReadAllText(Image(lab, "SITEA", added[0], "DAT"));
            var first = Reprotect.Run(Context(lab), _recoveryRunId, null, null, null);
            Assert.Equal(RunStatus.AwaitingOperator, first.Status);
            Assert.Contains(added[0], first.Message);
            Assert.Contains("-ConfirmStep list-stale", first.Message);
            using (var a = lab.OpenDomain(@"\A"))
            {
                // Demoted before anything else: \A takes no more backups; nothing of its catalog was replaced yet.
                Assert.Equal(DomainAccess.Secondary, a.GetDataStores("DS01").Single().DomainAccess);
                Assert.Equal(StepStatus.Done, first.Steps[0].Status);
                Assert.Single(a.GetVolumes(new VolumeQuery { DataStore = "DS01", Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(added[0]) } }));
            }
            Assert.Equal("SITEA", lab.ReplicationLink("STORAGE", "DS01")!.Source);
            // Confirming another step is refused; confirming this one goes on and records what was accepted.
            Assert.Equal(ErrorIds.StepNotAwaitingOperator, Assert.Throws<BackPakException>(() => Reprotect.Run(Context(lab), null, first.RunId, "full-import", null)).ErrorId);
            var done = Reprotect.Run(Context(lab), null, first.RunId, "list-stale", null);
            Assert.Equal(RunStatus.Completed, done.Status);
            Assert.Contains("accepted", done.Steps[1].Message);
            Assert.All(added, l => Assert.Contains(l, done.StaleVolumes));
            Assert.Equal(Reprotect.Report(lab.RunJournal, done.RunId)!.StaleVolumes, done.StaleVolumes);
            using (var a = lab.OpenDomain(@"\A"))
            using (var b = lab.OpenDomain(@"\B"))
            {
                Assert.Empty(DomainComparison.Compare(b, a, new VolumeQuery { DataStore = "DS01" }, entryKinds: Dsm));
                // A volume only \A had is dropped from its catalog; its image stays (nothing only the target has is deleted).
                Assert.Empty(a.GetVolumes(new VolumeQuery { DataStore = "DS01", Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(added[0]) } }));
                Assert.Equal(addedImage, File.ReadAllText(Image(lab, "SITEA", added[0], "DAT")));
            }
        }

        /// <summary>Where a process can die in a reprotect run: after each record the runner writes.</summary>
        public static IEnumerable<object[]> CrashPoints()
        {
            yield return new object[] { "reprotect.run.running" };
            foreach (var s in Reprotect.Plan("DS01", @"\B", @"\A").Steps)
            {
                yield return new object[] { $"reprotect.{s.Id}.running" };
                yield return new object[] { $"reprotect.{s.Id}.done" };
            }
            yield return new object[] { "reprotect.end.completed" };
        }

        private sealed class Killed : Exception { }

        [Theory]
        [MemberData(nameof(CrashPoints))]
        public void A_run_killed_after_any_record_resumes_to_the_state_of_an_uninterrupted_twin(string point)
        {
            var twin = Copy("twin");
            Assert.Equal(RunStatus.Completed, Reprotect.Run(Context(twin), _recoveryRunId, null, null, null).Status);
            var expected = State(twin);

            var lab = Copy("crash");
            bool hit = false;
            var dying = new FolderRunJournal(lab.Root, Path.Combine(lab.Root, "runs"), () => lab.Now, p => { if (!hit && p == point) { hit = true; throw new Killed(); } });
            Assert.Throws<Killed>(() => Reprotect.Run(Context(lab, dying), _recoveryRunId, null, null, null));
            Assert.True(hit);
            string runId = Assert.Single(lab.RunJournal.RunIds(), id => id.StartsWith("RP-", StringComparison.Ordinal));
            var report = ProcedureRunner.AnyReport(lab.RunJournal, runId)!;
            Assert.IsType<ReprotectReport>(report);
            if (point == "reprotect.end.completed") Assert.Equal(RunStatus.Completed, report.Status);
            else
            {
                Assert.NotEqual(RunStatus.Completed, report.Status);
                var resumed = Reprotect.Run(Context(lab), null, runId, null, null);
                Assert.Equal(RunStatus.Completed, resumed.Status);
                Assert.Equal(1, resumed.Resumes);
            }
            Assert.Equal(expected, State(lab));
            Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, "DS01"));
        }
    }
}
