using System.Management.Automation;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// The transport volume of data stores at a node (CS p44): what was last backed up on it (PRIMARY) or restored from
    /// it (SECONDARY), whether a newer image has arrived, and what to do next.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BPTransportVolume")]
    [OutputType(typeof(TransportVolume))]
    public sealed class GetBPTransportVolumeCommand : BPStoreCmdlet
    {
        protected override void ProcessBackPakRecord()
        {
            bool named = DataStore != null;
            ForEachStore<ICatalogTransport>(true, "the transport without Expand", (d, t, s) =>
            {
                var v = CatalogTransport.Current(d, t, s);
                if (v != null) WriteObject(v);
                else if (named) WriteBackPakError(CatalogTransport.NotRegistered(d.Node, s));
            });
        }
    }
}
