using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>The planned switch of roles, run by the Core procedure against the lab.</summary>
    public class RoleSwitchTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;

        public RoleSwitchTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 200, Seed = 51, Encrypted = true }).Path);
        }

        public void Dispose() => _t.Dispose();

        private RoleSwitchContext Context(string from, string to, bool links = true, TimeSpan? timeout = null) => new RoleSwitchContext
        {
            DataStore = "DS01", Primary = _lab.OpenDomain(from), Secondary = _lab.OpenDomain(to), Journal = _lab.RunJournal,
            StorageLink = links ? _lab.ReplicationLink("STORAGE", "DS01") : null, KeyLink = links ? _lab.ReplicationLink("KEYS", null) : null,
            SecondarySite = _lab.SiteOf(to), Timeout = timeout ?? TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(50), User = "t",
        };

        private static List<string> Picture(IBackPakDomain d) =>
            d.GetVolumes(new VolumeQuery { DataStore = "DS01" })
                .Select(v => $"{v.Label}|{v.VolumeGroup}|{v.CatalogStatus}|{v.LastBackup:o}|{v.Expiration:o}|{v.MediaKeyName}|" +
                             string.Join(",", d.GetCatalogEntries(v.Label).Where(e => e.Catalog == CatalogKind.DsmTc).Select(e => e.Kind + ":" + e.Name)))
                .ToList();

        [Fact]
        public void The_plan_keeps_the_manuals_steps_first_and_marks_what_is_inferred()
        {
            var plan = RoleSwitch.Plan("DS01", @"\A", @"\B");
            Assert.Equal(16, plan.Steps.Count);
            Assert.Equal(new[] { "wait-backups", "drain-exports" }, plan.Steps.Take(2).Select(s => s.Id));
            Assert.Equal("CS p41 (step 1)", plan.Steps[0].Source);
            Assert.Equal("CS p42 (step 2)", plan.Steps[1].Source);
            Assert.Contains(plan.Steps, s => s.Inferred);
            Assert.Equal(Enumerable.Range(1, 16), plan.Steps.Select(s => s.Number));
            Assert.Equal(plan.Steps.Count, plan.Steps.Select(s => s.Id).Distinct().Count());
            Assert.All(plan.Steps.Where(s => s.Kind == StepKind.External), s => Assert.Contains("replication", s.Id));
        }

        [Fact]
        public void A_run_is_stamped_by_the_lab_clock_as_its_audit_records_are()
        {
            // A lab's clock starts at its epoch, a month or more before the real date: a run stamped by the real clock
            // would not agree with the audit of the same changes.
            var before = _lab.Now;
            Assert.True(Math.Abs((DateTime.UtcNow - before).TotalDays) > 1, "the lab clock is not the real one");
            var report = ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), null, null, null);
            var after = _lab.Now;
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.InRange(report.Started, before.AddSeconds(-1), after.AddSeconds(1));
            Assert.InRange(report.Ended!.Value, before.AddSeconds(-1), after.AddSeconds(1));
            Assert.All(report.Steps, s => Assert.InRange(s.Ended!.Value, before.AddSeconds(-1), after.AddSeconds(1)));
            Assert.StartsWith("SW-" + before.ToString("yyyyMMdd"), report.RunId);
            var read = ProcedureRunner.Report(_lab.RunJournal, report.RunId)!;
            Assert.InRange(read.Started, before.AddSeconds(-1), after.AddSeconds(1));
        }

        [Fact]
        public void A_fresh_lab_passes_every_precheck()
        {
            var checks = RoleSwitch.Test(Context(@"\A", @"\B"));
            Assert.True(checks.Count >= 15);
            Assert.Equal(RoleSwitch.StartChecks(Context(@"\A", @"\B")).Select(c => c.Name), checks.Where(c => c.BlocksStart).Select(c => c.Name));
            Assert.All(checks, c => Assert.True(c.Passed, c.Name + ": " + c.Detail));
        }

        [Fact]
        public void A_running_backup_fails_its_check_and_stops_the_switch_at_the_wait()
        {
            var v = _lab.OpenDomain(@"\A").StartBackup("DS01", null, "t");
            Assert.False(RoleSwitch.Test(Context(@"\A", @"\B")).Single(c => c.Name == "backups idle").Passed);
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\A", @"\B", timeout: TimeSpan.FromMilliseconds(300)), null, null, null));
            Assert.Equal(ErrorIds.SwitchStepFailed, e.ErrorId);
            var report = Assert.IsType<RoleSwitchReport>(e.Target);
            Assert.Equal("wait-backups", report.FailedStep);
            Assert.Equal(DomainAccess.Primary, _lab.OpenDomain(@"\A").GetDataStores("DS01").Single().DomainAccess); // nothing changed
            // Another run of the same store is refused while this one is not finished; resuming it, once the backup ended, completes it.
            Assert.Equal(ErrorIds.SwitchInProgress, Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), null, null, null)).ErrorId);
            _lab.OpenDomain(@"\A").StopBackup(v.Label, "t");
            var done = ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), report.RunId, null, null);
            Assert.Equal(RunStatus.Completed, done.Status);
            Assert.Equal(1, done.Resumes);
        }

        [Fact]
        public void A_switch_exchanges_the_roles_and_everything_that_goes_with_them()
        {
            var a = _lab.OpenDomain(@"\A");
            var b = _lab.OpenDomain(@"\B");
            a.RunBackups("DS01", 7, null, "t"); // exported at once, not yet imported on \B
            var report = ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), null, null, null);
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.All(report.Steps, s => Assert.Equal(StepStatus.Done, s.Status));

            Assert.Equal(DomainAccess.Secondary, a.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal(DomainAccess.Primary, b.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal(Picture(a), Picture(b));
            Assert.Equal(@"\A.$BPSTAGE.DS01", b.GetExportStatus("DS01").StagingArea);
            Assert.Equal(@"\A.$BPSTAGE.DS01", a.GetImportStatus("DS01").StagingArea);
            Assert.Equal("SITEB", _lab.ReplicationLink("STORAGE", "DS01")!.Source);
            Assert.Equal("SITEB", _lab.ReplicationLink("KEYS", null)!.Source);
            Assert.Equal(ExportState.Active, b.GetExportStatus("DS01").State);
            Assert.Null(_lab.RunJournal.ActiveRun("switch-DS01"));

            // Backups now run on \B and their exports reach the staging area on \A; \A refuses them.
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => a.RunBackups("DS01", 1, null, "t")).ErrorId);
            var written = b.RunBackups("DS01", 3, null, "t");
            Assert.True(File.Exists(Path.Combine(_lab.Root, "nodes", "A", "staging", "BPSTAGE.DS01", "V" + written[0].Label + ".bpx")));
            Assert.True(File.Exists(Path.Combine(_lab.Root, "sites", "SITEA", "storage", "DS01", "LB" + written[0].Label + ".DAT"))); // replicated B -> A
            Assert.Equal(SyncResult.Completed, a.StartImport("DS01", SyncType.Update, true, "t").Result);
            Assert.Equal(Picture(a), Picture(b));
        }

        [Fact]
        public void Switching_back_and_forth_keeps_the_catalogs_equal_and_loses_nothing()
        {
            var a = _lab.OpenDomain(@"\A");
            var b = _lab.OpenDomain(@"\B");
            int volumes = (int)a.CountVolumes(new VolumeQuery { DataStore = "DS01" });
            for (int round = 0; round < 2; round++)
            {
                ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), null, null, null);
                b.RunBackups("DS01", 2, null, "t");
                ProcedureRunner.RunSwitch(Context(@"\B", @"\A"), null, null, null);
                a.RunBackups("DS01", 2, null, "t");
            }
            Assert.Equal(DomainAccess.Primary, a.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal(volumes, a.CountVolumes(new VolumeQuery { DataStore = "DS01" }));
            b.StartImport("DS01", SyncType.Update, true, "t");
            Assert.Equal(Picture(a), Picture(b));
            Assert.Equal(4, _lab.RunJournal.RunIds().Count);
        }

        [Fact]
        public void A_failed_step_stops_the_run_and_resume_continues_after_it()
        {
            _lab.AddFault(LabFaultKind.StagingUnreachable, @"\B");
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), null, null, null));
            var report = (RoleSwitchReport)e.Target!;
            Assert.Equal("final-full-export", report.FailedStep);
            Assert.Contains(report.RunId, e.Message);
            _lab.RemoveFault(LabFaultKind.StagingUnreachable, null);
            var done = ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), report.RunId, null, null);
            Assert.Equal(RunStatus.Completed, done.Status);
            var rebuilt = ProcedureRunner.Report(_lab.RunJournal, report.RunId)!;
            Assert.Equal(RunStatus.Completed, rebuilt.Status);
            Assert.Equal(1, rebuilt.Resumes);
        }

        [Fact]
        public void Without_a_replication_facility_the_external_steps_wait_for_the_operator()
        {
            var r = ProcedureRunner.RunSwitch(Context(@"\A", @"\B", links: false), null, null, null);
            Assert.Equal(RunStatus.AwaitingOperator, r.Status);
            Assert.Equal(StepStatus.AwaitingOperator, r.Steps.Single(s => s.Id == "check-replication").Status);
            Assert.Equal(DomainAccess.Primary, _lab.OpenDomain(@"\A").GetDataStores("DS01").Single().DomainAccess);
            foreach (var step in new[] { "check-replication", "reverse-storage-replication" })
            {
                r = ProcedureRunner.RunSwitch(Context(@"\A", @"\B", links: false), r.RunId, step, null);
                Assert.Equal(RunStatus.AwaitingOperator, r.Status);
            }
            r = ProcedureRunner.RunSwitch(Context(@"\A", @"\B", links: false), r.RunId, "reverse-key-replication", null);
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.Equal(DomainAccess.Primary, _lab.OpenDomain(@"\B").GetDataStores("DS01").Single().DomainAccess);
        }

        [Fact]
        public void A_report_read_back_from_the_journal_names_the_replication_link_each_step_used()
        {
            // Started with no link: the replication steps are the operator's, and the journal says so.
            var r = ProcedureRunner.RunSwitch(Context(@"\A", @"\B", links: false), null, null, null);
            Assert.Equal(RunStatus.AwaitingOperator, r.Status);
            string none = RoleSwitch.DescribeLink(null);
            foreach (var report in new[] { r, ProcedureRunner.Report(_lab.RunJournal, r.RunId)! })
            {
                Assert.Equal(none, report.Steps.Single(s => s.Id == "reverse-storage-replication").Facility);
                Assert.Equal(none, report.Steps.Single(s => s.Id == "reverse-key-replication").Facility);
                Assert.Equal($"storage: {none}; keys: {none}", report.Steps.Single(s => s.Id == "check-replication").Facility);
                Assert.Null(report.Steps.Single(s => s.Id == "demote-primary").Facility);
            }

            // Resumed where the lab's links are known: the steps run from then on used them, and the read-back says so.
            var storage = _lab.ReplicationLink("STORAGE", "DS01");
            var keys = _lab.ReplicationLink("KEYS", null);
            r = ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), r.RunId, "check-replication", null);
            Assert.Equal(RunStatus.Completed, r.Status);
            var read = ProcedureRunner.Report(_lab.RunJournal, r.RunId)!;
            Assert.Equal(RoleSwitch.DescribeLink(storage), read.Steps.Single(s => s.Id == "reverse-storage-replication").Facility);
            Assert.Equal(RoleSwitch.DescribeLink(keys), read.Steps.Single(s => s.Id == "reverse-key-replication").Facility);
            Assert.Contains("(the provider's link)", read.Steps.Single(s => s.Id == "reverse-storage-replication").Facility);
            Assert.Equal(r.Steps.Select(s => s.Facility), read.Steps.Select(s => s.Facility));
        }

        [Fact]
        public void A_journal_written_before_facilities_were_recorded_still_reads_without_them()
        {
            const string id = "SW-20261101-120000-0a1b2c";
            var j = _lab.RunJournal;
            j.Append(id, new JournalRecord { At = j.Now, Type = "run", Status = "Running", Data = new Dictionary<string, string>
                { ["runId"] = id, ["dataStore"] = "DS01", ["primary"] = @"\A", ["secondary"] = @"\B", ["user"] = "t" } });
            j.Append(id, new JournalRecord { At = j.Now, Type = "step", Step = "reverse-storage-replication", Status = "Done", Message = "reversed" });
            j.Append(id, new JournalRecord { At = j.Now, Type = "end", Status = "Completed" });
            var read = ProcedureRunner.Report(j, id)!;
            Assert.Equal(RunStatus.Completed, read.Status);
            Assert.Equal(StepStatus.Done, read.Steps.Single(s => s.Id == "reverse-storage-replication").Status);
            Assert.All(read.Steps, s => Assert.Null(s.Facility));
        }

        [Fact]
        public void Resume_refuses_a_run_of_other_nodes_and_a_completed_run()
        {
            var r = ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), null, null, null);
            Assert.Equal(ErrorIds.SwitchRunCompleted, Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\A", @"\B"), r.RunId, null, null)).ErrorId);
            Assert.Equal(ErrorIds.SwitchRunNotFound, Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\B", @"\A"), r.RunId, null, null)).ErrorId);
            Assert.Equal(ErrorIds.SwitchRunNotFound, Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\B", @"\A"), "SW-NOPE", null, null)).ErrorId);
        }
    }
}
