using System;

namespace BackPak.Core.Model
{
    /// <summary>One DSM/TC or TMF catalog entry linked to a volume.</summary>
    public sealed class CatalogEntry
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public CatalogEntry(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string Label { get; init; } = "";
        /// <summary>Node whose catalog holds the entry.</summary>
        public string Node { get; init; } = "";
        public CatalogKind Catalog { get; init; }
        public CatalogEntryKind Kind { get; init; }
        /// <summary>VOLCAT for a TAPEVOLUME, FILECAT for TAPEFILE and DISKFILE, the TMF node for TMF entries.</summary>
        public string CatalogName { get; init; } = "";
        /// <summary>POOL of a TAPEVOLUME.</summary>
        public string? Pool { get; init; }
        /// <summary>Position on the tape (file sequence) for TAPEFILE and DISKFILE entries; dump sequence for TMF.</summary>
        public int? Sequence { get; init; }
        /// <summary>The label for TAPEVOLUME, the FILEID for TAPEFILE, the node-qualified file name for DISKFILE.</summary>
        public string Name { get; init; } = "";
        public int? Generation { get; init; }
        public string? Status { get; init; }
        public DateTime? Expiration { get; init; }
        public DateTime? Created { get; init; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => Kind + " " + Name;
    }
}
