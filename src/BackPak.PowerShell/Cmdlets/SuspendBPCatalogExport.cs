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
}
