using System.Management.Automation;
using BackPak.Core.Keys;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Closes key manager connections. Nothing in the key manager changes.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "BPKeyManager", DefaultParameterSetName = "KeyManager")]
    [OutputType(typeof(KeyManagerConnection))]
    public sealed class DisconnectBPKeyManagerCommand : BPCmdlet
    {
        /// <summary>The connection to close; the default one when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = "KeyManager")]
        [Selection]
        public KeyManagerConnection? KeyManager { get; set; }

        /// <summary>Close every key manager connection of the session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "All")]
        public SwitchParameter All { get; set; }

        /// <summary>Emit each closed connection.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (All)
            {
                foreach (var c in KeyManagerSessions.All) Close(c);
                return;
            }
            Close(KeyManager ?? KeyManagerSessions.Default ?? throw KeyManagerSessions.NotConnected("No key manager is connected in this session; there is nothing to disconnect."));
        }

        private void Close(KeyManagerConnection c)
        {
            bool wasDefault = c.IsDefault;
            KeyManagerSessions.Remove(c);
            WriteVerbose($"Disconnected from the key manager {c.Endpoint}.");
            // Key commands without -KeyManager now go to another key server: that must not happen unseen.
            var next = KeyManagerSessions.Default;
            if (wasDefault && next != null && !All)
                WriteWarning($"The default key manager is now {next.Endpoint}: key commands without -KeyManager go there.");
            if (PassThru) WriteObject(c);
        }
    }
}
