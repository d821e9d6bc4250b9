using System;
using System.Collections.Generic;

namespace BackPak.Kmip
{
    /// <summary>What Query returned.</summary>
    public sealed class KmipQueryResult
    {
        public KmipQueryResult(IReadOnlyList<KmipOperation> operations, IReadOnlyList<KmipObjectType> objectTypes,
            string? vendorIdentification)
        {
            Operations = operations;
            ObjectTypes = objectTypes;
            VendorIdentification = vendorIdentification;
        }

        public IReadOnlyList<KmipOperation> Operations { get; }
        public IReadOnlyList<KmipObjectType> ObjectTypes { get; }
        public string? VendorIdentification { get; }
    }

    /// <summary>The attributes of a managed object as returned by Get Attributes.</summary>
    public sealed class KmipKeyInfo
    {
        public KmipKeyInfo(string uniqueIdentifier, IReadOnlyList<KmipAttribute> attributes)
        {
            UniqueIdentifier = uniqueIdentifier ?? throw new ArgumentNullException(nameof(uniqueIdentifier));
            Attributes = attributes ?? throw new ArgumentNullException(nameof(attributes));
        }

        public string UniqueIdentifier { get; }
        public IReadOnlyList<string> Names { get; internal set; } = new string[0];
        public KmipObjectType? ObjectType { get; internal set; }

        /// <summary>State; <see cref="KmipState.Unknown"/> when absent or outside KMIP 1.x (see <see cref="RawState"/>).</summary>
        public KmipState State { get; internal set; }

        /// <summary>The State number as sent by the server; null when the server sent no State.</summary>
        public uint? RawState { get; internal set; }

        public KmipCryptographicAlgorithm? CryptographicAlgorithm { get; internal set; }
        public int? CryptographicLength { get; internal set; }
        public DateTimeOffset? InitialDate { get; internal set; }
        public DateTimeOffset? ActivationDate { get; internal set; }
        public DateTimeOffset? DeactivationDate { get; internal set; }
        public DateTimeOffset? DestroyDate { get; internal set; }

        /// <summary>Every attribute returned, including ones without a typed property above.</summary>
        public IReadOnlyList<KmipAttribute> Attributes { get; }
    }
}
