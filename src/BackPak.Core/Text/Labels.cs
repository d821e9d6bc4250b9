using System;
using System.Collections.Generic;
using System.Linq;
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

        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

        /// <summary>
        /// Whether the patterns together match every possible label (<c>*</c>, <c>??????</c>, <c>[A-Z0-9]*</c>, or
        /// <c>[A-M]*</c> with <c>[N-Z0-9]*</c>...), decided exactly over the 36^6 labels, not by looking for a star:
        /// a removal that selects that much must name its data store.
        /// </summary>
        public static bool MatchesEveryLabel(IEnumerable<LabelPattern> patterns)
        {
            // Each pattern as a list of steps: null is '*', else the set of label characters that position accepts.
            var compiled = patterns.Where(p => p.IsWildcard).Select(p => Steps(p.Text)).ToList();
            if (compiled.Count == 0) return false;
            // Subset simulation of the patterns' automaton over all strings of six label characters: every set of
            // states reached must stay non-empty, and after six characters each must hold an accepting state.
            var level = new Dictionary<string, List<(int P, int K)>>();
            var start = Close(compiled, Enumerable.Range(0, compiled.Count).Select(i => (i, 0)));
            level[Key(start)] = start;
            for (int depth = 0; depth < Length; depth++)
            {
                var next = new Dictionary<string, List<(int P, int K)>>();
                foreach (var states in level.Values)
                    foreach (char c in Alphabet)
                    {
                        var moved = new List<(int, int)>();
                        foreach (var (pi, k) in states)
                        {
                            var steps = compiled[pi];
                            if (k >= steps.Count) continue;
                            if (steps[k] == null) moved.Add((pi, k));
                            else if (steps[k]!.Contains(c)) moved.Add((pi, k + 1));
                        }
                        var closed = Close(compiled, moved);
                        if (closed.Count == 0) return false; // some label falls outside every pattern
                        next[Key(closed)] = closed;
                    }
                level = next;
            }
            return level.Values.All(states => states.Any(s => s.K == compiled[s.P].Count));
        }

        private static List<HashSet<char>?> Steps(string pattern)
        {
            var steps = new List<HashSet<char>?>();
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '*') steps.Add(null);
                else if (c == '?') steps.Add(new HashSet<char>(Alphabet));
                else if (c == '[')
                {
                    int close = pattern.IndexOf(']', i + 1);
                    steps.Add(new HashSet<char>(Alphabet.Where(a => Wildcard.Matches(pattern.Substring(i, close - i + 1), a.ToString()))));
                    i = close;
                }
                else steps.Add(new HashSet<char> { c });
            }
            return steps;
        }

        /// <summary>Adds the states reached by letting each '*' match nothing.</summary>
        private static List<(int P, int K)> Close(List<List<HashSet<char>?>> compiled, IEnumerable<(int P, int K)> states)
        {
            var set = new HashSet<(int, int)>();
            var todo = new Stack<(int P, int K)>(states);
            while (todo.Count > 0)
            {
                var s = todo.Pop();
                if (!set.Add(s)) continue;
                if (s.K < compiled[s.P].Count && compiled[s.P][s.K] == null) todo.Push((s.P, s.K + 1));
            }
            return set.OrderBy(s => s.Item1).ThenBy(s => s.Item2).ToList();
        }

        private static string Key(List<(int P, int K)> states) => string.Join(";", states.Select(s => s.P + "," + s.K));

        private static BackPakException Invalid(string? text, string why) =>
            new BackPakException(ErrorIds.InvalidLabel, BackPakErrorCategory.InvalidArgument,
                $"'{text}' is not a valid volume label: {why}.",
                target: text,
                recommendedAction: "Give a six-character label of letters and digits (for example AB1234), or a wildcard such as 'AB1*'.");
    }
}
