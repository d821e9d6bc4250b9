using System;
using System.Collections.Generic;
using System.Globalization;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>A KMIP protocol version (major.minor).</summary>
    public sealed class KmipVersion : IEquatable<KmipVersion>, IComparable<KmipVersion>
    {
        public static readonly KmipVersion V1_0 = new KmipVersion(1, 0);
        public static readonly KmipVersion V1_1 = new KmipVersion(1, 1);
        public static readonly KmipVersion V1_2 = new KmipVersion(1, 2);
        public static readonly KmipVersion V1_3 = new KmipVersion(1, 3);
        public static readonly KmipVersion V1_4 = new KmipVersion(1, 4);

        /// <summary>The versions this library speaks, most preferred first.</summary>
        public static IReadOnlyList<KmipVersion> Supported { get; } = Array.AsReadOnly(new[] { V1_4, V1_3, V1_2, V1_1, V1_0 });

        public KmipVersion(int major, int minor)
        {
            if (major < 0 || minor < 0)
                throw new ArgumentOutOfRangeException(major < 0 ? nameof(major) : nameof(minor));
            Major = major;
            Minor = minor;
        }

        public int Major { get; }
        public int Minor { get; }

        public TtlvItem ToTtlv() =>
            TtlvItem.Structure(KmipTag.ProtocolVersion,
                TtlvItem.Integer(KmipTag.ProtocolVersionMajor, Major),
                TtlvItem.Integer(KmipTag.ProtocolVersionMinor, Minor));

        public static KmipVersion FromTtlv(TtlvItem item)
        {
            var major = item.Require(KmipTag.ProtocolVersionMajor).AsInteger();
            var minor = item.Require(KmipTag.ProtocolVersionMinor).AsInteger();
            if (major < 0 || minor < 0)
                throw new KmipDecodeException($"Protocol version {major}.{minor} is negative.");
            return new KmipVersion(major, minor);
        }

        public bool Equals(KmipVersion? other) => other is object && Major == other.Major && Minor == other.Minor;
        public override bool Equals(object? obj) => Equals(obj as KmipVersion);
        public override int GetHashCode() => (Major * 397) ^ Minor;

        public int CompareTo(KmipVersion? other)
        {
            if (other is null)
                return 1;
            var major = Major.CompareTo(other.Major);
            return major != 0 ? major : Minor.CompareTo(other.Minor);
        }

        public static bool operator ==(KmipVersion? left, KmipVersion? right) => left is null ? right is null : left.Equals(right);
        public static bool operator !=(KmipVersion? left, KmipVersion? right) => !(left == right);

        public override string ToString() => Major.ToString(CultureInfo.InvariantCulture) + "." + Minor.ToString(CultureInfo.InvariantCulture);
    }
}
