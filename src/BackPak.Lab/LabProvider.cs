using System;
using System.Collections.Generic;
using BackPak.Core.Errors;
using BackPak.Core.Providers;

namespace BackPak.Lab
{
    /// <summary>The lab as a provider: Connect-BPDomain -Provider Lab -Parameters @{ Path = './lab' } (or the short form -Lab ./lab).</summary>
    public sealed class LabProvider : IBackPakProvider
    {
        public string Name => "Lab";
        public string Description => "The embedded lab: a BackPak estate of NonStop nodes on local disk, made by New-BPLab.";
        public IReadOnlyList<ProviderParameter> Parameters { get; } = new[]
        {
            new ProviderParameter { Name = "Path", Mandatory = true, IsPath = true, Description = "the folder of a lab made by New-BPLab" },
        };
        public Type DomainType => typeof(LabDomain);

        public IDomainReader Connect(ProviderConnectRequest request)
        {
            var path = request.Get("Path") as string ?? Convert.ToString(request.Get("Path"), System.Globalization.CultureInfo.InvariantCulture)
                ?? throw new BackPakException(ErrorIds.ProviderParameterInvalid, BackPakErrorCategory.InvalidArgument, "The Lab provider needs -Parameters @{ Path = <lab folder> }.", "Path");
            return Lab.Open(path).OpenDomain(request.Node);
        }
    }
}
