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
}
