using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Whether a lab's estate agrees with itself: what Test-BPLab reports, and (its cheap part) what opening a domain
    /// warns of. A lost commit (a power cut at synchronous=NORMAL, a WAL whose header is gone) or a file deleted by
    /// hand leaves catalogs that no longer describe the storage, or one catalog out of step with another; the lab
    /// then reads on as if nothing happened. This finds it and says where. It only reads: it never repairs.
    /// One check per place, in the type Test-BPDecommission returns (one concept, one place).
    /// </summary>
    public static class LabEstate
    {
        private const int MaxLeft = 100;

        private sealed class Row
        {
            public string Label = "", Store = "", Group = "", Access = "", Status = "";
            public string? Operation;
        }

        private sealed class StoreInfo
        {
            public string Name = "", Access = "", StoragePath = "";
        }

        /// <summary>Every check of the estate: per node its three catalogs, the storage of each data store, its intents; per storage folder its files; the run journals.</summary>
        public static IReadOnlyList<DecommissionCheck> Test(Lab lab)
        {
            var checks = new List<DecommissionCheck>();
            checks.Add(Readable(LabLayout.LabDb(lab.Root), "lab marker store", ""));
            var volumes = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
            var stores = new Dictionary<string, List<StoreInfo>>(StringComparer.Ordinal);
            foreach (var node in lab.Nodes)
            {
                string bp = LabLayout.BackPakDb(lab.Root, node), dsm = LabLayout.DsmTcDb(lab.Root, node), tmf = LabLayout.TmfDb(lab.Root, node);
                checks.Add(Readable(bp, "BackPak catalog on " + node, node));
                checks.Add(Readable(dsm, "DSM/TC catalog on " + node, node));
                checks.Add(Readable(tmf, "TMF catalog on " + node, node));
                List<Row> rows;
                Dictionary<string, CatalogKind> groups;
                List<StoreInfo> nodeStores;
                try
                {
                    using var c = LabDb.Open(bp, readOnly: true);
                    rows = Volumes(c);
                    groups = Groups(c);
                    nodeStores = Stores(c);
                }
                catch (SqliteException) { continue; } // reported unreadable above
                volumes[node] = rows;
                stores[node] = nodeStores;
                checks.Add(TapeCatalog(lab, node, rows, groups, CatalogKind.DsmTc));
                checks.Add(TapeCatalog(lab, node, rows, groups, CatalogKind.Tmf));
                foreach (var s in nodeStores) checks.Add(StorageOfStore(lab.Root, node, s, rows));
                checks.Add(RemovalIntents(bp, node));
                checks.Add(ImportIntents(bp, node));
            }
            checks.AddRange(StorageFolders(lab, volumes, stores));
            checks.Add(RunJournals(lab));
            return checks;
        }

        /// <summary>
        /// The cheap part, for the opening of one node's domain: each of its data stores' catalogued volumes has its
        /// images in storage (one listing of each storage folder, one read of the catalog). One sentence per store out
        /// of step, naming it and the way to see more (Test-BPLab); empty when all is well.
        /// </summary>
        public static IReadOnlyList<string> QuickWarnings(Lab lab, string node)
        {
            var warnings = new List<string>();
            List<Row> rows;
            List<StoreInfo> nodeStores;
            try
            {
                using var c = LabDb.Open(LabLayout.BackPakDb(lab.Root, node), readOnly: true);
                rows = Volumes(c);
                nodeStores = Stores(c);
            }
            catch (SqliteException e)
            {
                return new[] { $"The BackPak catalog of {node} in the lab at '{lab.Root}' cannot be read ({e.Message}). Run Test-BPLab -Path '{lab.Root}' to see what else is out of step." };
            }
            foreach (var s in nodeStores)
            {
                var check = StorageOfStore(lab.Root, node, s, rows);
                if (!check.Passed)
                    warnings.Add($"The estate of the lab at '{lab.Root}' is out of step: {check.Place}: {check.Detail} Nothing was changed; " +
                                 $"run Test-BPLab -Path '{lab.Root}' for every check, and do not remove or rewrite those volumes until the cause is known.");
            }
            return warnings;
        }

        private static DecommissionCheck Check(string place, string node, string store, IReadOnlyList<string> left, string whatLeft, string way) => new DecommissionCheck
        {
            Place = place, Node = node, DataStore = store, Passed = left.Count == 0,
            Detail = left.Count == 0 ? "in step" : $"{left.Count} {whatLeft}: {Few(left)}. {way}",
            Left = left.Take(MaxLeft).ToList(),
        };

        private static string Few(IReadOnlyList<string> items) => string.Join(", ", items.Take(10)) + (items.Count > 10 ? $", ... ({items.Count - 10} more)" : "");

        /// <summary>The store opens and SQLite's quick check finds its pages and indexes whole.</summary>
        private static DecommissionCheck Readable(string db, string place, string node)
        {
            string? problem;
            try
            {
                if (!File.Exists(db)) problem = "the store is missing";
                else
                {
                    using var c = LabDb.Open(db, readOnly: true);
                    var result = Convert.ToString(LabDb.Scalar(c, "PRAGMA quick_check"), System.Globalization.CultureInfo.InvariantCulture);
                    problem = result == "ok" ? null : "SQLite's check says: " + result;
                }
            }
            catch (SqliteException e) { problem = "it cannot be read: " + e.Message; }
            return new DecommissionCheck
            {
                Place = place, Node = node, Passed = problem == null, Left = problem == null ? new string[0] : new[] { problem },
                Detail = problem == null ? "readable" : problem + ". Restore the lab folder from a copy, or make a new lab with New-BPLab.",
            };
        }

        private static List<Row> Volumes(SqliteConnection c)
        {
            var list = new List<Row>();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT label, data_store, volume_group, domain_access, catalog_status, current_operation FROM volume ORDER BY label";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                list.Add(new Row { Label = r.GetString(0), Store = r.GetString(1), Group = r.GetString(2), Access = r.GetString(3), Status = r.GetString(4), Operation = r.IsDBNull(5) ? null : r.GetString(5) });
            return list;
        }

        private static Dictionary<string, CatalogKind> Groups(SqliteConnection c)
        {
            var map = new Dictionary<string, CatalogKind>(StringComparer.OrdinalIgnoreCase);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, catalog_kind FROM volume_group";
            using var r = cmd.ExecuteReader();
            while (r.Read()) map[r.GetString(0)] = LabNames.ParseKind(r.GetString(1));
            return map;
        }

        private static List<StoreInfo> Stores(SqliteConnection c)
        {
            var list = new List<StoreInfo>();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, domain_access, storage_path FROM data_store ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(new StoreInfo { Name = r.GetString(0), Access = r.GetString(1), StoragePath = r.GetString(2) });
            return list;
        }

        private static HashSet<string> Labels(string db, string sql)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            using var c = LabDb.Open(db, readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            while (r.Read()) set.Add(r.GetString(0));
            return set;
        }

        /// <summary>
        /// The BackPak catalog and a tape catalog of one node agree: each volume of a group linked to DSM/TC has its
        /// TAPEVOLUME (of a TMF group, its TMF entry, on the PRIMARY side only: TMF entries are not replicated), and each
        /// entry of the tape catalog belongs to a BackPak volume.
        /// </summary>
        private static DecommissionCheck TapeCatalog(Lab lab, string node, List<Row> rows, Dictionary<string, CatalogKind> groups, CatalogKind kind)
        {
            string name = kind == CatalogKind.DsmTc ? "DSM/TC" : "TMF";
            string place = $"BackPak and {name} catalogs on {node}";
            HashSet<string> entries;
            try
            {
                entries = kind == CatalogKind.DsmTc
                    ? Labels(LabLayout.DsmTcDb(lab.Root, node), "SELECT label FROM tapevolume")
                    : Labels(LabLayout.TmfDb(lab.Root, node), "SELECT label FROM tmf_volume");
            }
            catch (SqliteException e)
            {
                return new DecommissionCheck { Place = place, Node = node, Passed = false, Checked = false, Detail = $"the {name} catalog cannot be read: {e.Message}.", Left = new[] { e.Message } };
            }
            var known = new HashSet<string>(rows.Select(v => v.Label), StringComparer.Ordinal);
            var left = new List<string>();
            foreach (var v in rows)
            {
                bool linked = groups.TryGetValue(v.Group, out var k) && k == kind && (kind == CatalogKind.DsmTc || v.Access == "PRIMARY");
                if (linked && !entries.Contains(v.Label)) left.Add(v.Label + $" (BackPak volume of {v.Store}, no {name} entry)");
            }
            foreach (var l in entries.Where(l => !known.Contains(l)).OrderBy(l => l, StringComparer.Ordinal)) left.Add(l + $" ({name} entry, no BackPak volume)");
            return Check(place, node, "", left, "volume(s) in one catalog and not the other",
                "A commit of one store was lost, or a catalog was changed by hand: compare with Get-BPVolume and Get-BPCatalogEntry, and run a FULL import on a SECONDARY store.");
        }

        private static HashSet<string>? FilesOf(string dir)
        {
            if (!Directory.Exists(dir)) return File.Exists(dir) ? null : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            return new HashSet<string>(Directory.EnumerateFiles(dir, "LB*").Select(f => Path.GetFileName(f)!), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>
        /// Every catalogued volume of a store has its two images in the store's storage, except a scratch volume
        /// (none while SCRATCH, BB p22/20) and one a removal has claimed (the removal intents check reports it). The lab
        /// records no image size in its catalog, so existence is what is checked.
        /// </summary>
        private static DecommissionCheck StorageOfStore(string root, string node, StoreInfo s, List<Row> rows)
        {
            string place = $"storage of {s.Name} on {node}";
            string dir;
            HashSet<string>? files;
            try
            {
                dir = LabLayout.StorageDirFromUnc(root, s.StoragePath);
                files = FilesOf(dir);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is BackPak.Core.Errors.BackPakException)
            {
                return new DecommissionCheck { Place = place, Node = node, DataStore = s.Name, Passed = false, Checked = false, Detail = $"its storage {s.StoragePath} cannot be listed: {e.Message}", Left = new[] { e.Message } };
            }
            if (files == null)
                return new DecommissionCheck { Place = place, Node = node, DataStore = s.Name, Passed = false, Detail = $"its storage {s.StoragePath} is a file, not a folder.", Left = new[] { dir } };
            var left = new List<string>();
            foreach (var v in rows.Where(v => string.Equals(v.Store, s.Name, StringComparison.OrdinalIgnoreCase) && v.Status != "SCRATCH" && v.Operation != "DELETE"))
            {
                bool ind = files.Contains(Path.GetFileName(LabLayout.IndexFile(dir, v.Label))), dat = files.Contains(Path.GetFileName(LabLayout.DataFile(dir, v.Label)));
                if (!ind || !dat) left.Add(v.Label + (ind ? " (no .DAT)" : dat ? " (no .IND)" : ""));
            }
            return Check(place, node, s.Name, left, $"catalogued volume(s) without their images in {s.StoragePath}",
                "Their data is not where the catalog says: a storage file was deleted, or the catalog lost the commit that removed them. Restore the files, or remove the volumes with Remove-BPVolume once it is known which is true.");
        }

        /// <summary>
        /// No image file in a storage folder without a catalogued volume to own it: a volume of a store whose storage
        /// it is, on any node, or of the store a healthy storage replication copies into it (its replicas).
        /// </summary>
        private static IEnumerable<DecommissionCheck> StorageFolders(Lab lab, Dictionary<string, List<Row>> volumes, Dictionary<string, List<StoreInfo>> stores)
        {
            var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal); // folder -> labels
            void Own(string dir, IEnumerable<string> labels)
            {
                dir = Path.GetFullPath(dir);
                if (!owners.TryGetValue(dir, out var set)) owners[dir] = set = new HashSet<string>(StringComparer.Ordinal);
                set.UnionWith(labels);
            }
            var links = new List<(string Source, string Target, string Scope)>();
            try
            {
                using var c = LabDb.Open(LabLayout.LabDb(lab.Root), readOnly: true);
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT source_site, target_site, scope FROM replication_link WHERE kind = 'STORAGE' AND scope IS NOT NULL";
                using var r = cmd.ExecuteReader();
                while (r.Read()) links.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
            }
            catch (SqliteException) { } // the marker store is reported unreadable
            foreach (var kv in stores)
                foreach (var s in kv.Value)
                {
                    string dir;
                    try { dir = LabLayout.StorageDirFromUnc(lab.Root, s.StoragePath); } catch (BackPak.Core.Errors.BackPakException) { continue; }
                    var labels = volumes[kv.Key].Where(v => string.Equals(v.Store, s.Name, StringComparison.OrdinalIgnoreCase)).Select(v => v.Label).ToList();
                    Own(dir, labels);
                    foreach (var l in links.Where(x => string.Equals(x.Scope, s.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        Own(LabLayout.StorageDir(lab.Root, l.Source, s.Name), labels);
                        Own(LabLayout.StorageDir(lab.Root, l.Target, s.Name), labels);
                    }
                }
            string sites = Path.Combine(lab.Root, "sites");
            var folders = Directory.Exists(sites)
                ? Directory.EnumerateDirectories(sites).SelectMany(site => Directory.Exists(Path.Combine(site, "storage")) ? Directory.EnumerateDirectories(Path.Combine(site, "storage")) : Enumerable.Empty<string>())
                : Enumerable.Empty<string>();
            foreach (var dir in folders.OrderBy(d => d, StringComparer.Ordinal))
            {
                string site = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(dir)!)!)!, store = Path.GetFileName(dir)!; // sites/<site>/storage/<store>
                if (!owners.TryGetValue(Path.GetFullPath(dir), out var owned)) owned = new HashSet<string>(StringComparer.Ordinal);
                var left = (FilesOf(dir) ?? new HashSet<string>())
                    .Where(f => (f.EndsWith(".IND", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".DAT", StringComparison.OrdinalIgnoreCase)) && f.Length == 12)
                    .Where(f => !owned.Contains(f.Substring(2, 6)))
                    .OrderBy(f => f, StringComparer.Ordinal).ToList();
                yield return Check($"storage folder {site}/{store}", "", store, left, "image file(s) no catalogued volume owns",
                    "A catalog lost the commit that added their volumes, or the files were left by hand. Nothing reads them; keep them until it is known which is true.");
            }
        }

        /// <summary>No removal left half done by a process that is gone.</summary>
        private static DecommissionCheck RemovalIntents(string bp, string node)
        {
            var left = new List<string>();
            try
            {
                using var c = LabDb.Open(bp, readOnly: true);
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT label, data_store, owner_host, owner_pid, owner_start FROM removal_intent ORDER BY label";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    if (RunOwner.MayTakeOver(r.GetString(2), r.GetInt32(3), r.GetInt64(4))) left.Add($"{r.GetString(0)} ({r.GetString(1)})");
            }
            catch (SqliteException e) { left.Add("the removal intents cannot be read: " + e.Message); }
            return Check("removal intents on " + node, node, "", left, "volume(s) whose removal was interrupted",
                $"Run the same Remove-BPVolume again with -Domain '{node}': it takes the removal over and finishes it.");
        }

        /// <summary>No import left unfinished by a process that is gone (a live import's intent is its own).</summary>
        private static DecommissionCheck ImportIntents(string bp, string node)
        {
            var left = new List<string>();
            try
            {
                using var c = LabDb.Open(bp, readOnly: true);
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT i.data_store, i.run_id, i.type, l.owner_host, l.owner_pid, l.owner_start, l.direction FROM import_intent i " +
                                  "LEFT JOIN sync_lock l ON l.data_store = i.data_store ORDER BY i.data_store";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    bool live = !r.IsDBNull(3) && r.GetString(6) == "Import" && !RunOwner.MayTakeOver(r.GetString(3), r.GetInt32(4), r.GetInt64(5));
                    if (!live) left.Add($"{r.GetString(0)} (run {r.GetInt64(1)}, {r.GetString(2)})");
                }
            }
            catch (SqliteException e) { left.Add("the import intents cannot be read: " + e.Message); }
            return Check("import intents on " + node, node, "", left, "import(s) interrupted and not finished",
                $"Connect-BPDomain -Node '{node}' finishes them (or warns why it cannot); Start-BPCatalogImport of the store does too.");
        }

        /// <summary>Every run journal and run lock of the lab can be read.</summary>
        private static DecommissionCheck RunJournals(Lab lab)
        {
            var left = new List<string>();
            var journal = lab.RunJournal;
            try
            {
                foreach (var l in journal.ActiveRuns().Where(l => l.Damage != null)) left.Add($"lock of {l.Subject}: {l.Damage}");
                foreach (var id in journal.RunIds())
                {
                    var content = journal.Read(id);
                    if (content.Exists && content.UnreadableLines.Count > 0) left.Add($"{id} (line(s) {string.Join(", ", content.UnreadableLines.Take(5))} unreadable)");
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { left.Add("the run journals cannot be read: " + e.Message); }
            return Check("run journals of the lab", "", "", left, "run journal(s) or lock(s) damaged",
                "Get-BPRoleSwitchRun shows each run; Stop-BPRoleSwitchRun -RunId <id> -Reason ... releases a run whose journal is damaged.");
        }
    }
}
