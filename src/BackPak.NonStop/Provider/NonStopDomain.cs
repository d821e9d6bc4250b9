using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Reports;
using BackPak.NonStop.Site;
using BackPak.NonStop.Transport;

namespace BackPak.NonStop.Provider
{
    /// <summary>
    /// The BackPak domain of one NonStop node, read over its one SSH session: data stores and volume groups as the site
    /// description maps them, volumes and DSM/TC / TMF entries from MEDIACOM and TMFCOM reports, parsed as they stream.
    /// It implements reading (docs/nonstop/provider.md says what each field comes from and what cannot be read) and a run
    /// journal in a folder on the operator's machine, for the guided runs of procedures.
    /// </summary>
    public sealed class NonStopDomain : IDomainReader, IRunJournalSource
    {
        private readonly SiteNode _site;
        private readonly NonStopSessions _sessions;

        internal NonStopDomain(SiteDescription site, SiteNode node, NonStopSessions sessions, string location, string runJournalFolder)
        {
            RunJournal = new FolderRunJournal(runJournalFolder, runJournalFolder, () => DateTime.UtcNow);
            _site = node;
            _sessions = sessions;
            Node = node.Node;
            DomainId = site.Name != null ? site.Name + " " + node.Node : node.Node;
            Location = location;
            Identity = new DomainIdentity(NonStopProvider.ProviderName, location, node.Node);
        }

        public string Node { get; }
        public string DomainId { get; }
        public string Provider => NonStopProvider.ProviderName;
        public string Location { get; }
        public DomainIdentity Identity { get; }

        /// <summary>The journals of guided runs (Remove-BPDataStore -Recurse), in a folder on the operator's machine.</summary>
        public IRunJournalStore RunJournal { get; }

        /// <summary>This machine's clock in UTC: the node's is not read (no expiration is judged against it, see IsExpired).</summary>
        public DateTime Now => DateTime.UtcNow;

        /// <summary>Sessions opened to the node so far (one while nothing fails).</summary>
        public int SessionsOpened => _sessions.SessionsOpened;

        public IReadOnlyList<DataStore> GetDataStores(string? name = null)
        {
            var stores = _site.DataStores.Where(d => name == null || Same(d.StoreId, name)).ToList();
            if (stores.Count == 0) return new DataStore[0];
            var counts = Tally(stores);
            return stores.OrderBy(d => d.StoreId, StringComparer.Ordinal).Select(d => new DataStore(Identity)
            {
                Name = d.StoreId,
                Node = Node,
                DomainAccess = Access(d),
                // The Domain Manager alone knows ACTIVE or INACTIVE: no documented command reads it.
                Status = DataStoreStatus.Unknown,
                StoreType = d.StoreType == "TSM" ? StoreType.TivoliStorageManager : StoreType.WindowsFile,
                StoragePath = string.Join("; ", d.StoragePaths),
                PrimaryStoreId = d.StoreId,
                VolumeCount = d.VolumeGroups.Sum(g => counts.TryGetValue(Key(d, g), out long n) ? n : 0),
                VolumeGroupCount = d.VolumeGroups.Count,
            }).ToList();
        }

        public IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null)
        {
            var stores = dataStore == null ? _site.DataStores.ToList() : new List<SiteDataStore> { Store(dataStore) };
            var picked = stores.SelectMany(d => d.VolumeGroups.Where(g => name == null || Same(g.Name, name)).Select(g => (Store: d, Group: g))).ToList();
            if (picked.Count == 0) return new VolumeGroup[0];
            var counts = Tally(picked.Select(p => p.Store).Distinct().ToList(), picked.Select(p => p.Group).ToList());
            return picked.OrderBy(p => p.Store.StoreId, StringComparer.Ordinal).ThenBy(p => p.Group.Name, StringComparer.Ordinal).Select(p => new VolumeGroup(Identity)
            {
                Name = p.Group.Name,
                DataStore = p.Store.StoreId,
                Node = Node,
                CatalogKind = p.Group.Catalog == SiteCatalogKind.DsmTc ? CatalogKind.DsmTc : p.Group.Catalog == SiteCatalogKind.Tmf ? CatalogKind.Tmf : CatalogKind.None,
                VolumeCatalog = p.Group.VolumeCatalog == null ? null : Qualified(p.Group.VolumeCatalog),
                Pool = p.Group.Pool,
                FileCatalog = p.Group.FileCatalog == null ? null : Qualified(p.Group.FileCatalog),
                TmfNode = p.Group.Catalog == SiteCatalogKind.Tmf ? Node : null,
                VolumeCount = counts.TryGetValue(Key(p.Store, p.Group), out long n) ? n : 0,
            }).ToList();
        }

