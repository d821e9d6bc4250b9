using System;
using System.Management.Automation;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// PRIMARY side of the transport without Expand (CS p44): one backup execution on the transport volume of the
    /// intermediate staging area: the whole of it after each FULL export, or with -Partial the exports of a backup window.
    /// </summary>
    [Cmdlet(VerbsData.Backup, "BPStagingArea", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TransportVolume))]
    public sealed class BackupBPStagingAreaCommand : BPStoreCmdlet
    {
        /// <summary>Only the export files written after the FULL export (the whole staging area was backed up after it).</summary>
        [Parameter] public SwitchParameter Partial { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogTransport>(false, "the transport without Expand", (d, t, s) =>
            {
                var store = CatalogTransport.Store(d, s);
                var f = CatalogTransport.CheckBackup(d, t, store, Partial);
                string what = Partial ? $"the exports after FULL export {f.Staging.FullSeq}" : $"the whole staging area ({f.Staging.Files} file(s))";
                if (!ShouldProcess($"transport volume {f.Label} of {store.Name} on {d.Node}", $"Back up {what} of {f.Staging.StagingArea}")) return;
                WriteObject(CatalogTransport.BackUp(d, t, store.Name, Partial, Environment.UserName));
            });
    }
}
