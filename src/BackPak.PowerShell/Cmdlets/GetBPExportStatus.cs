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
}
