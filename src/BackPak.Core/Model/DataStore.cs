using System;
namespace BackPak.Core.Model
{
    /// <summary>A BackPak data store as one domain sees it (BackBox UI "Data Store Information").</summary>
    public sealed class DataStore
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public DataStore(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        /// <summary>Store ID: unique in the domain, fixed at creation.</summary>
        public string Name { get; init; } = "";
        /// <summary>The NonStop node whose domain holds this definition, e.g. <c>\A</c>.</summary>
        public string Node { get; init; } = "";
        public DomainAccess DomainAccess { get; init; }
        public DataStoreStatus Status { get; init; }
        public StoreType StoreType { get; init; }
        /// <summary>Where the volume images live (a UNC path for WINDOWS FILE stores).</summary>
        public string StoragePath { get; init; } = "";
        /// <summary>Store ID of the primary store this one replicates (Q1: defaults to <see cref="Name"/>).</summary>
        public string PrimaryStoreId { get; init; } = "";
        public long VolumeCount { get; init; }
        public int VolumeGroupCount { get; init; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => Name;
    }
}
