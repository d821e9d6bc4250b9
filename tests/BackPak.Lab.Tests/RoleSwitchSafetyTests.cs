using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// What a switch must never do (issues 9 and 10): start in the wrong direction, let the store change under it,
    /// block a store for good, or run twice at once; and what the operator can always do: resume it by its id,
    /// stop it with Ctrl-C and resume it, or abandon it.
    /// </summary>
    public class RoleSwitchSafetyTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;
        private readonly List<Process> _children = new List<Process>();
        private const string Subject = "switch-DS01";

        public RoleSwitchSafetyTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 120, Seed = 52, Encrypted = true }).Path);
        }

        public void Dispose()
        {
            foreach (var p in _children) { try { if (!p.HasExited) p.Kill(); } catch (InvalidOperationException) { } p.Dispose(); }
            _t.Dispose();
        }

        private LabDomain A => _lab.OpenDomain(@"\A");
        private LabDomain B => _lab.OpenDomain(@"\B");
        private IRunJournalStore Journal => _lab.RunJournal;
        private string Runs => Path.Combine(_lab.Root, "runs");

        private RoleSwitchContext Context(string from = @"\A", string to = @"\B", TimeSpan? timeout = null, CancellationToken cancel = default) => new RoleSwitchContext
        {
            DataStore = "DS01", Primary = _lab.OpenDomain(from), Secondary = _lab.OpenDomain(to), Journal = _lab.RunJournal,
            StorageLink = _lab.ReplicationLink("STORAGE", "DS01"), KeyLink = _lab.ReplicationLink("KEYS", null),
            SecondarySite = _lab.SiteOf(to), Timeout = timeout ?? TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(20), User = "t", Cancel = cancel,
        };

        private static List<string> Picture(IBackPakDomain d) =>
            d.GetVolumes(new VolumeQuery { DataStore = "DS01" })
                .Select(v => $"{v.Label}|{v.VolumeGroup}|{v.CatalogStatus}|{v.LastBackup:o}|{v.Expiration:o}|{v.MediaKeyName}|" +
                             string.Join(",", d.GetCatalogEntries(v.Label).Where(e => e.Catalog == CatalogKind.DsmTc).Select(e => e.Kind + ":" + e.Name)))
                .ToList();

        /// <summary>A run that stopped at step 3 (its staging area unreachable): unfinished, its store fenced.</summary>
        private string FailedRun()
        {
            _lab.AddFault(LabFaultKind.StagingUnreachable, @"\B");
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), null, null, null));
            _lab.RemoveFault(LabFaultKind.StagingUnreachable, null);
            var report = Assert.IsType<RoleSwitchReport>(e.Target);
            Assert.Equal("final-full-export", report.FailedStep);
            return report.RunId;
        }

        private ProcessOwner LiveProcess()
        {
            var p = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
            _children.Add(p);
            return new ProcessOwner(Environment.MachineName, p.Id, new DateTimeOffset(p.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds());
        }

        private static ProcessOwner DeadProcess()
        {
            using var p = Process.Start(new ProcessStartInfo("sleep", "0.2") { UseShellExecute = false })!;
            long start = new DateTimeOffset(p.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
            p.WaitForExit();
            return new ProcessOwner(Environment.MachineName, p.Id, start);
        }

        private static string Fence(Action change)
        {
            try { change(); return "allowed"; }
            catch (BackPakException e) { return e.ErrorId; }
        }

        // ------------------------------------------------------------------ item 1: wrong direction, start checks

        [Fact]
        public void A_switch_in_the_wrong_direction_is_refused_before_anything_starts_and_names_the_right_one()
        {
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(@"\B", @"\A"), null, null, null));
            Assert.Equal(ErrorIds.SwitchWrongDirection, e.ErrorId);
            Assert.True(e.StopsInvocation);
            Assert.Contains(@"DS01 is PRIMARY on \A and SECONDARY on \B: switch it with -Primary '\A' -Secondary '\B'", e.Message);
            Assert.Empty(Journal.RunIds());
            Assert.Null(Journal.ActiveRun(Subject));
            Assert.False(Directory.Exists(Runs) && Directory.EnumerateFiles(Runs, "*.jsonl").Concat(Directory.EnumerateFiles(Runs, "*.lock")).Any());
            // Nothing blocks the right direction.
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), null, null, null).Status);
        }

        [Fact]
        public void A_switch_that_cannot_succeed_is_refused_at_start_with_what_failed()
        {
            A.SetExportSuspended("DS01", true, "t");
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), null, null, null));
            Assert.Equal(ErrorIds.SwitchPreconditionFailed, e.ErrorId);
            Assert.Contains("suspended", e.Message);
            Assert.Contains("Resume-BPCatalogExport DS01", e.Message);
            Assert.Empty(Journal.RunIds());
            var checks = RoleSwitch.Test(Context());
            Assert.False(checks.Single(c => c.Name == "export settings").Passed);
            Assert.True(checks.Single(c => c.Name == "export settings").BlocksStart);
        }

        // ------------------------------------------------------------------ item 3: resume by id alone

        [Fact]
        public void A_run_id_alone_tells_the_store_and_both_sides_and_a_bad_id_is_never_a_new_run()
        {
            string run = FailedRun();
            Assert.Equal(("DS01", @"\A", @"\B"), ProcedureRunner.Subject(Journal, run));
            foreach (var bad in new[] { "", "   ", "../../../tmp/x", "SW-NO-SUCH-RUN" })
            {
                var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), bad, null, null));
                Assert.Equal(ErrorIds.SwitchRunNotFound, e.ErrorId);
            }
            Assert.Single(Journal.RunIds());
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), run, null, null).Status);
        }

        // ------------------------------------------------------------------ item 2: abandon

        [Fact]
        public void An_abandoned_run_releases_its_store_says_how_each_side_stands_and_cannot_be_resumed()
        {
            string run = FailedRun();
            Assert.Equal(ErrorIds.SwitchInProgress, Fence(() => A.RunBackups("DS01", 1, null, "t")));
            var report = ProcedureRunner.Abandon(Journal, run, "change window closed", "t", (ds, p, s) => new[] { RoleSwitch.Side(A, ds), RoleSwitch.Side(B, ds) });
            Assert.Equal(RunStatus.Abandoned, report.Status);
            Assert.Equal("change window closed", report.Reason);
            Assert.Equal(new[] { DomainAccess.Primary, DomainAccess.Secondary }, report.Sides!.Select(x => x.DomainAccess));
            Assert.Contains(@"DS01 is PRIMARY on \A", report.Message);
            Assert.Null(Journal.ActiveRun(Subject));
            Assert.Equal("allowed", Fence(() => A.RunBackups("DS01", 1, null, "t")));
            Assert.Equal(ErrorIds.SwitchRunAbandoned, Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), run, null, null)).ErrorId);
            Assert.Equal(ErrorIds.SwitchRunAbandoned, Assert.Throws<BackPakException>(() => ProcedureRunner.Abandon(Journal, run, "again", "t", (_, _, _) => new RoleSwitchSide[0])).ErrorId);
            Assert.Equal(RunStatus.Abandoned, ProcedureRunner.Report(Journal, run)!.Status);
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), null, null, null).Status);
            var done = ProcedureRunner.Reports(Journal).Last();
            Assert.Equal(ErrorIds.SwitchRunCompleted, Assert.Throws<BackPakException>(() => ProcedureRunner.Abandon(Journal, done.RunId, "x", "t", (_, _, _) => new RoleSwitchSide[0])).ErrorId);
        }

        [Fact]
        public void A_run_whose_process_lives_is_neither_resumed_nor_abandoned_from_elsewhere()
        {
            string run = FailedRun();
            var other = LiveProcess();
            Journal.UpdateLock(Subject, l => l!.WithOwner(other));
            Assert.Equal(RunStatus.Failed, ProcedureRunner.Report(Journal, run)!.Status);
            var resume = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), run, null, null));
            Assert.Equal(ErrorIds.SwitchInProgress, resume.ErrorId);
            Assert.Contains("process " + other.Pid, resume.Message);
            Assert.Equal(ErrorIds.SwitchInProgress, Assert.Throws<BackPakException>(() => ProcedureRunner.Abandon(Journal, run, "x", "t", (_, _, _) => new RoleSwitchSide[0])).ErrorId);
            Assert.Equal(other, Journal.ActiveRun(Subject)!.Owner);
            // Once that process is gone, the run is taken over.
            _children.Single().Kill();
            _children.Single().WaitForExit();
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), run, null, null).Status);
        }

        [Fact]
        public void Two_resumes_of_one_run_at_once_in_one_process_run_it_once()
        {
            string run = FailedRun();
            using var inside = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            RoleSwitchReport? first = null;
            var t = new Thread(() => first = ProcedureRunner.RunSwitch(Context(), run, null, (st, i, n) => { if (i == 5) { inside.Set(); release.Wait(); } }));
            t.Start();
            Assert.True(inside.Wait(TimeSpan.FromSeconds(60)));
            var second = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), run, null, null));
            Assert.Equal(ErrorIds.SwitchInProgress, second.ErrorId);
            Assert.Equal(RunStatus.Running, ProcedureRunner.Report(Journal, run)!.Status);
            release.Set();
            t.Join();
            Assert.Equal(RunStatus.Completed, first!.Status);
            Assert.Equal(1, first.Resumes);
        }

        // ------------------------------------------------------------------ item 4: Ctrl-C

        [Fact]
        public void A_cancelled_wait_leaves_an_interrupted_run_that_resumes_cleanly()
        {
            var v = A.StartBackup("DS01", null, "t");
            using var cancel = new CancellationTokenSource();
            cancel.CancelAfter(TimeSpan.FromMilliseconds(400));
            Assert.ThrowsAny<OperationCanceledException>(() => ProcedureRunner.RunSwitch(Context(cancel: cancel.Token), null, null, null));
            var report = ProcedureRunner.Reports(Journal).Single();
            Assert.Equal(RunStatus.Interrupted, report.Status);
            Assert.Equal(StepStatus.Interrupted, report.Steps.Single(s => s.Id == "wait-backups").Status);
            Assert.Null(Journal.ActiveRun(Subject)!.Owner); // no process runs it now: anyone may resume it
            // The backup that was running may end (the switch waits for it), and the run resumes from where it stopped.
            A.StopBackup(v.Label, "t");
            var done = ProcedureRunner.RunSwitch(Context(), report.RunId, null, null);
            Assert.Equal(RunStatus.Completed, done.Status);
            Assert.Equal(Picture(A), Picture(B));
        }

        // ------------------------------------------------------------------ item 5: the fence

        [Fact]
        public void Between_its_steps_a_switch_refuses_every_other_change_of_its_store_on_both_sides_and_its_own_steps_pass()
        {
            var label = A.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First().Label;
            var bLabel = B.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Last().Label;
            var label2 = A.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).Skip(1).First().Label;
            var seen = new Dictionary<string, string>();
            var report = ProcedureRunner.RunSwitch(Context(), null, null, (st, i, n) =>
            {
                if (i != 4) return; // after stop-export, before the FULL import: where a change was lost
                var removal = A.RemoveVolumes(new[] { label }, new VolumeRemovalOptions { IgnoreRetention = true }).Single();
                seen["removal on \\A"] = removal.Error?.ErrorId ?? removal.Status.ToString();
                var removalB = B.RemoveVolumes(new[] { bLabel }, new VolumeRemovalOptions { IgnoreRetention = true }).Single();
                seen["removal on \\B"] = removalB.Error?.ErrorId ?? removalB.Status.ToString();
                seen["plan on \\A"] = A.PlanVolumeRemoval(A.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Take(1).ToList(), new VolumeRemovalOptions()).Single().Refusal?.ErrorId ?? "allowed";
                seen["backup"] = Fence(() => A.RunBackups("DS01", 1, null, "t"));
                seen["start backup"] = Fence(() => A.StartBackup("DS01", null, "t"));
                seen["daily batch"] = Fence(() => A.RunDailyBatch("DS01", "t"));
                seen["settings \\A"] = Fence(() => A.SetDataStore("DS01", new DataStoreSettings { ExportCheckDelay = TimeSpan.FromMinutes(1) }, "t"));
                seen["settings \\B"] = Fence(() => B.SetDataStore("DS01", new DataStoreSettings { ExportCheckDelay = TimeSpan.FromMinutes(1) }, "t"));
                seen["resume export \\A"] = Fence(() => A.SetExportSuspended("DS01", false, "t"));
                seen["suspend export \\B"] = Fence(() => B.SetExportSuspended("DS01", true, "t"));
                seen["export"] = Fence(() => A.StartExport("DS01", SyncType.Update, "t"));
                seen["import"] = Fence(() => B.StartImport("DS01", SyncType.Full, true, "t"));
                seen["group removal"] = Fence(() => B.RemoveVolumeGroup("TMFDUMPS", "t"));
                seen["store removal"] = Fence(() => B.RemoveDataStore("DS01", "t"));
                seen["another switch"] = Fence(() => ProcedureRunner.RunSwitch(Context(), null, null, null));
                seen["the other way"] = Fence(() => ProcedureRunner.RunSwitch(Context(@"\B", @"\A"), null, null, null));
                // The end of a backup is let through only until the last FULL export starts: this one would be missed.
                LoadForOutput(@"\A", label2, true);
                seen["end of a backup"] = Fence(() => A.StopBackup(label2, "t"));
                LoadForOutput(@"\A", label2, false);
            });
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.All(seen, kv => Assert.True(kv.Value == ErrorIds.SwitchInProgress, kv.Key + ": " + kv.Value));
            Assert.Equal(17, seen.Count);
            // Nothing was lost: the volume is on both sides, and the catalogs agree.
            Assert.Single(B.GetVolumes(new VolumeQuery { DataStore = "DS01", Labels = new[] { Core.Text.Labels.ParsePattern(label) } }));
            Assert.Equal(Picture(A), Picture(B));
            // The fence is gone with the run; other stores were never fenced.
            Assert.Equal("allowed", Fence(() => B.RunBackups("DS01", 1, null, "t")));
        }

        [Fact]
        public void Other_data_stores_are_not_fenced_by_a_switch()
        {
            string run = FailedRun();
            Assert.Equal(ErrorIds.SwitchInProgress, Fence(() => A.RunBackups("DS01", 1, null, "t")));
            Assert.Equal("allowed", Fence(() => A.RunBackups("DS02", 1, null, "t")));
            Assert.Equal("allowed", Fence(() => B.SetDataStore("DS03", new DataStoreSettings { ExportCheckDelay = TimeSpan.FromMinutes(2) }, "t")));
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), run, null, null).Status);
        }

        [Fact]
        public void A_write_the_fence_cannot_see_fails_the_check_before_the_demotion_and_resuming_redoes_the_export_and_import()
        {
            // A tape application writes a volume of \A after the last FULL export (the fence cannot refuse it): as
            // the lab's own backup, let through the fence of the run.
            string? written = null;
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), null, null, (st, i, n) =>
            {
                if (i != 4 || written != null) return;
                using (StoreFence.Enter(Journal.ActiveRun(Subject)!.RunId)) written = A.RunBackups("DS01", 1, null, "tape application").Single().Label;
            }));
            Assert.Equal(ErrorIds.SwitchStepFailed, e.ErrorId);
            var report = Assert.IsType<RoleSwitchReport>(e.Target);
            Assert.Equal("check-replication", report.FailedStep);
            Assert.Contains(written!, e.Message);
            Assert.Contains("since its last FULL export", e.Message);
            Assert.Equal(DomainAccess.Primary, A.GetDataStores("DS01").Single().DomainAccess); // nothing demoted
            Assert.Equal(StepStatus.Pending, ProcedureRunner.Report(Journal, report.RunId)!.Steps.Single(s => s.Id == "final-full-export").Status);

            var done = ProcedureRunner.RunSwitch(Context(), report.RunId, null, null);
            Assert.Equal(RunStatus.Completed, done.Status);
            Assert.Equal(Picture(A), Picture(B)); // the write reached the new PRIMARY
            Assert.Equal(A.GetVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(written!) } }).Single().LastBackup,
                         B.GetVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(written!) } }).Single().LastBackup);
        }

        [Fact]
        public void A_change_just_before_the_demotion_is_caught_there_too()
        {
            string? written = null;
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), null, null, (st, i, n) =>
            {
                if (st.Id != "demote-primary" || written != null) return;
                using (StoreFence.Enter(Journal.ActiveRun(Subject)!.RunId)) written = A.RunBackups("DS01", 1, null, "tape application").Single().Label;
            }));
            var report = Assert.IsType<RoleSwitchReport>(e.Target);
            Assert.Equal("demote-primary", report.FailedStep);
            Assert.Contains(written!, e.Message);
            Assert.Equal(DomainAccess.Primary, A.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), report.RunId, null, null).Status);
            Assert.Equal(Picture(A), Picture(B));
        }

        // ------------------------------------------------------------------ item 7: running backups and demotion

        /// <summary>What a tape application's mount does to the catalog: the volume loaded for output, or unloaded.</summary>
        private void LoadForOutput(string node, string label, bool loaded)
        {
            using var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, node));
            LabDb.Exec(c, loaded ? "UPDATE volume SET current_operation = 'LOAD', current_operation_mode = 'OUTPUT' WHERE label = @l"
                                 : "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL WHERE label = @l", ("@l", label));
        }

        [Fact]
        public void The_demotion_step_waits_for_a_backup_started_outside_the_module_and_names_it()
        {
            var label = A.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).First().Label;
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(timeout: TimeSpan.FromMilliseconds(300)), null, null, (st, i, n) =>
            {
                if (st.Id == "demote-primary") LoadForOutput(@"\A", label, true);
            }));
            var report = Assert.IsType<RoleSwitchReport>(e.Target);
            Assert.Equal("demote-primary", report.FailedStep);
            Assert.Contains(label, e.Message);
            Assert.Contains("still write", e.Message);
            Assert.Equal(DomainAccess.Primary, A.GetDataStores("DS01").Single().DomainAccess);
            LoadForOutput(@"\A", label, false); // that backup ended (without writing)
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), report.RunId, null, null).Status);
        }

        [Fact]
        public void Demotion_is_refused_over_running_backups_and_names_them()
        {
            var v = A.StartBackup("DS01", null, "t");
            var e = Assert.Throws<BackPakException>(() => A.SetDataStore("DS01", new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, "t"));
            Assert.Equal(ErrorIds.BackupsRunning, e.ErrorId);
            Assert.Contains(v.Label, e.Message);
            Assert.Equal(DomainAccess.Primary, A.GetDataStores("DS01").Single().DomainAccess);
            A.StopBackup(v.Label, "t");
            A.SetDataStore("DS01", new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, "t");
            Assert.Equal(DomainAccess.Secondary, A.GetDataStores("DS01").Single().DomainAccess);
        }

        [Fact]
        public void A_backup_whose_store_is_no_longer_primary_never_writes_it()
        {
            // A load for output left on a SECONDARY volume (by a tape application, or from before the store was demoted).
            var v = B.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).First();
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\B")))
                LabDb.Exec(c, "UPDATE volume SET current_operation = 'LOAD', current_operation_mode = 'OUTPUT' WHERE label = @l", ("@l", v.Label));
            string dir = LabLayout.StorageDir(_lab.Root, "SITEB", "DS01");
            var before = File.ReadAllBytes(LabLayout.DataFile(dir, v.Label));
            var e = Assert.Throws<BackPakException>(() => B.StopBackup(v.Label, "t"));
            Assert.Equal(ErrorIds.ActionNotAllowed, e.ErrorId);
            Assert.Contains("cannot be written", e.Message);
            Assert.Equal(before, File.ReadAllBytes(LabLayout.DataFile(dir, v.Label)));
            var after = B.GetVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(v.Label) } }).Single();
            Assert.Equal(v.LastBackup, after.LastBackup);
            Assert.False(after.IsBackupRunning);
        }

        [Fact]
        public void The_switch_names_the_volumes_still_being_written()
        {
            var v = A.StartBackup("DS01", null, "t");
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(timeout: TimeSpan.FromMilliseconds(200)), null, null, null));
            Assert.Equal("wait-backups", ((RoleSwitchReport)e.Target!).FailedStep);
            Assert.Contains(v.Label, e.Message);
            Assert.Contains("still write", e.Message);
        }

        // ------------------------------------------------------------------ issue 10 item 3: the drain fails fast

        [Fact]
        public void The_drain_fails_at_once_with_its_cause_when_the_staging_area_cannot_be_reached()
        {
            _lab.AddFault(LabFaultKind.StagingUnreachable, @"\B");
            A.RunBackups("DS01", 2, null, "t"); // their updates cannot be sent: they stay pending
            var watch = Stopwatch.StartNew();
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(timeout: TimeSpan.FromSeconds(60)), null, null, null));
            watch.Stop();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "waited " + watch.Elapsed);
            Assert.Equal("drain-exports", ((RoleSwitchReport)e.Target!).FailedStep);
            Assert.Equal(ErrorIds.StagingUnreachable, Assert.IsType<BackPakException>(e.InnerException).ErrorId);
            Assert.Contains("cannot be reached", e.Message);
            Assert.Contains("Expand link is down", e.Message);
            _lab.RemoveFault(LabFaultKind.StagingUnreachable, null);
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), ((RoleSwitchReport)e.Target!).RunId, null, null).Status);
        }

        // ------------------------------------------------------------------ issue 10 item 4: the journal is no single point of failure

        [Theory]
        [InlineData("cut")]
        [InlineData("emptied")]
        [InlineData("deleted")]
        [InlineData("garbage")]
        [InlineData("another run's")]
        public void A_damaged_journal_is_reported_with_the_way_out_and_never_blocks_the_store_for_good(string damage)
        {
            string run = FailedRun();
            string path = Path.Combine(Runs, run + ".jsonl");
            switch (damage)
            {
                case "cut": var b = File.ReadAllBytes(path); File.WriteAllBytes(path, b.Take(b.Length - 20).ToArray()); break;
                case "emptied": File.WriteAllBytes(path, new byte[0]); break;
                case "deleted": File.Delete(path); break;
                case "garbage": File.WriteAllText(path, "this is not a journal\n\u0001\u0002\n"); break;
                default: File.WriteAllText(path, File.ReadAllText(path).Replace(run, "SW-20200101-000000-abcdef")); break;
            }
            var report = ProcedureRunner.Report(Journal, run)!;
            Assert.Equal(RunStatus.Damaged, report.Status);
            Assert.Contains("Stop-BPRoleSwitchRun -RunId " + run, report.Message);
            Assert.Equal("DS01", report.DataStore); // known from the lock
            Assert.Contains(ProcedureRunner.Reports(Journal), r => r.RunId == run);
            var resume = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), run, null, null));
            Assert.Equal(ErrorIds.SwitchJournalDamaged, resume.ErrorId);
            Assert.Contains("Stop-BPRoleSwitchRun", resume.RecommendedAction);
            var fenced = Assert.Throws<BackPakException>(() => A.RunBackups("DS01", 1, null, "t"));
            Assert.Equal(ErrorIds.SwitchInProgress, fenced.ErrorId);
            Assert.Contains(run, fenced.Message);

            var stopped = ProcedureRunner.Abandon(Journal, run, "journal damaged", "t", (ds, p, s) => new[] { RoleSwitch.Side(A, ds), RoleSwitch.Side(B, ds) });
            Assert.Equal(RunStatus.Abandoned, stopped.Status);
            Assert.Equal(2, stopped.Sides!.Count);
            Assert.Null(Journal.ActiveRun(Subject));
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), null, null, null).Status);
        }

        [Fact]
        public void A_lock_left_by_a_run_that_ended_fences_nothing()
        {
            var done = ProcedureRunner.RunSwitch(Context(), null, null, null);
            // A process killed between the run's last record and the release of its lock leaves the lock behind.
            Journal.UpdateLock(Subject, _ => new RunLock { Subject = Subject, RunId = done.RunId, DataStore = "DS01", Primary = @"\A", Secondary = @"\B", Created = done.Started });
            Assert.Equal("allowed", Fence(() => B.RunBackups("DS01", 1, null, "t")));
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(@"\B", @"\A"), null, null, null).Status);
        }

        [Fact]
        public void A_run_killed_before_it_took_its_lock_did_nothing_and_resumes_as_a_new_run()
        {
            // What a kill between the first record and the lock leaves: the header alone.
            string run = "SW-20261101-000000-aaaaaa";
            Journal.Append(run, new JournalRecord
            {
                At = DateTime.UtcNow, Type = "run", Status = "Running",
                Data = new Dictionary<string, string> { ["runId"] = run, ["dataStore"] = "DS01", ["primary"] = @"\A", ["secondary"] = @"\B", ["user"] = "t" },
            });
            Assert.Equal(RunStatus.Interrupted, ProcedureRunner.Report(Journal, run)!.Status);
            Assert.Equal("allowed", Fence(() => A.RunBackups("DS01", 1, null, "t"))); // it holds nothing
            Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(Context(), run, null, null).Status);
        }

        // ------------------------------------------------------------------ items 6 and 7: removals, imports and switches of one store

        private void Claim(LabDomain d, string node, string label, ProcessOwner owner, bool storage)
        {
            using var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, node));
            var store = (string)LabDb.Scalar(c, "SELECT data_store FROM volume WHERE label = @l", ("@l", label))!;
            var group = (string)LabDb.Scalar(c, "SELECT volume_group FROM volume WHERE label = @l", ("@l", label))!;
            var access = (string)LabDb.Scalar(c, "SELECT domain_access FROM volume WHERE label = @l", ("@l", label))!;
            var path = storage ? (string?)LabDb.Scalar(c, "SELECT storage_path FROM data_store WHERE name = @s", ("@s", store)) : null;
            LabDb.Exec(c, "UPDATE volume SET current_operation = 'DELETE' WHERE label = @l", ("@l", label));
            LabDb.Exec(c, "INSERT INTO removal_intent(label, run_id, owner_host, owner_pid, owner_start, user, data_store, volume_group, domain_access, storage_path, tape_catalog, created) " +
                          "VALUES (@l, 'R1', @h, @p, @s, 't', @ds, @g, @a, @sp, 'DSM/TC', 0)",
                ("@l", label), ("@h", owner.Host), ("@p", owner.Pid), ("@s", owner.StartMs), ("@ds", store), ("@g", group), ("@a", access), ("@sp", path));
        }

        private string DsmTcLabel(LabDomain d, bool expired) =>
            d.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = expired }).First(v => d.GetCatalogEntries(v.Label).Any(e => e.Catalog == CatalogKind.DsmTc)).Label;

        [Fact]
        public void An_import_is_refused_while_a_removal_of_its_store_runs_or_is_unfinished()
        {
            string label = DsmTcLabel(B, expired: true);
            Claim(B, @"\B", label, LiveProcess(), storage: false);
            var live = Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Full, true, "t"));
            Assert.Equal(ErrorIds.SyncInProgress, live.ErrorId);
            Assert.Contains(label, live.Message);
            _children.Single().Kill();
            _children.Single().WaitForExit();
            var left = Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Full, true, "t"));
            Assert.Equal(ErrorIds.RemovalUnfinished, left.ErrorId);
            // The way out: the same removal again finishes it; then the import runs, and the volume has nothing left over.
            Assert.Equal(RemovalStatus.Removed, B.RemoveVolumes(new[] { label }, new VolumeRemovalOptions { IgnoreRetention = true }).Single().Status);
            Assert.Equal(SyncResult.Completed, B.StartImport("DS01", SyncType.Full, true, "t").Result);
        }

        [Fact]
        public void A_removal_is_refused_while_an_import_of_its_store_runs()
        {
            string label = DsmTcLabel(B, expired: true);
            var other = LiveProcess();
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\B")))
                LabDb.Exec(c, "INSERT INTO sync_lock(data_store, direction, owner_host, owner_pid, owner_start, started) VALUES ('DS01', 'Import', @h, @p, @s, 0)",
                    ("@h", other.Host), ("@p", other.Pid), ("@s", other.StartMs));
            var plan = B.PlanVolumeRemoval(B.GetVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(label) } }).ToList(), new VolumeRemovalOptions { IgnoreRetention = true }).Single();
            Assert.Equal(ErrorIds.SyncInProgress, plan.Refusal?.ErrorId);
            var r = B.RemoveVolumes(new[] { label }, new VolumeRemovalOptions { IgnoreRetention = true }).Single();
            Assert.Equal(RemovalStatus.Refused, r.Status);
            Assert.Equal(ErrorIds.SyncInProgress, r.Error!.ErrorId);
            Assert.NotEmpty(B.GetCatalogEntries(label));
        }

        [Fact]
        public void A_switch_does_not_start_while_a_removal_of_its_store_is_unfinished()
        {
            string label = DsmTcLabel(A, expired: true);
            Claim(A, @"\A", label, DeadProcess(), storage: true);
            var e = Assert.Throws<BackPakException>(() => ProcedureRunner.RunSwitch(Context(), null, null, null));
            Assert.Equal(ErrorIds.RemovalUnfinished, e.ErrorId);
            Assert.Contains(label, e.Message);
            Assert.Empty(Journal.RunIds());
        }

        [Fact]
        public void A_taken_over_removal_follows_the_domain_access_of_now_not_of_its_claim()
        {
            // A PRIMARY removal interrupted after its claim; then the store is made SECONDARY on that node.
            string label = DsmTcLabel(A, expired: true);
            Claim(A, @"\A", label, DeadProcess(), storage: true);
            A.SetDataStore("DS01", new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, "t");
            string dir = LabLayout.StorageDir(_lab.Root, "SITEA", "DS01");
            var r = A.RemoveVolumes(new[] { label }, new VolumeRemovalOptions { IgnoreRetention = true }).Single();
            Assert.Equal(RemovalStatus.Removed, r.Status);
            Assert.True(r.Resumed);
            Assert.Equal(DomainAccess.Secondary, r.DomainAccess);
            Assert.Equal(PartOutcome.NotApplicable, r.Storage); // a SECONDARY store's storage is the replication's, never BackPak's
            Assert.True(File.Exists(LabLayout.DataFile(dir, label)) && File.Exists(LabLayout.IndexFile(dir, label)));
            Assert.Empty(A.GetCatalogEntries(label).Where(e => e.Catalog == CatalogKind.DsmTc));
        }

        [Fact]
        public void A_taken_over_removal_that_the_rules_now_refuse_is_released_and_reported()
        {
            string label = DsmTcLabel(A, expired: false);
            Claim(A, @"\A", label, DeadProcess(), storage: true); // claimed with -IgnoreRetention
            var r = A.RemoveVolumes(new[] { label }, new VolumeRemovalOptions()).Single(); // run again without it
            Assert.Equal(RemovalStatus.Refused, r.Status);
            Assert.Equal(ErrorIds.VolumeNotExpired, r.Error!.ErrorId);
            Assert.Contains("released", r.Error.Message);
            var v = A.GetVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(label) } }).Single();
            Assert.Null(v.CurrentOperation);
            Assert.Empty(A.GetRemovalsInProgress("DS01"));
            Assert.True(File.Exists(LabLayout.DataFile(LabLayout.StorageDir(_lab.Root, "SITEA", "DS01"), label)));
        }
    }
}
