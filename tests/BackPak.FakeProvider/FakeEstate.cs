using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;

namespace BackPak.FakeProvider
{
    /// <summary>One volume as the fake keeps it (mutable; every read copies it into a Core <see cref="Volume"/>).</summary>
    public sealed class FakeVolume
    {
        public string Label = "";
        public string DataStore = "";
        public string VolumeGroup = "";
        public string CatalogStatus = "ASSIGNED";
        public DateTime? LastBackup;
        public DateTime? Expiration;
        public string? CurrentOperation;
        public string? CurrentOperationMode;
        public string? MediaKeyName;
        public DateTime LastUpdate;
        /// <summary>The DSM/TC or TMF entries this node's catalogs hold for the volume.</summary>
        public int TapeEntries;

        public FakeVolume Copy() => (FakeVolume)MemberwiseClone();
    }

    public sealed class FakeGroup
    {
        public string Name = "";
        public CatalogKind CatalogKind = CatalogKind.DsmTc;
        public bool Encrypted;
    }

    public sealed class FakeStore
    {
        public string Name = "";
        public DomainAccess Access = DomainAccess.Primary;
        public DataStoreStatus Status = DataStoreStatus.Active;
        public string StoragePath = "";
        public string PrimaryStoreId = "";
        public string? StagingArea;
        public bool Suspended;
        public TimeSpan ExportCheckDelay = TimeSpan.FromMinutes(5);
        public TimeSpan? FullExportFrequency;
        public Dictionary<string, string> NodeReplacements = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, FakeGroup> Groups = new Dictionary<string, FakeGroup>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Labels waiting to be exported, with when the update was raised.</summary>
        public readonly Dictionary<string, DateTime> Pending = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        public SyncRun? LastFullExport, LastUpdateExport, LastFullImport, LastUpdateImport;
        /// <summary>The other side of a replicated store: its node, or null.</summary>
        public string? PartnerNode;
    }

    public sealed class FakeNode
    {
        public string Name = "";
        public string Site = "";
        public string SearchList = "";
        public readonly List<string> KeyManagerIds = new List<string>();
        public readonly Dictionary<string, FakeStore> Stores = new Dictionary<string, FakeStore>(StringComparer.OrdinalIgnoreCase);
        public readonly SortedDictionary<string, FakeVolume> Volumes = new SortedDictionary<string, FakeVolume>(StringComparer.Ordinal);
        public readonly List<AuditRecord> Audit = new List<AuditRecord>();
        public long NextAuditId = 1;
    }

    /// <summary>A storage or key-server replication between two sites of the fake estate.</summary>
    public sealed class FakeLink : IReplicationLink, IReplicaCleanup
    {
        private readonly FakeEstate _estate;
        public FakeLink(FakeEstate estate, string name, string kind, string source, string target, string? dataStore)
        {
            _estate = estate; Name = name; Kind = kind; Source = source; Target = target; DataStore = dataStore;
        }

        public string Name { get; }
        public string Kind { get; }
        public string Source { get; private set; }
        public string Target { get; private set; }
        public string? DataStore { get; }
        public bool Healthy { get; set; } = true;
        public bool CaughtUp => Healthy;
        public int Reversals { get; private set; }

        public void Reverse()
        {
            lock (_estate.Gate) { (Source, Target) = (Target, Source); Reversals++; }
        }

        public string ReplicaSite => Target;

