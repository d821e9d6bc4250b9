using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Transport;

namespace BackPak.NonStop.Site
{
    /// <summary>How the module signs in to a node. A password is never written in the description: it is asked for when connecting.</summary>
    public enum SiteAuthentication
    {
        Key,
        Password,
    }

    /// <summary>The tape catalog a volume group is linked to (BB p19/17: DSM/TC VOLCAT and POOL, and FILECAT; or TMF; or none).</summary>
    public enum SiteCatalogKind
    {
        DsmTc,
        Tmf,
        None,
    }

    /// <summary>
    /// What no read can discover about a site, written once by the operator (docs/nonstop/site-description.md):
    /// each node's SSH endpoint and host key, where BackPak's macros are, which data stores, volume groups,
    /// catalogs, storage paths and staging subvolumes belong together, and the Key Manager id.
    /// </summary>
    public sealed class SiteDescription
    {
        public const int CurrentSchemaVersion = 1;

        internal SiteDescription(string? name, IReadOnlyList<SiteNode> nodes, string? source)
        {
            Name = name;
            Nodes = nodes;
            Source = source;
        }

        public string? Name { get; }
        public IReadOnlyList<SiteNode> Nodes { get; }

        /// <summary>The file it was read from, or null when it came from a hashtable.</summary>
        public string? Source { get; }

        public SiteNode? Node(string node) => Nodes.FirstOrDefault(n => string.Equals(n.Node, Names.NonStopNames.Node(node), StringComparison.Ordinal));
    }

    /// <summary>One NonStop node of the site and its BackPak domain.</summary>
    public sealed class SiteNode
    {
        internal SiteNode(string node, SiteSsh ssh, string backPakSubvolume, bool tmf, string? keyManagerId, IReadOnlyList<SiteDataStore> dataStores)
        {
            Node = node;
            Ssh = ssh;
            BackPakSubvolume = backPakSubvolume;
            Tmf = tmf;
            KeyManagerId = keyManagerId;
            DataStores = dataStores;
        }

        public string Node { get; }
        public SiteSsh Ssh { get; }

        /// <summary>The BackPak install subvolume holding BBSETUP and MACROS (LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS, CS p28).</summary>
        public string BackPakSubvolume { get; }

        /// <summary>Whether TMF holds a tape catalog on this node (volume groups linked to TMF need it).</summary>
        public bool Tmf { get; }

        /// <summary>The BackPak id of the domain's Key Manager (the same id on both sides of a replicated store, CS p6).</summary>
        public string? KeyManagerId { get; }
        public IReadOnlyList<SiteDataStore> DataStores { get; }

        /// <summary>The transport endpoint of this node; relative and ~ paths resolve against <paramref name="baseDirectory"/> and the home folder.</summary>
        public NodeEndpoint ToEndpoint(string baseDirectory)
        {
            HostKeyTrust trust = Ssh.HostKeySha256 != null
                ? HostKeyTrust.PinnedSha256(Ssh.HostKeySha256)
                : HostKeyTrust.KnownHostsFile(SitePaths.Resolve(Ssh.KnownHostsFile!, baseDirectory));
            return new NodeEndpoint(Node, Ssh.Host, Ssh.Port, Ssh.User, trust, Ssh.CommandForm,
                new NonStopTimeouts(TimeSpan.FromSeconds(Ssh.ConnectTimeoutSeconds), TimeSpan.FromSeconds(Ssh.CommandTimeoutSeconds)));
        }
    }

    /// <summary>A node's SSH endpoint as described.</summary>
    public sealed class SiteSsh
    {
        internal SiteSsh(string host, int port, string user, string? knownHostsFile, string? hostKeySha256, SiteAuthentication authentication,
            string? identityFile, CommandForm commandForm, int connectTimeoutSeconds, int commandTimeoutSeconds)
        {
            Host = host;
            Port = port;
            User = user;
            KnownHostsFile = knownHostsFile;
            HostKeySha256 = hostKeySha256;
            Authentication = authentication;
            IdentityFile = identityFile;
            CommandForm = commandForm;
            ConnectTimeoutSeconds = connectTimeoutSeconds;
            CommandTimeoutSeconds = commandTimeoutSeconds;
        }

        public string Host { get; }
        public int Port { get; }
        public string User { get; }
        public string? KnownHostsFile { get; }
        public string? HostKeySha256 { get; }
        public SiteAuthentication Authentication { get; }
        public string? IdentityFile { get; }
        public CommandForm CommandForm { get; }
        public int ConnectTimeoutSeconds { get; }
        public int CommandTimeoutSeconds { get; }
    }

    /// <summary>A data store of a node's domain and what belongs to it.</summary>
    public sealed class SiteDataStore
    {
        internal SiteDataStore(string storeId, string domainAccess, string storeType, IReadOnlyList<string> storagePaths, string? stagingSubvolume, IReadOnlyList<SiteVolumeGroup> volumeGroups)
        {
            StoreId = storeId;
            DomainAccess = domainAccess;
            StoreType = storeType;
            StoragePaths = storagePaths;
            StagingSubvolume = stagingSubvolume;
            VolumeGroups = volumeGroups;
        }

        public string StoreId { get; }

        /// <summary>PRIMARY, SECONDARY or RESTRICTED as the operator expects it to be (a read checks it).</summary>
        public string DomainAccess { get; }

        /// <summary>WINDISK (Windows file system or NAS) or TSM.</summary>
        public string StoreType { get; }

        /// <summary>The WINDISK storage paths as this machine reaches them (a share or a mount) where LB&lt;label&gt;.IND/.DAT are.</summary>
        public IReadOnlyList<string> StoragePaths { get; }

        /// <summary>The staging subvolume of the store's Catalog Sync (the export target of a PRIMARY, the import source of a SECONDARY).</summary>
        public string? StagingSubvolume { get; }
        public IReadOnlyList<SiteVolumeGroup> VolumeGroups { get; }
    }

    /// <summary>A volume group and its tape catalog.</summary>
    public sealed class SiteVolumeGroup
    {
        internal SiteVolumeGroup(string name, SiteCatalogKind catalog, string? volumeCatalog, string? pool, string? fileCatalog)
        {
            Name = name;
            Catalog = catalog;
            VolumeCatalog = volumeCatalog;
            Pool = pool;
            FileCatalog = fileCatalog;
        }

        public string Name { get; }
        public SiteCatalogKind Catalog { get; }
        public string? VolumeCatalog { get; }
        public string? Pool { get; }
        public string? FileCatalog { get; }
    }

    internal static class SitePaths
    {
        public static string Resolve(string path, string baseDirectory)
        {
            if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
                return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path.Substring(2) : "");
            return System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path));
        }
    }
}
