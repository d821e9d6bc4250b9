using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;

namespace BackPak.Lab
{
    /// <summary>A NonStop node of the lab and the site (storage, key server) it sits in.</summary>
    internal sealed class NodeSpec
    {
        public NodeSpec(string name, string site, string domainId)
        {
            Name = name; Site = site; DomainId = domainId;
        }
        public string Name { get; }
        public string Site { get; }
        public string DomainId { get; }
        /// <summary>Folder of the node under <c>nodes/</c>: the node name without its backslash.</summary>
        public string Folder => LabLayout.NodeFolder(Name);
    }

    internal sealed class DataStoreSpec
    {
        public string Name = "";
        public string Node = "";
        public DomainAccess Access;
        public string StorageSite = "";
        /// <summary>Guardian location of the staging area this store exports to (PRIMARY) or imports from (SECONDARY).</summary>
        public string? StagingArea;
        public string PrimaryStoreId = "";
        public VolumeGroupSpec[] Groups = new VolumeGroupSpec[0];
    }

    internal sealed class VolumeGroupSpec
    {
        public string Name = "";
        public CatalogKind Kind;
        public string? VolumeCatalog;
        public string? Pool;
        public string? FileCatalog;
        public string? TmfNode;
        public bool EncryptedWhenLabEncrypted;
        /// <summary>Which share of all volumes (in tenths) belongs to this group: see <see cref="LabTopology.Slots"/>.</summary>
        public int Slots;
        public string OwnerUser = "SUPER.OPER";
        public int BackupWindowDays;
        public int[] RetentionDays = new int[0];
        /// <summary>Retention of a volume rewritten by a lab backup.</summary>
        public int NewRetentionDays => RetentionDays.Length > 0 ? RetentionDays[RetentionDays.Length - 1] : 30;
    }

    /// <summary>
    /// The fixed shape of a lab estate, in one place: node \A holds the PRIMARY data store replicated to its
    /// SECONDARY counterpart on \B, with dedicated VOLCAT/FILECAT per primary source at the secondary (R3);
    /// each node also has a local PRIMARY store that is not replicated, so procedures can prove they leave
    /// other stores alone. More replicated stores may follow the main one (a whole site to switch): each PRIMARY on
    /// \A with one DSM/TC group, SECONDARY on \B with the same group name and catalogs of its own on each side.
    /// The main store comes first everywhere, so a lab of one store is what it always was, seed for seed.
    /// </summary>
    internal sealed class LabTopology
    {
        public const string NodeA = @"\A";
        public const string NodeB = @"\B";
        public const string SiteA = "SITEA";
        public const string SiteB = "SITEB";
        /// <summary>BackPak id of the Key Manager: the same on both sides (R15, CS p6).</summary>
        public const string KeyManagerId = "KM01";

        /// <summary>At most this many replicated stores besides the main one: their groups and catalogs are numbered 1 to 9.</summary>
        public const int MaxMoreStores = 9;

        public LabTopology(string replicatedStore, IReadOnlyList<string>? moreStores = null, string? transportGroup = null)
        {
            ReplicatedStore = replicatedStore;
            ReplicatedStores = new[] { replicatedStore }.Concat(moreStores ?? new string[0]).ToArray();
            Nodes = new[]
            {
                new NodeSpec(NodeA, SiteA, "BPDOMA"),
                new NodeSpec(NodeB, SiteB, "BPDOMB"),
            };
            var primary = new DataStoreSpec
            {
                Name = replicatedStore, Node = NodeA, Access = DomainAccess.Primary, StorageSite = SiteA,
                StagingArea = @"\B.$BPSTAGE." + replicatedStore, PrimaryStoreId = replicatedStore,
                Groups = new[]
                {
                    Dsm("DAILY", @"\A.VCDS01", "DAILY", @"\A.FCDS01", 5, "BACKUP.DAILY", 60, 14, 35),
                    Dsm("MONTHLY", @"\A.VCDS01", "MONTHLY", @"\A.FCDS01", 2, "BACKUP.MONTH", 730, 365),
                    Tmf("TMFDUMPS", NodeA, 1, 30, 7, 14),
                },
            };
            var secondary = new DataStoreSpec
            {
                Name = replicatedStore, Node = NodeB, Access = DomainAccess.Secondary, StorageSite = SiteB,
                StagingArea = @"\B.$BPSTAGE." + replicatedStore, PrimaryStoreId = replicatedStore,
                // Same group names on both sides (CS p9); dedicated catalogs per primary source (R3).
                Groups = new[]
                {
                    Dsm("DAILY", @"\B.VCA01", "DAILY", @"\B.FCA01", 0, "BACKUP.DAILY", 0, 14, 35),
                    Dsm("MONTHLY", @"\B.VCA01", "MONTHLY", @"\B.FCA01", 0, "BACKUP.MONTH", 0, 365),
                    Tmf("TMFDUMPS", NodeB, 0, 0, 7, 14),
                },
            };
            var localA = new DataStoreSpec
            {
                Name = "DS02", Node = NodeA, Access = DomainAccess.Primary, StorageSite = SiteA, PrimaryStoreId = "DS02",
                Groups = new[] { Dsm("LOCALA", @"\A.VCLOCAL", "LOCAL", @"\A.FCLOCAL", 1, "SUPER.OPER", 90, 30, 60) },
            };
            var localB = new DataStoreSpec
            {
                Name = "DS03", Node = NodeB, Access = DomainAccess.Primary, StorageSite = SiteB, PrimaryStoreId = "DS03",
                Groups = new[] { Dsm("LOCALB", @"\B.VCLOCAL", "LOCAL", @"\B.FCLOCAL", 1, "SUPER.OPER", 90, 30, 60) },
            };
            // Last in the store, with no slot: every other group keeps its volumes, seed for seed.
            if (transportGroup != null)
                foreach (var s in new[] { primary, secondary })
                    s.Groups = s.Groups.Concat(new[] { new VolumeGroupSpec { Name = transportGroup, Kind = CatalogKind.None, Slots = 0, RetentionDays = new[] { 1 } } }).ToArray();
            if (string.Equals(replicatedStore, localA.Name, StringComparison.OrdinalIgnoreCase)) localA.Name = localA.PrimaryStoreId = "DS92";
            if (string.Equals(replicatedStore, localB.Name, StringComparison.OrdinalIgnoreCase)) localB.Name = localB.PrimaryStoreId = "DS93";
            var stores = new List<DataStoreSpec> { primary, localA, secondary, localB };
            // After the four of a one-store lab, so its slots (and every volume's store, group and dates) stay as they were.
            for (int k = 1; k < ReplicatedStores.Length; k++) stores.AddRange(MoreStore(ReplicatedStores[k], k));
            DataStores = stores.ToArray();
            // A volume group's name is unique in its domain (one table per node).
            if (transportGroup != null && DataStores.GroupBy(d => d.Node).Any(n => n.SelectMany(d => d.Groups).Count(g => string.Equals(g.Name, transportGroup, StringComparison.OrdinalIgnoreCase)) > 1))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"Volume group {transportGroup} is a group of the lab already; the transport volume group needs a name of its own.", transportGroup,
                    "Choose another name, such as TRANSPORT.", stopsInvocation: true);

