using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>
    /// What Test-BPRoleSwitch and Get-BPRoleSwitchPlan take: the data stores (several, or piped from Get-BPDataStore, for
    /// a site switch) and the two connected domains.
    /// </summary>
    public abstract class BPSwitchCmdlet : BPCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string[] DataStore { get; set; } = new string[0];

        /// <summary>The domain whose store is PRIMARY now (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection Primary { get; set; } = null!;

        /// <summary>The domain whose store is SECONDARY now (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection Secondary { get; set; } = null!;

        /// <summary>The context of each data store given, in order, each once.</summary>
        protected IReadOnlyList<RoleSwitchContext> Contexts() =>
            SwitchContexts.DataStores(DataStore)
                .Select(ds => SwitchContexts.Build(ds, Primary, Secondary, TimeSpan.Zero, CancellationToken.None, this)).ToList();
    }

    /// <summary>
    /// The switch cmdlets' one place for: the context of a run (both domains of one provider location, their
    /// replication links and the run journal), finding the journal that holds a run among the connected domains,
    /// the connection of a node where a run lives, and how each side of a run stands.
    /// </summary>
    internal static class SwitchContexts
    {
        /// <summary>
        /// The Store IDs of a switch of several data stores, normalized, each once, in order. A bad one stops the command:
        /// the stores are switched (or checked) as one, so the others must not go on without it.
        /// </summary>
        public static IReadOnlyList<string> DataStores(IEnumerable<string> names)
        {
            try { return names.Select(Names.NormalizeDataStore).Distinct(StringComparer.OrdinalIgnoreCase).ToList(); }
            catch (BackPakException e) when (!e.StopsInvocation)
            {
                throw new BackPakException(e.ErrorId, e.Category, e.Message + " Nothing was done.", e.Target, e.RecommendedAction, stopsInvocation: true, inner: e);
            }
        }

        /// <param name="cmdlet">The cmdlet the run belongs to: the scripts of registered links run in its pipeline and write their warnings to it.</param>
        public static RoleSwitchContext Build(string dataStore, DomainConnection primary, DomainConnection secondary, TimeSpan timeout, CancellationToken cancel,
            PSCmdlet? cmdlet = null)
        {
            string ds = Names.NormalizeDataStore(dataStore);
            foreach (var c in new[] { primary, secondary }) DomainSessions.RequireOpen(c);
            if (primary.Node == secondary.Node && primary.Location == secondary.Location)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"-Primary and -Secondary are the same domain ({primary.Node}).", secondary.Node, "Give the two sides of the switch, e.g. -Primary '\\A' -Secondary '\\B'.", stopsInvocation: true);
            if (primary.Location != secondary.Location)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"-Primary {primary.Node} is in {primary.Location} and -Secondary {secondary.Node} in {secondary.Location}: the two sides of a switch replicate to each other, so they are of one estate.",
                    secondary, "Give two domains of the same lab (Get-BPDomain lists the connections and where they are).", stopsInvocation: true);
            // Both sides must be full providers with a run journal; replication links are optional (without them the
            // switch stops at those steps for the operator to confirm).
            var p = Capabilities.RequireFull(primary.Domain, "the role switch", typeof(IRunJournalSource));
            var s = Capabilities.RequireFull(secondary.Domain, "the role switch", typeof(IRunJournalSource));
            var (storage, keys, sSite) = Links(primary, ds, s.Node, p.Node, cmdlet);
            return new RoleSwitchContext
            {
                DataStore = ds, Primary = p, Secondary = s, Journal = ((IRunJournalSource)p).RunJournal,
                StorageLink = storage, KeyLink = keys, SecondarySite = sSite, Timeout = timeout, Cancel = cancel, User = Environment.UserName,
            };
        }

        /// <summary>
        /// The storage and key links of a store that must flow from <paramref name="from"/> to <paramref name="to"/>, and the
        /// site of <paramref name="from"/>: a link registered for the store in this estate (Register-BPReplicationLink)
        /// overrides the provider's of its kind.
        /// </summary>
        private static (IReplicationLink? Storage, IReplicationLink? Keys, string? FromSite) Links(DomainConnection estate, string ds, string from, string to, PSCmdlet? cmdlet)
        {
            var links = estate.Domain as IReplicationLinkSource;
            string? fromSite = links?.SiteOf(from), toSite = links?.SiteOf(to);
            IReplicationLink? Link(ReplicationLinkKind kind, string coreKind, string? scope) =>
                ReplicationLinkRegistry.LinkFor(estate.Location, ds, kind, from, fromSite, to, toSite, cmdlet) ?? links?.ReplicationLink(coreKind, scope);
            return (Link(ReplicationLinkKind.Storage, "STORAGE", ds), Link(ReplicationLinkKind.Keys, "KEYS", null), fromSite);
        }

        /// <summary>
        /// The context of a reprotect: the side that took over (stays PRIMARY) and the side that came back, both full
        /// providers of one estate with a run journal, and the links that must flow from the PRIMARY side once turned.
        /// </summary>
        public static ReprotectContext BuildReprotect(string dataStore, DomainConnection primary, DomainConnection returning, CancellationToken cancel, PSCmdlet? cmdlet)
        {
            string ds = Names.NormalizeDataStore(dataStore);
            foreach (var c in new[] { primary, returning }) DomainSessions.RequireOpen(c);
            if (primary.Node == returning.Node && primary.Location == returning.Location)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"The side that took {ds} over and the side that came back are the same domain ({primary.Node}).", returning.Node,
                    "Give the node that was lost: Invoke-BPReprotect -DataStore " + ds + " -Node '<lost node>'.", stopsInvocation: true);
            var p = Capabilities.RequireFull(primary.Domain, "the reprotect", typeof(IRunJournalSource));
            var r = Capabilities.RequireFull(returning.Domain, "the reprotect", typeof(IRunJournalSource));
            var (storage, keys, pSite) = Links(primary, ds, p.Node, r.Node, cmdlet);
            return new ReprotectContext
            {
                DataStore = ds, Primary = p, Returning = r, Journal = ((IRunJournalSource)p).RunJournal,
                StorageLink = storage, KeyLink = keys, PrimarySite = pSite, Cancel = cancel, User = Environment.UserName,
            };
        }

        /// <summary>The run journals of the connected domains (one per estate), or of one domain's.</summary>
        public static IReadOnlyList<IRunJournalStore> Journals(DomainConnection? only)
        {
            var connections = only != null ? new[] { only } : DomainSessions.All.Where(c => c.IsOpen).ToArray();
            return connections.Select(c => c.Domain).OfType<IRunJournalSource>().Select(j => j.RunJournal)
                .GroupBy(j => j.Location).Select(g => g.First()).ToList();
        }

        /// <summary>The journal store that holds a run: the one of <paramref name="only"/>, else the one connected lab that has it.</summary>
        public static IRunJournalStore FindRun(string runId, DomainConnection? only)
        {
            string id = ProcedureRunner.RequireRunId(runId);
            var journals = Journals(only);
            if (journals.Count == 0)
            {
                if (only != null) Capabilities.Require<IRunJournalSource>(only.Domain, "reading the runs of procedures");
                throw new BackPakException(ErrorIds.NoDomainConnected, BackPakErrorCategory.ResourceUnavailable,
                    "No BackPak domain is connected in this session: the journal of a run is found through a connected domain.", "default domain",
                    $"Connect one first: {ConnectAdvice.Command(null, null, "\\A")}.", stopsInvocation: true);
            }
            var holding = journals.Where(j => ProcedureRunner.Has(j, id)).ToList();
            if (holding.Count == 1) return holding[0];
            if (holding.Count > 1)
                throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.InvalidArgument,
                    $"Run {id} is in the journals of {string.Join(" and ", holding.Select(j => j.Location))}: say which with -Domain.", id,
                    "Add -Domain with a connection of the lab the run belongs to.", stopsInvocation: true);
            throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
                $"No switch run {id} in the journals of {string.Join(", ", journals.Select(j => j.Location))}.", id,
                "Get-BPRoleSwitchRun lists the runs; a new switch is started without -Resume.", stopsInvocation: true);
        }

        /// <summary>The open connection of a node at a location, or a DomainNotConnected error saying what to connect.</summary>
        public static DomainConnection Connection(string location, string node) =>
            DomainSessions.All.FirstOrDefault(c => c.IsOpen && c.Location == location && string.Equals(c.Node, node, StringComparison.OrdinalIgnoreCase))
            ?? throw new BackPakException(ErrorIds.DomainNotConnected, BackPakErrorCategory.ResourceUnavailable,
                $"The run needs the domain on {node} of {location}, and it is not connected in this session.", node,
                // The estate's provider is the one of its connected domain (the run was found through it).
                $"Connect it first: {ConnectAdvice.Command(DomainSessions.All.FirstOrDefault(c => c.IsOpen && c.Location == location)?.Provider, location, node)}.", stopsInvocation: true);

        /// <summary>
        /// How each side of a run stands: read through the session's connections, else through a domain of that node opened
        /// the way the connected domain of the same estate was (its provider's own way), and closed again.
        /// </summary>
        public static IReadOnlyList<RoleSwitchSide> Sides(string location, string dataStore, params string[] nodes)
        {
            var sides = new List<RoleSwitchSide>();
            foreach (var node in nodes.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var (d, problem) = Reach(location, node, out var opened);
                using (opened)
                {
                    try { sides.Add(d != null ? RoleSwitch.Side(d, dataStore) : new RoleSwitchSide { Node = node, DataStore = dataStore, Problem = problem }); }
                    catch (BackPakException e) when (opened != null) { sides.Add(new RoleSwitchSide { Node = node, DataStore = dataStore, Problem = e.Message }); }
                }
            }
            return sides;
        }

        /// <summary>
        /// The domain of a node at a location, to read how it stands: its connection in this session, else one opened the
        /// way the estate's provider opens its other nodes (<paramref name="opened"/>, for the caller to close); null with
        /// why not (not connected and no provider that opens it, or the node does not answer).
        /// </summary>
        public static (IDomainReader? Domain, string? Problem) Reach(string location, string node, out IDomainReader? opened)
        {
            opened = null;
            var c = DomainSessions.All.FirstOrDefault(x => x.IsOpen && x.Location == location && string.Equals(x.Node, node, StringComparison.OrdinalIgnoreCase));
            if (c != null) return (c.Domain, null);
            if (!(DomainSessions.All.FirstOrDefault(x => x.IsOpen && x.Location == location)?.Domain is IEstateSource estate))
                return (null, $"{node} is not connected in this session");
            try
            {
                opened = estate.OpenNode(node);
                return (opened, null);
            }
            catch (BackPakException e) { return (null, e.Message); }
        }
    }
}
