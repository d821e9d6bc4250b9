using System;
using System.IO;

namespace BackPak.Lab
{
    /// <summary>
    /// Where everything of a lab lives on disk. Each catalog the manual names is its own SQLite store per node,
    /// as they are separate on a real system, and storage and key servers belong to sites, not nodes.
    /// <code>
    /// lab.db                         the lab itself: format marker, seed, clock, nodes, sites, replication links
    /// nodes/A/backpak.db             BackPak catalog and configuration of \A's domain
    /// nodes/A/dsmtc.db               DSM/TC catalogs on \A (VOLCATs, POOLs, FILECATs)
    /// nodes/A/tmf.db                 TMF catalog on \A
    /// nodes/A/staging/               staging areas hosted on \A
    /// sites/SITEA/storage/DS01/      volume images LB&lt;label&gt;.IND / .DAT
    /// sites/SITEA/keys.db            the site's key server
    /// </code>
    /// </summary>
    internal static class LabLayout
    {
        public const string LabDbName = "lab.db";
        public const string Format = "BackPak.Lab";
        public const int FormatVersion = 2;

        public static string LabDb(string root) => Path.Combine(root, LabDbName);
        public static string NodeFolder(string node) => node.TrimStart('\\').ToUpperInvariant();
        public static string NodeDir(string root, string node) => Path.Combine(root, "nodes", NodeFolder(node));
        public static string BackPakDb(string root, string node) => Path.Combine(NodeDir(root, node), "backpak.db");
        public static string DsmTcDb(string root, string node) => Path.Combine(NodeDir(root, node), "dsmtc.db");
        public static string TmfDb(string root, string node) => Path.Combine(NodeDir(root, node), "tmf.db");
        public static string StagingRoot(string root, string node) => Path.Combine(NodeDir(root, node), "staging");
        public static string SiteDir(string root, string site) => Path.Combine(root, "sites", site);
        public static string StorageDir(string root, string site, string dataStore) => Path.Combine(SiteDir(root, site), "storage", dataStore);
        public static string KeyDb(string root, string site) => Path.Combine(SiteDir(root, site), "keys.db");

        /// <summary>UNC path the data store configuration shows for a site's storage (WINDOWS FILE store).</summary>
        public static string StorageUnc(string site, string dataStore) => @"\\" + site + @"-NAS\BACKPAK\" + dataStore;

        /// <summary>Maps a storage UNC path of the lab back to its folder.</summary>
        public static string StorageDirFromUnc(string root, string unc)
        {
            // \\SITEA-NAS\BACKPAK\DS01
            var parts = unc.TrimStart('\\').Split('\\');
            if (parts.Length != 3 || !parts[0].EndsWith("-NAS", StringComparison.OrdinalIgnoreCase))
                throw new FormatException("Not a lab storage path: " + unc);
            return StorageDir(root, parts[0].Substring(0, parts[0].Length - 4), parts[2]);
        }

        /// <summary>Maps a Guardian staging location <c>\NODE.$VOL.SUBVOL</c> to its folder in the lab.</summary>
        public static string StagingDirFromGuardian(string root, string location)
        {
            var parts = location.Split('.');
            if (parts.Length != 3 || !parts[0].StartsWith(@"\", StringComparison.Ordinal) || !parts[1].StartsWith("$", StringComparison.Ordinal))
                throw new FormatException("Not a Guardian subvolume (\\NODE.$VOL.SUBVOL): " + location);
            return Path.Combine(StagingRoot(root, parts[0]), parts[1].TrimStart('$') + "." + parts[2]);
        }

        public static string IndexFile(string storageDir, string label) => Path.Combine(storageDir, "LB" + label + ".IND");
        public static string DataFile(string storageDir, string label) => Path.Combine(storageDir, "LB" + label + ".DAT");
    }
}
