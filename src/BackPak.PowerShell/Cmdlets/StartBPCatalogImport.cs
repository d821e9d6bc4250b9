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
}
