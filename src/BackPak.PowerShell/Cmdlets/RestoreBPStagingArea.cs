using System;
using System.Management.Automation;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// SECONDARY side of the transport without Expand (CS p44): restores the whole image of the transport volume that
    /// arrived in this node's storage into the store's staging area, overwriting its files; then the store is imported.
    /// </summary>
    [Cmdlet(VerbsData.Restore, "BPStagingArea", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TransportVolume))]
    public sealed class RestoreBPStagingAreaCommand : BPStoreCmdlet
    {
        /// <summary>Restore the image again even though it is the one restored last (or finish a restore that was interrupted).</summary>
        [Parameter] public SwitchParameter Force { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogTransport>(false, "the transport without Expand", (d, t, s) =>
            {
                var store = CatalogTransport.Store(d, s);
                var f = CatalogTransport.CheckRestore(d, t, store, Force);
                if (!ShouldProcess($"staging area {f.Staging.StagingArea} of {store.Name} on {d.Node}",
                        $"Restore {f.Replica} from transport volume {f.Label}, overwriting the files there")) return;
                WriteObject(CatalogTransport.Restore(d, t, store.Name, Force, Environment.UserName));
            });
    }
}
