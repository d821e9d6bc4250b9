using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Removal;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Volume, volume group and data store removal in the lab. A volume removal touches three separate stores
    /// (storage files, DSM/TC or TMF, the BackPak catalog), so it runs in four steps, each idempotent:
    /// <list type="number">
    /// <item>claim: in one BackPak transaction, mark the volume's current operation DELETE and write its intent;</item>
    /// <item>delete its storage files;</item>
    /// <item>delete its DSM/TC or TMF entries (one transaction);</item>
    /// <item>delete its BackPak entry and its intent, and append the audit record (one transaction).</item>
    /// </list>
    /// A process killed between any two steps leaves the volume claimed with its intent; the next removal that asks
    /// for it takes the intent over and finishes the steps, finding what is already gone absent.
    /// </summary>
    public sealed partial class LabDomain
    {
        private const int RemovalBatchSize = 500;

        public IReadOnlyList<VolumeRemovalPlan> PlanVolumeRemoval(IReadOnlyList<Volume> volumes, VolumeRemovalOptions options, bool countParts = true) => Guard(() =>
        {
            var now = Now;
            var groups = ReadVolumeGroups(null, null).ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
            var storage = StorageDirs();
            var plans = new List<VolumeRemovalPlan>(volumes.Count);
            using var dsm = LabDb.Open(_dsmTcDb, readOnly: true);
            using var tmf = LabDb.Open(_tmfDb, readOnly: true);
            using var bp = OpenBackPak(readOnly: true);
            var storeRefusals = new Dictionary<string, BackPakException?>(StringComparer.OrdinalIgnoreCase);
            for (int start = 0; start < volumes.Count; start += RemovalBatchSize)
            {
                var batch = volumes.Skip(start).Take(RemovalBatchSize).ToList();
                var labels = batch.Select(v => v.Label).ToList();
                var resumable = ResumableIntents(bp, labels.Where((l, k) => batch[k].CurrentOperation == VolumeRemovalRules.DeleteOperation).ToList());
                var dsmEntries = countParts ? CountEntries(dsm, labels, "tapevolume", "tapefile", "diskfile") : new Dictionary<string, int>();
                var tmfEntries = countParts ? CountEntries(tmf, labels, "tmf_volume", "tmf_dump") : new Dictionary<string, int>();
                foreach (var v in batch)
                {
                    var kind = groups.TryGetValue(v.VolumeGroup, out var g) ? g.CatalogKind : CatalogKind.None;
                    var (removesStorage, tape) = VolumeRemovalRules.Parts(v.DomainAccess, kind);
                    int files = 0;
                    if (countParts && removesStorage && storage.TryGetValue(v.DataStore, out var dir))
                        files = (File.Exists(LabLayout.IndexFile(dir, v.Label)) ? 1 : 0) + (File.Exists(LabLayout.DataFile(dir, v.Label)) ? 1 : 0);
                    int entries = tape == CatalogKind.DsmTc ? Get(dsmEntries, v.Label) : tape == CatalogKind.Tmf ? Get(tmfEntries, v.Label) : 0;
                    plans.Add(new VolumeRemovalPlan
                    {
                        Volume = v, RemovesStorage = removesStorage, TapeCatalog = tape, StorageFiles = files,
                        CatalogEntries = countParts ? entries + 1 : 0, // and the BackPak entry
                        // A removal an interrupted run left half done goes to the claim step, which takes it over under the rules
                        // in force then, or releases it (and says so) when they refuse it.
                        Refusal = StoreRefusal(bp, v.DataStore, storeRefusals) ?? (resumable.Contains(v.Label) ? null : VolumeRemovalRules.Refusal(v, now, options)),
                    });
                }
            }
            return (IReadOnlyList<VolumeRemovalPlan>)plans;
        });

        /// <summary>
        /// Why no volume of a store may be removed now, or null: a switch of the store is not finished (its fence), or
        /// an import of it runs or was interrupted (a removal and an import of one store exclude each other). Asked once per store.
        /// </summary>
        private BackPakException? StoreRefusal(SqliteConnection c, string store, Dictionary<string, BackPakException?> known)
        {
            if (known.TryGetValue(store, out var e)) return e;
            e = StoreFence.Refusal(_lab.RunJournal, store, Node, StoreChange.Removal) ?? ImportRefusal(c, store);
            return known[store] = e;
        }

        public IReadOnlyList<string> GetRemovalsInProgress(string dataStore) => Guard(() =>
        {
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE"); // after every claim that began before: see the interface
            try
            {
                RequireDataStore(c, dataStore);
                using var r = Reader(c, "SELECT label FROM removal_intent WHERE data_store = @s COLLATE NOCASE ORDER BY label", dataStore);
                var labels = new List<string>();
                while (r.Read()) labels.Add(r.GetString(0));
                return (IReadOnlyList<string>)labels;
            }
            finally { LabDb.Exec(c, "ROLLBACK"); }
        });

        /// <summary>Refuses an import while volumes of the store are claimed by a removal (running, or interrupted and not finished).</summary>
        private void RefuseOverRemovals(SqliteConnection c, string store)
        {
            var live = new List<string>();
            var left = new List<string>();
            using (var r = Reader(c, "SELECT label, owner_host, owner_pid, owner_start FROM removal_intent WHERE data_store = @s COLLATE NOCASE ORDER BY label", store))
                while (r.Read())
                {
                    var owner = new ProcessOwner(r.GetString(1), r.GetInt32(2), r.GetInt64(3));
                    (owner.IsAlive && !owner.IsCurrent ? live : left).Add(r.GetString(0));
                }
            string Few(List<string> l) => string.Join(", ", l.Take(10)) + (l.Count > 10 ? ", ..." : "");
            if (live.Count > 0)
                throw new BackPakException(ErrorIds.SyncInProgress, BackPakErrorCategory.ResourceBusy,
                    $"A removal of {live.Count} volume(s) of data store {store} is running on {Node} ({Few(live)}): the import would write back what it removes.", store,
                    "Wait for the removal to end, then start the import again.");
            if (left.Count > 0)
                throw new BackPakException(ErrorIds.RemovalUnfinished, BackPakErrorCategory.InvalidOperation,
                    $"A removal of {left.Count} volume(s) of data store {store} on {Node} was interrupted and is not finished ({Few(left)}): an import now would leave them half removed.", store,
                    $"Finish it first: run the same removal again (Remove-BPVolume -Label {string.Join(",", left.Take(3))}{(left.Count > 3 ? ",..." : "")} -Domain '{Node}' takes it over), then import.");
        }

        /// <summary>Labels whose removal intent belongs to a process that is gone (or to this one): they may be taken over.</summary>
        private static HashSet<string> ResumableIntents(SqliteConnection c, IReadOnlyList<string> labels)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (labels.Count == 0) return set;
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT label, owner_host, owner_pid, owner_start FROM removal_intent WHERE label IN (" + InList(cmd, labels) + ")";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                if (RunOwner.MayTakeOver(r.GetString(1), r.GetInt32(2), r.GetInt64(3))) set.Add(r.GetString(0));
            return set;
        }

        public IEnumerable<VolumeRemovalResult> RemoveVolumes(IReadOnlyList<string> labels, VolumeRemovalOptions options) =>
            GuardStream(RemoveInBatches(labels, options));

        private IEnumerable<VolumeRemovalResult> RemoveInBatches(IReadOnlyList<string> labels, VolumeRemovalOptions options)
        {
            string runId = NewRunId();
            int done = 0;
            var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
            for (int start = 0; start < distinct.Count; start += RemovalBatchSize)
            {
                var batch = distinct.Skip(start).Take(RemovalBatchSize).ToList();
                foreach (var r in RemoveBatch(batch, options, runId))
                {
                    done++;
                    yield return r;
                }
                options.Progress?.Invoke(done);
                LabFaults.CrashPoint("removal.between-batches");
            }
        }

        /// <summary>One removal run's intent for one volume.</summary>
        private sealed class Intent
        {
            public string Label = "", RunId = "", DataStore = "", VolumeGroup = "", Access = "", TapeCatalog = "", User = "";
            public string? StoragePath;
            public bool Resumed;
            public PartOutcome Storage = PartOutcome.NotApplicable, Tape = PartOutcome.NotApplicable, BackPak = PartOutcome.NotAttempted;
            public int Files, Entries;
            public BackPakException? Error;
        }

        private List<VolumeRemovalResult> RemoveBatch(List<string> labels, VolumeRemovalOptions options, string runId)
        {
            var results = new Dictionary<string, VolumeRemovalResult>(StringComparer.Ordinal);
            var intents = Claim(labels, options, runId, results);
            LabFaults.CrashPoint("removal.after-claim");

            DeleteStorage(intents);
            LabFaults.CrashPoint("removal.after-storage");

            var live = intents.Where(i => i.Error == null).ToList();
            DeleteTapeEntries(_dsmTcDb, live.Where(i => i.TapeCatalog == LabNames.Kind(CatalogKind.DsmTc)).ToList(), "tapevolume", "tapefile", "diskfile");
            DeleteTapeEntries(_tmfDb, live.Where(i => i.TapeCatalog == LabNames.Kind(CatalogKind.Tmf)).ToList(), "tmf_volume", "tmf_dump");
            LabFaults.CrashPoint("removal.after-tape-catalog");

            DeleteBackPakEntries(live);

            foreach (var i in intents)
            {
                bool anything = i.Storage == PartOutcome.Removed || i.Tape == PartOutcome.Removed || i.BackPak == PartOutcome.Removed;
                results[i.Label] = new VolumeRemovalResult(Identity)
                {
                    Label = i.Label, Node = Node, DataStore = i.DataStore, VolumeGroup = i.VolumeGroup,
                    DomainAccess = LabNames.ParseAccess(i.Access),
                    Status = i.Error != null ? RemovalStatus.Failed : anything ? RemovalStatus.Removed : RemovalStatus.AlreadyAbsent,
                    Storage = i.Storage, TapeCatalog = i.Tape, BackPakCatalog = i.BackPak,
                    StorageFilesRemoved = i.Files, CatalogEntriesRemoved = i.Entries, RunId = i.RunId, Resumed = i.Resumed, Error = i.Error,
                };
            }
            return labels.Select(l => results[l]).ToList();
        }

        /// <summary>Step 1: claims the volumes that may go, records their intents, and refuses the others.</summary>
        private List<Intent> Claim(List<string> labels, VolumeRemovalOptions options, string runId, Dictionary<string, VolumeRemovalResult> results)
        {
            var intents = new List<Intent>();
            var now = Now;
            long nowMs = LabDb.ToUnixMs(now);
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE"); // one claimer at a time: two runs never claim the same volume
            try
            {
                var groups = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT name, catalog_kind FROM volume_group";
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) groups[r.GetString(0)] = r.GetString(1);
                }
                var stores = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT name, storage_path FROM data_store";
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) stores[r.GetString(0)] = r.GetString(1);
                }
                var volumes = new Dictionary<string, Volume>(StringComparer.Ordinal);
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT " + VolumeColumns + " FROM volume WHERE label IN (" + InList(cmd, labels) + ")";
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) { var v = ReadVolume(r, nowMs); volumes[v.Label] = v; }
                }
                var pending = new Dictionary<string, (string RunId, string Host, int Pid, long Start, string User, string Store, string Group, string Access, string? Storage, string Tape)>(StringComparer.Ordinal);
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT label, run_id, owner_host, owner_pid, owner_start, user, data_store, volume_group, domain_access, storage_path, tape_catalog FROM removal_intent WHERE label IN (" + InList(cmd, labels) + ")";
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                        pending[r.GetString(0)] = (r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), Str(r, 9), r.GetString(10));
                }

                using var takeOver = Command(c, "UPDATE removal_intent SET owner_host = @h, owner_pid = @p, owner_start = @s, domain_access = @a, storage_path = @sp, tape_catalog = @tc WHERE label = @l",
                    "@h", "@p", "@s", "@a", "@sp", "@tc", "@l");
                using var release = Command(c, "DELETE FROM removal_intent WHERE label = @l", "@l");
                using var unmark = Command(c, "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL, last_update = @t WHERE label = @l AND current_operation = '" + VolumeRemovalRules.DeleteOperation + "'", "@t", "@l");
                using var markDelete = Command(c, "UPDATE volume SET current_operation = '" + VolumeRemovalRules.DeleteOperation + "', current_operation_mode = NULL, last_update = @t WHERE label = @l", "@t", "@l");
                using var insertIntent = Command(c, "INSERT INTO removal_intent(label, run_id, owner_host, owner_pid, owner_start, user, data_store, volume_group, domain_access, storage_path, tape_catalog, created) " +
                                                    "VALUES (@l, @r, @h, @p, @s, @u, @ds, @vg, @a, @sp, @tc, @t)", "@l", "@r", "@h", "@p", "@s", "@u", "@ds", "@vg", "@a", "@sp", "@tc", "@t");
                // Inside the claim's transaction: a switch that raises its fence, or an import that takes its lock,
                // either sees these claims or is seen by them.
                var storeRefusals = new Dictionary<string, BackPakException?>(StringComparer.OrdinalIgnoreCase);
                foreach (var label in labels)
                {
                    if (!volumes.TryGetValue(label, out var v))
                    {
                        results[label] = new VolumeRemovalResult(Identity)
                        {
                            Label = label, Node = Node, Status = RemovalStatus.AlreadyAbsent, RunId = runId,
                            Storage = PartOutcome.AlreadyAbsent, TapeCatalog = PartOutcome.AlreadyAbsent, BackPakCatalog = PartOutcome.AlreadyAbsent,
                        };
                        continue;
                    }
                    var storeRefusal = StoreRefusal(c, v.DataStore, storeRefusals);
                    groups.TryGetValue(v.VolumeGroup, out var kindText);
                    var (removesStorage, tape) = VolumeRemovalRules.Parts(v.DomainAccess, LabNames.ParseKind(kindText ?? "NONE"));
                    string? storagePath = removesStorage && stores.TryGetValue(v.DataStore, out var sp) ? sp : null;
                    if (pending.TryGetValue(label, out var p) && RunOwner.MayTakeOver(p.Host, p.Pid, p.Start))
                    {
                        // An interrupted removal (its process is gone): finished under its own run id, by the rules in
                        // force now (the store may have been switched since: its access decides which parts exist),
                        // or released when they refuse it.
                        var now2 = storeRefusal ?? VolumeRemovalRules.Refusal(v, now, options, ownClaim: true);
                        if (now2 != null)
                        {
                            SetAll(release, label); release.ExecuteNonQuery();
                            SetAll(unmark, nowMs, label); unmark.ExecuteNonQuery();
                            results[label] = Refused(v, Released(v, now2, p.RunId, p.Storage), runId);
                            continue;
                        }
                        SetAll(takeOver, RunOwner.Host, RunOwner.Pid, RunOwner.StartMs, LabNames.Access(v.DomainAccess), storagePath, LabNames.Kind(tape), label);
                        takeOver.ExecuteNonQuery();
                        intents.Add(new Intent
                        {
                            Label = label, RunId = p.RunId, User = p.User, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup, Access = LabNames.Access(v.DomainAccess),
                            StoragePath = storagePath, TapeCatalog = LabNames.Kind(tape), Resumed = true,
                        });
                        continue;
                    }
                    if (storeRefusal != null)
                    {
                        results[label] = Refused(v, storeRefusal, runId);
                        continue;
                    }
                    var refusal = VolumeRemovalRules.Refusal(v, now, options);
                    if (refusal != null)
                    {
                        results[label] = Refused(v, refusal, runId);
                        continue;
                    }
                    var intent = new Intent
                    {
                        Label = label, RunId = runId, User = options.User, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup,
                        Access = LabNames.Access(v.DomainAccess), TapeCatalog = LabNames.Kind(tape), StoragePath = storagePath,
                    };
                    SetAll(markDelete, nowMs, label);
                    markDelete.ExecuteNonQuery();
                    SetAll(insertIntent, label, runId, RunOwner.Host, RunOwner.Pid, RunOwner.StartMs, options.User,
                        intent.DataStore, intent.VolumeGroup, intent.Access, intent.StoragePath, intent.TapeCatalog, nowMs);
                    insertIntent.ExecuteNonQuery();
                    intents.Add(intent);
                }
                LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
            return intents;
        }

        /// <summary>Step 2: the volume images. A file already gone counts as done.</summary>
        private void DeleteStorage(List<Intent> intents)
        {
            bool first = true;
            foreach (var i in intents)
            {
                if (i.StoragePath == null) continue;
                string dir = LabLayout.StorageDirFromUnc(_lab.Root, i.StoragePath);
                int removed = 0;
                try
                {
                    foreach (var file in new[] { LabLayout.IndexFile(dir, i.Label), LabLayout.DataFile(dir, i.Label) })
                    {
                        var info = new FileInfo(file); // one look at the file system per image
                        if (!info.Exists)
                        {
                            // Something else in the image's place is not "already gone": it must be looked at, not skipped.
                            if (Directory.Exists(file)) throw new IOException($"{file} is a folder, not a volume image");
                            continue;
                        }
                        info.Delete();
                        removed++;
                        if (first) { first = false; LabFaults.CrashPoint("removal.inside-storage"); }
                    }
                    i.Storage = removed > 0 ? PartOutcome.Removed : PartOutcome.AlreadyAbsent;
                    i.Files = removed;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    i.Storage = PartOutcome.Failed;
                    i.Files = removed;
                    i.Error = new BackPakException(ErrorIds.RemovalFailed, BackPakErrorCategory.WriteError,
                        $"The storage files of volume {i.Label} in {i.StoragePath} could not be deleted: {e.Message}. The volume stays claimed for removal; nothing else of it was removed.",
                        i.Label, "Fix the cause (file locked, permissions) and run the removal again: it takes the volume over where it stopped.", inner: e);
                }
            }
        }

        /// <summary>Step 3: the DSM/TC or TMF entries of the volumes, in one transaction per catalog store.</summary>
        private static void DeleteTapeEntries(string db, List<Intent> intents, params string[] tables)
        {
            if (intents.Count == 0) return;
            using var c = LabDb.Open(db);
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                var counts = new int[intents.Count];
                foreach (var table in tables)
                {
                    // One prepared statement per table, one execution per volume: its row count is the count removed.
                    using var delete = Command(c, "DELETE FROM " + table + " WHERE label = @l", "@l");
                    for (int k = 0; k < intents.Count; k++)
                    {
                        delete.Parameters[0].Value = intents[k].Label;
                        counts[k] += delete.ExecuteNonQuery();
                    }
                }
                LabFaults.CrashPoint("removal.inside-tape-catalog");
                LabDb.Exec(c, "COMMIT");
                for (int k = 0; k < intents.Count; k++)
                {
                    intents[k].Entries += counts[k];
                    intents[k].Tape = counts[k] > 0 ? PartOutcome.Removed : PartOutcome.AlreadyAbsent;
                }
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
        }

        /// <summary>Step 4: the BackPak entries, the intents and the audit records, in one transaction.</summary>
        private void DeleteBackPakEntries(List<Intent> intents)
        {
            if (intents.Count == 0) return;
            long nowMs = LabDb.ToUnixMs(Now);
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                using var deleteVolume = Command(c, "DELETE FROM volume WHERE label = @l AND current_operation = '" + VolumeRemovalRules.DeleteOperation + "'", "@l");
                using var deleteIntent = Command(c, "DELETE FROM removal_intent WHERE label = @l", "@l");
                using var audit = AuditCommand(c);
                bool first = true;
                foreach (var i in intents)
                {
                    deleteVolume.Parameters[0].Value = i.Label;
                    int n = deleteVolume.ExecuteNonQuery();
                    deleteIntent.Parameters[0].Value = i.Label;
                    deleteIntent.ExecuteNonQuery();
                    i.BackPak = n > 0 ? PartOutcome.Removed : PartOutcome.AlreadyAbsent;
                    i.Entries += n;
                    string detail = $"run {i.RunId}{(i.Resumed ? " (resumed)" : "")}; storage: {Describe(i.Storage)}, {i.Files} file(s); " +
                                    $"{i.TapeCatalog}: {Describe(i.Tape)}; BackPak entry: {Describe(i.BackPak)}";
                    WriteAudit(audit, nowMs, new AuditEntry { Action = AuditActions.RemoveVolume, Target = i.DataStore + "/" + i.Label, Result = "Removed", Detail = detail, User = i.User });
                    if (first) { first = false; LabFaults.CrashPoint("removal.inside-backpak-catalog"); }
                }
                LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                foreach (var i in intents) i.BackPak = PartOutcome.NotAttempted;
                throw;
            }
        }

        public void RemoveVolumeGroup(string name, string user) => Guard(() =>
        {
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                var store = (string?)LabDb.Scalar(c, "SELECT data_store FROM volume_group WHERE name = @n", ("@n", name))
                    ?? throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"Volume group '{name}' does not exist in the domain of {Node}.", name, "Get-BPVolumeGroup lists the volume groups of the domain.");
                Fence(store, StoreChange.Removal);
                if (ImportRefusal(c, store) is { } importing) throw importing;
                long volumes = (long)LabDb.Scalar(c, "SELECT COUNT(*) FROM volume WHERE volume_group = @n", ("@n", name))!;
                if (volumes > 0)
                    throw new BackPakException(ErrorIds.VolumeGroupNotEmpty, BackPakErrorCategory.InvalidOperation,
                        $"Volume group '{name}' of data store {store} on {Node} still has {volumes} volume(s); remove them first (CS p41).", name,
                        "Remove its volumes (Get-BPVolume -VolumeGroup " + name + " | Remove-BPVolume), or use -Recurse.");
                LabDb.Exec(c, "DELETE FROM volume_group WHERE name = @n", ("@n", name));
                WriteAudit(c, user, AuditActions.RemoveVolumeGroup, store + "/" + name, "Removed", null);
                LabDb.Exec(c, "COMMIT");
                return true;
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
        });

        public void RemoveDataStore(string name, string user) => Guard(() =>
        {
            string? storagePath;
            DomainAccess access;
            using (var c = OpenBackPak())
            {
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                try
                {
                    RequireDataStore(c, name);
                    Fence(name, StoreChange.Removal);
                    if (ImportRefusal(c, name) is { } importing) throw importing;
                    long volumes = (long)LabDb.Scalar(c, "SELECT COUNT(*) FROM volume WHERE data_store = @n", ("@n", name))!;
                    var groups = new List<string>();
                    using (var cmd = c.CreateCommand())
                    {
                        cmd.CommandText = "SELECT name FROM volume_group WHERE data_store = @n ORDER BY name";
                        cmd.Parameters.AddWithValue("@n", name);
                        using var r = cmd.ExecuteReader();
                        while (r.Read()) groups.Add(r.GetString(0));
                    }
                    if (volumes > 0 || groups.Count > 0)
                        throw new BackPakException(ErrorIds.DataStoreNotEmpty, BackPakErrorCategory.InvalidOperation,
                            $"Data store '{name}' on {Node} still has " +
                            (volumes > 0 ? $"{volumes} volume(s) and " : "") + $"{groups.Count} volume group(s) ({string.Join(", ", groups)}); " +
                            "the manual's order is volumes, then volume groups, then the data store (CS p41).", name,
                            "Remove them first, or use Remove-BPDataStore -Recurse to do all three in that order.");
                    storagePath = (string?)LabDb.Scalar(c, "SELECT storage_path FROM data_store WHERE name = @n", ("@n", name));
                    access = LabNames.ParseAccess((string)LabDb.Scalar(c, "SELECT domain_access FROM data_store WHERE name = @n", ("@n", name))!);
                    LabDb.Exec(c, "DELETE FROM data_store WHERE name = @n", ("@n", name));
                    // Its held export updates go with it: there is nothing left to send, and the retries would find no store.
                    LabDb.Exec(c, "DELETE FROM export_pending WHERE data_store = @n", ("@n", name));
                    WriteAudit(c, user, AuditActions.RemoveDataStore, name, "Removed", null);
                    LabDb.Exec(c, "COMMIT");
                }
                catch
                {
                    LabDb.Exec(c, "ROLLBACK");
                    throw;
                }
            }
            // A PRIMARY store's own storage folder goes with it once empty; a SECONDARY store's folder is the
            // storage replication's, not BackPak's.
            if (access == DomainAccess.Primary && storagePath != null)
            {
                try
                {
                    var dir = LabLayout.StorageDirFromUnc(_lab.Root, storagePath);
                    if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
                }
                catch (IOException) { }
            }
            return true;
        });

        public void Audit(AuditEntry entry) => Guard(() =>
        {
            using var c = OpenBackPak();
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                WriteAudit(c, entry);
                LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
            return true;
        });

        public IEnumerable<AuditRecord> GetAuditRecords(string? operationId = null) => Guard(() =>
        {
            using var c = OpenBackPak(readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, at, user, host, action, target, result, detail, operation_id, kind, error_id FROM audit" +
                              (operationId != null ? " WHERE operation_id = @o COLLATE NOCASE" : "") + " ORDER BY id DESC";
            if (operationId != null) cmd.Parameters.AddWithValue("@o", operationId);
            using var r = cmd.ExecuteReader();
            var list = new List<AuditRecord>();
            while (r.Read())
            {
                string result = r.GetString(6);
                string? kind = Str(r, 9);
                list.Add(new AuditRecord(Identity)
                {
                    Id = r.GetInt64(0), At = LabDb.FromUnixMs(r.GetInt64(1)), Node = Node, User = r.GetString(2), Host = r.GetString(3),
                    // Records written before operations and kinds: their old action names are read under the current ones.
                    Action = AuditActions.Current(r.GetString(4)), Target = r.GetString(5), Result = result, Detail = Str(r, 7),
                    OperationId = Str(r, 8) ?? "",
                    Kind = kind != null && Enum.TryParse<AuditKind>(kind, out var k) ? k : AuditActions.LegacyKind(result),
                    ErrorId = Str(r, 10),
                });
            }
            return (IEnumerable<AuditRecord>)list;
        });

        private const string AuditInsert =
            "INSERT INTO audit(at, user, host, action, target, result, detail, operation_id, kind, error_id) " +
            "VALUES (@at, @user, @host, @action, @target, @result, @detail, @op, @kind, @error)";

        private static SqliteCommand AuditCommand(SqliteConnection c) =>
            Command(c, AuditInsert, "@at", "@user", "@host", "@action", "@target", "@result", "@detail", "@op", "@kind", "@error");

        /// <summary>Appends a record of the lab's own changes (in the caller's transaction), stamped for the current operation.</summary>
        private void WriteAudit(SqliteConnection c, string user, string action, string target, string result, string? detail, AuditKind kind = AuditKind.Change) =>
            WriteAudit(c, new AuditEntry { Kind = kind, Action = action, Target = target, Result = result, Detail = detail, User = user });

        private void WriteAudit(SqliteConnection c, AuditEntry entry)
        {
            using var cmd = AuditCommand(c);
            WriteAudit(cmd, LabDb.ToUnixMs(Now), entry);
        }

        /// <summary>Writes an entry with a prepared command: the operation's Start first when it is its first record in this domain.</summary>
        private void WriteAudit(SqliteCommand cmd, long nowMs, AuditEntry entry)
        {
            foreach (var e in Operation.StampCurrent(this, entry))
            {
                SetAll(cmd, nowMs, e.User, RunOwner.Host, e.Action, e.Target, e.Result, e.Detail,
                    string.IsNullOrEmpty(e.OperationId) ? null : e.OperationId, e.Kind.ToString(), e.ErrorId);
                cmd.ExecuteNonQuery();
            }
        }

        private Dictionary<string, string> StorageDirs()
        {
            var dirs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in ReadDataStores(null)) dirs[s.Name] = LabLayout.StorageDirFromUnc(_lab.Root, s.StoragePath);
            return dirs;
        }

        private static Dictionary<string, int> CountEntries(SqliteConnection c, IReadOnlyList<string> labels, params string[] tables)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT label, COUNT(*) FROM " + table + " WHERE label IN (" + InList(cmd, labels) + ") GROUP BY label";
                using var r = cmd.ExecuteReader();
                while (r.Read()) counts[r.GetString(0)] = Get(counts, r.GetString(0)) + r.GetInt32(1);
            }
            return counts;
        }

        private static string InList(SqliteCommand cmd, IReadOnlyList<string> values)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < values.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append("@v").Append(i);
                cmd.Parameters.AddWithValue("@v" + i, values[i]);
            }
            return sb.ToString();
        }

        private static SqliteCommand Command(SqliteConnection c, string sql, params string[] parameters)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, DBNull.Value));
            return cmd;
        }

        private static void SetAll(SqliteCommand cmd, params object?[] values)
        {
            for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        private static int Get(Dictionary<string, int> d, string k) => d.TryGetValue(k, out var n) ? n : 0;

        private static string Describe(PartOutcome o) => o switch
        {
            PartOutcome.Removed => "removed",
            PartOutcome.AlreadyAbsent => "already absent",
            PartOutcome.NotApplicable => "not applicable",
            PartOutcome.Failed => "failed",
            _ => "not attempted",
        };

        /// <summary>The refusal of a taken-over removal, saying that it was released and what the interrupted run had already done.</summary>
        private BackPakException Released(Volume v, BackPakException why, string interruptedRun, string? claimedStorage)
        {
            string gone = "";
            if (claimedStorage != null)
            {
                string dir = LabLayout.StorageDirFromUnc(_lab.Root, claimedStorage);
                if (!File.Exists(LabLayout.IndexFile(dir, v.Label)) && !File.Exists(LabLayout.DataFile(dir, v.Label)))
                    gone = " Its storage files were already deleted by the interrupted run.";
            }
            return new BackPakException(why.ErrorId, why.Category,
                $"{why.Message} The interrupted removal of {v.Label} (run {interruptedRun}) is released: the volume is no longer claimed.{gone}",
                v.Label, why.RecommendedAction, why.StopsInvocation, why);
        }

        private VolumeRemovalResult Refused(Volume v, BackPakException why, string runId) => new VolumeRemovalResult(Identity)
        {
            Label = v.Label, Node = Node, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup, DomainAccess = v.DomainAccess,
            Status = RemovalStatus.Refused, RunId = runId, Error = why,
        };

        private static string NewRunId() => DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N").Substring(0, 8);
    }

    /// <summary>
    /// Who owns an intent or a lock row: this process, as <see cref="ProcessOwner"/> tells (host, pid, start time). A
    /// removal may take an intent over only from itself or from a process on this host that no longer runs, never
    /// from a live run.
    /// </summary>
    internal static class RunOwner
    {
        public static string Host => ProcessOwner.Current.Host;
        public static int Pid => ProcessOwner.Current.Pid;
        public static long StartMs => ProcessOwner.Current.StartMs;

        public static bool MayTakeOver(string host, int pid, long startMs)
        {
            var owner = new ProcessOwner(host, pid, startMs);
            return owner.IsCurrent || !owner.IsAlive;
        }
    }
}
