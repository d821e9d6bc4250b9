using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Model;

namespace BackPak.Core.Audit
{
    /// <summary>
    /// One operation told for a change ticket: who ran which command, where (the nodes), when (ISO 8601 UTC), what it
    /// changed, what was refused, and how it ended. Made from the operation's audit records on every domain it touched.
    /// </summary>
    public sealed class ChangeRecord
    {
        private ChangeRecord(IReadOnlyList<AuditRecord> records) { Records = records; }

        public string OperationId { get; private set; } = "";
        /// <summary>The command (Remove-BPDataStore), from the operation's Start records.</summary>
        public string Command { get; private set; } = "";
        /// <summary>How it was called (its parameters, never a secret).</summary>
        public string? Parameters { get; private set; }
        public string User { get; private set; } = "";
        public string Host { get; private set; } = "";
        /// <summary>The nodes whose domains it recorded something in.</summary>
        public IReadOnlyList<string> Nodes { get; private set; } = Array.Empty<string>();
        /// <summary>When it started (its first record), by the domain's clock, UTC.</summary>
        public DateTime Started { get; private set; }
        /// <summary>When it ended (its last End record), or null when no End record is among the records.</summary>
        public DateTime? Ended { get; private set; }
        /// <summary>
        /// Succeeded, Failed or Stopped (the worst of its End records); Unfinished when a domain has its Start but no End
        /// (it is still running, or its process was killed: running the same command again completes it).
        /// </summary>
        public string Outcome { get; private set; } = "";
        /// <summary>What the End records say, per node ("\A: 486 change(s), 0 refusal(s)").</summary>
        public string? Summary { get; private set; }
        public int ChangeCount => Changes.Count;
        public int RefusalCount => Refusals.Count;
        /// <summary>Every record, oldest first.</summary>
        public IReadOnlyList<AuditRecord> Records { get; }
        public IReadOnlyList<AuditRecord> Changes => Records.Where(r => r.Kind == AuditKind.Change).ToList();
        public IReadOnlyList<AuditRecord> Refusals => Records.Where(r => r.Kind == AuditKind.Refusal).ToList();

        /// <summary>
        /// The change record of the operation these records belong to. Refused (ChangeRecordNotWritten) when they are none,
        /// belong to no operation (records older than operation ids) or to more than one.
        /// </summary>
        public static ChangeRecord From(IEnumerable<AuditRecord> records)
        {
            var list = records.OrderBy(r => r.At).ThenBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
            if (list.Count == 0)
                throw NotWritten("there are no audit records to write it from", "Give -OperationId, or pipe the records of one operation (Get-BPAuditRecord -OperationId <id>).");
            var ids = list.Select(r => r.OperationId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (ids.Count > 1 || ids[0].Length == 0)
                throw NotWritten(ids.Any(i => i.Length == 0)
                        ? "some of the records belong to no operation (they were written before operation ids)"
                        : $"the records belong to {ids.Count} operations ({string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", ..." : "")}): a change record tells one",
                    "Select the records of one operation: Get-BPAuditRecord -OperationId <id> | Export-BPChangeRecord -Path <file>.");
            var starts = list.Where(r => r.Kind == AuditKind.Start).ToList();
            var ends = list.Where(r => r.Kind == AuditKind.End).ToList();
            var first = starts.FirstOrDefault() ?? list[0];
            var nodes = list.Select(r => r.Node).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            bool unfinished = nodes.Any(n => !ends.Any(e => string.Equals(e.Node, n, StringComparison.OrdinalIgnoreCase)));
            string outcome = unfinished ? "Unfinished"
                : ends.Any(e => e.Result == nameof(OperationOutcome.Failed)) ? nameof(OperationOutcome.Failed)
                : ends.Any(e => e.Result == nameof(OperationOutcome.Stopped)) ? nameof(OperationOutcome.Stopped)
                : nameof(OperationOutcome.Succeeded);
            return new ChangeRecord(list)
            {
                OperationId = ids[0],
                Command = starts.Count > 0 ? first.Action : ends.FirstOrDefault()?.Action ?? "",
                Parameters = starts.Select(s => s.Detail).FirstOrDefault(d => !string.IsNullOrEmpty(d)),
                User = first.User,
                Host = first.Host,
                Nodes = nodes,
                Started = list[0].At,
                Ended = ends.Count > 0 && !unfinished ? ends.Max(e => e.At) : (DateTime?)null,
                Outcome = outcome,
                Summary = ends.Count == 0 ? null : string.Join("; ", ends.Select(e => $"{e.Node}: {e.Result}" + (string.IsNullOrEmpty(e.Detail) ? "" : ", " + e.Detail))),
            };
        }

        public override string ToString() => $"{OperationId} {Command} {Outcome}: {ChangeCount} change(s), {RefusalCount} refusal(s)";

        internal static BackPakException NotWritten(string why, string what, object? target = null, Exception? inner = null) =>
            new BackPakException(ErrorIds.ChangeRecordNotWritten, BackPakErrorCategory.InvalidArgument,
                "The change record was not written: " + why + ".", target, what, stopsInvocation: true, inner);
    }

