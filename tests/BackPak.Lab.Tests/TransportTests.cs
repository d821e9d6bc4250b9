using System;
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
    /// <summary>
    /// Issue 14 item 5: the transport without Expand (Appendix A, CS p44) in the lab, through Core's CatalogTransport:
    /// the exports of \A go to an intermediate staging area on \A, the transport volume carries them to \B's storage,
    /// and \B restores them into its own staging area and imports. Each refusal changes nothing; an interrupted
    /// registration and an interrupted restore are finished by running them again.
    /// </summary>
    [Collection(nameof(TransportTests))] // BACKPAK_LAB_IO_FAULT_AT is process-wide: no other test may run meanwhile
    public class TransportTests : IDisposable
    {
        private const string Label = "XPT001", Group = "TRANSPORT", Intermediate = @"\A.$BPINT.DS01";
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;
        private readonly LabDomain _a, _b;

        public TransportTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 80, Seed = 71, TransportVolumeGroup = Group }).Path);
            _a = _lab.OpenDomain(@"\A");
            _b = _lab.OpenDomain(@"\B");
            _a.SetDataStore("DS01", new DataStoreSettings { StagingArea = Intermediate }, "t");
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(LabFaults.IoFaultVariable, null);
            _a.Dispose(); _b.Dispose();
            _t.Dispose();
        }

        private void RegisterBoth()
        {
            CatalogTransport.Register(_a, _a, "DS01", Label, Group, "t");
            CatalogTransport.Register(_b, _b, "DS01", Label, Group, "t");
        }

        private static BackPakException Refused(string id, Action a)
        {
            var e = Assert.Throws<BackPakException>(a);
            Assert.Equal(id, e.ErrorId);
            return e;
        }

        private string[] Labels(LabDomain d) => d.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Select(v => v.Label).OrderBy(l => l, StringComparer.Ordinal).ToArray();

        private string BStaging => LabLayout.StagingDirFromGuardian(_lab.Root, @"\B.$BPSTAGE.DS01");

        [Fact]
        public void A_full_cycle_brings_the_primary_catalog_to_the_secondary_without_the_secondary_staging_area_being_written_by_the_export()
        {
            RegisterBoth();
            Assert.Equal(DomainAccess.Secondary, _b.GetDataStores("DS01").Single().DomainAccess);
            var added = _a.RunBackups("DS01", 3, null, "t", newVolumes: true).Select(v => v.Label).ToList();
            var before = File.GetLastWriteTimeUtc(Path.Combine(BStaging, "FULL.bpx"));
            Assert.Equal(SyncResult.Completed, _a.StartExport("DS01", SyncType.Full, "t").Result);
            Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(BStaging, "FULL.bpx"))); // the export went to \A's intermediate area only

            var a = CatalogTransport.BackUp(_a, _a, "DS01", false, "t");
            Assert.Equal(TransportState.Current, a.State);
            Assert.Equal(TransportState.Arrived, CatalogTransport.Current(_b, _b, "DS01")!.State);
            var b = CatalogTransport.Restore(_b, _b, "DS01", false, "t");
            Assert.Equal(TransportState.Restored, b.State);
            Assert.Equal(SyncType.Full, b.ImportType);
            Assert.Equal(SyncResult.Completed, _b.StartImport("DS01", SyncType.Full, true, "t").Result);
            Assert.Equal(TransportState.Waiting, CatalogTransport.Current(_b, _b, "DS01")!.State); // imported: nothing to do until the next image

            // The new volumes arrived; the transport volume is on both sides and was never exported (the FULL import kept it).
            Assert.Equal(Labels(_a), Labels(_b));
            Assert.All(added, l => Assert.Contains(l, Labels(_b)));
            Assert.Contains(Label, Labels(_b));
            Assert.DoesNotContain(Label, File.ReadAllText(Path.Combine(LabLayout.StagingDirFromGuardian(_lab.Root, Intermediate), "FULL.bpx")));
        }

        [Fact]
        public void A_partial_backup_carries_a_backup_window_s_exports_and_the_secondary_imports_them_as_an_update()
        {
            RegisterBoth();
            _a.StartExport("DS01", SyncType.Full, "t");
            CatalogTransport.BackUp(_a, _a, "DS01", false, "t");
            CatalogTransport.Restore(_b, _b, "DS01", false, "t");
            _b.StartImport("DS01", SyncType.Full, true, "t");

            var written = _a.RunBackups("DS01", 2, null, "t", newVolumes: true).ToDictionary(v => v.Label);
            Assert.Equal(TransportState.Behind, CatalogTransport.Current(_a, _a, "DS01")!.State);
            var a = CatalogTransport.BackUp(_a, _a, "DS01", true, "t");
            Assert.Equal(TransportBackupKind.Partial, a.LastBackup!.Kind);
            Assert.Equal(2, a.LastBackup.Files);
            var b = CatalogTransport.Restore(_b, _b, "DS01", false, "t");
            Assert.Equal(SyncType.Update, b.ImportType);
            Assert.Equal(SyncResult.Completed, _b.StartImport("DS01", SyncType.Update, true, "t").Result);
            foreach (var v in _b.GetVolumes(new VolumeQuery { Labels = written.Keys.Select(BackPak.Core.Text.Labels.ParsePattern).ToList() }))
                Assert.Equal(written[v.Label].LastBackup, v.LastBackup);
        }

        [Fact]
        public void Each_refusal_changes_nothing()
        {
            // A group linked to DSM/TC, then a label in use, at the primary.
            var used = Labels(_a).First();
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.Register(_a, _a, "DS01", Label, "DAILY", "t"));
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.Register(_a, _a, "DS01", used, Group, "t"));
            Refused(ErrorIds.VolumeGroupNotFound, () => CatalogTransport.Register(_a, _a, "DS01", Label, "NOSUCH", "t"));
            Assert.Null(_a.GetTransport("DS01"));
            // Nothing registered: no backup, no restore.
            Refused(ErrorIds.TransportVolumeNotFound, () => CatalogTransport.BackUp(_a, _a, "DS01", false, "t"));

            RegisterBoth();
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.Register(_a, _a, "DS01", "XPT002", Group, "t")); // one per store
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.BackUp(_b, _b, "DS01", false, "t"));            // the wrong side
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.Restore(_a, _a, "DS01", false, "t"));           // the wrong side
            Refused(ErrorIds.TransportNotArrived, () => CatalogTransport.Restore(_b, _b, "DS01", false, "t"));        // nothing written yet
            _a.StartExport("DS01", SyncType.Full, "t");
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.BackUp(_a, _a, "DS01", true, "t"));             // a partial before any whole backup
            CatalogTransport.BackUp(_a, _a, "DS01", false, "t");
            _a.RunBackups("DS01", 1, null, "t", newVolumes: true);
            CatalogTransport.BackUp(_a, _a, "DS01", true, "t");
            // \B never restored the whole backup the partial one follows.
            var stagingBefore = Directory.GetFiles(BStaging).Select(f => f + File.GetLastWriteTimeUtc(f).Ticks).OrderBy(x => x).ToList();
            Refused(ErrorIds.TransportIncomplete, () => CatalogTransport.Restore(_b, _b, "DS01", false, "t"));
            Assert.Equal(stagingBefore, Directory.GetFiles(BStaging).Select(f => f + File.GetLastWriteTimeUtc(f).Ticks).OrderBy(x => x).ToList());
            Assert.Null(_b.GetTransport("DS01")!.LastRestore);
            // After a new FULL export, a partial backup would leave it behind.
            _a.StartExport("DS01", SyncType.Full, "t");
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.BackUp(_a, _a, "DS01", true, "t"));
            Assert.Equal(TransportBackupKind.Partial, _a.GetTransport("DS01")!.LastBackup!.Kind);
        }

        [Fact]
        public void The_same_image_is_not_restored_twice_unless_forced()
        {
            RegisterBoth();
            _a.StartExport("DS01", SyncType.Full, "t");
            CatalogTransport.BackUp(_a, _a, "DS01", false, "t");
            var first = CatalogTransport.Restore(_b, _b, "DS01", false, "t");
            Refused(ErrorIds.TransportNotArrived, () => CatalogTransport.Restore(_b, _b, "DS01", false, "t"));
            var again = CatalogTransport.Restore(_b, _b, "DS01", true, "t");
            Assert.Equal(first.LastRestore!.Written, again.LastRestore!.Written);
        }

        [Fact]
        public void An_interrupted_registration_at_the_secondary_leaves_it_restricted_and_is_finished_by_running_it_again()
        {
            CatalogTransport.Register(_a, _a, "DS01", Label, Group, "t");
            Environment.SetEnvironmentVariable(LabFaults.IoFaultVariable, "transport.register.restricted");
            Assert.Throws<BackPakException>(() => CatalogTransport.Register(_b, _b, "DS01", Label, Group, "t"));
            Environment.SetEnvironmentVariable(LabFaults.IoFaultVariable, null);
            Assert.Equal(DomainAccess.Restricted, _b.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal(TransportState.Registering, CatalogTransport.Current(_b, _b, "DS01")!.State);
            // Nothing else uses the store meanwhile: a restore is refused until the registration is finished.
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.Restore(_b, _b, "DS01", false, "t"));

            var done = CatalogTransport.Register(_b, _b, "DS01", Label, Group, "t");
            Assert.Equal(TransportState.Empty, done.State);
            Assert.Equal(DomainAccess.Secondary, _b.GetDataStores("DS01").Single().DomainAccess);
            Assert.Contains(Label, Labels(_b));
        }

        [Fact]
        public void An_interrupted_restore_refuses_the_import_until_it_is_run_again()
        {
            RegisterBoth();
            _a.RunBackups("DS01", 2, null, "t", newVolumes: true);
            _a.StartExport("DS01", SyncType.Full, "t");
            CatalogTransport.BackUp(_a, _a, "DS01", false, "t");
            CatalogTransport.Restore(_b, _b, "DS01", false, "t");
            _b.StartImport("DS01", SyncType.Full, true, "t");
            _a.RunBackups("DS01", 3, null, "t", newVolumes: true);
            CatalogTransport.BackUp(_a, _a, "DS01", true, "t");

            Environment.SetEnvironmentVariable(LabFaults.IoFaultVariable, "transport.restore.between-files");
            Assert.Throws<BackPakException>(() => CatalogTransport.Restore(_b, _b, "DS01", false, "t"));
            Environment.SetEnvironmentVariable(LabFaults.IoFaultVariable, null);
            Refused(ErrorIds.TransportRestoreUnfinished, () => _b.StartImport("DS01", SyncType.Update, true, "t"));
            Assert.Equal(TransportState.Arrived, CatalogTransport.Current(_b, _b, "DS01")!.State);

            CatalogTransport.Restore(_b, _b, "DS01", false, "t"); // no -Force needed: the restore was not finished
            Assert.Equal(SyncResult.Completed, _b.StartImport("DS01", SyncType.Update, true, "t").Result);
            Assert.Equal(Labels(_a), Labels(_b));
        }

        [Fact]
        public void An_image_whose_data_does_not_match_its_index_is_not_restored()
        {
            RegisterBoth();
            _a.StartExport("DS01", SyncType.Full, "t");
            CatalogTransport.BackUp(_a, _a, "DS01", false, "t");
            string dat = Path.Combine(_lab.Root, "sites", "SITEB", "storage", "DS01", "LB" + Label + ".DAT");
            var bytes = File.ReadAllBytes(dat);
            bytes[bytes.Length / 2] ^= 0x55;
            File.WriteAllBytes(dat, bytes);
            var before = File.ReadAllBytes(Path.Combine(BStaging, "FULL.bpx"));
            Refused(ErrorIds.TransportNotArrived, () => CatalogTransport.Restore(_b, _b, "DS01", false, "t"));
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(BStaging, "FULL.bpx")));
            Assert.False(_b.GetTransport("DS01")!.RestorePending);
        }

        [Fact]
        public void A_transport_volume_removed_from_the_catalog_refuses_the_backup_and_may_be_replaced_by_a_new_label()
        {
            RegisterBoth();
            _a.StartExport("DS01", SyncType.Full, "t");
            _a.RemoveVolumes(new[] { Label }, new BackPak.Core.Removal.VolumeRemovalOptions { IgnoreRetention = true, User = "t" }).ToList();
            Assert.DoesNotContain(Label, Labels(_a));
            Refused(ErrorIds.TransportRefused, () => CatalogTransport.BackUp(_a, _a, "DS01", false, "t"));
            var replaced = CatalogTransport.Register(_a, _a, "DS01", "XPT002", Group, "t");
            Assert.Equal("XPT002", replaced.Label);
            Assert.Equal(TransportState.Current, CatalogTransport.BackUp(_a, _a, "DS01", false, "t").State);
        }

        [Fact]
        public void A_lab_without_the_option_has_no_transport_group_and_the_group_name_must_be_new()
        {
            using var t = new TempDir();
            var e = Assert.Throws<BackPakException>(() => LabBuilder.Create(new LabOptions { Path = Path.Combine(t.Path, "lab"), VolumeCount = 20, TransportVolumeGroup = "LOCALA" }));
            Assert.Equal(ErrorIds.InvalidName, e.ErrorId);
            Assert.Contains(_b.GetVolumeGroups("DS01"), g => g.Name == Group && g.CatalogKind == CatalogKind.None && g.VolumeCount == 0);
        }
    }

    [CollectionDefinition(nameof(TransportTests), DisableParallelization = true)]
    public sealed class TransportCollection { }
}
