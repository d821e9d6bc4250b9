using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BackPak.Kmip.Tests
{
    internal static class Hex
    {
        /// <summary>Parses hex as the KMIP spec prints it ("42 00 20 | 02 | ..."): spaces and bars are ignored.</summary>
        public static byte[] Parse(string text)
        {
            var digits = new string(text.Where(Uri.IsHexDigit).ToArray());
            return Convert.FromHexString(digits);
        }

        public static string Format(byte[] bytes) => Convert.ToHexString(bytes);
    }

    /// <summary>Encodings produced by PyKMIP's kmip.core (tests/kmip/golden/generate_golden.py).</summary>
    internal static class Golden
    {
        private static readonly Lazy<Dictionary<string, byte[]>> Cases = new Lazy<Dictionary<string, byte[]>>(Load);

        public static byte[] Get(string name) =>
            Cases.Value.TryGetValue(name, out var bytes) ? (byte[])bytes.Clone() : throw new KeyNotFoundException($"No golden case '{name}'.");

        public static IEnumerable<string> Names => Cases.Value.Keys;

        private static Dictionary<string, byte[]> Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "golden", "pykmip-golden.txt");
            return File.ReadAllLines(path)
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .Select(line => line.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => Hex.Parse(parts[1]));
        }
    }
}
