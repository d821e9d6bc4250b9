using System;
using BackPak.Core.Errors;

namespace BackPak.Core.Text
{
    /// <summary>A validated volume label or label wildcard, upper-cased.</summary>
    public sealed class LabelPattern
    {
        internal LabelPattern(string text, bool isWildcard)
        {
            Text = text;
            IsWildcard = isWildcard;
        }

        public string Text { get; }
        public bool IsWildcard { get; }
        public override string ToString() => Text;
    }

    /// <summary>
    /// Volume labels: six characters, upper-case letters and digits (R1; BB p51/49). One place decides what a
    /// well-formed label is, for cmdlets, providers and the lab generator alike.
    /// </summary>
    public static class Labels
    {
        public const int Length = 6;

        public static bool IsLabelChar(char c) => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        public static bool IsValid(string? label)
        {
            if (label == null || label.Length != Length) return false;
            foreach (char c in label) if (!IsLabelChar(c)) return false;
            return true;
        }

        /// <summary>Validates a label and returns it upper-cased, or throws <see cref="ErrorIds.InvalidLabel"/>.</summary>
        public static string Normalize(string? label)
        {
            string up = (label ?? "").Trim().ToUpperInvariant();
            if (!IsValid(up)) throw Invalid(label, "a label is exactly six letters or digits");
            return up;
        }

        /// <summary>
        /// Parses a label or a PowerShell wildcard over labels. A pattern that can never match a six-character
        /// label (too long, too short without '*', characters a label cannot hold) is an error, not an empty result.
        /// </summary>
        public static LabelPattern ParsePattern(string? text)
        {
            string up = (text ?? "").Trim().ToUpperInvariant();
            if (up.Length == 0) throw Invalid(text, "the label is empty");
            if (!Wildcard.IsPattern(up)) return new LabelPattern(Normalize(up), false);

            int fixedPositions = 0;
            bool hasStar = false;
            for (int i = 0; i < up.Length; i++)
            {
                char c = up[i];
                if (c == '*') { hasStar = true; continue; }
                if (c == '?') { fixedPositions++; continue; }
                if (c == '[')
                {
                    int close = up.IndexOf(']', i + 1);
                    if (close < 0 || close == i + 1) throw Invalid(text, "a '[' set is not closed or is empty");
                    for (int k = i + 1; k < close; k++)
                        if (!IsLabelChar(up[k]) && !(up[k] == '-' && k > i + 1 && k < close - 1))
                            throw Invalid(text, "a '[' set may hold only letters, digits and ranges such as [A-F]");
                    fixedPositions++;
                    i = close;
                    continue;
                }
                if (!IsLabelChar(c)) throw Invalid(text, "'" + c + "' cannot appear in a label");
                fixedPositions++;
            }
            if (fixedPositions > Length || (!hasStar && fixedPositions != Length))
                throw Invalid(text, "the pattern can never match a six-character label");
            return new LabelPattern(up, true);
        }

        private static BackPakException Invalid(string? text, string why) =>
            new BackPakException(ErrorIds.InvalidLabel, BackPakErrorCategory.InvalidArgument,
                $"'{text}' is not a valid volume label: {why}.",
                target: text,
                recommendedAction: "Give a six-character label of letters and digits (for example AB1234), or a wildcard such as 'AB1*'.");
    }
}
