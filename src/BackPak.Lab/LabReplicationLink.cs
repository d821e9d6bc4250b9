using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using Newtonsoft.Json;

namespace BackPak.Lab
{
    /// <summary>A replication facility of the lab (storage or key server) between two sites, held in lab.db.</summary>
    internal sealed class LabReplicationLink : IReplicationLink, BackPak.Core.Providers.IReplicaCleanup
    {
        private readonly Lab _lab;
        public LabReplicationLink(Lab lab, string name) { _lab = lab; Name = name; }

        public string Name { get; }
        public string Kind => Row().Kind;
        public string Source => Row().Source;
        public string Target => Row().Target;
        /// <summary>False too while either site is lost with its node (the lab's NodeLost fault): nothing replicates then.</summary>
        public bool Healthy => Up(Row());
        /// <summary>The lab replicates synchronously while healthy: a healthy link has caught up.</summary>
        public bool CaughtUp => Healthy;

        /// <summary>
        /// Turns the link round, then brings the new target in step with the new source, as an array's or a key server's
        /// resync does: images the source has and the target lacks or holds otherwise are copied over (after a takeover,
        /// the backups the new PRIMARY took alone); keys the target lacks are added. Nothing only the target has is
        /// deleted. While either site is lost nothing can be copied; the resync happens at the next turn.
        /// </summary>
        public void Reverse()
        {
            using (var c = LabDb.Open(LabLayout.LabDb(_lab.Root)))
                LabDb.Exec(c, "UPDATE replication_link SET source_site = target_site, target_site = source_site, last_sync = @t WHERE name = @n",
                    ("@t", LabDb.ToUnixMs(_lab.Now)), ("@n", Name));
            var r = Row();
            if (!Up(r)) return;
            if (r.Kind == "STORAGE" && r.Scope is string store) ResyncImages(LabLayout.StorageDir(_lab.Root, r.Source, store), LabLayout.StorageDir(_lab.Root, r.Target, store));
            else if (r.Kind == "KEYS") ResyncKeys(r.Source, r.Target);
        }

        private static void ResyncImages(string from, string to)
        {
            if (!Directory.Exists(from)) return;
            Directory.CreateDirectory(to);
            foreach (var f in Directory.EnumerateFiles(from))
            {
                string name = Path.GetFileName(f);
                if (name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)) continue;
                var source = new FileInfo(f);
                var target = new FileInfo(Path.Combine(to, name));
                // A hard link of the lab's creation is the same file: same length, same time. Otherwise the bytes decide.
                if (target.Exists && target.Length == source.Length
                    && (target.LastWriteTimeUtc == source.LastWriteTimeUtc || File.ReadAllBytes(target.FullName).AsSpan().SequenceEqual(File.ReadAllBytes(source.FullName))))
                    continue;
                // A new file then a rename: never write through a hard link the target may share with another folder.
                string temp = target.FullName + ".tmp";
                File.Copy(source.FullName, temp, true);
                if (target.Exists) File.Replace(temp, target.FullName, null);
                else File.Move(temp, target.FullName);
            }
        }

        private void ResyncKeys(string from, string to)
        {
            using var source = LabDb.Open(LabLayout.KeyDb(_lab.Root, from), readOnly: true);
            using var target = LabDb.Open(LabLayout.KeyDb(_lab.Root, to));
            using var read = source.CreateCommand();
            read.CommandText = "SELECT name, uid, state, algorithm, length, created, activated, deactivated, destroyed FROM key";
            LabDb.Exec(target, "BEGIN IMMEDIATE");
            try
            {
                using var insert = target.CreateCommand();
                insert.CommandText = "INSERT OR IGNORE INTO key(name, uid, state, algorithm, length, created, activated, deactivated, destroyed) VALUES (@1,@2,@3,@4,@5,@6,@7,@8,@9)";
                var ps = Enumerable.Range(1, 9).Select(i => insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("@" + i, null))).ToArray();
                using (var r = read.ExecuteReader())
                    while (r.Read())
                    {
                        for (int i = 0; i < 9; i++) ps[i].Value = r.IsDBNull(i) ? DBNull.Value : r.GetValue(i);
                        insert.ExecuteNonQuery();
                    }
                LabDb.Exec(target, "COMMIT");
            }
            catch
            {
                LabDb.Exec(target, "ROLLBACK");
                throw;
            }
        }

        public string ReplicaSite => Row().Target;

        /// <summary>Deletes the images the link replicated of a store at its target site (the store's folder there).</summary>
        public int RemoveReplica(string dataStore)
        {
            string dir = LabLayout.StorageDir(_lab.Root, Row().Target, dataStore);
            if (!Directory.Exists(dir)) return 0;
            int n = 0;
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                File.Delete(f);
                n++;
            }
            try { if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir); }
            catch (IOException) { }
            return n;
        }

        private bool Up((string Kind, string Source, string Target, bool Healthy, string? Scope) r) =>
            r.Healthy && !_lab.IsSiteLost(r.Source) && !_lab.IsSiteLost(r.Target);

        private (string Kind, string Source, string Target, bool Healthy, string? Scope) Row()
        {
            using var c = LabDb.Open(LabLayout.LabDb(_lab.Root), readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT kind, source_site, target_site, healthy, scope FROM replication_link WHERE name = @n";
            cmd.Parameters.AddWithValue("@n", Name);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) throw new InvalidOperationException("No replication link " + Name + " in the lab.");
            return (r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3) != 0, r.IsDBNull(4) ? null : r.GetString(4));
        }
    }
}
