using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Removal;
using BackPak.Lab;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// A selection given with nothing in it ($null, @(), '', an empty file) never means "everything": a cmdlet that
    /// changes things refuses it (EmptySelection) and a read selects nothing with a warning. Labels that match every
    /// label need the store to be named on a removal (WildcardSelectsEveryVolume).
    /// </summary>
    public class EmptySelectionTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("empty");
        private readonly string _lab;

        public EmptySelectionTests()
        {
            _lab = _labs.Create("lab", seed: 8);
            File.WriteAllText(Path.Combine(_labs.Root, "empty.txt"), "");
        }

        public void Dispose() => _labs.Dispose();

        private PowerShellHost Connected()
        {
            var h = new PowerShellHost().WithIdleFilter();
            h.Run($"Connect-BPDomain -Lab '{_lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab}' -Node '\\A' | Out-Null; $global:empty = '{Path.Combine(_labs.Root, "empty.txt")}'");
            return h;
        }

        private static int Count(PowerShellHost h, string script) => h.Count(script);

        private static int Volumes(PowerShellHost h) => Count(h, "Get-BPVolume -Domain '\\A'; Get-BPVolume -Domain '\\B'");

        private static int Changes(PowerShellHost h) => Count(h, "Get-BPAuditRecord -Kind Change -All -Domain '\\A'; Get-BPAuditRecord -Kind Change -All -Domain '\\B'");

        [Fact]
        public void The_empty_file_pipeline_of_the_issue_removes_nothing()
        {
            using var h = Connected();
            int before = Volumes(h);
            var (o, e) = h.Run("Get-BPVolume -Label (Get-Content $empty) -Expired -WarningVariable w -WarningAction SilentlyContinue | Remove-BPVolume -Force -PassThru; $w.Count");
            Assert.Empty(e);
            Assert.Equal(1, Convert.ToInt32(o.Single().BaseObject)); // the warning, and no removal result
            Assert.Equal(before, Volumes(h));
        }

        [Theory]
        [InlineData("Remove-BPVolume -Label (Get-Content $empty) -Force", "Label", "RemoveBPVolumeCommand")]
        [InlineData("Remove-BPVolume -Label $null -Force", "Label", "RemoveBPVolumeCommand")]
        [InlineData("Remove-BPVolume -Label @() -Force", "Label", "RemoveBPVolumeCommand")]
        [InlineData("Remove-BPVolume -Label '', ' ' -Force", "Label", "RemoveBPVolumeCommand")]
        [InlineData("Remove-BPVolume -Label '*' -DataStore $null -Force -IgnoreRetention", "DataStore", "RemoveBPVolumeCommand")]
        [InlineData("Get-BPVolume -DataStore DS02 | Remove-BPVolume -Domain $null -Force", "Domain", "RemoveBPVolumeCommand")]
        [InlineData("Remove-BPVolumeGroup -Name @() -Recurse -IgnoreRetention -Force", "Name", "RemoveBPVolumeGroupCommand")]
        [InlineData("Remove-BPDataStore -Name $null -Recurse -IgnoreRetention -Force", "Name", "RemoveBPDataStoreCommand")]
        [InlineData("Remove-BPEncryptionKey -Name $null -Force", "Name", "RemoveBPEncryptionKeyCommand")]
        [InlineData("Remove-BPEncryptionKey -Name @() -Force", "Name", "RemoveBPEncryptionKeyCommand")]
        [InlineData("Invoke-BPLabBackup DS01 -Label @() -Confirm:$false", "Label", "InvokeBPLabBackupCommand")]
        [InlineData("Start-BPLabBackup DS01 -Label '' -Confirm:$false", "Label", "StartBPLabBackupCommand")]
        [InlineData("Stop-BPLabBackup -Label $null -Confirm:$false", "Label", "StopBPLabBackupCommand")]
        [InlineData("Set-BPDataStore -DataStore $null -ExportCheckDelay 00:02:00 -Confirm:$false", "DataStore", "SetBPDataStoreCommand")]
        [InlineData("Suspend-BPCatalogExport -DataStore @() -Confirm:$false", "DataStore", "SuspendBPCatalogExportCommand")]
        [InlineData("Start-BPCatalogExport -DataStore (Get-Content $empty) -Type Full -Confirm:$false", "DataStore", "StartBPCatalogExportCommand")]
        [InlineData("Remove-BPLabFault -Kind StagingUnreachable -Target $null -Confirm:$false", "Target", "RemoveBPLabFaultCommand")]
        public void A_change_given_an_empty_selection_refuses_with_EmptySelection_and_changes_nothing(string script, string parameter, string cmdletClass)
        {
            using var h = Connected();
            int volumes = Volumes(h), changes = Changes(h);
            var r = h.Terminating(script);
            Assert.Equal("EmptySelection,BackPak.PowerShell.Cmdlets." + cmdletClass, r.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, r.CategoryInfo.Category);
            Assert.Contains("-" + parameter + " was given with nothing in it", r.Exception.Message);
            Assert.Equal(parameter, r.TargetObject);
            Assert.Equal(volumes, Volumes(h));
            Assert.Equal(changes, Changes(h));
        }

        [Theory]
        [InlineData("Get-BPVolume -Label $null", "Label")]
        [InlineData("Get-BPVolume -Label (Get-Content $empty) -Expired", "Label")]
        [InlineData("Get-BPVolume -DataStore $null", "DataStore")]
        [InlineData("Get-BPVolume -VolumeGroup ''", "VolumeGroup")]
        [InlineData("Get-BPVolume -MediaKeyName $null", "MediaKeyName")]
        [InlineData("Get-BPVolume -Domain $null", "Domain")]
        [InlineData("Get-BPCatalogEntry -Label @()", "Label")]
        [InlineData("Get-BPVolume | Select-Object -First 1 | Get-BPCatalogEntry -Kind @()", "Kind")]
        [InlineData("Get-BPDataStore -Name $null", "Name")]
        [InlineData("Get-BPVolumeGroup -Name @()", "Name")]
        [InlineData("Get-BPVolumeGroup -DataStore $null", "DataStore")]
        [InlineData("Get-BPExportStatus -DataStore $null", "DataStore")]
        [InlineData("Get-BPImportStatus -DataStore @()", "DataStore")]
        [InlineData("Get-BPAuditRecord -Target $null", "Target")]
        [InlineData("Get-BPAuditRecord -Action ''", "Action")]
        [InlineData("Get-BPRoleSwitchRun -RunId @()", "RunId")]
        [InlineData("Get-BPDomain -Node $null", "Node")]
        [InlineData("Get-BPEncryptionKey -Name $null", "Name")]
        public void A_read_given_an_empty_selection_selects_nothing_and_warns(string script, string parameter)
        {
            using var h = Connected();
            var (o, e) = h.Run(script + " -WarningVariable w -WarningAction SilentlyContinue; $w | ForEach-Object { 'WARNING ' + $_.Message }");
            Assert.Empty(e);
            var warning = Assert.Single(o).ToString();
            Assert.StartsWith("WARNING -" + parameter + " was given with nothing in it", warning);
        }

        [Fact]
        public void Left_out_a_selection_still_means_what_the_cmdlet_documents()
        {
            using var h = Connected();
            Assert.Equal(Count(h, "Get-BPVolume -Domain '\\A'"), Count(h, "Get-BPVolume -DataStore DS01") + Count(h, "Get-BPVolume -DataStore DS02"));
            Assert.Equal(2, Count(h, "Get-BPDataStore"));
            Assert.Equal(2, Count(h, "Get-BPDomain"));
        }

        [Fact]
        public void Blank_items_of_a_list_are_ignored()
        {
            using var h = Connected();
            var label = h.Run("Get-BPVolume | Select-Object -First 1 -ExpandProperty Label").Output.Single().ToString();
            var (o, e) = h.Run($"Get-BPVolume -Label '{label}', '', $null, '  '");
            Assert.Empty(e);
            Assert.Equal(label, o.Single().Properties["Label"].Value);
        }

        [Fact]
        public void A_piped_object_with_an_empty_Label_selects_nothing_and_the_others_go_on()
        {
            using var h = Connected();
            var label = h.Run("Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 1 -ExpandProperty Label").Output.Single().ToString();
            int before = Volumes(h);
            var (o, e) = h.Run($"[pscustomobject]@{{ Label = '' }}, [pscustomobject]@{{ Label = $null }}, [pscustomobject]@{{ Label = '{label}' }} | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(label, ((VolumeRemovalResult)o.Single().BaseObject).Label);
            Assert.Equal(before - 1, Volumes(h));

            // A read: a row whose DataStore is empty selects nothing (never every store).
            (o, e) = h.Run("[pscustomobject]@{ DataStore = '' }, [pscustomobject]@{ DataStore = $null } | Get-BPVolume");
            Assert.Empty(e);
            Assert.Empty(o);
        }

        [Fact]
        public void A_property_bound_by_an_earlier_piped_object_does_not_stay_for_the_next()
        {
            using var h = Connected();
            // PowerShell keeps the names of parameters bound by an earlier object; BPCmdlet forgets them, so the second
            // row is not taken as "DataStore given empty" nor filtered by the first row's DataStore.
            var a = h.Run("Get-BPVolume -DataStore DS02 | Select-Object -First 1 -ExpandProperty Label").Output.Single().ToString();
            var b = h.Run("Get-BPVolume -DataStore DS01 | Select-Object -First 1 -ExpandProperty Label").Output.Single().ToString();
            var (o, e) = h.Run($"[pscustomobject]@{{ Label = '{a}'; DataStore = 'DS02' }}, [pscustomobject]@{{ Label = '{b}' }} | Get-BPVolume");
            Assert.Empty(e);
            Assert.Equal(new[] { a, b }, o.Select(x => x.Properties["Label"].Value));
            (o, e) = h.Run($"[pscustomobject]@{{ Label = '{a}'; DataStore = $null }}, [pscustomobject]@{{ Label = '{b}' }} | Get-BPVolume");
            Assert.Empty(e);
            Assert.Equal(new[] { b }, o.Select(x => x.Properties["Label"].Value));
        }

        [Theory]
        [InlineData("Remove-BPVolume -Label '*' -Force -IgnoreRetention")]
        [InlineData("Remove-BPVolume -Label '??????' -Force -IgnoreRetention")]
        [InlineData("Remove-BPVolume -Label '[A-Z0-9]*' -Domain '\\B' -Force -IgnoreRetention")]
        [InlineData("'[A-M]*', '[N-Z]*', '[0-9]*' | Remove-BPVolume -Force -IgnoreRetention")]
        [InlineData("[pscustomobject]@{ Label = '*' } | Remove-BPVolume -Force -IgnoreRetention")]
        public void Labels_that_match_every_label_need_the_data_store_named(string script)
        {
            using var h = Connected();
            int volumes = Volumes(h), changes = Changes(h);
            var r = h.Terminating(script);
            Assert.Equal("WildcardSelectsEveryVolume,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand", r.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, r.CategoryInfo.Category);
            Assert.Equal(volumes, Volumes(h));
            Assert.Equal(changes, Changes(h));
        }

        [Fact]
        public void With_the_data_store_named_a_star_removes_that_store_and_nothing_else()
        {
            using var h = Connected();
            int ds01 = Count(h, "Get-BPVolume -DataStore DS01"), ds02 = Count(h, "Get-BPVolume -DataStore DS02");
            int busy = Count(h, "Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation");
            var (o, e) = h.Run("Remove-BPVolume -Label '*' -DataStore DS02 -IgnoreRetention -Force -PassThru");
            Assert.All(e, r => Assert.StartsWith("VolumeBusy,", r.FullyQualifiedErrorId));
            Assert.Equal(busy, e.Count);
            Assert.Equal(ds02 - busy, o.Count(x => ((VolumeRemovalResult)x.BaseObject).Status == RemovalStatus.Removed));
            Assert.Equal(busy, Count(h, "Get-BPVolume -DataStore DS02"));
            Assert.Equal(ds01, Count(h, "Get-BPVolume -DataStore DS01"));
            // A narrower wildcard needs no store.
            (o, e) = h.Run("Remove-BPVolume -Label 'A*' -IgnoreRetention -WhatIf");
            Assert.Empty(e);
        }
    }
}
