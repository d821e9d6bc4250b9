using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>Each bad input gives its exact FullyQualifiedErrorId, category and recommended action.</summary>
    public class ErrorIdTests : IClassFixture<SmallLab>
    {
        private readonly SmallLab _lab;
        public ErrorIdTests(SmallLab lab) { _lab = lab; }

        private PowerShellHost Connected()
        {
            var h = new PowerShellHost();
            h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null");
            return h;
        }

        private static void Is(ErrorRecord r, string id, string cmdletClass, ErrorCategory category)
        {
            Assert.Equal(id + ",BackPak.PowerShell.Cmdlets." + cmdletClass, r.FullyQualifiedErrorId);
            Assert.Equal(category, r.CategoryInfo.Category);
            Assert.False(string.IsNullOrEmpty(r.ErrorDetails?.RecommendedAction), "no recommended action");
        }

        [Fact]
        public void Connect_errors_are_terminating()
        {
            using var h = new PowerShellHost();
            Is(h.Terminating($"Connect-BPDomain -Lab '{Path.Combine(_lab.Root, "missing")}' -Node A"), "LabNotFound", "ConnectBPDomainCommand", ErrorCategory.ObjectNotFound);
            Is(h.Terminating($"Connect-BPDomain -Lab '{_lab.Root}' -Node A"), "NotALab", "ConnectBPDomainCommand", ErrorCategory.InvalidData);
            Is(h.Terminating($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\Z'"), "NodeNotFound", "ConnectBPDomainCommand", ErrorCategory.ObjectNotFound);
            Assert.Empty(h.Run("Get-BPDomain").Output);
        }

        [Fact]
        public void Without_a_connection_cmdlets_stop_with_NoDomainConnected()
        {
            using var h = new PowerShellHost();
            Is(h.Terminating("Get-BPVolume"), "NoDomainConnected", "GetBPVolumeCommand", ErrorCategory.ResourceUnavailable);
            Is(h.Terminating("Get-BPDataStore"), "NoDomainConnected", "GetBPDataStoreCommand", ErrorCategory.ResourceUnavailable);
            Is(h.Terminating("Disconnect-BPDomain"), "NoDomainConnected", "DisconnectBPDomainCommand", ErrorCategory.ResourceUnavailable);
        }

        [Fact]
        public void A_node_that_is_not_connected_fails_parameter_binding_with_a_clear_message()
        {
            using var h = Connected();
            var r = h.Terminating("Get-BPVolume -Domain '\\C'");
            Assert.IsAssignableFrom<ParameterBindingException>(r.Exception);
            Assert.Equal("ParameterArgumentTransformationError,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand", r.FullyQualifiedErrorId);
            Assert.Contains("'\\C'", r.Exception.Message);
            Assert.Contains("Connected: \\A", r.Exception.Message);
        }

        [Fact]
        public void Malformed_labels_are_non_terminating_and_the_good_ones_still_come_back()
        {
            using var h = Connected();
            string good = h.Run("(Get-BPVolume | Select-Object -First 1).Label").Output[0].ToString();
            var (o, e) = h.Run($"Get-BPVolume -Label 'AB', '{good}', 'ABCDEFG*'");
            Assert.Equal(good, ((BackPak.Core.Model.Volume)o.Single().BaseObject).Label);
            Assert.Equal(2, e.Count);
            Assert.All(e, r => Is(r, "InvalidLabel", "GetBPVolumeCommand", ErrorCategory.InvalidArgument));
            Assert.Equal("AB", e[0].TargetObject);
        }

        [Fact]
        public void Unknown_names_and_labels()
        {
            using var h = Connected();
            Is(h.Run("Get-BPVolume -DataStore NOPE").Errors.Single(), "DataStoreNotFound", "GetBPVolumeCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPVolume -VolumeGroup NOPE").Errors.Single(), "VolumeGroupNotFound", "GetBPVolumeCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPVolume -DataStore DS02 -VolumeGroup DAILY").Errors.Single(), "VolumeGroupNotFound", "GetBPVolumeCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPDataStore NOPE").Errors.Single(), "DataStoreNotFound", "GetBPDataStoreCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPVolumeGroup NOPE").Errors.Single(), "VolumeGroupNotFound", "GetBPVolumeGroupCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPVolume -Label ZZZZZ9").Errors.Single(), "VolumeNotFound", "GetBPVolumeCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPCatalogEntry -Label ZZZZZ9").Errors.Single(), "VolumeNotFound", "GetBPCatalogEntryCommand", ErrorCategory.ObjectNotFound);
            Is(h.Run("Get-BPVolume -DataStore 'BAD*NAME'").Errors.Single(), "InvalidName", "GetBPVolumeCommand", ErrorCategory.InvalidArgument);
            var wildcard = h.Run("Get-BPVolume -Label 'ZZZZ*'");
            Assert.Empty(wildcard.Errors); // a wildcard that matches nothing is not an error
        }

        [Fact]
        public void Expired_and_NotExpired_together_is_an_ambiguous_parameter_set()
        {
            using var h = Connected();
            var r = h.Terminating("Get-BPVolume -Expired -NotExpired");
            Assert.StartsWith("AmbiguousParameterSet,", r.FullyQualifiedErrorId);
        }

        [Fact]
        public void New_BPLab_refuses_what_it_must_not_replace()
        {
            using var h = new PowerShellHost();
            byte[] before = File.ReadAllBytes(Path.Combine(_lab.Path, "lab.db"));
            Is(h.Terminating($"New-BPLab -Path '{_lab.Path}' -VolumeCount 10"), "LabAlreadyExists", "NewBPLabCommand", ErrorCategory.ResourceExists);
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(_lab.Path, "lab.db")));
            string mine = Path.Combine(_lab.Root, "mine");
            Directory.CreateDirectory(mine);
            File.WriteAllText(Path.Combine(mine, "keep.txt"), "mine");
            Is(h.Terminating($"New-BPLab -Path '{mine}' -VolumeCount 10 -Force"), "PathNotEmpty", "NewBPLabCommand", ErrorCategory.ResourceExists);
            Assert.Equal("mine", File.ReadAllText(Path.Combine(mine, "keep.txt")));
        }

        [Fact]
        public void A_closed_connection_cannot_be_used()
        {
            using var h = Connected();
            Is(h.Terminating("$c = Get-BPDomain -Default; Disconnect-BPDomain; Get-BPVolume -Domain $c"), "DomainDisconnected", "GetBPVolumeCommand", ErrorCategory.ResourceUnavailable);
        }

        [Fact]
        public void Objects_from_a_node_that_is_not_connected_give_DomainNotConnected_per_item()
        {
            using var h = new PowerShellHost();
            h.Run($"$script:v = @(Connect-BPDomain -Lab '{_lab.Path}' -Node '\\B' | Out-Null; Get-BPVolume -DataStore DS01 | Select-Object -First 2); Disconnect-BPDomain; Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null");
            var (o, e) = h.Run("$script:v | Get-BPCatalogEntry");
            Assert.Empty(o);
            Assert.Equal(2, e.Count);
            Assert.All(e, r => Is(r, "DomainNotConnected", "GetBPCatalogEntryCommand", ErrorCategory.ResourceUnavailable));
        }
    }
}
