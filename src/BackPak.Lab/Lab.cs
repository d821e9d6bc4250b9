using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Text;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>An existing lab folder, checked: the entry point to its domains.</summary>
    public sealed class Lab
    {
        private readonly Dictionary<string, string> _values;

        private Lab(string root, Dictionary<string, string> values, IReadOnlyList<string> nodes)
        {
            Root = root;
            _values = values;
            Nodes = nodes;
        }

        public string Root { get; }
        public IReadOnlyList<string> Nodes { get; }
        public int Seed => int.Parse(_values["seed"], System.Globalization.CultureInfo.InvariantCulture);
        public string ReplicatedDataStore => _values["replicated_data_store"];

        /// <summary>
        /// Every replicated data store, the main one first: <c>replicated_data_stores</c>, written only by a lab of
        /// several; a lab of one has the main store alone.
        /// </summary>
        public IReadOnlyList<string> ReplicatedDataStores =>
            _values.TryGetValue("replicated_data_stores", out var all) && all.Length > 0
                ? all.Split(',')
                : new[] { ReplicatedDataStore };

        /// <summary>The lab clock: it started at a fixed epoch when the lab was made and runs with real time.</summary>
        public DateTime Now => _frozenAt ?? LabClock(_values);

        private DateTime? _frozenAt;

        /// <summary>Stops this instance's clock (New-BPLab records its initial export at the epoch, so a seed stays a seed).</summary>
        internal void FreezeClock(DateTime at) => _frozenAt = at;

        public LabInfo Info => new LabInfo
        {
            Path = Root,
            Seed = Seed,
            VolumeCount = int.Parse(_values["volume_count"], System.Globalization.CultureInfo.InvariantCulture),
            Encrypted = _values["encrypted"] == "1",
            Nodes = Nodes.ToArray(),
            ReplicatedDataStore = ReplicatedDataStore,
            ReplicatedDataStores = ReplicatedDataStores.ToArray(),
            Clock = Now,
            FormatVersion = int.Parse(_values["format_version"], System.Globalization.CultureInfo.InvariantCulture),
        };

        /// <summary>Whether a folder looks like a lab (its marker store exists). <see cref="Open"/> checks it fully.</summary>
        public static bool IsLab(string dir) => File.Exists(LabLayout.LabDb(dir));

        public static Lab Open(string path)
        {
            string full = LabLayout.FullPath(path);
            // Pooled handles may still point at the files of a lab that was replaced or moved by hand: a connection
            // reads what is there now.
            LabDb.Release(full);
            LabSwap.RecoverInterrupted(full);
            if (!Directory.Exists(full))
                throw new BackPakException(ErrorIds.LabNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No lab at '{full}': the folder does not exist.", path, "Create one with New-BPLab -Path, or check the path.", stopsInvocation: true);
            if (!IsLab(full)) throw NotALab(full, "it has no " + LabLayout.LabDbName);
            try
            {
                using var c = LabDb.Open(LabLayout.LabDb(full), readOnly: true);
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT key, value FROM lab";
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) values[r.GetString(0)] = r.GetString(1);
                }
                if (!values.TryGetValue("format", out var format) || format != LabLayout.Format) throw NotALab(full, "its marker store is not a lab's");
                int version = int.Parse(values["format_version"], System.Globalization.CultureInfo.InvariantCulture);
                if (version != LabLayout.FormatVersion)
                    throw new BackPakException(ErrorIds.LabVersionUnsupported, BackPakErrorCategory.InvalidData,
                        $"The lab at '{full}' has format version {version}; this module reads version {LabLayout.FormatVersion}.", path,
                        "Use the module version that made the lab, or create a new lab with New-BPLab.", stopsInvocation: true);
                var nodes = new List<string>();
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT name FROM node ORDER BY name";
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) nodes.Add(r.GetString(0));
                }
                var lab = new Lab(full, values, nodes);
                _ = lab.Info; // every value of the marker store is read once here, so a damaged one is found now
                return lab;
            }
            catch (SqliteException e)
            {
                throw NotALab(full, e.Message);
            }
            catch (KeyNotFoundException)
            {
                throw NotALab(full, "its marker store is incomplete");
            }
            catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentOutOfRangeException)
            {
                throw NotALab(full, "its marker store holds a value that is not a number or a time");
            }
        }

        /// <summary>Opens the BackPak domain of one node.</summary>
        public LabDomain OpenDomain(string node)
        {
            string n = Names.NormalizeNode(node);
            if (!Nodes.Contains(n))
                throw new BackPakException(ErrorIds.NodeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"The lab at '{Root}' has no node '{node}'. Its nodes are {string.Join(", ", Nodes)}.", node,
                    "Give one of the lab's nodes, for example -Node '" + Nodes.FirstOrDefault() + "'.", stopsInvocation: true);
            if (IsLost(n)) throw NodeLost(n);
            return new LabDomain(this, n);
        }

        /// <summary>Whether a node is lost (a NODE_LOST fault): it does not answer, and its site's storage and key server are gone.</summary>
        internal bool IsLost(string node) => HasFault(LabDomain.FaultNodeLost, node);

        /// <summary>Whether a site is gone with a lost node that sits in it.</summary>
        internal bool IsSiteLost(string site)
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root), readOnly: true);
            return LabDb.Scalar(c, "SELECT 1 FROM fault f JOIN node n ON n.name = f.target COLLATE NOCASE WHERE f.kind = @k AND n.site = @s COLLATE NOCASE",
                ("@k", LabDomain.FaultNodeLost), ("@s", site)) != null;
        }

        /// <summary>What reaching a lost node gives: the error the module uses for a node that does not answer.</summary>
        internal static BackPakException NodeLost(string node) =>
            new BackPakException(ErrorIds.NonStopUnreachable, BackPakErrorCategory.ConnectionError,
                $"The node {node} does not answer: it is lost, with its site's storage and key server (the lab's NodeLost fault).", node,
                $"Recover at the other side (Test-BPRecovery, then Invoke-BPRecovery -PrimaryLost '{node}'), or bring the node back as it was left: Remove-BPLabFault NodeLost '{node}'.",
                stopsInvocation: true);

        /// <summary>Whether the simulator has a fault of this kind on this target (read fresh: another process may set it).</summary>
        internal bool HasFault(string kind, string target)
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root), readOnly: true);
            return LabDb.Scalar(c, "SELECT 1 FROM fault WHERE kind = @k AND target = @t COLLATE NOCASE", ("@k", kind), ("@t", target)) != null;
        }

        /// <summary>
        /// Injects a fault: STAGING_UNREACHABLE (target: a node, its Expand link is down), IMPORT_FAILURE (target: a label)
        /// or NODE_LOST (target: one of the lab's nodes).
        /// </summary>
        public void AddFault(LabFaultKind kind, string target)
        {
            if (kind == LabFaultKind.NodeLost && !Nodes.Contains(Names.NormalizeNode(target)))
                throw new BackPakException(ErrorIds.NodeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"The lab at '{Root}' has no node '{target}' to lose. Its nodes are {string.Join(", ", Nodes)}.", target,
                    "Give one of the lab's nodes, for example '" + Nodes.FirstOrDefault() + "'.");
            AddFault(LabFault.Code(kind), kind == LabFaultKind.NodeLost ? Names.NormalizeNode(target) : target);
        }

        public int RemoveFault(LabFaultKind? kind, string? target) => RemoveFault(kind.HasValue ? LabFault.Code(kind.Value) : null, target);

        internal void AddFault(string kind, string target)
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root));
            LabDb.Exec(c, "INSERT OR REPLACE INTO fault(kind, target, created) VALUES (@k, @t, @c)", ("@k", kind), ("@t", target), ("@c", LabDb.ToUnixMs(Now)));
        }

        /// <summary>Clears faults: one, all of a kind (target null), or all (kind null).</summary>
        internal int RemoveFault(string? kind, string? target)
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root));
            return LabDb.Exec(c, "DELETE FROM fault WHERE (@k IS NULL OR kind = @k) AND (@t IS NULL OR target = @t COLLATE NOCASE)", ("@k", kind), ("@t", target));
        }

        internal IReadOnlyList<(string Kind, string Target, DateTime Created)> GetFaults()
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root), readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT kind, target, created FROM fault ORDER BY kind, target";
            using var r = cmd.ExecuteReader();
            var list = new List<(string, string, DateTime)>();
            while (r.Read()) list.Add((r.GetString(0), r.GetString(1), LabDb.FromUnixMs(r.GetInt64(2))));
            return list;
        }

        /// <summary>Where the lab keeps the journals of procedure runs (role switches).</summary>
        public IRunJournalStore RunJournal => new FolderRunJournal(Root, Path.Combine(Root, "runs"), () => Now, LabFaults.CrashPoint);

        /// <summary>The lab's replication link of a kind (STORAGE for a data store, KEYS), or null.</summary>
        public IReplicationLink? ReplicationLink(string kind, string? dataStore)
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root), readOnly: true);
            var name = (string?)LabDb.Scalar(c, "SELECT name FROM replication_link WHERE kind = @k AND (@s IS NULL OR scope = @s COLLATE NOCASE OR scope IS NULL) ORDER BY scope IS NULL LIMIT 1",
                ("@k", kind), ("@s", dataStore));
            return name == null ? null : new LabReplicationLink(this, name);
        }

        /// <summary>The site a node sits in.</summary>
        public string? SiteOf(string node)
        {
            using var c = LabDb.Open(LabLayout.LabDb(Root), readOnly: true);
            return (string?)LabDb.Scalar(c, "SELECT site FROM node WHERE name = @n", ("@n", Names.NormalizeNode(node)));
        }

        /// <summary>The faults in force, as objects.</summary>
        public IReadOnlyList<LabFault> Faults() =>
            GetFaults().Select(f => (Kind: LabFault.Parse(f.Kind), f.Target, f.Created)).Where(f => f.Kind.HasValue)
                .Select(f => new LabFault { Kind = f.Kind!.Value, Target = f.Target, Created = f.Created }).ToList();

        /// <summary>Opens the key server of the site a node sits in, as the node's domain reaches it.</summary>
        public LabKeyStore OpenKeyStore(string node)
        {
            using var domain = OpenDomain(node); // checks the node
            string n = domain.Node;
            using var c = LabDb.Open(LabLayout.LabDb(Root), readOnly: true);
            var site = (string)LabDb.Scalar(c, "SELECT site FROM node WHERE name = @n", ("@n", n))!;
            string? backPakId;
            using (var bp = LabDb.Open(LabLayout.BackPakDb(Root, n), readOnly: true))
                backPakId = (string?)LabDb.Scalar(bp, "SELECT backpak_id FROM key_manager ORDER BY backpak_id LIMIT 1");
            return new LabKeyStore(this, n, site, backPakId);
        }

        internal static DateTime LabClock(Dictionary<string, string> values)
        {
            long lab0 = long.Parse(values["clock_origin_lab"], System.Globalization.CultureInfo.InvariantCulture);
            long real0 = long.Parse(values["clock_origin_real"], System.Globalization.CultureInfo.InvariantCulture);
            return LabDb.FromUnixMs(lab0 + (LabDb.ToUnixMs(DateTime.UtcNow) - real0));
        }

        private static BackPakException NotALab(string full, string why) =>
            new BackPakException(ErrorIds.NotALab, BackPakErrorCategory.InvalidData,
                $"'{full}' is not a BackPak lab: {why}.", full, "Point -Lab at a folder made by New-BPLab.", stopsInvocation: true);
    }
}
