using System.Collections.Generic;

namespace BackPak.NonStop.Reports
{
    /// <summary>A line a parser did not recognise, kept as it was received (never guessed at).</summary>
    public sealed class UnknownLine
    {
        public UnknownLine(long lineNumber, string text, string? entry)
        {
            LineNumber = lineNumber;
            Text = text;
            Entry = entry;
        }

        public long LineNumber { get; }
        public string Text { get; }

        /// <summary>The entry it appeared in (a label, a file id), or null outside any entry.</summary>
        public string? Entry { get; }

        public override string ToString() => $"line {LineNumber}: {Text}";
    }

    /// <summary>
    /// What a parser noticed in a report as it streamed: counts of everything, and the first
    /// <see cref="Kept"/> unknown lines and problems themselves, so a huge odd report stays in bounded memory.
    /// </summary>
    public sealed class ReportDiagnostics
    {
        /// <summary>How many unknown lines and problems are kept as text; the rest are only counted.</summary>
        public const int Kept = 100;

        private readonly List<UnknownLine> _unknown = new List<UnknownLine>();
        private readonly List<string> _problems = new List<string>();

        public long LinesRead { get; internal set; }
        public long EntriesRead { get; internal set; }

        /// <summary>The count the report's closing line declared, when it has one.</summary>
        public long? DeclaredCount { get; internal set; }

        /// <summary>True once the report was read to its documented end (closing line, or end of stream where none is documented).</summary>
        public bool Complete { get; internal set; }

        public long UnknownLineCount { get; private set; }
        public IReadOnlyList<UnknownLine> UnknownLines => _unknown;
        public long ProblemCount { get; private set; }
        public IReadOnlyList<string> Problems => _problems;

        internal void Unknown(UnknownLine line)
        {
            UnknownLineCount++;
            if (_unknown.Count < Kept) _unknown.Add(line);
        }

        internal void Problem(string text)
        {
            ProblemCount++;
            if (_problems.Count < Kept) _problems.Add(text);
        }
    }
}
