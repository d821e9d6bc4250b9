using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.Core.Providers;

namespace BackPak.Core.Keys
{
    /// <summary>
    /// The domains a key manager connection serves, and whether every domain that could use its keys has been asked.
    /// A connection is tied to domains by its BackPak id: a domain whose Key Manager definition carries that id
    /// reaches its keys there (the same id on both sides of a replicated data store, CS p6). Every replicated store of
    /// such a domain may hold volumes encrypted with those keys on both sides, so both sides must be connected before a
    /// key can be called unused. Destruction cannot be undone: when in doubt, nothing is destroyed.
    /// </summary>
    public sealed class KeyManagerScope
    {
        private KeyManagerScope(string? keyManagerId, IReadOnlyList<string> servedNodes, IReadOnlyList<ReplicationPartner> missing, BackPakException? refusal)
        {
            KeyManagerId = keyManagerId;
            ServedNodes = servedNodes;
            MissingSides = missing;
            Refusal = refusal;
        }

        /// <summary>The BackPak id of the connection; null when it was connected without one.</summary>
        public string? KeyManagerId { get; }
        /// <summary>Nodes of the connected domains whose Key Manager definition has that id.</summary>
        public IReadOnlyList<string> ServedNodes { get; }
        /// <summary>Sides of replicated stores that use the key manager whose other side is not connected.</summary>
        public IReadOnlyList<ReplicationPartner> MissingSides { get; }
        /// <summary>Why no key of this connection may be destroyed now, or null when every domain that could use them has been asked.</summary>
        public BackPakException? Refusal { get; }

        /// <summary>Ties a key manager connection to the connected domains and checks that none is missing.</summary>
        /// <param name="keyManagerId">The connection's BackPak id.</param>
        /// <param name="endpoint">Where the keys live, for the messages.</param>
        /// <param name="domains">The connected domains.</param>
        public static KeyManagerScope Of(string? keyManagerId, string endpoint, IReadOnlyList<IDomainReader> domains)
        {
            if (domains == null) throw new ArgumentNullException(nameof(domains));
            var defined = domains.Select(d => (d.Node, Ids: Facts(d).GetKeyManagerIds())).OrderBy(x => x.Node, StringComparer.OrdinalIgnoreCase).ToList();
            string definitions = string.Join("; ", defined.Select(x => x.Node + " defines " + (x.Ids.Count == 0 ? "none" : string.Join(", ", x.Ids))));
            var known = defined.SelectMany(x => x.Ids).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            string example = known.Count == 1 ? known[0] : "<id>";

            if (string.IsNullOrWhiteSpace(keyManagerId))
                return new KeyManagerScope(null, new string[0], new ReplicationPartner[0], new BackPakException(
                    ErrorIds.KeyManagerIdUnknown, BackPakErrorCategory.InvalidOperation,
                    $"The key manager {endpoint} was connected without a BackPak id, so it cannot be tied to the domains whose Key Manager " +
                    $"definition it serves, and no catalog can vouch that its keys are unused; no key is destroyed ({definitions}).",
                    endpoint,
                    $"Connect it again with the id of the Key Manager the domains define: Connect-BPKeyManager -Endpoint {endpoint} ... -BackPakId {example}.",
                    stopsInvocation: true));

            var served = defined.Where(x => x.Ids.Contains(keyManagerId, StringComparer.OrdinalIgnoreCase)).ToList();
            if (served.Count == 0)
                return new KeyManagerScope(keyManagerId, new string[0], new ReplicationPartner[0], new BackPakException(
                    ErrorIds.KeyManagerIdUnknown, BackPakErrorCategory.InvalidOperation,
                    $"No connected domain defines a Key Manager with BackPak id '{keyManagerId}' ({definitions}), so none can say whether " +
                    $"the keys of {endpoint} are still in use; no key is destroyed.",
                    keyManagerId!,
                    $"Connect the domains whose Key Manager definition has the id '{keyManagerId}' (Connect-BPDomain), or connect the key manager " +
                    $"with the id its domains define: Connect-BPKeyManager -Endpoint {endpoint} ... -BackPakId {example}.",
                    stopsInvocation: true));

            var connected = new HashSet<string>(domains.Select(d => d.Node), StringComparer.OrdinalIgnoreCase);
            var missing = new List<ReplicationPartner>();
            foreach (var d in domains.Where(d => served.Any(s => string.Equals(s.Node, d.Node, StringComparison.OrdinalIgnoreCase))))
                foreach (var p in Facts(d).GetReplicationPartners())
                    if (!connected.Contains(p.PartnerNode)) missing.Add(p);
            var nodes = served.Select(s => s.Node).ToList();
            if (missing.Count == 0) return new KeyManagerScope(keyManagerId, nodes, missing, null);

            var absent = missing.Select(m => m.PartnerNode).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            var stores = string.Join(", ", missing.Select(m => $"{m.DataStore} ({m.DomainAccess.ToString().ToUpperInvariant()} on {m.Node}, its other side on {m.PartnerNode})"));
            var first = domains.First(d => string.Equals(d.Node, missing[0].Node, StringComparison.OrdinalIgnoreCase));
            return new KeyManagerScope(keyManagerId, nodes, missing, new BackPakException(
                ErrorIds.KeyDomainsNotConnected, BackPakErrorCategory.ResourceUnavailable,
                $"No key of {endpoint} (Key Manager {keyManagerId}) is destroyed: {(absent.Count == 1 ? "node " : "nodes ")}{string.Join(", ", absent)} " +
                $"{(absent.Count == 1 ? "is" : "are")} not connected, and the replicated data store{(missing.Count == 1 ? "" : "s")} {stores} " +
                $"may hold volumes there that still need these keys.",
                string.Join(", ", absent),
                $"Connect {string.Join(" and ", absent)} in this session with the provider parameters used for {first.Node} " +
                $"({first.Provider} at '{first.Location}'), for example {ConnectAdvice.Command(first.Provider, first.Location, absent[0])}; then run the command again.",
                stopsInvocation: true));
        }

        /// <summary>A domain whose provider cannot tell its Key Manager ids and partners cannot vouch for a key: the removal is refused.</summary>
        internal static IKeyFacts Facts(IDomainReader d) => Capabilities.Require<IKeyFacts>(d, "key removal (every connected domain must say which keys it may still need)");
    }
}
