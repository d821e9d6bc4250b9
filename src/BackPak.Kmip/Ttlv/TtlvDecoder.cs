using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackPak.Kmip.Ttlv
{
    public sealed class TtlvDecoderOptions
    {
        public const int DefaultMaxMessageSize = 4 * 1024 * 1024;
        public const int DefaultMaxDepth = 32;

        /// <summary>Largest whole message (header included) accepted, in bytes.</summary>
        public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

        /// <summary>Deepest structure nesting accepted; the outermost item is depth 1.</summary>
        public int MaxDepth { get; set; } = DefaultMaxDepth;

        internal static readonly TtlvDecoderOptions Default = new TtlvDecoderOptions();
    }

    /// <summary>
    /// Decodes KMIP 1.x TTLV bytes into a <see cref="TtlvItem"/> tree. Untrusted input is expected: every
    /// declared length is checked against the bytes actually present before anything is allocated, and every
    /// failure is a <see cref="KmipDecodeException"/> (or <see cref="KmipMessageTooLargeException"/>).
    /// </summary>
    public static class TtlvDecoder
    {
        internal const int HeaderLength = 8;

        /// <summary>Decodes exactly one item that spans the whole buffer.</summary>
        public static TtlvItem Decode(byte[] data, TtlvDecoderOptions? options = null)
        {
            if (data == null)
                throw new ArgumentNullException(nameof(data));
            return Decode(data, 0, data.Length, options);
        }

        /// <summary>Decodes exactly one item that spans <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static TtlvItem Decode(byte[] data, int offset, int count, TtlvDecoderOptions? options = null)
        {
            if (data == null)
                throw new ArgumentNullException(nameof(data));
            if (offset < 0 || count < 0 || count > data.Length - offset)
                throw new ArgumentOutOfRangeException(nameof(count));
            options = options ?? TtlvDecoderOptions.Default;
            if (count > options.MaxMessageSize)
                throw new KmipMessageTooLargeException(count, options.MaxMessageSize);

            var position = offset;
            var end = offset + count;
            var item = ReadItem(data, ref position, end, 1, options, offset);
            if (position != end)
                throw Error(position - offset, $"{end - position} unexpected bytes follow the message.");
            return item;
        }

        /// <summary>Reads the tag, type and declared value length of an item header (8 bytes at <paramref name="offset"/>).</summary>
        internal static void ReadHeader(byte[] data, int offset, out KmipTag tag, out byte type, out uint length)
        {
            tag = (KmipTag)((data[offset] << 16) | (data[offset + 1] << 8) | data[offset + 2]);
            type = data[offset + 3];
            length = ReadUInt32(data, offset + 4);
        }

        private static TtlvItem ReadItem(byte[] data, ref int position, int end, int depth, TtlvDecoderOptions options, int origin)
        {
            var itemOffset = position - origin;
            if (depth > options.MaxDepth)
                throw Error(itemOffset, $"Structures are nested deeper than the limit of {options.MaxDepth}.");
            if (end - position < HeaderLength)
                throw Error(itemOffset, $"Truncated item: an 8-byte header is needed but only {end - position} bytes remain.");

            ReadHeader(data, position, out var tag, out var typeByte, out var length);
            var highByte = (int)tag >> 16;
            if (highByte != 0x42 && highByte != 0x54)
                throw Error(itemOffset, $"Invalid tag 0x{(int)tag:X6}: KMIP tags begin with 0x42 or 0x54.");
            var tagName = TtlvItem.TagName(tag);
            position += HeaderLength;

            var remaining = end - position;
            if (length > (uint)remaining)
                throw Error(itemOffset, $"{tagName} declares {length} bytes but only {remaining} remain.");
            var valueLength = (int)length;
            if (typeByte < (byte)TtlvType.Structure || typeByte > (byte)TtlvType.Interval)
                throw Error(itemOffset, $"{tagName} has unknown item type 0x{typeByte:X2}.");
            var type = (TtlvType)typeByte;

            if (type == TtlvType.Structure)
            {
                if (valueLength % 8 != 0)
                    throw Error(itemOffset, $"Structure {tagName} has length {valueLength}, which is not a multiple of 8.");
                var childEnd = position + valueLength;
                var children = new List<TtlvItem>();
                while (position < childEnd)
                    children.Add(ReadItem(data, ref position, childEnd, depth + 1, options, origin));
                return TtlvItem.Structure(tag, children);
            }

            var padding = TtlvPadding.For(valueLength);
            if (padding > remaining - valueLength)
                throw Error(itemOffset, $"{tagName} is missing {padding} padding bytes.");
            var valueStart = position;
            for (var i = valueStart + valueLength; i < valueStart + valueLength + padding; i++)
            {
                if (data[i] != 0)
                    throw Error(i - origin, $"{tagName} has non-zero padding.");
            }
            position = valueStart + valueLength + padding;

            switch (type)
            {
                case TtlvType.Integer:
                    ExpectLength(tagName, type, valueLength, 4, itemOffset);
                    return TtlvItem.Integer(tag, (int)ReadUInt32(data, valueStart));
                case TtlvType.Enumeration:
                    ExpectLength(tagName, type, valueLength, 4, itemOffset);
                    return TtlvItem.Enumeration(tag, ReadUInt32(data, valueStart));
                case TtlvType.Interval:
                    ExpectLength(tagName, type, valueLength, 4, itemOffset);
                    return TtlvItem.Interval(tag, ReadUInt32(data, valueStart));
                case TtlvType.LongInteger:
                    ExpectLength(tagName, type, valueLength, 8, itemOffset);
                    return TtlvItem.LongInteger(tag, (long)ReadUInt64(data, valueStart));
                case TtlvType.Boolean:
                    ExpectLength(tagName, type, valueLength, 8, itemOffset);
                    var flag = ReadUInt64(data, valueStart);
                    if (flag > 1)
                        throw Error(itemOffset, $"Boolean {tagName} has value {flag}; only 0 and 1 are valid.");
                    return TtlvItem.Boolean(tag, flag == 1);
                case TtlvType.DateTime:
                    ExpectLength(tagName, type, valueLength, 8, itemOffset);
                    var seconds = (long)ReadUInt64(data, valueStart);
                    DateTimeOffset date;
                    try
                    {
                        date = DateTimeOffset.FromUnixTimeSeconds(seconds);
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                        throw Error(itemOffset, $"Date-Time {tagName} value {seconds} is out of the representable range.");
                    }
                    return TtlvItem.DateTime(tag, date);
                case TtlvType.BigInteger:
                    if (valueLength == 0 || valueLength % 8 != 0)
                        throw Error(itemOffset, $"Big Integer {tagName} has length {valueLength}, which is not a positive multiple of 8.");
                    var little = new byte[valueLength];
                    for (var i = 0; i < valueLength; i++)
                        little[i] = data[valueStart + valueLength - 1 - i];
                    return TtlvItem.BigInteger(tag, new System.Numerics.BigInteger(little));
                case TtlvType.TextString:
                    string text;
                    try
                    {
                        text = TtlvEncoder.Utf8.GetString(data, valueStart, valueLength);
                    }
                    catch (DecoderFallbackException)
                    {
                        throw Error(itemOffset, $"Text String {tagName} is not valid UTF-8.");
                    }
                    return TtlvItem.TextString(tag, text);
                case TtlvType.ByteString:
                    var bytes = new byte[valueLength];
                    Buffer.BlockCopy(data, valueStart, bytes, 0, valueLength);
                    return TtlvItem.ByteStringOwned(tag, bytes);
                default:
                    throw new InvalidOperationException("Unreachable: item type was checked above.");
            }
        }

        private static void ExpectLength(string tagName, TtlvType type, int actual, int expected, int offset)
        {
            if (actual != expected)
                throw Error(offset, $"{type} {tagName} has length {actual}; it must be {expected}.");
        }

        private static KmipDecodeException Error(int offset, string message) =>
            new KmipDecodeException($"Malformed TTLV at offset {offset.ToString(CultureInfo.InvariantCulture)}: {message}");

        private static uint ReadUInt32(byte[] data, int offset) =>
            ((uint)data[offset] << 24) | ((uint)data[offset + 1] << 16) | ((uint)data[offset + 2] << 8) | data[offset + 3];

        private static ulong ReadUInt64(byte[] data, int offset) =>
            ((ulong)ReadUInt32(data, offset) << 32) | ReadUInt32(data, offset + 4);
    }
}
