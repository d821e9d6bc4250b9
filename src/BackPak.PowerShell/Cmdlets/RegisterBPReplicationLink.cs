using System;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Registers the operator's own commands (the storage array's or key server's tool) as the replication link of a data
    /// store, in the estate of -Domain: the switch then reverses that replication through them instead of stopping for the
    /// operator to confirm it, and overrides the provider's link of that kind. Kept in the session only.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "BPReplicationLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(ReplicationLinkRegistration))]
    public sealed class RegisterBPReplicationLinkCommand : BPDomainCmdlet
    {
        /// <summary>Store ID of the data store whose replication the link carries.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string DataStore { get; set; } = "";

        /// <summary>Storage (the volume images) or Keys (the key server).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public ReplicationLinkKind Kind { get; set; }

        /// <summary>Makes replication flow from the side that becomes PRIMARY; given the call ($Link) as its one argument.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        public ScriptBlock Reverse { get; set; } = null!;

        /// <summary>Returns the link's state: an object (or hashtable) with Healthy and CaughtUp booleans and Source (and Target) strings.</summary>
        [Parameter]
        [ValidateNotNull]
        public ScriptBlock? Status { get; set; }

        /// <summary>How plans, reports and the audit trail name the link. The default is the store and kind, e.g. DS01-Storage.</summary>
        [Parameter]
        public string? Name { get; set; }

        /// <summary>Replaces a link of the same store and kind already registered.</summary>
        [Parameter] public SwitchParameter AllowClobber { get; set; }

        [Parameter] public SwitchParameter PassThru { get; set; }

        /// <summary>It changes the session, nothing of BackPak: nothing to record in a domain's audit trail.</summary>
        protected override bool RecordsRefusals => false;

        protected override void ProcessBackPakRecord()
        {
            var c = Connection;
            string ds = Names.NormalizeDataStore(DataStore);
            if (c.Domain.GetDataStores(ds).Count == 0)
                throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{ds}' does not exist in the domain of {c.Node}: no link was registered.", ds,
                    "Get-BPDataStore lists the data stores of the domain; give -Domain for another estate.");
            string name = (Name ?? $"{ds}-{Kind}").Trim();
            if (!Names.IsValid(name))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{Name}' is not a valid link name: use 1 to {Names.MaxLength} letters, digits, spaces, '-', '_' or '.', starting with a letter or a digit. No link was registered.",
                    Name, "Name the link after the tool it calls, e.g. -Name ArrayFailover.");
            var existing = ReplicationLinkRegistry.Find(c.Location, ds, Kind);
            if (existing != null && !AllowClobber)
                throw new BackPakException(ErrorIds.ReplicationLinkExists, BackPakErrorCategory.ResourceExists,
                    $"A {Kind.ToString().ToLowerInvariant()} replication link of {ds} is already registered in {c.Location}: {existing.Name}. Nothing was changed.", ds,
                    "Add -AllowClobber to replace it, or remove it first (Unregister-BPReplicationLink).");
            string what = $"{Kind.ToString().ToLowerInvariant()} replication of data store {ds} in {c.Location}: {name}{(Status == null ? " (no -Status script)" : "")}";
            if (!ShouldProcess(what, existing != null ? "Replace BackPak replication link" : "Register BackPak replication link")) return;
            var r = new ReplicationLinkRegistration
            {
                Name = name, DataStore = ds, Kind = Kind, Location = c.Location, Provider = c.Provider, Registered = DateTime.UtcNow,
                Reverse = Reverse, Status = Status,
            };
            ReplicationLinkRegistry.Put(r);
            WriteVerbose($"Registered {what}; switches of {ds} in this session use it instead of the provider's {Kind.ToString().ToLowerInvariant()} link.");
            if (Status == null)
                WriteVerbose($"Without -Status, a switch cannot check that {name} is healthy and caught up: it stops at check-replication for the operator to confirm it.");
            if (PassThru) WriteObject(r);
        }
    }
}
