using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Keys;

namespace BackPak.PowerShell
{
    /// <summary>A cmdlet that works on a key manager: -KeyManager, or the default connection.</summary>
    public abstract class BPKeyManagerCmdlet : BPCmdlet
    {
        /// <summary>The key manager to use: a connection from Connect-BPKeyManager. The default connection when not given.</summary>
        [Parameter]
        [Selection]
        public KeyManagerConnection? KeyManager { get; set; }

        /// <summary>The key manager this invocation uses.</summary>
        protected KeyManagerConnection KeyManagerConnection
        {
            get
            {
                var c = KeyManager ?? KeyManagerSessions.Default
                    ?? throw KeyManagerSessions.NotConnected("No key manager is connected in this session.");
                if (!c.IsOpen)
                    throw KeyManagerSessions.NotConnected($"The connection to the key manager {c.Endpoint} was closed by Disconnect-BPKeyManager.");
                return c;
            }
        }

        protected IKeyManager Keys => KeyManagerConnection.KeyManager;

        /// <summary>The open domain connections of the session: the catalogs that say which keys are in use.</summary>
        protected static IReadOnlyList<BackPak.Core.Providers.IDomainReader> ConnectedDomains =>
            DomainSessions.All.Where(c => c.IsOpen).Select(c => c.Domain).ToList();
    }
}
