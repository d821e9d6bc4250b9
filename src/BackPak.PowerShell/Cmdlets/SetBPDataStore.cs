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
