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
}