        public IEnumerable<Volume> GetVolumes(VolumeQuery query)
        {
            // The scope is checked now, before anything streams: an unknown name fails at once.
            var groups = Scope(query);
            return Filtered(VolumeReads.Merge(Sources(groups, query.Labels)), query);
        }

        public long CountVolumes(VolumeQuery query)
        {
            long n = 0;
            foreach (var _ in GetVolumes(query)) n++;
            return n;
        }

        public IEnumerable<CatalogEntry> GetCatalogEntries(string label)
        {
            string l = Labels.Normalize(label);
            var list = new List<CatalogEntry>();
            var dsm = _site.DataStores.SelectMany(d => d.VolumeGroups).Where(g => g.Catalog == SiteCatalogKind.DsmTc).ToList();
            foreach (var byCatalog in dsm.GroupBy(g => Bare(g.VolumeCatalog!), StringComparer.Ordinal))
            {
                var pools = new HashSet<string>(byCatalog.Select(g => g.Pool!), StringComparer.OrdinalIgnoreCase);
                var cmd = NonStopCommands.InfoTapeVolumes(VolumeReads.Exact(l), byCatalog.First().VolumeCatalog, pools.Count == 1 ? pools.First() : null);
                foreach (var e in Read(cmd, (lines, ctx, diag) => MediacomReports.TapeVolumes(lines, ctx, diag)))
                {
                    if (e.TapeName != l || e.Pool == null || !pools.Contains(e.Pool)) continue;
                    list.Add(new CatalogEntry(Identity)
                    {
                        Label = l, Node = Node, Catalog = CatalogKind.DsmTc, Kind = CatalogEntryKind.TapeVolume,
                        CatalogName = Qualified(e.VolumeCatalog ?? byCatalog.Key), Pool = e.Pool, Name = l, Status = e.StatusText,
                    });
                    list.AddRange(TapeFiles(l, e));
                }
            }
            if (_site.Tmf && _site.DataStores.Any(d => d.VolumeGroups.Any(g => g.Catalog == SiteCatalogKind.Tmf)))
            {
                var cmd = NonStopCommands.InfoTmfTapeMedia(l);
                foreach (var t in Read(cmd, (lines, ctx, diag) => TmfReports.TapeMedia(lines, ctx, diag)))
                    if (t.Name == l)
                        list.Add(new CatalogEntry(Identity)
                        {
                            Label = l, Node = Node, Catalog = CatalogKind.Tmf, Kind = CatalogEntryKind.TmfVolume, CatalogName = Node, Name = l, Status = t.StatusText,
                        });
            }
            return list;
        }

        public void Dispose() => _sessions.Dispose();

        // The tape files a TAPEVOLUME report lists, in the order written (MEDIACOM p166), with their expiration from
        // INFO TAPEFILE of each file catalog on the tape (one command per file catalog).
        private IEnumerable<CatalogEntry> TapeFiles(string label, TapeVolumeEntry tape)
        {
            var expirations = new Dictionary<(string, string, int?, int?), DateTime?>();
            foreach (var fc in tape.Files.Select(f => f.FileCatalog).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var cmd = NonStopCommands.InfoTapeFiles("*", fc, label);
                foreach (var f in Read(cmd, (lines, ctx, diag) => MediacomReports.TapeFiles(lines, ctx, diag)))
                    expirations[(Bare(f.FileCatalog), f.TapeFileId ?? "", f.Generation, f.Version)] = Date(f.Expiration);
            }
            int sequence = 0;
            foreach (var f in tape.Files)
            {
                sequence++;
                expirations.TryGetValue((Bare(f.FileCatalog), f.TapeFileId ?? "", f.Generation, f.Version), out var expires);
                yield return new CatalogEntry(Identity)
                {
                    Label = label, Node = Node, Catalog = CatalogKind.DsmTc, Kind = CatalogEntryKind.TapeFile,
                    CatalogName = Qualified(f.FileCatalog), Name = f.TapeFileId ?? "", Generation = f.Generation, Sequence = sequence,
                    Status = f.StatusText, Expiration = expires,
                };
            }
        }

