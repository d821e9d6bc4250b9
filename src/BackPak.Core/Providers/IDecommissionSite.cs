using System.Collections.Generic;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// What the decommission of a data store asks of a domain beyond its catalog: the other places a store leaves
    /// something in on that side — its DSM/TC or TMF entries, its storage, the staging area its exports go to — read
    /// (for Test-BPDecommission and -WhatIf) and, for the staging area, cleared. A provider that lacks it cannot carry
    /// out or check those steps, and the cmdlets say so before doing anything. Core decides when each is done.
    /// </summary>
    public interface IDecommissionSite
    {
        /// <summary>For these labels, how many DSM/TC and TMF entries this node's catalogs still hold; labels with none are left out.</summary>
        IReadOnlyDictionary<string, int> GetTapeCatalogEntryCounts(IReadOnlyCollection<string> labels);

        /// <summary>The files left at a data store's storage location (its StoragePath, as the configuration shows it); empty when there is none.</summary>
        IReadOnlyList<string> GetStorageFiles(string storagePath);

        /// <summary>The export files of a data store (named by its Store ID on the primary side) in a staging area.</summary>
        IReadOnlyList<string> GetStagingFiles(string stagingArea, string primaryStoreId);

        /// <summary>Deletes the export files of a data store in a staging area (nothing else there); returns how many went.</summary>
        int RemoveStagingFiles(string stagingArea, string primaryStoreId, string user);
    }

    /// <summary>
    /// A storage replication facility that can also delete what it replicated of a data store at its target (the lab's
    /// link can; at a real site the storage's own tool does, or the operator). The decommission calls it for the replicas.
    /// </summary>
    public interface IReplicaCleanup
    {
        /// <summary>Where the replicated images of the store live (a site name), for the messages.</summary>
        string ReplicaSite { get; }

        /// <summary>Deletes the replicated images of the store at the target; returns how many files went.</summary>
        int RemoveReplica(string dataStore);
    }
}
