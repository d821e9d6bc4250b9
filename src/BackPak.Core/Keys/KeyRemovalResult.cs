using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Keys
{
    /// <summary>What removing one key came to: the value to group results by.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum KeyRemovalStatus
    {
        /// <summary>The key was destroyed by this removal (revoked first when it was Active).</summary>
        Destroyed,
        /// <summary>Nothing to do: no key of that name, or it was destroyed already, and no catalogued volume uses it.</summary>
        AlreadyAbsent,
        /// <summary>
        /// The key server has no such key (or it was destroyed), but catalogued volumes use it: they cannot be read. Not
        /// done: a warning to act on (the wrong key manager, or a key lost).
        /// </summary>
        MissingOnServer,
        /// <summary>Refused: catalogued volumes still use the key (KeyStillReferenced). The key was not changed.</summary>
        Refused,
        /// <summary>The key server refused or failed an operation (see Error); the key may have been revoked, not destroyed.</summary>
        Failed,
    }

    /// <summary>What removing one key did: Remove-BPEncryptionKey -PassThru emits one per key.</summary>
    public sealed class KeyRemovalResult
    {
        /// <summary>The operation (one command) that made this removal: its audit records carry the same id.</summary>
        public string? OperationId { get; init; } = Audit.Operation.CurrentId;
        /// <summary>The Media Key Name asked for.</summary>
        public string Name { get; init; } = "";
        /// <summary>What the removal came to.</summary>
        public KeyRemovalStatus Status { get; init; }
        /// <summary>The key manager's id of the key; null when no key of that name was found.</summary>
        public string? UniqueId { get; init; }
        public string KeyManager { get; init; } = "";
        /// <summary>The key's state before the removal; null when it was absent.</summary>
        public KeyState? StateBefore { get; init; }
        /// <summary>The key was Active and was revoked first.</summary>
        public bool Revoked { get; init; }
        public KeyRevocationReason? RevocationReason { get; init; }
        /// <summary>The key was destroyed by this removal.</summary>
        public bool Destroyed { get; init; }
        /// <summary>There was nothing to remove and nothing uses it: no key of that name, or it was destroyed already. Not an error.</summary>
        public bool AlreadyAbsent { get; init; }
        /// <summary>How many catalogued volumes of the connected domains use the key (catalog entry or storage image); a removal is refused when not 0.</summary>
        public long ReferencingVolumes { get; init; }
        /// <summary>Some of the referencing volumes (node and label).</summary>
        public IReadOnlyList<KeyReference> ReferencingVolumeSample { get; init; } = new KeyReference[0];
        /// <summary>The ErrorId when the removal was refused or failed; null otherwise.</summary>
        public string? Error { get; init; }
        public string? ErrorMessage { get; init; }
        /// <summary>What needs the operator's attention although nothing failed (a key missing on the server); null otherwise.</summary>
        public string? Warning { get; init; }

        public override string ToString() => Name + (UniqueId != null ? " (" + UniqueId + ")" : "") + ": " + Status;
    }
}