        // One report, read to its end (small reports: one tape's entries), every problem a malformed report.
        private List<T> Read<T>(NonStopCommand cmd, Func<IEnumerable<string>, CommandContext, ReportDiagnostics, IEnumerable<T>> parse) where T : ReportEntry
        {
            var list = new List<T>();
            foreach (var e in parse(_sessions.Run(Node, cmd), new CommandContext(Node, cmd), new ReportDiagnostics()))
            {
                VolumeReads.Trust(Node, cmd, e);
                list.Add(e);
            }
            return list;
        }

        /// <summary>The sources of a volume read: one MEDIACOM report per volume catalog, one TMFCOM report, each in label order.</summary>
        private List<IEnumerable<Volume>> Sources(IReadOnlyList<(SiteDataStore Store, SiteVolumeGroup Group)> groups, IReadOnlyList<LabelPattern> labels)
        {
            string pattern = VolumeReads.Pushed(labels);
            var sources = new List<IEnumerable<Volume>>();
            foreach (var byCatalog in groups.Where(g => g.Group.Catalog == SiteCatalogKind.DsmTc).GroupBy(g => Bare(g.Group.VolumeCatalog!), StringComparer.Ordinal))
            {
                var byPool = byCatalog.ToDictionary(g => g.Group.Pool!, g => g, StringComparer.OrdinalIgnoreCase);
                // POOL narrows the report only when one pool of the catalog is asked for; else the pools are told apart here.
                var cmd = NonStopCommands.InfoTapeVolumes(pattern, byCatalog.First().Group.VolumeCatalog, byPool.Count == 1 ? byPool.Keys.First() : null);
                sources.Add(VolumeReads.TapeVolumes(Node, cmd, _sessions.Run(Node, cmd), byPool, (e, g) => ToVolume(e, g.Store, g.Group)));
            }
            var tmf = groups.FirstOrDefault(g => g.Group.Catalog == SiteCatalogKind.Tmf);
            if (tmf.Group != null)
            {
                var cmd = NonStopCommands.InfoTmfTapeMedia(pattern);
                sources.Add(VolumeReads.TmfMedia(Node, cmd, _sessions.Run(Node, cmd), e => ToVolume(e, tmf.Store, tmf.Group)));
            }
            return sources;
        }

        private Volume ToVolume(TapeVolumeEntry e, SiteDataStore store, SiteVolumeGroup group)
        {
            // MEDIACOM p172: ASSIGNED holds an unexpired file; RELEASED and SCRATCH: all its files have expired. INUSE is
            // being read or written, SELECTED chosen for a mount: both are a load under way (its direction is not given).
            bool expired = e.Status == DsmTapeStatus.Released || e.Status == DsmTapeStatus.Scratch;
            bool loading = e.Status == DsmTapeStatus.InUse || e.Status == DsmTapeStatus.Selected;
            return new Volume(Identity)
            {
                Label = e.TapeName, DataStore = store.StoreId, VolumeGroup = group.Name, Node = Node, DomainAccess = Access(store),
                CatalogStatus = e.StatusText ?? "", IsExpired = expired, CurrentOperation = loading ? "LOAD" : null,
            };
        }

        private Volume ToVolume(TmfTapeMediaEntry e, SiteDataStore store, SiteVolumeGroup group)
        {
            // TMF statuses (TMF MP p177): RELEASED and SCRATCH hold no dump that is still needed; INPROCESS is being written.
            bool expired = e.Status == TmfMediaStatus.Released || e.Status == TmfMediaStatus.Scratch;
            return new Volume(Identity)
            {
                Label = e.Name, DataStore = store.StoreId, VolumeGroup = group.Name, Node = Node, DomainAccess = Access(store),
                CatalogStatus = e.StatusText, IsExpired = expired, CurrentOperation = e.Status == TmfMediaStatus.InProcess ? "LOAD" : null,
            };
        }

