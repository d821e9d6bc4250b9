using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>A whole-site switch: several data stores switched from \A to \B as one run, in a lab of two replicated stores.</summary>
    public class SiteSwitchTests : IDisposable
    {
        private static readonly string[] Stores = { "DS01", "DS04" };
        private readonly TempDir _t = new TempDir();
        private readonly string _base;

        public SiteSwitchTests()
        {
            _base = LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "base"), VolumeCount = 200, Seed = 61, Encrypted = true, MoreDataStores = new[] { "DS04" } }).Path;
        }

        public void Dispose() => _t.Dispose();

        private Lab Copy(string name) => _t.CopyLab(_base, name);

        /// <summary>The contexts of a site switch as the cmdlet builds them: one domain per side, shared by every store.</summary>
        private static List<RoleSwitchContext> Contexts(Lab lab, string from = @"\A", string to = @"\B", bool links = true, IRunJournalStore? journal = null,
            TimeSpan? timeout = null, Func<string, IReplicationLink?>? storage = null, params string[] stores)
        {
            var p = lab.OpenDomain(from);
            var s = lab.OpenDomain(to);
            return (stores.Length == 0 ? Stores : stores).Select(ds => new RoleSwitchContext
            {
                DataStore = ds, Primary = p, Secondary = s, Journal = journal ?? lab.RunJournal,
                StorageLink = links ? (storage?.Invoke(ds) ?? lab.ReplicationLink("STORAGE", ds)) : null, KeyLink = links ? lab.ReplicationLink("KEYS", null) : null,
                SecondarySite = lab.SiteOf(to), Timeout = timeout ?? TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(50), User = "t",
            }).ToList();
        }

        private static List<string> State(Lab lab)
        {
            var lines = new List<string>();
            foreach (var node in new[] { @"\A", @"\B" })
            {
                using var d = lab.OpenDomain(node);
                foreach (var ds in Stores)
                {
                    var ex = d.GetExportStatus(ds);
                    var im = d.GetImportStatus(ds);
                    lines.Add($"{node} {ds} {d.GetDataStores(ds).Single().DomainAccess} suspended={ex.Suspended} exports={ex.StagingArea} imports={im.StagingArea} delay={ex.ExportCheckDelaySeconds} volumes={d.GetVolumes(new VolumeQuery { DataStore = ds }).Count()}");
                }
            }
            foreach (var l in Stores.Select(ds => lab.ReplicationLink("STORAGE", ds)!).Append(lab.ReplicationLink("KEYS", null)!))
                lines.Add($"{l.Name} {l.Source}->{l.Target}");
            return lines;
        }

        [Fact]
        public void Two_stores_switch_as_one_run_and_the_shared_key_link_is_turned_once()
        {
            var lab = Copy("lab");
            var outcome = SiteSwitch.Run(Contexts(lab), null, null, SiteSwitch.DefaultThrottleLimit, null);
            var r = outcome.Report;
            Assert.Empty(outcome.Errors);
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.StartsWith("SS-", r.RunId);
            Assert.Equal(Stores, r.DataStores);
            Assert.All(r.Stores, x => Assert.Equal(RunStatus.Completed, x!.Status));
            using var a = lab.OpenDomain(@"\A");
            using var b = lab.OpenDomain(@"\B");
            foreach (var ds in Stores)
            {
                Assert.Equal(DomainAccess.Secondary, a.GetDataStores(ds).Single().DomainAccess);
                Assert.Equal(DomainAccess.Primary, b.GetDataStores(ds).Single().DomainAccess);
                Assert.Equal("SITEB", lab.ReplicationLink("STORAGE", ds)!.Source);
                Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, ds));
            }
            // Two runs turned one key link: it flows from \B's site, not back again.
            Assert.Equal("SITEB", lab.ReplicationLink("KEYS", null)!.Source);
            Assert.Equal(DomainAccess.Primary, a.GetDataStores("DS02").Single().DomainAccess); // the local store is left alone

            // Read back from the journals: the same run, each store's run naming it.
            var read = SiteSwitch.Report(lab.RunJournal, r.RunId)!;
            Assert.Equal(RunStatus.Completed, read.Status);
            Assert.Equal(r.Stores.Select(x => x!.RunId), read.Stores.Select(x => x!.RunId));
            Assert.NotNull(read.Ended);
            Assert.Equal(new[] { r.RunId }, SiteSwitch.Reports(lab.RunJournal).Select(x => x.RunId));
            Assert.Equal(ErrorIds.SwitchRunCompleted, Assert.Throws<BackPakException>(() => SiteSwitch.Run(Contexts(lab), r.RunId, null, 5, null)).ErrorId);

            // Switching the site back is the same command with the sides exchanged.
            Assert.Equal(RunStatus.Completed, SiteSwitch.Run(Contexts(lab, @"\B", @"\A"), null, null, 5, null).Report.Status);
            Assert.Equal(DomainAccess.Primary, a.GetDataStores("DS04").Single().DomainAccess);
            Assert.Equal("SITEA", lab.ReplicationLink("KEYS", null)!.Source);
        }

        [Fact]
        public void One_store_that_cannot_start_refuses_them_all_and_nothing_is_written()
        {
            var lab = Copy("lab");
            // DS04 alone goes first: the site switch from \A then has the wrong direction for it.
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Contexts(lab, stores: "DS04")[0], null, null, null).Status);
            var runs = lab.RunJournal.RunIds().ToList();
            var before = State(lab);
            var e = Assert.Throws<BackPakException>(() => SiteSwitch.Run(Contexts(lab), null, null, 5, null));
            Assert.Equal(ErrorIds.SiteSwitchRefused, e.ErrorId);
            Assert.Contains("DS04", e.Message);
            Assert.Contains("No data store was changed", e.Message);
            Assert.Equal(ErrorIds.SwitchWrongDirection, Assert.IsType<BackPakException>(e.InnerException).ErrorId);
            Assert.Equal(runs, lab.RunJournal.RunIds().ToList()); // no run, no lock
            Assert.Equal(before, State(lab));
        }

        /// <summary>A journal whose lock of one store is taken by another process between the check and the lock.</summary>
        private sealed class Contested : IRunJournalStore
        {
            private readonly IRunJournalStore _j;
            private readonly string _subject;
            public Contested(IRunJournalStore j, string store) { _j = j; _subject = StoreFence.SwitchSubject(store); }
            public string Location => _j.Location;
            public DateTime Now => _j.Now;
            public void Append(string runId, JournalRecord record) => _j.Append(runId, record);
            public JournalContent Read(string runId) => _j.Read(runId);
            public IReadOnlyList<string> RunIds() => _j.RunIds();
            public RunLock? ActiveRun(string subject) => _j.ActiveRun(subject);
            public IReadOnlyList<RunLock> ActiveRuns() => _j.ActiveRuns();
            public RunLock? UpdateLock(string subject, Func<RunLock?, RunLock?> change) =>
                _j.UpdateLock(subject, cur =>
                {
                    var wanted = change(cur);
                    if (subject == _subject && cur == null && wanted != null)
                        throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy, "DS04 is held by another process", "DS04");
                    return wanted;
                });
        }

        [Fact]
        public void A_store_whose_lock_is_taken_meanwhile_refuses_the_site_and_the_others_give_up_before_any_step()
        {
            var lab = Copy("lab");
            var before = State(lab);
            var e = Assert.Throws<BackPakException>(() => SiteSwitch.Run(Contexts(lab, journal: new Contested(lab.RunJournal, "DS04")), null, null, 5, null));
            Assert.Equal(ErrorIds.SiteSwitchRefused, e.ErrorId);
            Assert.Contains("held by another process", e.Message);
            Assert.Equal(before, State(lab));
            Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, "DS01"));
            // DS01's run held its store and gave up at the gate, before its first step; the site run ended unstarted.
            var ds01 = lab.RunJournal.RunIds().Where(id => id.StartsWith("SW-", StringComparison.Ordinal)).Select(id => ProcedureRunner.Report(lab.RunJournal, id)!).Single(x => x.DataStore == "DS01");
            Assert.Equal(RunStatus.Abandoned, ds01.Status);
            Assert.All(ds01.Steps, s => Assert.Null(s.Started));
            var site = SiteSwitch.Reports(lab.RunJournal).Single();
            Assert.Equal(RunStatus.Abandoned, site.Status);
            // Once the store is free the same switch runs.
            Assert.Equal(RunStatus.Completed, SiteSwitch.Run(Contexts(lab), null, null, 5, null).Report.Status);
        }

        [Fact]
        public void Stores_run_side_by_side_and_one_after_another_with_a_throttle_of_one()
        {
            var lab = Copy("lab");
            // DS01 waits for a backup on \A; DS04 completes meanwhile and its last step ends the backup.
            var v = lab.OpenDomain(@"\A").StartBackup("DS01", null, "t");
            bool stopped = false;
            var outcome = SiteSwitch.Run(Contexts(lab), null, null, 2, (ds, step, i, n) =>
            {
                if (ds == "DS04" && i == n - 1 && !stopped) { stopped = true; lab.OpenDomain(@"\A").StopBackup(v.Label, "t"); }
            });
            Assert.Equal(RunStatus.Completed, outcome.Report.Status);
            var ds01 = outcome.Report.Stores[0]!;
            var ds04 = outcome.Report.Stores[1]!;
            Assert.True(ds04.Steps[0].Started < ds01.Steps[0].Ended, "DS04 started while DS01 waited for its backup");

            var lab2 = Copy("lab2");
            var seq = SiteSwitch.Run(Contexts(lab2), null, null, 1, null).Report;
            Assert.Equal(RunStatus.Completed, seq.Status);
            var first = seq.Stores.OrderBy(x => x!.Steps[0].Started).ToList();
            Assert.True(first[1]!.Steps[0].Started >= first[0]!.Ended, "with a throttle of 1 the second store starts after the first ended");
        }

        [Fact]
        public void Stores_that_share_a_storage_link_run_one_after_another()
        {
            var lab = Copy("lab");
            // One array link serves both stores (DS01's): turning it for one turns it for the other.
            var contexts = Contexts(lab, storage: ds => lab.ReplicationLink("STORAGE", "DS01"));
            Assert.Equal(new[] { new[] { "DS01", "DS04" } }, SiteSwitch.Groups(contexts).Select(g => g.ToArray()));
            Assert.Equal(2, SiteSwitch.Groups(Contexts(lab)).Count);
            var r = SiteSwitch.Run(contexts, null, null, 5, null).Report;
            Assert.Equal(RunStatus.Completed, r.Status);
            var order = r.Stores.OrderBy(x => x!.Steps[0].Started).ToList();
            Assert.True(order[1]!.Steps[0].Started >= order[0]!.Ended, "one store waited for the other, whose storage link it shares");
            // The second found the link turned by the first, and left it so.
            Assert.Contains("now flows SITEB -> SITEA", order[1]!.Steps.Single(s => s.Id == "reverse-storage-replication").Message);
            Assert.Equal("SITEB", lab.ReplicationLink("STORAGE", "DS01")!.Source);
        }

        [Fact]
        public void Without_links_every_store_waits_for_the_operator_and_one_confirmation_serves_all_that_wait()
        {
            var lab = Copy("lab");
            var first = SiteSwitch.Run(Contexts(lab, links: false), null, null, 5, null).Report;
            Assert.Equal(RunStatus.AwaitingOperator, first.Status);
            Assert.All(first.Stores, x => Assert.Equal("check-replication", x!.Steps.Single(s => s.Status == StepStatus.AwaitingOperator).Id));
            Assert.Contains("-ConfirmStep", first.Message);
            // A step no store waits for is refused before anything is written.
            Assert.Equal(ErrorIds.StepNotAwaitingOperator,
                Assert.Throws<BackPakException>(() => SiteSwitch.Run(Contexts(lab, links: false), first.RunId, "demote-primary", 5, null)).ErrorId);
            Assert.Equal(0, SiteSwitch.Report(lab.RunJournal, first.RunId)!.Resumes);
            var r = first;
            foreach (var step in new[] { "check-replication", "reverse-storage-replication", "reverse-key-replication" })
            {
                r = SiteSwitch.Run(Contexts(lab, links: false), r.RunId, step, 5, null).Report;
                // The operator turns the facilities by hand when asked to.
                if (step == "check-replication") lab.ReplicationLink("STORAGE", "DS01")!.Reverse();
                if (step == "check-replication") lab.ReplicationLink("STORAGE", "DS04")!.Reverse();
                if (step == "reverse-storage-replication") lab.ReplicationLink("KEYS", null)!.Reverse();
            }
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.Equal(3, r.Resumes);
        }

        [Fact]
        public void A_site_run_given_up_releases_every_store_and_cannot_be_resumed()
        {
            var lab = Copy("lab");
            var r = SiteSwitch.Run(Contexts(lab, links: false), null, null, 5, null).Report;
            Assert.Equal(RunStatus.AwaitingOperator, r.Status);
            var (stopped, stores) = SiteSwitch.Abandon(lab.RunJournal, r.RunId, "change window closed", "t", (ds, p, s) => new RoleSwitchSide[0]);
            Assert.Equal(RunStatus.Abandoned, stopped.Status);
            Assert.Equal(2, stores.Count);
            Assert.All(Stores, ds => Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, ds)));
            Assert.Equal(ErrorIds.SwitchRunAbandoned, Assert.Throws<BackPakException>(() => SiteSwitch.Run(Contexts(lab, links: false), r.RunId, null, 5, null)).ErrorId);
            Assert.Equal(RunStatus.Abandoned, SiteSwitch.Report(lab.RunJournal, r.RunId)!.Status);
            // The stores are free, their exports still suspended by the runs given up (a new switch asks for them first).
            var again = Assert.Throws<BackPakException>(() => SiteSwitch.Run(Contexts(lab), null, null, 5, null));
            Assert.Equal(ErrorIds.SiteSwitchRefused, again.ErrorId);
            Assert.Contains("Resume-BPCatalogExport DS04", again.Message);
            using (var a = lab.OpenDomain(@"\A")) foreach (var ds in Stores) a.SetExportSuspended(ds, false, "t");
            Assert.Equal(RunStatus.Completed, SiteSwitch.Run(Contexts(lab), null, null, 5, null).Report.Status);
        }

        /// <summary>Where a process can die in a site run: after records of its stores' runs.</summary>
        public static IEnumerable<object[]> CrashPoints() => new[]
        {
            "switch.run.running", "switch.wait-backups.running", "switch.final-full-export.done", "switch.reverse-key-replication.running",
            "switch.demote-primary.done", "switch.promote-secondary.running", "switch.resume-export.done", "switch.end.completed",
        }.Select(p => new object[] { p });

        private sealed class Killed : Exception { }

        [Theory]
        [MemberData(nameof(CrashPoints))]
        public void A_site_run_killed_after_a_record_resumes_as_one_run_to_the_state_of_an_uninterrupted_twin(string point)
        {
            var twin = Copy("twin");
            Assert.Equal(RunStatus.Completed, SiteSwitch.Run(Contexts(twin), null, null, 5, null).Report.Status);
            var expected = State(twin);

            var lab = Copy("crash");
            bool hit = false;
            var dying = new FolderRunJournal(lab.Root, Path.Combine(lab.Root, "runs"), () => lab.Now, p => { lock (Stores) if (!hit && p == point) { hit = true; throw new Killed(); } });
            Assert.Throws<Killed>(() => SiteSwitch.Run(Contexts(lab, journal: dying), null, null, 5, null));
            Assert.True(hit);
            string siteRun = Assert.Single(lab.RunJournal.RunIds(), id => id.StartsWith("SS-", StringComparison.Ordinal));
            if (point != "switch.end.completed") Assert.NotEqual(RunStatus.Completed, SiteSwitch.Report(lab.RunJournal, siteRun)!.Status);
            var resumed = SiteSwitch.Run(Contexts(lab), siteRun, null, 5, null).Report;
            Assert.Equal(RunStatus.Completed, resumed.Status);
            Assert.Equal(1, resumed.Resumes);
            Assert.Equal(expected, State(lab));
            Assert.All(Stores, ds => Assert.Null(ProcedureRunner.ActiveRunOf(lab.RunJournal, ds)));
        }
    }
}
