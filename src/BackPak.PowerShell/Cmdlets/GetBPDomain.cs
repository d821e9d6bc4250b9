using System.Linq;
using System.Management.Automation;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the BackPak domains connected in this session.</summary>
    [Cmdlet(VerbsCommon.Get, "BPDomain")]
    [OutputType(typeof(DomainConnection))]
    public sealed class GetBPDomainCommand : BPCmdlet
    {
        /// <summary>Only the domains of these nodes.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        [Selection]
        public string[]? Node { get; set; }

        /// <summary>Only the default domain.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        protected override void EndBackPak()
        {
            var nodes = Node?.Select(Names.NormalizeNode).ToArray();
            foreach (var c in DomainSessions.All)
            {
                if (Default && !c.IsDefault) continue;
                if (nodes != null && !nodes.Contains(c.Node)) continue;
                WriteObject(c);
            }
        }
    }
}
