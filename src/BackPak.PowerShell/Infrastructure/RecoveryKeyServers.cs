using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Keys;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell
{
    /// <summary>The key servers a recovery (its test, its takeover) checks at the secondary.</summary>
    internal static class RecoveryKeyServers
    {
        /// <summary>
        /// The key servers reachable from the secondary: connected ones of its Key Manager id, else the one its provider
        /// opens (added to <paramref name="opened"/>, for the caller to close).
        /// </summary>
        public static IReadOnlyList<IKeyManager> Of(IDomainReader s, List<IKeyManager> opened)
        {
            var connected = DecommissionContexts.KeyManagers(s).Select(k => k.KeyManager).ToList();
            if (connected.Count > 0) return connected;
            if (s is IRecoverySite site && site.OpenKeyServer() is { } own) { opened.Add(own); return new[] { own }; }
            return connected;
        }
    }
}
