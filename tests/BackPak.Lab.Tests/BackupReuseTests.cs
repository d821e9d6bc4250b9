using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// Issue 10: the lab's backups reuse only expired or scratch volumes, as tape applications do (BB p15/13);
    /// `Invoke-BPLabBackup -Count 30` once rewrote 13 of 15 volumes that still held unexpired data.
    /// </summary>
    public class BackupReuseTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;

        public BackupReuseTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 60, Seed = 61, Encrypted = true }).Path);
        }

        public void Dispose() => _t.Dispose();

        private LabDomain A => _lab.OpenDomain(@"\A");
        private LabDomain B => _lab.OpenDomain(@"\B");

        private static List<Volume> Store(LabDomain d, string store) => d.GetVolumes(new VolumeQuery { DataStore = store }).ToList();

        /// <summary>What a backup may take: idle, unlocked, and scratch or expired.</summary>
        private static List<string> Free(LabDomain d, string store) =>
            Store(d, store).Where(v => v.CurrentOperation == null && !v.Locked && (v.CatalogStatus == "SCRATCH" || v.IsExpired)).Select(v => v.Label).ToList();

        private static string Picture(List<Volume> vs) =>
            string.Join("\n", vs.OrderBy(v => v.Label).Select(v => $"{v.Label} {v.LastBackup:o} {v.Expiration:o} {v.CatalogStatus} {v.MediaKeyName}"));

        [Fact]
        public void A_backup_window_writes_only_expired_or_scratch_volumes_and_never_one_holding_unexpired_data()
        {
            using var a = A;
            var before = Store(a, "DS01");
            var free = Free(a, "DS01");
            Assert.InRange(free.Count, 5, before.Count - 5); // the lab holds both kinds, so the test can fail

            var written = a.RunBackups("DS01", free.Count, null, "t");

            Assert.Equal(free.OrderBy(l => l), written.Select(v => v.Label).OrderBy(l => l));
            var unexpired = before.Where(v => !free.Contains(v.Label)).ToList();
            var now = Store(a, "DS01").Where(v => unexpired.Any(u => u.Label == v.Label)).ToList();
            Assert.Equal(Picture(unexpired), Picture(now)); // not one of them rewritten
        }

        [Fact]
        public void More_backups_than_free_volumes_write_nothing_and_say_so()
        {
            using var a = A;
            var before = Picture(Store(a, "DS01"));
            int free = Free(a, "DS01").Count;

            var e = Assert.Throws<BackPakException>(() => a.RunBackups("DS01", free + 3, null, "t"));

            Assert.Equal(ErrorIds.NoScratchVolume, e.ErrorId);
            Assert.Equal(BackPakErrorCategory.ResourceUnavailable, e.Category);
            Assert.Contains($"{free} expired or scratch volume(s) free for {free + 3} backup(s)", e.Message);
            Assert.Contains("-NewVolume", e.RecommendedAction);
            Assert.Equal(before, Picture(Store(a, "DS01")));
            Assert.Empty(a.GetExportStatus("DS01").Pending);
        }

        [Fact]
        public void A_started_backup_on_a_store_takes_a_free_volume_and_refuses_when_none_is_left()
        {
            using var a = A;
            var free = Free(a, "DS02");
            Assert.NotEmpty(free);
            a.RunBackups("DS02", free.Count - 1, null, "t");
            var last = Assert.Single(Free(a, "DS02"));

            Assert.Equal(last, a.StartBackup("DS02", null, "t").Label);

            var e = Assert.Throws<BackPakException>(() => a.StartBackup("DS02", null, "t"));
            Assert.Equal(ErrorIds.NoScratchVolume, e.ErrorId);
            Assert.DoesNotContain(Store(a, "DS02"), v => v.IsBackupRunning && v.Label != last);
        }

        [Fact]
        public void A_backup_whose_storage_cannot_be_written_ends_its_load_and_the_volume_stays_free()
        {
            using var a = A;
            var free = Free(a, "DS02");
            string dir = LabLayout.StorageDir(_lab.Root, "SITEA", "DS02");
            Directory.Delete(dir, true);
            File.WriteAllText(dir, "a file where the storage folder should be");

            Assert.Throws<BackPakException>(() => a.RunBackups("DS02", 1, null, "t"));

            Assert.DoesNotContain(Store(a, "DS02"), v => v.IsBackupRunning);
            Assert.Equal(free, Free(a, "DS02"));
        }

        [Fact]
        public void NewVolume_adds_scratch_volumes_to_the_pool_writes_them_and_the_secondary_gets_them()
        {
            using var a = A;
            using var b = B;
            var before = Store(a, "DS01");
            var free = Free(a, "DS01");
            var labelsEverywhere = before.Select(v => v.Label).Concat(Store(a, "DS02").Concat(Store(b, "DS03")).Select(v => v.Label)).ToHashSet();

            var written = a.RunBackups("DS01", free.Count + 4, null, "t", newVolumes: true);

            Assert.Equal(free.Count + 4, written.Count);
            var added = written.Where(v => !before.Any(o => o.Label == v.Label)).ToList();
            Assert.Equal(4, added.Count);
            Assert.All(added, v => Assert.DoesNotContain(v.Label, labelsEverywhere)); // R1
            var group = a.GetVolumeGroups("DS01").OrderByDescending(g => g.VolumeCount).First();
            Assert.All(added, v =>
            {
                Assert.Equal(group.Name, v.VolumeGroup);
                Assert.Equal("ASSIGNED", v.CatalogStatus);
                Assert.False(v.IsExpired);
                var tv = Assert.Single(a.GetCatalogEntries(v.Label), x => x.Kind == CatalogEntryKind.TapeVolume);
                Assert.Equal(group.Pool, tv.Pool);
                string dir = LabLayout.StorageDir(_lab.Root, "SITEA", "DS01");
                Assert.True(File.Exists(Path.Combine(dir, "LB" + v.Label + ".IND")), "storage written for " + v.Label);
            });
            var unexpired = before.Where(v => !free.Contains(v.Label)).ToList();
            Assert.Equal(Picture(unexpired), Picture(Store(a, "DS01").Where(v => unexpired.Any(u => u.Label == v.Label)).ToList()));

            // The creation and the write went out as export updates: the next import brings the new volumes to \B.
            Assert.Empty(a.GetExportStatus("DS01").Pending);
            Assert.Equal(SyncResult.Completed, b.StartImport("DS01", SyncType.Update, true, "t").Result);
            Assert.All(added, v => Assert.Contains(Store(b, "DS01"), s => s.Label == v.Label && s.Expiration == v.Expiration));
        }
    }
}
