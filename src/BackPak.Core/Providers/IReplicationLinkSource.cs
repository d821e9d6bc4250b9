using BackPak.Core.Procedures;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// The replication facilities outside BackPak that a provider can reach for a domain's estate (storage replication of
    /// the volume images, key-server replication). Without one, the steps that reverse or clear them stop and wait for the
    /// operator to do it with the facility's own tools.
    /// </summary>
    public interface IReplicationLinkSource
    {
        /// <summary>The link of a kind (STORAGE for a data store, KEYS), or null when the provider has none.</summary>
        IReplicationLink? ReplicationLink(string kind, string? dataStore);

        /// <summary>The site a node sits in (replication flows between sites), or null when unknown.</summary>
        string? SiteOf(string node);
    }
}
