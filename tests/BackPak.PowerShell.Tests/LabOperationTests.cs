using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Model;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// The lab's operations in flight (issue 11): restores and materializes a new lab leaves running can be ended
    /// (Stop-BPLabRestore), and Start-/Stop-BPLabBackup and Stop-BPLabRestore take the same parameters.
    /// </summary>
    public class LabOperationTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("labops");
        private readonly PowerShellHost _h = new PowerShellHost();
        private readonly string _lab;

        public LabOperationTests()
        {
            _lab = _labs.Create("lab", seed: 1, volumeCount: 1000); // about 3% of a local store's volumes have a restore in flight
            _h.Run($"Connect-BPDomain -Lab '{_lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab}' -Node '\\A' | Out-Null");
        }

        public void Dispose()
        {
            _h.Dispose();
            _labs.Dispose();
        }

        [Fact]
        public void The_three_cmdlets_take_the_same_parameters()
        {
            string[] Names(Type t) => _h.Run($"(Get-Command -Name '{CmdletName(t)}').Parameters.Keys").Output.Select(o => o.ToString()!)
                .Where(n => !System.Management.Automation.Cmdlet.CommonParameters.Contains(n) && !System.Management.Automation.Cmdlet.OptionalCommonParameters.Contains(n))
                .OrderBy(n => n, StringComparer.Ordinal).ToArray();
            var start = Names(typeof(StartBPLabBackupCommand));
            Assert.Equal(new[] { "DataStore", "Domain", "InputObject", "Label", "Node", "Origin" }, start);
            Assert.Equal(start, Names(typeof(StopBPLabBackupCommand)));
            Assert.Equal(start, Names(typeof(StopBPLabRestoreCommand)));
        }

        private static string CmdletName(Type t)
        {
            var a = (CmdletAttribute)Attribute.GetCustomAttribute(t, typeof(CmdletAttribute))!;
            return a.VerbName + "-" + a.NounName;
        }

        [Fact]
        public void A_label_alone_starts_a_backup_and_a_store_beside_a_label_is_checked()
        {
            var label = _h.Run("(Get-BPVolume -DataStore DS02 -Expired | Where-Object { -not $_.CurrentOperation } | Select-Object -First 1).Label").Output.Single().ToString();
            var (o, e) = _h.Run($"Start-BPLabBackup -Label {label} -Confirm:$false");
            Assert.Empty(e);
            var v = (Volume)o.Single().BaseObject;
            Assert.True(v.IsBackupRunning);
            Assert.Equal("DS02", v.DataStore);

            // -DataStore beside the label: another store refuses it, its own ends it.
            (o, e) = _h.Run($"Stop-BPLabBackup -Label {label} -DataStore DS01 -Confirm:$false");
            Assert.Equal("VolumeNotFound,BackPak.PowerShell.Cmdlets.StopBPLabBackupCommand", Assert.Single(e).FullyQualifiedErrorId);
            Assert.Empty(o);
            (o, e) = _h.Run($"Stop-BPLabBackup -Label {label} -DataStore DS02 -Confirm:$false");
            Assert.Empty(e);
            Assert.False(((Volume)o.Single().BaseObject).IsBackupRunning);
        }

        [Fact]
        public void Restores_and_materializes_in_flight_end_and_free_their_volumes()
        {
            int busy = _h.Count("Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation");
            Assert.True(busy > 0, "a new lab leaves restores in flight on its local stores");
            Assert.True(_h.Count("Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation -eq MATERIALIZE") + _h.Count("Get-BPVolume -DataStore DS02 | Where-Object CurrentOperationMode -eq INPUT") == busy);
            var (o, e) = _h.Run("Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore -Confirm:$false");
            Assert.Empty(e);
            Assert.Equal(busy, o.Count);
            Assert.All(o, x => Assert.Null(((Volume)x.BaseObject).CurrentOperation));
            Assert.Equal(0, _h.Count("Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation"));
            // Nothing was written: a restore only read the volume, so no export update and no new key.
            Assert.Equal(busy, _h.Count("Get-BPAuditRecord -Action Stop-BPLabRestore -Kind Change -Last 1000"));
        }

        [Fact]
        public void A_data_store_alone_ends_every_operation_of_the_cmdlets_kind_there_and_no_other()
        {
            int restores = _h.Count("Get-BPVolume -DataStore DS02 | Where-Object IsRestoreRunning");
            Assert.True(restores > 0);
            var backup = _h.Run("(Start-BPLabBackup -DataStore DS02 -Confirm:$false).Label").Output.Single().ToString();
            int elsewhere = _h.Count("Get-BPVolume | Where-Object { $_.IsRestoreRunning -and $_.DataStore -ne 'DS02' }");

            var (o, e) = _h.Run("Stop-BPLabRestore -DataStore DS02 -Confirm:$false");
            Assert.Empty(e);
            Assert.Equal(restores, o.Count);
            Assert.Equal(0, _h.Count("Get-BPVolume -DataStore DS02 | Where-Object IsRestoreRunning"));
            Assert.Equal(elsewhere, _h.Count("Get-BPVolume | Where-Object { $_.IsRestoreRunning -and $_.DataStore -ne 'DS02' }"));
            Assert.Equal(1, _h.Count($"Get-BPVolume -Label {backup} | Where-Object IsBackupRunning"));

            (o, e) = _h.Run("Stop-BPLabBackup -DataStore DS02 -Confirm:$false");
            Assert.Empty(e);
            Assert.Equal(backup, Assert.Single(o).Properties["Label"].Value);
            // Nothing left in flight: nothing is done, and -Verbose says why.
            (o, e) = _h.Run("Stop-BPLabBackup -DataStore DS02 -Confirm:$false -Verbose 4>&1");
            Assert.Empty(e);
            Assert.Contains("No backup is in flight in data store DS02", Assert.Single(o).ToString());
            (o, e) = _h.Run("Stop-BPLabRestore -DataStore DS99 -Confirm:$false");
            Assert.Equal("DataStoreNotFound,BackPak.PowerShell.Cmdlets.StopBPLabRestoreCommand", Assert.Single(e).FullyQualifiedErrorId);
        }

        [Fact]
        public void A_backup_is_not_a_restore_and_the_error_says_which_cmdlet_ends_it()
        {
            var label = _h.Run("(Start-BPLabBackup -DataStore DS01 -Confirm:$false).Label").Output.Single().ToString();
            var (o, e) = _h.Run($"'{label}' | Stop-BPLabRestore -Confirm:$false");
            var err = Assert.Single(e);
            Assert.Equal("VolumeNotFound,BackPak.PowerShell.Cmdlets.StopBPLabRestoreCommand", err.FullyQualifiedErrorId);
            Assert.Contains("Stop-BPLabBackup", err.Exception.Message);
            Assert.Empty(o);
            Assert.Equal(1, _h.Count($"Get-BPVolume -Label {label} | Where-Object IsBackupRunning"));
        }

        [Fact]
        public void A_piped_volume_is_ended_where_it_came_from()
        {
            var (o, e) = _h.Run("Get-BPVolume -DataStore DS02 -Domain '\\A' | Where-Object CurrentOperation | Select-Object -First 1 | Stop-BPLabRestore -Domain '\\B' -Confirm:$false");
            Assert.Equal("DomainMismatch,BackPak.PowerShell.Cmdlets.StopBPLabRestoreCommand", Assert.Single(e).FullyQualifiedErrorId);
        }
    }
}
