using System;
using System.Linq;
using BackPak.Core.Compare;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.FakeProvider;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>Two domains side by side: what is only on one side, what differs, what one side cannot tell.</summary>
    public sealed class DomainComparisonTests
    {
        private static (FakeDomain A, FakeDomain B) Estate()
        {
            var e = FakeEstate.Standard("mem:compare-" + Guid.NewGuid().ToString("N"), volumesPerStore: 12);
            return (e.Open(@"\A"), e.Open(@"\B"));
        }

        [Fact]
        public void Two_sides_in_step_have_no_difference_and_IncludeEqual_lists_every_volume_and_entry()
        {
            var (a, b) = Estate();
            var q = new VolumeQuery { DataStore = "DS01" };
            Assert.Empty(DomainComparison.Compare(a, b, q, catalogEntries: false).ToList());
            var equal = DomainComparison.Compare(a, b, q, includeEqual: true, catalogEntries: false).ToList();
            Assert.All(equal, d => Assert.Equal(DomainDifference.Equal, d.SideIndicator));
            Assert.Equal(a.GetVolumes(q).Select(v => v.Label), equal.Select(d => d.Label));
            // With the entries: each entry of each volume, matched by kind, catalog and name without the node.
            var entries = DomainComparison.Compare(a, a, q, includeEqual: true).Where(d => d.Subject == DifferenceSubject.CatalogEntry).ToList();
            Assert.Equal(a.GetVolumes(q).Sum(v => a.GetCatalogEntries(v.Label).Count()), entries.Count);
            Assert.All(entries, d => Assert.Equal(DomainDifference.Equal, d.SideIndicator));
        }

        [Fact]
        public void A_volume_removed_on_one_side_and_one_written_on_the_other_are_reported_in_label_order()
        {
            var (a, b) = Estate();
            var removed = a.RemoveVolumes(new[] { "FA0000" }, new VolumeRemovalOptions { User = "t" }).Single();
            Assert.Equal(RemovalStatus.Removed, removed.Status);
            a.Backup("FA0005");
            var diffs = DomainComparison.Compare(a, b, new VolumeQuery { DataStore = "DS01" }, catalogEntries: false).ToList();
            Assert.Equal(new[] { "FA0000 =>", "FA0005 <> LastBackup" }, diffs.Select(d => d.Label + " " + d.SideIndicator + (d.Property != null ? " " + d.Property : "")));
            Assert.Null(diffs[0].Reference);
            Assert.NotNull(diffs[0].Difference);
            Assert.Equal(@"\A", diffs[1].ReferenceNode);
            Assert.Equal(@"\B", diffs[1].DifferenceNode);
            Assert.NotEqual(diffs[1].ReferenceValue, diffs[1].DifferenceValue);
        }

        [Fact]
        public void What_one_side_cannot_tell_is_not_a_difference()
        {
            var (a, b) = Estate();
            a.Backup("FA0005");
            // A reader that knows no last backup, no expiration and no Media Key Name (as the NonStop provider over SSH).
            var blind = new Blind(b);
            Assert.Empty(DomainComparison.Compare(a, blind, new VolumeQuery { DataStore = "DS01" }, catalogEntries: false).ToList());
        }

        [Fact]
        public void An_unknown_data_store_on_either_side_is_DataStoreNotFound()
        {
            var (a, b) = Estate();
            var x = Assert.Throws<BackPakException>(() => DomainComparison.Compare(a, b, new VolumeQuery { DataStore = "DS02" }).ToList());
            Assert.Equal(ErrorIds.DataStoreNotFound, x.ErrorId);
        }

        [Fact]
        public void Catalog_entries_are_matched_without_their_node()
        {
            var e = new Model.CatalogEntry(new Model.DomainIdentity("X", "x", @"\A"))
            {
                Kind = Model.CatalogEntryKind.DiskFile, CatalogName = @"\A.FC1", Name = @"\A.$DATA1.SV.F1", Generation = 2,
            };
            Assert.Equal("DiskFile FC1 $DATA1.SV.F1 2", DomainComparison.Key(e));
        }

        private sealed class Blind : IDomainReader
        {
            private readonly IDomainReader _d;
            public Blind(IDomainReader d) { _d = d; }
            public string Node => _d.Node;
            public string DomainId => _d.DomainId;
            public string Provider => _d.Provider;
            public string Location => _d.Location;
            public Model.DomainIdentity Identity => _d.Identity;
            public DateTime Now => _d.Now;
            public System.Collections.Generic.IReadOnlyList<Model.DataStore> GetDataStores(string? name = null) => _d.GetDataStores(name);
            public System.Collections.Generic.IReadOnlyList<Model.VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null) => _d.GetVolumeGroups(dataStore, name);
            public System.Collections.Generic.IEnumerable<Model.Volume> GetVolumes(VolumeQuery query) => _d.GetVolumes(query).Select(v => new Model.Volume(v.Origin)
            {
                Label = v.Label, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup, Node = v.Node, DomainAccess = v.DomainAccess,
                CatalogStatus = v.CatalogStatus, IsExpired = v.IsExpired,
            });
            public long CountVolumes(VolumeQuery query) => _d.CountVolumes(query);
            public System.Collections.Generic.IEnumerable<Model.CatalogEntry> GetCatalogEntries(string label) => _d.GetCatalogEntries(label);
            public void Dispose() => _d.Dispose();
        }
    }
}
