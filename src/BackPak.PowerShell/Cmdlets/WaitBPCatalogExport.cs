using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Waits until no catalog export of the data stores is pending or running. A wait nothing can satisfy (exports
    /// suspended, no staging area or one that cannot be reached, an INACTIVE store) ends at once in an error; one that
    /// runs out of time ends in ExportWaitTimeout. The rule is Core's (<see cref="ExportDrain"/>).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "BPCatalogExport")]
    [OutputType(typeof(ExportStatus))]
    public sealed class WaitBPCatalogExportCommand : BPStoreCmdlet
    {
        /// <summary>Seconds to wait at most; the default is 600.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Timeout { get; set; } = 600;

        private readonly ManualResetEventSlim _stop = new ManualResetEventSlim();

        protected override void StopProcessing() => _stop.Set();

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(false, "waiting for catalog export", (d, sync, s) =>
            {
                var deadline = DateTime.UtcNow.AddSeconds(Timeout);
                var progress = new ProgressRecord(3, $"Waiting for catalog export of {s} on {d.Node}", "Checking");
                int? first = null;
                try
                {
                    while (true)
                    {
                        var st = sync.GetExportStatus(s); // runs the domain's due exports and retries
                        if (ExportDrain.IsDrained(st))
                        {
                            WriteObject(st);
                            return;
                        }
                        if (ExportDrain.Blocked(st) is { } blocked) throw blocked;
                        first ??= Math.Max(1, st.PendingCount);
                        progress.PercentComplete = Math.Max(0, Math.Min(100, 100 * (first.Value - st.PendingCount) / first.Value));
                        progress.StatusDescription = (st.Running ? "An export is running; " : "") + $"{st.PendingCount} volume(s) pending" +
                            (st.Pending.Count > 0 ? $", next retry {st.Pending.Min(p => p.NextRetry):HH:mm:ss}" : "");
                        WriteProgress(progress);
                        if (DateTime.UtcNow >= deadline) throw ExportDrain.TimedOut(st, TimeSpan.FromSeconds(Timeout));
                        if (_stop.Wait(TimeSpan.FromMilliseconds(250))) throw new PipelineStoppedException();
                    }
                }
                finally
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            });
    }
}
