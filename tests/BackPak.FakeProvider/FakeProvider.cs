using System;
using System.Collections.Generic;
using BackPak.Core.Providers;

namespace BackPak.FakeProvider
{
    /// <summary>
    /// The fake as a registered provider: Connect-BPDomain -Provider Fake -Node '\A' -Parameters @{ Estate = 'e1' }. Estates
    /// live in the process, by name, made on first use (Volumes: volumes per store, 20 by default); ReadOnly = $true connects
    /// a domain that offers reading only.
    /// </summary>
    public sealed class FakeProvider : IBackPakProvider
    {
        private static readonly Dictionary<string, FakeEstate> Estates = new Dictionary<string, FakeEstate>(StringComparer.OrdinalIgnoreCase);

        public string Name => FakeDomain.ProviderName;
        public string Description => "An in-memory estate of two nodes, for tests.";
        public IReadOnlyList<ProviderParameter> Parameters { get; } = new[]
        {
            new ProviderParameter { Name = "Estate", Mandatory = true, Description = "the name of an in-memory estate, made on first use" },
            new ProviderParameter { Name = "Volumes", Type = typeof(int), Description = "volumes per data store of a new estate (20)" },
            new ProviderParameter { Name = "ReadOnly", Type = typeof(bool), Description = "offer reading only" },
        };
        public Type DomainType => typeof(FakeDomain);

        /// <summary>The estate of a name, made (standard shape) on first use.</summary>
        public static FakeEstate Estate(string name, int volumes = 20)
        {
            lock (Estates)
            {
                if (!Estates.TryGetValue(name, out var e)) Estates[name] = e = FakeEstate.Standard("mem:" + name, volumes);
                return e;
            }
        }

        public IDomainReader Connect(ProviderConnectRequest request)
        {
            var e = Estate(Convert.ToString(request.Get("Estate"), System.Globalization.CultureInfo.InvariantCulture)!,
                request.Get("Volumes") is { } v ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : 20);
            var d = e.Open(request.Node);
            return request.Get("ReadOnly") is { } ro && Convert.ToBoolean(ro, System.Globalization.CultureInfo.InvariantCulture) ? new ReadOnlyDomain(d) : (IDomainReader)d;
        }
    }
}
