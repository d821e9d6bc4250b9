using System;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.FakeProvider;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// The cmdlets on the in-memory fake provider, registered and connected as a site's provider would be (no SQLite, no
    /// files but the registry): reads, removals, refusals of what a read-only provider lacks, and the planned switch.
    /// </summary>
    [Collection("ProviderRegistry")]
    public sealed class FakeProviderCmdletTests : IDisposable
    {
        private readonly string _registry = Path.Combine(Path.GetTempPath(), "backpak-registry-" + Guid.NewGuid().ToString("N") + ".tsv");
        private readonly string? _saved = Environment.GetEnvironmentVariable("BACKPAK_PROVIDER_REGISTRY");
        private readonly string _estate = "hosted-" + Guid.NewGuid().ToString("N");
        private static string Module => typeof(FakeProvider.FakeProvider).Assembly.Location;

        public FakeProviderCmdletTests() => Environment.SetEnvironmentVariable("BACKPAK_PROVIDER_REGISTRY", _registry);

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("BACKPAK_PROVIDER_REGISTRY", _saved);
            try { File.Delete(_registry); } catch (IOException) { }
        }

        private PowerShellHost Connected(bool readOnly = false)
        {
            var h = new PowerShellHost();
            var (_, e) = h.Run($"Register-BPProvider -ModuleName '{Module}'; " +
                               $"$null = Connect-BPDomain -Provider Fake -Node '\\B' -Parameters @{{ Estate = '{_estate}'; ReadOnly = ${readOnly.ToString().ToLowerInvariant()} }}; " +
                               $"$null = Connect-BPDomain -Provider Fake -Node '\\A' -Parameters @{{ Estate = '{_estate}'; ReadOnly = ${readOnly.ToString().ToLowerInvariant()} }}");
            Assert.True(e.Count == 0, string.Join("; ", e.Select(x => x.ToString())));
            return h;
        }

        [Fact]
        public void A_registered_provider_is_listed_with_what_it_offers_and_connects()
        {
            using var h = Connected();
            var providers = h.Run("Get-BPProvider").Output.Select(o => (RegisteredProvider)o.BaseObject).ToList();
            Assert.Contains(providers, p => p.Name == "Lab" && p.BuiltIn && p.Capabilities.Contains(Capabilities.NameOf(typeof(IVolumeRemover))));
            var fake = Assert.Single(providers, p => p.Name == "Fake");
            Assert.False(fake.BuiltIn);
            Assert.Equal(Module, fake.ModulePath);
            Assert.Contains(Capabilities.NameOf(typeof(ICatalogSync)), fake.Capabilities);
            Assert.Contains(fake.Parameters, p => p.Name == "Estate" && p.Mandatory);
            var c = (DomainConnection)h.Run("Get-BPDomain -Default").Output.Single().BaseObject;
            Assert.Equal("Fake", c.Provider);
            Assert.Equal("mem:" + _estate, c.Location);
            Assert.Equal(20, h.Count("Get-BPVolume -DataStore DS02"));
            Assert.Equal(20, h.Count("Get-BPVolume -DataStore DS01 -Domain '\\B'"));
        }

        [Fact]
        public void Removal_on_the_fake_applies_Cores_rules()
        {
            using var h = Connected();
            var (o, e) = h.Run("Get-BPVolume -DataStore DS02 | Remove-BPVolume -Confirm:$false -PassThru");
            Assert.Equal(10, o.Count(x => ((VolumeRemovalResult)x.BaseObject).Status == RemovalStatus.Removed));
            Assert.Equal(10, e.Count(x => x.FullyQualifiedErrorId.StartsWith(ErrorIds.VolumeNotExpired + ",", StringComparison.Ordinal)));
            Assert.Equal(10, h.Count("Get-BPVolume -DataStore DS02"));
            Assert.Equal(0, h.Count("Get-BPVolume -DataStore DS02 -Expired"));
            Assert.NotEmpty(h.Run("Get-BPAuditRecord -Action RemoveVolume").Output);
        }

        [Theory]
        [InlineData("Get-BPVolume -DataStore DS02 | Remove-BPVolume -Confirm:$false")]
        [InlineData("Remove-BPVolumeGroup VG02 -Recurse -Confirm:$false")]
        [InlineData("Remove-BPDataStore DS02 -Recurse -Confirm:$false")]
        [InlineData("Set-BPDataStore DS01 -ExportCheckDelay 00:01:00 -Confirm:$false")]
        [InlineData("Start-BPCatalogExport DS01 -Type Full -Confirm:$false")]
        [InlineData("Get-BPExportStatus DS01")]
        [InlineData("Get-BPAuditRecord")]
        [InlineData("Invoke-BPRoleSwitch -DataStore DS01 -Primary '\\A' -Secondary '\\B' -Confirm:$false")]
        [InlineData("Test-BPRoleSwitch -DataStore DS01 -Primary '\\A' -Secondary '\\B'")]
        [InlineData("Get-BPRoleSwitchRun")]
        [InlineData("Test-BPDecommission -DataStore DS01 -Primary '\\A' -Secondary '\\B'")]
        public void A_read_only_provider_is_refused_what_it_lacks_before_anything_is_done(string command)
        {
            using var h = Connected(readOnly: true);
            var before = FakeProvider.FakeProvider.Estate(_estate).Nodes[@"\A"].Volumes.Count;
            var r = h.Terminating(command);
            Assert.StartsWith(ErrorIds.CapabilityMissing + ",", r.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.NotImplemented, r.CategoryInfo.Category);
            Assert.Equal(before, FakeProvider.FakeProvider.Estate(_estate).Nodes[@"\A"].Volumes.Count);
            Assert.Equal(40, h.Count("Get-BPVolume")); // reading still works
        }

        [Fact]
        public void The_planned_switch_runs_end_to_end_on_the_fake_and_is_listed()
        {
            using var h = Connected();
            var (o, e) = h.Run("Invoke-BPRoleSwitch -DataStore DS01 -Primary '\\A' -Secondary '\\B' -Confirm:$false");
            Assert.True(e.Count == 0, string.Join("; ", e.Select(x => x.ToString())));
            var report = (RoleSwitchReport)o.Last().BaseObject;
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.Equal("mem:" + _estate, report.Location);
            Assert.Equal("Secondary", h.Run("(Get-BPDataStore DS01 -Domain '\\A').DomainAccess").Output.Single().ToString());
            Assert.Equal("Primary", h.Run("(Get-BPDataStore DS01 -Domain '\\B').DomainAccess").Output.Single().ToString());
            Assert.Equal(@"\A.$FKSTG.DS01", h.Run("(Get-BPExportStatus DS01 -Domain '\\B').StagingArea").Output.Single().ToString());
            Assert.Equal(report.RunId, h.Run("Get-BPRoleSwitchRun | Select-Object -Last 1 -ExpandProperty RunId").Output.Single().ToString());
            Assert.All(FakeProvider.FakeProvider.Estate(_estate).Links, l => Assert.Equal("SITEB", l.Source));
        }

        [Fact]
        public void A_switch_that_needs_a_domain_of_the_fake_advises_connecting_it_through_the_fake()
        {
            using var h = Connected();
            // The advice of a run that needs a side not connected (resume, abandon): in the provider's own form.
            var advice = h.Run("$t = [BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand].Assembly.GetType('BackPak.PowerShell.SwitchContexts'); " +
                               $"try {{ $null = $t.GetMethod('Connection').Invoke($null, @('mem:{_estate}', '\\C')) }} catch {{ $_.Exception.InnerException.RecommendedAction }}").Output.Single().ToString();
            Assert.StartsWith(@"Connect it first: Connect-BPDomain -Provider Fake -Node '\C'", advice);
            Assert.DoesNotContain("-Lab", advice);
        }

        [Fact]
        public void Connecting_checks_the_providers_parameters()
        {
            using var h = new PowerShellHost();
            h.Run($"Register-BPProvider -ModuleName '{Module}'");
            Assert.StartsWith(ErrorIds.ProviderParameterInvalid + ",", h.Terminating("Connect-BPDomain -Provider Fake -Node '\\A'").FullyQualifiedErrorId);
            var r = h.Terminating($"Connect-BPDomain -Provider Fake -Node '\\A' -Parameters @{{ Estate = 'x'; Colour = 'red' }}");
            Assert.StartsWith(ErrorIds.ProviderParameterInvalid + ",", r.FullyQualifiedErrorId);
            Assert.Contains("Colour", r.Exception.Message);
            Assert.StartsWith(ErrorIds.ProviderNotFound + ",", h.Terminating("Connect-BPDomain -Provider Nope -Node '\\A'").FullyQualifiedErrorId);
            Assert.Empty(h.Run("Get-BPDomain").Output);
        }

        [Fact]
        public void Registration_refuses_a_module_without_a_provider_and_the_built_in_cannot_go()
        {
            using var h = new PowerShellHost();
            Assert.StartsWith(ErrorIds.ProviderInvalid + ",", h.Terminating("Register-BPProvider -ModuleName Microsoft.PowerShell.Utility").FullyQualifiedErrorId);
            Assert.StartsWith(ErrorIds.ProviderInvalid + ",", h.Terminating("Register-BPProvider -ModuleName ./no/such.psd1").FullyQualifiedErrorId);
            Assert.StartsWith(ErrorIds.ProviderInvalid + ",", h.Terminating("Unregister-BPProvider Lab -Confirm:$false").FullyQualifiedErrorId);
            Assert.False(File.Exists(_registry));
            h.Run($"Register-BPProvider -ModuleName '{Module}'");
            Assert.Contains("Fake", File.ReadAllText(_registry));
            h.Run("Unregister-BPProvider Fake -Confirm:$false");
            Assert.StartsWith(ErrorIds.ProviderNotFound + ",", Assert.Single(h.Run("Get-BPProvider Fake").Errors).FullyQualifiedErrorId);
        }
    }
}
