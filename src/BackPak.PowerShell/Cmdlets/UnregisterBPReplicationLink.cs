using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Removes replication links registered in this session: the switch of the store goes back to the provider's link, or to the operator.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "BPReplicationLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ReplicationLinkRegistration))]
    public sealed class UnregisterBPReplicationLinkCommand : BPDomainCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string DataStore { get; set; } = "";

        /// <summary>Only the link of this kind; both kinds of the store when not given.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public ReplicationLinkKind? Kind { get; set; }

        /// <summary>The estate of a piped registration (Get-BPReplicationLink); not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? Location { get; set; }

        /// <summary>Returns the links as they were registered.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override bool RecordsRefusals => false;

        protected override void ProcessBackPakRecord()
        {
            string ds = Names.NormalizeDataStore(DataStore);
            if (Domain != null && IsPiped(nameof(Location)) && Location != null && Location != Connection.Location)
                throw Mismatch("replication link of " + ds, $"it was registered for {Location}, but -Domain names {Connection.Identity}");
            // Where: the piped registration's estate, else -Domain's, else the default domain's, else any estate of the session.
            string? location = Location ?? (Domain != null ? Connection.Location : DomainSessions.Default?.Location);
            var found = ReplicationLinkRegistry.All.Where(r => string.Equals(r.DataStore, ds, StringComparison.OrdinalIgnoreCase)
                && (Kind == null || r.Kind == Kind) && (location == null || r.Location == location)).ToList();
            if (found.Count == 0)
                throw new BackPakException(ErrorIds.ReplicationLinkNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No {(Kind == null ? "" : Kind.ToString()!.ToLowerInvariant() + " ")}replication link of {ds} is registered in this session" +
                    (location != null ? $" for {location}" : "") + ". Nothing was changed.", ds,
                    "Get-BPReplicationLink lists the links registered in this session.");
            foreach (var r in found)
            {
                if (!ShouldProcess($"{r.Kind.ToString().ToLowerInvariant()} replication link {r.Name} of data store {r.DataStore} in {r.Location}", "Unregister BackPak replication link")) continue;
                ReplicationLinkRegistry.Remove(r);
                WriteVerbose($"Unregistered {r.Name}: switches of {r.DataStore} use the provider's {r.Kind.ToString().ToLowerInvariant()} link again, or stop for the operator.");
                if (PassThru) WriteObject(r);
            }
        }
    }
}