        /// <summary>What no command supports is filtered here, with the same rules as over the full list.</summary>
        private static IEnumerable<Volume> Filtered(IEnumerable<Volume> volumes, VolumeQuery q)
        {
            foreach (var v in volumes)
            {
                if (q.Labels.Count > 0 && !q.Labels.Any(p => p.IsWildcard ? Wildcard.Matches(p.Text, v.Label) : p.Text == v.Label)) continue;
                if (q.Expired.HasValue && v.IsExpired != q.Expired.Value) continue;
                if (q.Encrypted.HasValue && v.IsEncrypted != q.Encrypted.Value) continue;
                if (q.BackupRunning.HasValue && v.IsBackupRunning != q.BackupRunning.Value) continue;
                if (q.MediaKeyName != null && !string.Equals(v.MediaKeyName, q.MediaKeyName, StringComparison.OrdinalIgnoreCase)) continue;
                if (q.UpdatedSince.HasValue && !(v.LastUpdate >= q.UpdatedSince.Value)) continue;
                yield return v;
            }
        }

        private IReadOnlyList<(SiteDataStore Store, SiteVolumeGroup Group)> Scope(VolumeQuery q)
        {
            var stores = q.DataStore == null ? _site.DataStores.ToList() : new List<SiteDataStore> { Store(q.DataStore) };
            var groups = stores.SelectMany(d => d.VolumeGroups.Select(g => (Store: d, Group: g))).ToList();
            if (q.VolumeGroup == null) return groups;
            var picked = groups.Where(g => Same(g.Group.Name, q.VolumeGroup)).ToList();
            if (picked.Count == 0)
            {
                var elsewhere = _site.DataStores.FirstOrDefault(d => d.VolumeGroups.Any(g => Same(g.Name, q.VolumeGroup)));
                throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    elsewhere == null
                        ? $"Volume group '{q.VolumeGroup}' does not exist in the domain of {Node} (as the site description describes it)."
                        : $"Volume group '{q.VolumeGroup}' belongs to data store '{elsewhere.StoreId}', not '{q.DataStore}'.",
                    q.VolumeGroup, "Get-BPVolumeGroup lists the volume groups of the domain.");
            }
            return picked;
        }

        private SiteDataStore Store(string name) =>
            _site.DataStores.FirstOrDefault(d => Same(d.StoreId, name))
            ?? throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Data store '{name}' does not exist in the domain of {Node} (as the site description describes it).", name,
                "Get-BPDataStore lists the data stores of the domain; a store missing there is missing from the site description.");

        // Volume counts of the given stores (and groups), in one read of their volumes.
        private Dictionary<string, long> Tally(IReadOnlyList<SiteDataStore> stores, IReadOnlyList<SiteVolumeGroup>? only = null)
        {
            var groups = stores.SelectMany(d => d.VolumeGroups.Where(g => only == null || only.Contains(g)).Select(g => (Store: d, Group: g))).ToList();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var v in VolumeReads.Merge(Sources(groups, new LabelPattern[0])))
            {
                string k = v.DataStore + "/" + v.VolumeGroup;
                counts[k] = counts.TryGetValue(k, out long n) ? n + 1 : 1;
            }
            return counts;
        }

        private static string Key(SiteDataStore d, SiteVolumeGroup g) => d.StoreId + "/" + g.Name;

        private static DomainAccess Access(SiteDataStore d) =>
            d.DomainAccess == "PRIMARY" ? DomainAccess.Primary : d.DomainAccess == "SECONDARY" ? DomainAccess.Secondary : d.DomainAccess == "RESTRICTED" ? DomainAccess.Restricted : DomainAccess.Unknown;

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>A catalog name without its node (reports qualify it, CS p11; a description may not).</summary>
        internal static string Bare(string catalog)
        {
            string c = catalog.ToUpperInvariant();
            int dot = c.IndexOf('.');
            return c.StartsWith("\\", StringComparison.Ordinal) && dot > 0 ? c.Substring(dot + 1) : c;
        }

        private string Qualified(string catalog) => catalog.StartsWith("\\", StringComparison.Ordinal) ? catalog.ToUpperInvariant() : Node + "." + catalog.ToUpperInvariant();

        // MEDIACOM's date format is not in the stored pages (docs/nonstop/reports.md): an ISO date is read, anything else left empty.
        private static DateTime? Date(string? text) =>
            text != null && DateTime.TryParseExact(text, new[] { "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm" }, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : (DateTime?)null;
    }
}
