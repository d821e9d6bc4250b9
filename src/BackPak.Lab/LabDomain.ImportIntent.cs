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
        /// Why a removal (of volumes, a volume group or the store) must not run now, or null: an import of the store
        /// runs, or one was interrupted and is not finished. Finishing it later would apply its pinned files and write
        /// back what the removal took away, so the removal waits for it, as a new import finishes it first. Read inside
        /// the removal's own transaction, so an import that starts meanwhile is seen or sees the removal's claims.
        /// </summary>
        private BackPakException? ImportRefusal(SqliteConnection c, string store)
        {
            if (LockHolder(c, store) == "Import")
                return new BackPakException(ErrorIds.SyncInProgress, BackPakErrorCategory.ResourceBusy,
                    $"An import of data store {store} is running on {Node}: nothing of it is removed until it ends.", store,
                    "Wait for the import to end (Get-BPImportStatus), then run the removal again.", stopsInvocation: true);
            using var r = Reader(c, "SELECT data_store, run_id, type FROM import_intent WHERE data_store = @s COLLATE NOCASE", store);
            if (!r.Read()) return null;
            return new BackPakException(ErrorIds.ImportUnfinished, BackPakErrorCategory.InvalidOperation,
                $"An import of data store {r.GetString(0)} on {Node} (run {r.GetInt64(1)}) was interrupted and is not finished: finishing it applies " +
                "its files again, which would write back what a removal takes away now. Nothing was removed.", store,
                $"Finish the import first: connect to the domain again (Connect-BPDomain ... -Node '{Node}' finishes it, or warns why it cannot), or " +
                $"run Start-BPCatalogImport {r.GetString(0)} -Type {r.GetString(2)} -Domain '{Node}', which finishes it before its own; then run the removal again.",
                stopsInvocation: true);
        }

        private readonly List<string> _openWarnings = new List<string>();
        private IReadOnlyList<string>? _estateWarnings;

        /// <summary>
        /// What opening the domain found and could not put right (interrupted imports it could not finish), then what the
        /// cheap check of the estate finds out of step on this node (<see cref="LabEstate.QuickWarnings"/>), read once,
        /// when asked (Connect-BPDomain asks; a domain opened for a procedure's other side does not pay for it).
        /// </summary>
        public IReadOnlyList<string> OpenWarnings
        {
            get
            {
                if (_estateWarnings == null)
                {
                    try { _estateWarnings = LabEstate.QuickWarnings(_lab, Node); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is BackPakException)
                    {
                        _estateWarnings = new[] { $"The estate of {Node} in the lab at '{_lab.Root}' could not be checked on opening: {e.Message} Run Test-BPLab -Path '{_lab.Root}'." };
                    }
                }
                return _openWarnings.Concat(_estateWarnings).ToList();
            }
        }

        /// <summary>
        /// On opening the domain: every import a killed process left half done is finished, and pinned files whose
        /// import ended are deleted. An import still held by a live process is its own and is left. One that cannot
        /// be finished now is left too, with a warning naming the store, the cause and the way out (never a silent
        /// pass, and never a failed opening: the domain stays readable, and a removal of the store refuses meanwhile).
        /// </summary>
        private void FinishInterruptedImports()
        {
            var stores = new List<string>();
            var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var runs = new HashSet<string>(StringComparer.Ordinal);
            using (var c = OpenBackPak(readOnly: true))
            {
                using (var r = Reader(c, "SELECT data_store, run_id, type FROM import_intent WHERE @s = @s", ""))
                    while (r.Read())
                    {
                        stores.Add(r.GetString(0));
                        runs.Add(r.GetInt64(1).ToString(CultureInfo.InvariantCulture));
                        types[r.GetString(0)] = r.GetString(2);
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
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    // A live process took the store meanwhile, an interrupted removal holds it, a pinned file cannot be
                    // read, a catalog is missing, the disk refuses: the operator hears of it now, with the way out.
                    _openWarnings.Add(RecoveryWarning(store, types[store], e));
                }
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

        /// <summary>
        /// The warning for an interrupted import that could not be finished. Either its intent stays (the store was
        /// held, or a commit failed after DSM/TC's): it is finished by a later opening or import, and removals of the
        /// store wait for it; or finishing it failed before applying anything and the run was ended as failed: a FULL
        /// import then brings both catalogs in step with the primary's export, whatever the killed run had applied.
        /// </summary>
        private string RecoveryWarning(string store, string type, Exception e)
        {
            var why = e as BackPakException;
            string cause = (why?.Message ?? e.GetType().Name + ": " + e.Message).TrimEnd('.') + ".";
            bool left;
            try
            {
                using var c = OpenBackPak(readOnly: true);
                left = LabDb.Scalar(c, "SELECT 1 FROM import_intent WHERE data_store = @s COLLATE NOCASE", ("@s", store)) != null;
            }
            catch (Exception) { left = true; }
            string head = $"An import of data store {store} on {Node} was interrupted and could not be finished on opening the domain: {cause}";
            if (!left)
                return head + $" It is ended as failed. Run Start-BPCatalogImport {store} -Type Full -Domain '{Node}' once the cause is fixed: " +
                       "a FULL import brings the BackPak and DSM/TC catalogs in step with the primary's export, whatever the interrupted import had applied.";
            return head + $" Until it is finished, no volume, volume group or data store {store} is removed on {Node}. " +
                   (why?.RecommendedAction is { Length: > 0 } action ? action.TrimEnd('.') + "; then r" : "R") +
                   $"un Start-BPCatalogImport {store} -Type {type} -Domain '{Node}' (it finishes the interrupted import first), or connect again.";
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
