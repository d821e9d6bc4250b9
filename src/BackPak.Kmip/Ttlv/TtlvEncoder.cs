using System;
using System.IO;
using System.Text;

namespace BackPak.Kmip.Ttlv
{
    /// <summary>Encodes a <see cref="TtlvItem"/> tree into KMIP 1.x TTLV bytes.</summary>
    public static class TtlvEncoder
    {
        internal static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static byte[] Encode(TtlvItem item)
        {
            if (item == null)
                throw new ArgumentNullException(nameof(item));
            using (var stream = new MemoryStream())
            {
                Write(stream, item);
                return stream.ToArray();
            }
        }

        private static void Write(MemoryStream stream, TtlvItem item)
        {
            var tag = (int)item.Tag;
            stream.WriteByte((byte)(tag >> 16));
            stream.WriteByte((byte)(tag >> 8));
            stream.WriteByte((byte)tag);
            stream.WriteByte((byte)item.Type);

            if (item.Type == TtlvType.Structure)
            {
                // Children are written first and the length patched afterwards.
                var lengthPosition = stream.Position;
                WriteUInt32(stream, 0);
                var start = stream.Position;
                foreach (var child in item.Children)
                    Write(stream, child);
                var length = stream.Position - start;
                if (length > uint.MaxValue)
                    throw new InvalidOperationException("Structure is too large for TTLV.");
                var end = stream.Position;
                stream.Position = lengthPosition;
                WriteUInt32(stream, (uint)length);
                stream.Position = end;
                return;
            }

            var value = EncodeValue(item);
            WriteUInt32(stream, (uint)value.Length);
            stream.Write(value, 0, value.Length);
            var padding = TtlvPadding.For(value.Length);
            for (var i = 0; i < padding; i++)
                stream.WriteByte(0);
        }

        private static byte[] EncodeValue(TtlvItem item)
        {
            switch (item.Type)
            {
                case TtlvType.Integer:
                    return BigEndian32((uint)(int)item.Value!);
                case TtlvType.Enumeration:
                case TtlvType.Interval:
                    return BigEndian32((uint)item.Value!);
                case TtlvType.LongInteger:
                    return BigEndian64((ulong)(long)item.Value!);
                case TtlvType.Boolean:
                    return BigEndian64((bool)item.Value! ? 1UL : 0UL);
                case TtlvType.DateTime:
                    return BigEndian64((ulong)((DateTimeOffset)item.Value!).ToUnixTimeSeconds());
                case TtlvType.TextString:
                    return Utf8.GetBytes((string)item.Value!);
                case TtlvType.ByteString:
                    return item.RawBytes;
                case TtlvType.BigInteger:
                    return EncodeBigInteger((System.Numerics.BigInteger)item.Value!);
                default:
                    throw new InvalidOperationException($"Cannot encode item type {item.Type}.");
            }
        }

        /// <summary>Two's complement, big-endian, sign-extended on the left to a multiple of 8 bytes (the spec's rule).</summary>
        private static byte[] EncodeBigInteger(System.Numerics.BigInteger value)
        {
            var little = value.ToByteArray();
            var length = (little.Length + 7) / 8 * 8;
            var result = new byte[length];
            var fill = value.Sign < 0 ? (byte)0xFF : (byte)0x00;
            for (var i = 0; i < length - little.Length; i++)
                result[i] = fill;
            for (var i = 0; i < little.Length; i++)
                result[length - 1 - i] = little[i];
            return result;
        }

        private static byte[] BigEndian32(uint value) =>
            new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

        private static byte[] BigEndian64(ulong value)
        {
            var bytes = new byte[8];
            for (var i = 0; i < 8; i++)
                bytes[i] = (byte)(value >> (56 - 8 * i));
            return bytes;
        }

        private static void WriteUInt32(Stream stream, uint value)
        {
            var bytes = BigEndian32(value);
            stream.Write(bytes, 0, 4);
        }
    }

    internal static class TtlvPadding
    {
        /// <summary>Zero bytes that follow a value of this length so the next item starts on an 8-byte boundary.</summary>
        public static int For(long valueLength) => (int)((8 - valueLength % 8) % 8);
    }
}
