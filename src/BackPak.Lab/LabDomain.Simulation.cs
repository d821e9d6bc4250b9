using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using BackPak.Core.Text;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// The simulator: what tape applications and the daily batch do to a domain, so that Catalog Sync has something
    /// to replicate. Backups rewrite volumes (new timestamp, expiration, TAPEFILEs and DISKFILEs, a new key per
    /// write when the group encrypts, new volume images replicated to the other site) and raise export updates.
    /// </summary>
    public sealed partial class LabDomain
    {
        private static readonly string[] Apps = { "PAYROLL", "ORDERS", "LEDGER", "BILLING", "STOCK", "CLAIMS", "HRMS", "SALES" };

        /// <summary>
        /// What a tape application may write without naming the volume: an idle, unlocked volume that is scratch or
        /// whose data has expired (the files are all past their expiration; a pool with AUTOSCRATCH returns such a
        /// tape to scratch, MEDIACOM p44). A volume holding unexpired data is never reused (BB p15/13): the lab's
        /// backups once rewrote whatever was oldest, which taught the wrong thing. Parameter @n: now.
        /// </summary>
        private const string ReusableVolume = "data_store = @s AND current_operation IS NULL AND locked = 0 AND (catalog_status = 'SCRATCH' OR expiration <= @n)";

        /// <summary>
        /// Runs backups that write <paramref name="count"/> expired or scratch volumes of a PRIMARY store (the least
        /// recently written first), then the Domain Manager exports them. When fewer are free, nothing is written
        /// (NoScratchVolume) unless <paramref name="newVolumes"/> adds the missing ones to the pool as scratch volumes
        /// first, as an operator would with Create Volumes (BB p15/13). Named labels are written as named.
        /// </summary>
        public IReadOnlyList<Volume> RunBackups(string dataStore, int count, IReadOnlyList<string>? labels, string user, bool newVolumes = false) => Guard(() =>
        {
            var s = StoreForBackup(dataStore);
            List<string> chosen;
            if (labels != null && labels.Count > 0) chosen = labels.Select(Labels.Normalize).ToList();
            else
            {
                chosen = new List<string>();
                using (var c = OpenBackPak(readOnly: true))
                using (var cmd = Command(c, "SELECT label FROM volume WHERE " + ReusableVolume + " ORDER BY last_backup IS NOT NULL, last_backup, label LIMIT @c", "@s", "@n", "@c"))
                {
                    SetAll(cmd, s.Name, LabDb.ToUnixMs(Now), Math.Max(0, count));
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) chosen.Add(r.GetString(0));
                }
                if (chosen.Count < count)
                {
                    if (!newVolumes) throw NoScratchVolume(s.Name, chosen.Count, count);
                    chosen.AddRange(AddScratchVolumes(s, count - chosen.Count, user));
                }
            }
            WriteVolumes(s, chosen, user, requireOperation: null);
            return (IReadOnlyList<Volume>)GetVolumes(new VolumeQuery { Labels = chosen.Select(Labels.ParsePattern).ToList() }).ToList();
        });

        private BackPakException NoScratchVolume(string store, int free, int wanted) =>
            new BackPakException(ErrorIds.NoScratchVolume, BackPakErrorCategory.ResourceUnavailable,
                $"Data store {store} on {Node} has {free} expired or scratch volume(s) free for {wanted} backup(s). A tape application " +
                "writes only expired or scratch volumes, never one holding unexpired data (BB p15/13), so the other mounts would wait for a " +
                "scratch tape. Nothing was written.",
                store, (free > 0 ? $"Back up at most {free} volume(s), or a" : "A") +
                       "dd scratch volumes to the pool with Invoke-BPLabBackup -NewVolume; Get-BPVolume -DataStore " + store + " -Expired lists the free ones.");

        /// <summary>
        /// Adds <paramref name="count"/> scratch volumes to the store's largest volume group, as the Create Volumes page
        /// does: a BackPak entry and a DSM/TC TAPEVOLUME (or TMF entry) in SCRATCH, and no storage files, since a
        /// scratch volume of a pool with AUTOSCRATCH has none (BB p22/20). Labels are new in every domain of the lab (R1).
        /// The creation raises an export update (CS p16). DSM/TC and TMF commit before BackPak: a crash in between
        /// leaves at most a scratch tape that no BackPak volume names, which holds no data.
        /// </summary>
        private List<string> AddScratchVolumes(StoreRow s, int count, string user)
        {
            var group = ReadVolumeGroups(s.Name, null).OrderByDescending(g => g.VolumeCount).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault()
                ?? throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store {s.Name} on {Node} has no volume group to add scratch volumes to.", s.Name, "Get-BPVolumeGroup -DataStore " + s.Name);
            long now = LabDb.ToUnixMs(Now);
            string owner = "SUPER.OPER", auth = "GGO";
            using (var c = OpenBackPak(readOnly: true))
            using (var r = Reader(c, "SELECT owner_user, authorization FROM volume WHERE volume_group = @s ORDER BY label LIMIT 1", group.Name))
                if (r.Read()) { owner = r.GetString(0); auth = r.GetString(1); }

            var labels = NewLabels(count, now);
            using var dsm = LabDb.Open(_dsmTcDb);
            using var tmf = LabDb.Open(_tmfDb);
            using var bp = OpenBackPak();
            foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                using var tv = Command(dsm, "INSERT INTO tapevolume(label, volcat, pool, status, expiration, created) VALUES (@1, @2, @3, 'SCRATCH', NULL, @4)", "@1", "@2", "@3", "@4");
                using var mv = Command(tmf, "INSERT INTO tmf_volume(label, status, expiration, created) VALUES (@1, 'SCRATCH', NULL, @2)", "@1", "@2");
                using var vol = Command(bp, "INSERT INTO volume(label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, " +
                                            "last_backup, expiration, media_key_name, locked, last_update) VALUES (@1, @2, @3, 'PRIMARY', 'SCRATCH', @4, @5, @6, NULL, NULL, NULL, 0, @7)",
                    "@1", "@2", "@3", "@4", "@5", "@6", "@7");
                foreach (var l in labels)
                {
                    if (group.CatalogKind == CatalogKind.DsmTc) { SetAll(tv, l, group.VolumeCatalog, group.Pool, now); tv.ExecuteNonQuery(); }
                    else if (group.CatalogKind == CatalogKind.Tmf) { SetAll(mv, l, now); mv.ExecuteNonQuery(); }
                    SetAll(vol, l, s.Name, group.Name, Node, owner, auth, now); vol.ExecuteNonQuery();
                }
                RaiseExport(bp, s.Name, labels, ExportReason.Creation);
                WriteAudit(bp, user, AuditActions.InvokeLabBackup, s.Name + "/" + group.Name, "Done", $"{labels.Count} scratch volume(s) added to the pool: {string.Join(", ", labels)}");
                foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "ROLLBACK");
                throw;
            }
            return labels;
        }

        /// <summary>Labels no domain of the lab has (R1: a label is unique in the enterprise), six letters or digits.</summary>
        private List<string> NewLabels(int count, long now)
        {
            const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            var dbs = _lab.Nodes.Select(n => LabDb.Open(LabLayout.BackPakDb(_lab.Root, n), readOnly: true)).ToList();
            try
            {
                var rng = LabRandom.For(StableHash(Node), now);
                var labels = new List<string>();
                var buf = new char[Labels.Length];
                while (labels.Count < count)
                {
                    for (int k = 0; k < buf.Length; k++) buf[k] = chars[rng.Next(0, chars.Length)];
                    var l = new string(buf);
                    if (!labels.Contains(l) && dbs.All(c => LabDb.Scalar(c, "SELECT 1 FROM volume WHERE label = @l", ("@l", l)) == null)) labels.Add(l);
                }
                return labels;
            }
            finally
            {
                foreach (var c in dbs) c.Dispose();
            }
        }

        /// <summary>
        /// Leaves a backup running: the volume is loaded for output (current operation LOAD OUTPUT) until StopBackup.
        /// A label alone names its store; a store alone takes its first expired or scratch volume (NoScratchVolume when none is free).
        /// </summary>
        public Volume StartBackup(string? dataStore, string? label, string user) => Guard(() =>
        {
            if (dataStore == null)
            {
                if (label == null) throw new ArgumentNullException(nameof(label), "A data store or a label is needed.");
                dataStore = StoreOfVolume(Labels.Normalize(label));
            }
            StoreForBackup(dataStore);
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                // Checked again inside the transaction: a demotion cannot slip between the check and the load.
                var s = LoadableStore(c, dataStore, StoreChange.Backup);
                string? chosen = label != null ? Labels.Normalize(label)
                    : (string?)LabDb.Scalar(c, "SELECT label FROM volume WHERE " + ReusableVolume + " ORDER BY last_backup IS NOT NULL, last_backup, label LIMIT 1", ("@s", s.Name), ("@n", LabDb.ToUnixMs(Now)))
                      ?? throw NoScratchVolume(s.Name, 0, 1);
                var v = chosen == null ? null : Volume(c, chosen);
                if (v == null || !string.Equals(v.DataStore, s.Name, StringComparison.OrdinalIgnoreCase))
                    throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"No idle volume {(label ?? "")} in data store {s.Name} on {Node} to back up to.", label ?? s.Name, "Get-BPVolume -DataStore " + s.Name);
                if (v.CurrentOperation != null)
                    throw new BackPakException(ErrorIds.VolumeBusy, BackPakErrorCategory.ResourceBusy,
                        $"Volume {v.Label} on {Node} already has a current operation ({v.CurrentOperation}).", v.Label, "Choose another volume.");
                LabDb.Exec(c, "UPDATE volume SET current_operation = 'LOAD', current_operation_mode = 'OUTPUT', last_update = @t WHERE label = @l", ("@t", LabDb.ToUnixMs(Now)), ("@l", v.Label));
                WriteAudit(c, user, AuditActions.StartLabBackup, s.Name + "/" + v.Label, "Done", null);
                LabDb.Exec(c, "COMMIT");
                return Volume(c, v.Label)!;
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
        });

        /// <summary>Ends a running backup: the volume is written and unloaded, which raises its export update [CS p16].</summary>
        public Volume StopBackup(string label, string user) => Guard(() =>
        {
            string l = Labels.Normalize(label);
            Volume? v;
            using (var c = OpenBackPak(readOnly: true)) v = Volume(c, l);
            if (v == null || !v.IsBackupRunning)
                throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No backup is running on volume {l} on {Node}.", l, "Get-BPVolume | Where-Object IsBackupRunning lists running backups.");
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true)) s = ReadStore(c, v.DataStore);
            WriteVolumes(s, new List<string> { l }, user, requireOperation: "LOAD");
            using (var c = OpenBackPak(readOnly: true)) return Volume(c, l)!;
        });

        /// <summary>
        /// Ends a restore (load for input) or a materialize in flight: the volume was only read, so nothing is written
        /// and no export update is raised; its current operation is cleared, which frees it for other operations.
        /// </summary>
        public Volume StopRestore(string label, string user) => Guard(() =>
        {
            string l = Labels.Normalize(label);
            StoreOfVolume(l);
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                var v = Volume(c, l)!;
                if (!v.IsRestoreRunning)
                    throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"No restore or materialize is running on volume {l} on {Node}" +
                        (v.CurrentOperation == null ? "." : $": its current operation is {(v.CurrentOperation + " " + v.CurrentOperationMode).Trim()}" +
                            (v.IsBackupRunning ? " (a backup: Stop-BPLabBackup ends it)." : ".")),
                        l, "Get-BPVolume | Where-Object CurrentOperation lists the volumes with an operation in flight.");
                LabDb.Exec(c, "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL, last_update = @t WHERE label = @l",
                    ("@t", LabDb.ToUnixMs(Now)), ("@l", l));
                WriteAudit(c, user, AuditActions.StopLabRestore, v.DataStore + "/" + l, "Done", (v.CurrentOperation + " " + v.CurrentOperationMode).Trim() + " ended");
                LabDb.Exec(c, "COMMIT");
                return Volume(c, l)!;
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
        });

        /// <summary>The store of a volume; VolumeNotFound when there is no such volume.</summary>
        private string StoreOfVolume(string label)
        {
            using var c = OpenBackPak(readOnly: true);
            return Volume(c, label)?.DataStore ?? throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Volume {label} does not exist in the domain of {Node}.", label, "Get-BPVolume lists the volumes.");
        }

        /// <summary>
        /// The daily batch OBB017: DSM/TC marks expired volumes RELEASED, and the domain raises an export update for
        /// each status change [CS p16]. Cleanup is skipped for SECONDARY and RESTRICTED stores [CS p14].
        /// </summary>
        public int RunDailyBatch(string dataStore, string user) => Guard(() =>
        {
            StoreRow s;
            using (var c = OpenBackPak(readOnly: true)) s = ReadStore(c, dataStore);
            if (s.Access != DomainAccess.Primary || s.Status == DataStoreStatus.Inactive) return 0;
            Fence(s.Name, StoreChange.DailyBatch);
            long now = LabDb.ToUnixMs(Now);
            var changed = new List<string>();
            using (var c = OpenBackPak())
            {
                using var r = Reader(c, "SELECT label FROM volume WHERE data_store = @s AND catalog_status = 'ASSIGNED' AND expiration <= " + now, s.Name);
                while (r.Read()) changed.Add(r.GetString(0));
            }
            if (changed.Count == 0) return 0;
            using (var dsm = LabDb.Open(_dsmTcDb))
            using (var tmf = LabDb.Open(_tmfDb))
            using (var bp = OpenBackPak())
            {
                foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "BEGIN IMMEDIATE");
                using var u1 = Command(dsm, "UPDATE tapevolume SET status = 'RELEASED' WHERE label = @l", "@l");
                using var u2 = Command(tmf, "UPDATE tmf_volume SET status = 'RELEASED' WHERE label = @l", "@l");
                using var u3 = Command(bp, "UPDATE volume SET catalog_status = 'RELEASED', last_update = @t WHERE label = @l", "@t", "@l");
                foreach (var l in changed)
                {
                    u1.Parameters[0].Value = l; u1.ExecuteNonQuery();
                    u2.Parameters[0].Value = l; u2.ExecuteNonQuery();
                    SetAll(u3, now, l); u3.ExecuteNonQuery();
                }
                RaiseExport(bp, s.Name, changed, ExportReason.StatusChange);
                WriteAudit(bp, user, AuditActions.InvokeLabDailyBatch, s.Name, "Done", $"{changed.Count} volume(s) RELEASED");
                foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "COMMIT");
            }
            RunDueWorkCore();
            return changed.Count;
        });

        private StoreRow StoreForBackup(string dataStore)
        {
            using var c = OpenBackPak(readOnly: true);
            return LoadableStore(c, dataStore, StoreChange.Backup);
        }

        /// <summary>The store, if it takes a load for output now: PRIMARY and ACTIVE (the action matrix), and not fenced by a switch.</summary>
        private StoreRow LoadableStore(SqliteConnection c, string dataStore, StoreChange change)
        {
            var s = ReadStore(c, dataStore);
            var rejected = ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.LoadForOutput);
            if (rejected != null) throw rejected;
            Fence(s.Name, change);
            return s;
        }

        /// <summary>
        /// The load for output of a backup, in one transaction with its checks, so the store's access cannot change in
        /// between (a demotion refuses while volumes are loaded for output). A new backup loads idle volumes; the end
        /// of a running one checks again that its store still takes it: a store that became SECONDARY meanwhile
        /// is never written, and the load ends without writing (the tape application's write fails).
        /// </summary>
        private List<string> LoadForOutput(string store, List<string> labels, bool running, string user)
        {
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                var s = ReadStore(c, store);
                Fence(s.Name, running ? StoreChange.FinishBackup : StoreChange.Backup);
                var rejected = ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.LoadForOutput);
                long nowMs = LabDb.ToUnixMs(Now);
                if (rejected != null && running)
                {
                    foreach (var l in labels)
                        LabDb.Exec(c, "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL, last_update = @t WHERE label = @l AND current_operation = 'LOAD' AND current_operation_mode = 'OUTPUT'", ("@t", nowMs), ("@l", l));
                    WriteAudit(c, user, AuditActions.InvokeLabBackup, s.Name, "Refused", $"not written, the store is {LabNames.Access(s.Access)}: {string.Join(", ", labels)}", AuditKind.Refusal);
                    LabDb.Exec(c, "COMMIT");
                    throw new BackPakException(ErrorIds.ActionNotAllowed, BackPakErrorCategory.InvalidOperation,
                        $"The backup running on {string.Join(", ", labels)} cannot be written: {rejected.Message} The load ended without writing; the volume keeps the data it had.",
                        labels[0], "Run the backup again on the PRIMARY side of the data store.");
                }
                if (rejected != null) throw rejected;
                var loaded = new List<string>();
                foreach (var l in labels)
                {
                    int n = LabDb.Exec(c, running
                            ? "UPDATE volume SET last_update = last_update WHERE label = @l AND data_store = @s AND current_operation = 'LOAD' AND current_operation_mode = 'OUTPUT'"
                            : "UPDATE volume SET current_operation = 'LOAD', current_operation_mode = 'OUTPUT', last_update = @t WHERE label = @l AND data_store = @s AND current_operation IS NULL",
                        ("@t", nowMs), ("@l", l), ("@s", s.Name));
                    if (n > 0) loaded.Add(l);
                }
                LabDb.Exec(c, "COMMIT");
                return loaded;
            }
            catch
            {
                try { LabDb.Exec(c, "ROLLBACK"); } catch (SqliteException) { } // already committed (the refused end above)
                throw;
            }
        }

        private Volume? Volume(SqliteConnection c, string label)
        {
            using var r = Reader(c, "SELECT " + VolumeColumns + " FROM volume WHERE label = @s", label);
            return r.Read() ? ReadVolume(r, LabDb.ToUnixMs(Now)) : null;
        }

        /// <summary>Writes volumes as a backup does, then raises their export updates and lets the Domain Manager send them.</summary>
        private void WriteVolumes(StoreRow s, List<string> labels, string user, string? requireOperation)
        {
            if (labels.Count == 0) return;
            bool running = requireOperation != null;
            labels = LoadForOutput(s.Name, labels, running, user);
            if (labels.Count == 0) return;
            try { WriteLoaded(s, labels, user); }
            catch when (!running)
            {
                // The write failed (storage refused, a catalog store failed): the tape application's load ends and the
                // volume keeps what it had, free for the next backup. A backup started by Start-BPLabBackup stays
                // loaded, for Stop-BPLabBackup to end once the cause is fixed.
                EndLoad(labels);
                throw;
            }
            RunDueWorkCore(); // the export update goes out as soon as possible after the backup [CS p16]
        }

        private void EndLoad(List<string> labels)
        {
            try
            {
                using var c = OpenBackPak();
                foreach (var l in labels)
                    LabDb.Exec(c, "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL WHERE label = @l AND current_operation = 'LOAD' AND current_operation_mode = 'OUTPUT'", ("@l", l));
            }
            catch (SqliteException) { } // the store itself failed: the load stays, as after a crash, and Stop-BPLabBackup ends it
        }

        /// <summary>The write of volumes loaded for output: storage files, keys, then the three catalogs in one step each.</summary>
        private void WriteLoaded(StoreRow s, List<string> labels, string user)
        {
            var now = Now;
            long nowMs = LabDb.ToUnixMs(now);
            var groups = ReadVolumeGroups(s.Name, null).ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
            string dir = LabLayout.StorageDirFromUnc(_lab.Root, s.StoragePath);
            string site = new DirectoryInfo(dir).Parent!.Parent!.Name;
            var replicas = StorageReplicas(site, s.Name);
            var written = new List<(Volume Old, VolumeGroup Group, string? Key)>();
            using (var c = OpenBackPak(readOnly: true))
                foreach (var l in labels)
                {
                    var v = Volume(c, l);
                    if (v == null || !string.Equals(v.DataStore, s.Name, StringComparison.OrdinalIgnoreCase)) continue;
                    if (!v.IsBackupRunning) continue; // loaded for output above (or by Start-BPLabBackup)
                    var g = groups[v.VolumeGroup];
                    // KeyPerTape: a new key each time the tape is written [TEO p10].
                    string? key = g.Encrypted ? "BPK-" + l + "-" + now.ToString("yyyyMMddHHmmss") : null;
                    written.Add((v, g, key));
                }

            // Storage first (new file, then rename: never write through a replica's hard link), then the catalogs.
            foreach (var (v, g, key) in written)
            {
                var ind = new StringBuilder()
                    .Append("BACKPAK VIRTUAL TAPE INDEX\nLABEL=").Append(v.Label).Append("\nSTORE=").Append(s.Name)
                    .Append("\nGROUP=").Append(g.Name).Append("\nTIMESTAMP=").Append(now.ToString("yyyy-MM-ddTHH:mm:ssZ")).Append('\n');
                var data = Encoding.ASCII.GetBytes("BACKUP " + v.Label + " " + nowMs + "\n");
                ind.Append("BYTES=").Append(data.Length).Append('\n');
                if (key != null) ind.Append("ENCRYPTION=AES-256-GCM\nMEDIAKEYNAME=").Append(key).Append('\n');
                foreach (var target in new[] { dir }.Concat(replicas))
                {
                    Directory.CreateDirectory(target);
                    ReplaceFile(LabLayout.IndexFile(target, v.Label), Encoding.ASCII.GetBytes(ind.ToString()));
                    ReplaceFile(LabLayout.DataFile(target, v.Label), data);
                }
            }
            foreach (var (v, g, key) in written.Where(w => w.Key != null))
                AddKey(key!, site, nowMs);

            using var dsm = LabDb.Open(_dsmTcDb);
            using var tmf = LabDb.Open(_tmfDb);
            using var bp = OpenBackPak();
            foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                using var upVol = Command(bp, "UPDATE volume SET last_backup = @t, expiration = @e, catalog_status = 'ASSIGNED', media_key_name = @k, " +
                                              "current_operation = NULL, current_operation_mode = NULL, last_update = @t WHERE label = @l", "@t", "@e", "@k", "@l");
                using var delTf = Command(dsm, "DELETE FROM tapefile WHERE label = @l", "@l");
                using var delDf = Command(dsm, "DELETE FROM diskfile WHERE label = @l", "@l");
                using var upTv = Command(dsm, "UPDATE tapevolume SET status = 'ASSIGNED', expiration = @e, created = @t WHERE label = @l", "@e", "@t", "@l");
                using var insTf = Command(dsm, "INSERT INTO tapefile(label, file_seq, filecat, fileid, generation, expiration, created) VALUES (@1,@2,@3,@4,@5,@6,@7)", "@1", "@2", "@3", "@4", "@5", "@6", "@7");
                using var insDf = Command(dsm, "INSERT INTO diskfile(label, file_seq, disk_seq, filecat, name) VALUES (@1,@2,@3,@4,@5)", "@1", "@2", "@3", "@4", "@5");
                using var upTmf = Command(tmf, "UPDATE tmf_volume SET status = 'ASSIGNED', expiration = @e, created = @t WHERE label = @l", "@e", "@t", "@l");
                using var delDump = Command(tmf, "DELETE FROM tmf_dump WHERE label = @l", "@l");
                using var insDump = Command(tmf, "INSERT INTO tmf_dump(label, dump_seq, kind, name, created) VALUES (@1, 1, 'AUDIT', @2, @3)", "@1", "@2", "@3");
                foreach (var (v, g, key) in written)
                {
                    long exp = LabDb.ToUnixMs(now.AddDays(RetentionDays(g)));
                    SetAll(upVol, nowMs, exp, key, v.Label); upVol.ExecuteNonQuery();
                    var rng = LabRandom.For(StableHash(v.Label), nowMs);
                    if (g.CatalogKind == CatalogKind.DsmTc)
                    {
                        SetAll(delTf, v.Label); delTf.ExecuteNonQuery();
                        SetAll(delDf, v.Label); delDf.ExecuteNonQuery();
                        SetAll(upTv, exp, nowMs, v.Label); upTv.ExecuteNonQuery();
                        int files = rng.Next(1, 4);
                        for (int f = 1; f <= files; f++)
                        {
                            string app = rng.Pick(Apps);
                            SetAll(insTf, v.Label, f, g.FileCatalog, app + "." + g.Name.Substring(0, 1) + rng.Next(0, 10000).ToString("D4"), rng.Next(1, 500), exp, nowMs);
                            insTf.ExecuteNonQuery();
                            int disks = rng.Next(1, 5);
                            for (int d = 1; d <= disks; d++)
                            {
                                SetAll(insDf, v.Label, f, d, g.FileCatalog, Node + ".$DATA0" + rng.Next(1, 5) + "." + app + ".F" + rng.Next(0, 100000).ToString("D5"));
                                insDf.ExecuteNonQuery();
                            }
                        }
                    }
                    else if (g.CatalogKind == CatalogKind.Tmf)
                    {
                        SetAll(upTmf, exp, nowMs, v.Label); upTmf.ExecuteNonQuery();
                        SetAll(delDump, v.Label); delDump.ExecuteNonQuery();
                        SetAll(insDump, v.Label, "$AUDIT.ZTMFAT.AA" + rng.Next(0, 1000000).ToString("D6"), nowMs); insDump.ExecuteNonQuery();
                    }
                }
                RaiseExport(bp, s.Name, written.Select(w => w.Old.Label), ExportReason.Unload);
                WriteAudit(bp, user, AuditActions.InvokeLabBackup, s.Name, "Done", $"{written.Count} volume(s) written");
                foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                foreach (var c in new[] { dsm, tmf, bp }) LabDb.Exec(c, "ROLLBACK");
                throw;
            }
        }

        private int RetentionDays(VolumeGroup g)
        {
            using var c = OpenBackPak(readOnly: true);
            return Convert.ToInt32(LabDb.Scalar(c, "SELECT retention_days FROM volume_group WHERE name = @n", ("@n", g.Name)));
        }

        /// <summary>Storage folders a store's images are replicated to by the storage replication links of the lab.</summary>
        private List<string> StorageReplicas(string site, string store)
        {
            var list = new List<string>();
            using var c = LabDb.Open(LabLayout.LabDb(_lab.Root), readOnly: true);
            using var r = Reader(c, "SELECT target_site FROM replication_link WHERE kind = 'STORAGE' AND healthy = 1 AND scope = @s COLLATE NOCASE AND source_site = '" + site.Replace("'", "") + "'", store);
            while (r.Read())
                if (!_lab.IsSiteLost(r.GetString(0))) list.Add(LabLayout.StorageDir(_lab.Root, r.GetString(0), store)); // nothing reaches a lost site
            return list;
        }

        /// <summary>A new key in the site's key server and, through the key replication, in the others'.</summary>
        private void AddKey(string name, string site, long nowMs)
        {
            var sites = new List<string> { site };
            using (var c = LabDb.Open(LabLayout.LabDb(_lab.Root), readOnly: true))
            using (var r = Reader(c, "SELECT target_site FROM replication_link WHERE kind = 'KEYS' AND healthy = 1 AND source_site = @s", site))
                while (r.Read())
                    if (!_lab.IsSiteLost(r.GetString(0))) sites.Add(r.GetString(0)); // nothing reaches a lost site
            string uid = Guid.NewGuid().ToString();
            foreach (var s in sites)
            {
                using var k = LabDb.Open(LabLayout.KeyDb(_lab.Root, s));
                LabDb.Exec(k, LabSchema.InsertKey, ("@1", name), ("@2", uid), ("@3", nowMs));
            }
        }

        /// <summary>string.GetHashCode differs per process; this does not.</summary>
        private static int StableHash(string s)
        {
            unchecked
            {
                int h = (int)2166136261;
                foreach (char ch in s) h = (h ^ ch) * 16777619;
                return h;
            }
        }

        /// <summary>
        /// Records that this SECONDARY store holds everything up to export <paramref name="seq"/> of the primary:
        /// how a new lab starts, its secondary catalogs written from the same plan as the primary's.
        /// </summary>
        internal void MarkImported(string dataStore, long seq, string user)
        {
            using var c = OpenBackPak();
            long now = LabDb.ToUnixMs(Now);
            var s = ReadStore(c, dataStore);
            long volumes = (long)LabDb.Scalar(c, "SELECT COUNT(*) FROM volume WHERE data_store = @s", ("@s", s.Name))!;
            LabDb.Exec(c, "UPDATE data_store SET import_seq = @q WHERE name = @s", ("@q", seq), ("@s", s.Name));
            LabDb.Exec(c, "INSERT INTO sync_run(data_store, direction, type, started, ended, result, volumes, seq) VALUES (@s, 'Import', 'Full', @t, @t, 'Completed', @v, @q)",
                ("@s", s.Name), ("@t", now), ("@v", volumes), ("@q", seq));
            WriteAudit(c, user, AuditActions.StartCatalogImport, s.Name, "Completed", $"catalogs written at lab creation, in step with export {seq}");
        }

        private static void ReplaceFile(string path, byte[] bytes)
        {
            string temp = path + ".tmp";
            File.WriteAllBytes(temp, bytes);
            if (File.Exists(path)) File.Delete(path);
            File.Move(temp, path);
        }
    }
}
