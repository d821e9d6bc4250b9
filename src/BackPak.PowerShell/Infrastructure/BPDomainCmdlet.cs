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
                    "Connect one first: Connect-BPDomain -Lab <folder> -Node '\\A'.", stopsInvocation: true);
                if (!c.IsOpen)
                    throw new BackPakException(ErrorIds.DomainDisconnected, BackPakErrorCategory.ResourceUnavailable,
                        $"The connection to {c.Node} was closed by Disconnect-BPDomain.", c,
                        "Connect again with Connect-BPDomain.", stopsInvocation: true);
                return c;
            }
        }

        protected IBackPakDomain BackPak => Connection.Domain;

        /// <summary>
        /// The domain for an object that came down the pipeline from a given node: -Domain wins, else the connected
        /// domain of that node, so objects read from \B are acted on in \B even when \A is the default.
        /// </summary>
        protected IBackPakDomain DomainOf(string node)
        {
            if (Domain != null) return Connection.Domain;
            var c = DomainSessions.FindByNode(Names.NormalizeNode(node)) ?? throw DomainSessions.NotConnected(node);
            return c.Domain;
        }
    }
}
