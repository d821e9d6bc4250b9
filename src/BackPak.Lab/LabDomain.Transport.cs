using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Transport without Expand in the lab (Appendix A, CS p44): the store's transport volume, registered once per side,
    /// written with the files of the intermediate staging area (a zip in its .DAT, what it carries in its .IND) and
    /// replicated by the store's storage replication like any volume; restored at the secondary into its staging area.
    /// Core decides whether each step may run (<see cref="CatalogTransport"/>); this carries them out.
    /// </summary>
    public sealed partial class LabDomain : ICatalogTransport
    {
        public TransportFacts? GetTransport(string dataStore) => Guard(() =>
        {
            using var c = OpenBackPak(readOnly: true);
            var s = ReadStore(c, dataStore);
            if (!HasTransportTable(c)) return null;
            using var r = Reader(c, "SELECT label, volume_group, registered, pending, last_backup, last_restore, restore_pending FROM transport WHERE data_store = @s", s.Name);
            if (!r.Read()) return null;
            string label = r.GetString(0);
            bool inCatalog = LabDb.Scalar(c, "SELECT 1 FROM volume WHERE label = @l AND data_store = @s", ("@l", label), ("@s", s.Name)) != null;
            return new TransportFacts
            {
                DataStore = s.Name, Label = label, VolumeGroup = r.GetString(1), Registered = LabDb.FromUnixMs(r.GetInt64(2)),
                RegistrationPending = !r.IsDBNull(3), VolumeInCatalog = inCatalog,
                LastBackup = TransportManifest.Parse(Str(r, 4)), LastRestore = TransportManifest.Parse(Str(r, 5)), RestorePending = r.GetInt64(6) != 0,
                Replica = ReadTransportImage(s, label).Image, Staging = Staging(s), ImportedSeq = s.ImportSeq,
            };
        });

        public StagingContents ReadStagingArea(string dataStore) => Guard(() =>
        {
            using var c = OpenBackPak(readOnly: true);
            return Staging(ReadStore(c, dataStore));
        });

        public void CreateTransportVolume(string dataStore, string label, string volumeGroup, string user) => Guard(() =>
        {
            using var c = OpenBackPak();
            EnsureTransportTable(c);
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                var s = ReadStore(c, dataStore);
                Fence(s.Name, StoreChange.Settings);
                long now = LabDb.ToUnixMs(Now);
                // No DSM/TC or TMF entry (the group is linked to no catalog) and no export update: the volume is never exported.
                InsertTransportVolume(c, s, label, volumeGroup, "PRIMARY", now);
                // A volume registered before and removed since is replaced by the new one: what it carried is gone with it.
                LabDb.Exec(c, "INSERT INTO transport(data_store, label, volume_group, registered) VALUES (@s, @l, @g, @t) " +
                              "ON CONFLICT(data_store) DO UPDATE SET label = excluded.label, volume_group = excluded.volume_group, registered = excluded.registered, " +
                              "pending = NULL, last_backup = NULL, last_restore = NULL, restore_pending = 0",
                    ("@s", s.Name), ("@l", label), ("@g", volumeGroup), ("@t", now));
                WriteAudit(c, user, AuditActions.RegisterTransportVolume, s.Name + "/" + label, "Done", $"transport volume {label} created in volume group {volumeGroup}, uncatalogued, never exported (CS p44)");
                LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
            return true;
        });

        public void RegisterTransportVolume(string dataStore, string label, string volumeGroup, string user) => Guard(() =>
        {
            // Under the store's sync lock: no import runs while the store is RESTRICTED for the creation.
            using var syncLock = AcquireSyncLock(dataStore, "Import");
            string name;
            using (var c = OpenBackPak())
            {
                EnsureTransportTable(c);
                var s = ReadStore(c, dataStore);
                name = s.Name;
                Fence(s.Name, StoreChange.Settings);
                // Recorded before the first change: a second call after a crash finishes the registration.
                // An unfinished registration keeps its record; one whose volume was removed since starts again.
                LabDb.Exec(c, "INSERT INTO transport(data_store, label, volume_group, registered, pending) VALUES (@s, @l, @g, @t, 'REGISTERING') " +
                              "ON CONFLICT(data_store) DO UPDATE SET label = excluded.label, volume_group = excluded.volume_group, registered = excluded.registered, " +
                              "pending = 'REGISTERING', last_backup = NULL, last_restore = NULL, restore_pending = 0 WHERE transport.pending IS NULL",
                    ("@s", s.Name), ("@l", label), ("@g", volumeGroup), ("@t", LabDb.ToUnixMs(Now)));
            }
            LabFaults.CrashPoint("transport.register.recorded");
            if (!TransportVolumeExists(name, label))
            {
                if (StoreAccess(name) == DomainAccess.Secondary)
                    SetDataStore(name, new DataStoreSettings { DomainAccess = DomainAccess.Restricted }, user);
                LabFaults.CrashPoint("transport.register.restricted");
            LabFaults.IoPoint("transport.register.restricted");
                using var c = OpenBackPak();
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                try
                {
                    var s = ReadStore(c, name);
                    var rejected = ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.VolumeCreation);
                    if (rejected != null) throw rejected;
                    InsertTransportVolume(c, s, label, volumeGroup, "RESTRICTED", LabDb.ToUnixMs(Now));
                    WriteAudit(c, user, AuditActions.RegisterTransportVolume, s.Name + "/" + label, "Done", $"transport volume {label} created in volume group {volumeGroup} while the store is RESTRICTED (CS p44)");
                    LabDb.Exec(c, "COMMIT");
                }
                catch
                {
                    LabDb.Exec(c, "ROLLBACK");
                    throw;
                }
            }
            LabFaults.CrashPoint("transport.register.created");
            if (StoreAccess(name) == DomainAccess.Restricted)
                SetDataStore(name, new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, user);
            using (var c = OpenBackPak())
            {
                LabDb.Exec(c, "UPDATE transport SET pending = NULL WHERE data_store = @s", ("@s", name));
                WriteAudit(c, user, AuditActions.RegisterTransportVolume, name + "/" + label, "Completed", $"transport volume {label} registered; the store is SECONDARY again (CS p44)");
            }
            return true;
        });

        public TransportImage BackUpStagingArea(string dataStore, bool partial, string user) => Guard(() =>
        {
            StoreRow s;
            string label;
            using (var c = OpenBackPak(readOnly: true))
            {
                s = ReadStore(c, dataStore);
                label = (string)LabDb.Scalar(c, "SELECT label FROM transport WHERE data_store = @s", ("@s", s.Name))!;
            }
            Fence(s.Name, StoreChange.Backup);
            var files = StagingFiles(s.StagingArea!).Where(f => IsFor(f.Header, s)).ToList();
            var full = files.FirstOrDefault(f => f.Header.Type == "FULL");
            long fullSeq = full.Header?.Seq ?? 0;
            if (partial) files = files.Where(f => f.Header.Seq > fullSeq).ToList();
            files = files.OrderBy(f => f.Header.Seq).ThenBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal).ToList();

            var zip = new MemoryStream();
            using (var a = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
                foreach (var f in files)
                {
                    var e = a.CreateEntry(Path.GetFileName(f.Path), CompressionLevel.Fastest);
                    using var w = e.Open();
                    var bytes = File.ReadAllBytes(f.Path);
                    w.Write(bytes, 0, bytes.Length);
                }
            byte[] data = zip.ToArray();
            var now = Now;
            var image = new TransportImage
            {
                Label = label, Kind = partial ? TransportBackupKind.Partial : TransportBackupKind.Full, Written = now, DataStore = StoreIdForExport(s),
                SourceNode = Node, SourceStagingArea = s.StagingArea!, FullSeq = fullSeq, LastSeq = files.Count == 0 ? fullSeq : files.Max(f => f.Header.Seq),
                Files = files.Count, Bytes = data.Length,
            };
            string group;
            using (var c = OpenBackPak(readOnly: true)) group = (string)LabDb.Scalar(c, "SELECT volume_group FROM volume WHERE label = @l", ("@l", label))!;
            var ind = new StringBuilder()
                .Append("BACKPAK VIRTUAL TAPE INDEX\nLABEL=").Append(label).Append("\nSTORE=").Append(s.Name)
                .Append("\nGROUP=").Append(group).Append("\nTIMESTAMP=").Append(now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
                .Append("\nBYTES=").Append(data.Length).Append("\nSHA256=").Append(Digest(data)).Append('\n')
                .Append(TransportManifest.Format(image));
            string dir = LabLayout.StorageDirFromUnc(_lab.Root, s.StoragePath);
            string site = new DirectoryInfo(dir).Parent!.Parent!.Name;
            // The data first, then its index: an index always describes the data beside it (the restore checks the digest).
            foreach (var target in new[] { dir }.Concat(StorageReplicas(site, s.Name)))
            {
                Directory.CreateDirectory(target);
                ReplaceFile(LabLayout.DataFile(target, label), data);
                LabFaults.CrashPoint("transport.backup.data");
                ReplaceFile(LabLayout.IndexFile(target, label), Encoding.ASCII.GetBytes(ind.ToString()));
            }
            using (var c = OpenBackPak())
            {
                long ms = LabDb.ToUnixMs(now);
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                // Never expires: the daily batch leaves it alone, and no export update is raised for it.
                LabDb.Exec(c, "UPDATE volume SET last_backup = @t, catalog_status = 'ASSIGNED', expiration = NULL, last_update = @t WHERE label = @l", ("@t", ms), ("@l", label));
                LabDb.Exec(c, "UPDATE transport SET last_backup = @m WHERE data_store = @s", ("@m", TransportManifest.Format(image)), ("@s", s.Name));
                WriteAudit(c, user, AuditActions.BackupStagingArea, s.Name + "/" + label, "Completed",
                    $"{image.Kind.ToString().ToUpperInvariant()} backup of {s.StagingArea} on transport volume {label}: {image.Files} file(s), exports {image.FullSeq}..{image.LastSeq}");
                LabDb.Exec(c, "COMMIT");
            }
            return image;
        });

        public TransportImage RestoreStagingArea(string dataStore, string user) => Guard(() =>
        {
            using var syncLock = AcquireSyncLock(dataStore, "Import");
            StoreRow s;
            string label;
            using (var c = OpenBackPak(readOnly: true))
            {
                s = ReadStore(c, dataStore);
                label = (string)LabDb.Scalar(c, "SELECT label FROM transport WHERE data_store = @s", ("@s", s.Name))!;
            }
            Fence(s.Name, StoreChange.Import);
            var (image, data) = ReadTransportImage(s, label, withData: true);
            if (image == null || data == null)
                throw new BackPakException(ErrorIds.TransportNotArrived, BackPakErrorCategory.ResourceUnavailable,
                    $"Transport volume {label} of {s.Name} has no whole image in the storage of {Node}: nothing was restored.", label,
                    "Wait for storage replication to carry it, then run the restore again.");
            var entries = new List<(string Name, byte[] Bytes)>();
            using (var a = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read))
                foreach (var e in a.Entries)
                {
                    // Only plain export file names: nothing in an image can write outside the staging area.
                    if (e.FullName != e.Name || !e.Name.EndsWith(".bpx", StringComparison.OrdinalIgnoreCase) || e.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || e.Name.StartsWith("."))
                        throw Damaged(label, $"it holds {e.FullName}, which is not an export file name");
                    using var m = new MemoryStream();
                    using (var r = e.Open()) r.CopyTo(m);
                    entries.Add((e.Name, m.ToArray()));
                }
            if (entries.Count != image.Files) throw Damaged(label, $"its index records {image.Files} file(s) and its data holds {entries.Count}");
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, s.StagingArea!);
            using (var c = OpenBackPak()) LabDb.Exec(c, "UPDATE transport SET restore_pending = 1 WHERE data_store = @s", ("@s", s.Name));
            Directory.CreateDirectory(dir);
            foreach (var (name, bytes) in entries)
            {
                ReplaceFile(Path.Combine(dir, name), bytes);
                LabFaults.CrashPoint("transport.restore.between-files");
                LabFaults.IoPoint("transport.restore.between-files");
            }
            using (var c = OpenBackPak())
            {
                LabDb.Exec(c, "BEGIN IMMEDIATE");
                LabDb.Exec(c, "UPDATE transport SET restore_pending = 0, last_restore = @m WHERE data_store = @s", ("@m", TransportManifest.Format(image)), ("@s", s.Name));
                WriteAudit(c, user, AuditActions.RestoreStagingArea, s.Name + "/" + label, "Completed",
                    $"{image} restored into {s.StagingArea}: {entries.Count} file(s) overwritten");
                LabDb.Exec(c, "COMMIT");
            }
            return image;
        });

        /// <summary>Why an import of the store must wait: a restore of its transport volume began and did not finish; or null.</summary>
        private BackPakException? UnfinishedTransportRestore(SqliteConnection c, string store)
        {
            if (!HasTransportTable(c)) return null;
            var label = LabDb.Scalar(c, "SELECT label FROM transport WHERE data_store = @s AND restore_pending <> 0", ("@s", store)) as string;
            return label == null ? null : new BackPakException(ErrorIds.TransportRestoreUnfinished, BackPakErrorCategory.InvalidOperation,
                $"The restore of transport volume {label} into the staging area of {store} on {Node} did not finish: an import now would read half a set of export files. Nothing was imported.",
                store, $"Restore-BPStagingArea -DataStore {store} finishes it; then import.");
        }

        /// <summary>The labels of the transport volumes at this node: never exported, never deleted by a FULL import.</summary>
        private static HashSet<string> TransportLabels(SqliteConnection c)
        {
            var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (!HasTransportTable(c)) return set;
            using var r = Reader(c, "SELECT label FROM transport WHERE @s = @s", "");
            while (r.Read()) set.Add(r.GetString(0));
            return set;
        }

        private static bool HasTransportTable(SqliteConnection c) =>
            LabDb.Scalar(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transport'") != null;

        /// <summary>A lab built before the transport existed gets its table at the first registration.</summary>
        private static void EnsureTransportTable(SqliteConnection c) => LabDb.Exec(c, LabSchema.Transport);

        private void InsertTransportVolume(SqliteConnection c, StoreRow s, string label, string group, string access, long now) =>
            LabDb.Exec(c, "INSERT INTO volume(label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, last_backup, expiration, media_key_name, locked, last_update) " +
                          "VALUES (@l, @s, @g, @a, 'SCRATCH', @n, 'SUPER.OPER', 'GGO', NULL, NULL, NULL, 0, @t)",
                ("@l", label), ("@s", s.Name), ("@g", group), ("@a", access), ("@n", Node), ("@t", now));

        private bool TransportVolumeExists(string store, string label)
        {
            using var c = OpenBackPak(readOnly: true);
            return LabDb.Scalar(c, "SELECT 1 FROM volume WHERE label = @l AND data_store = @s", ("@l", label), ("@s", store)) != null;
        }

        private DomainAccess StoreAccess(string store)
        {
            using var c = OpenBackPak(readOnly: true);
            return ReadStore(c, store).Access;
        }

        private StagingContents Staging(StoreRow s)
        {
            if (s.StagingArea == null) return new StagingContents();
            var files = StagingFiles(s.StagingArea).Where(f => IsFor(f.Header, s)).ToList();
            return new StagingContents
            {
                StagingArea = s.StagingArea, Files = files.Count,
                FullSeq = files.Where(f => f.Header.Type == "FULL").Select(f => (long?)f.Header.Seq).FirstOrDefault(),
                LastSeq = files.Count == 0 ? null : files.Max(f => f.Header.Seq),
            };
        }

        /// <summary>
        /// The transport image of a label in this node's storage of the store, as its index describes it; with the data
        /// when asked and only when it is whole (its digest matches the index). Null when there is none, or the index is
        /// not a transport volume's.
        /// </summary>
        private (TransportImage? Image, byte[]? Data) ReadTransportImage(StoreRow s, string label, bool withData = false)
        {
            string dir = LabLayout.StorageDirFromUnc(_lab.Root, s.StoragePath);
            string ind = LabLayout.IndexFile(dir, label), dat = LabLayout.DataFile(dir, label);
            if (!File.Exists(ind)) return (null, null);
            var lines = File.ReadAllLines(ind);
            var image = TransportManifest.Parse(string.Join("\n", lines));
            if (image == null || !withData) return (image, null);
            if (!File.Exists(dat)) return (image, null);
            var data = File.ReadAllBytes(dat);
            string? digest = lines.FirstOrDefault(l => l.StartsWith("SHA256=", StringComparison.Ordinal))?.Substring(7);
            if (digest == null || !string.Equals(digest, Digest(data), StringComparison.OrdinalIgnoreCase)) return (image, null);
            return (image, data);
        }

        private static string Digest(byte[] data)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(data)).Replace("-", "");
        }

        private BackPakException Damaged(string label, string why) =>
            new BackPakException(ErrorIds.TransportIncomplete, BackPakErrorCategory.InvalidData,
                $"The image of transport volume {label} on {Node} cannot be restored: {why}. Nothing was restored.", label,
                "Back up the whole staging area on the PRIMARY side again (Backup-BPStagingArea), then restore it here.");
    }

    /// <summary>What a transport image carries, as lines of its index (and of the lab's record of the last backup and restore).</summary>
    internal static class TransportManifest
    {
        public static string Format(TransportImage i) => string.Join("\n", new[]
        {
            "TRANSPORT=" + i.Kind.ToString().ToUpperInvariant(), "TRANSPORTLABEL=" + i.Label, "WRITTEN=" + LabDb.ToUnixMs(i.Written).ToString(CultureInfo.InvariantCulture),
            "EXPORTSTORE=" + i.DataStore, "SOURCENODE=" + i.SourceNode, "SOURCESTAGING=" + i.SourceStagingArea,
            "FULLSEQ=" + i.FullSeq.ToString(CultureInfo.InvariantCulture), "LASTSEQ=" + i.LastSeq.ToString(CultureInfo.InvariantCulture),
            "FILES=" + i.Files.ToString(CultureInfo.InvariantCulture), "DATABYTES=" + i.Bytes.ToString(CultureInfo.InvariantCulture),
        }) + "\n";

        /// <summary>The image the lines describe, or null when they are no transport manifest (or not a whole one).</summary>
        public static TransportImage? Parse(string? text)
        {
            if (text == null) return null;
            var v = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                int eq = line.IndexOf('=');
                if (eq > 0) v[line.Substring(0, eq)] = line.Substring(eq + 1).TrimEnd('\r');
            }
            if (!v.TryGetValue("TRANSPORT", out var kind) || !Enum.TryParse<TransportBackupKind>(kind, true, out var k)) return null;
            try
            {
                long L(string key) => long.Parse(v[key], NumberStyles.Integer, CultureInfo.InvariantCulture);
                return new TransportImage
                {
                    Kind = k, Label = v["TRANSPORTLABEL"], Written = LabDb.FromUnixMs(L("WRITTEN")), DataStore = v["EXPORTSTORE"], SourceNode = v["SOURCENODE"],
                    SourceStagingArea = v["SOURCESTAGING"], FullSeq = L("FULLSEQ"), LastSeq = L("LASTSEQ"), Files = (int)L("FILES"), Bytes = L("DATABYTES"),
                };
            }
            catch (Exception e) when (e is KeyNotFoundException || e is FormatException || e is OverflowException) { return null; }
        }
    }
}
