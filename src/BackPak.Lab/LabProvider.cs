using System;
using System.Collections.Generic;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Providers;

namespace BackPak.Lab
{
    /// <summary>The lab as a provider: Connect-BPDomain -Provider Lab -Parameters @{ Path = './lab' } (or the short form -Lab ./lab).</summary>
    public sealed class LabProvider : IBackPakProvider, IProviderNodes, IProviderKeyManager
    {
        public string Name => "Lab";
        public string Description => "The embedded lab: a BackPak estate of NonStop nodes on local disk, made by New-BPLab.";
        public IReadOnlyList<ProviderParameter> Parameters { get; } = new[]
        {
            new ProviderParameter { Name = "Path", Mandatory = true, IsPath = true, Description = "the folder of a lab made by New-BPLab" },
        };
        public Type DomainType => typeof(LabDomain);

        public IDomainReader Connect(ProviderConnectRequest request) => Lab.Open(PathOf(request.Parameters)).OpenDomain(request.Node);

        /// <summary>The nodes of the lab (completion of -Node).</summary>
        public IReadOnlyList<string> ListNodes(IReadOnlyDictionary<string, object?> parameters) => Lab.Open(PathOf(parameters)).Nodes;

        /// <summary>The key store of the node's site (Connect-BPKeyManager -Lab), with the Key Manager id the node's domain defines.</summary>
        public IKeyManager OpenKeyManager(ProviderConnectRequest request, out string? backPakId)
        {
            var store = Lab.Open(PathOf(request.Parameters)).OpenKeyStore(request.Node);
            backPakId = store.BackPakId;
            return store;
        }

        private static string PathOf(IReadOnlyDictionary<string, object?> parameters)
        {
            var request = new ProviderConnectRequest { Parameters = parameters };
            return request.Get("Path") as string ?? Convert.ToString(request.Get("Path"), System.Globalization.CultureInfo.InvariantCulture)
                ?? throw new BackPakException(ErrorIds.ProviderParameterInvalid, BackPakErrorCategory.InvalidArgument, "The Lab provider needs -Parameters @{ Path = <lab folder> }.", "Path");
        }
    }
}
