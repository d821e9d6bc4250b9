using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// The audit trail through the cmdlets (issue 11, item 3): an operation id per invocation on its records and results,
    /// Start/End/Refusal records written by the cmdlet base, Get-BPAuditRecord's filters and its warning, completion of
    /// -Action and -OperationId, and Export-BPChangeRecord's ErrorIds.
    /// </summary>
    public sealed class AuditCmdletTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("audit");
        private readonly PowerShellHost _h = new PowerShellHost().WithIdleFilter();
        private readonly string _lab;
        private readonly string _dir;

        public AuditCmdletTests()
        {
            _lab = _labs.Create("lab", seed: 3, volumeCount: 600);
            _dir = Path.Combine(_labs.Root, "out");
            Directory.CreateDirectory(_dir);
            _h.Run($"Connect-BPDomain -Lab '{_lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab}' -Node '\\A' | Out-Null");
        }

        public void Dispose()
        {
            _h.Dispose();
            _labs.Dispose();
        }

        private AuditRecord[] Records(string script) => _h.Run(script).Output.Select(o => (AuditRecord)o.BaseObject).ToArray();

        private VolumeRemovalResult[] RemoveExpired(int n) =>
            _h.Run($"Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First {n} | Remove-BPVolume -Force -PassThru").Output
                .Select(o => (VolumeRemovalResult)o.BaseObject).ToArray();

        [Fact]
        public void One_removal_is_one_operation_its_results_and_records_carry_its_id()
        {
            var results = RemoveExpired(3);
            Assert.Equal(3, results.Length);
            string id = results[0].OperationId!;
            Assert.Matches("^[0-9]{8}-[0-9]{6}-[0-9A-F]{6}$", id);
            Assert.All(results, r => Assert.Equal(id, r.OperationId));
            var records = Records($"Get-BPAuditRecord -OperationId {id} | Sort-Object Id");
            Assert.Equal(new[] { AuditKind.Start, AuditKind.Change, AuditKind.Change, AuditKind.Change, AuditKind.End }, records.Select(r => r.Kind));
            Assert.All(records, r => Assert.Equal(Environment.UserName, r.User));
            Assert.Equal(("Remove-BPVolume", "Started"), (records[0].Action, records[0].Result));
            Assert.Contains("-Force", records[0].Detail);
            Assert.Equal(("Remove-BPVolume", "Succeeded"), (records[4].Action, records[4].Result));
            Assert.Contains("3 change(s), 0 refusal(s)", records[4].Detail);
            // A switch turned off is written as it is typed.
            var suspend = Records("Suspend-BPCatalogExport DS01 -Confirm:$false | Out-Null; Get-BPAuditRecord -Kind Start -Last 1").Single();
            Assert.Contains("-Confirm:$false", suspend.Detail);
            Assert.DoesNotContain("-Confirm :", suspend.Detail);
            _h.Run("Resume-BPCatalogExport DS01 -Confirm:$false | Out-Null");
            // Piped results select their operation, as -OperationId does.
            Assert.Equal(3, _h.Count($"Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 1 | Remove-BPVolume -Force -PassThru | Get-BPAuditRecord"));
        }

        [Fact]
        public void A_refused_removal_is_a_refusal_record_with_its_error_id_and_the_operation_ends_failed()
        {
            var label = _h.Run("(Get-BPVolume -DataStore DS01 -NotExpired | Idle | Select-Object -First 1).Label").Output.Single().ToString();
            var (_, errors) = _h.Run($"Remove-BPVolume -Label {label} -Force");
            Assert.Equal("VolumeNotExpired", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);
            var refusal = Records("Get-BPAuditRecord -Kind Refusal -Last 1").Single();
            Assert.Equal(("Remove-BPVolume", "VolumeNotExpired", "Refused"), (refusal.Action, refusal.ErrorId, refusal.Result));
            Assert.Equal("DS01/" + label, refusal.Target);
            var end = Records($"Get-BPAuditRecord -OperationId {refusal.OperationId} -Kind End").Single();
            Assert.Equal(("Failed", "VolumeNotExpired"), (end.Result, end.ErrorId));
            // A refusal before any domain work (an empty selection) is recorded too, in the default domain.
            _h.Terminating("Remove-BPVolume -Label $null -Force");
            Assert.Equal("EmptySelection", Records("Get-BPAuditRecord -Kind Refusal -Last 1").Single().ErrorId);
        }

        [Fact]
        public void WhatIf_and_reads_record_nothing()
        {
            int before = _h.Count("Get-BPAuditRecord -All -Domain '\\A'; Get-BPAuditRecord -All -Domain '\\B'");
            _h.Run("Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 3 | Remove-BPVolume -WhatIf");
            _h.Run("Remove-BPVolume -Label NOSUCH -WhatIf; Get-BPDataStore | Out-Null; Get-BPVolume -DataStore DS01 | Select-Object -First 3 | Out-Null");
            Assert.Equal(before, _h.Count("Get-BPAuditRecord -All -Domain '\\A'; Get-BPAuditRecord -All -Domain '\\B'"));
        }

        [Fact]
        public void A_store_finds_its_volumes_records_by_name_and_by_wildcard()
        {
            var results = RemoveExpired(4);
            var labels = results.Select(r => "DS02/" + r.Label).OrderBy(t => t).ToArray();
            string[] Targets(string target) => Records($"Get-BPAuditRecord -Target {target} -Action Remove-BPVolume -Kind Change").Select(r => r.Target).OrderBy(t => t).ToArray();
            Assert.Equal(labels, Targets("DS02"));
            Assert.Equal(labels, Targets("'DS02*'"));
            Assert.Equal(labels, Targets("'ds0?'"));
            Assert.Empty(Targets("DS01"));
            // The old name of the action selects the same records.
            Assert.Equal(labels, Records("Get-BPAuditRecord -Target DS02 -Action RemoveVolume -Kind Change").Select(r => r.Target).OrderBy(t => t));
        }

        [Fact]
        public void By_default_the_newest_hundred_come_with_a_warning_when_more_match()
        {
            // 40 operations of 3 records each (Start, Change, End).
            _h.Run("1..20 | ForEach-Object { Suspend-BPCatalogExport DS01 -Confirm:$false | Out-Null; Resume-BPCatalogExport DS01 -Confirm:$false | Out-Null }");
            var output = _h.Run("Get-BPAuditRecord 3>&1").Output.Select(o => o.BaseObject).ToList();
            Assert.Equal(100, output.OfType<AuditRecord>().Count());
            var warning = Assert.Single(output.OfType<WarningRecord>());
            Assert.Contains("newest 100 of", warning.Message);
            Assert.Empty(_h.Run("Get-BPAuditRecord -Last 100 3>&1").Output.Select(o => o.BaseObject).OfType<WarningRecord>());
            Assert.True(_h.Count("Get-BPAuditRecord -All") >= 120);
            var ids = Records("Get-BPAuditRecord -Last 100").Select(r => r.Id).ToArray();
            Assert.Equal(ids.OrderByDescending(i => i), ids); // newest first
        }

        [Fact]
        public void A_pipeline_stopped_downstream_ends_the_operation_stopped()
        {
            _h.Run("Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 20 | Remove-BPVolume -Force -PassThru | Select-Object -First 1");
            var end = Records("Get-BPAuditRecord -Kind End -Last 1").Single();
            Assert.Equal(("Remove-BPVolume", "Stopped"), (end.Action, end.Result));
        }

        [Fact]
        public void Action_and_operation_ids_complete_from_local_state()
        {
            var id = RemoveExpired(1)[0].OperationId!;
            string[] Complete(string line) => _h.Run($"(TabExpansion2 -inputScript \"{line}\" -cursorColumn {line.Length}).CompletionMatches.CompletionText")
                .Output.Select(o => o.ToString()!).ToArray();
            var actions = Complete("Get-BPAuditRecord -Action Remove-BPV");
            Assert.Contains("Remove-BPVolume", actions);
            Assert.Contains("Remove-BPVolumeGroup", actions);
            Assert.Contains("Stop-BPRoleSwitchRun", Complete("Get-BPAuditRecord -Action Stop-BPR"));
            Assert.Equal(id, Complete("Get-BPAuditRecord -OperationId ").First()); // the newest first
            Assert.Contains(id, Complete("Export-BPChangeRecord -OperationId " + id.Substring(0, 9)));
        }

        [Fact]
        public void Export_refuses_an_unknown_operation_an_unknown_format_and_an_existing_file()
        {
            var id = RemoveExpired(2)[0].OperationId!;
            string json = Path.Combine(_dir, "c.json");
            Assert.Equal("OperationNotFound,BackPak.PowerShell.Cmdlets.ExportBPChangeRecordCommand",
                _h.Terminating($"Export-BPChangeRecord -OperationId 20000101-000000-ABCDEF -Path '{json}'").FullyQualifiedErrorId);
            Assert.False(File.Exists(json));
            Assert.Equal("ChangeRecordNotWritten,BackPak.PowerShell.Cmdlets.ExportBPChangeRecordCommand",
                _h.Terminating($"Export-BPChangeRecord -OperationId {id} -Path '{Path.Combine(_dir, "c.txt")}'").FullyQualifiedErrorId);
            Assert.Empty(_h.Run($"Export-BPChangeRecord -OperationId {id} -Path '{json}'").Errors);
            File.WriteAllText(json, "mine");
            Assert.Equal("ChangeRecordNotWritten,BackPak.PowerShell.Cmdlets.ExportBPChangeRecordCommand",
                _h.Terminating($"Export-BPChangeRecord -OperationId {id} -Path '{json}'").FullyQualifiedErrorId);
            Assert.Equal("mine", File.ReadAllText(json)); // never overwritten without -Force
            Assert.Empty(_h.Run($"Export-BPChangeRecord -OperationId {id} -Path '{json}' -Force").Errors);
            var back = _h.Run($"Get-Content '{json}' -Raw | ConvertFrom-Json").Output.Single();
            Assert.Equal(id, back.Properties["OperationId"].Value);
            Assert.Equal("Succeeded", back.Properties["Outcome"].Value);
            Assert.Equal(2L, Convert.ToInt64(back.Properties["ChangeCount"].Value));
            Assert.Matches("\"Started\": \"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\"", File.ReadAllText(json));
            // Records of several operations are not one change record; exporting writes no audit record of its own.
            RemoveExpired(1);
            int before = _h.Count("Get-BPAuditRecord -All");
            Assert.Equal("ChangeRecordNotWritten,BackPak.PowerShell.Cmdlets.ExportBPChangeRecordCommand",
                _h.Terminating($"Get-BPAuditRecord -Kind Start -Last 2 | Export-BPChangeRecord -Path '{Path.Combine(_dir, "two.md")}'").FullyQualifiedErrorId);
            Assert.Equal(before, _h.Count("Get-BPAuditRecord -All"));
        }
    }
}