    /// <summary>The formats a change record is written in, chosen by the file's extension.</summary>
    public enum ChangeRecordFormat
    {
        Markdown,
        Json,
        Csv,
    }

    /// <summary>Writes a change record as Markdown (for a ticket), JSON or CSV (both read back by ConvertFrom-Json and Import-Csv).</summary>
    public static class ChangeRecordWriter
    {
        /// <summary>The format a path's extension names (.md, .markdown, .json, .csv), or ChangeRecordNotWritten.</summary>
        public static ChangeRecordFormat FormatOf(string path)
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".md": case ".markdown": return ChangeRecordFormat.Markdown;
                case ".json": return ChangeRecordFormat.Json;
                case ".csv": return ChangeRecordFormat.Csv;
                default:
                    throw ChangeRecord.NotWritten($"'{path}' does not end in .md, .json or .csv, so its format is unknown",
                        "Name the file change.md (for a ticket), change.json or change.csv.", path);
            }
        }

        public static void Write(ChangeRecord record, ChangeRecordFormat format, TextWriter w)
        {
            switch (format)
            {
                case ChangeRecordFormat.Markdown: WriteMarkdown(record, w); break;
                case ChangeRecordFormat.Json: WriteJson(record, w); break;
                default: WriteCsv(record, w); break;
            }
        }

        private static string Iso(DateTime t) => AuditRecord.IsoTime(t);

        // ------------------------------------------------------------------ Markdown

        private static void WriteMarkdown(ChangeRecord r, TextWriter w)
        {
            w.WriteLine($"# Change record {r.OperationId}");
            w.WriteLine();
            w.WriteLine("| | |");
            w.WriteLine("|---|---|");
            Row(w, "Operation", r.OperationId);
            Row(w, "Command", r.Command + (string.IsNullOrEmpty(r.Parameters) ? "" : " " + r.Parameters));
            Row(w, "Who", r.User + (r.Host.Length > 0 ? " on " + r.Host : ""));
            Row(w, "Where", string.Join(", ", r.Nodes));
            Row(w, "Started", Iso(r.Started));
            Row(w, "Ended", r.Ended.HasValue ? Iso(r.Ended.Value) : "not recorded");
            Row(w, "Outcome", r.Outcome);
            Row(w, "Changes", r.ChangeCount.ToString(CultureInfo.InvariantCulture));
            Row(w, "Refusals", r.RefusalCount.ToString(CultureInfo.InvariantCulture));
            if (r.Summary != null) Row(w, "Summary", r.Summary);
            if (r.Outcome == "Unfinished")
                Row(w, "Note", "A node has the operation's start but not its end: it is still running, or it was killed. Running the same command again completes it.");
            Table(w, $"What changed ({r.ChangeCount})", r.Changes, "Result", x => x.Result);
            Table(w, $"What was refused ({r.RefusalCount})", r.Refusals, "ErrorId", x => x.ErrorId ?? "");
        }

        private static void Row(TextWriter w, string name, string value) => w.WriteLine($"| {name} | {Cell(value)} |");

