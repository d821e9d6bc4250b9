using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using BackPak.NonStop.Commands;

namespace BackPak.NonStop.Reports
{
    /// <summary>
    /// The line-level reading shared by every report: numbering, the error lines of MEDIACOM, TMFCOM and the macros
    /// (turned into a <see cref="NonStopCommandException"/> at once), and splitting a detail line into its item
    /// label and value ("Tape Name           AB1234", docs/nonstop/reports.md).
    /// </summary>
    internal sealed class ReportReader
    {
        // **ERROR-5048** text (CS p11); tolerant of the spacing and star counts of other programs' error lines.
        private static readonly Regex ErrorLine = new Regex(@"^\s*\*{1,3}\s*ERROR[- ]?(\d+)?\s*\**\s*[:.-]?\s*(.*)$", RegexOptions.CultureInvariant);

        private readonly IEnumerator<string> _lines;
        private readonly CommandContext _context;

        public ReportReader(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics)
        {
            _lines = lines.GetEnumerator();
            _context = context;
            Diagnostics = diagnostics;
        }

        public ReportDiagnostics Diagnostics { get; }
        public long LineNumber { get; private set; }

        /// <summary>The next line, or null at the end. An error line throws the program's typed error.</summary>
        public string? Next()
        {
            if (!_lines.MoveNext()) return null;
            LineNumber++;
            Diagnostics.LinesRead = LineNumber;
            string line = _lines.Current;
            // Error lines start with '*' (after spaces): test that before the regex, which most lines never need.
            if (!StartsWithStar(line)) return line;
            var m = ErrorLine.Match(line);
            if (m.Success)
            {
                int? number = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
                throw new NonStopCommandException(_context.Node, _context.Program, number, m.Groups[2].Value.Trim(), _context.Command, KnownErrors.Hint(_context.Program, number));
            }
            return line;
        }

        public void Dispose() => _lines.Dispose();

        private static bool StartsWithStar(string line)
        {
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '*') return true;
                if (line[i] != ' ') return false;
            }
            return false;
        }

        /// <summary>True for an empty line or one of spaces only (without allocating, as Trim would).</summary>
        public static bool IsBlank(string line)
        {
            for (int i = 0; i < line.Length; i++) if (line[i] != ' ' && line[i] != '\t') return false;
            return true;
        }

        /// <summary>True when the line's first non-space character is a digit (closing lines such as "3 tape volumes returned.").</summary>
        public static bool StartsWithDigit(string line)
        {
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] >= '0' && line[i] <= '9') return true;
                if (line[i] != ' ') return false;
            }
            return false;
        }

        /// <summary>
        /// Splits a detail line without allocating the label: returns the label's length (the text before the first
        /// two spaces) and the value, or -1 for a line that starts with a space. Labels are then compared in place.
        /// </summary>
        public static int Split(string line, out string value)
        {
            value = "";
            if (line.Length == 0 || line[0] == ' ') return -1;
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            if (gap < 0)
            {
                int end = line.Length;
                while (end > 0 && line[end - 1] == ' ') end--;
                return end;
            }
            int v = gap;
            while (v < line.Length && line[v] == ' ') v++;
            int e = line.Length;
            while (e > v && line[e - 1] == ' ') e--;
            value = e > v ? Common(line, v, e - v) : "";
            return gap;
        }

        /// <summary>True when the first <paramref name="length"/> characters of the line are exactly <paramref name="label"/>.</summary>
        public static bool Is(string line, int length, string label) =>
            length == label.Length && string.CompareOrdinal(line, 0, label, 0, length) == 0;

        // Values repeated on every entry (statuses, label types, formats) are returned as one shared string each.
        private static readonly string[] CommonValues = { "ASSIGNED", "SCRATCH", "RELEASED", "BAD", "INUSE", "SELECTED", "FULL", "VALID", "INVALID", "ANSI", "BACKUP", "IBM", "NONBACKUP", "ARCHIVE", "LONGNAME", "CART3480", "1", "0" };

        private static string Common(string line, int start, int length)
        {
            foreach (string c in CommonValues)
                if (c.Length == length && string.CompareOrdinal(line, start, c, 0, length) == 0) return c;
            return line.Substring(start, length);
        }

        /// <summary>Splits "Label, two or more spaces, value" (or a lone label with an empty value).</summary>
        public static bool TrySplit(string line, out string label, out string value)
        {
            label = value = "";
            if (line.Length == 0 || line[0] == ' ') return false;
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            if (gap < 0)
            {
                label = line.TrimEnd();
                return true;
            }
            label = line.Substring(0, gap);
            value = line.Substring(gap).Trim();
            return true;
        }

        public Exception Malformed(string why) => NonStopErrors.ReportMalformed(_context.Node, _context.Command, why);
    }

    /// <summary>What a parser needs to know of the command whose report it reads (for messages and typed errors).</summary>
    public sealed class CommandContext
    {
        public CommandContext(string node, NonStopCommand command)
        {
            Node = node;
            Program = command.Program;
            Command = command.TaclLine;
        }

        public string Node { get; }
        public CommandProgram Program { get; }
        public string Command { get; }
    }

    /// <summary>The error numbers whose meaning the stored pages give.</summary>
    internal static class KnownErrors
    {
        public static string Hint(CommandProgram program, int? number)
        {
            if (program == CommandProgram.Mediacom && number == 5048)
                return "a name MEDIACOM does not accept, such as a DISKFILE name whose node this system does not know; see CS p11 for the node-name replacement";
            if (program == CommandProgram.Tmfcom && number == 266)
                return "this TMFCOM command must be entered through a TMFCOM whose home terminal is local to the node, TMF Reference p77";
            return "";
        }
    }
}
