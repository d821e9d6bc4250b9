using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using BackPak.Kmip.Ttlv;
using Xunit;

namespace BackPak.Kmip.Tests
{
    public class MalformedInputTests
    {
        public static TheoryData<string, string> MalformedCases() => new TheoryData<string, string>
        {
            { "empty input", "" },
            { "truncated header", "42 00 20 02 00 00" },
            { "truncated value", "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08" },
            { "integer with length 8", "42 00 20 | 02 | 00 00 00 08 | 00 00 00 00 00 00 00 08" },
            { "integer with length 2", "42 00 20 | 02 | 00 00 00 02 | 00 08 00 00 00 00 00 00" },
            { "long integer with length 4", "42 00 20 | 03 | 00 00 00 04 | 00 00 00 08 00 00 00 00" },
            { "enumeration with length 8", "42 00 20 | 05 | 00 00 00 08 | 00 00 00 00 00 00 00 01" },
            { "interval with length 8", "42 00 20 | 0A | 00 00 00 08 | 00 00 00 00 00 00 00 01" },
            { "boolean with length 4", "42 00 20 | 06 | 00 00 00 04 | 00 00 00 01 00 00 00 00" },
            { "boolean value 2", "42 00 20 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 02" },
            { "date-time with length 4", "42 00 20 | 09 | 00 00 00 04 | 47 DA 67 F8 00 00 00 00" },
            { "date-time out of range", "42 00 20 | 09 | 00 00 00 08 | 7F FF FF FF FF FF FF FF" },
            { "big integer with length 5", "42 00 20 | 04 | 00 00 00 05 | 01 02 03 04 05 00 00 00" },
            { "big integer with length 0", "42 00 20 | 04 | 00 00 00 00" },
            { "non-zero padding after integer", "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 01" },
            { "non-zero padding after text", "42 00 20 | 07 | 00 00 00 03 | 41 42 43 00 00 00 00 FF" },
            { "missing padding", "42 00 20 | 08 | 00 00 00 03 | 01 02 03" },
            { "invalid utf-8 text", "42 00 20 | 07 | 00 00 00 02 | C3 28 00 00 00 00 00 00" },
            { "unknown item type 0x0B", "42 00 20 | 0B | 00 00 00 08 | 00 00 00 00 00 00 00 00" },
            { "item type 0x00", "42 00 20 | 00 | 00 00 00 00" },
            { "tag outside the KMIP ranges", "13 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00" },
            { "declared length far beyond the input", "42 00 20 | 08 | FF FF FF F0 | 01 02 03 00 00 00 00 00" },
            { "structure longer than the input", "42 00 20 | 01 | 00 00 00 20 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00" },
            { "structure length not a multiple of 8", "42 00 20 | 01 | 00 00 00 0C | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00" },
            { "child overruns its structure", "42 00 20 | 01 | 00 00 00 08 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00" },
            { "trailing bytes", "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00 | 42" },
        };

        [Theory]
        [MemberData(nameof(MalformedCases))]
        public void Malformed_input_is_a_decode_error(string name, string hex)
        {
            var ex = Assert.Throws<KmipDecodeException>(() => TtlvDecoder.Decode(Hex.Parse(hex)));
            Assert.False(string.IsNullOrWhiteSpace(ex.Message), name);
        }

        [Fact]
        public void Nesting_deeper_than_the_limit_is_a_decode_error()
        {
            var item = TtlvItem.Integer(KmipTag.BatchCount, 1);
            for (var i = 0; i < 40; i++)
                item = TtlvItem.Structure(KmipTag.Attribute, item);
            var bytes = TtlvEncoder.Encode(item);

            var ex = Assert.Throws<KmipDecodeException>(() => TtlvDecoder.Decode(bytes));
            Assert.Contains("nested", ex.Message);
            Assert.NotNull(TtlvDecoder.Decode(bytes, new TtlvDecoderOptions { MaxDepth = 64 }));
        }

        [Fact]
        public void Deep_nesting_of_empty_headers_does_not_overflow_the_stack()
        {
            // 100,000 nested structure headers, each claiming the rest of the input.
            const int depth = 100_000;
            var bytes = new byte[depth * 8];
            for (var i = 0; i < depth; i++)
            {
                var remaining = (uint)((depth - i - 1) * 8);
                bytes[i * 8] = 0x42; bytes[i * 8 + 2] = 0x08; bytes[i * 8 + 3] = 0x01;
                bytes[i * 8 + 4] = (byte)(remaining >> 24); bytes[i * 8 + 5] = (byte)(remaining >> 16);
                bytes[i * 8 + 6] = (byte)(remaining >> 8); bytes[i * 8 + 7] = (byte)remaining;
            }
            Assert.Throws<KmipDecodeException>(() => TtlvDecoder.Decode(bytes));
        }

        [Fact]
        public void Input_above_the_maximum_message_size_is_refused()
        {
            var bytes = TtlvEncoder.Encode(TtlvItem.ByteString(KmipTag.UniqueBatchItemId, new byte[200]));
            var ex = Assert.Throws<KmipMessageTooLargeException>(() => TtlvDecoder.Decode(bytes, new TtlvDecoderOptions { MaxMessageSize = 100 }));
            Assert.Equal(208, ex.DeclaredSize);
        }

