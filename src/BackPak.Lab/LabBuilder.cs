using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Builds a lab. The lab is written into a hidden sibling folder and moved into place only when complete,
    /// so an interrupted build never leaves a half lab, and a replaced lab is only removed once its successor
    /// is in place.
    /// </summary>
    public static class LabBuilder
    {
        /// <summary>Creates the lab. <paramref name="progress"/> may be called from worker threads.</summary>
        public static LabInfo Create(LabOptions options, Action<string, int>? progress = null)
        {
            if (options.VolumeCount < LabOptions.MinVolumeCount || options.VolumeCount > LabOptions.MaxVolumeCount)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"VolumeCount must be between {LabOptions.MinVolumeCount} and {LabOptions.MaxVolumeCount}.", options.VolumeCount, stopsInvocation: true);
            string store = ReplicatedStoreName(options.DataStore);
            var more = MoreStoreNames(store, options.MoreDataStores);
            string? transportGroup = options.TransportVolumeGroup == null ? null : Names.NormalizeVolumeGroup(options.TransportVolumeGroup);
            string full = LabLayout.FullPath(options.Path);
            string parent = System.IO.Path.GetDirectoryName(full) ?? throw new BackPakException(ErrorIds.LabPathInvalid, BackPakErrorCategory.InvalidArgument,
                $"'{full}' is the root of a file system: a lab needs a folder of its own.", full, "Give a folder below the root, such as /labs/lab1.", stopsInvocation: true);
            string work = "";
            // The records a new lab writes of its own making (its first export, in a work folder swapped into place at
            // the end) are the lab's history, not changes of the command that made it: they belong to no operation.
            using var outside = Operation.Outside();
            try
            {
                CheckAncestors(full);
                LabSwap.RecoverInterrupted(full);
                CheckTarget(full, options.Force);
                Directory.CreateDirectory(parent);
                LabSwap.RemoveAbandonedBuilds(full);
                work = LabSwap.BuildFolder(full);
                Build(work, store, more, transportGroup, options.VolumeCount, options.Seed, options.Encrypted, progress);
                LabSwap.MoveIntoPlace(work, full);
            }
            catch (Exception e) when (UnexpectedErrors.IsFileProblem(e, out var cause))
            {
                if (work.Length > 0) TryDelete(work);
                throw new BackPakException(ErrorIds.LabWriteFailed, BackPakErrorCategory.WriteError,
                    $"The lab at '{full}' could not be written: {cause.Message} Nothing was left behind" +
                    (Lab.IsLab(full) ? "; the lab already there is unchanged." : "."), full,
                    "Choose a folder on a writable disk with free space (not under /proc or /sys, not below a file), then run New-BPLab again.",
                    stopsInvocation: true, inner: cause);
            }
            catch
            {
                if (work.Length > 0) TryDelete(work);
                throw;
            }
            var info = Lab.Open(full).Info;
            LabDb.Release(full); // nothing of the new lab stays open: it can be moved, replaced or deleted at once
            return info;
        }

        /// <summary>
        /// The replicated store's Store ID. The lab names the store's staging subvolume and storage folders after it
        /// (<c>\B.$BPSTAGE.DS01</c>), so beyond the Store ID rule it must be a Guardian subvolume name: 1 to 8 letters
        /// or digits, the first a letter.
        /// </summary>
        private static string ReplicatedStoreName(string? name)
        {
            string store = Names.NormalizeDataStore(name);
            if (!Guardian.IsSubvolume(store))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{name}' cannot be the Store ID of the lab's replicated data store: the lab names its staging subvolume after it " +
                    $"(\\B.$BPSTAGE.{store}), and a Guardian subvolume name is 1 to 8 letters or digits, the first a letter.", name,
                    "Give -DataStore a name such as DS01.", stopsInvocation: true);
            return store;
        }

        /// <summary>
        /// The replicated stores beside the main one, each named as the main one is. None may repeat a store given
        /// before it, nor take the name of a local store (DS02 on \A, DS03 on \B, or DS92/DS93, their names when the
        /// main store takes DS02/DS03): a node holds one store of a name.
        /// </summary>
        private static string[] MoreStoreNames(string main, IReadOnlyList<string>? more)
        {
            var names = new List<string>();
            if (more == null) return names.ToArray();
            if (more.Count > LabTopology.MaxMoreStores)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"A lab has at most {LabTopology.MaxMoreStores + 1} replicated data stores; {more.Count + 1} were given.", string.Join(",", more),
                    $"Give -DataStore at most {LabTopology.MaxMoreStores + 1} Store IDs, such as DS01,DS04.", stopsInvocation: true);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { main };
            foreach (var name in more)
            {
                string store = ReplicatedStoreName(name);
                if (!seen.Add(store))
                    throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                        $"'{name}' is given twice as a replicated data store of the lab: each Store ID names one store.", name,
                        "Give each Store ID once, such as -DataStore DS01,DS04.", stopsInvocation: true);
                if (LocalStoreNames.Contains(store, StringComparer.OrdinalIgnoreCase))
                    throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                        $"'{name}' cannot be a further replicated data store of the lab: {string.Join(", ", LocalStoreNames)} are the names of its local, " +
                        "not replicated stores (DS02 on \\A, DS03 on \\B; DS92, DS93 when the main store takes one of those names).", name,
                        "Give the further stores other Store IDs, such as -DataStore DS01,DS04; only the first (main) store may be DS02 or DS03.", stopsInvocation: true);
                names.Add(store);
            }
            return names.ToArray();
        }

        private static readonly string[] LocalStoreNames = { "DS02", "DS03", "DS92", "DS93" };

        /// <summary>
        /// A lab is never made inside another lab (its folders would be taken for the outer lab's, and replacing or
        /// removing the outer one would take the inner one with it), nor below a file.
        /// </summary>
        private static void CheckAncestors(string full)
        {
            for (string? up = System.IO.Path.GetDirectoryName(full); up != null; up = System.IO.Path.GetDirectoryName(up))
            {
                if (File.Exists(up))
                    throw new BackPakException(ErrorIds.LabPathInvalid, BackPakErrorCategory.InvalidArgument,
                        $"'{full}' cannot hold a lab: '{up}' on its way is a file, not a folder.", full,
                        "Choose a path whose parent folders are folders.", stopsInvocation: true);
                if (Lab.IsLab(up))
                    throw new BackPakException(ErrorIds.LabInsideLab, BackPakErrorCategory.InvalidArgument,
                        $"'{full}' is inside the lab at '{up}': a lab is never made inside another lab.", full,
                        "Choose a folder outside every lab, for example beside it: " + System.IO.Path.Combine(System.IO.Path.GetDirectoryName(up) ?? up, "lab2") + ".",
                        stopsInvocation: true);
            }
        }

        private static void CheckTarget(string full, bool force)
        {
            if (File.Exists(full))
                throw new BackPakException(ErrorIds.PathNotEmpty, BackPakErrorCategory.ResourceExists,
                    $"'{full}' is a file, not a folder: a lab needs a folder of its own.", full,
                    "Choose another path.", stopsInvocation: true);
            if (!Directory.Exists(full)) return;
            if (Lab.IsLab(full))
            {
                if (!force)
                    throw new BackPakException(ErrorIds.LabAlreadyExists, BackPakErrorCategory.ResourceExists,
                        $"A lab already exists at '{full}'.", full,
                        "Use -Force to replace it, or choose another path.", stopsInvocation: true);
                // Replacing a lab under a live process would leave it reading the new lab through what it knew of
                // the old one (volumes catalogued without storage): refused, as the store locks refuse a live owner.
                var holders = LabHolders.Others(full);
                if (holders.Count > 0)
                    throw new BackPakException(ErrorIds.LabInUse, BackPakErrorCategory.ResourceBusy,
                        $"The lab at '{full}' is in use by {string.Join(", ", holders)}: it is not replaced while another process has it open.", full,
                        "Disconnect it there (Disconnect-BPDomain -All) or end that process, then run New-BPLab -Force again.", stopsInvocation: true);
                return;
            }
            if (Directory.EnumerateFileSystemEntries(full).Any())
                throw new BackPakException(ErrorIds.PathNotEmpty, BackPakErrorCategory.ResourceExists,
                    $"'{full}' holds files that are not a lab; they are left untouched.", full,
                    "Choose an empty or new folder. -Force replaces only an existing lab, never other files.", stopsInvocation: true);
        }

        private static void Build(string root, string store, IReadOnlyList<string> more, string? transportGroup, int count, int seed, bool encrypted, Action<string, int>? progress)
        {
            var topology = new LabTopology(store, more, transportGroup);
            var planner = new VolumePlanner(topology, seed, count, encrypted);
            foreach (var n in topology.Nodes)
            {
                Directory.CreateDirectory(LabLayout.NodeDir(root, n.Name));
                Directory.CreateDirectory(LabLayout.StagingRoot(root, n.Name));
            }
            foreach (var s in topology.DataStores)
            {
                Directory.CreateDirectory(LabLayout.StorageDir(root, s.StorageSite, s.Name));
                if (s.StagingArea != null) Directory.CreateDirectory(LabLayout.StagingDirFromGuardian(root, s.StagingArea));
            }

            WriteLabDb(root, topology, seed, count, encrypted);
            // Each node's catalogs and each site's storage and keys are independent: write them in parallel.
            var parts = new List<Action<Action<int>>>();
            foreach (var n in topology.Nodes) parts.Add(report => WriteNode(root, topology, planner, n, encrypted, report));
            const int storageWorkers = 2; // file creation is kernel time: two writers keep both cores busy
            for (int w = 0; w < storageWorkers; w++) { int k = w; parts.Add(report => WriteStorage(root, topology, planner, seed, k, storageWorkers, report)); }
            foreach (var site in topology.Nodes.Select(n => n.Site).Distinct()) parts.Add(report => WriteKeys(root, topology, planner, seed, site, report));
            var done = new int[parts.Count];
            Parallel.For(0, parts.Count, new ParallelOptions { MaxDegreeOfParallelism = parts.Count }, k => parts[k](i =>
            {
                done[k] = i;
                if (progress != null) progress("Writing catalogs, storage and keys", (int)(100L * done.Sum() / ((long)parts.Count * count)));
            }));
            // Replication is set up and in step: for every replicated store a full export sits in its staging area,
            // and the secondary holds it.
            var lab = Lab.Open(root);
            lab.FreezeClock(VolumePlanner.Epoch);
            using (var primary = lab.OpenDomain(LabTopology.NodeA))
            using (var secondary = lab.OpenDomain(LabTopology.NodeB))
                foreach (var s in topology.ReplicatedStores)
                {
                    progress?.Invoke("Full export of " + s + " to the staging area", 99);
                    primary.StartExport(s, BackPak.Core.Sync.SyncType.Full, "New-BPLab");
                    secondary.MarkImported(s, 1, "New-BPLab");
                }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.WriteAllText(System.IO.Path.Combine(root, "README.txt"),
                "A BackPak lab made by New-BPLab (BackPak.PowerShell). Use it with Connect-BPDomain -Lab <this folder> -Node '\\A'.\n" +
                "Do not edit these files by hand: they are the catalogs and storage of a simulated BackPak estate.\n");
            progress?.Invoke("Done", 100);
        }

        private static void WriteLabDb(string root, LabTopology topology, int seed, int count, bool encrypted)
        {
            using var c = LabDb.Create(LabLayout.LabDb(root));
            LabDb.Exec(c, LabSchema.Lab);
            LabDb.Exec(c, "BEGIN");
            {
                void Kv(string k, object v) => LabDb.Exec(c, "INSERT INTO lab(key, value) VALUES (@k, @v)", ("@k", k), ("@v", Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
                Kv("format", LabLayout.Format);
                Kv("format_version", LabLayout.FormatVersion);
                Kv("seed", seed);
                Kv("volume_count", count);
                Kv("encrypted", encrypted ? 1 : 0);
                Kv("replicated_data_store", topology.ReplicatedStore);
                // Only a lab of several writes the list: a lab of one is byte for byte what it was.
                if (topology.ReplicatedStores.Length > 1) Kv("replicated_data_stores", string.Join(",", topology.ReplicatedStores));
                // The lab clock starts at the fixed epoch when the lab is made, then runs with real time.
                Kv("clock_origin_lab", LabDb.ToUnixMs(VolumePlanner.Epoch));
                Kv("clock_origin_real", LabDb.ToUnixMs(DateTime.UtcNow));
                foreach (var site in topology.Nodes.Select(n => n.Site).Distinct())
                    LabDb.Exec(c, "INSERT INTO site(name) VALUES (@s)", ("@s", site));
                foreach (var n in topology.Nodes)
                    // Each node has its own DSM/TC system search list: sharing one breaks import (R2).
                    LabDb.Exec(c, "INSERT INTO node(name, site, domain_id, dsmtc_search_list) VALUES (@n, @s, @d, @l)",
                        ("@n", n.Name), ("@s", n.Site), ("@d", n.DomainId), ("@l", "SSL-" + n.Folder));
                // One storage link per replicated store, scoped to it (a switch turns its own store's only); one key link for all.
                void StorageLink(string store) =>
                    LabDb.Exec(c, "INSERT INTO replication_link(name, kind, source_site, target_site, scope, last_sync) VALUES (@n, 'STORAGE', @a, @b, @scope, @t)",
                        ("@n", "STORAGE-" + store), ("@a", LabTopology.SiteA), ("@b", LabTopology.SiteB), ("@scope", store), ("@t", LabDb.ToUnixMs(VolumePlanner.Epoch)));
                StorageLink(topology.ReplicatedStore);
                LabDb.Exec(c, "INSERT INTO replication_link(name, kind, source_site, target_site, scope, last_sync) VALUES ('KEYS', 'KEYS', @a, @b, NULL, @t)",
                    ("@a", LabTopology.SiteA), ("@b", LabTopology.SiteB), ("@t", LabDb.ToUnixMs(VolumePlanner.Epoch)));
                foreach (var store in topology.ReplicatedStores.Skip(1)) StorageLink(store);
                LabDb.Exec(c, "COMMIT");
            }
            LabDb.Seal(c);
        }

        private static void WriteNode(string root, LabTopology topology, VolumePlanner planner, NodeSpec node, bool encrypted, Action<int> progress)
        {
            var stores = topology.DataStores.Where(s => s.Node == node.Name).ToArray();
            using var bp = LabDb.Create(LabLayout.BackPakDb(root, node.Name));
            using var dsm = LabDb.Create(LabLayout.DsmTcDb(root, node.Name));
            using var tmf = LabDb.Create(LabLayout.TmfDb(root, node.Name));
            LabDb.Exec(bp, LabSchema.BackPak);
            LabDb.Exec(dsm, LabSchema.DsmTc);
            LabDb.Exec(tmf, LabSchema.Tmf);

            // Plain BEGIN/COMMIT: one transaction per store for the whole bulk load.
            foreach (var c in new[] { bp, dsm, tmf }) LabDb.Exec(c, "BEGIN");
            long epochMs = LabDb.ToUnixMs(VolumePlanner.Epoch);
            LabDb.Exec(bp, "INSERT INTO domain(node, domain_id, created) VALUES (@n, @d, @t)", ("@n", node.Name), ("@d", node.DomainId), ("@t", epochMs));
            LabDb.Exec(bp, "INSERT INTO key_manager(backpak_id, endpoint) VALUES (@id, @e)", ("@id", LabTopology.KeyManagerId), ("@e", "lab:" + node.Site));
            foreach (var s in stores)
            {
                LabDb.Exec(bp, "INSERT INTO data_store(name, domain_access, status, store_type, storage_path, primary_store_id, staging_area) VALUES (@n, @a, 'ACTIVE', 'WINDOWS FILE', @p, @ps, @st)",
                    ("@n", s.Name), ("@a", LabNames.Access(s.Access)), ("@p", LabLayout.StorageUnc(s.StorageSite, s.Name)), ("@ps", s.PrimaryStoreId), ("@st", s.StagingArea));
                foreach (var g in s.Groups)
                    LabDb.Exec(bp, "INSERT INTO volume_group(name, data_store, catalog_kind, volcat, pool, filecat, tmf_node, encrypted, original_primary_name, retention_days) VALUES (@n, @s, @k, @vc, @p, @fc, @tn, @e, NULL, @r)",
                        ("@n", g.Name), ("@s", s.Name), ("@k", LabNames.Kind(g.Kind)), ("@vc", g.VolumeCatalog), ("@p", g.Pool), ("@fc", g.FileCatalog), ("@tn", g.TmfNode), ("@e", encrypted && g.EncryptedWhenLabEncrypted ? 1 : 0), ("@r", g.NewRetentionDays));
            }
            LabDb.Exec(dsm, "INSERT INTO config(key, value) VALUES ('search_list', @l)", ("@l", "SSL-" + node.Folder));
            foreach (var (name, kind, isDefault) in topology.DsmCatalogs(node.Name))
                LabDb.Exec(dsm, "INSERT INTO catalog(name, kind, is_default) VALUES (@n, @k, @d)", ("@n", name), ("@k", kind), ("@d", isDefault ? 1 : 0));

            var vol = Prepare(bp, "INSERT INTO volume(label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, last_backup, expiration, current_operation, current_operation_mode, media_key_name, locked, last_update) VALUES (@1,@2,@3,@4,@5,@6,@7,@8,@9,@10,@11,@12,@13,0,@14)", 14);
            var tv = Prepare(dsm, "INSERT INTO tapevolume(label, volcat, pool, status, expiration, created) VALUES (@1,@2,@3,@4,@5,@6)", 6);
            var tf = Prepare(dsm, "INSERT INTO tapefile(label, file_seq, filecat, fileid, generation, expiration, created) VALUES (@1,@2,@3,@4,@5,@6,@7)", 7);
            var df = Prepare(dsm, "INSERT INTO diskfile(label, file_seq, disk_seq, filecat, name) VALUES (@1,@2,@3,@4,@5)", 5);
            var mv = Prepare(tmf, "INSERT INTO tmf_volume(label, status, expiration, created) VALUES (@1,@2,@3,@4)", 4);
            var md = Prepare(tmf, "INSERT INTO tmf_dump(label, dump_seq, kind, name, created) VALUES (@1,@2,@3,@4,@5)", 5);

            for (int n = 0; n < planner.Labels.Length; n++)
            {
                if ((n & 1023) == 0) progress(n);
                int i = planner.InLabelOrder[n];
                var (slotStore, _) = topology.Slots[i % topology.Slots.Length];
                DataStoreSpec? local = slotStore.Node == node.Name ? slotStore
                    : topology.SecondaryOf(slotStore) is { } sec && sec.Node == node.Name ? sec : null;
                if (local == null) continue;
                var p = planner.Plan(i);
                var group = local.Groups.First(g => g.Name == p.Group.Name);
                bool secondary = local.Access == DomainAccess.Secondary;
                long backup = LabDb.ToUnixMs(p.LastBackup), exp = LabDb.ToUnixMs(p.Expiration);
                // Volumes of SECONDARY (and RESTRICTED) stores never accept a write: WRITE shows '.' (R20).
                string auth = secondary ? p.Authorization.Substring(0, 1) + "." + p.Authorization.Substring(2) : p.Authorization;
                Run(vol, p.Label, local.Name, group.Name, LabNames.Access(local.Access), p.CatalogStatus, p.Store.Node, p.OwnerUser, auth,
                    backup, exp, p.CurrentOperation, p.CurrentOperationMode, p.MediaKeyName, backup);

                if (group.Kind == CatalogKind.DsmTc)
                {
                    Run(tv, p.Label, group.VolumeCatalog, group.Pool, p.CatalogStatus, exp, backup);
                    foreach (var f in p.TapeFiles)
                    {
                        Run(tf, p.Label, f.Seq, group.FileCatalog, f.FileId, f.Generation, exp, backup);
                        for (int d = 0; d < f.DiskFiles.Length; d++)
                            Run(df, p.Label, f.Seq, d + 1, group.FileCatalog, f.DiskFiles[d]);
                    }
                }
                else if (group.Kind == CatalogKind.Tmf && !secondary)
                {
                    // TMF entries are not replicated by Catalog Sync as far as the recovered pages say (Q7, inferred).
                    Run(mv, p.Label, p.CatalogStatus, exp, backup);
                    foreach (var (seq, kind, name) in p.TmfDumps) Run(md, p.Label, seq, kind, name, backup);
                }
            }
            progress(planner.Labels.Length);
            foreach (var c in new[] { bp, dsm, tmf }) LabDb.Exec(c, "COMMIT");
            foreach (var cmd in new[] { vol, tv, tf, df, mv, md }) cmd.Dispose();
            LabDb.Exec(bp, LabSchema.BackPakIndexes);
            LabDb.Seal(bp); LabDb.Seal(dsm); LabDb.Seal(tmf);
        }

        /// <summary>
        /// Writes the volume images of every <paramref name="worker"/>-th volume: at the site of its store, and for
        /// the replicated store at the other site too, as the storage replication would have left it. The replica
        /// is a hard link where the file system allows it (same bytes, a fraction of the cost); every later write
        /// of a volume image goes through a new file and a rename, so the two sites never share a changed file.
        /// </summary>
        private static void WriteStorage(string root, LabTopology topology, VolumePlanner planner, int seed, int worker, int workers, Action<int> progress)
        {
            var buffer = new byte[1024];
            var ind = new StringBuilder(256);
            for (int n = worker; n < planner.Labels.Length; n += workers)
            {
                if ((n & 1023) < workers) progress(n);
                int i = planner.InLabelOrder[n];
                var p = planner.Plan(i);
                var rng = LabRandom.For(seed, -1L - i);
                for (int k = 0; k < p.DataBytes; k += 8)
                {
                    ulong r = rng.NextUInt64();
                    for (int b = 0; b < 8 && k + b < p.DataBytes; b++) buffer[k + b] = (byte)(r >> (8 * b));
                }
                ind.Clear()
                    .Append("BACKPAK VIRTUAL TAPE INDEX\n")
                    .Append("LABEL=").Append(p.Label).Append('\n')
                    .Append("STORE=").Append(p.Store.Name).Append('\n')
                    .Append("GROUP=").Append(p.Group.Name).Append('\n')
                    .Append("TIMESTAMP=").Append(p.LastBackup.ToString("yyyy-MM-ddTHH:mm:ssZ")).Append('\n')
                    .Append("BYTES=").Append(p.DataBytes).Append('\n');
                if (p.MediaKeyName != null) ind.Append("ENCRYPTION=AES-256-GCM\nMEDIAKEYNAME=").Append(p.MediaKeyName).Append('\n');
                string dir = LabLayout.StorageDir(root, p.Store.StorageSite, p.Store.Name);
                string indFile = LabLayout.IndexFile(dir, p.Label), datFile = LabLayout.DataFile(dir, p.Label);
                File.WriteAllText(indFile, ind.ToString());
                using (var fs = new FileStream(datFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096))
                    fs.Write(buffer, 0, p.DataBytes);
                if (topology.SecondaryOf(p.Store) is { } secondary)
                {
                    string replica = LabLayout.StorageDir(root, secondary.StorageSite, p.Store.Name);
                    FileLinks.LinkOrCopy(indFile, LabLayout.IndexFile(replica, p.Label));
                    FileLinks.LinkOrCopy(datFile, LabLayout.DataFile(replica, p.Label));
                }
            }
            progress(planner.Labels.Length);
        }

        /// <summary>Writes a site's key server: the keys of the stores it serves, and those it receives by replication (CS p6).</summary>
        private static void WriteKeys(string root, LabTopology topology, VolumePlanner planner, int seed, string site, Action<int> progress)
        {
            using var keys = LabDb.Create(LabLayout.KeyDb(root, site));
            LabDb.Exec(keys, LabSchema.Keys);
            LabDb.Exec(keys, "BEGIN");
            using var insertKey = Prepare(keys, LabSchema.InsertKey, 3);
            for (int n = 0; n < planner.Labels.Length; n++)
            {
                if ((n & 1023) == 0) progress(n);
                int i = planner.InLabelOrder[n];
                var (slotStore, slotGroup) = topology.Slots[i % topology.Slots.Length];
                if (!slotGroup.EncryptedWhenLabEncrypted) continue;
                if (slotStore.StorageSite != site && topology.SecondaryOf(slotStore)?.StorageSite != site) continue;
                var p = planner.Plan(i);
                if (p.MediaKeyName != null) Run(insertKey, p.MediaKeyName, KeyUid(seed, i), LabDb.ToUnixMs(p.LastBackup));
            }
            progress(planner.Labels.Length);
            LabDb.Exec(keys, "COMMIT");
            LabDb.Seal(keys);
        }

        private static string KeyUid(int seed, int index)
        {
            var rng = LabRandom.For(seed, int.MinValue + (long)index);
            var bytes = new byte[16];
            BitConverter.GetBytes(rng.NextUInt64()).CopyTo(bytes, 0);
            BitConverter.GetBytes(rng.NextUInt64()).CopyTo(bytes, 8);
            return new Guid(bytes).ToString();
        }

        private static SqliteCommand Prepare(SqliteConnection c, string sql, int parameters)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            for (int i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("@" + i, null));
            cmd.Prepare();
            return cmd;
        }

        private static void Run(SqliteCommand cmd, params object?[] values)
        {
            for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
            cmd.ExecuteNonQuery();
        }

        private static void TryDelete(string dir)
        {
            try { if (Directory.Exists(dir)) Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
