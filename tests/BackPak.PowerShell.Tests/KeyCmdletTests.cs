using System.Linq;
using System.Management.Automation;
using BackPak.Core.Keys;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>Binding and session rules of the key cmdlets, hosted (the lab key store; nothing is destroyed here).</summary>
    public class KeyCmdletTests : IClassFixture<SmallLab>
    {
        private readonly SmallLab _lab;
        public KeyCmdletTests(SmallLab lab) { _lab = lab; }

        private PowerShellHost Connected()
        {
            var h = new PowerShellHost();
            h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null; Connect-BPKeyManager -Lab '{_lab.Path}' -Node '\\A' | Out-Null");
            return h;
        }

        [Fact]
        public void Volumes_piped_to_Remove_bind_their_MediaKeyName_and_clear_volumes_bind_nothing()
        {
            using var h = Connected();
            var encrypted = h.Run("@(Get-BPVolume -DataStore DS01 -Encrypted).Count").Output.Single().BaseObject;
            var (output, errors) = h.Run("Get-BPVolume -DataStore DS01 | Remove-BPEncryptionKey -Force -PassThru");
            var results = output.Select(o => (KeyRemovalResult)o.BaseObject).ToList();
            Assert.Equal(encrypted, results.Count);
            Assert.All(results, r => Assert.Equal("KeyStillReferenced", r.Error));
            Assert.All(results, r => Assert.StartsWith("BPK-", r.Name));
            Assert.Equal(results.Count, errors.Count);
            Assert.All(errors, e => Assert.Equal("KeyStillReferenced,BackPak.PowerShell.Cmdlets.RemoveBPEncryptionKeyCommand", e.FullyQualifiedErrorId));
            var states = h.Run("Get-BPVolume -DataStore DS01 -Encrypted | Get-BPEncryptionKey | ForEach-Object { \"$($_.State)\" }").Output.Select(o => o.ToString()).Distinct();
            Assert.Equal(new[] { "Active" }, states);
        }

        [Fact]
        public void Each_key_is_handled_once_however_many_times_it_comes_down_the_pipeline()
        {
            using var h = Connected();
            var (output, _) = h.Run("$v = Get-BPVolume -DataStore DS02 -Encrypted | Select-Object -First 2; $v + $v + $v | Remove-BPEncryptionKey -Force -PassThru");
            Assert.Equal(2, output.Count);
        }

        [Fact]
        public void Key_manager_connections_belong_to_their_runspace()
        {
            using var a = Connected();
            using var b = new PowerShellHost();
            Assert.Single(a.Run("Get-BPKeyManager").Output);
            Assert.Empty(b.Run("Get-BPKeyManager").Output);
            var r = b.Terminating("Get-BPEncryptionKey");
            Assert.Equal("KeyManagerNotConnected,BackPak.PowerShell.Cmdlets.GetBPEncryptionKeyCommand", r.FullyQualifiedErrorId);
        }

        [Fact]
        public void Removing_with_one_side_of_the_replicated_store_missing_is_refused_before_anything_and_names_the_node()
        {
            using var h = new PowerShellHost();
            h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null; Connect-BPKeyManager -Lab '{_lab.Path}' -Node '\\A' | Out-Null");
            var r = h.Terminating("Remove-BPEncryptionKey -Name 'BPK-NOT-USED' -Force");
            Assert.Equal("KeyDomainsNotConnected,BackPak.PowerShell.Cmdlets.RemoveBPEncryptionKeyCommand", r.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, r.CategoryInfo.Category);
            Assert.Contains("\\B", r.Exception.Message);
            Assert.Contains("-Node '\\B'", r.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_key_manager_with_an_id_no_domain_defines_cannot_remove()
        {
            using var h = new PowerShellHost();
            h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null; Connect-BPKeyManager -Lab '{_lab.Path}' -Node '\\A' -BackPakId KM99 | Out-Null");
            var r = h.Terminating("Remove-BPEncryptionKey -Name 'BPK-NOT-USED' -WhatIf");
            Assert.Equal("KeyManagerIdUnknown,BackPak.PowerShell.Cmdlets.RemoveBPEncryptionKeyCommand", r.FullyQualifiedErrorId);
        }

        [Fact]
        public void A_key_in_use_that_the_key_server_lacks_is_a_warning_and_a_MissingOnServer_result()
        {
            using var h = Connected();
            // DS03 lives on \B, its keys at site B: the key store of site A has none of them.
            var (output, errors) = h.Run("$w = @(); $r = Get-BPVolume -Domain '\\B' -DataStore DS03 -Encrypted | Select-Object -First 1 | " +
                "Remove-BPEncryptionKey -Force -PassThru -WarningVariable w -WarningAction SilentlyContinue; $r; $w");
            Assert.Empty(errors);
            var result = Assert.IsType<KeyRemovalResult>(output[0].BaseObject);
            Assert.Equal(KeyRemovalStatus.MissingOnServer, result.Status);
            Assert.False(result.AlreadyAbsent);
            Assert.Equal(1, result.ReferencingVolumes);
            var warning = Assert.IsType<WarningRecord>(output[1].BaseObject);
            Assert.Contains("cannot be read", warning.Message);
        }

        [Fact]
        public void Remove_asks_before_destroying_and_Force_is_not_a_switch_for_safety()
        {
            var attr = (CmdletAttribute)typeof(RemoveBPEncryptionKeyCommand).GetCustomAttributes(typeof(CmdletAttribute), false)[0];
            Assert.True(attr.SupportsShouldProcess);
            Assert.Equal(ConfirmImpact.High, attr.ConfirmImpact);
            var name = typeof(RemoveBPEncryptionKeyCommand).GetProperty("Name")!;
            Assert.Contains("MediaKeyName", name.GetCustomAttributes(typeof(AliasAttribute), false).Cast<AliasAttribute>().SelectMany(a => a.AliasNames));
        }

        [Fact]
        public void Connecting_to_a_KMIP_server_always_needs_the_trusted_root()
        {
            var root = typeof(ConnectBPKeyManagerCommand).GetProperty("TrustedRootCertificate")!;
            var sets = root.GetCustomAttributes(typeof(ParameterAttribute), false).Cast<ParameterAttribute>().ToList();
            Assert.Equal(new[] { "Certificate", "CertificatePath" }, sets.Select(s => s.ParameterSetName).OrderBy(s => s));
            Assert.All(sets, s => Assert.True(s.Mandatory));
            Assert.DoesNotContain(typeof(ConnectBPKeyManagerCommand).GetProperties(), p => p.PropertyType == typeof(SwitchParameter));
        }
    }
}
