using System;
using System.Collections.Generic;
using BackPak.Core.Model;
using BackPak.Core.Providers;

namespace BackPak.Lab
{
    /// <summary>
    /// A read-only view of a lab, shipped as a provider module of its own (Providers/LabReadOnly in the module folder):
    /// it lists everything the lab holds and offers nothing else, so every change is refused (CapabilityMissing) before
    /// anything is done. It shows how a site's provider is packaged and registered (Register-BPProvider), and gives an
    /// auditor a connection that cannot change anything.
    /// </summary>
    public sealed class LabReadOnlyProvider : IBackPakProvider
    {
        public string Name => "LabReadOnly";
        public string Description => "A lab made by New-BPLab, read only: every change is refused.";
        public IReadOnlyList<ProviderParameter> Parameters { get; } = new[]
        {
            new ProviderParameter { Name = "Path", Mandatory = true, IsPath = true, Description = "the folder of a lab made by New-BPLab" },
        };
        public Type DomainType => typeof(LabReadOnlyDomain);

        public IDomainReader Connect(ProviderConnectRequest request) =>
            new LabReadOnlyDomain(Lab.Open(Convert.ToString(request.Get("Path"), System.Globalization.CultureInfo.InvariantCulture)!).OpenDomain(request.Node));
    }

    /// <summary>A lab domain behind reading alone.</summary>
    public sealed class LabReadOnlyDomain : IDomainReader
    {
        private readonly LabDomain _d;
        internal LabReadOnlyDomain(LabDomain d) { _d = d; }
        public string Node => _d.Node;
        public string DomainId => _d.DomainId;
        public string Provider => "LabReadOnly";
        public string Location => _d.Location;
        /// <summary>The lab domain's identity, which the objects it reads carry: piped back, they reach this connection (and are refused there).</summary>
        public DomainIdentity Identity => _d.Identity;
        public DateTime Now => _d.Now;
        public IReadOnlyList<DataStore> GetDataStores(string? name = null) => _d.GetDataStores(name);
        public IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null) => _d.GetVolumeGroups(dataStore, name);
        public IEnumerable<Volume> GetVolumes(VolumeQuery query) => _d.GetVolumes(query);
        public long CountVolumes(VolumeQuery query) => _d.CountVolumes(query);
        public IEnumerable<CatalogEntry> GetCatalogEntries(string label) => _d.GetCatalogEntries(label);
        public void Dispose() => _d.Dispose();
    }
}
