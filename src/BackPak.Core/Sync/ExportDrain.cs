using System;
using System.Globalization;
using System.Linq;
using BackPak.Core.Errors;

namespace BackPak.Core.Sync
{
    /// <summary>
    /// When the catalog export of a store is drained, and when waiting for it is pointless: one rule for
    /// Wait-BPCatalogExport and for the switch's drain step. A wait that nothing can satisfy ends at once in an error
    /// that says why, from the status read now (never from an earlier attempt), and names the way out.
    /// </summary>
    public static class ExportDrain
    {
        /// <summary>Nothing is left to export: no export runs and no update is pending (or the store does not export).</summary>
        public static bool IsDrained(ExportStatus st) => !st.Running && (st.PendingCount == 0 || st.State == ExportState.NotPrimary);

        /// <summary>
        /// Why the pending updates cannot drain now, or null while something may still send them: exports are
        /// suspended, the store has no staging area, the staging area cannot be reached, or the store is INACTIVE
        /// (automatic exports and retries stop). <paramref name="wayOut"/> replaces the recommended action (the switch
        /// says how to go on with its run).
        /// </summary>
        public static BackPakException? Blocked(ExportStatus st, string? wayOut = null)
        {
            if (IsDrained(st) || st.PendingCount == 0 || st.State == ExportState.NotPrimary) return null;
            string held = $"{st.PendingCount} update(s) of {st.DataStore} on {st.Node}" + Oldest(st);
            string send = $"Start-BPCatalogExport -DataStore {st.DataStore} -Type Update";
            if (st.State == ExportState.Suspended || st.Suspended)
                return new BackPakException(ErrorIds.ExportSuspended, BackPakErrorCategory.InvalidOperation,
                    $"Catalog export of {st.DataStore} on {st.Node} is suspended: {held} are held, and nothing sends them while it is suspended.",
                    st.DataStore, wayOut ?? $"Resume-BPCatalogExport -DataStore {st.DataStore} sends the held updates at once; then wait again.");
            if (st.StagingArea == null)
                return new BackPakException(ErrorIds.StagingAreaNotSet, BackPakErrorCategory.InvalidOperation,
                    $"{held} are pending, and the data store has no staging area to send them to.", st.DataStore,
                    wayOut ?? $"Set one (Set-BPDataStore -Name {st.DataStore} -StagingArea ...), then {send} sends the updates at once.");
            if (!st.StagingReachable)
                return new BackPakException(ErrorIds.StagingUnreachable, BackPakErrorCategory.ConnectionError,
                    $"{held} cannot reach the staging area {st.StagingArea}, so they cannot drain: " +
                    (st.StagingProblem ?? $"the staging area {st.StagingArea} cannot be reached now") + ".", st.StagingArea,
                    wayOut ?? $"Restore the link to the staging area, then {send} sends the pending updates at once (the EMS Extractor also retries every {Span(TimeSpan.FromSeconds(st.ExportCheckDelaySeconds))}).");
            if (st.Inactive)
                return new BackPakException(ErrorIds.ActionNotAllowed, BackPakErrorCategory.InvalidOperation,
                    $"Data store {st.DataStore} on {st.Node} is INACTIVE: {held} are pending, and automatic exports and their retries do not run while it is INACTIVE.",
                    st.DataStore, wayOut ?? $"{send} sends them at once (an operator-started export runs on an INACTIVE store), or set the store ACTIVE.");
            return null;
        }

        /// <summary>The error of a wait that ran out of time, with the reasons that hold now and the way out.</summary>
        public static BackPakException TimedOut(ExportStatus st, TimeSpan waited)
        {
            var why = new System.Collections.Generic.List<string>();
            if (st.Running) why.Add("an export is running now");
            if (st.PendingCount > 0)
            {
                var next = st.Pending.Min(p => p.NextRetry);
                why.Add($"{st.PendingCount} update(s) are pending ({string.Join(", ", st.Pending.Take(10).Select(p => p.Label))}{(st.PendingCount > 10 ? ", ..." : "")})" + Oldest(st) +
                        $" and wait for the EMS Extractor's next retry at {next.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} (export check delay {Span(TimeSpan.FromSeconds(st.ExportCheckDelaySeconds))})");
            }
            return new BackPakException(ErrorIds.ExportWaitTimeout, BackPakErrorCategory.OperationTimeout,
                $"Catalog export of {st.DataStore} on {st.Node} did not drain in {Span(waited)}: {string.Join("; ", why)}.", st.DataStore,
                $"Start-BPCatalogExport -DataStore {st.DataStore} -Type Update sends the pending updates at once" +
                (st.Running ? " once the running export ends" : "") + "; or wait longer (-Timeout).");
        }

        private static string Oldest(ExportStatus st) =>
            st.LagSeconds is { } lag && lag > 0 ? $", the oldest raised {Span(TimeSpan.FromSeconds(lag))} ago," : "";

        private static string Span(TimeSpan t) =>
            t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms" : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0} s" : t.ToString(t.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }
}
