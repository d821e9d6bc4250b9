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
            var m = ErrorLine.Match(line);
            if (m.Success)
            {
                int? number = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
                throw new NonStopCommandException(_context.Node, _context.Program, number, m.Groups[2].Value.Trim(), _context.Command, KnownErrors.Hint(_context.Program, number));
            }
            return line;
        }

        public void Dispose() => _lines.Dispose();

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
