using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Keys
{
    /// <summary>
    /// Life-cycle state of a key in the key manager, as KMIP defines it. <see cref="Unknown"/> stands for a value
    /// this module does not know (a newer protocol, a vendor extension): scripts keep working.
    /// </summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum KeyState
    {
        Unknown = 0,
        /// <summary>Created, never used to protect data.</summary>
        PreActive,
        /// <summary>In use: may protect and read data. Must be revoked before it can be destroyed.</summary>
        Active,
        /// <summary>Revoked: may still read (unprotect) data, protects nothing new.</summary>
        Deactivated,
        /// <summary>Revoked because it was compromised.</summary>
        Compromised,
        /// <summary>Key material deleted: data it protected can never be read again.</summary>
        Destroyed,
        /// <summary>Destroyed after being compromised.</summary>
        DestroyedCompromised,
    }

    /// <summary>Why a key is revoked (KMIP Revocation Reason Code).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum KeyRevocationReason
    {
        Unspecified = 1,
        KeyCompromise,
        CACompromise,
        AffiliationChanged,
        Superseded,
        /// <summary>The data the key protected is no longer kept (decommission). The default.</summary>
        CessationOfOperation,
        PrivilegeWithdrawn,
    }

    /// <summary>Where a volume's use of a key was found.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum KeyReferenceSource
    {
        /// <summary>The volume's catalog entry names the key (its Media Key Name).</summary>
        Catalog,
        /// <summary>The volume's storage image names the key, and its catalog entry another one (or none).</summary>
        StorageImage,
    }

    /// <summary>A catalogued volume that uses a key: its node and label, and where the use was found.</summary>
    public sealed class KeyReference
    {
        public KeyReference(string node, string label, string dataStore, KeyReferenceSource source = KeyReferenceSource.Catalog)
        {
            Node = node;
            Label = label;
            DataStore = dataStore;
            Source = source;
        }

        public string Node { get; }
        public string Label { get; }
        public string DataStore { get; }
        public KeyReferenceSource Source { get; }

        public override string ToString() => Node + " " + Label + (Source == KeyReferenceSource.StorageImage ? " (its storage image)" : "");
    }

    /// <summary>
    /// An encryption key in a key manager, found by its Media Key Name [TEO p10]. Never holds key material.
    /// </summary>
    public sealed class EncryptionKey
    {
        /// <summary>The Media Key Name: the name BackBox gives the medium's key, used to query or delete it.</summary>
        public string Name { get; init; } = "";
        /// <summary>The key manager's own identifier of the key (KMIP Unique Identifier).</summary>
        public string UniqueId { get; init; } = "";
        public KeyState State { get; init; }
        /// <summary>The state as the key manager sent it, for values <see cref="KeyState.Unknown"/> stands for.</summary>
        public string? RawState { get; init; }
        /// <summary>Cryptographic algorithm, e.g. <c>AES</c>.</summary>
        public string? Algorithm { get; init; }
        /// <summary>Key length in bits.</summary>
        public int? Length { get; init; }
        public DateTime? Created { get; init; }
        public DateTime? Activated { get; init; }
        public DateTime? Deactivated { get; init; }
        public DateTime? Destroyed { get; init; }
        /// <summary>The key manager that holds the key (endpoint description).</summary>
        public string KeyManager { get; init; } = "";
        /// <summary>How many catalogued volumes of the connected domains use this key, by catalog entry or storage image (null: not looked up).</summary>
        public long? ReferencingVolumeCount { get; set; }
        /// <summary>The catalogued volumes of the connected domains that use this key (catalog entry or storage image).</summary>
        public IReadOnlyList<KeyReference> Volumes { get; set; } = new KeyReference[0];

        public bool IsDestroyed => State == KeyState.Destroyed || State == KeyState.DestroyedCompromised;

        public override string ToString() => Name + " (" + UniqueId + ")";
    }
}
