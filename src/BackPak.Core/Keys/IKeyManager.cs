using System;
using System.Collections.Generic;
using System.Linq;

namespace BackPak.Core.Keys
{
    /// <summary>
    /// A key manager (HP ESKM, any KMIP 1.x server, the lab's key store), as BackPak uses it: keys by Media Key
    /// Name. Implementations raise <see cref="Errors.BackPakException"/> with the key-manager ErrorIds, and follow
    /// KMIP's rules: an Active key cannot be destroyed before it is revoked.
    /// </summary>
    public interface IKeyManager : IDisposable
    {
        /// <summary>Which implementation, e.g. <c>KMIP</c> or <c>Lab</c>.</summary>
        string Provider { get; }
        /// <summary>Where the keys live, e.g. <c>kms.example.com:5696</c> or <c>lab:SITEA</c>.</summary>
        string Endpoint { get; }
        /// <summary>Protocol version in use, e.g. <c>1.4</c>; null when there is no protocol.</summary>
        string? ProtocolVersion { get; }

        /// <summary>Unique ids of the keys named <paramref name="name"/>; every key when null. Empty when none.</summary>
        IReadOnlyList<string> Locate(string? name);

        /// <summary>The key with this unique id, or null when the key manager has no such key (any more).</summary>
        EncryptionKey? Get(string uniqueId);

        /// <summary>Revokes a key: Active becomes Deactivated (Compromised for a compromise reason).</summary>
        void Revoke(string uniqueId, KeyRevocationReason reason);

        /// <summary>Destroys a key that is not Active. Its data can never be read again.</summary>
        void Destroy(string uniqueId);
    }

    /// <summary>
    /// A key manager that can revoke and destroy a key in one exchange (KMIP: two batch items in one message, the
    /// server stopping at the first failure). KeyRemoval uses it for Active keys when it is there.
    /// </summary>
    public interface IKeyManagerBatch
    {
        /// <summary>Revokes then destroys; on failure nothing after the failed step was done.</summary>
        void RevokeAndDestroy(string uniqueId, KeyRevocationReason reason);

        /// <summary>Locate for several names in one exchange: the ids of each name, in the order of the names.</summary>
        IReadOnlyList<IReadOnlyList<string>> LocateMany(IReadOnlyList<string> names);

        /// <summary>Get for several ids in one exchange, in the order of the ids (null where there is no such key).</summary>
        IReadOnlyList<EncryptionKey?> GetMany(IReadOnlyList<string> uniqueIds);

        /// <summary>
        /// A finder of keys by name for one operation (one cmdlet invocation), which may keep what it read for the
        /// rest of that operation and choose the cheapest way to ask this key manager. Never keep it longer.
        /// </summary>
        IKeyLookup BeginLookup();
    }

    /// <summary>Finds the keys of many Media Key Names, for one operation.</summary>
    public interface IKeyLookup
    {
        /// <summary>The keys of each name, in the order of the names (empty where the key manager has none).</summary>
        IReadOnlyList<IReadOnlyList<EncryptionKey>> Find(IReadOnlyList<string> names);
    }

    /// <summary>The plain lookup: a Locate for every name and a Get for every key found, each batch in one exchange.</summary>
    public sealed class BatchKeyLookup : IKeyLookup
    {
        private readonly IKeyManagerBatch _batch;

        public BatchKeyLookup(IKeyManagerBatch batch) => _batch = batch ?? throw new ArgumentNullException(nameof(batch));

        public IReadOnlyList<IReadOnlyList<EncryptionKey>> Find(IReadOnlyList<string> names)
        {
            var ids = _batch.LocateMany(names);
            return PerName(ids, _batch.GetMany(ids.SelectMany(x => x).ToList()));
        }

        /// <summary>The keys of each name from the ids located per name and the keys read for those ids, in that order.</summary>
        public static IReadOnlyList<IReadOnlyList<EncryptionKey>> PerName(IReadOnlyList<IReadOnlyList<string>> ids, IReadOnlyList<EncryptionKey?> keys)
        {
            var perName = new List<IReadOnlyList<EncryptionKey>>(ids.Count);
            int k = 0;
            foreach (var list in ids)
            {
                var mine = new List<EncryptionKey>();
                foreach (var _ in list)
                    if (keys[k++] is { } key) mine.Add(key);
                perName.Add(mine);
            }
            return perName;
        }
    }
}
