using System;
using BackPak.Conformance;
using BackPak.Core.Providers;

namespace BackPak.FakeProvider.Tests
{
    /// <summary>The in-memory fake passes the provider conformance suite as a full provider.</summary>
    public sealed class FakeConformanceTests : ProviderConformance
    {
        protected override IConformanceEstate Create() => new FakeConformanceEstate(readOnly: false);
    }

    /// <summary>The same estate behind reading alone: every capability test must find it refused, not half done.</summary>
    public sealed class ReadOnlyFakeConformanceTests : ProviderConformance
    {
        protected override IConformanceEstate Create() => new FakeConformanceEstate(readOnly: true);
    }

    internal sealed class FakeConformanceEstate : IConformanceEstate
    {
        private readonly FakeDomain _a, _b;
        private readonly bool _readOnly;

        public FakeConformanceEstate(bool readOnly)
        {
            var e = FakeEstate.Standard("mem:conformance-" + Guid.NewGuid().ToString("N"));
            _a = e.Open(@"\A");
            _b = e.Open(@"\B");
            _readOnly = readOnly;
        }

        public IDomainReader Primary => _readOnly ? new ReadOnlyDomain(_a) : (IDomainReader)_a;
        public IDomainReader Secondary => _readOnly ? new ReadOnlyDomain(_b) : (IDomainReader)_b;
        public string ReplicatedStore => "DS01";
        public string LocalStore => "DS02";
        public void MakeBusy(string label) => _a.SetOperation(label, "LOAD", "INPUT");
        public void MakeIdle(string label) => _a.SetOperation(label, null, null);
        public void Dispose() { _a.Dispose(); _b.Dispose(); }
    }
}
