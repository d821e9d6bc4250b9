<#
    Issue 12: a provider is a .NET assembly in its own module, registered like a SecretManagement vault. A provider module
    written here, in TestDrive (C# compiled with Add-Type against the module's BackPak.Core.dll), registers, connects,
    lists its volumes and is refused the removal it does not implement, with CapabilityMissing. The registry is kept in
    TestDrive (BACKPAK_PROVIDER_REGISTRY), never in the user's settings.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:SavedRegistry = $env:BACKPAK_PROVIDER_REGISTRY
    $env:BACKPAK_PROVIDER_REGISTRY = Join-Path $TestDrive 'providers.tsv'

    $core = Join-Path $script:Module.ModuleBase 'BackPak.Core.dll'
    $dir = Join-Path $TestDrive 'TinySite'
    $null = New-Item -ItemType Directory -Path $dir
    # A site that can only list: three volumes of one data store on one node, read-only.
    $source = @'
using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Providers;

namespace TinySite
{
    public sealed class TinyProvider : IBackPakProvider
    {
        public string Name => "Tiny";
        public string Description => "three volumes, read only";
        public IReadOnlyList<ProviderParameter> Parameters { get; } = new[] { new ProviderParameter { Name = "Site", Mandatory = true, Description = "site name" } };
        public Type DomainType => typeof(TinyDomain);
        public IDomainReader Connect(ProviderConnectRequest request) => new TinyDomain(request.Node, (string)request.Get("Site"));
    }

    public sealed class TinyDomain : IDomainReader
    {
        public TinyDomain(string node, string site) { Node = node.ToUpperInvariant(); Location = "tiny:" + site; Identity = new DomainIdentity("Tiny", Location, Node); }
        public string Node { get; }
        public string DomainId => "TINY";
        public string Provider => "Tiny";
        public string Location { get; }
        public DomainIdentity Identity { get; }
        public DateTime Now => DateTime.UtcNow;
        public IReadOnlyList<DataStore> GetDataStores(string name = null) =>
            new[] { new DataStore(Identity) { Name = "TS01", Node = Node, DomainAccess = DomainAccess.Primary, Status = DataStoreStatus.Active, VolumeCount = 3 } }
                .Where(s => name == null || s.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        public IReadOnlyList<VolumeGroup> GetVolumeGroups(string dataStore = null, string name = null) => new VolumeGroup[0];
        public IEnumerable<Volume> GetVolumes(VolumeQuery q) =>
            new[] { "TS0001", "TS0002", "TS0003" }.Where(l => q.Labels.Count == 0 || q.Labels.Any(p => p.Text == l || p.IsWildcard))
                .Where(l => q.DataStore == null || q.DataStore.Equals("TS01", StringComparison.OrdinalIgnoreCase))
                .Select(l => new Volume(Identity) { Label = l, DataStore = "TS01", VolumeGroup = "TSG", Node = Node, DomainAccess = DomainAccess.Primary, IsExpired = true, Expiration = DateTime.UtcNow.AddDays(-1) });
        public long CountVolumes(VolumeQuery q) => GetVolumes(q).LongCount();
        public IEnumerable<CatalogEntry> GetCatalogEntries(string label) => new CatalogEntry[0];
        public void Dispose() { }
    }
}
'@
    $dll = Join-Path $dir 'TinySite.dll'
    Add-Type -TypeDefinition $source -ReferencedAssemblies $core, 'System.Linq', 'System.Collections', 'System.Runtime', 'netstandard' -OutputAssembly $dll -OutputType Library -IgnoreWarnings
    $script:Psd1 = Join-Path $dir 'TinySite.psd1'
    Set-Content -Path $script:Psd1 -Value "@{ RootModule = 'TinySite.dll'; ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; CmdletsToExport = @(); FunctionsToExport = @() }"
}

AfterAll {
    Disconnect-BPDomain -All
    $env:BACKPAK_PROVIDER_REGISTRY = $script:SavedRegistry
}

Describe 'A provider module written by a site' {
    It 'registers after its checks, connects, lists its volumes, and is refused a removal it does not implement' {
        $p = Register-BPProvider -ModuleName $script:Psd1 -PassThru
        $p.Name | Should -Be 'Tiny'
        $p.Capabilities | Should -Be @('reading')
        (Get-BPProvider).Name | Should -Contain 'Lab'
        (Get-BPProvider Tiny).ModulePath | Should -Be $script:Psd1

        $c = Connect-BPDomain -Provider Tiny -Node '\A' -Parameters @{ Site = 'north' }
        $c.Provider | Should -Be 'Tiny'
        $c.Location | Should -Be 'tiny:north'
        @(Get-BPVolume).Label | Should -Be @('TS0001', 'TS0002', 'TS0003')
        (Get-BPDataStore).Name | Should -Be 'TS01'

        $err = $null
        try { Get-BPVolume | Remove-BPVolume -Confirm:$false; throw 'not refused' } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'CapabilityMissing,*'
        $err.Exception.Message | Should -BeLike '*Tiny provider*volume removal*'
        @(Get-BPVolume).Count | Should -Be 3
        { Start-BPCatalogExport TS01 -Type Full -Confirm:$false } | Should -Throw -ErrorId 'CapabilityMissing,BackPak.PowerShell.Cmdlets.StartBPCatalogExportCommand'
    }

    It 'is listed from the registry file in a new session, and unregistered' {
        Get-Content -Raw $env:BACKPAK_PROVIDER_REGISTRY | Should -Match 'Tiny'
        $pwsh = [Environment]::ProcessPath
        $out = & $pwsh (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Import-Module '$($script:Module.Path)'; (Get-BPProvider Tiny).Capabilities -join ','; @(Connect-BPDomain -Provider Tiny -Node '\B' -Parameters @{ Site = 's' } | ForEach-Object Node)"
        $out | Should -Be @('reading', '\B')
        Unregister-BPProvider Tiny -Confirm:$false
        { Connect-BPDomain -Provider Tiny -Node '\A' -Parameters @{ Site = 'x' } } | Should -Throw -ErrorId 'ProviderNotFound,BackPak.PowerShell.Cmdlets.ConnectBPDomainCommand'
    }

    It 'refuses a module that holds no provider, and changes nothing' {
        { Register-BPProvider -ModuleName Microsoft.PowerShell.Utility } | Should -Throw -ErrorId 'ProviderInvalid,BackPak.PowerShell.Cmdlets.RegisterBPProviderCommand'
        Get-Content -Raw $env:BACKPAK_PROVIDER_REGISTRY | Should -Not -Match 'Utility'
    }

    It 'connects a lab through -Provider Lab as through -Lab' {
        $lab = Join-Path $TestDrive 'lab'
        $null = New-BPLab -Path $lab -VolumeCount 50 -Seed 4
        Push-Location $TestDrive
        try { $c = Connect-BPDomain -Provider Lab -Node '\A' -Parameters @{ Path = './lab' } } finally { Pop-Location }
        $c.Provider | Should -Be 'Lab'
        $c.Location | Should -Be (Resolve-Path $lab).ProviderPath
        (Get-BPVolume -Domain $c -DataStore DS01 | Measure-Object).Count | Should -BeGreaterThan 0
        { Connect-BPDomain -Provider Lab -Node '\A' -Parameters @{ Path = $lab; Colour = 'red' } } | Should -Throw -ErrorId 'ProviderParameterInvalid,BackPak.PowerShell.Cmdlets.ConnectBPDomainCommand'
    }
}
