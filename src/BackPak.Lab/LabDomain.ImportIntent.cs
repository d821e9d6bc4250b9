using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Sync;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// An import writes two stores, the DSM/TC catalogs and then the BackPak catalog, and no single commit covers
    /// both (SQLite in WAL mode commits attached stores one by one). So an import is made atomic by recovery: before
    /// anything is read, its intent (run, type, user, the files in order) is committed in the BackPak store, with the
    /// files pinned (hard-linked, or copied) under the node's folder so that a later export cannot change what the
    /// import applies. The BackPak commit that ends the import deletes the intent. An intent left behind is an import
    /// killed on the way; it is finished, from the pinned files, by the next opening of the domain or the next import
    /// of the store, and ends exactly as the uninterrupted import would have.
    /// </summary>
    public sealed partial class LabDomain
    {
        /// <summary>Pins the files of an import and commits its intent; returns the pinned files, in the same order.</summary>
        private IReadOnlyList<(string Path, ExportFile.Header Header)> WriteImportIntent(string store, long runId, SyncType type, bool catalogFiles, string user,
            IReadOnlyList<(string Path, ExportFile.Header Header)> files)
        {
            string dir = LabLayout.ImportPinDir(_lab.Root, Node, runId);
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            Directory.CreateDirectory(dir);
            var pinned = new List<(string Path, ExportFile.Header Header)>();
            foreach (var (path, header) in files)
            {
                // The file keeps its name, so a refusal names the file the operator sees in the staging area.
                string pin = Path.Combine(dir, Path.GetFileName(path));
                FileLinks.LinkOrCopy(path, pin);
                pinned.Add((pin, ExportFile.ReadHeader(pin) ?? header));
            }
            using var c = OpenBackPak();
            LabDb.Exec(c, "INSERT OR REPLACE INTO import_intent(data_store, run_id, type, catalog_files, user, files, created) VALUES (@s, @r, @t, @c, @u, @f, @n)",
                ("@s", store), ("@r", runId), ("@t", type == SyncType.Full ? "Full" : "Update"), ("@c", catalogFiles ? 1 : 0), ("@u", user),
                ("@f", string.Join("\n", pinned.Select(p => Path.GetFileName(p.Path)))), ("@n", LabDb.ToUnixMs(Now)));
            return pinned;
        }

        /// <summary>
        /// Finishes the store's import that a killed process left (its intent), and says whether there was one. The
        /// caller holds the store's sync lock, so the intent's process is gone.
        /// </summary>
        private bool FinishInterruptedImport(string store)
        {
            long runId;
            SyncType type;
            bool catalogFiles;
            string user;
            string[] names;
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true))
            {
                using (var r = Reader(c, "SELECT run_id, type, catalog_files, user, files FROM import_intent WHERE data_store = @s", store))
                {
                    if (!r.Read()) return false;
                    runId = r.GetInt64(0);
                    type = r.GetString(1) == "Full" ? SyncType.Full : SyncType.Update;
                    catalogFiles = r.GetInt64(2) != 0;
                    user = r.GetString(3);
                    names = r.GetString(4).Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
                }
                s = ReadStore(c, store);
            }
            string dir = LabLayout.ImportPinDir(_lab.Root, Node, runId);
            var files = new List<(string Path, ExportFile.Header Header)>();
            foreach (var name in names)
            {
                string pin = Path.Combine(dir, name);
                // A pinned file that cannot be read is refused by the reading below, as a damaged staging file is.
                var header = ExportFile.ReadHeader(pin) ?? new ExportFile.Header { Seq = s.ImportSeq };
                files.Add((pin, header));
            }
            ApplyImport(s, runId, type, catalogFiles, user, files);
            return true;
        }

        /// <summary>
        /// On opening the domain: every import a killed process left half done is finished, and pinned files whose
        /// import ended are deleted. An import still held by a live process, or one that cannot be finished now, is
        /// left for the next opening or the next import of its store (which reports why).
        /// </summary>
        private void FinishInterruptedImports()
        {
            var stores = new List<string>();
            var runs = new HashSet<string>(StringComparer.Ordinal);
            using (var c = OpenBackPak(readOnly: true))
            {
                using (var r = Reader(c, "SELECT data_store, run_id FROM import_intent WHERE @s = @s", ""))
                    while (r.Read())
                    {
                        stores.Add(r.GetString(0));
                        runs.Add(r.GetInt64(1).ToString(CultureInfo.InvariantCulture));
                    }
                // An import still running holds its write transaction open: asking for the lock would wait for it.
                // Its intent is its own; read (readers never wait in WAL mode) and leave it.
                stores.RemoveAll(store => LockHolder(c, store) != null);
            }
            foreach (var store in stores)
            {
                try
                {
                    using (AcquireSyncLock(store, "Import")) FinishInterruptedImport(store);
                }
                catch (BackPakException) { } // a live import or removal holds the store, or a refusal the next import reports
            }
            string root = LabLayout.ImportIntentDir(_lab.Root, Node);
            if (!Directory.Exists(root)) return;
            using (var c = OpenBackPak(readOnly: true))
                foreach (var dir in Directory.EnumerateDirectories(root))
                {
                    string name = Path.GetFileName(dir);
                    if (runs.Contains(name) || !long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
                    // Pins without an intent: their import ended, or died before its intent was written. A live
                    // import between pinning and its intent keeps them.
                    string? store = null;
                    using (var r = Reader(c, "SELECT data_store FROM sync_run WHERE id = @s AND ended IS NULL", name)) if (r.Read()) store = r.GetString(0);
                    if (store != null && LockHolder(c, store) == "Import") continue;
                    try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
        }

        private void DeletePinnedFiles(long runId)
        {
            string dir = LabLayout.ImportPinDir(_lab.Root, Node, runId);
            try { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
            catch (IOException) { } // left for the next opening of the domain, which deletes pins whose import ended
            catch (UnauthorizedAccessException) { }
        }
    }
}
