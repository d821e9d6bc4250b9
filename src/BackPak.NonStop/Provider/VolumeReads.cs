using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Reports;

namespace BackPak.NonStop.Provider
{
    /// <summary>
    /// How volumes are read from reports: which label pattern a command is given, how each report becomes a stream of
    /// volumes in label order, and how several such streams are merged into one (each command on its own channel of
    /// the node's one SSH session), holding one entry of each stream at a time.
    /// </summary>
    internal static class VolumeReads
    {
        /// <summary>
        /// The label pattern sent with INFO TAPEVOLUME or INFO TAPEMEDIA: the longest literal start the query's patterns
        /// share (at most five characters), then '*'. MEDIACOM has no '[ ]' sets, several patterns are one command, and
        /// a named tape that does not exist is an error whose number the stored pages do not give, whereas a pattern
        /// that matches nothing is an empty report; the exact patterns are applied to what comes back.
        /// </summary>
        public static string Pushed(IReadOnlyList<LabelPattern> patterns)
        {
            if (patterns.Count == 0) return "*";
            if (patterns.Count == 1 && patterns[0].IsWildcard && patterns[0].Text.IndexOf('[') < 0 && patterns[0].Text.Length <= Labels.Length) return patterns[0].Text;
            string prefix = Literal(patterns[0].Text);
            foreach (var p in patterns.Skip(1))
            {
                string other = Literal(p.Text);
                int n = 0;
                while (n < prefix.Length && n < other.Length && prefix[n] == other[n]) n++;
                prefix = prefix.Substring(0, n);
            }
            return (prefix.Length > Labels.Length - 1 ? prefix.Substring(0, Labels.Length - 1) : prefix) + "*";
        }

        /// <summary>The pattern that reads one named tape: its first five characters and '*' (see <see cref="Pushed"/>).</summary>
        public static string Exact(string label) => label.Substring(0, Labels.Length - 1) + "*";

        private static string Literal(string pattern)
        {
            int end = pattern.IndexOfAny(new[] { '*', '?', '[' });
            return end < 0 ? pattern : pattern.Substring(0, end);
        }

        /// <summary>The volumes of an INFO TAPEVOLUME report whose pool belongs to a described volume group.</summary>
        public static IEnumerable<Volume> TapeVolumes<TGroup>(string node, NonStopCommand cmd, IEnumerable<string> lines,
            IReadOnlyDictionary<string, TGroup> byPool, Func<TapeVolumeEntry, TGroup, Volume> make)
        {
            string? previous = null;
            foreach (var e in MediacomReports.TapeVolumes(lines, new CommandContext(node, cmd), new ReportDiagnostics()))
            {
                Trust(node, cmd, e);
                previous = InOrder(node, cmd, previous, e.TapeName);
                // A tape of another application in the same catalog, or not named as a BackPak label, is not a volume.
                if (!Labels.IsValid(e.TapeName) || e.Pool == null || !byPool.TryGetValue(e.Pool, out var group)) continue;
                yield return make(e, group);
            }
        }

        /// <summary>The volumes of a TMFCOM INFO TAPEMEDIA report.</summary>
        public static IEnumerable<Volume> TmfMedia(string node, NonStopCommand cmd, IEnumerable<string> lines, Func<TmfTapeMediaEntry, Volume> make)
        {
            string? previous = null;
            foreach (var e in TmfReports.TapeMedia(lines, new CommandContext(node, cmd), new ReportDiagnostics()))
            {
                Trust(node, cmd, e);
                previous = InOrder(node, cmd, previous, e.Name);
                if (Labels.IsValid(e.Name)) yield return make(e);
            }
        }

        /// <summary>
        /// An entry a documented item of which could not be read (a missing pool, a status not in the manual, a
        /// generation that is not a number) makes the report untrusted: NonStopReportMalformed. Lines the layout does
        /// not know are kept by the parser and do not stop a read.
        /// </summary>
        public static void Trust(string node, NonStopCommand cmd, ReportEntry e)
        {
            if (e.Problems.Count > 0)
                throw NonStopErrors.ReportMalformed(node, cmd.TaclLine, $"the entry at line {e.LineNumber} is not as documented: {e.Problems[0]}");
        }

        // Merging needs each report in label order (the order of every report in docs/nonstop/reports.md, inferred).
        private static string InOrder(string node, NonStopCommand cmd, string? previous, string name)
        {
            if (previous != null && string.CompareOrdinal(name, previous) <= 0)
                throw NonStopErrors.ReportMalformed(node, cmd.TaclLine, $"'{NonStopErrors.Show(name)}' comes after '{previous}': the report is not in label order");
            return name;
        }

        /// <summary>
        /// Streams in label order merged into one. Every stream is started first (its command sent), then the smallest
        /// head is taken each time. Stopping early disposes every stream, which closes its channel.
        /// </summary>
        public static IEnumerable<Volume> Merge(IReadOnlyList<IEnumerable<Volume>> sources)
        {
            if (sources.Count == 1)
            {
                foreach (var v in sources[0]) yield return v;
                yield break;
            }
            var heads = new List<IEnumerator<Volume>>();
            try
            {
                foreach (var s in sources)
                {
                    var e = s.GetEnumerator();
                    heads.Add(e);
                }
                var live = new List<IEnumerator<Volume>>();
                foreach (var e in heads) if (e.MoveNext()) live.Add(e);
                while (live.Count > 0)
                {
                    int min = 0;
                    for (int i = 1; i < live.Count; i++)
                        if (string.CompareOrdinal(live[i].Current.Label, live[min].Current.Label) < 0) min = i;
                    yield return live[min].Current;
                    if (!live[min].MoveNext()) live.RemoveAt(min);
                }
            }
            finally
            {
                foreach (var e in heads) e.Dispose();
            }
        }
    }
}
