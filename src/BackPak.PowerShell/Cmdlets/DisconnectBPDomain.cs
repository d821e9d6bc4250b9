using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Closes connections to BackPak domains. Nothing in the domains changes.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "BPDomain", DefaultParameterSetName = "Domain")]
    [OutputType(typeof(DomainConnection))]
    public sealed class DisconnectBPDomainCommand : BPCmdlet
    {
        /// <summary>The connection to close; the default connection when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = "Domain")]
        [Selection]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Domain { get; set; }

        /// <summary>Close every connection of the session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "All")]
        public SwitchParameter All { get; set; }

        /// <summary>Emit each closed connection.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (All)
            {
                foreach (var c in DomainSessions.All) Close(c);
                return;
            }
            var target = Domain ?? DomainSessions.Default ?? throw new BackPakException(
                ErrorIds.NoDomainConnected, BackPakErrorCategory.ResourceUnavailable,
                "No BackPak domain is connected in this session.", "default domain", "Nothing to disconnect.", stopsInvocation: true);
            Close(target);
        }

        private void Close(DomainConnection c)
        {
            bool wasDefault = c.IsDefault;
            DomainSessions.Remove(c);
            var next = DomainSessions.Default;
            WriteVerbose($"Disconnected from {c.Node} ({c.Location}).");
            // Commands without -Domain now act on another node: that must not happen unseen (-All leaves none).
            if (wasDefault && next != null && !All)
                WriteWarning($"The default domain is now {next.Node} ({next.Location}): commands without -Domain act there.");
            if (PassThru) WriteObject(c);
        }
    }
}
