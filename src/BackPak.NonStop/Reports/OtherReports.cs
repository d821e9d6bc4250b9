using System;
using System.Collections.Generic;

namespace BackPak.NonStop.Reports
{
    /// <summary>
    /// TMFCOM INFO TAPEMEDIA: a heading line, then one line per tape volume, its name and status
    /// (docs/nonstop/reports.md; the layout is inferred: the stored pages give the statuses, TMF Management
    /// Programming p177, not the display). TMFCOM prints no closing count, so a cut report cannot be told from a
    /// short one: a caller that changes anything must read the entry it acts on again.
    /// </summary>
    public static class TmfReports
    {
        public static IEnumerable<TmfTapeMediaEntry> TapeMedia(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics,
            ReportStrictness strictness = ReportStrictness.Tolerant)
        {
            var r = new ReportReader(lines, context, diagnostics);
            try
            {
                bool heading = false;
                string? line;
                while ((line = r.Next()) != null)
                {
                    if (line.Trim().Length == 0) continue;
                    string[] w = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    if (!heading)
                    {
                        if (w.Length == 3 && w[0] == "Tape" && w[1] == "Media" && w[2] == "Status") { heading = true; continue; }
                        throw r.Malformed($"the report does not start with its heading 'Tape Media  Status' (line {r.LineNumber}: '{NonStopErrors.Show(line)}')");
                    }
                    if (w.Length != 2) { MediacomReports.Unknown(r, null, line, strictness); continue; }
                    var status = Status(w[1]);
                    var e = new TmfTapeMediaEntry(w[0], w[1], status, r.LineNumber);
                    diagnostics.EntriesRead++;
                    if (status == TmfMediaStatus.Unknown) MediacomReports.Problem(r, e, $"status '{w[1]}' is not a documented TMF media status", strictness);
                    yield return e;
                }
                if (!heading) throw r.Malformed("the report is empty: not even its heading was received");
                diagnostics.Complete = true;
            }
            finally { r.Dispose(); }
        }

        private static TmfMediaStatus Status(string v)
        {
            switch (v)
            {
                case "ASSIGNED": return TmfMediaStatus.Assigned;
                case "RELEASED": return TmfMediaStatus.Released;
                case "SCRATCH": return TmfMediaStatus.Scratch;
                case "BAD": return TmfMediaStatus.Bad;
                case "INPROCESS": return TmfMediaStatus.InProcess;
                default: return TmfMediaStatus.Unknown;
            }
        }
    }

    /// <summary>
    /// The BackPak macros (BB027_IMPORT_CATALOG, the OBB017 macros): what they print is not in the stored pages, so
    /// every line is kept as a message and none is interpreted; an error line fails as NonStopCommandFailed. That a
    /// macro ran says nothing of its result: an import is verified by reading the catalogs afterwards.
    /// </summary>
    public static class MacroReports
    {
        public static MacroOutcome Run(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics)
        {
            var r = new ReportReader(lines, context, diagnostics);
            try
            {
                var messages = new List<string>();
                long count = 0;
                string? line;
                while ((line = r.Next()) != null)
                {
                    if (line.Trim().Length == 0) continue;
                    count++;
                    if (messages.Count < ReportDiagnostics.Kept) messages.Add(line);
                }
                diagnostics.Complete = true;
                return new MacroOutcome(messages, count);
            }
            finally { r.Dispose(); }
        }
    }
}
