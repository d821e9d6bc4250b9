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
        public void Catalog_entries_are_matched_without_their_node_or_catalog_and_a_disk_file_by_its_tape_file()
        {
            Model.CatalogEntry Entry(string node, string catalog, string name, int? sequence, int? generation = null,
                Model.CatalogEntryKind kind = Model.CatalogEntryKind.DiskFile) =>
                new Model.CatalogEntry(new Model.DomainIdentity("X", "x", node))
                {
                    Kind = kind, CatalogName = catalog, Name = name, Sequence = sequence, Generation = generation,
                };
            // The replicated entry at \B: its dedicated FILECAT, and the node of its disk file name replaced.
            Assert.Equal(DomainComparison.Key(Entry(@"\A", @"\A.FCDS01", @"\A.$DATA1.SV.F1", 1)),
                DomainComparison.Key(Entry(@"\B", @"\B.FCA01", @"\B.$DATA1.SV.F1", 1)));
            Assert.Equal("DiskFile $DATA1.SV.F1 in file 1", DomainComparison.Key(Entry(@"\A", @"\A.FC1", @"\A.$DATA1.SV.F1", 1)));
            // One disk file in two tape files of a volume: two entries.
            Assert.NotEqual(DomainComparison.Key(Entry(@"\A", "FC1", @"\A.$DATA1.SV.F1", 1)), DomainComparison.Key(Entry(@"\A", "FC1", @"\A.$DATA1.SV.F1", 2)));
            Assert.Equal("TapeFile LEDGER.D5535 130", DomainComparison.Key(Entry(@"\A", "FC1", "LEDGER.D5535", 1, 130, Model.CatalogEntryKind.TapeFile)));
        }

        [Fact]
        public void An_entry_met_twice_on_one_side_is_compared_twice_not_dropped()
        {
            var reference = new Twice(FakeEstate.Standard("mem:twice-" + Guid.NewGuid().ToString("N"), volumesPerStore: 2).Open(@"\A"));
            var q = new VolumeQuery { DataStore = "DS01" };
            var label = reference.GetVolumes(q).First().Label;
            int entries = reference.Inner.GetCatalogEntries(label).Count();
            // Each entry doubled on the reference side and compared with itself once: every copy is reported, half of
            // them equal and half only in the reference.
            var diffs = DomainComparison.Compare(reference, reference.Inner, new VolumeQuery { Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(label) } }, includeEqual: true)
                .Where(d => d.Subject == DifferenceSubject.CatalogEntry).ToList();
            Assert.Equal(entries, diffs.Count(d => d.SideIndicator == DomainDifference.Equal));
            Assert.Equal(entries, diffs.Count(d => d.SideIndicator == DomainDifference.OnlyInReference));
        }

        /// <summary>A reader whose every catalog entry is listed twice.</summary>
        private sealed class Twice : IDomainReader
        {
            public readonly IDomainReader Inner;
            public Twice(IDomainReader d) { Inner = d; }
            public string Node => Inner.Node;
            public string DomainId => Inner.DomainId;
            public string Provider => Inner.Provider;
            public string Location => Inner.Location;
            public Model.DomainIdentity Identity => Inner.Identity;
            public DateTime Now => Inner.Now;
            public System.Collections.Generic.IReadOnlyList<Model.DataStore> GetDataStores(string? name = null) => Inner.GetDataStores(name);
            public System.Collections.Generic.IReadOnlyList<Model.VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null) => Inner.GetVolumeGroups(dataStore, name);
            public System.Collections.Generic.IEnumerable<Model.Volume> GetVolumes(VolumeQuery query) => Inner.GetVolumes(query);
            public long CountVolumes(VolumeQuery query) => Inner.CountVolumes(query);
            public System.Collections.Generic.IEnumerable<Model.CatalogEntry> GetCatalogEntries(string label) => Inner.GetCatalogEntries(label).SelectMany(e => new[] { e, e });
            public void Dispose() => Inner.Dispose();
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