        private static void Table(TextWriter w, string title, IReadOnlyList<AuditRecord> rows, string column, Func<AuditRecord, string> value)
        {
            w.WriteLine();
            w.WriteLine("## " + title);
            w.WriteLine();
            if (rows.Count == 0)
            {
                w.WriteLine("None.");
                return;
            }
            w.WriteLine($"| Time (UTC) | Node | Action | Target | {column} | Detail |");
            w.WriteLine("|---|---|---|---|---|---|");
            foreach (var x in rows)
                w.WriteLine($"| {Iso(x.At)} | {Cell(x.Node)} | {Cell(x.Action)} | {Cell(x.Target)} | {Cell(value(x))} | {Cell(x.Detail ?? "")} |");
        }

        private static string Cell(string s) => s.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

        // ------------------------------------------------------------------ JSON

        private static void WriteJson(ChangeRecord r, TextWriter w)
        {
            w.WriteLine("{");
            Prop(w, "OperationId", r.OperationId);
            Prop(w, "Command", r.Command);
            Prop(w, "Parameters", r.Parameters);
            Prop(w, "User", r.User);
            Prop(w, "Host", r.Host);
            w.WriteLine("  \"Nodes\": [" + string.Join(", ", r.Nodes.Select(Json)) + "],");
            Prop(w, "Started", Iso(r.Started));
            Prop(w, "Ended", r.Ended.HasValue ? Iso(r.Ended.Value) : null);
            Prop(w, "Outcome", r.Outcome);
            Prop(w, "Summary", r.Summary);
            w.WriteLine($"  \"ChangeCount\": {r.ChangeCount.ToString(CultureInfo.InvariantCulture)},");
            w.WriteLine($"  \"RefusalCount\": {r.RefusalCount.ToString(CultureInfo.InvariantCulture)},");
            w.WriteLine("  \"Records\": [");
            for (int i = 0; i < r.Records.Count; i++)
            {
                var x = r.Records[i];
                w.Write("    {" + string.Join(", ", new[]
                {
                    "\"Id\": " + x.Id.ToString(CultureInfo.InvariantCulture),
                    "\"At\": " + Json(Iso(x.At)), "\"Node\": " + Json(x.Node), "\"Kind\": " + Json(x.Kind.ToString()),
                    "\"Action\": " + Json(x.Action), "\"Target\": " + Json(x.Target), "\"Result\": " + Json(x.Result),
                    "\"ErrorId\": " + Json(x.ErrorId), "\"Detail\": " + Json(x.Detail),
                }) + "}");
                w.WriteLine(i < r.Records.Count - 1 ? "," : "");
            }
            w.WriteLine("  ]");
            w.WriteLine("}");
        }

        private static void Prop(TextWriter w, string name, string? value) => w.WriteLine($"  \"{name}\": {Json(value)},");

        private static string Json(string? s)
        {
            if (s == null) return "null";
            var b = new StringBuilder(s.Length + 2).Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': b.Append("\\\""); break;
                    case '\\': b.Append("\\\\"); break;
                    case '\n': b.Append("\\n"); break;
                    case '\r': b.Append("\\r"); break;
                    case '\t': b.Append("\\t"); break;
                    default:
                        if (c < ' ') b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else b.Append(c);
                        break;
                }
            }
            return b.Append('"').ToString();
        }

        // ------------------------------------------------------------------ CSV

        private static readonly string[] CsvColumns =
            { "OperationId", "At", "Node", "User", "Host", "Kind", "Action", "Target", "Result", "ErrorId", "Detail" };

        /// <summary>One row per record, oldest first, with the columns Import-Csv reads back.</summary>
        private static void WriteCsv(ChangeRecord r, TextWriter w)
        {
            w.WriteLine(string.Join(",", CsvColumns.Select(Csv)));
            foreach (var x in r.Records)
                w.WriteLine(string.Join(",", new[]
                {
                    x.OperationId, Iso(x.At), x.Node, x.User, x.Host, x.Kind.ToString(), x.Action, x.Target, x.Result, x.ErrorId ?? "", x.Detail ?? "",
                }.Select(Csv)));
        }

        private static string Csv(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
    }
}
