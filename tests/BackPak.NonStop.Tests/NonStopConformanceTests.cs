using System;
using System.Collections.Generic;
using System.IO;
using BackPak.Conformance;
using BackPak.Core.Providers;
using BackPak.NonStop.Provider;
using Xunit;

namespace BackPak.NonStop.Tests
{
    /// <summary>
    /// The provider conformance suite on the NonStop provider, through two real sshd servers (nodes \A and \B) whose
    /// forced command is the simulator: the reads are checked as on every provider, and every change is refused
    /// (CapabilityMissing), since the provider offers reading and a run journal alone.
    /// </summary>
    public sealed class NonStopConformanceTests : ProviderConformance, IClassFixture<ConformanceServers>
    {
        private readonly ConformanceServers _servers;

        public NonStopConformanceTests(ConformanceServers servers) { _servers = servers; }

        protected override IConformanceEstate Create() => new NonStopConformanceEstate(_servers);
    }

    /// <summary>
    /// Two simulated nodes and one site description of both. DS01 is replicated: PRIMARY on \A, SECONDARY on \B, the
    /// same assigned tapes AA0000-AA0024 (VC1/POOL1, group VG01) on both, and on \A the released AB0000-AB0003
    /// (VC1/POOL3, VG04). DS02 is \A's alone: scratch SC0000-SC0004 (VC2/POOL2, VG02) and the TMF tapes TM0000-TM0002
    /// (VG03). The servers are shared by the tests (reads change nothing); each test connects its own domains.
    /// </summary>
    public sealed class ConformanceServers : IDisposable
    {
        public ConformanceServers()
        {
            A = new SimulatorServer("\\A");
            B = new SimulatorServer("\\B");
            A.Admin("seed", "--volumes", "4", "--volcat", "VC1", "--pool", "POOL3", "--filecat", "FC1", "--prefix", "AB", "--status", "RELEASED", "--store", "DS01");
            SitePath = Path.Combine(A.Dir, "estate.psd1");
            File.WriteAllText(SitePath, $@"@{{
    SchemaVersion = 1
    Name = 'ESTATE'
    Nodes = @(
        @{{
            Node = '\A'
            Ssh = @{{ Host = '127.0.0.1'; Port = {A.Port}; User = '{A.User}'; KnownHostsFile = '{A.KnownHosts}'; IdentityFile = '{A.ClientKey}' }}
            BackPakSubvolume = '$SYSTEM.BBOX'
            Tmf = $true
            KeyManagerId = 'KM1'
            DataStores = @(
                @{{ StoreId = 'DS01'; DomainAccess = 'PRIMARY'; StoragePaths = @('/tmp/bp-none/A/DS01'); StagingSubvolume = '\B.$STAGE.DS01'
                    VolumeGroups = @(
                        @{{ Name = 'VG01'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1'; FileCatalog = 'FC1' }}
                        @{{ Name = 'VG04'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL3'; FileCatalog = 'FC1' }}
                    ) }}
                @{{ StoreId = 'DS02'; DomainAccess = 'PRIMARY'; StoragePaths = @('/tmp/bp-none/A/DS02')
                    VolumeGroups = @(
                        @{{ Name = 'VG02'; Catalog = 'DsmTc'; VolumeCatalog = 'VC2'; Pool = 'POOL2'; FileCatalog = 'FC2' }}
                        @{{ Name = 'VG03'; Catalog = 'Tmf' }}
                    ) }}
            )
        }}
        @{{
            Node = '\B'
            Ssh = @{{ Host = '127.0.0.1'; Port = {B.Port}; User = '{B.User}'; KnownHostsFile = '{B.KnownHosts}'; IdentityFile = '{B.ClientKey}' }}
            BackPakSubvolume = '$SYSTEM.BBOX'
            KeyManagerId = 'KM1'
            DataStores = @(
                @{{ StoreId = 'DS01'; DomainAccess = 'SECONDARY'; StoragePaths = @('/tmp/bp-none/B/DS01')
                    VolumeGroups = @( @{{ Name = 'VG01'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1'; FileCatalog = 'FC1' }} ) }}
            )
        }}
    )
}}
");
        }

        public SimulatorServer A { get; }
        public SimulatorServer B { get; }
        public string SitePath { get; }

        public NonStopDomain Connect(string node) =>
            (NonStopDomain)new NonStopProvider().Connect(new ProviderConnectRequest
            {
                Node = node,
                Parameters = new Dictionary<string, object?> { ["SiteDescription"] = SitePath },
            });

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
        }
    }

    internal sealed class NonStopConformanceEstate : IConformanceEstate
    {
        private readonly ConformanceServers _servers;
        private readonly NonStopDomain _a, _b;
        private readonly Dictionary<string, string> _made = new Dictionary<string, string>(StringComparer.Ordinal);

        public NonStopConformanceEstate(ConformanceServers servers)
        {
            _servers = servers;
            _a = servers.Connect("\\A");
            _b = servers.Connect("\\B");
        }

        public IDomainReader Primary => _a;
        public IDomainReader Secondary => _b;
        public string ReplicatedStore => "DS01";
        public string LocalStore => "DS02";

        // A current operation on the node is a tape DSM/TC holds INUSE (MEDIACOM p172): a backup or a restore reading it.
        public void MakeBusy(string label)
        {
            if (!_made.ContainsKey(label)) _made[label] = Status(label);
            _servers.A.Admin("status", label, "INUSE");
        }

        public void MakeIdle(string label)
        {
            _servers.A.Admin("status", label, _made.TryGetValue(label, out var s) ? s : "ASSIGNED");
            _made.Remove(label);
        }

        private string Status(string label)
        {
            foreach (var e in _a.GetCatalogEntries(label))
                if (e.Kind == Core.Model.CatalogEntryKind.TapeVolume && e.Status != null) return e.Status;
            return "ASSIGNED";
        }

        public void Dispose()
        {
            foreach (var label in new List<string>(_made.Keys)) MakeIdle(label);
            _a.Dispose();
            _b.Dispose();
        }
    }
}
