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
    /// The recovery test at the secondary (Core's RecoveryTest against the lab): it passes on a lab in step, and each
    /// planted fault makes exactly its own check fail.
    /// </summary>
    public class RecoveryTestTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;
        private readonly LabDomain _a, _b;
        private readonly LabKeyStore _keys;

        public RecoveryTestTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 200, Seed = 61, Encrypted = true }).Path);
            _a = _lab.OpenDomain(@"\A");
            _b = _lab.OpenDomain(@"\B");
            _keys = _lab.OpenKeyStore(@"\B");
            Assert.Equal(SyncResult.Completed, _a.StartExport("DS01", SyncType.Full, "t").Result);
            Assert.Equal(SyncResult.Completed, _b.StartImport("DS01", SyncType.Full, true, "t").Result);
        }

        public void Dispose()
        {
            _keys.Dispose(); _a.Dispose(); _b.Dispose();
            _t.Dispose();
        }

        private IReadOnlyList<RecoveryCheck> Test(IDomainReader? primary = null, bool noPrimary = false, int sample = RecoveryTest.DefaultSampleSize, IDomainReader? secondary = null) =>
            RecoveryTest.Test(new RecoveryTestContext
            {
                DataStore = "DS01", Secondary = secondary ?? _b, Primary = noPrimary ? null : primary ?? _a, PrimaryProblem = noPrimary ? "not connected in the test" : null,
                KeyServers = new IKeyManager[] { _keys }, SampleSize = sample,
            });

        private static List<string> Failed(IReadOnlyList<RecoveryCheck> checks) => checks.Where(c => !c.Passed).Select(c => c.Name).ToList();

        private string Replica(string label, string ext) => Path.Combine(_lab.Root, "sites", "SITEB", "storage", "DS01", "LB" + label + "." + ext);

        /// <summary>A written volume of the secondary's copy that the default sample does not read (the sample starts at the first).</summary>
        private Volume Unsampled(Func<Volume, bool>? where = null)
        {
            var written = _b.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Where(v => v.CatalogStatus != "SCRATCH").ToList();
            int n = Math.Min(RecoveryTest.DefaultSampleSize, written.Count);
            var sampled = new HashSet<int>(Enumerable.Range(0, n).Select(i => (int)((long)i * written.Count / n)));
            return written.Where((v, i) => !sampled.Contains(i) && (where == null || where(v))).First();
        }

        /// <summary>Replaces a replica file by a new one (the replica may be a hard link to the primary's image).</summary>
        private static void Rewrite(string path, byte[] bytes)
        {
            File.Delete(path);
            File.WriteAllBytes(path, bytes);
        }

        [Fact]
        public void A_secondary_in_step_passes_every_check_and_nothing_changes()
        {
            var before = _b.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Select(v => v.Label + v.LastUpdate).ToList();
            var checks = Test();
            Assert.Empty(Failed(checks));
            Assert.Equal(new[] { "secondary store", "last import current", "replicas present", "replica size and timestamp", "encryption keys at the secondary",
                "DSM/TC entries", "sample restores read back", "staging space" }, checks.Select(c => c.Name));
            Assert.All(checks, c => Assert.Equal(@"\B", c.Node));
            Assert.All(checks, c => Assert.False(string.IsNullOrEmpty(c.Source)));
            Assert.StartsWith("inferred", checks.Single(c => c.Name == "sample restores read back").Source);
            Assert.Equal(before, _b.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Select(v => v.Label + v.LastUpdate).ToList());
            Assert.DoesNotContain(checks, c => c.Name == "sample restores read back" && !c.Detail.Contains("5 sampled"));
            Assert.DoesNotContain(Test(sample: 0), c => c.Name == "sample restores read back");
        }

        [Fact]
        public void A_stale_import_fails_only_its_check_and_says_how_far_behind()
        {
            _lab.FreezeClock(_lab.Now.AddMinutes(90));
            Assert.Equal(SyncResult.Completed, _a.StartExport("DS01", SyncType.Full, "t").Result);
            var checks = Test();
            Assert.Equal(new[] { "last import current" }, Failed(checks));
            Assert.Contains("behind the last export from \\A", checks.Single(c => c.Name == "last import current").Detail);
        }

        [Fact]
        public void A_missing_replica_fails_only_its_check()
        {
            var v = Unsampled();
            File.Delete(Replica(v.Label, "DAT"));
            var checks = Test();
            Assert.Equal(new[] { "replicas present" }, Failed(checks));
            Assert.Contains(v.Label + " (no data file)", checks.Single(c => c.Name == "replicas present").Detail);
        }

        [Fact]
        public void A_replica_with_another_timestamp_fails_only_the_timestamp_check()
        {
            var v = Unsampled();
            string ind = File.ReadAllText(Replica(v.Label, "IND"));
            string stamp = ind.Split('\n').Single(l => l.StartsWith("TIMESTAMP=", StringComparison.Ordinal));
            Rewrite(Replica(v.Label, "IND"), Encoding.ASCII.GetBytes(ind.Replace(stamp, "TIMESTAMP=2001-01-01T00:00:00Z")));
            var checks = Test();
            Assert.Equal(new[] { "replica size and timestamp" }, Failed(checks));
            Assert.Contains(v.Label + " (catalog", checks.Single(c => c.Name == "replica size and timestamp").Detail);
        }

        [Fact]
        public void A_replica_of_the_wrong_size_fails_only_the_size_check()
        {
            var v = Unsampled();
            var bytes = File.ReadAllBytes(Replica(v.Label, "DAT"));
            Rewrite(Replica(v.Label, "DAT"), bytes.Take(bytes.Length / 2).ToArray());
            var checks = Test();
            Assert.Equal(new[] { "replica size and timestamp" }, Failed(checks));
            Assert.Contains($"{v.Label} ({bytes.Length / 2} bytes", checks.Single(c => c.Name == "replica size and timestamp").Detail);
        }

        [Fact]
        public void A_key_missing_at_the_secondary_site_fails_only_the_key_check()
        {
            var v = Unsampled(x => x.MediaKeyName != null);
            using (var c = LabDb.Open(LabLayout.KeyDb(_lab.Root, "SITEB")))
                Assert.Equal(1, LabDb.Exec(c, "DELETE FROM key WHERE name = @n", ("@n", v.MediaKeyName)));
            var checks = Test();
            Assert.Equal(new[] { "encryption keys at the secondary" }, Failed(checks));
            Assert.Contains($"{v.Label} ({v.MediaKeyName})", checks.Single(c => c.Name == "encryption keys at the secondary").Detail);
        }

        [Fact]
        public void A_tape_catalog_entry_missing_at_the_secondary_fails_only_the_catalog_check()
        {
            var v = Unsampled(x => _b.GetCatalogEntries(x.Label).Any(e => e.Kind == CatalogEntryKind.TapeFile));
            using (var c = LabDb.Open(LabLayout.DsmTcDb(_lab.Root, @"\B")))
                Assert.True(LabDb.Exec(c, "DELETE FROM tapefile WHERE label = @l", ("@l", v.Label)) > 0);
            var checks = Test();
            Assert.Equal(new[] { "DSM/TC entries" }, Failed(checks));
            Assert.Contains(v.Label, checks.Single(c => c.Name == "DSM/TC entries").Detail);
        }

        [Fact]
        public void A_sampled_image_whose_index_names_another_label_fails_the_sample()
        {
            var first = _b.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First(v => v.CatalogStatus != "SCRATCH");
            string ind = File.ReadAllText(Replica(first.Label, "IND"));
            Rewrite(Replica(first.Label, "IND"), Encoding.ASCII.GetBytes(ind.Replace("LABEL=" + first.Label, "LABEL=ZZZZZZ")));
            var checks = Test();
            Assert.Equal(new[] { "sample restores read back" }, Failed(checks));
            Assert.Contains(first.Label + " (its index names ZZZZZZ)", checks.Single(c => c.Name == "sample restores read back").Detail);
        }

        [Fact]
        public void Without_the_primary_the_comparisons_say_they_could_not_be_made_and_do_not_pass()
        {
            var checks = Test(noPrimary: true);
            Assert.Equal(new[] { "last import current", "DSM/TC entries" }, Failed(checks));
            Assert.StartsWith("could not compare", checks.Single(c => c.Name == "last import current").Detail);
            Assert.Contains("not connected in the test", checks.Single(c => c.Name == "last import current").Detail);
        }

        [Fact]
        public void A_provider_without_the_recovery_reads_gets_could_not_check_never_a_pass()
        {
            using var reader = new ReaderOnly(_b);
            var checks = Test(secondary: reader);
            foreach (var name in new[] { "last import current", "replicas present", "replica size and timestamp", "sample restores read back", "staging space" })
            {
                var c = checks.Single(x => x.Name == name);
                Assert.False(c.Passed);
                Assert.StartsWith("could not check: the Lab provider does not offer", c.Detail);
            }
        }

        [Fact]
        public void The_primary_side_is_refused_and_nothing_is_checked()
        {
            var e = Assert.Throws<BackPakException>(() => RecoveryTest.Test(new RecoveryTestContext { DataStore = "DS01", Secondary = _a, Primary = _b }));
            Assert.Equal(ErrorIds.RecoveryNotSecondary, e.ErrorId);
            Assert.True(e.StopsInvocation);
            Assert.Equal(@"\A", RecoveryTest.PrimaryNodeOf(_b, "DS01", out var problem));
            Assert.Null(problem);
        }

        [Fact]
        public void Records_are_kept_whole_and_listed_newest_first()
        {
            var checks = Test();
            var first = RecoveryTest.Record(checks, "DS01", @"\B", "alice", _lab.Now, "quarterly test");
            _b.SaveRecoveryTest(first);
            _lab.FreezeClock(_lab.Now.AddMinutes(5));
            File.Delete(Replica(Unsampled().Label, "DAT"));
            var second = RecoveryTest.Record(Test(), "DS01", @"\B", "bob", _lab.Now, null);
            _a.SaveRecoveryTest(second); // one place for the estate, whichever node writes it
            var listed = RecoveryTest.List(_b.GetRecoveryTests(), "ds01", @"\B", null);
            Assert.Equal(new[] { second.Id, first.Id }, listed.Select(r => r.Id));
            Assert.True(listed[1].Passed);
            Assert.Equal("quarterly test", listed[1].Note);
            Assert.Equal(checks.Count, listed[1].Checks.Count);
            Assert.False(listed[0].Passed);
            Assert.Equal(1, listed[0].Failed);
            Assert.Equal(new[] { second.Id }, RecoveryTest.List(_b.GetRecoveryTests(), null, null, 1).Select(r => r.Id));
            Assert.Empty(RecoveryTest.List(_b.GetRecoveryTests(), "DS02", null, null));

            // A write the disk refuses keeps nothing, not even a part.
            Environment.SetEnvironmentVariable("BACKPAK_LAB_IO_FAULT_AT", "recovery.save");
            try
            {
                var e = Assert.Throws<BackPakException>(() => _b.SaveRecoveryTest(RecoveryTest.Record(checks, "DS01", @"\B", "carol", _lab.Now, null)));
                Assert.Equal(ErrorIds.RecoveryTestRecordFailed, e.ErrorId);
            }
            finally { Environment.SetEnvironmentVariable("BACKPAK_LAB_IO_FAULT_AT", null); }
            Assert.Equal(2, _b.GetRecoveryTests().Count);
            Assert.Equal(2, Directory.GetFiles(Path.Combine(_lab.Root, "recovery-tests")).Length);
            Assert.Throws<BackPakException>(() => _b.SaveRecoveryTest(first)); // a record is never replaced
        }

        /// <summary>A provider that only reads the catalog: no Catalog Sync, no site reads.</summary>
        private sealed class ReaderOnly : IDomainReader
        {
            private readonly IDomainReader _d;
            public ReaderOnly(IDomainReader d) { _d = d; }
            public string Node => _d.Node;
            public string DomainId => _d.DomainId;
            public string Provider => _d.Provider;
            public string Location => _d.Location;
            public DomainIdentity Identity => _d.Identity;
            public DateTime Now => _d.Now;
            public IReadOnlyList<DataStore> GetDataStores(string? name = null) => _d.GetDataStores(name);
            public IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null) => _d.GetVolumeGroups(dataStore, name);
            public IEnumerable<Volume> GetVolumes(VolumeQuery query) => _d.GetVolumes(query);
            public long CountVolumes(VolumeQuery query) => _d.CountVolumes(query);
            public IEnumerable<CatalogEntry> GetCatalogEntries(string label) => _d.GetCatalogEntries(label);
            public void Dispose() { }
        }
    }
}
