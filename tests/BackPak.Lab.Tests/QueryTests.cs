using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>Every filter pushed into the store answers exactly what the same filter over the full list does.</summary>
    public class QueryTests : IClassFixture<LabFixture>
    {
        private readonly LabFixture _f;
        public QueryTests(LabFixture f) { _f = f; }

        private LabDomain A() => Lab.Open(_f.Encrypted.Path).OpenDomain(@"\A");

        private static void Same(IEnumerable<Volume> expected, IEnumerable<Volume> actual) =>
            Assert.Equal(expected.Select(v => v.Label).ToList(), actual.Select(v => v.Label).ToList());

        [Fact]
        public void Volumes_stream_in_label_order()
        {
            using var d = A();
            var labels = d.GetVolumes(new VolumeQuery()).Select(v => v.Label).ToList();
            Assert.Equal(labels.OrderBy(l => l, StringComparer.Ordinal), labels);
        }

        [Theory]
        [InlineData("A*")]
        [InlineData("*9")]
        [InlineData("?A*")]
        [InlineData("[A-C]*")]
        [InlineData("*")]
        public void Label_wildcards(string pattern)
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var q = new VolumeQuery { Labels = new[] { Labels.ParsePattern(pattern) } };
            var expected = all.Where(v => Wildcard.Matches(pattern, v.Label)).ToList();
            Assert.NotEmpty(expected);
            Same(expected, d.GetVolumes(q));
            Assert.Equal(expected.Count, d.CountVolumes(q));
        }

        [Fact]
        public void Several_labels_at_once()
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var pick = new[] { all[3].Label, all[10].Label.ToLowerInvariant(), all[77].Label };
            Same(new[] { all[3], all[10], all[77] }, d.GetVolumes(new VolumeQuery { Labels = pick.Select(Labels.ParsePattern).ToList() }));
        }

        [Theory]
        [InlineData("DS01", null)]
        [InlineData("ds02", null)]
        [InlineData(null, "DAILY")]
        [InlineData("DS01", "TMFDUMPS")]
        public void Data_store_and_volume_group(string? store, string? group)
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var expected = all.Where(v => (store == null || string.Equals(v.DataStore, store, StringComparison.OrdinalIgnoreCase))
                                       && (group == null || v.VolumeGroup == group)).ToList();
            Assert.NotEmpty(expected);
            Same(expected, d.GetVolumes(new VolumeQuery { DataStore = store, VolumeGroup = group }));
        }

        [Fact]
        public void Expired_and_not_expired_partition_the_volumes()
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var expired = d.GetVolumes(new VolumeQuery { Expired = true }).ToList();
            var live = d.GetVolumes(new VolumeQuery { Expired = false }).ToList();
            Assert.NotEmpty(expired);
            Assert.NotEmpty(live);
            Same(all.Where(v => v.IsExpired), expired);
            Same(all.Where(v => !v.IsExpired), live);
            Assert.All(expired, v => Assert.True(v.Expiration <= d.Now));
            Assert.All(live, v => Assert.True(v.Expiration > d.Now));
        }

        [Fact]
        public void Encrypted_and_Media_Key_Name()
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            Same(all.Where(v => v.IsEncrypted), d.GetVolumes(new VolumeQuery { Encrypted = true }));
            Same(all.Where(v => !v.IsEncrypted), d.GetVolumes(new VolumeQuery { Encrypted = false }));
            var one = all.First(v => v.IsEncrypted);
            Same(new[] { one }, d.GetVolumes(new VolumeQuery { MediaKeyName = one.MediaKeyName }));
        }

        [Fact]
        public void Filters_combine()
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var q = new VolumeQuery { Labels = new[] { Labels.ParsePattern("*[0-9]") }, DataStore = "DS01", Expired = false, Encrypted = true };
            var expected = all.Where(v => char.IsDigit(v.Label[5]) && v.DataStore == "DS01" && !v.IsExpired && v.IsEncrypted).ToList();
            Same(expected, d.GetVolumes(q));
            Assert.Equal(expected.Count, d.CountVolumes(q));
        }

        [Fact]
        public void Stopping_early_releases_the_store()
        {
            using var d = A();
            foreach (var _ in d.GetVolumes(new VolumeQuery())) break;
            // The reader was disposed with the enumerator: a writer gets the store at once.
            using var c = LabDb.Open(LabLayout.BackPakDb(_f.Encrypted.Path, @"\A"));
            LabDb.Exec(c, "BEGIN IMMEDIATE; ROLLBACK;");
        }

        [Fact]
        public void Unknown_data_store_or_group_fails_before_streaming()
        {
            using var d = A();
            Assert.Equal(ErrorIds.DataStoreNotFound, Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { DataStore = "NOPE" })).ErrorId);
            Assert.Equal(ErrorIds.VolumeGroupNotFound, Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { VolumeGroup = "NOPE" })).ErrorId);
            // A group that exists, but in another data store.
            var e = Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { DataStore = "DS02", VolumeGroup = "DAILY" }));
            Assert.Equal(ErrorIds.VolumeGroupNotFound, e.ErrorId);
            Assert.Contains("DS01", e.Message);
            Assert.Equal(ErrorIds.DataStoreNotFound, Assert.Throws<BackPakException>(() => d.GetVolumeGroups("NOPE")).ErrorId);
        }

        [Fact]
        public void Data_stores_and_groups_carry_their_counts()
        {
            using var d = A();
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            foreach (var s in d.GetDataStores()) Assert.Equal(all.Count(v => v.DataStore == s.Name), s.VolumeCount);
            foreach (var g in d.GetVolumeGroups()) Assert.Equal(all.Count(v => v.VolumeGroup == g.Name), g.VolumeCount);
            Assert.Single(d.GetDataStores("ds01"));
            Assert.Empty(d.GetDataStores("NOPE"));
        }

        [Fact]
        public void Catalog_entries_of_a_volume_in_tape_order()
        {
            using var d = A();
            var v = d.GetVolumes(new VolumeQuery { VolumeGroup = "DAILY" }).First();
            var entries = d.GetCatalogEntries(v.Label).ToList();
            Assert.Equal(CatalogEntryKind.TapeVolume, entries[0].Kind);
            Assert.Equal(@"\A.VCDS01", entries[0].CatalogName);
            Assert.Equal("DAILY", entries[0].Pool);
            int lastFile = 0;
            foreach (var e in entries.Skip(1))
            {
                Assert.Equal(@"\A.FCDS01", e.CatalogName);
                if (e.Kind == CatalogEntryKind.TapeFile) { Assert.Equal(lastFile + 1, e.Sequence); lastFile = e.Sequence!.Value; }
                else { Assert.Equal(CatalogEntryKind.DiskFile, e.Kind); Assert.Equal(lastFile, e.Sequence); }
            }
            Assert.True(lastFile >= 1);
            var tmf = d.GetVolumes(new VolumeQuery { VolumeGroup = "TMFDUMPS" }).First();
            var t = d.GetCatalogEntries(tmf.Label).ToList();
            Assert.Equal(CatalogEntryKind.TmfVolume, t[0].Kind);
            Assert.All(t.Skip(1), e => Assert.Equal(CatalogEntryKind.TmfDump, e.Kind));
        }
    }
}
