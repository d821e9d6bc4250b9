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
    /// This file holds what export and import share (the store row, status, settings, staging files, locks and runs)
    /// and what the switch asks of a site; the export is in LabDomain.Export.cs, the import in LabDomain.Import.cs.
    /// </summary>
    public sealed partial class LabDomain
    {
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

        // ---------------------------------------------------------------- what the switch asks of a site

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

        private IEnumerable<(string Path, ExportFile.Header Header)> StagingFiles(string stagingArea)
        {
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, stagingArea);
            if (!Directory.Exists(dir)) yield break;
            foreach (var f in Directory.EnumerateFiles(dir, "*.bpx"))
                if (ExportFile.ReadHeader(f) is { } h) yield return (f, h);
        }

        private static bool IsFor(ExportFile.Header h, StoreRow s) => string.Equals(h.Store, s.PrimaryStoreId, StringComparison.OrdinalIgnoreCase);

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

        private static SqliteDataReader Reader(SqliteConnection c, string sql, string store)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("@s", store);
            return cmd.ExecuteReader();
        }

        private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? (long?)null : r.GetInt64(i);
    }
}
