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
}
