using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Sync;
using BackPak.Core.Text;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Catalog import in the lab: FULL and UPDATE imports from the staging area into the secondary's catalogs, and
    /// the checks of the target catalogs (R6, R4). The crash-safe intent of an import is in LabDomain.ImportIntent.cs.
    /// </summary>
    public sealed partial class LabDomain
    {
        public SyncRun StartImport(string dataStore, SyncType type, bool catalogFiles, string user) => Guard(() =>
        {
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true)) s = ReadStore(c, dataStore);
            var rejected = ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.Import);
            if (rejected != null) throw rejected;
            Fence(s.Name, StoreChange.Import);
            using (var c = OpenBackPak(readOnly: true))
                if (UnfinishedTransportRestore(c, s.Name) is { } unfinished) throw unfinished;
            if (s.StagingArea == null)
                throw new BackPakException(ErrorIds.StagingAreaNotSet, BackPakErrorCategory.InvalidOperation,
                    $"Data store {s.Name} on {Node} has no staging area to import from.", s.Name, "Set-BPDataStore -Name " + s.Name + " -StagingArea ...");
            if (StagingProblem(s.StagingArea) is { } problem) throw problem;
            CheckTargetCatalogs(s, ImportGroups(s.Name).Values.Distinct().ToList());

            using var syncLock = AcquireSyncLock(s.Name, "Import");
            // An import of this store killed half-way is finished first, as it would have ended; this one then
            // starts from where that one left the store (its import sequence).
            if (FinishInterruptedImport(s.Name))
                using (var c = OpenBackPak(readOnly: true)) s.ImportSeq = ReadStore(c, s.Name).ImportSeq;
            long now = LabDb.ToUnixMs(Now);
            long runId = BeginRun(s.Name, "Import", type == SyncType.Full ? SyncType.Full : SyncType.Update, now);
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, s.StagingArea);
            var files = new List<(string Path, ExportFile.Header Header)>();
            if (type == SyncType.Full)
            {
                string full = Path.Combine(dir, ExportFile.FullName);
                var h = ExportFile.ReadHeader(full, out var damaged);
                if (h == null && File.Exists(full)) throw FailRun(runId, damaged!);
                if (h == null || !IsFor(h, s))
                {
                    using var c = OpenBackPak();
                    string why = h == null ? "there is no full export in " + s.StagingArea : $"the full export in {s.StagingArea} is of data store {h.Store}, not {s.PrimaryStoreId}";
                    EndRun(c, runId, SyncResult.Failed, 0, 0, new string[0], 0, why);
                    throw new BackPakException(ErrorIds.ExportFileInvalid, BackPakErrorCategory.InvalidData, $"Full import of {s.Name} on {Node} is impossible: {why}.", s.Name,
                        "Run Start-BPCatalogExport -Type Full on the primary side first.");
                }
                files.Add((full, h));
            }
            else
                // The files that arrived since the last successful import, oldest first [CS p15].
                files.AddRange(StagingFiles(s.StagingArea).Where(f => f.Header.Seq > s.ImportSeq && IsFor(f.Header, s))
                    .OrderBy(f => f.Header.Seq).ThenBy(f => f.Header.Type == "FULL" ? 0 : 1));

            RefuseDamagedHeaders(runId, s, type); // damaged headers first; every field is checked as it is read below
            LabFaults.CrashPoint("import.before-intent");
            var pinned = WriteImportIntent(s.Name, runId, type, catalogFiles, user, files);
            LabFaults.CrashPoint("import.after-intent");
            return ApplyImport(s, runId, type, catalogFiles, user, pinned);
        });

        /// <summary>The volume groups of a store by name and by their original primary name (CS p9): where imported volumes go.</summary>
        private Dictionary<string, VolumeGroup> ImportGroups(string store)
        {
            var groups = new Dictionary<string, VolumeGroup>(StringComparer.OrdinalIgnoreCase);
            foreach (var g in ReadVolumeGroups(store, null))
            {
                groups[g.Name] = g;
                if (g.OriginalPrimaryName != null) groups[g.OriginalPrimaryName] = g;
            }
            return groups;
        }

        /// <summary>
        /// Applies the files of an import whose intent is written (<see cref="WriteImportIntent"/>): the DSM/TC entries
        /// are committed first, then, in one BackPak transaction, the BackPak entries, the import sequence, the end of
        /// the run, its audit record and the removal of the intent. A process killed between the two commits leaves the
        /// intent, and whoever next opens the domain applies the same pinned files again (every write compares before
        /// it writes, so what was committed is not written twice) and ends the run as this one would have. The caller
        /// holds the store's sync lock.
        /// </summary>
        private SyncRun ApplyImport(StoreRow s, long runId, SyncType type, bool catalogFiles, string user, IReadOnlyList<(string Path, ExportFile.Header Header)> files)
        {
            var groups = ImportGroups(s.Name);
            var replacements = ParseReplacements(s.NodeReplacements);
            var failed = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // The simulator's failing volumes, read once for the run rather than once per volume.
            var failing = new HashSet<string>(_lab.Faults().Where(f => f.Kind == LabFaultKind.ImportFailure).Select(f => f.Target), StringComparer.Ordinal);
            int volumes = 0, deleted = 0;
            long entries = 0, maxSeq = s.ImportSeq;
            bool dsmCommitted = false;
            using (var bp = OpenBackPak())
            using (var dsm = LabDb.Open(_dsmTcDb))
            {
                // A full import rewrites a million rows in one transaction: with SQLite's default 2 MB page cache
                // it would spill dirty pages to the WAL over and over; let the cache hold the transaction.
                LabDb.Exec(bp, "PRAGMA cache_size = -262144");
                LabDb.Exec(dsm, "PRAGMA cache_size = -262144");
                LabDb.Exec(bp, "BEGIN IMMEDIATE");
                LabDb.Exec(dsm, "BEGIN IMMEDIATE");
                try
                {
                    var apply = new ImportWriter(bp, dsm, s.Name, catalogFiles, replacements);
                    foreach (var (path, header) in files)
                    {
                        maxSeq = Math.Max(maxSeq, header.Seq);
                        foreach (var v in ExportFile.Read(path, _ => { }))
                        {
                            seen.Add(v.Label);
                            string? why = null;
                            if (!groups.TryGetValue(v.Group, out var g)) why = $"no volume group of {s.Name} on {Node} is named {v.Group} or has it as its original primary name";
                            else if (failing.Contains(v.Label)) why = "import of the volume failed (simulated fault)";
                            if (why != null) { failed.Add(v.Label); continue; }
                            entries += apply.Write(v, g!);
                            volumes++;
                        }
                    }
                    // Only a FULL import deletes: volumes no longer at the primary go, with the DSM/TC entries linked
                    // to them; a TAPEVOLUME with no BackPak volume linked here is left alone (R9). Read from the
                    // BackPak catalog, which commits last: a finished import deletes what the killed one had deleted.
                    if (type == SyncType.Full && failed.Count == 0)
                        // The transport volume is never exported: it stays (CS p44).
                        foreach (var gone in StoreLabels(bp, s.Name).Where(l => !seen.Contains(l)).Except(TransportLabels(bp), StringComparer.OrdinalIgnoreCase).ToList())
                        {
                            apply.Delete(gone);
                            deleted++;
                        }
                    LabFaults.CrashPoint("import.before-commit");
                    LabDb.Exec(dsm, "COMMIT");
                    dsmCommitted = true;
                    LabFaults.CrashPoint("import.after-dsmtc");
                    // One failed volume: the sequence does not move, so the next UPDATE redoes every volume (R10).
                    if (failed.Count == 0) LabDb.Exec(bp, "UPDATE data_store SET import_seq = @q WHERE name = @s", ("@q", maxSeq), ("@s", s.Name));
                    EndRun(bp, runId, failed.Count == 0 ? SyncResult.Completed : SyncResult.Failed, volumes, entries, failed, deleted,
                        failed.Count == 0 ? null : $"{failed.Count} volume(s) failed; the next UPDATE import redoes all volumes", maxSeq);
                    WriteAudit(bp, user, AuditActions.StartCatalogImport, s.Name, failed.Count == 0 ? "Completed" : "Failed",
                        $"{type} import from {s.StagingArea}: {volumes} volume(s), {entries} entr(y/ies), {deleted} deleted, {failed.Count} failed");
                    LabDb.Exec(bp, "DELETE FROM import_intent WHERE data_store = @s", ("@s", s.Name));
                    LabDb.Exec(bp, "COMMIT");
                }
                catch (Exception e)
                {
                    if (!dsmCommitted) LabDb.Exec(dsm, "ROLLBACK");
                    LabDb.Exec(bp, "ROLLBACK");
                    // Half applied: the intent stays, and the next opening of the domain finishes the import.
                    if (dsmCommitted) throw;
                    using var c = OpenBackPak();
                    LabDb.Exec(c, "BEGIN IMMEDIATE");
                    EndRun(c, runId, SyncResult.Failed, 0, 0, new string[0], 0,
                        e is BackPakException b && b.ErrorId == ErrorIds.ExportFileInvalid ? b.Message : "the import stopped on an error; nothing of it was applied");
                    LabDb.Exec(c, "DELETE FROM import_intent WHERE data_store = @s", ("@s", s.Name));
                    LabDb.Exec(c, "COMMIT");
                    DeletePinnedFiles(runId);
                    throw;
                }
            }
            LabFaults.CrashPoint("import.after-backpak");
            DeletePinnedFiles(runId);
            return ReadRun(runId);
        }

        /// <summary>Writes imported volumes into the secondary's catalogs (both transactions are the caller's).</summary>
        private sealed class ImportWriter
        {
            private readonly SqliteCommand _volume, _delTv, _delTf, _delDf, _insTv, _delVolume, _curTv, _curTf, _curDf;
            private readonly MultiRowInsert _insTf, _insDf;
            private readonly bool _catalogFiles;
            private readonly IReadOnlyDictionary<string, string> _replace;

            public ImportWriter(SqliteConnection bp, SqliteConnection dsm, string store, bool catalogFiles, IReadOnlyDictionary<string, string> replace)
            {
                _catalogFiles = catalogFiles;
                _replace = replace;
                _volume = Command(bp,
                    "INSERT INTO volume(label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, last_backup, expiration, media_key_name, locked, last_update) " +
                    "VALUES (@l, '" + store.Replace("'", "''") + "', @g, 'SECONDARY', @st, @on, @ou, @au, @lb, @ex, @k, @lk, @lu) " +
                    "ON CONFLICT(label) DO UPDATE SET data_store = excluded.data_store, volume_group = excluded.volume_group, domain_access = 'SECONDARY', " +
                    "catalog_status = excluded.catalog_status, owner_node = excluded.owner_node, owner_user = excluded.owner_user, authorization = excluded.authorization, " +
                    "last_backup = excluded.last_backup, expiration = excluded.expiration, media_key_name = excluded.media_key_name, locked = excluded.locked, last_update = excluded.last_update " +
                    // An entry that already says the same is not written again.
                    "WHERE data_store IS NOT excluded.data_store OR volume_group IS NOT excluded.volume_group OR domain_access IS NOT 'SECONDARY' " +
                    "OR catalog_status IS NOT excluded.catalog_status OR owner_node IS NOT excluded.owner_node OR owner_user IS NOT excluded.owner_user " +
                    "OR authorization IS NOT excluded.authorization OR last_backup IS NOT excluded.last_backup OR expiration IS NOT excluded.expiration " +
                    "OR media_key_name IS NOT excluded.media_key_name OR locked IS NOT excluded.locked OR last_update IS NOT excluded.last_update",
                    "@l", "@g", "@st", "@on", "@ou", "@au", "@lb", "@ex", "@k", "@lk", "@lu");
                _curTv = Command(dsm, "SELECT volcat, pool, status, expiration, created FROM tapevolume WHERE label = @l", "@l");
                _curTf = Command(dsm, "SELECT file_seq, filecat, fileid, generation, expiration, created FROM tapefile WHERE label = @l ORDER BY file_seq", "@l");
                _curDf = Command(dsm, "SELECT file_seq, disk_seq, filecat, name FROM diskfile WHERE label = @l ORDER BY file_seq, disk_seq", "@l");
                _delVolume = Command(bp, "DELETE FROM volume WHERE label = @l", "@l");
                _delTv = Command(dsm, "DELETE FROM tapevolume WHERE label = @l", "@l");
                _delTf = Command(dsm, "DELETE FROM tapefile WHERE label = @l", "@l");
                _delDf = Command(dsm, "DELETE FROM diskfile WHERE label = @l", "@l");
                _insTv = Command(dsm, "INSERT INTO tapevolume(label, volcat, pool, status, expiration, created) VALUES (@1,@2,@3,@4,@5,@6)", "@1", "@2", "@3", "@4", "@5", "@6");
                _insTf = new MultiRowInsert(dsm, "tapefile", "label", "file_seq", "filecat", "fileid", "generation", "expiration", "created");
                _insDf = new MultiRowInsert(dsm, "diskfile", "label", "file_seq", "disk_seq", "filecat", "name");
            }

            /// <summary>The BackPak entry always; the DSM/TC entries into the VOLCAT, POOL and FILECAT of the group [CS p15].</summary>
            public long Write(ExportedVolume v, VolumeGroup g)
            {
                // A SECONDARY volume never accepts a write: WRITE shows '.' (R20).
                string auth = v.Authorization.Length >= 2 ? v.Authorization.Substring(0, 1) + "." + v.Authorization.Substring(2) : v.Authorization;
                SetAll(_volume, v.Label, g.Name, v.CatalogStatus, v.OwnerNode, v.OwnerUser, auth, v.LastBackup, v.Expiration, v.MediaKeyName, v.Locked ? 1 : 0, v.LastUpdate);
                _volume.ExecuteNonQuery();
                long n = 1;
                if (g.CatalogKind != CatalogKind.DsmTc) return n; // TMF entries are not replicated (Q7, inferred)
                // Per volume, DSM/TC entries that are missing are created and those that differ are updated [CS p15]:
                // each kind of entry is compared with what the catalog holds, and rewritten only when it differs.
                string tv = v.TapeVolume is { } t ? Row(g.VolumeCatalog, g.Pool, t.Status, t.Expiration, t.Created) : "";
                string curTv = Current(_curTv, v.Label);
                if (tv != curTv)
                {
                    if (curTv.Length > 0) Run(_delTv, v.Label); // nothing to delete where nothing is held
                    if (v.TapeVolume is { } t2)
                    {
                        SetAll(_insTv, v.Label, g.VolumeCatalog, g.Pool, t2.Status, t2.Expiration, t2.Created);
                        _insTv.ExecuteNonQuery();
                    }
                }
                if (v.TapeVolume.HasValue) n++;
                string tf = string.Concat(v.TapeFiles.Select(f => Row(f.Seq, g.FileCatalog, f.FileId, f.Generation, f.Expiration, f.Created)));
                string curTf = Current(_curTf, v.Label);
                if (tf != curTf)
                {
                    if (curTf.Length > 0) Run(_delTf, v.Label);
                    foreach (var f in v.TapeFiles) _insTf.Add(v.Label, f.Seq, g.FileCatalog, f.FileId, f.Generation, f.Expiration, f.Created);
                    _insTf.Flush();
                }
                n += v.TapeFiles.Count;
                if (!_catalogFiles) return n; // CATALOGFILES NO: DISKFILE entries are not processed (Q4, inferred)
                string df = string.Concat(v.DiskFiles.Select(d => Row(d.FileSeq, d.DiskSeq, g.FileCatalog, Replace(d.Name))));
                string curDf = Current(_curDf, v.Label);
                if (df != curDf)
                {
                    if (curDf.Length > 0) Run(_delDf, v.Label);
                    foreach (var d in v.DiskFiles) _insDf.Add(v.Label, d.FileSeq, d.DiskSeq, g.FileCatalog, Replace(d.Name));
                    _insDf.Flush();
                }
                return n + v.DiskFiles.Count;
            }

            /// <summary>The rows the catalog holds for a label, in the same text form as <see cref="Row"/>.</summary>
            private static string Current(SqliteCommand query, string label)
            {
                query.Parameters[0].Value = label;
                var sb = new System.Text.StringBuilder();
                using var r = query.ExecuteReader();
                var values = new object?[r.FieldCount];
                while (r.Read())
                {
                    for (int i = 0; i < values.Length; i++) values[i] = r.IsDBNull(i) ? null : r.GetValue(i);
                    sb.Append(Row(values));
                }
                return sb.ToString();
            }

            private static string Row(params object?[] values) =>
                string.Join("\u001f", values.Select(x => x == null ? "\u0000" : Convert.ToString(x, CultureInfo.InvariantCulture))) + "\u001e";

            public void Delete(string label)
            {
                foreach (var cmd in new[] { _delTv, _delTf, _delDf, _delVolume }) Run(cmd, label);
            }

            /// <summary>Node-name replacement of the node part of a DISKFILE name (R5).</summary>
            private string Replace(string name)
            {
                int dot = name.IndexOf('.');
                if (dot <= 0 || _replace.Count == 0) return name;
                return _replace.TryGetValue(name.Substring(0, dot), out var to) ? to + name.Substring(dot) : name;
            }

            private static void Run(SqliteCommand cmd, string label)
            {
                cmd.Parameters[0].Value = label;
                cmd.ExecuteNonQuery();
            }
        }

        /// <summary>
        /// Inserts a volume's rows of one table with one statement (VALUES (...), (...), ...): a statement execution
        /// costs more than a row, and a volume has a dozen DISKFILEs. One prepared statement per row count.
        /// </summary>
        private sealed class MultiRowInsert
        {
            private const int MaxRows = 32;
            private readonly SqliteConnection _c;
            private readonly string _table;
            private readonly string[] _columns;
            private readonly Dictionary<int, SqliteCommand> _byCount = new Dictionary<int, SqliteCommand>();
            private readonly List<object?[]> _rows = new List<object?[]>();

            public MultiRowInsert(SqliteConnection c, string table, params string[] columns) { _c = c; _table = table; _columns = columns; }

            public void Add(params object?[] values) => _rows.Add(values);

            /// <summary>Writes the rows added since the last flush; returns how many.</summary>
            public int Flush()
            {
                int written = 0;
                for (int start = 0; start < _rows.Count; start += MaxRows)
                {
                    int count = Math.Min(MaxRows, _rows.Count - start);
                    var cmd = For(count);
                    for (int r = 0; r < count; r++)
                        for (int k = 0; k < _columns.Length; k++)
                            cmd.Parameters[r * _columns.Length + k].Value = _rows[start + r][k] ?? DBNull.Value;
                    written += cmd.ExecuteNonQuery();
                }
                _rows.Clear();
                return written;
            }

            private SqliteCommand For(int count)
            {
                if (_byCount.TryGetValue(count, out var cmd)) return cmd;
                var names = new List<string>();
                var values = new List<string>();
                for (int r = 0; r < count; r++)
                {
                    var row = new List<string>();
                    for (int k = 0; k < _columns.Length; k++) { string p = "@p" + r + "_" + k; names.Add(p); row.Add(p); }
                    values.Add("(" + string.Join(",", row) + ")");
                }
                cmd = Command(_c, "INSERT INTO " + _table + "(" + string.Join(", ", _columns) + ") VALUES " + string.Join(",", values), names.ToArray());
                cmd.Prepare();
                return _byCount[count] = cmd;
            }
        }

        /// <summary>R6: the target catalogs exist here; R4: with node replacement, no group targets the MEDIADEFS default FILECAT.</summary>
        private void CheckTargetCatalogs(StoreRow s, IReadOnlyList<VolumeGroup> groups)
        {
            var catalogs = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            using (var dsm = LabDb.Open(_dsmTcDb, readOnly: true))
            using (var r = Reader(dsm, "SELECT name, is_default FROM catalog WHERE @s = @s", s.Name))
                while (r.Read()) catalogs[r.GetString(0)] = r.GetInt64(1) != 0;
            bool replacing = ParseReplacements(s.NodeReplacements).Count > 0;
            foreach (var g in groups.Where(g => g.CatalogKind == CatalogKind.DsmTc))
            {
                foreach (var cat in new[] { g.VolumeCatalog, g.FileCatalog })
                    if (cat == null || !catalogs.ContainsKey(cat))
                        throw new BackPakException(ErrorIds.CatalogNotFound, BackPakErrorCategory.ObjectNotFound,
                            $"Volume group {g.Name} of {s.Name} on {Node} targets the DSM/TC catalog {cat}, which does not exist on {Node} (CS p11).", cat,
                            "Create the catalog on the secondary node, or point the volume group at an existing dedicated VOLCAT/FILECAT.");
                if (replacing && g.FileCatalog != null && catalogs[g.FileCatalog])
                    throw new BackPakException(ErrorIds.FileCatalogConflict, BackPakErrorCategory.InvalidOperation,
                        $"Data store {s.Name} on {Node} has node replacement, and volume group {g.Name} sends DISKFILEs to {g.FileCatalog}, the MEDIADEFS default FILECAT (CS p12).", g.FileCatalog,
                        "Use a dedicated FILECAT for the replicated entries, or remove the node replacement pairs.");
            }
        }

        /// <summary>
        /// An import trusts no file. Every field of every file it applies is checked against the product's rules as it
        /// is read (<see cref="ExportFile.Read"/>), inside the import's transactions, which are committed only once
        /// every file was read: the first refusal rolls everything back. Before that, for an UPDATE import, a staging
        /// file whose header cannot be read at all is refused (it cannot be told apart from an update of this store).
        /// A refusal ends the run as failed, with nothing applied, and names the file and the line. (A separate
        /// reading pass before the transaction would cost a third of a FULL import for the same guarantee.)
        /// </summary>
        private void RefuseDamagedHeaders(long runId, StoreRow s, SyncType type)
        {
            try
            {
                if (type != SyncType.Full)
                {
                    string dir = LabLayout.StagingDirFromGuardian(_lab.Root, s.StagingArea!);
                    if (Directory.Exists(dir))
                        foreach (var f in Directory.EnumerateFiles(dir, "*.bpx").OrderBy(f => f, StringComparer.Ordinal))
                            if (ExportFile.ReadHeader(f, out var damaged) == null) throw damaged!;
                }
            }
            catch (BackPakException e) when (e.ErrorId == ErrorIds.ExportFileInvalid)
            {
                throw FailRun(runId, e);
            }
        }

        /// <summary>Ends a run as failed with the error's message, and gives the error back to throw.</summary>
        private BackPakException FailRun(long runId, BackPakException e)
        {
            using var c = OpenBackPak();
            EndRun(c, runId, SyncResult.Failed, 0, 0, new string[0], 0, e.Message);
            return e;
        }

        private static List<string> StoreLabels(SqliteConnection c, string store)
        {
            using var r = Reader(c, "SELECT label FROM volume WHERE data_store = @s", store);
            var list = new List<string>();
            while (r.Read()) list.Add(r.GetString(0));
            return list;
        }
    }
}
