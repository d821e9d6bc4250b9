using System;
using System.Collections.Generic;
using System.IO;
using BackPak.Core.Providers;
using BackPak.NonStop.Provider;

namespace BackPak.NonStop.Tests
{
    /// <summary>
    /// A simulated node behind its own sshd, seeded for the provider, and a site description of it: DS01 (PRIMARY)
    /// with VG01 (VC1/POOL1, assigned tapes AA0000-AA0024), VG04 (VC1/POOL3, released AB0000-AB0003) and VG02 (TMF,
    /// TM0000-TM0002); DS02 (SECONDARY) with VG03 (VC2/POOL2, scratch SC0000-SC0004). VC1 also holds ZZ0000-ZZ0001 in
    /// pool OTHER, which no volume group names: tapes of another application.
    /// </summary>
    public sealed class ProviderSite : IDisposable
    {
        public ProviderSite() : this("\\A") { }

        internal ProviderSite(string node)
        {
            Server = new SimulatorServer(node);
            Server.Admin("seed", "--volumes", "4", "--volcat", "VC1", "--pool", "POOL3", "--filecat", "FC1", "--prefix", "AB", "--status", "RELEASED", "--store", "DS01");
            Server.Admin("seed", "--volumes", "2", "--volcat", "VC1", "--pool", "OTHER", "--filecat", "FC1", "--prefix", "ZZ", "--store", "DS09");
            SitePath = Write("site.psd1");
        }

        public SimulatorServer Server { get; }
        public string SitePath { get; }

        /// <summary>Writes a site description of this node into the server's folder; the arguments change one thing each.</summary>
        public string Write(string file, string? knownHosts = null, string? identityFile = null, int commandTimeout = 20, string authentication = "Key", string extraGroup = "")
        {
            string identity = authentication == "Key" ? $"IdentityFile = '{identityFile ?? Server.ClientKey}'" : "";
            string text = $@"@{{
    SchemaVersion = 1
    Name = 'SIM'
    Nodes = @(
        @{{
            Node = '{Server.Node}'
            Ssh = @{{ Host = '127.0.0.1'; Port = {Server.Port}; User = '{Server.User}'; KnownHostsFile = '{knownHosts ?? Server.KnownHosts}'
                      Authentication = '{authentication}'; {identity}; ConnectTimeoutSeconds = 10; CommandTimeoutSeconds = {commandTimeout} }}
            BackPakSubvolume = '$SYSTEM.BBOX'
            Tmf = $true
            DataStores = @(
                @{{ StoreId = 'DS01'; DomainAccess = 'PRIMARY'; StoragePaths = @('/tmp/bp-none/DS01')
                    VolumeGroups = @(
                        @{{ Name = 'VG01'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1'; FileCatalog = 'FC1' }}
                        @{{ Name = 'VG04'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL3'; FileCatalog = 'FC1' }}
                        @{{ Name = 'VG02'; Catalog = 'Tmf' }}
                        {extraGroup}
                    ) }}
                @{{ StoreId = 'DS02'; DomainAccess = 'SECONDARY'; StoragePaths = @('/tmp/bp-none/DS02')
                    VolumeGroups = @( @{{ Name = 'VG03'; Catalog = 'DsmTc'; VolumeCatalog = '\A.VC2'; Pool = 'POOL2'; FileCatalog = 'FC2' }} ) }}
            )
        }}
    )
}}
";
            string path = Path.Combine(Server.Dir, file);
            File.WriteAllText(path, text);
            return path;
        }

        public NonStopDomain Connect(string? site = null, System.Net.NetworkCredential? credential = null, IDictionary<string, object?>? more = null)
        {
            var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["SiteDescription"] = site ?? SitePath };
            if (more != null) foreach (var kv in more) parameters[kv.Key] = kv.Value;
            return (NonStopDomain)new NonStopProvider().Connect(new ProviderConnectRequest { Node = Server.Node, Parameters = parameters, Credential = credential });
        }

        public void Dispose() => Server.Dispose();
    }
}
