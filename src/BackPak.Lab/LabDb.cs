using System;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Opening the lab's SQLite stores, in one place: WAL so readers never block the writer, a busy timeout so
    /// two PowerShell processes on one lab wait for each other instead of failing.
    /// </summary>
    internal static class LabDb
    {
        public const int BusyTimeoutSeconds = 30;

        public static SqliteConnection Open(string path, bool readOnly = false)
        {
            var csb = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
                Pooling = true,
                DefaultTimeout = BusyTimeoutSeconds,
            };
            string cs = csb.ToString();
            Pooled.TryAdd(cs, System.IO.Path.GetFullPath(path));
            var c = new SqliteConnection(cs);
            c.Open();
            Exec(c, "PRAGMA busy_timeout=" + BusyTimeoutSeconds * 1000 + "; PRAGMA synchronous=" + Synchronous + ";");
            return c;
        }

        /// <summary>
        /// The durability of each store, chosen on purpose (docs/lab.md). In WAL mode synchronous=NORMAL survives a
        /// killed process but not a power cut: the WAL is synced only at checkpoints, so a cut can lose every commit
        /// since the last one (or leave a WAL whose header is gone, which SQLite then ignores without a word), while
        /// the files those commits describe (volume images written or deleted) stay as they are. FULL syncs the WAL at
        /// every commit. Every store of the lab holds something a lost commit would contradict, so every one is FULL and
        /// none NORMAL: lab.db (replication links a switch reversed, faults), backpak.db (the BackPak catalog, removal
        /// and import intents, sync runs, audit), dsmtc.db and tmf.db (entries of volumes whose images exist or were
        /// deleted), keys.db (a key lost is data lost). New stores are built with synchronous=OFF before they are in
        /// place, and sealed with FULL (<see cref="Seal"/>).
        /// </summary>
        private const string Synchronous = "FULL";

        /// <summary>Every pooled connection string this process used, with the full path of its store.</summary>
        private static readonly ConcurrentDictionary<string, string> Pooled = new ConcurrentDictionary<string, string>();

        /// <summary>
        /// Closes the idle pooled connections of every store under <paramref name="root"/> (a lab folder), so that no
        /// file of the lab stays open: after a disconnect the folder can be deleted or replaced, and a lab replaced by
        /// hand is read afresh, not through handles to the files it had before. A connection in use elsewhere (another
        /// runspace streaming volumes) is not disturbed: it is discarded when it is closed.
        /// </summary>
        public static void Release(string root)
        {
            string inside = LabLayout.FullPath(root) + System.IO.Path.DirectorySeparatorChar;
            foreach (var kv in Pooled)
            {
                if (!kv.Value.StartsWith(inside, StringComparison.Ordinal)) continue;
                using (var c = new SqliteConnection(kv.Key)) SqliteConnection.ClearPool(c);
                Pooled.TryRemove(kv.Key, out _);
            }
        }

        /// <summary>Creates a new store for bulk loading: no journal until it is finished (it is not yet in place).</summary>
        public static SqliteConnection Create(string path)
        {
            var csb = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
            var c = new SqliteConnection(csb.ToString());
            c.Open();
            Exec(c, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
            return c;
        }

        /// <summary>Makes a bulk-loaded store durable and switches it to WAL for normal use.</summary>
        public static void Seal(SqliteConnection c)
        {
            Exec(c, "PRAGMA synchronous=FULL; ANALYZE; PRAGMA journal_mode=WAL;");
        }

        public static int Exec(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
            return cmd.ExecuteNonQuery();
        }

        public static object? Scalar(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
            var r = cmd.ExecuteScalar();
            return r is DBNull ? null : r;
        }

        // Times are stored as UTC milliseconds since 1970: compact, sortable, and range-indexable.
        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        public static long ToUnixMs(DateTime t) => (long)(t.ToUniversalTime() - UnixEpoch).TotalMilliseconds;
        public static DateTime FromUnixMs(long ms) => UnixEpoch.AddMilliseconds(ms);
    }
}
