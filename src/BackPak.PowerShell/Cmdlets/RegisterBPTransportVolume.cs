using System;
using System.Management.Automation;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Registers the transport volume of the transport without Expand (CS p44) on one side of a replicated data store:
    /// on the PRIMARY side it creates the volume with the reserved label, uncatalogued and never exported; on the
    /// SECONDARY side, once, it changes the store to RESTRICTED, creates the volume and changes the store back to SECONDARY.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "BPTransportVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TransportVolume))]
    public sealed class RegisterBPTransportVolumeCommand : BPStoreCmdlet
    {
        /// <summary>The label reserved for the transport volume: the same on both sides.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Label { get; set; } = "";

        /// <summary>A volume group of the store linked to no catalog (no DSM/TC, no TMF).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string VolumeGroup { get; set; } = "";

        protected override void ProcessBackPakRecord() =>
            ForEachStore<ICatalogTransport>(false, "the transport without Expand", (d, t, s) =>
            {
                var store = CatalogTransport.Store(d, s);
                string label = Labels.Normalize(Label), group = Names.NormalizeVolumeGroup(VolumeGroup);
                // Checked before the question, so that -WhatIf says what would be refused.
                var done = CatalogTransport.CheckRegistration(d, t, store, label, group);
                if (done != null)
                {
                    WriteVerbose($"Transport volume {done.Label} of {store.Name} is registered on {d.Node} already.");
                    WriteObject(CatalogTransport.Describe(d, store, done));
                    return;
                }
                if (!ShouldProcess($"data store {store.Name} on {d.Node}", CatalogTransport.RegistrationAction(store, label, group))) return;
                WriteObject(CatalogTransport.Register(d, t, store.Name, label, group, Environment.UserName));
            });
    }
}
