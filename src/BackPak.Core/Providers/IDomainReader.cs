using System;
using System.Collections.Generic;
using BackPak.Core.Model;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Reading one BackPak domain on one NonStop node: the one capability every provider has. BackPak's Domain Manager
    /// (BBSV) has no public API, so a provider reaches the domain its own way (the lab's files, a site's commands); a
    /// read-only provider implements this alone. What else a provider can do it says by implementing the other
    /// capability contracts of this folder (removal, catalog sync, settings, switch facts, key facts, audit, journal,
    /// replication links); a cmdlet needing one the provider lacks refuses before doing anything (CapabilityMissing).
    /// </summary>
    public interface IDomainReader : IDisposable
    {
        /// <summary>NonStop node, e.g. <c>\A</c>.</summary>
        string Node { get; }
        /// <summary>Domain id as the UI window title shows it.</summary>
        string DomainId { get; }
        /// <summary>Which provider serves this domain, e.g. <c>Lab</c>.</summary>
        string Provider { get; }
        /// <summary>Where the provider reaches the domain (a lab folder, a domain address).</summary>
        string Location { get; }

        /// <summary>
        /// Provider, location and node together: which domain this is among every connection of a session. The
        /// provider stamps it (this very instance) on every object it returns.
        /// </summary>
        DomainIdentity Identity { get; }

        /// <summary>The domain's clock: expiration is judged against it.</summary>
        DateTime Now { get; }

        /// <summary>Data stores, optionally by exact name (case-insensitive).</summary>
        IReadOnlyList<DataStore> GetDataStores(string? name = null);

        /// <summary>Volume groups, optionally of one data store and/or by exact name.</summary>
        IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null);

        /// <summary>Volumes matching the query, in label order, streamed from the store; every filter is answered inside it.</summary>
        IEnumerable<Volume> GetVolumes(VolumeQuery query);

        /// <summary>How many volumes match the query (for progress and summaries), counted in the store.</summary>
        long CountVolumes(VolumeQuery query);

        /// <summary>The DSM/TC or TMF entries of one volume held in this node's catalogs.</summary>
        IEnumerable<CatalogEntry> GetCatalogEntries(string label);
    }
}
