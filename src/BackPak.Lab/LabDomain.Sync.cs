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
    /// Catalog Sync in the lab, as the Domain Manager runs it [CS p7–p16]: export updates raised by backups, written
    /// to the staging area on the secondary node one volume at a time and retried by the EMS Extractor at the export
    /// check delay; operator-started FULL and UPDATE exports and imports; one export or import per store at a time.
    /// </summary>
    public sealed partial class LabDomain
    {
        public const string FaultStagingUnreachable = "STAGING_UNREACHABLE";
        public const string FaultImportFailure = "IMPORT_FAILURE";

        private sealed class StoreRow
        {
            public string Name = "", StoragePath = "", PrimaryStoreId = "";
            public DomainAccess Access;
            public DataStoreStatus Status;
            public string? StagingArea, NodeReplacements;
            public bool Suspended;
            public int CheckDelayS;
            public int? FullFrequencyS;
            public long ExportSeq, ImportSeq;
            public long? LastFullExport;
        }

        private StoreRow ReadStore(SqliteConnection c, string name)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, domain_access, status, storage_path, primary_store_id, staging_area, export_suspended, export_check_delay_s, " +
                              "full_export_frequency_s, node_replacements, export_seq, import_seq, last_full_export FROM data_store WHERE name = @n";
            cmd.Parameters.AddWithValue("@n", name);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
                throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{name}' does not exist in the domain of {Node}.", name, "Get-BPDataStore lists the data stores of the domain.");
            return new StoreRow
            {
                Name = r.GetString(0), Access = LabNames.ParseAccess(r.GetString(1)), Status = LabNames.ParseStatus(r.GetString(2)),
                StoragePath = r.GetString(3), PrimaryStoreId = r.GetString(4), StagingArea = Str(r, 5), Suspended = r.GetInt64(6) != 0,
                CheckDelayS = r.GetInt32(7), FullFrequencyS = r.IsDBNull(8) ? (int?)null : r.GetInt32(8), NodeReplacements = Str(r, 9),
                ExportSeq = r.GetInt64(10), ImportSeq = r.GetInt64(11), LastFullExport = r.IsDBNull(12) ? (long?)null : r.GetInt64(12),
            };
        }

        // ---------------------------------------------------------------- status

        public ExportStatus GetExportStatus(string dataStore) => Guard(() =>
        {
            RunDueWorkCore();
            using var c = OpenBackPak(readOnly: true);
            var s = ReadStore(c, dataStore);
            var pending = new List<PendingExport>();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT label, reason, raised, retry_count, last_error, next_retry FROM export_pending WHERE data_store = @s ORDER BY raised, label";
                cmd.Parameters.AddWithValue("@s", s.Name);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    pending.Add(new PendingExport
                    {
                        Label = r.GetString(0), Reason = ParseReason(r.GetString(1)), Raised = LabDb.FromUnixMs(r.GetInt64(2)),
                        RetryCount = r.GetInt32(3), LastError = Str(r, 4), NextRetry = LabDb.FromUnixMs(r.GetInt64(5)),
                    });
            }
            var newestBackup = (long?)LabDb.Scalar(c, "SELECT MAX(last_backup) FROM volume WHERE data_store = @s", ("@s", s.Name));
            var newestExport = (long?)LabDb.Scalar(c, "SELECT MAX(ended) FROM sync_run WHERE data_store = @s AND direction = 'Export' AND result = 'Completed'", ("@s", s.Name));
            // The age of the oldest update not yet in the staging area (held, failed or waiting for its retry alike).
            TimeSpan? lag = s.Access != DomainAccess.Primary ? (TimeSpan?)null
                : pending.Count == 0 ? TimeSpan.Zero
                : TimeSpan.FromMilliseconds(Math.Max(0, LabDb.ToUnixMs(Now) - LabDb.ToUnixMs(pending.Min(p => p.Raised))));
            var stagingProblem = s.StagingArea == null ? null : StagingProblem(s.StagingArea);
            return new ExportStatus(Identity)
            {
                DataStore = s.Name, Node = Node,
                State = s.Access != DomainAccess.Primary ? ExportState.NotPrimary : s.Suspended ? ExportState.Suspended : ExportState.Active,
                Suspended = s.Suspended,
                Running = LockHolder(c, s.Name) == "Export",
                StagingArea = s.StagingArea, StagingReachable = s.StagingArea != null && stagingProblem == null, StagingProblem = stagingProblem?.Message,
                Inactive = s.Status == DataStoreStatus.Inactive,
                LastFullExport = LastRun(c, s.Name, "Export", "Full"), LastUpdate = LastRun(c, s.Name, "Export", "Update"),
                Pending = pending,
                NewestBackup = newestBackup.HasValue ? LabDb.FromUnixMs(newestBackup.Value) : (DateTime?)null,
                NewestExport = newestExport.HasValue ? LabDb.FromUnixMs(newestExport.Value) : (DateTime?)null,
                LagSeconds = lag?.TotalSeconds,
                ExportCheckDelaySeconds = s.CheckDelayS,
                FullExportFrequencySeconds = s.FullFrequencyS,
            };
        });

        public ImportStatus GetImportStatus(string dataStore) => Guard(() =>
        {
            using var c = OpenBackPak(readOnly: true);
            var s = ReadStore(c, dataStore);
            int waiting = 0;
            if (s.StagingArea != null && StagingProblem(s.StagingArea) == null)
                waiting = StagingFiles(s.StagingArea).Count(f => f.Header.Seq > s.ImportSeq && IsFor(f.Header, s));
            return new ImportStatus(Identity)
            {
                DataStore = s.Name, Node = Node, StagingArea = s.StagingArea,
                StagingReachable = s.StagingArea != null && StagingProblem(s.StagingArea) == null,
                LastFullImport = LastRun(c, s.Name, "Import", "Full"), LastUpdate = LastRun(c, s.Name, "Import", "Update"),
                WaitingFiles = waiting, NodeReplacements = ParseReplacements(s.NodeReplacements), PrimaryStoreId = s.PrimaryStoreId,
            };
        });

        private SyncRun? LastRun(SqliteConnection c, string store, string direction, string type)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, type, started, ended, result, volumes, entries, failed, deleted, error FROM sync_run " +
                              "WHERE data_store = @s AND direction = @d AND type = @t ORDER BY id DESC LIMIT 1";
            cmd.Parameters.AddWithValue("@s", store);
            cmd.Parameters.AddWithValue("@d", direction);
            cmd.Parameters.AddWithValue("@t", type);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return null;
            return RunFrom(r, store, direction);
        }

        private SyncRun ReadRun(long id)
        {
            using var c = OpenBackPak(readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, type, started, ended, result, volumes, entries, failed, deleted, error, data_store, direction FROM sync_run WHERE id = @i";
            cmd.Parameters.AddWithValue("@i", id);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
                throw new BackPakException(ErrorIds.CatalogStoreUnavailable, BackPakErrorCategory.ResourceUnavailable,
                    $"The record of sync run {id} is missing from the BackPak catalog of {Node}: its store changed while the run was written (was the lab replaced by hand?).", Node,
                    "Disconnect-BPDomain -All, connect again and check the Export and Import Status; if it persists, recreate the lab with New-BPLab -Force.");
            return RunFrom(r, r.GetString(10), r.GetString(11));
        }

        private SyncRun RunFrom(SqliteDataReader r, string store, string direction) => new SyncRun(Identity)
        {
            Id = r.GetInt64(0), DataStore = store, Node = Node, Direction = direction,
            Type = r.GetString(1) == "Full" ? SyncType.Full : r.GetString(1) == "Update" ? SyncType.Update : SyncType.Unknown,
            Started = LabDb.FromUnixMs(r.GetInt64(2)), Ended = r.IsDBNull(3) ? (DateTime?)null : LabDb.FromUnixMs(r.GetInt64(3)),
            Result = Enum.TryParse<SyncResult>(r.GetString(4), out var res) ? res : SyncResult.Unknown, ResultText = r.GetString(4),
            Volumes = r.GetInt32(5), Entries = r.GetInt64(6),
            FailedVolumes = r.IsDBNull(7) || r.GetString(7).Length == 0 ? new string[0] : r.GetString(7).Split(','),
            Deleted = r.GetInt32(8), Error = r.IsDBNull(9) ? null : r.GetString(9),
        };

        // ---------------------------------------------------------------- settings

        public void SetExportSuspended(string dataStore, bool suspended, string user) => Guard(() =>
        {
            using (var c = OpenBackPak())
            {
                var s = ReadStore(c, dataStore);
                Fence(s.Name, StoreChange.ExportControl);
                LabDb.Exec(c, "UPDATE data_store SET export_suspended = @v WHERE name = @n", ("@v", suspended ? 1 : 0), ("@n", s.Name));
                // Resumed: what was held goes out now, retries included.
                if (!suspended) LabDb.Exec(c, "UPDATE export_pending SET next_retry = @t WHERE data_store = @n AND next_retry > @t", ("@t", LabDb.ToUnixMs(Now)), ("@n", s.Name));
                WriteAudit(c, user, suspended ? AuditActions.SuspendCatalogExport : AuditActions.ResumeCatalogExport, s.Name, "Done", null);
            }
            if (!suspended) RunDueWorkCore(); // pending updates go out now
            return true;
        });

        public DataStore SetDataStore(string name, DataStoreSettings settings, string user) => Guard(() =>
        {
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                var s = ReadStore(c, name);
                Fence(s.Name, StoreChange.Settings);
                // Core decides which values are valid; the lab stores the normalized ones it returns.
                settings = DataStoreSettingsRules.Validate(settings, _lab.Nodes);
                var changes = new List<string>();
                if (settings.StagingArea != null)
                {
                    string area = settings.StagingArea;
                    LabDb.Exec(c, "UPDATE data_store SET staging_area = @v WHERE name = @n", ("@v", area), ("@n", s.Name));
                    changes.Add("staging area " + area);
                }
                if (settings.ExportCheckDelay is { } delay)
                {
                    LabDb.Exec(c, "UPDATE data_store SET export_check_delay_s = @v WHERE name = @n", ("@v", (int)delay.TotalSeconds), ("@n", s.Name));
                    // Retries already planned follow the new delay when it is shorter.
                    LabDb.Exec(c, "UPDATE export_pending SET next_retry = MIN(next_retry, @t) WHERE data_store = @n", ("@t", LabDb.ToUnixMs(Now) + (long)delay.TotalMilliseconds), ("@n", s.Name));
                    changes.Add("export check delay " + delay);
                }
                if (settings.FullExportFrequency is { } freq)
                {
                    LabDb.Exec(c, "UPDATE data_store SET full_export_frequency_s = @v WHERE name = @n", ("@v", freq == TimeSpan.Zero ? null : (object)(int)freq.TotalSeconds), ("@n", s.Name));
                    changes.Add("full export frequency " + (freq == TimeSpan.Zero ? "none" : freq.ToString()));
                }
                if (settings.NodeReplacements != null)
                {
                    var pairs = settings.NodeReplacements.Select(kv => (Old: kv.Key, New: kv.Value)).ToList();
                    string? text = pairs.Count == 0 ? null : string.Join(";", pairs.Select(p => p.Old + "=" + p.New));
                    LabDb.Exec(c, "UPDATE data_store SET node_replacements = @v WHERE name = @n", ("@v", text), ("@n", s.Name));
                    changes.Add("node replacements " + (text ?? "none"));
                }
                if (settings.PrimaryStoreId != null)
                {
                    string id = settings.PrimaryStoreId;
                    LabDb.Exec(c, "UPDATE data_store SET primary_store_id = @v WHERE name = @n", ("@v", id), ("@n", s.Name));
                    changes.Add("primary store id " + id);
                }
                if (settings.Status is { } status && status != DataStoreStatus.Unknown)
                {
                    LabDb.Exec(c, "UPDATE data_store SET status = @v WHERE name = @n", ("@v", status.ToString().ToUpperInvariant()), ("@n", s.Name));
                    changes.Add("status " + status.ToString().ToUpperInvariant());
                }
                if (settings.DomainAccess is { } access && access != DomainAccess.Unknown && access != s.Access)
                {
                    // In the same transaction as every load for output: no backup can start between the check and the change.
                    var running = new List<string>();
                    using (var r = Reader(c, "SELECT label FROM volume WHERE data_store = @s AND current_operation = 'LOAD' AND current_operation_mode = 'OUTPUT' ORDER BY label", s.Name))
                        while (r.Read()) running.Add(r.GetString(0));
                    if (ActionMatrix.AccessChangeRefusal(s.Name, Node, s.Access, access, running) is { } refused) throw refused;
                    LabDb.Exec(c, "UPDATE data_store SET domain_access = @v WHERE name = @n", ("@v", LabNames.Access(access)), ("@n", s.Name));
                    // Volumes follow their store. RESTRICTED and SECONDARY volumes never accept a write: WRITE shows '.'
                    // (R20); a PRIMARY volume gets its write access back as its read access (inferred).
                    LabDb.Exec(c, access == DomainAccess.Primary
                            ? "UPDATE volume SET domain_access = @a, authorization = substr(authorization, 1, 1) || substr(authorization, 1, 1) || substr(authorization, 3) WHERE data_store = @n AND substr(authorization, 2, 1) = '.'"
                            : "UPDATE volume SET domain_access = @a, authorization = substr(authorization, 1, 1) || '.' || substr(authorization, 3) WHERE data_store = @n",
                        ("@a", LabNames.Access(access)), ("@n", s.Name));
                    LabDb.Exec(c, "UPDATE volume SET domain_access = @a WHERE data_store = @n", ("@a", LabNames.Access(access)), ("@n", s.Name)); // the rows the first statement did not match
                    changes.Add("domain access " + LabNames.Access(s.Access) + " -> " + LabNames.Access(access));
                }
                WriteAudit(c, user, AuditActions.SetDataStore, s.Name, "Done", changes.Count == 0 ? "no change" : string.Join("; ", changes));
                LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
            return ReadDataStores(name).Single();
        });

        // ---------------------------------------------------------------- export

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
                    foreach (var label in pending)
                    {
                        var v = ReadExportVolume(c, dsm, label);
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
            while (vol.Read())
            {
                var v = VolumeFromRow(vol);
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

        private static SqliteDataReader Reader(SqliteConnection c, string sql, string store)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("@s", store);
            return cmd.ExecuteReader();
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

        // ---------------------------------------------------------------- import

        public SyncRun StartImport(string dataStore, SyncType type, bool catalogFiles, string user) => Guard(() =>
        {
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true)) s = ReadStore(c, dataStore);
            var rejected = ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.Import);
            if (rejected != null) throw rejected;
            Fence(s.Name, StoreChange.Import);
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
                        foreach (var gone in StoreLabels(bp, s.Name).Where(l => !seen.Contains(l)).ToList())
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

        public string? DsmTcSearchList => Guard(() =>
        {
            using var c = LabDb.Open(_dsmTcDb, readOnly: true);
            return (string?)LabDb.Scalar(c, "SELECT value FROM config WHERE key = 'search_list'");
        });

        public IReadOnlyList<string> GetKeyManagerIds() => Guard(() =>
        {
            using var c = OpenBackPak(readOnly: true);
            using var r = Reader(c, "SELECT backpak_id FROM key_manager WHERE @s = @s ORDER BY 1", "");
            var ids = new List<string>();
            while (r.Read()) ids.Add(r.GetString(0));
            return (IReadOnlyList<string>)ids;
        });

        public long? GetStagingFreeBytes(string stagingArea)
        {
            try
            {
                string dir = LabLayout.StagingDirFromGuardian(_lab.Root, stagingArea.ToUpperInvariant());
                string existing = dir;
                while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? _lab.Root;
                return new DriveInfo(Path.GetPathRoot(Path.GetFullPath(existing))!).AvailableFreeSpace;
            }
            catch (Exception e) when (e is BackPakException || e is IOException || e is ArgumentException) { return null; }
        }

        public BackPakException? CheckImportTargets(string dataStore) => Guard(() =>
        {
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true)) s = ReadStore(c, dataStore);
            try { CheckTargetCatalogs(s, ReadVolumeGroups(s.Name, null)); return null; }
            catch (BackPakException e) { return e; }
        });

        // ---------------------------------------------------------------- staging, locks, runs

        /// <summary>Why the staging area cannot be reached now, or null: its node's Expand link may be down (a fault).</summary>
        private BackPakException? StagingProblem(string stagingArea)
        {
            string node = stagingArea.Substring(0, Math.Max(0, stagingArea.IndexOf('.')));
            if (_lab.HasFault(FaultStagingUnreachable, node))
                return new BackPakException(ErrorIds.StagingUnreachable, BackPakErrorCategory.ConnectionError,
                    $"The staging area {stagingArea} on {node} cannot be reached from {Node}: the Expand link is down.", stagingArea,
                    "Restore the Expand link (in the lab: Remove-BPLabFault); pending exports are kept and retried at the export check delay.");
            return null;
        }

        private IEnumerable<(string Path, ExportFile.Header Header)> StagingFiles(string stagingArea)
        {
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, stagingArea);
            if (!Directory.Exists(dir)) yield break;
            foreach (var f in Directory.EnumerateFiles(dir, "*.bpx"))
                if (ExportFile.ReadHeader(f) is { } h) yield return (f, h);
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

        private static bool IsFor(ExportFile.Header h, StoreRow s) => string.Equals(h.Store, s.PrimaryStoreId, StringComparison.OrdinalIgnoreCase);

        private static List<string> StoreLabels(SqliteConnection c, string store)
        {
            using var r = Reader(c, "SELECT label FROM volume WHERE data_store = @s", store);
            var list = new List<string>();
            while (r.Read()) list.Add(r.GetString(0));
            return list;
        }

        /// <summary>One export or import per data store at a time (R8), across processes; a dead holder's lock is taken over.</summary>
        private IDisposable AcquireSyncLock(string store, string direction)
        {
            using (var c = OpenBackPak())
            {
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                try
                {
                    using (var r = Reader(c, "SELECT direction, owner_host, owner_pid, owner_start FROM sync_lock WHERE data_store = @s", store))
                        if (r.Read() && !RunOwner.MayTakeOver(r.GetString(1), r.GetInt32(2), r.GetInt64(3)))
                            throw new BackPakException(ErrorIds.SyncInProgress, BackPakErrorCategory.ResourceBusy,
                                $"An {r.GetString(0).ToLowerInvariant()} of data store {store} is running on {Node}: only one export or import runs per data store at a time (CS p15).",
                                store, "Wait for it to end (Wait-BPCatalogExport, Get-BPExportStatus), then start again.");
                    // An import and a removal of one store exclude each other: an import between a removal's DSM/TC
                    // and BackPak steps would write back entries the removal is taking away. Checked in the same
                    // transaction as removal claims, so one of the two always sees the other.
                    if (direction == "Import") RefuseOverRemovals(c, store);
                    // A run still 'Running' here was left by a process that died (or failed unexpectedly) while it held
                    // this lock: it is ended as interrupted, except an import with an intent, which is finished instead.
                    LabDb.Exec(c, "UPDATE sync_run SET ended = @t, result = 'Failed', error = 'interrupted: the process running it ended before the run did' " +
                                  "WHERE data_store = @s AND result = 'Running' AND id NOT IN (SELECT run_id FROM import_intent)", ("@s", store), ("@t", LabDb.ToUnixMs(Now)));
                    LabDb.Exec(c, "INSERT OR REPLACE INTO sync_lock(data_store, direction, owner_host, owner_pid, owner_start, started) VALUES (@s, @d, @h, @p, @o, @t)",
                        ("@s", store), ("@d", direction), ("@h", RunOwner.Host), ("@p", RunOwner.Pid), ("@o", RunOwner.StartMs), ("@t", LabDb.ToUnixMs(Now)));
                    LabDb.Exec(c, "COMMIT");
                }
                catch
                {
                    LabDb.Exec(c, "ROLLBACK");
                    throw;
                }
            }
            return new SyncLock(this, store);
        }

        private sealed class SyncLock : IDisposable
        {
            private readonly LabDomain _d;
            private readonly string _store;
            public SyncLock(LabDomain d, string store) { _d = d; _store = store; }
            public void Dispose()
            {
                using var c = _d.OpenBackPak();
                LabDb.Exec(c, "DELETE FROM sync_lock WHERE data_store = @s AND owner_pid = @p AND owner_host = @h", ("@s", _store), ("@p", RunOwner.Pid), ("@h", RunOwner.Host));
            }
        }

        /// <summary>"Export" or "Import" when a live process holds the store's lock, else null.</summary>
        private static string? LockHolder(SqliteConnection c, string store)
        {
            using var r = Reader(c, "SELECT direction, owner_host, owner_pid, owner_start FROM sync_lock WHERE data_store = @s", store);
            return r.Read() && !RunOwner.MayTakeOver(r.GetString(1), r.GetInt32(2), r.GetInt64(3)) ? r.GetString(0) : null;
        }

        private long BeginRun(string store, string direction, SyncType type, long now)
        {
            using var c = OpenBackPak();
            LabDb.Exec(c, "INSERT INTO sync_run(data_store, direction, type, started, result) VALUES (@s, @d, @t, @n, 'Running')",
                ("@s", store), ("@d", direction), ("@t", type.ToString()), ("@n", now));
            return (long)LabDb.Scalar(c, "SELECT last_insert_rowid()")!;
        }

        private void EndRun(SqliteConnection c, long id, SyncResult result, int volumes, long entries, IEnumerable<string> failed, int deleted, string? error, long? seq = null) =>
            LabDb.Exec(c, "UPDATE sync_run SET ended = @e, result = @r, volumes = @v, entries = @n, failed = @f, deleted = @d, error = @x, seq = @q WHERE id = @i",
                ("@e", LabDb.ToUnixMs(Now)), ("@r", result.ToString()), ("@v", volumes), ("@n", entries), ("@f", string.Join(",", failed)),
                ("@d", deleted), ("@x", error), ("@q", seq), ("@i", id));

        /// <summary>Raises export updates for volumes of a PRIMARY store, due now (the Domain Manager sends them as soon as possible).</summary>
        internal void RaiseExport(SqliteConnection c, string store, IEnumerable<string> labels, ExportReason reason)
        {
            long now = LabDb.ToUnixMs(Now);
            using var cmd = Command(c, "INSERT INTO export_pending(data_store, label, reason, raised, next_retry) VALUES (@s, @l, @r, @t, @t) " +
                                       "ON CONFLICT(data_store, label) DO UPDATE SET reason = excluded.reason, raised = excluded.raised, next_retry = excluded.next_retry",
                "@s", "@l", "@r", "@t");
            foreach (var l in labels) { SetAll(cmd, store, l, reason.ToString(), now); cmd.ExecuteNonQuery(); }
        }

        private static ExportReason ParseReason(string s) => Enum.TryParse<ExportReason>(s, out var r) ? r : ExportReason.Unknown;

        private static IReadOnlyDictionary<string, string> ParseReplacements(string? text)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (string.IsNullOrEmpty(text)) return map;
            foreach (var pair in text!.Split(';'))
            {
                var kv = pair.Split('=');
                if (kv.Length == 2) map[kv[0]] = kv[1];
            }
            return map;
        }

        private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? (long?)null : r.GetInt64(i);
    }
}
