using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Catalog reads of the domain: data stores, volume groups, volumes (every filter pushed down into SQLite) and
    /// the catalog entries of a label.
    /// </summary>
    public sealed partial class LabDomain
    {
        private const string VolumeColumns =
            "label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, " +
            "last_backup, expiration, current_operation, current_operation_mode, media_key_name, locked, last_update";

        public IReadOnlyList<DataStore> GetDataStores(string? name = null) => Guard(() => ReadDataStores(name));

        public IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null) => Guard(() => ReadVolumeGroups(dataStore, name));

        public IEnumerable<Volume> GetVolumes(VolumeQuery query) => Guard(() =>
        {
            // Checked now, not at the first MoveNext, so an unknown name fails before anything streams.
            using (var c = OpenBackPak()) RequireScope(c, query);
            return GuardStream(StreamVolumes(query, Now));
        });

        public long CountVolumes(VolumeQuery query) => Guard(() =>
        {
            using var c = OpenBackPak();
            RequireScope(c, query);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM volume" + Where(cmd, query, Now);
            return (long)cmd.ExecuteScalar()!;
        });

        public IEnumerable<CatalogEntry> GetCatalogEntries(string label) => Guard(() => ReadCatalogEntries(label));

        private IReadOnlyList<DataStore> ReadDataStores(string? name)
        {
            using var c = OpenBackPak();
            using var cmd = c.CreateCommand();
            cmd.CommandText =
                "SELECT name, domain_access, status, store_type, storage_path, primary_store_id, " +
                "(SELECT COUNT(*) FROM volume v WHERE v.data_store = d.name), " +
                "(SELECT COUNT(*) FROM volume_group g WHERE g.data_store = d.name) " +
                "FROM data_store d" + (name != null ? " WHERE name = @n" : "") + " ORDER BY name";
            if (name != null) cmd.Parameters.AddWithValue("@n", name);
            using var r = cmd.ExecuteReader();
            var list = new List<DataStore>();
            while (r.Read())
                list.Add(new DataStore(Identity)
                {
                    Name = r.GetString(0), Node = Node,
                    DomainAccess = LabNames.ParseAccess(r.GetString(1)),
                    Status = LabNames.ParseStatus(r.GetString(2)),
                    StoreType = LabNames.ParseStoreType(r.GetString(3)),
                    StoragePath = r.GetString(4), PrimaryStoreId = r.GetString(5),
                    VolumeCount = r.GetInt64(6), VolumeGroupCount = r.GetInt32(7),
                });
            return list;
        }

        private IReadOnlyList<VolumeGroup> ReadVolumeGroups(string? dataStore, string? name)
        {
            using var c = OpenBackPak();
            if (dataStore != null) RequireDataStore(c, dataStore);
            using var cmd = c.CreateCommand();
            var where = new List<string>();
            if (dataStore != null) { where.Add("data_store = @ds"); cmd.Parameters.AddWithValue("@ds", dataStore); }
            if (name != null) { where.Add("name = @n"); cmd.Parameters.AddWithValue("@n", name); }
            cmd.CommandText =
                "SELECT name, data_store, catalog_kind, volcat, pool, filecat, tmf_node, encrypted, original_primary_name, " +
                "(SELECT COUNT(*) FROM volume v WHERE v.volume_group = g.name) FROM volume_group g" +
                (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY data_store, name";
            using var r = cmd.ExecuteReader();
            var list = new List<VolumeGroup>();
            while (r.Read())
                list.Add(new VolumeGroup(Identity)
                {
                    Name = r.GetString(0), DataStore = r.GetString(1), Node = Node,
                    CatalogKind = LabNames.ParseKind(r.GetString(2)),
                    VolumeCatalog = Str(r, 3), Pool = Str(r, 4), FileCatalog = Str(r, 5), TmfNode = Str(r, 6),
                    Encrypted = r.GetInt64(7) != 0, OriginalPrimaryName = Str(r, 8), VolumeCount = r.GetInt64(9),
                });
            return list;
        }

        private List<CatalogEntry> ReadCatalogEntries(string label)
        {
            RequireReachable();
            string l = Labels.Normalize(label);
            var list = new List<CatalogEntry>();
            using (var c = LabDb.Open(_dsmTcDb, readOnly: true))
            {
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT volcat, pool, status, expiration, created FROM tapevolume WHERE label = @l";
                    cmd.Parameters.AddWithValue("@l", l);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                        list.Add(new CatalogEntry(Identity)
                        {
                            Label = l, Node = Node, Catalog = CatalogKind.DsmTc, Kind = CatalogEntryKind.TapeVolume,
                            CatalogName = r.GetString(0), Pool = r.GetString(1), Name = l, Status = r.GetString(2),
                            Expiration = Time(r, 3), Created = Time(r, 4),
                        });
                }
                var disk = new Dictionary<int, List<CatalogEntry>>();
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT file_seq, filecat, name FROM diskfile WHERE label = @l ORDER BY file_seq, disk_seq";
                    cmd.Parameters.AddWithValue("@l", l);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        int seq = r.GetInt32(0);
                        if (!disk.TryGetValue(seq, out var d)) disk[seq] = d = new List<CatalogEntry>();
                        d.Add(new CatalogEntry(Identity)
                        {
                            Label = l, Node = Node, Catalog = CatalogKind.DsmTc, Kind = CatalogEntryKind.DiskFile,
                            CatalogName = r.GetString(1), Sequence = seq, Name = r.GetString(2),
                        });
                    }
                }
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT file_seq, filecat, fileid, generation, expiration, created FROM tapefile WHERE label = @l ORDER BY file_seq";
                    cmd.Parameters.AddWithValue("@l", l);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        int seq = r.GetInt32(0);
                        list.Add(new CatalogEntry(Identity)
                        {
                            Label = l, Node = Node, Catalog = CatalogKind.DsmTc, Kind = CatalogEntryKind.TapeFile,
                            CatalogName = r.GetString(1), Sequence = seq, Name = r.GetString(2), Generation = r.GetInt32(3),
                            Expiration = Time(r, 4), Created = Time(r, 5),
                        });
                        if (disk.TryGetValue(seq, out var d)) list.AddRange(d);
                    }
                }
            }
            using (var c = LabDb.Open(_tmfDb, readOnly: true))
            {
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT status, expiration, created FROM tmf_volume WHERE label = @l";
                    cmd.Parameters.AddWithValue("@l", l);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                        list.Add(new CatalogEntry(Identity)
                        {
                            Label = l, Node = Node, Catalog = CatalogKind.Tmf, Kind = CatalogEntryKind.TmfVolume,
                            CatalogName = Node, Name = l, Status = r.GetString(0), Expiration = Time(r, 1), Created = Time(r, 2),
                        });
                }
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT dump_seq, kind, name, created FROM tmf_dump WHERE label = @l ORDER BY dump_seq";
                    cmd.Parameters.AddWithValue("@l", l);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                        list.Add(new CatalogEntry(Identity)
                        {
                            Label = l, Node = Node, Catalog = CatalogKind.Tmf, Kind = CatalogEntryKind.TmfDump,
                            CatalogName = Node, Sequence = r.GetInt32(0), Status = r.GetString(1), Name = r.GetString(2), Created = Time(r, 3),
                        });
                }
            }
            return list;
        }

        private IEnumerable<Volume> StreamVolumes(VolumeQuery query, DateTime now)
        {
            long nowMs = LabDb.ToUnixMs(now);
            using var c = OpenBackPak(readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT " + VolumeColumns + " FROM volume" + Where(cmd, query, now) + " ORDER BY label";
            using var r = cmd.ExecuteReader();
            while (r.Read()) yield return ReadVolume(r, nowMs);
        }

        /// <summary>A volume from a row of <see cref="VolumeColumns"/>.</summary>
        private Volume ReadVolume(SqliteDataReader r, long nowMs)
        {
            long? exp = r.IsDBNull(9) ? (long?)null : r.GetInt64(9);
            return new Volume(Identity)
            {
                Label = r.GetString(0), DataStore = r.GetString(1), VolumeGroup = r.GetString(2), Node = Node,
                DomainAccess = LabNames.ParseAccess(r.GetString(3)), CatalogStatus = r.GetString(4),
                OwnerNode = r.GetString(5), OwnerUser = r.GetString(6), Authorization = r.GetString(7),
                LastBackup = Time(r, 8), Expiration = exp.HasValue ? LabDb.FromUnixMs(exp.Value) : (DateTime?)null,
                IsExpired = exp.HasValue && exp.Value <= nowMs,
                CurrentOperation = Str(r, 10), CurrentOperationMode = Str(r, 11), MediaKeyName = Str(r, 12),
                Locked = r.GetInt64(13) != 0, LastUpdate = Time(r, 14),
            };
        }

        /// <summary>The WHERE clause of a volume query: every filter runs inside SQLite, on an index where one fits.</summary>
        private static string Where(SqliteCommand cmd, VolumeQuery q, DateTime now)
        {
            var where = new List<string>();
            if (q.Labels.Count > 0)
            {
                var any = new StringBuilder();
                for (int i = 0; i < q.Labels.Count; i++)
                {
                    var p = q.Labels[i];
                    if (i > 0) any.Append(" OR ");
                    // Labels are stored upper-case and patterns are upper-cased, so case-sensitive GLOB (which can
                    // use the primary key for a prefix) means the same as PowerShell's case-insensitive wildcard.
                    any.Append(p.IsWildcard ? "label GLOB @l" + i : "label = @l" + i);
                    cmd.Parameters.AddWithValue("@l" + i, p.Text);
                }
                where.Add("(" + any + ")");
            }
            if (q.DataStore != null) { where.Add("data_store = @ds"); cmd.Parameters.AddWithValue("@ds", q.DataStore); }
            if (q.VolumeGroup != null) { where.Add("volume_group = @vg"); cmd.Parameters.AddWithValue("@vg", q.VolumeGroup); }
            if (q.Expired.HasValue)
            {
                where.Add(q.Expired.Value ? "expiration <= @now" : "(expiration IS NULL OR expiration > @now)");
                cmd.Parameters.AddWithValue("@now", LabDb.ToUnixMs(now));
            }
            if (q.Encrypted.HasValue) where.Add(q.Encrypted.Value ? "media_key_name IS NOT NULL" : "media_key_name IS NULL");
            if (q.MediaKeyName != null) { where.Add("media_key_name = @key"); cmd.Parameters.AddWithValue("@key", q.MediaKeyName); }
            if (q.UpdatedSince.HasValue) { where.Add("last_update >= @since"); cmd.Parameters.AddWithValue("@since", LabDb.ToUnixMs(q.UpdatedSince.Value)); }
            if (q.BackupRunning.HasValue)
                where.Add(q.BackupRunning.Value ? "(current_operation = 'LOAD' AND current_operation_mode = 'OUTPUT')"
                                                 : "NOT (current_operation IS 'LOAD' AND current_operation_mode IS 'OUTPUT')");
            return where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        }

        private void RequireScope(SqliteConnection c, VolumeQuery q)
        {
            if (q.DataStore != null) RequireDataStore(c, q.DataStore);
            if (q.VolumeGroup != null)
            {
                var ds = (string?)LabDb.Scalar(c, "SELECT data_store FROM volume_group WHERE name = @n", ("@n", q.VolumeGroup));
                if (ds == null || (q.DataStore != null && !string.Equals(ds, q.DataStore, StringComparison.OrdinalIgnoreCase)))
                    throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                        ds == null
                            ? $"Volume group '{q.VolumeGroup}' does not exist in the domain of {Node}."
                            : $"Volume group '{q.VolumeGroup}' belongs to data store '{ds}', not '{q.DataStore}'.",
                        q.VolumeGroup, "Get-BPVolumeGroup lists the volume groups of the domain.");
            }
        }

        private void RequireDataStore(SqliteConnection c, string name)
        {
            if (LabDb.Scalar(c, "SELECT 1 FROM data_store WHERE name = @n", ("@n", name)) == null)
                throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{name}' does not exist in the domain of {Node}.", name,
                    "Get-BPDataStore lists the data stores of the domain.");
        }
    }
}
