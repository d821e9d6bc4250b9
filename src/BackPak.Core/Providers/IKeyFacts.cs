using System.Collections.Generic;
using BackPak.Core.Model;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// What key removal's safety rule must know of a domain (Core's KeyRemoval decides; the provider tells): its Key
    /// Manager ids, the other side of each replicated store, and the keys its storage images name. A provider without it
    /// cannot prove a key unused, so key removal refuses while such a domain is connected.
    /// </summary>
    public interface IKeyFacts
    {
        /// <summary>BackPak ids of the Key Managers defined in the domain (R15: the same id on both sides).</summary>
        IReadOnlyList<string> GetKeyManagerIds();

        /// <summary>
        /// The other side of each replicated data store of this domain: the node holding a PRIMARY store's SECONDARY
        /// copy, or a SECONDARY store's PRIMARY [CS p6]. Stores that are not replicated are not listed. Key removal uses
        /// it to refuse while a catalog that may still need a key is not connected.
        /// </summary>
        IReadOnlyList<ReplicationPartner> GetReplicationPartners();

        /// <summary>
        /// The Media Key Name in the storage image of each catalogued volume of this domain whose image names one (the
        /// store's storage; for a SECONDARY store, the replica it reads). A backup can write a new key into an image
        /// before the catalog names it, so key removal counts these as uses too. Reads every image of the domain: ask
        /// once per operation, never once per key.
        /// </summary>
        IReadOnlyList<VolumeImageKey> GetVolumeImageKeys();
    }
}