        public int RemoveReplica(string dataStore)
        {
            lock (_estate.Gate)
            {
                int n = 0;
                foreach (var path in _estate.Storage.Keys.Where(p => p.StartsWith(@"\\" + Target + "-NAS", StringComparison.OrdinalIgnoreCase) && p.EndsWith(@"\" + dataStore, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    n += _estate.Storage[path].Count;
                    _estate.Storage.Remove(path);
                }
                return n;
            }
        }
    }

    /// <summary>
    /// A BackPak estate held in memory: nodes with their catalogs, storage, staging areas, replication links and one run
    /// journal. Its two standard nodes mirror the lab's shape (a replicated store DS01 PRIMARY on \A and SECONDARY on \B,
    /// a store DS02 on \A alone), with its own naming (staging areas <c>\B.$FKSTG.DS01</c>) so that nothing of the lab's
    /// leaks into code that should only know the contracts.
    /// </summary>
    public sealed class FakeEstate
    {
        public readonly object Gate = new object();
        public readonly Dictionary<string, FakeNode> Nodes = new Dictionary<string, FakeNode>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Storage: path -> file names.</summary>
        public readonly Dictionary<string, HashSet<string>> Storage = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Staging areas: area -> Store ID -> the volumes of the last export there.</summary>
        public readonly Dictionary<string, Dictionary<string, List<FakeVolume>>> Staging = new Dictionary<string, Dictionary<string, List<FakeVolume>>>(StringComparer.OrdinalIgnoreCase);
        public readonly List<FakeLink> Links = new List<FakeLink>();
        private long _nextRun = 1;

        public FakeEstate(string location)
        {
            Location = location;
            Journal = new FakeRunJournal(location, () => Now);
        }

        /// <summary>Where the estate is, as its domains' identities carry it (e.g. <c>mem:estate1</c>).</summary>
        public string Location { get; }
        public FakeRunJournal Journal { get; }
        public DateTime Now => DateTime.UtcNow;
        internal long NextRunId() => _nextRun++;

        /// <summary>Opens the domain of a node.</summary>
        public FakeDomain Open(string node)
        {
            string n = BackPak.Core.Text.Names.NormalizeNode(node);
            lock (Gate)
                if (!Nodes.ContainsKey(n))
                    throw new BackPak.Core.Errors.BackPakException(BackPak.Core.Errors.ErrorIds.NodeNotFound, BackPak.Core.Errors.BackPakErrorCategory.ObjectNotFound,
                        $"The estate {Location} has no node {node}; its nodes are {string.Join(", ", Nodes.Keys)}.", node, "Give one of its nodes.", stopsInvocation: true);
            return new FakeDomain(this, n);
        }

        /// <summary>
        /// Two nodes \A (site SITEA) and \B (SITEB): DS01 replicated (PRIMARY on \A, SECONDARY on \B, exports to
        /// \B.$FKSTG.DS01, both catalogs in step), DS02 on \A alone. Volumes FA0000.. of DS01 and FB0000.. of DS02; every
        /// second one expired, every fourth encrypted, one of DS01 busy with a restore.
        /// </summary>
        public static FakeEstate Standard(string location, int volumesPerStore = 20)
        {
            var e = new FakeEstate(location);
            var t0 = DateTime.UtcNow.AddDays(-30);
            foreach (var (node, site, list) in new[] { (@"\A", "SITEA", "SLA"), (@"\B", "SITEB", "SLB") })
            {
                var n = new FakeNode { Name = node, Site = site, SearchList = list };
                n.KeyManagerIds.Add("FKM1");
                e.Nodes[node] = n;
            }
            var a = e.Nodes[@"\A"];
            var b = e.Nodes[@"\B"];
            FakeStore Store(FakeNode n, string name, DomainAccess access, string site, string? staging, string? partner)
            {
                var s = new FakeStore { Name = name, Access = access, StoragePath = @"\\" + site + @"-NAS\BACKPAK\" + name, PrimaryStoreId = name, StagingArea = staging, PartnerNode = partner };
                s.Groups["VG" + name.Substring(2)] = new FakeGroup { Name = "VG" + name.Substring(2), Encrypted = true };
                n.Stores[name] = s;
                return s;
            }
            Store(a, "DS01", DomainAccess.Primary, "SITEA", @"\B.$FKSTG.DS01", @"\B");
            Store(b, "DS01", DomainAccess.Secondary, "SITEB", @"\B.$FKSTG.DS01", @"\A");
            Store(a, "DS02", DomainAccess.Primary, "SITEA", null, null);
            foreach (var (store, prefix) in new[] { ("DS01", "FA"), ("DS02", "FB") })
                for (int i = 0; i < volumesPerStore; i++)
                {
                    string label = prefix + i.ToString("D4", CultureInfo.InvariantCulture);
                    var v = new FakeVolume
                    {
                        Label = label, DataStore = store, VolumeGroup = "VG" + store.Substring(2), LastBackup = t0.AddHours(i),
                        Expiration = i % 2 == 0 ? t0.AddDays(1) : DateTime.UtcNow.AddDays(365), MediaKeyName = i % 4 == 0 ? "FKEY-" + label : null,
                        LastUpdate = t0.AddHours(i), TapeEntries = 2,
                        CurrentOperation = store == "DS01" && i == 3 ? "LOAD" : null, CurrentOperationMode = store == "DS01" && i == 3 ? "INPUT" : null,
                    };
                    a.Volumes[label] = v;
                    e.File(a.Stores[store].StoragePath, label);
                    if (store == "DS01")
                    {
                        var copy = v.Copy();
                        copy.CurrentOperation = copy.CurrentOperationMode = null;
                        b.Volumes[label] = copy;
                        e.File(b.Stores[store].StoragePath, label); // the replica the SECONDARY reads
                    }
                }
            // The catalogs start in step: the last FULL export is in the staging area and was imported.
            e.Staging[@"\B.$FKSTG.DS01"] = new Dictionary<string, List<FakeVolume>>(StringComparer.OrdinalIgnoreCase)
            {
                ["DS01"] = a.Volumes.Values.Where(v => v.DataStore == "DS01").Select(v => v.Copy()).ToList(),
            };
            e.Links.Add(new FakeLink(e, "FK-STORAGE-DS01", "STORAGE", "SITEA", "SITEB", "DS01"));
            e.Links.Add(new FakeLink(e, "FK-KEYS", "KEYS", "SITEA", "SITEB", null));
            return e;
        }

        internal void File(string path, string label)
        {
            if (!Storage.TryGetValue(path, out var files)) Storage[path] = files = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            files.Add(label + ".img");
        }
    }
}
