using System;
using System.IO;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using BackPak.Core.Sync;
using BackPak.Lab;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// Two labs made from the same seed have the same nodes and the same labels: the trap of item 4. Every object a
    /// provider returns carries its domain's identity (provider, location, node) and is acted on in that connection
    /// only, or refused when it is not open.
    /// </summary>
    public class CrossLabTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("crosslab");
        private readonly string _lab1, _lab2;

        public CrossLabTests()
        {
            _lab1 = _labs.Create("lab1", seed: 6);
            _lab2 = _labs.Create("lab2", seed: 6);
        }

        public void Dispose() => _labs.Dispose();

        /// <summary>lab1's \A in $one, lab2's \A in $two, which is the default.</summary>
        private PowerShellHost Connected()
        {
            var h = new PowerShellHost().WithIdleFilter();
            h.Run($"$global:one = Connect-BPDomain -Lab '{_lab1}' -Node '\\A'; $global:two = Connect-BPDomain -Lab '{_lab2}' -Node '\\A'");
            return h;
        }

        private static int Count(PowerShellHost h, string script) => h.Count(script);

        [Fact]
        public void Volumes_read_from_one_lab_are_removed_from_that_lab_only()
        {
            using var h = Connected();
            var labels = h.Run("Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 3 -ExpandProperty Label").Output.Select(x => x.ToString()).ToArray();
            string list = string.Join(",", labels);
            Assert.Equal(3, Count(h, $"Get-BPVolume -Label {list} -Domain $two")); // same seed, same labels in the default lab

            var (o, e) = h.Run("Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 3 | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(3, o.Count);
            Assert.All(o, x => Assert.Equal(Path.GetFullPath(_lab1), ((VolumeRemovalResult)x.BaseObject).Origin.Location));
            Assert.Equal(0, Count(h, $"Get-BPVolume -Label {list} -Domain $one -ErrorAction SilentlyContinue"));
            Assert.Equal(3, Count(h, $"Get-BPVolume -Label {list} -Domain $two"));
        }

        [Fact]
        public void Reads_piped_from_one_lab_are_answered_by_that_lab()
        {
            using var h = Connected();
            var entries = h.Run("Get-BPVolume -Domain $one -DataStore DS01 | Select-Object -First 2 | Get-BPCatalogEntry").Output.Select(x => (CatalogEntry)x.BaseObject).ToList();
            Assert.NotEmpty(entries);
            Assert.All(entries, c => Assert.Equal(Path.GetFullPath(_lab1), c.Origin.Location));
            var groups = h.Run("Get-BPDataStore DS01 -Domain $one | Get-BPVolumeGroup").Output.Select(x => (VolumeGroup)x.BaseObject).ToList();
            Assert.All(groups, g => Assert.Equal(Path.GetFullPath(_lab1), g.Origin.Location));
            var status = h.Run("Get-BPDataStore DS01 -Domain $one | Get-BPExportStatus").Output.Select(x => (ExportStatus)x.BaseObject).Single();
            Assert.Equal(Path.GetFullPath(_lab1), status.Origin.Location);
        }

        [Fact]
        public void An_object_whose_connection_is_closed_is_refused_not_acted_on_in_another_lab()
        {
            using var h = Connected();
            var (o, e) = h.Run("$v = Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 2; Disconnect-BPDomain $one; " +
                               "$v | Remove-BPVolume -Force -PassThru; @(Get-BPVolume -Label $v.Label -Domain $two).Count");
            Assert.Equal(2, e.Count);
            Assert.All(e, r => Assert.Equal("DomainNotConnected,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand", r.FullyQualifiedErrorId));
            Assert.Contains("lab1", e[0].Exception.Message);
            Assert.Equal(2, Convert.ToInt32(o.Single().BaseObject)); // untouched in lab2
        }

        [Fact]
        public void Reconnecting_the_same_lab_makes_its_objects_usable_again()
        {
            using var h = Connected();
            var (o, e) = h.Run($"$v = Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 1; Disconnect-BPDomain $one; " +
                               $"Connect-BPDomain -Lab '{_lab1}' -Node '\\A' | Out-Null; $v | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(RemovalStatus.Removed, ((VolumeRemovalResult)o.Single().BaseObject).Status);
        }

        [Fact]
        public void A_Domain_from_the_other_lab_contradicts_the_object_even_with_the_same_node_name()
        {
            using var h = Connected();
            var r = h.Terminating("Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 1 | Remove-BPVolume -Domain $two -Force");
            Assert.Equal("DomainMismatch,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand", r.FullyQualifiedErrorId);
            Assert.Contains("lab1", r.Exception.Message);
            Assert.Contains("lab2", r.Exception.Message);
        }

        [Fact]
        public void Export_Csv_and_ConvertTo_Json_keep_the_lab_and_read_as_text()
        {
            using var h = Connected();
            string csv = Path.Combine(_labs.Root, "vols.csv");
            var (json, _) = h.Run("Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 1 | ConvertTo-Json -WarningAction Stop");
            string text = json.Single().ToString();
            Assert.Contains("\"Origin\": {", text);
            Assert.Contains("\"Location\": " + Newtonsoft.Json.JsonConvert.ToString(Path.GetFullPath(_lab1)), text);
            Assert.Contains("\"Provider\": \"Lab\"", text);

            h.Run($"Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -Skip 1 -First 2 | Export-Csv '{csv}'");
            Assert.Contains("(Lab: " + Path.GetFullPath(_lab1) + ")", File.ReadAllText(csv));
            var (o, e) = h.Run($"Import-Csv '{csv}' | Remove-BPVolume -Force -PassThru; " +
                               "Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 1 | ConvertTo-Json | ConvertFrom-Json | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(3, o.Count);
            Assert.All(o, x => Assert.Equal(Path.GetFullPath(_lab1), ((VolumeRemovalResult)x.BaseObject).Origin.Location));
        }

        [Fact]
        public void A_node_name_connected_in_two_labs_outside_the_default_is_ambiguous()
        {
            string lab3 = _labs.Create("lab3", seed: 7, volumeCount: 10);
            using var h = Connected();
            h.Run($"Connect-BPDomain -Lab '{lab3}' -Node '\\B' | Out-Null"); // the default is now in lab3, which has \A unconnected
            var binding = h.Terminating("Get-BPDataStore -Domain '\\A'");
            Assert.Equal("ParameterArgumentTransformationError,BackPak.PowerShell.Cmdlets.GetBPDataStoreCommand", binding.FullyQualifiedErrorId);
            Assert.Contains("connected in 2 places", binding.Exception.Message);
            var piped = h.Terminating("[pscustomobject]@{ Label = 'AAAAAA'; Node = '\\A' } | Remove-BPVolume -Force");
            Assert.Equal("DomainAmbiguous,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand", piped.FullyQualifiedErrorId);
            // In the default's lab, the node name is not ambiguous.
            h.Run($"Connect-BPDomain -Lab '{_lab1}' -Node '\\B' | Out-Null");
            var (o, e) = h.Run("(Get-BPDataStore -Domain '\\A' | Select-Object -First 1).Origin.Location");
            Assert.Empty(e);
            Assert.Equal(Path.GetFullPath(_lab1), o.Single().ToString());
        }

        [Fact]
        public void Every_object_a_provider_returns_carries_its_domain_one_shared_instance()
        {
            using var h = Connected();
            var expected = new DomainIdentity("Lab", Path.GetFullPath(_lab1), @"\A");
            var (o, e) = h.Run(
                "Get-BPVolume -Domain $one | Select-Object -First 2; Get-BPDataStore -Domain $one; Get-BPVolumeGroup -Domain $one; " +
                "Get-BPVolume -Domain $one | Select-Object -First 1 | Get-BPCatalogEntry; Get-BPExportStatus DS01 -Domain $one; " +
                "Start-BPCatalogExport DS01 -Type Update -Domain $one -Confirm:$false; Get-BPAuditRecord -Domain $one -Last 1; " +
                "Get-BPVolume -Domain $one -DataStore DS01 -Expired | Idle | Select-Object -First 1 | Remove-BPVolume -Force -PassThru; " +
                "Remove-BPVolumeGroup TMFDUMPS -Domain $one -Recurse -IgnoreRetention -Force -PassThru");
            Assert.Empty(e);
            var types = o.Select(x => x.BaseObject.GetType()).Distinct().ToList();
            foreach (var t in new[] { typeof(Volume), typeof(DataStore), typeof(VolumeGroup), typeof(CatalogEntry), typeof(ExportStatus),
                                      typeof(SyncRun), typeof(AuditRecord), typeof(VolumeRemovalResult), typeof(DecommissionResult) })
                Assert.Contains(t, types);
            var origins = o.Select(x => (DomainIdentity)x.BaseObject.GetType().GetProperty("Origin")!.GetValue(x.BaseObject)!).ToList();
            Assert.All(origins, id => Assert.Equal(expected, id));
            Assert.Single(origins.Distinct(ReferenceComparer.Instance)); // a shared reference, not an object per item
            var import = h.Run($"Connect-BPDomain -Lab '{_lab1}' -Node '\\B' | Out-Null; Get-BPImportStatus DS01 -Domain '\\B'").Output.Single().BaseObject;
            Assert.Equal(@"\B", ((ImportStatus)import).Origin.Node);
        }

        private sealed class ReferenceComparer : System.Collections.Generic.IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();
            public new bool Equals(object? a, object? b) => ReferenceEquals(a, b);
            public int GetHashCode(object o) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(o);
        }
    }
}
