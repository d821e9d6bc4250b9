using System;
using System.IO;
using BackPak.Core.Errors;
using BackPak.Core.Text;

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
        public const int FormatVersion = 3;

        public static string LabDb(string root) => Path.Combine(root, LabDbName);
        public static string NodeFolder(string node)
        {
            if (!Guardian.IsNode(node)) throw Escapes(node, "a node name");
            return node.Substring(1);
        }
        public static string NodeDir(string root, string node) => Under(root, "nodes", NodeFolder(node));
        public static string BackPakDb(string root, string node) => Path.Combine(NodeDir(root, node), "backpak.db");
        public static string DsmTcDb(string root, string node) => Path.Combine(NodeDir(root, node), "dsmtc.db");
        public static string TmfDb(string root, string node) => Path.Combine(NodeDir(root, node), "tmf.db");
        public static string StagingRoot(string root, string node) => Path.Combine(NodeDir(root, node), "staging");
        /// <summary>Where an import pins the files it applies until it ends (see LabDomain.ImportIntent), one folder per run.</summary>
        public static string ImportIntentDir(string root, string node) => Path.Combine(NodeDir(root, node), "import-intent");
        public static string ImportPinDir(string root, string node, long runId) => Path.Combine(ImportIntentDir(root, node), runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        public static string SiteDir(string root, string site) => Under(root, "sites", Checked(site, "a site name"));
        public static string StorageDir(string root, string site, string dataStore) => Under(root, "sites", Checked(site, "a site name"), "storage", Checked(dataStore, "a data store name"));
        public static string KeyDb(string root, string site) => Path.Combine(SiteDir(root, site), "keys.db");

        /// <summary>UNC path the data store configuration shows for a site's storage (WINDOWS FILE store).</summary>
        public static string StorageUnc(string site, string dataStore) => @"\\" + site + @"-NAS\BACKPAK\" + dataStore;

        /// <summary>Maps a storage UNC path of the lab back to its folder.</summary>
        public static string StorageDirFromUnc(string root, string unc)
        {
            // \\SITEA-NAS\BACKPAK\DS01
            var parts = unc.TrimStart('\\').Split('\\');
            if (parts.Length != 3 || !parts[0].EndsWith("-NAS", StringComparison.OrdinalIgnoreCase))
                throw Escapes(unc, "a lab storage path (\\\\SITE-NAS\\BACKPAK\\STORE)");
            return StorageDir(root, parts[0].Substring(0, parts[0].Length - 4), parts[2]);
        }

        /// <summary>
        /// Maps a Guardian staging location <c>\NODE.$VOL.SUBVOL</c> to its folder in the lab, or refuses one that
        /// is not a qualified subvolume by the Guardian rule (so it can hold no path of its own).
        /// </summary>
        public static string StagingDirFromGuardian(string root, string location)
        {
            if (!Guardian.TryParseSubvolume(location, requireNode: true, out var node, out var volume, out var subvolume))
                throw Escapes(location, "a Guardian subvolume (\\NODE.$VOL.SUBVOL, each part letters and digits)");
            return Under(StagingRoot(root, node!), volume.Substring(1) + "." + subvolume);
        }

        public static string IndexFile(string storageDir, string label) => Under(storageDir, "LB" + CheckedLabel(label) + ".IND");
        public static string DataFile(string storageDir, string label) => Under(storageDir, "LB" + CheckedLabel(label) + ".DAT");

        /// <summary>
        /// A folder given for a lab as one canonical full path: resolved against the current folder, without the
        /// trailing separator tab completion leaves (<c>lab/</c> and <c>lab</c> are one lab, and its hidden build
        /// folders sit beside it, not inside it).
        /// </summary>
        public static string FullPath(string path)
        {
            string full;
            try { full = Path.GetFullPath(path); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new BackPakException(ErrorIds.LabPathInvalid, BackPakErrorCategory.InvalidArgument,
                    $"'{path}' is not a usable folder path: {e.Message}", path, "Give the path of a folder, such as ./lab.", stopsInvocation: true);
            }
            string top = Path.GetPathRoot(full) ?? "";
            while (full.Length > top.Length && (full[full.Length - 1] == Path.DirectorySeparatorChar || full[full.Length - 1] == Path.AltDirectorySeparatorChar))
                full = full.Substring(0, full.Length - 1);
            return full;
        }

        /// <summary>
        /// The one place a lab path is built from names: the parts joined under <paramref name="root"/>, resolved, and
        /// checked to stay inside it. A part that is empty, '.', '..' or holds a separator is refused before anything
        /// touches the disk, whatever rule let it through.
        /// </summary>
        public static string Under(string root, params string[] parts)
        {
            string path = root;
            foreach (var p in parts)
            {
                if (string.IsNullOrEmpty(p) || p == "." || p == ".." || p.IndexOfAny(Separators) >= 0 || p.IndexOf('\0') >= 0)
                    throw Escapes(p, "a name of one folder or file");
                path = Path.Combine(path, p);
            }
            string full = Path.GetFullPath(path);
            string inside = FullPath(root) + Path.DirectorySeparatorChar;
            if (!full.StartsWith(inside, StringComparison.Ordinal)) throw Escapes(string.Join("/", parts), "a name inside the lab");
            return full;
        }

        private static readonly char[] Separators = { '/', '\\', ':' };

        private static string Checked(string name, string what) =>
            Names.IsValid(name) && name.IndexOfAny(Separators) < 0 ? name : throw Escapes(name, what);

        private static string CheckedLabel(string label) => Labels.IsValid(label) ? label : throw Escapes(label, "a volume label (six letters or digits)");

        private static BackPakException Escapes(string? value, string what) =>
            new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                $"'{value}' is not {what}, so the lab does not turn it into a file or folder: it could lead outside the lab folder.", value,
                "Use names made of letters and digits; nothing was changed.");
    }
}
