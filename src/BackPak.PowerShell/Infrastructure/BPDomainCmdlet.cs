using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>A cmdlet that works on a BackPak domain: -Domain, or the default connection.</summary>
    public abstract class BPDomainCmdlet : BPCmdlet
    {
        /// <summary>The domain to work on: a connection from Connect-BPDomain or the node name of one (e.g. '\B').</summary>
        [Parameter]
        [Selection]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Domain { get; set; }

        /// <summary>The domain this invocation uses: -Domain, else the default connection.</summary>
        protected DomainConnection Connection
        {
            get
            {
                var c = Domain ?? DomainSessions.Default ?? throw new BackPakException(
                    ErrorIds.NoDomainConnected, BackPakErrorCategory.ResourceUnavailable,
                    "No BackPak domain is connected in this session.", "default domain",
                    $"Connect one first: {ConnectAdvice.Command(null, null, "\\A")}.", stopsInvocation: true);
                return DomainSessions.RequireOpen(c);
            }
        }

        protected IDomainReader BackPak => Connection.Domain;

        protected override System.DateTime OperationClock() => ClockOf(Domain ?? DomainSessions.Default);

        /// <summary>Refusals are recorded in the domain the command works on: -Domain, else the default, if open.</summary>
        protected override IAuditSink? AuditDomain => (Domain ?? DomainSessions.Default) is { IsOpen: true } c ? c.Domain as IAuditSink : null;

        /// <summary>
        /// The connection a piped object is acted on: the one it came from, and never another. An object read by a
        /// provider carries its domain's identity (<paramref name="origin"/>) and is acted on in the open connection
        /// with that identity, or refused (DomainNotConnected) when that connection is not open; one that carries only
        /// a node name (a CSV row) goes to that node's connection; one that says nothing (a plain label) goes to -Domain
        /// or the default. An explicit -Domain that contradicts where the object came from stops the whole command
        /// before it changes anything (DomainMismatch): it is a mistake, not a choice between two places.
        /// </summary>
        /// <param name="kind">What the object is, in the operator's words ("volume", "data store").</param>
        /// <param name="name">Its name or names, for the messages (only built when one is needed).</param>
        protected DomainConnection ConnectionFor(DomainIdentity? origin, string? node, string kind, object? name)
        {
            // The stream case: a provider stamps one identity instance per domain, so the connection found for the
            // previous object is the one for this one (cost: a reference comparison per object).
            if (origin != null && node != null && ReferenceEquals(origin, _lastOrigin) && _lastConnection!.IsOpen
                && string.Equals(origin.Node, node, System.StringComparison.Ordinal))
                return _lastConnection;
            string? n = string.IsNullOrWhiteSpace(node) ? null : Names.NormalizeNode(node);
            if (origin != null && n != null && !string.Equals(origin.Node, n, System.StringComparison.OrdinalIgnoreCase))
                throw Mismatch(What(kind, name), $"its Node says {n} but it was read from {origin}");
            DomainConnection found;
            if (Domain != null)
            {
                var c = Connection;
                if (origin != null && !origin.Equals(c.Identity))
                    throw Mismatch(What(kind, name), $"it was read from {origin}, but -Domain names {c.Identity}");
                if (origin == null && n != null && !string.Equals(n, c.Node, System.StringComparison.OrdinalIgnoreCase))
                    throw Mismatch(What(kind, name), $"it names node {n}, but -Domain names {c.Identity}");
                found = c;
            }
            else if (origin != null) found = DomainSessions.Find(origin) ?? throw DomainSessions.NotConnected(origin, What(kind, name));
            else if (n != null) return DomainSessions.FindByNode(n) ?? throw DomainSessions.NotConnected(n);
            else return Connection;
            if (origin != null) { _lastOrigin = origin; _lastConnection = found; }
            return found;
        }

        private DomainIdentity? _lastOrigin;
        private DomainConnection? _lastConnection;

        private static string What(string kind, object? name) =>
            name switch
            {
                null => kind,
                string s => kind + " " + s,
                System.Collections.IEnumerable list => kind + " " + string.Join(", ", list.Cast<object>()),
                _ => kind + " " + name,
            };

        protected static BackPakException Mismatch(string what, string why) => new BackPakException(
            ErrorIds.DomainMismatch, BackPakErrorCategory.InvalidArgument,
            $"The piped {what} does not belong where this command would act: {why}. A piped object is acted on only in " +
            "the domain it came from, so the command stopped before changing anything.", what,
            "Leave out -Domain to act on each piped object where it came from, or read the objects from the domain you mean " +
            "(for example Get-BPVolume -Domain '\\B' ... | Remove-BPVolume).", stopsInvocation: true);
    }
}
