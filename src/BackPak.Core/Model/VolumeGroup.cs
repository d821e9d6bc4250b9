using System;
namespace BackPak.Core.Model
{
    /// <summary>A volume group: attributes shared by its volumes, including the tape catalog link [BB p156/154].</summary>
    public sealed class VolumeGroup
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public VolumeGroup(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string Name { get; init; } = "";
        public string DataStore { get; init; } = "";
        public string Node { get; init; } = "";
        public CatalogKind CatalogKind { get; init; }
        /// <summary>DSM/TC volume catalog, node-qualified (e.g. <c>\A.VCDS01</c>); null when not DSM/TC.</summary>
        public string? VolumeCatalog { get; init; }
        public string? Pool { get; init; }
        /// <summary>DSM/TC file catalog for TAPEFILE and DISKFILE entries; null when not DSM/TC.</summary>
        public string? FileCatalog { get; init; }
        /// <summary>Guardian node of the TMF catalog; null when not TMF.</summary>
        public string? TmfNode { get; init; }
        /// <summary>Encryption is enabled per volume group [TEO p10].</summary>
        public bool Encrypted { get; init; }
        /// <summary>Name of the group on the primary side when the secondary group is named differently [CS p9].</summary>
        public string? OriginalPrimaryName { get; init; }
        public long VolumeCount { get; init; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => Name;
    }
}
