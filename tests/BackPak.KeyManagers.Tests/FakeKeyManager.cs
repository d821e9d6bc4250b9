using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>An in-memory key manager with KMIP's rules that records every call, so tests can see what was sent.</summary>
    public sealed class FakeKeyManager : IKeyManager
    {
        private readonly Dictionary<string, (string Name, KeyState State)> _keys = new Dictionary<string, (string, KeyState)>();
        private int _next = 1;

        public List<string> Calls { get; } = new List<string>();
        /// <summary>Called before each Revoke/Destroy runs: lets a test change the server under the procedure's feet.</summary>
        public Action<string>? BeforeChange { get; set; }
        /// <summary>When set, every call throws it (the server went away).</summary>
        public BackPakException? Down { get; set; }

        public string Provider => "Fake";
        public string Endpoint => "fake:5696";
        public string? ProtocolVersion => "1.4";

        public string Add(string name, KeyState state = KeyState.Active)
        {
            var id = (_next++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _keys[id] = (name, state);
            return id;
        }

        public KeyState? StateOf(string id) => _keys.TryGetValue(id, out var k) ? k.State : (KeyState?)null;
        public void Set(string id, KeyState state) => _keys[id] = (_keys[id].Name, state);
        public void Delete(string id) => _keys.Remove(id);

        /// <summary>Calls that change something.</summary>
        public IEnumerable<string> Changes => Calls.Where(c => c.StartsWith("Revoke", StringComparison.Ordinal) || c.StartsWith("Destroy", StringComparison.Ordinal));

        public IReadOnlyList<string> Locate(string? name)
        {
            Record("Locate " + name);
            return _keys.Where(k => name == null || k.Value.Name == name).Select(k => k.Key).ToList();
        }

        public EncryptionKey? Get(string uniqueId)
        {
            Record("Get " + uniqueId);
            return _keys.TryGetValue(uniqueId, out var k)
                ? new EncryptionKey { Name = k.Name, UniqueId = uniqueId, State = k.State, KeyManager = Endpoint }
                : null;
        }

        public void Revoke(string uniqueId, KeyRevocationReason reason)
        {
            Record($"Revoke {uniqueId} {reason}");
            BeforeChange?.Invoke("Revoke");
            if (!_keys.TryGetValue(uniqueId, out var k)) throw NotFound(uniqueId);
            if (k.State != KeyState.Active) throw Refused(uniqueId, "not Active");
            _keys[uniqueId] = (k.Name, reason == KeyRevocationReason.KeyCompromise ? KeyState.Compromised : KeyState.Deactivated);
        }

        public void Destroy(string uniqueId)
        {
            Record("Destroy " + uniqueId);
            BeforeChange?.Invoke("Destroy");
            if (!_keys.TryGetValue(uniqueId, out var k)) throw NotFound(uniqueId);
            if (k.State == KeyState.Active) throw Refused(uniqueId, "Active");
            _keys.Remove(uniqueId); // like PyKMIP: a destroyed object is gone
        }

        public void Dispose() { }

        private void Record(string call)
        {
            if (Down != null) throw Down;
            Calls.Add(call);
        }

        private static BackPakException NotFound(string id) =>
            new BackPakException(ErrorIds.KeyNotFound, BackPakErrorCategory.ObjectNotFound, "no key " + id, id, "none");

        private static BackPakException Refused(string id, string why) =>
            new BackPakException(ErrorIds.KeyOperationFailed, BackPakErrorCategory.InvalidOperation, $"key {id} is {why}", id, "none");
    }
}

namespace BackPak.KeyManagers.Tests
{
    /// <summary>The fake with KMIP batching: RevokeAndDestroy runs Revoke then Destroy, stopping at the first failure.</summary>
    public sealed class FakeBatchKeyManager : BackPak.Core.Keys.IKeyManager, BackPak.Core.Keys.IKeyManagerBatch
    {
        public FakeBatchKeyManager(FakeKeyManager inner) => Inner = inner;
        public FakeKeyManager Inner { get; }
        public string Provider => Inner.Provider;
        public string Endpoint => Inner.Endpoint;
        public string? ProtocolVersion => Inner.ProtocolVersion;
        public System.Collections.Generic.IReadOnlyList<string> Locate(string? name) => Inner.Locate(name);
        public BackPak.Core.Keys.EncryptionKey? Get(string uniqueId) => Inner.Get(uniqueId);
        public void Revoke(string uniqueId, BackPak.Core.Keys.KeyRevocationReason reason) => Inner.Revoke(uniqueId, reason);
        public void Destroy(string uniqueId) => Inner.Destroy(uniqueId);
        public void RevokeAndDestroy(string uniqueId, BackPak.Core.Keys.KeyRevocationReason reason)
        {
            Inner.Calls.Add("Batch " + uniqueId);
            Inner.Revoke(uniqueId, reason);
            Inner.Destroy(uniqueId);
        }
        public System.Collections.Generic.IReadOnlyList<System.Collections.Generic.IReadOnlyList<string>> LocateMany(System.Collections.Generic.IReadOnlyList<string> names)
        {
            Inner.Calls.Add("LocateMany " + names.Count);
            return System.Linq.Enumerable.ToList(System.Linq.Enumerable.Select(names, n => Inner.Locate(n)));
        }
        public System.Collections.Generic.IReadOnlyList<BackPak.Core.Keys.EncryptionKey?> GetMany(System.Collections.Generic.IReadOnlyList<string> uniqueIds)
        {
            Inner.Calls.Add("GetMany " + uniqueIds.Count);
            return System.Linq.Enumerable.ToList(System.Linq.Enumerable.Select(uniqueIds, id => Inner.Get(id)));
        }
        public BackPak.Core.Keys.IKeyLookup BeginLookup() => new BackPak.Core.Keys.BatchKeyLookup(this);
        public void Dispose() { }
    }
}