            // Volumes are dealt to groups by index modulo the slot total, so every seed gives every group its share.
            Slots = DataStores.Where(s => s.Access == DomainAccess.Primary)
                .SelectMany(s => s.Groups.Select(g => (Store: s, Group: g)))
                .SelectMany(x => Enumerable.Repeat(x, x.Group.Slots))
                .ToArray();
        }

        /// <summary>The main replicated store (<c>replicated_data_store</c> in lab.db).</summary>
        public string ReplicatedStore { get; }
        /// <summary>Every replicated store, the main one first.</summary>
        public string[] ReplicatedStores { get; }
        public NodeSpec[] Nodes { get; }
        public DataStoreSpec[] DataStores { get; }
        public (DataStoreSpec Store, VolumeGroupSpec Group)[] Slots { get; }

        public NodeSpec Node(string name) => Nodes.First(n => n.Name == name);

        /// <summary>Whether a store is replicated from \A to \B (the main one or another).</summary>
        public bool IsReplicated(string store) => ReplicatedStores.Contains(store, StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// The k-th replicated store after the main one: one DSM/TC group DAILYX<i>k</i>, the same name on both sides
        /// (CS p9), with catalogs of its own on \A (VCX<i>k</i>, FCX<i>k</i>) and dedicated ones at the secondary for
        /// this primary source (VCB<i>k</i>, FCB<i>k</i>: R3). Retention and window as DS01's DAILY group.
        /// </summary>
        private static DataStoreSpec[] MoreStore(string name, int k)
        {
            string group = "DAILYX" + k, staging = @"\B.$BPSTAGE." + name;
            return new[]
            {
                new DataStoreSpec
                {
                    Name = name, Node = NodeA, Access = DomainAccess.Primary, StorageSite = SiteA, StagingArea = staging, PrimaryStoreId = name,
                    Groups = new[] { Dsm(group, @"\A.VCX" + k, group, @"\A.FCX" + k, 1, "BACKUP.DAILY", 60, 14, 35) },
                },
                new DataStoreSpec
                {
                    Name = name, Node = NodeB, Access = DomainAccess.Secondary, StorageSite = SiteB, StagingArea = staging, PrimaryStoreId = name,
                    Groups = new[] { Dsm(group, @"\B.VCB" + k, group, @"\B.FCB" + k, 0, "BACKUP.DAILY", 0, 14, 35) },
                },
            };
        }

        /// <summary>The SECONDARY counterpart of the replicated store.</summary>
        public DataStoreSpec SecondaryOf(DataStoreSpec primary) =>
            DataStores.FirstOrDefault(s => s.Access == DomainAccess.Secondary && s.PrimaryStoreId == primary.Name)!;

        /// <summary>DSM/TC catalogs that exist on a node (R6), with the MEDIADEFS default FILECAT flagged (R4).</summary>
        public IEnumerable<(string Name, string Kind, bool IsDefault)> DsmCatalogs(string node)
        {
            var seen = new HashSet<string>();
            foreach (var g in DataStores.Where(s => s.Node == node).SelectMany(s => s.Groups))
            {
                if (g.VolumeCatalog != null && seen.Add(g.VolumeCatalog)) yield return (g.VolumeCatalog, "VOLCAT", false);
                if (g.FileCatalog != null && seen.Add(g.FileCatalog)) yield return (g.FileCatalog, "FILECAT", false);
            }
            yield return (node + ".FCDEFLT", "FILECAT", true);
        }

        private static VolumeGroupSpec Dsm(string name, string volcat, string pool, string filecat, int slots,
            string owner, int windowDays, params int[] retention) => new VolumeGroupSpec
        {
            Name = name, Kind = CatalogKind.DsmTc, VolumeCatalog = volcat, Pool = pool, FileCatalog = filecat,
            Slots = slots, OwnerUser = owner, BackupWindowDays = windowDays, RetentionDays = retention,
            EncryptedWhenLabEncrypted = true,
        };

        private static VolumeGroupSpec Tmf(string name, string node, int slots, int windowDays, params int[] retention) => new VolumeGroupSpec
        {
            Name = name, Kind = CatalogKind.Tmf, TmfNode = node, Slots = slots, OwnerUser = "TMF.AUDIT",
            BackupWindowDays = windowDays, RetentionDays = retention,
        };
    }
}
