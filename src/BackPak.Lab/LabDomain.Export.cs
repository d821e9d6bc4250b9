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
    /// Catalog export in the lab: manual and automatic exports, the EMS Extractor's retries of pending updates, and
    /// the export updates raised by what changes a volume of a PRIMARY store.
    /// </summary>
    public sealed partial class LabDomain
    {
        public SyncRun StartExport(string dataStore, SyncType type, string user) => Guard(() =>
        {
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true)) s = ReadStore(c, dataStore);
            var rejected = ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.ManualExport);
            if (rejected != null) throw rejected;
            Fence(s.Name, StoreChange.Export);
            if (s.Suspended)
                throw new BackPakException(ErrorIds.ExportSuspended, BackPakErrorCategory.InvalidOperation,
                    $"Catalog export of data store {s.Name} on {Node} is suspended: no export starts.", s.Name,
                    "Resume-BPCatalogExport -DataStore " + s.Name + " first.");
            var run = Export(s, type == SyncType.Full ? SyncType.Full : SyncType.Update, user, onlyDue: false);
            if (run.Result == SyncResult.Failed && run.Error != null && StagingProblem(s.StagingArea!) is { } problem) throw problem;
            return run;
        });

        public int RunDueWork() => Guard(RunDueWorkCore);

        /// <summary>The Domain Manager's automatic exports and the EMS Extractor's retries that are due now.</summary>
        private int RunDueWorkCore()
        {
            var stores = new List<StoreRow>();
            using (var c = OpenBackPak(readOnly: true))
            {
                long now = LabDb.ToUnixMs(Now);
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT DISTINCT data_store FROM export_pending WHERE next_retry <= @now";
                cmd.Parameters.AddWithValue("@now", now);
                var names = new List<string>();
                using (var r = cmd.ExecuteReader()) while (r.Read()) names.Add(r.GetString(0));
                foreach (var n in names) stores.Add(ReadStore(c, n));
            }
            int exported = 0;
            foreach (var s in stores)
            {
                if (s.Suspended || s.StagingArea == null) continue;
                if (ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.AutomaticExport) != null) continue;
                try { exported += Export(s, SyncType.Update, "BBSV", onlyDue: true).Volumes; }
                catch (BackPakException e) when (e.ErrorId == ErrorIds.SyncInProgress) { } // the running one will be retried later
                catch (BackPakException e) when (e.ErrorId == ErrorIds.StagingWriteFailed) { } // recorded on the pending updates; retried at the check delay
            }
            return exported;
        }

        private SyncRun Export(StoreRow s, SyncType type, string user, bool onlyDue)
        {
            if (s.StagingArea == null)
                throw new BackPakException(ErrorIds.StagingAreaNotSet, BackPakErrorCategory.InvalidOperation,
                    $"Data store {s.Name} on {Node} has no staging area to export to.", s.Name,
                    "Set it: Set-BPDataStore -Name " + s.Name + " -StagingArea '\\B.$BPSTAGE." + s.Name + "'.");
            using var syncLock = AcquireSyncLock(s.Name, "Export");
            long now = LabDb.ToUnixMs(Now);
            // The Full export frequency turns an update into a full export once the interval has passed [CS p20].
            if (type == SyncType.Update && s.FullFrequencyS.HasValue && (s.LastFullExport == null || now - s.LastFullExport.Value >= s.FullFrequencyS.Value * 1000L))
                type = SyncType.Full;
            long runId = BeginRun(s.Name, "Export", type, now);
            var pending = ReadPending(s.Name, onlyDue && type == SyncType.Update ? now : long.MaxValue);
            var problem = StagingProblem(s.StagingArea);
            if (problem != null)
            {
                // Nothing reached the staging area: every pending update stays, to be retried at the check delay.
                using var c = OpenBackPak();
                LabDb.Exec(c, "UPDATE export_pending SET retry_count = retry_count + 1, last_error = @e, next_retry = @n WHERE data_store = @s",
                    ("@e", problem.Message), ("@n", now + s.CheckDelayS * 1000L), ("@s", s.Name));
                EndRun(c, runId, SyncResult.Failed, 0, 0, pending, 0, problem.Message);
                return ReadRun(runId);
            }
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, s.StagingArea);
            long seq = s.ExportSeq + 1;
            int volumes = 0;
            long entries = 0;
            var sent = new List<string>();
            // The number is taken before any file of it reaches the staging area: an export killed after writing
            // some files must not hand the same number to the next one, whose files an import that already read the
            // first ones would skip as old.
            using (var c = OpenBackPak()) LabDb.Exec(c, "UPDATE data_store SET export_seq = @q WHERE name = @s", ("@q", seq), ("@s", s.Name));
            LabFaults.CrashPoint("export.after-seq");
            try
            {
                Directory.CreateDirectory(dir);
                if (type == SyncType.Full)
                {
                    using var w = new ExportFile.Writer(Path.Combine(dir, ExportFile.FullName), "FULL", StoreIdForExport(s), Node, seq, now);
                    foreach (var v in ReadExportVolumes(s.Name)) w.Write(v);
                    w.Commit();
                    volumes = w.Volumes;
                    entries = w.Entries;
                }
                else
                {
                    // Changes are sent one volume at a time [CS p15]; a volume deleted meanwhile has nothing to send
                    // (deletions reach the secondary only through a full export and import, R9).
                    using var c = OpenBackPak(readOnly: true);
                    using var dsm = LabDb.Open(_dsmTcDb, readOnly: true);
                    var transport = TransportLabels(c); // never exported (CS p44)
                    foreach (var label in pending)
                    {
                        var v = transport.Contains(label) ? null : ReadExportVolume(c, dsm, label);
                        if (v == null) continue;
                        using var w = new ExportFile.Writer(Path.Combine(dir, ExportFile.UpdateName(label)), "UPDATE", StoreIdForExport(s), Node, seq, now);
                        w.Write(v);
                        w.Commit();
                        sent.Add(label);
                        volumes++;
                        entries += w.Entries;
                        LabFaults.CrashPoint("export.between-volumes");
                    }
                }
            }
            catch (Exception e) when (UnexpectedErrors.IsFileProblem(e, out var cause))
            {
                throw StagingWriteFailed(s, user, runId, seq, now, type, sent, volumes, entries, cause);
            }
            LabFaults.CrashPoint("export.after-files");
            // One commit for the updates sent, the end of the run and its audit record: a process killed before it
            // leaves the updates pending, sent again (under the next number) by the next export.
            using (var c = OpenBackPak())
            {
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                // A full export carries every volume: every update raised before it started is satisfied.
                if (type == SyncType.Full) LabDb.Exec(c, "DELETE FROM export_pending WHERE data_store = @s AND raised <= @t", ("@s", s.Name), ("@t", now));
                else
                {
                    using var del = Command(c, "DELETE FROM export_pending WHERE data_store = @s AND label = @l AND raised <= @t", "@s", "@l", "@t");
                    foreach (var l in pending) { SetAll(del, s.Name, l, now); del.ExecuteNonQuery(); }
                }
                LabDb.Exec(c, "UPDATE data_store SET export_seq = @q" + (type == SyncType.Full ? ", last_full_export = @t" : "") + " WHERE name = @s",
                    ("@q", seq), ("@t", now), ("@s", s.Name));
                EndRun(c, runId, SyncResult.Completed, volumes, entries, new string[0], 0, null, seq);
                WriteAudit(c, user, AuditActions.StartCatalogExport, s.Name, "Completed", $"{type} export {seq}: {volumes} volume(s), {entries} entr(y/ies) to {s.StagingArea}");
                LabDb.Exec(c, "COMMIT");
            }
            return ReadRun(runId);
        }

        /// <summary>
        /// The staging area refused a write (disk full, a file where its folder should be). What reached it before
        /// is kept as sent; every other update stays pending with the cause, to be retried at the export check delay
        /// (or sent at once by a manual UPDATE export once the cause is fixed). The run is recorded as failed.
        /// </summary>
        private BackPakException StagingWriteFailed(StoreRow s, string user, long runId, long seq, long now, SyncType type, List<string> sent, int volumes, long entries, Exception cause)
        {
            string message = $"The {type.ToString().ToUpperInvariant()} export of {s.Name} on {Node} could not write to the staging area {s.StagingArea}: {cause.Message}";
            using (var c = OpenBackPak())
            {
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                using (var del = Command(c, "DELETE FROM export_pending WHERE data_store = @s AND label = @l AND raised <= @t", "@s", "@l", "@t"))
                    foreach (var l in sent) { SetAll(del, s.Name, l, now); del.ExecuteNonQuery(); }
                // The number was taken before writing; nothing of it reached the staging area, so the next export
                // may have it. (With files of it there, it must not be reused.)
                if (sent.Count == 0) LabDb.Exec(c, "UPDATE data_store SET export_seq = @p WHERE name = @s AND export_seq = @q", ("@p", seq - 1), ("@q", seq), ("@s", s.Name));
                LabDb.Exec(c, "UPDATE export_pending SET retry_count = retry_count + 1, last_error = @e, next_retry = @n WHERE data_store = @s",
                    ("@e", message), ("@n", now + s.CheckDelayS * 1000L), ("@s", s.Name));
                long left = (long)LabDb.Scalar(c, "SELECT COUNT(*) FROM export_pending WHERE data_store = @s", ("@s", s.Name))!;
                EndRun(c, runId, SyncResult.Failed, volumes, entries, new string[0], 0, message, sent.Count > 0 ? seq : (long?)null);
                WriteAudit(c, user, AuditActions.StartCatalogExport, s.Name, "Failed", message);
                LabDb.Exec(c, "COMMIT");
                return new BackPakException(ErrorIds.StagingWriteFailed, BackPakErrorCategory.WriteError,
                    message + (left > 0 ? $" {left} update(s) stay pending and are retried at the export check delay." : ""), s.StagingArea,
                    $"Free space in the staging area or repair its folder, then send what is pending at once: Start-BPCatalogExport -DataStore {s.Name} -Type Update" +
                    (type == SyncType.Full ? $" (or -Type Full for a full export)." : "."), inner: cause);
            }
        }

        /// <summary>The name the secondary knows the store by: its Store ID on the primary side (Q1).</summary>
        private static string StoreIdForExport(StoreRow s) => s.Name;

        private List<string> ReadPending(string store, long dueBy)
        {
            using var c = OpenBackPak(readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT label FROM export_pending WHERE data_store = @s AND next_retry <= @d ORDER BY label";
            cmd.Parameters.AddWithValue("@s", store);
            cmd.Parameters.AddWithValue("@d", dueBy);
            using var r = cmd.ExecuteReader();
            var list = new List<string>();
            while (r.Read()) list.Add(r.GetString(0));
            return list;
        }

        /// <summary>Every volume of a store with its DSM/TC entries, streamed in label order by a merge of sorted reads.</summary>
        private IEnumerable<ExportedVolume> ReadExportVolumes(string store)
        {
            using var c = OpenBackPak(readOnly: true);
            // Pooled connections keep what was attached: attach this node's DSM/TC store once per connection.
            if (LabDb.Scalar(c, "SELECT 1 FROM pragma_database_list WHERE name = 'dsm'") == null)
                LabDb.Exec(c, "ATTACH DATABASE @p AS dsm", ("@p", _dsmTcDb));
            using var vol = Reader(c, "SELECT label, volume_group, catalog_status, owner_node, owner_user, authorization, last_backup, expiration, media_key_name, locked, last_update FROM volume WHERE data_store = @s ORDER BY label", store);
            using var tv = Reader(c, "SELECT t.label, t.volcat, t.pool, t.status, t.expiration, t.created FROM dsm.tapevolume t JOIN volume v ON v.label = t.label WHERE v.data_store = @s ORDER BY t.label", store);
            using var tf = Reader(c, "SELECT t.label, t.file_seq, t.filecat, t.fileid, t.generation, t.expiration, t.created FROM dsm.tapefile t JOIN volume v ON v.label = t.label WHERE v.data_store = @s ORDER BY t.label, t.file_seq", store);
            using var df = Reader(c, "SELECT d.label, d.file_seq, d.disk_seq, d.filecat, d.name FROM dsm.diskfile d JOIN volume v ON v.label = d.label WHERE v.data_store = @s ORDER BY d.label, d.file_seq, d.disk_seq", store);
            bool hasTv = tv.Read(), hasTf = tf.Read(), hasDf = df.Read();
            var transport = TransportLabels(c); // never exported (CS p44)
            while (vol.Read())
            {
                var v = VolumeFromRow(vol);
                if (transport.Contains(v.Label)) continue;
                while (hasTv && string.CompareOrdinal(tv.GetString(0), v.Label) < 0) hasTv = tv.Read();
                if (hasTv && tv.GetString(0) == v.Label) { v.TapeVolume = (tv.GetString(1), tv.GetString(2), tv.GetString(3), NullableLong(tv, 4), NullableLong(tv, 5)); hasTv = tv.Read(); }
                while (hasTf && string.CompareOrdinal(tf.GetString(0), v.Label) <= 0)
                {
                    if (tf.GetString(0) == v.Label) v.TapeFiles.Add((tf.GetInt32(1), tf.GetString(2), tf.GetString(3), tf.GetInt32(4), NullableLong(tf, 5), NullableLong(tf, 6)));
                    hasTf = tf.Read();
                }
                while (hasDf && string.CompareOrdinal(df.GetString(0), v.Label) <= 0)
                {
                    if (df.GetString(0) == v.Label) v.DiskFiles.Add((df.GetInt32(1), df.GetInt32(2), df.GetString(3), df.GetString(4)));
                    hasDf = df.Read();
                }
                yield return v;
            }
        }

        private static ExportedVolume VolumeFromRow(SqliteDataReader r) => new ExportedVolume
        {
            Label = r.GetString(0), Group = r.GetString(1), CatalogStatus = r.GetString(2), OwnerNode = r.GetString(3), OwnerUser = r.GetString(4),
            Authorization = r.GetString(5), LastBackup = NullableLong(r, 6), Expiration = NullableLong(r, 7), MediaKeyName = Str(r, 8),
            Locked = r.GetInt64(9) != 0, LastUpdate = NullableLong(r, 10),
        };

        private static ExportedVolume? ReadExportVolume(SqliteConnection c, SqliteConnection dsm, string label)
        {
            ExportedVolume v;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT label, volume_group, catalog_status, owner_node, owner_user, authorization, last_backup, expiration, media_key_name, locked, last_update FROM volume WHERE label = @s";
                cmd.Parameters.AddWithValue("@s", label);
                using var r = cmd.ExecuteReader();
                if (!r.Read()) return null;
                v = VolumeFromRow(r);
            }
            using (var r = Reader(dsm, "SELECT volcat, pool, status, expiration, created FROM tapevolume WHERE label = @s", label))
                if (r.Read()) v.TapeVolume = (r.GetString(0), r.GetString(1), r.GetString(2), NullableLong(r, 3), NullableLong(r, 4));
            using (var r = Reader(dsm, "SELECT file_seq, filecat, fileid, generation, expiration, created FROM tapefile WHERE label = @s ORDER BY file_seq", label))
                while (r.Read()) v.TapeFiles.Add((r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3), NullableLong(r, 4), NullableLong(r, 5)));
            using (var r = Reader(dsm, "SELECT file_seq, disk_seq, filecat, name FROM diskfile WHERE label = @s ORDER BY file_seq, disk_seq", label))
                while (r.Read()) v.DiskFiles.Add((r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3)));
            return v;
        }

        /// <summary>Raises export updates for volumes of a PRIMARY store, due now (the Domain Manager sends them as soon as possible).</summary>
        internal void RaiseExport(SqliteConnection c, string store, IEnumerable<string> labels, ExportReason reason)
        {
            long now = LabDb.ToUnixMs(Now);
            using var cmd = Command(c, "INSERT INTO export_pending(data_store, label, reason, raised, next_retry) VALUES (@s, @l, @r, @t, @t) " +
                                       "ON CONFLICT(data_store, label) DO UPDATE SET reason = excluded.reason, raised = excluded.raised, next_retry = excluded.next_retry",
                "@s", "@l", "@r", "@t");
            foreach (var l in labels) { SetAll(cmd, store, l, reason.ToString(), now); cmd.ExecuteNonQuery(); }
        }
    }
}
