using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Compare
{
    /// <summary>What a difference is about: a volume, or one DSM/TC or TMF entry of a volume.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum DifferenceSubject
    {
        Volume,
        CatalogEntry,
    }

    /// <summary>
    /// One line of a comparison of two domains, as Compare-Object gives one: <c>&lt;=</c> only in the reference
    /// domain, <c>=&gt;</c> only in the difference domain, <c>&lt;&gt;</c> in both with one property different (one
    /// object per property), <c>==</c> in both and alike (only when asked for).
    /// </summary>
    public sealed class DomainDifference
    {
        public const string OnlyInReference = "<=";
        public const string OnlyInDifference = "=>";
        public const string Different = "<>";
        public const string Equal = "==";

        public string SideIndicator { get; init; } = "";
        public DifferenceSubject Subject { get; init; }
        public string Label { get; init; } = "";
        public string DataStore { get; init; } = "";
        /// <summary>For a catalog entry: its kind, catalog (without its node) and name, e.g. <c>TapeFile FC1 DS01-AB0001 1</c>.</summary>
        public string? Entry { get; init; }
        /// <summary>For a catalog entry: its kind (TapeVolume, TapeFile, DiskFile, TmfVolume, TmfDump).</summary>
        public CatalogEntryKind? EntryKind { get; init; }
        /// <summary>The property that differs (for <c>&lt;&gt;</c>), e.g. <c>CatalogStatus</c>.</summary>
        public string? Property { get; init; }
        public string? ReferenceValue { get; init; }
        public string? DifferenceValue { get; init; }
        public string ReferenceNode { get; init; } = "";
        public string DifferenceNode { get; init; } = "";
        /// <summary>The volume or catalog entry as the reference domain has it (null when it has none).</summary>
        public object? Reference { get; init; }
        /// <summary>The volume or catalog entry as the difference domain has it (null when it has none).</summary>
        public object? Difference { get; init; }

        public override string ToString() =>
            $"{SideIndicator} {Label}{(Entry != null ? " " + Entry : "")}{(Property != null ? $" {Property}: {ReferenceValue} | {DifferenceValue}" : "")}";
    }

    /// <summary>
    /// Two domains side by side, volume by volume and entry by entry: the two sides of a replicated data store, or a
    /// real site and a lab made from its description, checked before a change. Both volume lists stream in label order
    /// (every provider gives that order) and are joined as they come, so memory holds one volume of each side.
    /// A property is compared only when both domains know it (a provider that cannot read a Media Key Name or an
    /// expiration leaves it empty): what one side cannot tell is never reported as a difference. Domain access is
    /// not compared: the two sides of a replicated store differ in it by design.
    /// </summary>
    public static class DomainComparison
    {
        public static IEnumerable<DomainDifference> Compare(IDomainReader reference, IDomainReader difference, VolumeQuery query,
            bool includeEqual = false, bool catalogEntries = true, Action<long>? progress = null, IReadOnlyCollection<CatalogEntryKind>? entryKinds = null)
        {
            // Both scopes are checked before anything streams: an unknown store fails at once, on either side.
            var left = reference.GetVolumes(query);
            var right = difference.GetVolumes(query);
            return Join(reference, difference, left, right, includeEqual, catalogEntries, progress, entryKinds);
        }

        private static IEnumerable<DomainDifference> Join(IDomainReader rd, IDomainReader dd, IEnumerable<Volume> left, IEnumerable<Volume> right,
            bool includeEqual, bool entries, Action<long>? progress, IReadOnlyCollection<CatalogEntryKind>? kinds)
        {
            long seen = 0;
            using var l = left.GetEnumerator();
            using var r = right.GetEnumerator();
            bool hasL = l.MoveNext(), hasR = r.MoveNext();
            while (hasL || hasR)
            {
                int c = !hasL ? 1 : !hasR ? -1 : string.CompareOrdinal(l.Current.Label, r.Current.Label);
                if (c < 0)
                {
                    yield return Presence(rd, dd, l.Current, null);
                    hasL = l.MoveNext();
                }
                else if (c > 0)
                {
                    yield return Presence(rd, dd, null, r.Current);
                    hasR = r.MoveNext();
                }
                else
                {
                    foreach (var d in Volumes(rd, dd, l.Current, r.Current, includeEqual)) yield return d;
                    if (entries)
                        foreach (var d in Entries(rd, dd, l.Current, r.Current, includeEqual, kinds)) yield return d;
                    hasL = l.MoveNext();
                    hasR = r.MoveNext();
                }
                if ((++seen & 1023) == 0) progress?.Invoke(seen);
            }
            progress?.Invoke(seen);
        }

        private static DomainDifference Presence(IDomainReader rd, IDomainReader dd, Volume? a, Volume? b) => new DomainDifference
        {
            SideIndicator = a != null ? DomainDifference.OnlyInReference : DomainDifference.OnlyInDifference,
            Subject = DifferenceSubject.Volume,
            Label = (a ?? b)!.Label,
            DataStore = (a ?? b)!.DataStore,
            ReferenceNode = rd.Node, DifferenceNode = dd.Node, Reference = a, Difference = b,
        };

        // The volume properties compared, each as text; null where a domain does not know it.
        private static readonly (string Name, Func<Volume, string?> Value)[] VolumeProperties =
        {
            ("DataStore", v => Known(v.DataStore)),
            ("VolumeGroup", v => Known(v.VolumeGroup)),
            ("CatalogStatus", v => Known(v.CatalogStatus)),
            ("IsExpired", v => v.IsExpired ? "True" : "False"),
            ("Expiration", v => Time(v.Expiration)),
            ("LastBackup", v => Time(v.LastBackup)),
            ("MediaKeyName", v => v.MediaKeyName),
        };

        private static IEnumerable<DomainDifference> Volumes(IDomainReader rd, IDomainReader dd, Volume a, Volume b, bool includeEqual)
        {
            bool any = false;
            foreach (var (name, value) in VolumeProperties)
            {
                string? x = value(a), y = value(b);
                if (x == null || y == null || string.Equals(x, y, StringComparison.OrdinalIgnoreCase)) continue;
                any = true;
                yield return new DomainDifference
                {
                    SideIndicator = DomainDifference.Different, Subject = DifferenceSubject.Volume, Label = a.Label, DataStore = a.DataStore,
                    Property = name, ReferenceValue = x, DifferenceValue = y, ReferenceNode = rd.Node, DifferenceNode = dd.Node, Reference = a, Difference = b,
                };
            }
            if (!any && includeEqual)
                yield return new DomainDifference
                {
                    SideIndicator = DomainDifference.Equal, Subject = DifferenceSubject.Volume, Label = a.Label, DataStore = a.DataStore,
                    ReferenceNode = rd.Node, DifferenceNode = dd.Node, Reference = a, Difference = b,
                };
        }

        private static readonly (string Name, Func<CatalogEntry, string?> Value)[] EntryProperties =
        {
            ("Status", e => Known(e.Status)),
            ("Pool", e => Known(e.Pool)),
            ("Sequence", e => e.Kind == CatalogEntryKind.DiskFile ? null : e.Sequence?.ToString(CultureInfo.InvariantCulture)),
            ("Expiration", e => Time(e.Expiration)),
        };

        private static IEnumerable<DomainDifference> Entries(IDomainReader rd, IDomainReader dd, Volume a, Volume b, bool includeEqual,
            IReadOnlyCollection<CatalogEntryKind>? kinds)
        {
            var left = Keyed(rd.GetCatalogEntries(a.Label), kinds);
            var right = Keyed(dd.GetCatalogEntries(b.Label), kinds);
            foreach (var key in left.Keys.Concat(right.Keys.Where(k => !left.ContainsKey(k))))
            {
                left.TryGetValue(key, out var x);
                right.TryGetValue(key, out var y);
                var template = new DomainDifference
                {
                    Subject = DifferenceSubject.CatalogEntry, Label = a.Label, DataStore = a.DataStore, Entry = key, EntryKind = (x ?? y)!.Kind,
                    ReferenceNode = rd.Node, DifferenceNode = dd.Node, Reference = x, Difference = y,
                };
                if (x == null || y == null)
                {
                    yield return With(template, x != null ? DomainDifference.OnlyInReference : DomainDifference.OnlyInDifference);
                    continue;
                }
                bool any = false;
                foreach (var (name, value) in EntryProperties)
                {
                    string? p = value(x), q = value(y);
                    if (p == null || q == null || string.Equals(p, q, StringComparison.OrdinalIgnoreCase)) continue;
                    any = true;
                    yield return With(template, DomainDifference.Different, name, p, q);
                }
                if (!any && includeEqual) yield return With(template, DomainDifference.Equal);
            }
        }

        private static DomainDifference With(DomainDifference t, string side, string? property = null, string? x = null, string? y = null) => new DomainDifference
        {
            SideIndicator = side, Subject = t.Subject, Label = t.Label, DataStore = t.DataStore, Entry = t.Entry, EntryKind = t.EntryKind, Property = property,
            ReferenceValue = x, DifferenceValue = y, ReferenceNode = t.ReferenceNode, DifferenceNode = t.DifferenceNode, Reference = t.Reference, Difference = t.Difference,
        };

        /// <summary>
        /// An entry's key across nodes: its kind, its name without its node and its generation, and for a DISKFILE the
        /// sequence of the tape file it belongs to (one disk file can be in several files of a volume). Not its catalog:
        /// the replicated entries at the secondary are in the dedicated VOLCAT and FILECAT of their primary source, whose
        /// names differ (CS p10, p12); and not the node of a DISKFILE name, which node replacement changes (CS p12).
        /// </summary>
        public static string Key(CatalogEntry e)
        {
            string key = e.Kind + " " + WithoutNode(e.Name);
            if (e.Generation.HasValue) key += " " + e.Generation.Value.ToString(CultureInfo.InvariantCulture);
            if (e.Kind == CatalogEntryKind.DiskFile && e.Sequence.HasValue) key += " in file " + e.Sequence.Value.ToString(CultureInfo.InvariantCulture);
            return key;
        }

        // Entries by key; a key met twice on one side (a catalog this module does not expect) is kept under a numbered
        // key, so that no entry is dropped from the comparison.
        private static Dictionary<string, CatalogEntry> Keyed(IEnumerable<CatalogEntry> entries, IReadOnlyCollection<CatalogEntryKind>? kinds)
        {
            var d = new Dictionary<string, CatalogEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in entries)
            {
                if (kinds != null && !kinds.Contains(e.Kind)) continue;
                string key = Key(e);
                for (int n = 2; d.ContainsKey(key); n++) key = Key(e) + " #" + n.ToString(CultureInfo.InvariantCulture);
                d[key] = e;
            }
            return d;
        }

        private static string WithoutNode(string name)
        {
            string n = name.Trim();
            int dot = n.IndexOf('.');
            return n.StartsWith("\\", StringComparison.Ordinal) && dot > 0 ? n.Substring(dot + 1) : n;
        }

        private static string? Known(string? s) => string.IsNullOrEmpty(s) ? null : s;

        private static string? Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
