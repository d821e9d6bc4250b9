using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>Catalog Sync in the lab: export, import, the action matrix, faults, and what reaches the secondary.</summary>
    public class SyncTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;

        public SyncTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 200, Seed = 41, Encrypted = true }).Path);
        }

        public void Dispose() => _t.Dispose();

        private LabDomain A => _lab.OpenDomain(@"\A");
        private LabDomain B => _lab.OpenDomain(@"\B");

        /// <summary>What the secondary must hold of each volume: the BackPak entry and the DSM/TC entries, catalog names aside.</summary>
        private static List<string> Picture(IBackPakDomain d, bool secondary)
        {
            var rows = new List<string>();
            foreach (var v in d.GetVolumes(new VolumeQuery { DataStore = "DS01" }))
            {
                string auth = secondary ? v.Authorization : v.Authorization.Substring(0, 1) + "." + v.Authorization.Substring(2);
                rows.Add($"{v.Label}|{v.VolumeGroup}|{v.CatalogStatus}|{v.OwnerNode}|{v.OwnerUser}|{auth}|{v.LastBackup:o}|{v.Expiration:o}|{v.MediaKeyName}");
                foreach (var e in d.GetCatalogEntries(v.Label).Where(e => e.Catalog == CatalogKind.DsmTc))
                    rows.Add($"  {e.Kind}|{e.Pool}|{e.Sequence}|{e.Name}|{e.Generation}|{e.Status}|{e.Expiration:o}");
            }
            return rows;
        }

        [Fact]
        public void A_new_lab_is_in_step()
        {
            Assert.Equal(Picture(A, false), Picture(B, true));
            var st = A.GetExportStatus("DS01");
            Assert.Equal(ExportState.Active, st.State);
            Assert.Equal(SyncResult.Completed, st.LastFullExport!.Result);
            Assert.Empty(st.Pending);
            Assert.Equal(0, B.GetImportStatus("DS01").WaitingFiles);
        }

        [Fact]
        public void After_backups_export_and_import_make_the_secondary_equal_to_the_primary()
        {
            var written = A.RunBackups("DS01", 12, null, "t");
            Assert.Equal(12, written.Count);
            Assert.All(written, v => Assert.False(v.IsExpired));
            var st = A.GetExportStatus("DS01");
            Assert.Empty(st.Pending);                                   // sent as soon as the backup ended
            Assert.Equal(SyncResult.Completed, st.LastUpdate!.Result);
            Assert.Equal(0, st.LagSeconds);
            Assert.NotEqual(Picture(A, false), Picture(B, true));
            Assert.True(B.GetImportStatus("DS01").WaitingFiles >= 12);
            var run = B.StartImport("DS01", SyncType.Update, true, "t");
            Assert.Equal(SyncResult.Completed, run.Result);
            Assert.Equal(12, run.Volumes);
            Assert.Equal(Picture(A, false), Picture(B, true));
            Assert.Equal(0, B.GetImportStatus("DS01").WaitingFiles);
            // New keys reached the secondary site's key server too.
            Assert.All(written.Where(v => v.IsEncrypted), v => Assert.NotNull(v.MediaKeyName));
        }

        [Fact]
        public void Deletions_reach_the_secondary_only_through_a_full_import()
        {
            var gone = A.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).Take(5).Select(v => v.Label).ToList();
            A.RemoveVolumes(gone, new VolumeRemovalOptions()).ToList();
            A.StartExport("DS01", SyncType.Full, "t");
            B.StartImport("DS01", SyncType.Update, true, "t");
            Assert.Equal(5, B.CountVolumes(new VolumeQuery { Labels = gone.Select(BackPak.Core.Text.Labels.ParsePattern).ToList() }));
            var full = B.StartImport("DS01", SyncType.Full, true, "t");
            Assert.Equal(5, full.Deleted);
            Assert.Equal(0, B.CountVolumes(new VolumeQuery { Labels = gone.Select(BackPak.Core.Text.Labels.ParsePattern).ToList() }));
            Assert.All(gone, l => Assert.Empty(B.GetCatalogEntries(l)));
            Assert.Equal(Picture(A, false), Picture(B, true));
        }

        [Fact]
        public void A_TAPEVOLUME_with_no_BackPak_volume_linked_survives_a_full_import()
        {
            using (var c = LabDb.Open(LabLayout.DsmTcDb(_lab.Root, @"\B")))
                LabDb.Exec(c, "INSERT INTO tapevolume VALUES ('LOCAL1', '\\B.VCA01', 'DAILY', 'ASSIGNED', NULL, NULL)");
            B.StartImport("DS01", SyncType.Full, true, "t");
            Assert.Single(B.GetCatalogEntries("LOCAL1"));
        }

        [Fact]
        public void R10_one_failed_volume_makes_the_next_update_redo_all()
        {
            var written = A.RunBackups("DS01", 3, null, "t");
            _lab.AddFault(LabFaultKind.ImportFailure, written[1].Label);
            var r1 = B.StartImport("DS01", SyncType.Update, true, "t");
            Assert.Equal(SyncResult.Failed, r1.Result);
            Assert.Equal(new[] { written[1].Label }, r1.FailedVolumes);
            Assert.Equal(2, r1.Volumes);
            _lab.RemoveFault(LabFaultKind.ImportFailure, null);
            var r2 = B.StartImport("DS01", SyncType.Update, true, "t");
            Assert.Equal(SyncResult.Completed, r2.Result);
            Assert.Equal(3, r2.Volumes); // all of them again, not only the failed one
            Assert.Equal(Picture(A, false), Picture(B, true));
        }

        [Fact]
        public void R7_the_action_matrix()
        {
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => B.RunBackups("DS01", 1, null, "t")).ErrorId);
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => B.StartBackup("DS01", null, "t")).ErrorId);
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => B.StartExport("DS01", SyncType.Full, "t")).ErrorId);
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => A.StartImport("DS01", SyncType.Full, true, "t")).ErrorId);
        }

        [Fact]
        public void R12_an_inactive_store_takes_no_backup_and_no_automatic_export_but_operator_exports_work()
        {
            var pending = A.RunBackups("DS01", 2, null, "t");
            A.SetDataStore("DS01", new DataStoreSettings { Status = DataStoreStatus.Inactive }, "t");
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => A.RunBackups("DS01", 1, null, "t")).ErrorId);
            // Raise an update by hand (as a DSM/TC status change would) and see it wait.
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\A"))) A.RaiseExport(c, "DS01", new[] { pending[0].Label }, ExportReason.StatusChange);
            Assert.Single(A.GetExportStatus("DS01").Pending);
            var run = A.StartExport("DS01", SyncType.Update, "t");
            Assert.Equal(SyncResult.Completed, run.Result);
            Assert.Empty(A.GetExportStatus("DS01").Pending);
            Assert.Equal(SyncResult.Completed, B.StartImport("DS01", SyncType.Update, true, "t").Result);
        }

        [Fact]
        public void Staging_unreachable_keeps_updates_pending_and_the_retry_sends_them()
        {
            A.SetDataStore("DS01", new DataStoreSettings { ExportCheckDelay = TimeSpan.FromSeconds(1) }, "t");
            _lab.AddFault(LabFaultKind.StagingUnreachable, @"\B");
            var written = A.RunBackups("DS01", 4, null, "t");
            var st = A.GetExportStatus("DS01");
            Assert.False(st.StagingReachable);
            Assert.Equal(4, st.Pending.Count);
            Assert.All(st.Pending, p => Assert.True(p.RetryCount >= 1));
            Assert.All(st.Pending, p => Assert.Contains("Expand", p.LastError));
            Assert.Equal(SyncResult.Failed, st.LastUpdate!.Result);
            Assert.Equal(ErrorIds.StagingUnreachable, Assert.Throws<BackPakException>(() => A.StartExport("DS01", SyncType.Update, "t")).ErrorId);
            _lab.RemoveFault(LabFaultKind.StagingUnreachable, @"\B");
            Thread.Sleep(1100);
            Assert.Equal(4, A.RunDueWork());            // the EMS Extractor's retry
            Assert.Empty(A.GetExportStatus("DS01").Pending);
            B.StartImport("DS01", SyncType.Update, true, "t");
            Assert.Equal(Picture(A, false), Picture(B, true));
        }

        [Fact]
        public void Suspended_export_keeps_updates_and_resume_sends_them()
        {
            A.SetExportSuspended("DS01", true, "t");
            A.RunBackups("DS01", 3, null, "t");
            var st = A.GetExportStatus("DS01");
            Assert.Equal(ExportState.Suspended, st.State);
            Assert.Equal(3, st.Pending.Count);
            Assert.Equal(ErrorIds.ExportSuspended, Assert.Throws<BackPakException>(() => A.StartExport("DS01", SyncType.Full, "t")).ErrorId);
            A.SetExportSuspended("DS01", false, "t");
            Assert.Empty(A.GetExportStatus("DS01").Pending);
        }

        [Fact]
        public void R8_one_export_or_import_per_store_at_a_time()
        {
            using var me = System.Diagnostics.Process.GetCurrentProcess();
            var parent = me.Parent()!;
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\A")))
                LabDb.Exec(c, "INSERT INTO sync_lock VALUES ('DS01', 'Export', @h, @p, @s, 0)",
                    ("@h", Environment.MachineName), ("@p", parent.Id), ("@s", LabDb.ToUnixMs(parent.StartTime.ToUniversalTime())));
            Assert.Equal(ErrorIds.SyncInProgress, Assert.Throws<BackPakException>(() => A.StartExport("DS01", SyncType.Full, "t")).ErrorId);
            Assert.True(A.GetExportStatus("DS01").Running);
            // A lock left by a process that is gone is taken over.
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\A")))
                LabDb.Exec(c, "UPDATE sync_lock SET owner_pid = 999999");
            Assert.Equal(SyncResult.Completed, A.StartExport("DS01", SyncType.Full, "t").Result);
        }

        [Fact]
        public void The_full_export_frequency_turns_an_update_into_a_full_export()
        {
            A.SetDataStore("DS01", new DataStoreSettings { FullExportFrequency = TimeSpan.FromSeconds(1) }, "t");
            Thread.Sleep(1100);
            A.RunBackups("DS01", 1, null, "t");
            var st = A.GetExportStatus("DS01");
            Assert.True(st.LastFullExport!.Started > st.LastUpdate?.Started || st.LastUpdate == null);
            Assert.Equal(A.CountVolumes(new VolumeQuery { DataStore = "DS01" }), st.LastFullExport.Volumes);
        }

        [Fact]
        public void Node_replacement_rewrites_DISKFILE_names_and_CATALOGFILES_NO_leaves_them()
        {
            B.SetDataStore("DS01", new DataStoreSettings { NodeReplacements = new Dictionary<string, string> { [@"\A"] = @"\X" } }, "t");
            B.StartImport("DS01", SyncType.Full, true, "t");
            var v = B.GetVolumes(new VolumeQuery { VolumeGroup = "DAILY" }).First();
            Assert.All(B.GetCatalogEntries(v.Label).Where(e => e.Kind == CatalogEntryKind.DiskFile), e => Assert.StartsWith(@"\X.", e.Name));
            B.SetDataStore("DS01", new DataStoreSettings { NodeReplacements = new Dictionary<string, string>() }, "t");
            B.StartImport("DS01", SyncType.Full, false, "t");
            Assert.All(B.GetCatalogEntries(v.Label).Where(e => e.Kind == CatalogEntryKind.DiskFile), e => Assert.StartsWith(@"\X.", e.Name));
        }

        [Fact]
        public void R4_and_R6_are_checked_before_an_import()
        {
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\B")))
                LabDb.Exec(c, "UPDATE volume_group SET filecat = '\\B.FCDEFLT' WHERE name = 'DAILY'");
            B.SetDataStore("DS01", new DataStoreSettings { NodeReplacements = new Dictionary<string, string> { [@"\A"] = @"\X" } }, "t");
            Assert.Equal(ErrorIds.FileCatalogConflict, Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Full, true, "t")).ErrorId);
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\B")))
                LabDb.Exec(c, "UPDATE volume_group SET filecat = '\\B.NOSUCH' WHERE name = 'DAILY'");
            Assert.Equal(ErrorIds.CatalogNotFound, Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Full, true, "t")).ErrorId);
        }

        [Fact]
        public void A_cut_short_export_file_is_refused_and_changes_nothing()
        {
            string full = Path.Combine(_lab.Root, "nodes", "B", "staging", "BPSTAGE.DS01", "FULL.bpx");
            var lines = File.ReadAllLines(full);
            File.WriteAllLines(full, lines.Take(lines.Length / 2));
            var before = Picture(B, true);
            Assert.Equal(ErrorIds.ExportFileInvalid, Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Full, true, "t")).ErrorId);
            Assert.Equal(before, Picture(B, true));
        }

        [Fact]
        public void The_daily_batch_releases_expired_volumes_and_exports_the_status_change()
        {
            int n = A.RunDailyBatch("DS01", "t");
            Assert.True(n >= 0);
            var written = A.RunBackups("DS01", 2, null, "t");
            // Make them expire now and run the batch: their status change is exported and imported.
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\A")))
                foreach (var v in written) LabDb.Exec(c, "UPDATE volume SET expiration = 0 WHERE label = @l", ("@l", v.Label));
            Assert.Equal(2, A.RunDailyBatch("DS01", "t"));
            B.StartImport("DS01", SyncType.Update, true, "t");
            Assert.All(written, v => Assert.Equal("RELEASED", B.GetVolumes(new VolumeQuery { Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(v.Label) } }).Single().CatalogStatus));
        }

        [Fact]
        public void A_running_backup_blocks_its_volume_and_raises_an_export_when_it_ends()
        {
            var v = A.StartBackup("DS01", null, "t");
            Assert.True(v.IsBackupRunning);
            Assert.Equal(ErrorIds.VolumeBusy, A.RemoveVolumes(new[] { v.Label }, new VolumeRemovalOptions { IgnoreRetention = true }).Single().Error!.ErrorId);
            var done = A.StopBackup(v.Label, "t");
            Assert.False(done.IsBackupRunning);
            Assert.True(done.LastBackup > v.LastBackup);
            Assert.Equal(SyncResult.Completed, A.GetExportStatus("DS01").LastUpdate!.Result);
        }
    }
}
