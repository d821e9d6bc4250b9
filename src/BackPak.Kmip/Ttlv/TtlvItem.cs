using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackPak.Kmip.Ttlv
{
    /// <summary>
    /// One TTLV item: a tag, a type and either a primitive value or (for a Structure) child items.
    /// Value holds: int (Integer), long (LongInteger), System.Numerics.BigInteger (BigInteger),
    /// uint (Enumeration, Interval), bool (Boolean), string (TextString), byte[] (ByteString),
    /// DateTimeOffset (DateTime, whole seconds, UTC).
    /// </summary>
    public sealed class TtlvItem
    {
        private static readonly IReadOnlyList<TtlvItem> NoChildren = new TtlvItem[0];

        private readonly object? _value;

        private TtlvItem(KmipTag tag, TtlvType type, object? value, IReadOnlyList<TtlvItem>? children)
        {
            var raw = (int)tag;
            if (raw < 0 || raw > 0xFFFFFF)
                throw new ArgumentOutOfRangeException(nameof(tag), "A KMIP tag is a 3-byte number.");
            Tag = tag;
            Type = type;
            _value = value;
            Children = children ?? NoChildren;
        }

        public KmipTag Tag { get; }
        public TtlvType Type { get; }
        /// <summary>The primitive value (a copy for byte strings: items are immutable); null for a Structure.</summary>
        public object? Value => _value is byte[] bytes ? bytes.Clone() : _value;
        public IReadOnlyList<TtlvItem> Children { get; }

        public static TtlvItem Structure(KmipTag tag, IEnumerable<TtlvItem> children)
        {
            var list = (children ?? throw new ArgumentNullException(nameof(children))).ToArray();
            if (Array.IndexOf(list, null) >= 0)
                throw new ArgumentException("A structure cannot contain a null item.", nameof(children));
            return new TtlvItem(tag, TtlvType.Structure, null, list);
        }

        public static TtlvItem Structure(KmipTag tag, params TtlvItem[] children) =>
            Structure(tag, (IEnumerable<TtlvItem>)children);

        public static TtlvItem Integer(KmipTag tag, int value) => new TtlvItem(tag, TtlvType.Integer, value, null);

        public static TtlvItem LongInteger(KmipTag tag, long value) => new TtlvItem(tag, TtlvType.LongInteger, value, null);

        public static TtlvItem BigInteger(KmipTag tag, System.Numerics.BigInteger value) => new TtlvItem(tag, TtlvType.BigInteger, value, null);

        public static TtlvItem Enumeration(KmipTag tag, uint value) => new TtlvItem(tag, TtlvType.Enumeration, value, null);

        public static TtlvItem Boolean(KmipTag tag, bool value) => new TtlvItem(tag, TtlvType.Boolean, value, null);

        public static TtlvItem TextString(KmipTag tag, string value) =>
            new TtlvItem(tag, TtlvType.TextString, value ?? throw new ArgumentNullException(nameof(value)), null);

        public static TtlvItem ByteString(KmipTag tag, byte[] value) =>
            new TtlvItem(tag, TtlvType.ByteString, (byte[])(value ?? throw new ArgumentNullException(nameof(value))).Clone(), null);

        /// <summary>Takes ownership of a freshly decoded buffer without copying it.</summary>
        internal static TtlvItem ByteStringOwned(KmipTag tag, byte[] value) => new TtlvItem(tag, TtlvType.ByteString, value, null);

        /// <summary>A Date-Time; KMIP carries whole seconds, so sub-second precision is dropped.</summary>
        public static TtlvItem DateTime(KmipTag tag, DateTimeOffset value) =>
            new TtlvItem(tag, TtlvType.DateTime, DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds()), null);

        /// <summary>An Interval in seconds.</summary>
        public static TtlvItem Interval(KmipTag tag, uint seconds) => new TtlvItem(tag, TtlvType.Interval, seconds, null);

        /// <summary>First child with the given tag, or null.</summary>
        public TtlvItem? Find(KmipTag tag)
        {
            foreach (var child in Children)
            {
                if (child.Tag == tag)
                    return child;
            }
            return null;
        }

        public IEnumerable<TtlvItem> FindAll(KmipTag tag) => Children.Where(c => c.Tag == tag);

        /// <summary>First child with the given tag; a missing field is a malformed message.</summary>
        public TtlvItem Require(KmipTag tag) =>
            Find(tag) ?? throw new KmipDecodeException($"Required field {TagName(tag)} is missing from {TagName(Tag)}.");

        public int AsInteger() => (int)Expect(TtlvType.Integer);
        public long AsLongInteger() => (long)Expect(TtlvType.LongInteger);
        public System.Numerics.BigInteger AsBigInteger() => (System.Numerics.BigInteger)Expect(TtlvType.BigInteger);
        public uint AsEnumeration() => (uint)Expect(TtlvType.Enumeration);
        public bool AsBoolean() => (bool)Expect(TtlvType.Boolean);
        public string AsTextString() => (string)Expect(TtlvType.TextString);
        public byte[] AsByteString() => (byte[])((byte[])Expect(TtlvType.ByteString)).Clone();

        /// <summary>The byte string without a copy, for the encoder.</summary>
        internal byte[] RawBytes => (byte[])_value!;
        public DateTimeOffset AsDateTime() => (DateTimeOffset)Expect(TtlvType.DateTime);
        public uint AsInterval() => (uint)Expect(TtlvType.Interval);

        private object Expect(TtlvType type)
        {
            if (Type != type)
                throw new KmipDecodeException($"Field {TagName(Tag)} has type {Type}, expected {type}.");
            return _value!;
        }

        /// <summary>Name of a known tag, else its hex number (unknown tags are legal and kept).</summary>
        public static string TagName(KmipTag tag) =>
            Enum.IsDefined(typeof(KmipTag), tag) ? tag.ToString() : "0x" + ((int)tag).ToString("X6", CultureInfo.InvariantCulture);

        /// <summary>Indented dump for diagnostics. Byte strings show only their length: they may hold key material.</summary>
        public override string ToString()
        {
            var sb = new StringBuilder();
            Dump(sb, 0);
            return sb.ToString();
        }

        private void Dump(StringBuilder sb, int indent)
        {
            sb.Append(' ', indent * 2).Append(TagName(Tag)).Append(" (").Append(Type).Append(')');
            switch (_value)
            {
                case null:
                    break;
                case byte[] bytes:
                    sb.Append(" <").Append(bytes.Length).Append(" bytes>");
                    break;
                case string text:
                    sb.Append(" \"").Append(text).Append('"');
                    break;
                case DateTimeOffset date:
                    sb.Append(' ').Append(date.ToString("u", CultureInfo.InvariantCulture));
                    break;
                case IFormattable formattable:
                    sb.Append(' ').Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(' ').Append(_value);
                    break;
            }
            sb.AppendLine();
            foreach (var child in Children)
                child.Dump(sb, indent + 1);
        }
    }
}
