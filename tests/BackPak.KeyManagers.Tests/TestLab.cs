using System;
using System.IO;
using System.Linq;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Lab;
using Microsoft.Data.Sqlite;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>An encrypted lab of its own for one test: both domains and the key store of \A's site.</summary>
    public sealed class TestLab : IDisposable
    {
        public TestLab(int volumes = 60, int seed = 5)
        {
            Root = Path.Combine(Path.GetTempPath(), "backpak-keytest-" + Guid.NewGuid().ToString("N"));
            LabBuilder.Create(new LabOptions { Path = Root, VolumeCount = volumes, Seed = seed, Encrypted = true });
            Lab = BackPak.Lab.Lab.Open(Root);
            A = Lab.OpenDomain(@"\A");
            B = Lab.OpenDomain(@"\B");
            KeysA = Lab.OpenKeyStore(@"\A");
        }

        public string Root { get; }
        public BackPak.Lab.Lab Lab { get; }
        public LabDomain A { get; }
        public LabDomain B { get; }
        public LabKeyStore KeysA { get; }
        public IBackPakDomain[] Domains => new IBackPakDomain[] { A, B };

        /// <summary>The BackPak id of the Key Manager both nodes of a lab define (R15).</summary>
        public const string KeyManagerId = "KM01";

        /// <summary>An encrypted volume of a data store on a node.</summary>
        public Volume Volume(IBackPakDomain domain, string dataStore, int index = 0) =>
            domain.GetVolumes(new VolumeQuery { DataStore = dataStore, Encrypted = true }).Skip(index).First();

        /// <summary>Deletes a volume from a node's BackPak catalog (what Remove-BPVolume does to the catalog).</summary>
        public void DeleteVolume(string node, string label) =>
            Sql(Path.Combine(Root, "nodes", node.TrimStart('\\'), "backpak.db"), "DELETE FROM volume WHERE label = $l", ("$l", label));

        public void SetVolumeKey(string node, string label, string? key) =>
            Sql(Path.Combine(Root, "nodes", node.TrimStart('\\'), "backpak.db"), "UPDATE volume SET media_key_name = $k WHERE label = $l", ("$l", label), ("$k", key));

        public void SetKeyState(string site, string name, string state) =>
            Sql(Path.Combine(Root, "sites", site, "keys.db"), "UPDATE key SET state = $s WHERE name = $n", ("$n", name), ("$s", state));

        public long Scalar(string db, string sql)
        {
            using var c = new SqliteConnection("Data Source=" + Path.Combine(Root, db) + ";Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt64(cmd.ExecuteScalar());
        }

        /// <summary>The audit records of key removals on a node (the lab records its own creation too).</summary>
        public string[] AuditResults(string node) => Rows(Path.Combine(Root, "nodes", node.TrimStart('\\'), "backpak.db"),
            "SELECT action || '|' || result || '|' || target || '|' || COALESCE(detail, '') FROM audit WHERE action = '" + BackPak.Core.Keys.KeyRemoval.AuditAction + "' ORDER BY id");

        private static string[] Rows(string db, string sql)
        {
            using var c = new SqliteConnection("Data Source=" + db + ";Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            var list = new System.Collections.Generic.List<string>();
            while (r.Read()) list.Add(r.GetString(0));
            return list.ToArray();
        }

        private static void Sql(string db, string sql, params (string, object?)[] args)
        {
            using var c = new SqliteConnection("Data Source=" + db + ";Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }

        public void Dispose()
        {
            KeysA.Dispose();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }
}
