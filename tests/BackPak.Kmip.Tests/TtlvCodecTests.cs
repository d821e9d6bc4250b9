using System;
using System.Numerics;
using BackPak.Kmip.Ttlv;
using Xunit;

namespace BackPak.Kmip.Tests
{
    public class TtlvCodecTests
    {
        private const KmipTag SpecTag = (KmipTag)0x420020;

        public static TheoryData<string, string> SpecExamples() => new TheoryData<string, string>
        {
            // KMIP 1.x specification, section 9.1.2 (TTLV encoding examples).
            { "integer 8", "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00" },
            { "long integer 123456789000000000", "42 00 20 | 03 | 00 00 00 08 | 01 B6 9B 4B A5 74 92 00" },
            { "big integer 1234567890000000000000000000", "42 00 20 | 04 | 00 00 00 10 | 00 00 00 00 03 FD 35 EB 6B C2 DF 46 18 08 00 00" },
            { "enumeration 255", "42 00 20 | 05 | 00 00 00 04 | 00 00 00 FF 00 00 00 00" },
            { "boolean true", "42 00 20 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 01" },
            { "text string Hello World", "42 00 20 | 07 | 00 00 00 0B | 48 65 6C 6C 6F 20 57 6F 72 6C 64 00 00 00 00 00" },
            { "byte string 01 02 03", "42 00 20 | 08 | 00 00 00 03 | 01 02 03 00 00 00 00 00" },
            { "date-time 2008-03-14 11:56:40 GMT", "42 00 20 | 09 | 00 00 00 08 | 00 00 00 00 47 DA 67 F8" },
            { "interval 10 days", "42 00 20 | 0A | 00 00 00 04 | 00 0D 2F 00 00 00 00 00" },
            { "structure of enumeration 254 and integer 255",
              "42 00 20 | 01 | 00 00 00 20 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00 | 42 00 05 | 02 | 00 00 00 04 | 00 00 00 FF 00 00 00 00" },
        };

