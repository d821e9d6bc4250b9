using System;
using System.Text;

namespace BackPak.Core.Text
{
    /// <summary>
    /// PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>) without a PowerShell dependency,
    /// so providers can push them down into their stores.
    /// </summary>
    public static class Wildcard
    {
        public static bool IsPattern(string? text) =>
            text != null && text.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        /// <summary>Case-insensitive match of a whole string against a wildcard pattern.</summary>
        public static bool Matches(string pattern, string value) => Match(pattern, 0, value, 0);

        private static bool Match(string p, int pi, string v, int vi)
        {
            while (pi < p.Length)
            {
                char c = p[pi];
                if (c == '*')
                {
                    while (pi < p.Length && p[pi] == '*') pi++;
                    if (pi == p.Length) return true;
                    for (int k = vi; k <= v.Length; k++)
                        if (Match(p, pi, v, k)) return true;
                    return false;
                }
                if (vi >= v.Length) return false;
                if (c == '?') { pi++; vi++; continue; }
                if (c == '[')
                {
                    int close = p.IndexOf(']', pi + 1);
                    if (close < 0) throw new FormatException("Unclosed '[' in wildcard pattern '" + p + "'.");
                    if (!SetContains(p, pi + 1, close, v[vi])) return false;
                    pi = close + 1; vi++;
                    continue;
                }
                if (char.ToUpperInvariant(c) != char.ToUpperInvariant(v[vi])) return false;
                pi++; vi++;
            }
            return vi == v.Length;
        }

        private static bool SetContains(string p, int start, int end, char ch)
        {
            char u = char.ToUpperInvariant(ch);
            for (int i = start; i < end; i++)
            {
                char lo = char.ToUpperInvariant(p[i]);
                if (i + 2 < end && p[i + 1] == '-')
                {
                    char hi = char.ToUpperInvariant(p[i + 2]);
                    if (u >= lo && u <= hi) return true;
                    i += 2;
                }
                else if (u == lo) return true;
            }
            return false;
        }
    }
}
