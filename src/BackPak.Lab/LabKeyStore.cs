using System;
using System.Collections.Generic;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// The key server of a lab site (sites/&lt;SITE&gt;/keys.db) behind the key-manager contract, with a KMIP server's
    /// rules: an Active key must be revoked before it can be destroyed; a destroyed key keeps its name and dates
    /// but no longer counts as present.
    /// </summary>
    public sealed class LabKeyStore : IKeyManager
    {
        private readonly Lab _lab;
        private readonly string _db;

        internal LabKeyStore(Lab lab, string node, string site, string? backPakId)
        {
            _lab = lab;
            Node = node;
            Site = site;
            BackPakId = backPakId;
            _db = LabLayout.KeyDb(lab.Root, site);
        }

        public string Node { get; }
        public string Site { get; }
        /// <summary>The Key Manager id the node's domain defines for this key server.</summary>
        public string? BackPakId { get; }
        public string Provider => "Lab";
        public string Endpoint => "lab:" + Site;
        public string? ProtocolVersion => null;
        public string Location => _lab.Root;

        public IReadOnlyList<string> Locate(string? name) => Guard(() =>
        {
            using var c = LabDb.Open(_db, readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = name == null ? "SELECT uid FROM key ORDER BY name" : "SELECT uid FROM key WHERE name = @n";
            if (name != null) cmd.Parameters.AddWithValue("@n", name);
            using var r = cmd.ExecuteReader();
            var ids = new List<string>();
            while (r.Read()) ids.Add(r.GetString(0));
            return ids;
        });

        public EncryptionKey? Get(string uniqueId) => Guard(() =>
        {
            using var c = LabDb.Open(_db, readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, uid, state, algorithm, length, created, activated, deactivated, destroyed FROM key WHERE uid = @u";
            cmd.Parameters.AddWithValue("@u", uniqueId);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return null;
            var raw = r.GetString(2);
            return new EncryptionKey
            {
                Name = r.GetString(0), UniqueId = r.GetString(1),
                State = Enum.TryParse<KeyState>(raw, out var s) ? s : KeyState.Unknown, RawState = raw,
                Algorithm = r.GetString(3), Length = r.GetInt32(4),
                Created = Time(r, 5), Activated = Time(r, 6), Deactivated = Time(r, 7), Destroyed = Time(r, 8),
                KeyManager = Endpoint,
            };
        });

        public void Revoke(string uniqueId, KeyRevocationReason reason) => Guard(() =>
        {
            bool compromise = reason == KeyRevocationReason.KeyCompromise || reason == KeyRevocationReason.CACompromise;
            using var c = LabDb.Open(_db);
            // One statement: two processes revoking the same key cannot both succeed on a stale read.
            int n = compromise
                ? LabDb.Exec(c, "UPDATE key SET state = 'Compromised', deactivated = COALESCE(deactivated, @now) WHERE uid = @u AND state IN ('PreActive','Active','Deactivated')",
                    ("@u", uniqueId), ("@now", LabDb.ToUnixMs(_lab.Now)))
                : LabDb.Exec(c, "UPDATE key SET state = 'Deactivated', deactivated = @now WHERE uid = @u AND state = 'Active'",
                    ("@u", uniqueId), ("@now", LabDb.ToUnixMs(_lab.Now)));
            if (n == 0) throw Refused(c, uniqueId, "Revoke", "only an Active key can be revoked for " + reason);
            return 0;
        });

        public void Destroy(string uniqueId) => Guard(() =>
        {
            using var c = LabDb.Open(_db);
            int n = LabDb.Exec(c,
                "UPDATE key SET state = CASE state WHEN 'Compromised' THEN 'DestroyedCompromised' ELSE 'Destroyed' END, destroyed = @now " +
                "WHERE uid = @u AND state IN ('PreActive','Deactivated','Compromised')", ("@u", uniqueId), ("@now", LabDb.ToUnixMs(_lab.Now)));
            if (n == 0) throw Refused(c, uniqueId, "Destroy", "an Active key must be revoked before it is destroyed");
            return 0;
        });

        /// <summary>Closes the lab's idle pooled connections (see <see cref="LabDomain.Dispose"/>).</summary>
        public void Dispose() => LabDb.Release(_lab.Root);

        /// <summary>Why an update changed nothing: the key is gone (KeyNotFound) or in the wrong state (KeyOperationFailed).</summary>
        private BackPakException Refused(SqliteConnection c, string uniqueId, string operation, string rule)
        {
            var state = (string?)LabDb.Scalar(c, "SELECT state FROM key WHERE uid = @u", ("@u", uniqueId));
            if (state == null || state.StartsWith("Destroyed", StringComparison.Ordinal))
                return new BackPakException(ErrorIds.KeyNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"The key server {Endpoint} has no key with unique id {uniqueId}" + (state != null ? " (it was destroyed)." : "."),
                    uniqueId, "Get-BPEncryptionKey -Name <Media Key Name> shows the keys of a name.");
            return new BackPakException(ErrorIds.KeyOperationFailed, BackPakErrorCategory.InvalidOperation,
                $"The key server {Endpoint} refused {operation} of key {uniqueId}: it is {state}, and {rule}.",
                uniqueId, "Get-BPEncryptionKey shows the key's state.");
        }

        private T Guard<T>(Func<T> f)
        {
            // A key server goes with its site when a node of it is lost (the lab's NodeLost fault).
            if (_lab.IsSiteLost(Site))
                throw new BackPakException(ErrorIds.KeyManagerUnreachable, BackPakErrorCategory.ConnectionError,
                    $"The lab key server {Endpoint} does not answer: its site is lost with its node (the lab's NodeLost fault).", Endpoint,
                    "Use the key server of the other site; Remove-BPLabFault NodeLost brings the site back.", stopsInvocation: true);
            try { return f(); }
            catch (SqliteException e)
            {
                throw new BackPakException(ErrorIds.KeyManagerUnreachable, BackPakErrorCategory.ConnectionError,
                    $"The lab key server {Endpoint} could not be used: {e.Message}", Endpoint,
                    "Run the command again; if it persists, recreate the lab with New-BPLab -Force.", stopsInvocation: true, inner: e);
            }
        }

        private static DateTime? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? (DateTime?)null : LabDb.FromUnixMs(r.GetInt64(i));
    }
}