        private static TtlvItem SpecItem(string name) => name switch
        {
            "integer 8" => TtlvItem.Integer(SpecTag, 8),
            "long integer 123456789000000000" => TtlvItem.LongInteger(SpecTag, 123456789000000000),
            "big integer 1234567890000000000000000000" => TtlvItem.BigInteger(SpecTag, BigInteger.Parse("1234567890000000000000000000")),
            "enumeration 255" => TtlvItem.Enumeration(SpecTag, 255),
            "boolean true" => TtlvItem.Boolean(SpecTag, true),
            "text string Hello World" => TtlvItem.TextString(SpecTag, "Hello World"),
            "byte string 01 02 03" => TtlvItem.ByteString(SpecTag, new byte[] { 1, 2, 3 }),
            "date-time 2008-03-14 11:56:40 GMT" => TtlvItem.DateTime(SpecTag, new DateTimeOffset(2008, 3, 14, 11, 56, 40, TimeSpan.Zero)),
            "interval 10 days" => TtlvItem.Interval(SpecTag, 10 * 24 * 3600),
            "structure of enumeration 254 and integer 255" => TtlvItem.Structure(SpecTag,
                TtlvItem.Enumeration((KmipTag)0x420004, 254), TtlvItem.Integer((KmipTag)0x420005, 255)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        [Theory]
        [MemberData(nameof(SpecExamples))]
        public void Encodes_spec_examples(string name, string expectedHex)
        {
            Assert.Equal(Hex.Format(Hex.Parse(expectedHex)), Hex.Format(TtlvEncoder.Encode(SpecItem(name))));
        }

        [Theory]
        [MemberData(nameof(SpecExamples))]
        public void Decodes_spec_examples(string name, string hex)
        {
            var decoded = TtlvDecoder.Decode(Hex.Parse(hex));
            AssertSame(SpecItem(name), decoded);
        }

        public static TheoryData<string> PrimitiveGoldenCases() => new TheoryData<string>
        {
            "integer_8", "integer_minus_1", "long_integer_123456789000000000", "long_integer_minus_2",
            "big_integer_1234567890000000000000000000", "big_integer_minus_1", "big_integer_2_pow_64", "enumeration_256",
            "boolean_true", "boolean_false", "text_string_hello_world", "text_string_eight_chars", "byte_string_010203",
            "date_time_1205495800", "interval_864000",
        };

        private static TtlvItem PrimitiveItem(string name) => name switch
        {
            "integer_8" => TtlvItem.Integer(SpecTag, 8),
            "integer_minus_1" => TtlvItem.Integer(SpecTag, -1),
            "long_integer_123456789000000000" => TtlvItem.LongInteger(SpecTag, 123456789000000000),
            "long_integer_minus_2" => TtlvItem.LongInteger(SpecTag, -2),
            "big_integer_1234567890000000000000000000" => TtlvItem.BigInteger(SpecTag, BigInteger.Parse("1234567890000000000000000000")),
            "big_integer_minus_1" => TtlvItem.BigInteger(SpecTag, BigInteger.MinusOne),
            "big_integer_2_pow_64" => TtlvItem.BigInteger(SpecTag, BigInteger.Pow(2, 64)),
            "enumeration_256" => TtlvItem.Enumeration(SpecTag, 0x100),
            "boolean_true" => TtlvItem.Boolean(SpecTag, true),
            "boolean_false" => TtlvItem.Boolean(SpecTag, false),
            "text_string_hello_world" => TtlvItem.TextString(SpecTag, "Hello World"),
            "text_string_eight_chars" => TtlvItem.TextString(SpecTag, "12345678"),
            "byte_string_010203" => TtlvItem.ByteString(SpecTag, new byte[] { 1, 2, 3 }),
            "date_time_1205495800" => TtlvItem.DateTime(SpecTag, DateTimeOffset.FromUnixTimeSeconds(1205495800)),
            "interval_864000" => TtlvItem.Interval(SpecTag, 864000),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        [Theory]
        [MemberData(nameof(PrimitiveGoldenCases))]
        public void Encodes_like_pykmip(string name)
        {
            Assert.Equal(Hex.Format(Golden.Get(name)), Hex.Format(TtlvEncoder.Encode(PrimitiveItem(name))));
        }

        [Theory]
        [MemberData(nameof(PrimitiveGoldenCases))]
        public void Decodes_pykmip_output(string name)
        {
            AssertSame(PrimitiveItem(name), TtlvDecoder.Decode(Golden.Get(name)));
        }

        [Fact]
        public void Round_trips_edge_values()
        {
            var item = TtlvItem.Structure(KmipTag.RequestPayload,
                TtlvItem.TextString(KmipTag.NameValue, ""),
                TtlvItem.TextString(KmipTag.NameValue, "clé € 鍵"),
                TtlvItem.ByteString(KmipTag.UniqueBatchItemId, new byte[0]),
                TtlvItem.ByteString(KmipTag.UniqueBatchItemId, new byte[8] { 1, 2, 3, 4, 5, 6, 7, 8 }),
                TtlvItem.Integer(KmipTag.BatchCount, int.MinValue),
                TtlvItem.LongInteger(KmipTag.BatchCount, long.MaxValue),
                TtlvItem.BigInteger(KmipTag.BatchCount, BigInteger.Zero),
                TtlvItem.BigInteger(KmipTag.BatchCount, -BigInteger.Pow(2, 63)),
                TtlvItem.BigInteger(KmipTag.BatchCount, BigInteger.Pow(2, 63)),
                TtlvItem.BigInteger(KmipTag.BatchCount, -BigInteger.Pow(2, 64) - 1),
                TtlvItem.Enumeration(KmipTag.State, uint.MaxValue),
                TtlvItem.Interval(KmipTag.State, uint.MaxValue),
                TtlvItem.DateTime(KmipTag.InitialDate, DateTimeOffset.FromUnixTimeSeconds(0)),
                TtlvItem.Structure(KmipTag.Attribute));

            var encoded = TtlvEncoder.Encode(item);
            Assert.Equal(0, encoded.Length % 8);
            AssertSame(item, TtlvDecoder.Decode(encoded));
            Assert.Equal(Hex.Format(encoded), Hex.Format(TtlvEncoder.Encode(TtlvDecoder.Decode(encoded))));
        }

        [Fact]
        public void Big_integer_is_sign_extended_to_a_multiple_of_8_bytes()
        {
            Assert.Equal("4200200400000008FFFFFFFFFFFFFF80", Hex.Format(TtlvEncoder.Encode(TtlvItem.BigInteger(SpecTag, -128))));
            Assert.Equal("42002004000000080000000000000080", Hex.Format(TtlvEncoder.Encode(TtlvItem.BigInteger(SpecTag, 128))));
            Assert.Equal("42002004000000080000000000000000", Hex.Format(TtlvEncoder.Encode(TtlvItem.BigInteger(SpecTag, 0))));
        }

        [Fact]
        public void Unknown_tags_are_kept_as_raw_items()
        {
            var vendor = TtlvItem.Structure(KmipTag.ResponsePayload,
                TtlvItem.TextString((KmipTag)0x540001, "vendor extension"),
                TtlvItem.Integer((KmipTag)0x42FFFF, 7));
            var decoded = TtlvDecoder.Decode(TtlvEncoder.Encode(vendor));
            Assert.Equal((KmipTag)0x540001, decoded.Children[0].Tag);
            Assert.Equal("vendor extension", decoded.Children[0].AsTextString());
            Assert.Equal(7, decoded.Children[1].AsInteger());
            Assert.Contains("0x540001", decoded.ToString());
        }

        [Fact]
        public void Dump_never_shows_byte_string_contents()
        {
            var item = TtlvItem.ByteString((KmipTag)0x420043, new byte[] { 0xDE, 0xAD, 0xBE, 0xEF });
            var text = item.ToString();
            Assert.Contains("<4 bytes>", text);
            Assert.DoesNotContain("DEADBEEF", text.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("222", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Typed_accessor_with_wrong_type_is_a_decode_error()
        {
            var item = TtlvItem.TextString(KmipTag.State, "Active");
            Assert.Throws<KmipDecodeException>(() => item.AsEnumeration());
            Assert.Throws<KmipDecodeException>(() => TtlvItem.Structure(KmipTag.ResponsePayload).Require(KmipTag.UniqueIdentifier));
        }

        internal static void AssertSame(TtlvItem expected, TtlvItem actual)
        {
            Assert.Equal(expected.Tag, actual.Tag);
            Assert.Equal(expected.Type, actual.Type);
            if (expected.Value is byte[] bytes)
                Assert.Equal(bytes, (byte[])actual.Value!);
            else
                Assert.Equal(expected.Value, actual.Value);
            Assert.Equal(expected.Children.Count, actual.Children.Count);
            for (var i = 0; i < expected.Children.Count; i++)
                AssertSame(expected.Children[i], actual.Children[i]);
        }
    }
}
