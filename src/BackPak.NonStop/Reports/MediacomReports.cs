using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BackPak.NonStop.Reports
{
    /// <summary>How a parser treats what it does not know.</summary>
    public enum ReportStrictness
    {
        /// <summary>Unknown lines and unreadable values are kept on the entry and counted; only a cut or miscounted report fails.</summary>
        Tolerant,

        /// <summary>Any unknown line or unreadable value fails at once: the mode for a read that a change will be based on.</summary>
        Strict,
    }

    /// <summary>
    /// Streaming parsers of the MEDIACOM detail reports and change confirmations in docs/nonstop/reports.md. Each
    /// yields an entry as soon as its last line is read, holds one entry at a time, and checks the report's closing
    /// count when the stream ends: a report cut short, or whose count differs from what was read, fails with
    /// NonStopReportMalformed after the entries already yielded (so the caller must not act before the end).
    /// </summary>
    public static class MediacomReports
    {
        private static readonly Regex VolumesReturned = new Regex(@"^\s*(\d+) tape volumes? returned\.?\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex FilesReturned = new Regex(@"^\s*(\d+) tape files? returned\.?\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex DiskFilesReturned = new Regex(@"^\s*(\d+) disk files? returned\.?\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex Changed = new Regex(@"^\s*(\d+) (tape volume|tape file|tape media)s? (deleted|altered)\.?\s*$", RegexOptions.CultureInvariant);

        /// <summary>INFO TAPEVOLUME … DETAIL (MEDIACOM p166, p172).</summary>
        public static IEnumerable<TapeVolumeEntry> TapeVolumes(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics,
            ReportStrictness strictness = ReportStrictness.Tolerant)
        {
            var r = new ReportReader(lines, context, diagnostics);
            try
            {
                TapeVolumeEntry? cur = null;
                TapeVolumeFile? file = null;
                int seen = 0;
                string? line;
                while ((line = r.Next()) != null)
                {
                    if (ReportReader.IsBlank(line))
                    {
                        if (cur != null) { yield return Finish(cur, seen, r, strictness); cur = null; file = null; }
                        continue;
                    }
                    if (Closing(line, VolumesReturned, r, strictness))
                    {
                        if (cur != null) { yield return Finish(cur, seen, r, strictness); cur = null; }
                        continue;
                    }
                    int n = ReportReader.Split(line, out string value);
                    if (n < 0 || diagnostics.Complete)
                    {
                        Unknown(r, cur, line, strictness);
                        continue;
                    }
                    if (ReportReader.Is(line, n, "Tape Name"))
                    {
                        if (cur != null) yield return Finish(cur, seen, r, strictness);
                        cur = new TapeVolumeEntry(value, r.LineNumber);
                        diagnostics.EntriesRead++;
                        file = null;
                        seen = 1;
                        if (value.Length == 0) Problem(r, cur, "Tape Name has no value", strictness);
                        continue;
                    }
                    if (cur == null) { Unknown(r, null, line, strictness); continue; }
                    string label = TapeVolumeLabel(line, n);
                    switch (label)
                    {
                        case "Volume Catalog": if (Once(ref seen, 2, r, cur, label, strictness)) cur.VolumeCatalog = value; break;
                        case "Pool Name": if (Once(ref seen, 4, r, cur, label, strictness)) cur.Pool = value; break;
                        case "Label Type": if (Once(ref seen, 8, r, cur, label, strictness)) cur.LabelType = value; break;
                        case "Tape Type": if (Once(ref seen, 16, r, cur, label, strictness)) cur.TapeType = value; break;
                        case "Density": if (Once(ref seen, 32, r, cur, label, strictness)) cur.Density = value; break;
                        case "Status":
                            if (Once(ref seen, 64, r, cur, label, strictness))
                            {
                                cur.StatusText = value;
                                cur.Status = TapeStatus(value);
                                if (cur.Status == DsmTapeStatus.Unknown) Problem(r, cur, $"Status '{value}' is not a documented tape status", strictness);
                            }
                            break;
                        case "Tape Format": if (Once(ref seen, 128, r, cur, label, strictness)) cur.TapeFormat = value; break;
                        case "File Catalog": file = cur.AddFile(value); break;
                        case "Tape File":
                        case "Generation":
                        case "Version":
                        case "File Status":
                            if (file == null) { Problem(r, cur, $"{label} appears before any File Catalog", strictness); break; }
                            FileItem(r, cur, file, label, value, ref file.Seen, strictness);
                            break;
                        default: Unknown(r, cur, line, strictness); break;
                    }
                }
                if (cur != null) yield return Finish(cur, seen, r, strictness);
                CheckEnd(r, "tape volumes");
            }
            finally { r.Dispose(); }
        }

        /// <summary>INFO TAPEFILE … DETAIL.</summary>
        public static IEnumerable<TapeFileEntry> TapeFiles(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics,
            ReportStrictness strictness = ReportStrictness.Tolerant)
        {
            var r = new ReportReader(lines, context, diagnostics);
            try
            {
                TapeFileEntry? cur = null;
                int seen = 0;
                string? line;
                while ((line = r.Next()) != null)
                {
                    if (ReportReader.IsBlank(line))
                    {
                        if (cur != null) { yield return FinishFile(cur, seen, r, strictness); cur = null; }
                        continue;
                    }
                    if (Closing(line, FilesReturned, r, strictness))
                    {
                        if (cur != null) { yield return FinishFile(cur, seen, r, strictness); cur = null; }
                        continue;
                    }
                    if (!ReportReader.TrySplit(line, out string label, out string value) || diagnostics.Complete) { Unknown(r, cur, line, strictness); continue; }
                    if (label == "File Catalog")
                    {
                        if (cur != null) yield return FinishFile(cur, seen, r, strictness);
                        cur = new TapeFileEntry(value, r.LineNumber);
                        diagnostics.EntriesRead++;
                        seen = 1;
                        continue;
                    }
                    if (cur == null) { Unknown(r, null, line, strictness); continue; }
                    switch (label)
                    {
                        case "Tape File": if (Once(ref seen, 2, r, cur, label, strictness)) cur.TapeFileId = value; break;
                        case "Generation": if (Once(ref seen, 4, r, cur, label, strictness)) cur.Generation = Number(r, cur, label, value, strictness); break;
                        case "Version": if (Once(ref seen, 8, r, cur, label, strictness)) cur.Version = Number(r, cur, label, value, strictness); break;
                        case "Expiration": if (Once(ref seen, 16, r, cur, label, strictness)) cur.Expiration = value; break;
                        case "File Status":
                            if (Once(ref seen, 32, r, cur, label, strictness))
                            {
                                cur.StatusText = value;
                                cur.Status = FileStatus(value);
                                if (cur.Status == DsmFileStatus.Unknown) Problem(r, cur, $"File Status '{value}' is not VALID or INVALID", strictness);
                            }
                            break;
                        case "Tape Name": cur.AddTape(value); break;
                        default: Unknown(r, cur, line, strictness); break;
                    }
                }
                if (cur != null) yield return FinishFile(cur, seen, r, strictness);
                CheckEnd(r, "tape files");
            }
            finally { r.Dispose(); }
        }

        /// <summary>INFO DISKFILE … DETAIL.</summary>
        public static IEnumerable<DiskFileEntry> DiskFiles(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics,
            ReportStrictness strictness = ReportStrictness.Tolerant)
        {
            var r = new ReportReader(lines, context, diagnostics);
            try
            {
                DiskFileEntry? cur = null;
                int seen = 0;
                string? line;
                while ((line = r.Next()) != null)
                {
                    if (ReportReader.IsBlank(line))
                    {
                        if (cur != null) { yield return FinishDisk(cur, seen, r, strictness); cur = null; }
                        continue;
                    }
                    if (Closing(line, DiskFilesReturned, r, strictness))
                    {
                        if (cur != null) { yield return FinishDisk(cur, seen, r, strictness); cur = null; }
                        continue;
                    }
                    if (!ReportReader.TrySplit(line, out string label, out string value) || diagnostics.Complete) { Unknown(r, cur, line, strictness); continue; }
                    if (label == "Disk File")
                    {
                        if (cur != null) yield return FinishDisk(cur, seen, r, strictness);
                        cur = new DiskFileEntry(value, r.LineNumber);
                        diagnostics.EntriesRead++;
                        seen = 1;
                        continue;
                    }
                    if (cur == null) { Unknown(r, null, line, strictness); continue; }
                    switch (label)
                    {
                        case "File Catalog": if (Once(ref seen, 2, r, cur, label, strictness)) cur.FileCatalog = value; break;
                        case "Tape File": if (Once(ref seen, 4, r, cur, label, strictness)) cur.TapeFileId = value; break;
                        case "Generation": if (Once(ref seen, 8, r, cur, label, strictness)) cur.Generation = Number(r, cur, label, value, strictness); break;
                        case "Version": if (Once(ref seen, 16, r, cur, label, strictness)) cur.Version = Number(r, cur, label, value, strictness); break;
                        default: Unknown(r, cur, line, strictness); break;
                    }
                }
                if (cur != null) yield return FinishDisk(cur, seen, r, strictness);
                CheckEnd(r, "disk files");
            }
            finally { r.Dispose(); }
        }

        /// <summary>
        /// The answer to ALTER TAPEVOLUME, DELETE TAPEFILE or DELETE TAPEVOLUME: exactly one confirmation line
        /// ("1 tape volume deleted."). No confirmation means the outcome is unknown, which fails as malformed.
        /// </summary>
        public static ChangeConfirmation Change(IEnumerable<string> lines, CommandContext context, ReportDiagnostics diagnostics)
        {
            var r = new ReportReader(lines, context, diagnostics);
            try
            {
                ChangeConfirmation? found = null;
                var other = new List<string>();
                string? line;
                while ((line = r.Next()) != null)
                {
                    if (ReportReader.IsBlank(line)) continue;
                    var m = Changed.Match(line);
                    if (m.Success && found == null)
                    {
                        found = new ChangeConfirmation(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value, other);
                        continue;
                    }
                    diagnostics.Unknown(new UnknownLine(r.LineNumber, line, null));
                    if (other.Count < ReportDiagnostics.Kept) other.Add(line);
                }
                if (found == null) throw r.Malformed("no confirmation line ('1 tape volume deleted.') was received, so whether the change was made is unknown");
                diagnostics.Complete = true;
                diagnostics.EntriesRead = found.Count;
                return found;
            }
            finally { r.Dispose(); }
        }

        private static readonly string[] TapeVolumeLabels =
            { "Volume Catalog", "Pool Name", "Label Type", "Tape Type", "Density", "Status", "Tape Format", "File Catalog", "Tape File", "Generation", "Version", "File Status" };

        // The documented label the line starts with (a shared constant, so the switch compares references first), or "".
        private static string TapeVolumeLabel(string line, int length)
        {
            foreach (string l in TapeVolumeLabels) if (ReportReader.Is(line, length, l)) return l;
            return "";
        }

        internal static DsmTapeStatus TapeStatus(string v)
        {
            switch (v)
            {
                case "ASSIGNED": return DsmTapeStatus.Assigned;
                case "BAD": return DsmTapeStatus.Bad;
                case "INUSE": return DsmTapeStatus.InUse;
                case "RELEASED": return DsmTapeStatus.Released;
                case "SELECTED": return DsmTapeStatus.Selected;
                case "SCRATCH": return DsmTapeStatus.Scratch;
                case "FULL": return DsmTapeStatus.Full;
                default: return DsmTapeStatus.Unknown;
            }
        }

        private static DsmFileStatus FileStatus(string v) => v == "VALID" ? DsmFileStatus.Valid : v == "INVALID" ? DsmFileStatus.Invalid : DsmFileStatus.Unknown;

        private static void FileItem(ReportReader r, TapeVolumeEntry cur, TapeVolumeFile file, string label, string value, ref int seen, ReportStrictness s)
        {
            switch (label)
            {
                case "Tape File": if (Once(ref seen, 1, r, cur, label, s)) file.TapeFileId = value; break;
                case "Generation": if (Once(ref seen, 2, r, cur, label, s)) file.Generation = Number(r, cur, label, value, s); break;
                case "Version": if (Once(ref seen, 4, r, cur, label, s)) file.Version = Number(r, cur, label, value, s); break;
                default:
                    if (Once(ref seen, 8, r, cur, label, s))
                    {
                        file.StatusText = value;
                        file.Status = FileStatus(value);
                        if (file.Status == DsmFileStatus.Unknown) Problem(r, cur, $"File Status '{value}' is not VALID or INVALID", s);
                    }
                    break;
            }
        }

        private static TapeVolumeEntry Finish(TapeVolumeEntry e, int seen, ReportReader r, ReportStrictness s)
        {
            if ((seen & 64) == 0) Problem(r, e, "the entry has no Status", s);
            if ((seen & 2) == 0) Problem(r, e, "the entry has no Volume Catalog", s);
            if ((seen & 4) == 0) Problem(r, e, "the entry has no Pool Name", s);
            foreach (var f in e.Files)
                if ((f.Seen & 7) != 7) { Problem(r, e, $"a file of {f.FileCatalog} lacks its Tape File, Generation or Version", s); break; }
            return e;
        }

        private static TapeFileEntry FinishFile(TapeFileEntry e, int seen, ReportReader r, ReportStrictness s)
        {
            if ((seen & 2) == 0) Problem(r, e, "the entry has no Tape File", s);
            if ((seen & 4) == 0 || (seen & 8) == 0) Problem(r, e, "the entry lacks its Generation or Version", s);
            return e;
        }

        private static DiskFileEntry FinishDisk(DiskFileEntry e, int seen, ReportReader r, ReportStrictness s)
        {
            if ((seen & 4) == 0) Problem(r, e, "the entry has no Tape File", s);
            return e;
        }

        private static bool Closing(string line, Regex closing, ReportReader r, ReportStrictness s)
        {
            if (!ReportReader.StartsWithDigit(line)) return false;
            var m = closing.Match(line);
            if (!m.Success) return false;
            if (r.Diagnostics.Complete) { Unknown(r, null, line, s); return true; }
            r.Diagnostics.DeclaredCount = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            r.Diagnostics.Complete = true;
            return true;
        }

        private static void CheckEnd(ReportReader r, string what)
        {
            var d = r.Diagnostics;
            if (!d.Complete) throw r.Malformed($"the closing line ('N {what} returned.') is missing, so the report was cut after {d.EntriesRead} entries");
            if (d.DeclaredCount != d.EntriesRead) throw r.Malformed($"the report declares {d.DeclaredCount} {what} but holds {d.EntriesRead}");
        }

        private static bool Once(ref int seen, int bit, ReportReader r, ReportEntry e, string label, ReportStrictness s)
        {
            if ((seen & bit) != 0) { Problem(r, e, $"{label} appears twice in one entry", s); return false; }
            seen |= bit;
            return true;
        }

        private static int? Number(ReportReader r, ReportEntry e, string label, string value, ReportStrictness s)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)) return n;
            Problem(r, e, $"{label} '{value}' is not a number", s);
            return null;
        }

        internal static void Unknown(ReportReader r, ReportEntry? e, string line, ReportStrictness s)
        {
            if (s == ReportStrictness.Strict) throw r.Malformed($"line {r.LineNumber} ('{NonStopErrors.Show(line)}') is not in the documented layout");
            var u = new UnknownLine(r.LineNumber, line, Key(e));
            r.Diagnostics.Unknown(u);
            e?.AddUnknown(u);
        }

        internal static void Problem(ReportReader r, ReportEntry e, string text, ReportStrictness s)
        {
            string full = $"line {r.LineNumber} ({Key(e)}): {text}";
            if (s == ReportStrictness.Strict) throw r.Malformed(full);
            r.Diagnostics.Problem(full);
            e.AddProblem(text);
        }

        private static string? Key(ReportEntry? e) =>
            e is TapeVolumeEntry v ? v.TapeName : e is TapeFileEntry f ? f.TapeFileId ?? f.FileCatalog : e is DiskFileEntry d ? d.Name : e is TmfTapeMediaEntry t ? t.Name : null;
    }
}
