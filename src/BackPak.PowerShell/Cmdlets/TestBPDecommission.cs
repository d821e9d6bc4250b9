using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Checks that a decommissioned data store left nothing behind: one object per place (the BackPak catalog, the
    /// DSM/TC and TMF catalogs and the storage of each side, the staging area, each connected key server), each with
    /// Passed and what is left. Usable as a Pester assertion after the run. On a domain the module reads but cannot
    /// change (a real site), the places no read reaches are reported as "cannot tell", not passed.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPDecommission")]
    [OutputType(typeof(DecommissionCheck), typeof(bool))]
    public sealed class TestBPDecommissionCommand : BPCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string DataStore { get; set; } = "";

        /// <summary>The domain that held the PRIMARY store (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection Primary { get; set; } = null!;

        /// <summary>The domain that held its SECONDARY copy; left out for a store that was not replicated.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Secondary { get; set; }

        /// <summary>Returns only $true or $false: whether every place is clear.</summary>
        [Parameter] public SwitchParameter Quiet { get; set; }

        protected override void ProcessBackPakRecord()
        {
            foreach (var c in new[] { Primary, Secondary }.Where(x => x != null)) DomainSessions.RequireOpen(c!);
            if (Secondary != null && Secondary.Location != Primary.Location)
                throw new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument,
                    $"-Primary {Primary.Node} is in {Primary.Location} and -Secondary {Secondary.Node} in {Secondary.Location}: the two sides of a replicated store are of one estate.",
                    Secondary, "Give two domains of the same lab (Get-BPDomain lists the connections).", stopsInvocation: true);
            string ds = Names.NormalizeDataStore(DataStore);
            const string what = "checking what a decommission left";
            if (DecommissionContexts.Guided(Primary.Domain) && (Secondary == null || DecommissionContexts.Guided(Secondary.Domain)))
            {
                // A real site: what a read over SSH tells, and "cannot tell" with where to look for the rest.
                var read = GuidedDecommission.Test(Primary.Domain, Secondary?.Domain, ds, DecommissionContexts.Journal(Primary.Domain));
                if (Quiet) WriteObject(read.All(x => x.Passed));
                else WriteObject(read, true);
                return;
            }
            var checks = DataStoreDecommission.Test(Capabilities.RequireFull(Primary.Domain, what, typeof(IDecommissionSite)),
                Secondary == null ? null : Capabilities.RequireFull(Secondary.Domain, what, typeof(IDecommissionSite)), ds, null,
                (Primary.Domain as IRunJournalSource)?.RunJournal,
                DecommissionContexts.KeyManagers(Primary.Domain, Secondary?.Domain),
                Secondary == null ? null : DecommissionContexts.RegisteredStorageLink(Primary.Domain, ds));
            if (Quiet) WriteObject(checks.All(x => x.Passed));
            else WriteObject(checks, true);
        }
    }
}
