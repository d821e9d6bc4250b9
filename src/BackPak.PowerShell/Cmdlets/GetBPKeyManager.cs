using System.Management.Automation;
using BackPak.Core.Keys;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the key managers connected in this session.</summary>
    [Cmdlet(VerbsCommon.Get, "BPKeyManager")]
    [OutputType(typeof(KeyManagerConnection))]
    public sealed class GetBPKeyManagerCommand : BPCmdlet
    {
        /// <summary>Only the default key manager.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        protected override void EndBackPak()
        {
            foreach (var c in KeyManagerSessions.All)
                if (!Default || c.IsDefault) WriteObject(c);
        }
    }
}
