using System.IO;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip.Transport
{
    /// <summary>Reads one whole TTLV message from a stream, refusing oversized ones before allocating.</summary>
    internal static class TtlvFraming
    {
        public static byte[] ReadMessage(Stream stream, KmipTag expectedTag, int maxMessageSize)
        {
            var header = new byte[TtlvDecoder.HeaderLength];
            ReadExactly(stream, header, 0, header.Length, true);
            TtlvDecoder.ReadHeader(header, 0, out var tag, out var type, out var length);
            if (tag != expectedTag || type != (byte)TtlvType.Structure)
                throw new KmipDecodeException(
                    $"Expected a {TtlvItem.TagName(expectedTag)} structure, received {TtlvItem.TagName(tag)} of type 0x{type:X2}.");

            var total = (long)length + TtlvDecoder.HeaderLength;
            if (total > maxMessageSize)
                throw new KmipMessageTooLargeException(total, maxMessageSize);

            var message = new byte[total];
            header.CopyTo(message, 0);
            ReadExactly(stream, message, header.Length, (int)length, false);
            return message;
        }

        private static void ReadExactly(Stream stream, byte[] buffer, int offset, int count, bool atMessageStart)
        {
            var done = 0;
            while (done < count)
            {
                var read = stream.Read(buffer, offset + done, count - done);
                if (read == 0)
                {
                    throw new KmipConnectionException(atMessageStart && done == 0
                        ? "The server closed the connection."
                        : "The server closed the connection in the middle of a message.");
                }
                done += read;
            }
        }
    }
}
