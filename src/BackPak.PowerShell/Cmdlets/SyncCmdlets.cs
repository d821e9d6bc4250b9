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
    /// <summary>The Export Status page: per data store, export state, last runs, pending volumes, staging area and lag.</summary>
    [Cmdlet(VerbsCommon.Get, "BPExportStatus")]
    [OutputType(typeof(ExportStatus))]
    public sealed class GetBPExportStatusCommand : BPStoreCmdlet
    {
        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(true, "the Export Status page", (d, sync, s) => WriteObject(sync.GetExportStatus(s)));
    }

    /// <summary>What a SECONDARY data store knows of its imports.</summary>
    [Cmdlet(VerbsCommon.Get, "BPImportStatus")]
    [OutputType(typeof(ImportStatus))]
    public sealed class GetBPImportStatusCommand : BPStoreCmdlet
    {
        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(true, "the import status", (d, sync, s) =>
            {
                if (d.GetDataStores(s).FirstOrDefault()?.DomainAccess == DomainAccess.Secondary || DataStore != null) WriteObject(sync.GetImportStatus(s));
            });
    }

    /// <summary>"Stop all BackPak catalog export activities" for data stores: no new export starts; pending updates are kept.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "BPCatalogExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ExportStatus))]
    public sealed class SuspendBPCatalogExportCommand : BPStoreCmdlet
    {
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(false, "suspending catalog export", (d, sync, s) =>
            {
                if (!ShouldProcess($"data store {s} on {d.Node}", "Suspend catalog export (pending updates are kept)")) return;
                sync.SetExportSuspended(s, true, Environment.UserName);
                if (PassThru) WriteObject(sync.GetExportStatus(s));
            });
    }

    /// <summary>Resumes the catalog export of data stores: pending updates go out now.</summary>
    [Cmdlet(VerbsLifecycle.Resume, "BPCatalogExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ExportStatus))]
    public sealed class ResumeBPCatalogExportCommand : BPStoreCmdlet
    {
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(false, "resuming catalog export", (d, sync, s) =>
            {
                if (!ShouldProcess($"data store {s} on {d.Node}", "Resume catalog export")) return;
                sync.SetExportSuspended(s, false, Environment.UserName);
                if (PassThru) WriteObject(sync.GetExportStatus(s));
            });
    }

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

    /// <summary>Starts an export by hand: FULL (every volume) or UPDATE (the pending ones), and reports the run.</summary>
    [Cmdlet(VerbsLifecycle.Start, "BPCatalogExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncRun))]
    public sealed class StartBPCatalogExportCommand : BPStoreCmdlet
    {
        [Parameter(Mandatory = true)]
        [ValidateSet("Full", "Update")]
        public string Type { get; set; } = "Update";

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(false, "a catalog export", (d, sync, s) =>
            {
                var type = Type == "Full" ? SyncType.Full : SyncType.Update;
                if (!ShouldProcess($"data store {s} on {d.Node}", $"Start a {Type.ToUpperInvariant()} catalog export to the staging area")) return;
                WriteObject(sync.StartExport(s, type, Environment.UserName));
            });
    }

    /// <summary>Starts an import by hand on a SECONDARY data store: FULL (replaces, and deletes) or UPDATE (files since the last import).</summary>
    [Cmdlet(VerbsLifecycle.Start, "BPCatalogImport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncRun))]
    public sealed class StartBPCatalogImportCommand : BPStoreCmdlet
    {
        [Parameter(Mandatory = true)]
        [ValidateSet("Full", "Update")]
        public string Type { get; set; } = "Update";

        /// <summary>Process DISKFILE entries (BB027 CATALOGFILES YES, the default here); -CatalogFiles:$false leaves them (NO).</summary>
        [Parameter]
        public SwitchParameter CatalogFiles { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogSync>(false, "a catalog import", (d, sync, s) =>
            {
                bool files = !MyInvocation.BoundParameters.ContainsKey(nameof(CatalogFiles)) || CatalogFiles.IsPresent;
                if (!ShouldProcess($"data store {s} on {d.Node}", $"Start a {Type.ToUpperInvariant()} catalog import (CATALOGFILES {(files ? "YES" : "NO")})")) return;
                var run = sync.StartImport(s, Type == "Full" ? SyncType.Full : SyncType.Update, files, Environment.UserName);
                if (run.Result == SyncResult.Failed)
                    WriteBackPakError(new BackPakException(ErrorIds.ImportFailed, BackPakErrorCategory.InvalidResult,
                        $"The {Type.ToUpperInvariant()} import of {s} on {d.Node} failed for {run.FailedVolumes.Count} volume(s): {string.Join(", ", run.FailedVolumes.Take(10))}. {run.Error}", s,
                        "Fix the cause, then run an UPDATE import again: it redoes every volume (CS p15)."));
                WriteObject(run);
            });
    }

    /// <summary>Changes data store settings: domain access, status, and the Catalog Sync export and import settings.</summary>
    [Cmdlet(VerbsCommon.Set, "BPDataStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DataStore))]
    public sealed class SetBPDataStoreCommand : BPStoreCmdlet
    {
        [Parameter] public DomainAccess? DomainAccess { get; set; }
        [Parameter] public DataStoreStatus? Status { get; set; }
        /// <summary>Guardian subvolume of the staging area, e.g. \A.$BPSTAGE.DS01.</summary>
        [Parameter] public string? StagingArea { get; set; }
        [Parameter] public TimeSpan? ExportCheckDelay { get; set; }
        /// <summary>TimeSpan.Zero (00:00:00) clears it.</summary>
        [Parameter] public TimeSpan? FullExportFrequency { get; set; }
        /// <summary>Node-name replacement pairs, e.g. @{ '\A' = '\X' }; @{} clears them.</summary>
        [Parameter] public Hashtable? NodeReplacement { get; set; }
        [Parameter] public string? PrimaryStoreId { get; set; }
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore<IDataStoreSettings>(false, "changing data store settings", (d, writer, s) =>
            {
                var settings = new DataStoreSettings
                {
                    DomainAccess = DomainAccess, Status = Status, StagingArea = StagingArea, ExportCheckDelay = ExportCheckDelay,
                    FullExportFrequency = FullExportFrequency, PrimaryStoreId = PrimaryStoreId,
                    NodeReplacements = NodeReplacement?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? ""),
                };
                var what = new List<string>();
                if (DomainAccess != null) what.Add("domain access " + DomainAccess.ToString()!.ToUpperInvariant());
                if (Status != null) what.Add("status " + Status.ToString()!.ToUpperInvariant());
                if (StagingArea != null) what.Add("staging area " + StagingArea);
                if (ExportCheckDelay != null) what.Add("export check delay " + ExportCheckDelay);
                if (FullExportFrequency != null) what.Add("full export frequency " + FullExportFrequency);
                if (NodeReplacement != null) what.Add("node replacements " + string.Join(", ", settings.NodeReplacements!.Select(kv => kv.Key + "=" + kv.Value)));
                if (PrimaryStoreId != null) what.Add("primary store id " + PrimaryStoreId);
                if (what.Count == 0) { WriteVerbose("Nothing to change."); return; }
                if (!ShouldProcess($"data store {s} on {d.Node}", "Set " + string.Join("; ", what))) return;
                var result = writer.SetDataStore(s, settings, Environment.UserName);
                if (PassThru) WriteObject(result);
            });
    }
}