        [Fact]
        public void Response_with_wrong_outer_tag_is_a_decode_error()
        {
            Assert.Throws<KmipDecodeException>(() => ResponseMessage.Decode(Golden.Get("request_destroy")));
            Assert.Throws<KmipDecodeException>(() => ResponseMessage.Decode(Golden.Get("integer_8")));
        }

        [Fact]
        public void Response_missing_required_header_fields_is_a_decode_error()
        {
            var noHeader = TtlvEncoder.Encode(TtlvItem.Structure(KmipTag.ResponseMessage,
                TtlvItem.Structure(KmipTag.BatchItem, TtlvItem.Enumeration(KmipTag.ResultStatus, 0))));
            Assert.Throws<KmipDecodeException>(() => ResponseMessage.Decode(noHeader));
        }

        /// <summary>
        /// Mutates valid messages (bit flips, truncations, length corruption, byte insertion) with fixed seeds.
        /// Every outcome must be success or a KMIP decode error: never a crash, hang or huge allocation.
        /// </summary>
        [Theory]
        [InlineData(20240601)]
        [InlineData(7)]
        [InlineData(424242)]
        public void Randomized_mutations_only_fail_with_decode_errors(int seed)
        {
            var seeds = Golden.Names.Where(n => n.StartsWith("re", StringComparison.Ordinal)).Select(Golden.Get).ToArray();
            var random = new Random(seed);
            var stopwatch = Stopwatch.StartNew();
            var before = GC.GetAllocatedBytesForCurrentThread();
            int decoded = 0, rejected = 0;

            for (var i = 0; i < 3000; i++)
            {
                var bytes = Mutate((byte[])seeds[random.Next(seeds.Length)].Clone(), random);
                try
                {
                    var item = TtlvDecoder.Decode(bytes);
                    decoded++;
                    if (item.Tag == KmipTag.ResponseMessage)
                        TryParseResponse(item);
                }
                catch (KmipDecodeException)
                {
                    rejected++;
                }
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(rejected > 750, $"only {rejected} mutations were rejected");
            Assert.True(decoded > 10, $"only {decoded} mutations decoded");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
            Assert.True(allocated < 512L * 1024 * 1024, $"allocated {allocated} bytes");
        }

        private static void TryParseResponse(TtlvItem item)
        {
            try
            {
                var response = ResponseMessage.FromTtlv(item);
                foreach (var batchItem in response.BatchItems.Where(b => b.IsSuccess && b.Payload != null))
                {
                    switch (batchItem.Operation)
                    {
                        case KmipOperation.GetAttributes: KmipResponses.GetAttributes(batchItem.Payload!); break;
                        case KmipOperation.Query: KmipResponses.Query(batchItem.Payload!); break;
                        case KmipOperation.Locate: KmipResponses.Locate(batchItem.Payload!); break;
                        case KmipOperation.DiscoverVersions: KmipResponses.DiscoverVersions(batchItem.Payload!); break;
                    }
                }
            }
            catch (KmipDecodeException)
            {
            }
        }

        private static byte[] Mutate(byte[] bytes, Random random)
        {
            switch (random.Next(6))
            {
                case 0: // flip 1-4 bits
                    for (var n = random.Next(1, 5); n > 0; n--)
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    return bytes;
                case 1: // truncate
                    return bytes.Take(random.Next(bytes.Length)).ToArray();
                case 2: // corrupt a length field of some item header (offsets 4..7 of an 8-aligned header)
                {
                    var header = random.Next(bytes.Length / 8) * 8;
                    var value = random.Next(4) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFF8u, 2 => (uint)random.Next(0, 64), _ => (uint)random.Next() };
                    if (header + 8 <= bytes.Length)
                    {
                        bytes[header + 4] = (byte)(value >> 24); bytes[header + 5] = (byte)(value >> 16);
                        bytes[header + 6] = (byte)(value >> 8); bytes[header + 7] = (byte)value;
                    }
                    return bytes;
                }
                case 3: // corrupt a type byte
                {
                    var header = random.Next(bytes.Length / 8) * 8;
                    if (header + 8 <= bytes.Length)
                        bytes[header + 3] = (byte)random.Next(0, 16);
                    return bytes;
                }
                case 4: // insert random bytes
                {
                    var list = new List<byte>(bytes);
                    var insert = new byte[random.Next(1, 16)];
                    random.NextBytes(insert);
                    list.InsertRange(random.Next(list.Count), insert);
                    return list.ToArray();
                }
                default: // overwrite a random run
                {
                    var start = random.Next(bytes.Length);
                    var length = Math.Min(random.Next(1, 24), bytes.Length - start);
                    var run = new byte[length];
                    random.NextBytes(run);
                    Array.Copy(run, 0, bytes, start, length);
                    return bytes;
                }
            }
        }
    }
}
