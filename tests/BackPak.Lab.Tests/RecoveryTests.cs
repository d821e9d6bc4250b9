using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
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
    /// The unplanned takeover (issue 14 item 2), run by Core's Recovery procedure against the lab: refused while the
    /// primary answers, or when -PrimaryLost names another node; the store PRIMARY at \B with the catalog of the last
    /// import, restores and backups working there; and a run killed at every journal record resumed to the state of an
    /// uninterrupted twin.
    /// </summary>
    public class RecoveryTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly string _base;
        /// <summary>The PRIMARY side's catalog of DS01 as it was just before \A was lost (the last export holds it all).</summary>
        private readonly List<string> _lastPrimaryPicture;

        public RecoveryTests()
        {
            _base = LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "base"), VolumeCount = 80, Seed = 81, Encrypted = true }).Path;
            var lab = Lab.Open(_base);
            using (var a = lab.OpenDomain(@"\A"))
            {
                // A FULL export, then backups whose updates reach the staging area after it: the recovery needs both.
                Assert.Equal(SyncResult.Completed, a.StartExport("DS01", SyncType.Full, "t").Result);
                Assert.Equal(3, a.RunBackups("DS01", 3, null, "t").Count);
                Assert.Equal(0, a.GetExportStatus("DS01").PendingCount);
                _lastPrimaryPicture = Picture(a);
            }
            lab.AddFault(LabFaultKind.NodeLost, @"\A");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        public void Dispose() => _t.Dispose();

        /// <summary>A copy of the base lab (\A lost), for one test.</summary>
        private Lab Copy(string name) => _t.CopyLab(_base, name);

        private static RecoveryContext Context(Lab lab, string? primaryLost = @"\A", IDomainReader? primary = null, IRunJournalStore? journal = null)
        {
            var b = lab.OpenDomain(@"\B");
            return new RecoveryContext
            {
                DataStore = "DS01", Secondary = b, PrimaryNode = Recovery.ResolvePrimary(b, "DS01", primaryLost), Primary = primary,
                PrimaryProblem = primary == null ? @"\A does not answer" : null, PrimaryLost = primaryLost,
                KeyServers = new IKeyManager[] { lab.OpenKeyStore(@"\B") }, Journal = journal ?? lab.RunJournal, User = "t",
            };
        }

        private static List<string> Picture(IBackPakDomain d) =>
            d.GetVolumes(new VolumeQuery { DataStore = "DS01" })
                .Select(v => $"{v.Label}|{v.VolumeGroup}|{v.CatalogStatus}|{v.LastBackup:o}|{v.Expiration:o}|{v.MediaKeyName}|" +
                             string.Join(",", d.GetCatalogEntries(v.Label).Where(e => e.Catalog == CatalogKind.DsmTc).Select(e => e.Kind + ":" + e.Name)))
                .ToList();

        /// <summary>Everything a recovery changes at \B, as lines: the store's access and export state, and its catalog.</summary>
        private static List<string> State(Lab lab)
        {
            using var b = lab.OpenDomain(@"\B");
            var ex = b.GetExportStatus("DS01");
            var lines = new List<string> { $"{b.GetDataStores("DS01").Single().DomainAccess} suspended={ex.Suspended} staging={ex.StagingArea} import={b.GetImportStatus("DS01").StagingArea}" };
            lines.AddRange(Picture(b));
            return lines;
        }

        private static string Replica(Lab lab, string label, string ext) => Path.Combine(lab.Root, "sites", "SITEB", "storage", "DS01", "LB" + label + "." + ext);

        [Fact]
        public void The_plan_lists_every_step_with_its_source_and_most_are_inferred()
        {
            var plan = Recovery.Plan("DS01", @"\A", @"\B");
            Assert.Equal(new[] { "check-data-keys", "final-full-import", "import-updates", "restores-allowed", "hold-exports", "promote", "timestamp-check", "new-secondary" },
                plan.Steps.Select(s => s.Id));
            Assert.Equal(Enumerable.Range(1, plan.Steps.Count), plan.Steps.Select(s => s.Number));
            Assert.All(plan.Steps, s => Assert.False(string.IsNullOrEmpty(s.Source)));
            Assert.All(plan.Steps, s => Assert.Equal(@"\B", s.Node));
            Assert.Equal(new[] { "restores-allowed", "timestamp-check" }, plan.Steps.Where(s => !s.Inferred).Select(s => s.Id));
            Assert.Equal("CS p14", plan.Steps.Single(s => s.Id == "restores-allowed").Source);
            Assert.Contains("BB p80/78", plan.Steps.Single(s => s.Id == "timestamp-check").Source);
        }

        [Fact]
        public void It_is_refused_while_the_primary_answers_as_PRIMARY_and_nothing_is_written()
        {
            var lab = Copy("answers");
            lab.RemoveFault(LabFaultKind.NodeLost, @"\A");
            using var a = lab.OpenDomain(@"\A");
            var before = State(lab);
            var c = Context(lab, primaryLost: null, primary: a);
            var e = Assert.Throws<BackPakException>(() => Recovery.Run(c, null, null, null));
            Assert.Equal(ErrorIds.RecoveryPrimaryNotFenced, e.ErrorId);
            Assert.Contains("still answers as PRIMARY", e.Message);
            Assert.Contains("-PrimaryLost '\\A'", e.RecommendedAction);
            Assert.Empty(lab.RunJournal.RunIds());
            Assert.Equal(before, State(lab));
        }

        [Fact]
        public void A_primary_that_does_not_answer_is_not_taken_as_lost_without_PrimaryLost()
        {
            var lab = Copy("silent");
            var c = Context(lab, primaryLost: null);
            Assert.Equal(@"\A", c.PrimaryNode); // the secondary knows its partner
            var e = Assert.Throws<BackPakException>(() => Recovery.Run(c, null, null, null));
            Assert.Equal(ErrorIds.RecoveryPrimaryNotFenced, e.ErrorId);
            Assert.Contains("cannot tell a lost node from a cut link", e.Message);
            Assert.Empty(lab.RunJournal.RunIds());
        }

        [Fact]
        public void PrimaryLost_naming_another_node_is_refused_before_anything_is_written()
        {
            var lab = Copy("mismatch");
            using var b = lab.OpenDomain(@"\B");
            var e = Assert.Throws<BackPakException>(() => Recovery.ResolvePrimary(b, "DS01", @"\B"));
            Assert.Equal(ErrorIds.RecoveryPrimaryLostMismatch, e.ErrorId);
            Assert.Contains("-PrimaryLost '\\A'", e.RecommendedAction);
            // A context built with the right primary but another typed name is refused at the start too.
            var c = new RecoveryContext
            {
                DataStore = "DS01", Secondary = b, PrimaryNode = @"\A", PrimaryLost = @"\C", Journal = lab.RunJournal, User = "t",
                KeyServers = new IKeyManager[] { lab.OpenKeyStore(@"\B") },
            };
            Assert.Equal(ErrorIds.RecoveryPrimaryLostMismatch, Assert.Throws<BackPakException>(() => Recovery.Run(c, null, null, null)).ErrorId);
            Assert.Empty(lab.RunJournal.RunIds());
            Assert.Equal(DomainAccess.Secondary, b.GetDataStores("DS01").Single().DomainAccess);
        }

        [Fact]
        public void With_PrimaryLost_the_store_becomes_PRIMARY_at_B_with_the_catalog_of_the_last_import_and_works()
        {
            var lab = Copy("happy");
            var c = Context(lab);
            var report = Recovery.Run(c, null, null, null);
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.StartsWith("RC-", report.RunId);
            Assert.Equal(@"\A", report.Primary);
            Assert.Equal(@"\B", report.Secondary);
            Assert.All(report.Steps.Where(s => s.Id != "new-secondary"), s => Assert.Equal(StepStatus.Done, s.Status));
            Assert.Equal(StepStatus.Skipped, report.Steps.Single(s => s.Id == "new-secondary").Status);
            Assert.Contains("export target", report.Steps.Single(s => s.Id == "new-secondary").Message);
            Assert.Contains("3 volume", report.Steps.Single(s => s.Id == "import-updates").Message.Replace("export file(s)", "volume"));
            Assert.Empty(report.TimestampRefused);
            Assert.Contains("Set-BPDataStore DS01 -Domain '\\B' -StagingArea", report.NextSteps);

            using var b = lab.OpenDomain(@"\B");
            Assert.Equal(DomainAccess.Primary, b.GetDataStores("DS01").Single().DomainAccess);
            Assert.True(b.GetExportStatus("DS01").Suspended);
            // The catalog is the one the primary last exported, updates after its FULL export included.
            Assert.Equal(_lastPrimaryPicture, Picture(b));
            // Restores read the replicas back, and backups run at \B now.
            var store = b.GetDataStores("DS01").Single();
            var first = b.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First(v => v.CatalogStatus != "SCRATCH");
            var image = ((IRecoverySite)b).GetVolumeImage(store.StoragePath, first.Label, 64);
            Assert.NotNull(image);
            Assert.Equal(first.Label, image!.IndexLabel);
            Assert.NotEmpty(image.Head);
            var written = b.RunBackups("DS01", 2, null, "t");
            Assert.Equal(2, written.Count);
            Assert.Equal(2, b.GetExportStatus("DS01").PendingCount); // held for the new secondary

            // The journal tells the same story, and the store is no longer held.
            var read = Recovery.Report(lab.RunJournal, report.RunId)!;
            Assert.Equal(RunStatus.Completed, read.Status);
            Assert.Equal(report.Steps.Select(s => s.Status), read.Steps.Select(s => s.Status));
            Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, "DS01"));
            Assert.IsType<RecoveryReport>(ProcedureRunner.AnyReport(lab.RunJournal, report.RunId));
        }

        [Fact]
        public void A_replica_with_another_timestamp_is_listed_with_the_way_out()
        {
            var lab = Copy("timestamp");
            using (var b0 = lab.OpenDomain(@"\B"))
            {
                var v = b0.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First(x => x.CatalogStatus != "SCRATCH");
                string ind = File.ReadAllText(Replica(lab, v.Label, "IND"));
                string stamp = ind.Split('\n').Single(l => l.StartsWith("TIMESTAMP=", StringComparison.Ordinal));
                File.Delete(Replica(lab, v.Label, "IND"));
                File.WriteAllBytes(Replica(lab, v.Label, "IND"), Encoding.ASCII.GetBytes(ind.Replace(stamp, "TIMESTAMP=2001-01-01T00:00:00Z")));
                var report = Recovery.Run(Context(lab), null, null, null);
                Assert.Equal(RunStatus.Completed, report.Status);
                Assert.Equal(new[] { v.Label }, report.TimestampRefused);
                Assert.Contains("turn the timestamp check off", report.Steps.Single(s => s.Id == "timestamp-check").Message);
                Assert.Contains("BB p80/78", report.NextSteps);
            }
        }

        [Fact]
        public void A_missing_replica_waits_for_the_operator_who_may_recover_without_it()
        {
            var lab = Copy("missing");
            string label;
            using (var b0 = lab.OpenDomain(@"\B"))
                label = b0.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First(x => x.CatalogStatus != "SCRATCH").Label;
            File.Delete(Replica(lab, label, "DAT"));
            var first = Recovery.Run(Context(lab), null, null, null);
            Assert.Equal(RunStatus.AwaitingOperator, first.Status);
            Assert.Contains(label, first.Message);
            Assert.Contains("-ConfirmStep check-data-keys", first.Message);
            using (var b1 = lab.OpenDomain(@"\B")) Assert.Equal(DomainAccess.Secondary, b1.GetDataStores("DS01").Single().DomainAccess);
            // Confirming another step is refused; confirming this one goes on, and says what is still missing.
            Assert.Equal(ErrorIds.StepNotAwaitingOperator,
                Assert.Throws<BackPakException>(() => Recovery.Run(Context(lab), first.RunId, "promote", null)).ErrorId);
            var done = Recovery.Run(Context(lab), first.RunId, "check-data-keys", null);
            Assert.Equal(RunStatus.Completed, done.Status);
            Assert.Contains("recovering without", done.Steps[0].Message);
            Assert.Contains(label, done.Steps[0].Message);
        }

        /// <summary>Where a process can die in a recovery run: after each record the runner writes.</summary>
        public static IEnumerable<object[]> CrashPoints()
        {
            yield return new object[] { "recovery.run.running" };
            foreach (var s in Recovery.Plan("DS01", @"\A", @"\B").Steps)
            {
                yield return new object[] { $"recovery.{s.Id}.running" };
                yield return new object[] { $"recovery.{s.Id}." + (s.Id == "new-secondary" ? "skipped" : "done") };
            }
            yield return new object[] { "recovery.end.completed" };
        }

        /// <summary>The lab's journal, where the process "dies" right after the record named by the point is on disk.</summary>
        private sealed class Killed : Exception { }

        [Theory]
        [MemberData(nameof(CrashPoints))]
        public void A_run_killed_after_any_record_resumes_to_the_state_of_an_uninterrupted_twin(string point)
        {
            var twin = Copy("twin");
            Assert.Equal(RunStatus.Completed, Recovery.Run(Context(twin), null, null, null).Status);
            var expected = State(twin);

            var lab = Copy("crash");
            bool hit = false;
            var dying = new FolderRunJournal(lab.Root, Path.Combine(lab.Root, "runs"), () => lab.Now, p => { if (!hit && p == point) { hit = true; throw new Killed(); } });
            Assert.Throws<Killed>(() => Recovery.Run(Context(lab, journal: dying), null, null, null));
            Assert.True(hit);
            string runId = Assert.Single(lab.RunJournal.RunIds());
            var report = ProcedureRunner.AnyReport(lab.RunJournal, runId)!;
            if (point == "recovery.end.completed")
            {
                Assert.Equal(RunStatus.Completed, report.Status);
                Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, "DS01"));
            }
            else
            {
                Assert.NotEqual(RunStatus.Completed, report.Status);
                var resumed = Recovery.Run(Context(lab), runId, null, null);
                Assert.Equal(RunStatus.Completed, resumed.Status);
                Assert.Equal(1, resumed.Resumes);
            }
            Assert.Equal(expected, State(lab));
            Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, "DS01"));
        }
    }
}
