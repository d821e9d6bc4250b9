using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackPak.Core.Procedures;
using BackPak.Lab;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// The switch cmdlets as an operator types them: -Resume alone or piped, never a new run for a bad id, the wrong
    /// direction refused, Stop-BPRoleSwitchRun with -WhatIf and -Confirm, and the fence as each changing cmdlet meets it.
    /// </summary>
    public class RoleSwitchBindingTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "backpak-swtests-" + Guid.NewGuid().ToString("N"));
        private readonly string _lab;
        private readonly PowerShellHost _h = new PowerShellHost();

        public RoleSwitchBindingTests()
        {
            _lab = LabBuilder.Create(new LabOptions { Path = Path.Combine(_root, "lab"), VolumeCount = 60, Seed = 5 }).Path;
            _h.Run($"Connect-BPDomain -Lab '{_lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab}' -Node '\\A' | Out-Null");
        }

        public void Dispose()
        {
            _h.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_root, true); } catch (IOException) { }
        }

        private static void Is(ErrorRecord r, string id, string cmdletClass, ErrorCategory category)
        {
            Assert.Equal(id + ",BackPak.PowerShell.Cmdlets." + cmdletClass, r.FullyQualifiedErrorId);
            Assert.Equal(category, r.CategoryInfo.Category);
            Assert.False(string.IsNullOrEmpty(r.ErrorDetails?.RecommendedAction), "no recommended action");
        }

        /// <summary>A run that failed at its FULL export (the staging area on \B unreachable), the cause fixed since.</summary>
        private string FailedRun()
        {
            var (o, _) = _h.Run("Add-BPLabFault StagingUnreachable '\\B' | Out-Null; " +
                                "try { Invoke-BPRoleSwitch DS01 -Primary '\\A' -Secondary '\\B' -Confirm:$false -ErrorAction Stop } catch { $_.TargetObject.RunId }; " +
                                "Remove-BPLabFault StagingUnreachable -Confirm:$false");
            return Assert.IsType<string>(o.Single().BaseObject);
        }

        private int Runs() => (int)_h.Run("@(Get-BPRoleSwitchRun).Count").Output[0].BaseObject;
        private string Access(string node) => _h.Run($"(Get-BPDataStore DS01 -Domain '{node}').DomainAccess.ToString()").Output[0].ToString();

        [Theory]
        [InlineData("$null")]
        [InlineData("''")]
        [InlineData("'   '")]
        [InlineData("'SW-NO-SUCH-RUN'")]
        [InlineData("'../../../tmp/x'")]
        public void Resume_with_an_empty_or_unknown_id_is_an_error_never_a_new_run(string id)
        {
            Is(_h.Terminating($"Invoke-BPRoleSwitch DS01 -Primary '\\A' -Secondary '\\B' -Resume {id} -Confirm:$false"),
                "SwitchRunNotFound", "InvokeBPRoleSwitchCommand", id == "'SW-NO-SUCH-RUN'" ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument);
            Is(_h.Terminating($"Invoke-BPRoleSwitch -Resume {id} -Confirm:$false"),
                "SwitchRunNotFound", "InvokeBPRoleSwitchCommand", id == "'SW-NO-SUCH-RUN'" ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument);
            Assert.Equal(0, Runs());
            Assert.Equal("Primary", Access("\\A"));
        }

        [Fact]
        public void Resume_takes_the_run_id_alone_or_a_piped_run_and_what_is_given_must_agree()
        {
            string run = FailedRun();
            Is(_h.Terminating($"Invoke-BPRoleSwitch -Resume {run} -Primary '\\B' -Confirm:$false"), "SwitchRunNotFound", "InvokeBPRoleSwitchCommand", ErrorCategory.InvalidArgument);
            var (o, e) = _h.Run($"(Invoke-BPRoleSwitch -Resume {run} -Confirm:$false).Status");
            Assert.Empty(e);
            Assert.Equal("Completed", o.Single().ToString());
            Assert.Equal("Secondary", Access("\\A"));

            string back = _h.Run("Add-BPLabFault StagingUnreachable '\\A' | Out-Null; " +
                                 "try { Invoke-BPRoleSwitch DS01 -Primary '\\B' -Secondary '\\A' -Confirm:$false -ErrorAction Stop } catch { $_.TargetObject.RunId }; " +
                                 "Remove-BPLabFault StagingUnreachable -Confirm:$false").Output.Single().ToString();
            (o, e) = _h.Run("Get-BPRoleSwitchRun | Where-Object Status -EQ 'Failed' | Invoke-BPRoleSwitch -Confirm:$false | ForEach-Object { $_.RunId + ' ' + $_.Status }");
            Assert.Empty(e);
            Assert.Equal(back + " Completed", o.Single().ToString());
            Assert.Equal("Primary", Access("\\A"));
        }

        [Fact]
        public void A_plan_piped_in_starts_a_new_run()
        {
            var (o, e) = _h.Run("Get-BPRoleSwitchPlan DS01 -Primary '\\A' -Secondary '\\B' | Invoke-BPRoleSwitch -Confirm:$false | ForEach-Object Status");
            Assert.Empty(e);
            Assert.Equal("Completed", o.Single().ToString());
        }

        [Theory]
        [InlineData("0")]
        [InlineData("65")]
        public void A_throttle_limit_out_of_range_is_refused_before_anything_runs(string limit)
        {
            var r = _h.Terminating($"Invoke-BPRoleSwitch DS01, DS02 -Primary '\\A' -Secondary '\\B' -ThrottleLimit {limit} -Confirm:$false");
            Assert.Equal("ParameterArgumentValidationError,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand", r.FullyQualifiedErrorId);
            Assert.Equal(0, Runs());
        }

        [Fact]
        public void Several_stores_are_one_site_run_refused_whole_when_one_cannot_start()
        {
            // DS02 is local to \A: the site is refused naming it, and DS01 is left as it was.
            var r = _h.Terminating("Get-BPDataStore -Domain '\\A' | Where-Object DomainAccess -eq 'Primary' | Invoke-BPRoleSwitch -Primary '\\A' -Secondary '\\B' -Confirm:$false");
            Is(r, "SiteSwitchRefused", "InvokeBPRoleSwitchCommand", ErrorCategory.InvalidOperation);
            Assert.Contains("DS02: ", r.Exception.Message);
            Assert.Equal(0, Runs());
            Assert.Equal("Primary", Access("\\A"));
            // A bad name among good ones stops the command: the good ones are not switched without it.
            var bad = _h.Terminating("Invoke-BPRoleSwitch DS01, 'bad name!' -Primary '\\A' -Secondary '\\B' -Confirm:$false");
            Is(bad, "InvalidName", "InvokeBPRoleSwitchCommand", ErrorCategory.InvalidArgument);
            Assert.Equal(0, Runs());
            var badTest = _h.Terminating("Test-BPRoleSwitch DS01, 'bad name!' -Primary '\\A' -Secondary '\\B' -Quiet");
            Assert.Equal("InvalidName,BackPak.PowerShell.Cmdlets.TestBPRoleSwitchCommand", badTest.FullyQualifiedErrorId);
            // Named once each, a store given twice is one store: the switch of DS01 alone, its own report.
            var (o, e) = _h.Run("Invoke-BPRoleSwitch DS01, ds01 -Primary '\\A' -Secondary '\\B' -Confirm:$false");
            Assert.Empty(e);
            Assert.IsType<RoleSwitchReport>(o.Single().BaseObject);
        }

        [Fact]
        public void The_wrong_direction_is_a_terminating_error_that_names_the_right_one_and_leaves_no_run()
        {
            var r = _h.Terminating("Invoke-BPRoleSwitch DS01 -Primary '\\B' -Secondary '\\A' -Confirm:$false");
            Is(r, "SwitchWrongDirection", "InvokeBPRoleSwitchCommand", ErrorCategory.InvalidArgument);
            Assert.Contains("switch it with -Primary '\\A' -Secondary '\\B'", r.Exception.Message);
            Assert.Equal(0, Runs());
            Assert.False(Directory.Exists(Path.Combine(_lab, "runs")) && Directory.EnumerateFiles(Path.Combine(_lab, "runs"), "*.lock").Any());
            Assert.Equal("Completed", _h.Run("(Invoke-BPRoleSwitch DS01 -Primary '\\A' -Secondary '\\B' -Confirm:$false).Status").Output.Single().ToString());
        }

        [Fact]
        public void Stop_asks_names_the_run_under_WhatIf_and_abandons_it_once()
        {
            string run = FailedRun();
            var (o, host, errors) = WithHost($"Stop-BPRoleSwitchRun -RunId {run} -Reason 'rehearsal' -WhatIf", answer: 0);
            Assert.Equal(0, errors);
            Assert.Empty(o);
            var line = Assert.Single(host.Lines, l => l.Contains("What if"));
            Assert.Contains(run, line);
            Assert.Contains("DS01", line);
            Assert.Contains("\\A", line);
            Assert.Equal("Failed", _h.Run($"(Get-BPRoleSwitchRun {run}).Status.ToString()").Output.Single().ToString());

            (o, host, errors) = WithHost($"Stop-BPRoleSwitchRun -RunId {run} -Reason 'rehearsal'", answer: 2 /* No */);
            Assert.Single(host.Prompts); // ConfirmImpact High: asked by default
            Assert.Equal("Failed", _h.Run($"(Get-BPRoleSwitchRun {run}).Status.ToString()").Output.Single().ToString());

            (o, host, errors) = WithHost($"Get-BPRoleSwitchRun {run} | Stop-BPRoleSwitchRun -Reason 'change window closed' -Confirm:$false", answer: 0);
            Assert.Equal(0, errors);
            var report = Assert.IsType<RoleSwitchReport>(o.Single().BaseObject);
            Assert.Equal(RunStatus.Abandoned, report.Status);
            Assert.Equal("change window closed", report.Reason);
            Assert.Contains(host.Lines, l => l.Contains("PRIMARY on \\A"));
            Assert.Equal(2, report.Sides!.Count);

            Is(_h.Terminating($"Stop-BPRoleSwitchRun -RunId {run} -Reason again -Confirm:$false"), "SwitchRunAbandoned", "StopBPRoleSwitchRunCommand", ErrorCategory.InvalidOperation);
            Is(_h.Terminating($"Invoke-BPRoleSwitch -Resume {run} -Confirm:$false"), "SwitchRunAbandoned", "InvokeBPRoleSwitchCommand", ErrorCategory.InvalidOperation);
            Is(_h.Terminating("Stop-BPRoleSwitchRun -RunId SW-NOPE -Reason x -Confirm:$false"), "SwitchRunNotFound", "StopBPRoleSwitchRunCommand", ErrorCategory.ObjectNotFound);
            string done = _h.Run("(Invoke-BPRoleSwitch DS01 -Primary '\\A' -Secondary '\\B' -Confirm:$false).RunId").Output.Single().ToString();
            Is(_h.Terminating($"Stop-BPRoleSwitchRun -RunId {done} -Reason x -Confirm:$false"), "SwitchRunCompleted", "StopBPRoleSwitchRunCommand", ErrorCategory.InvalidOperation);
            Assert.Contains("Stop-BPRoleSwitchRun", _h.Run("Get-BPAuditRecord -Action Stop-BPRoleSwitchRun -Kind Change | ForEach-Object Action").Output.Select(x => x.ToString()));
        }

        [Fact]
        public void While_a_run_holds_its_store_every_changing_cmdlet_is_refused_on_both_sides_naming_the_run()
        {
            string run = FailedRun();
            var label = _h.Run("(Get-BPVolume -DataStore DS01 -Expired | Select-Object -First 1).Label").Output.Single().ToString();
            var cases = new (string Script, string Class)[]
            {
                ($"Remove-BPVolume -Label {label} -IgnoreRetention -Confirm:$false", "RemoveBPVolumeCommand"),
                ($"Remove-BPVolume -Label {label} -IgnoreRetention -Domain '\\B' -Confirm:$false", "RemoveBPVolumeCommand"),
                ("Remove-BPDataStore DS01 -Recurse -IgnoreRetention -Domain '\\B' -Confirm:$false", "RemoveBPDataStoreCommand"),
                ("Invoke-BPLabBackup -DataStore DS01 -Confirm:$false", "InvokeBPLabBackupCommand"),
                ("Start-BPLabBackup -DataStore DS01 -Confirm:$false", "StartBPLabBackupCommand"),
                ("Set-BPDataStore DS01 -ExportCheckDelay 00:01:00 -Confirm:$false", "SetBPDataStoreCommand"),
                ("Set-BPDataStore DS01 -DomainAccess Primary -Domain '\\B' -Confirm:$false", "SetBPDataStoreCommand"),
                ("Suspend-BPCatalogExport DS01 -Confirm:$false", "SuspendBPCatalogExportCommand"),
                ("Resume-BPCatalogExport DS01 -Domain '\\B' -Confirm:$false", "ResumeBPCatalogExportCommand"),
                ("Start-BPCatalogExport DS01 -Type Full -Confirm:$false", "StartBPCatalogExportCommand"),
                ("Start-BPCatalogImport DS01 -Type Full -Domain '\\B' -Confirm:$false", "StartBPCatalogImportCommand"),
                ("Invoke-BPRoleSwitch DS01 -Primary '\\A' -Secondary '\\B' -Confirm:$false", "InvokeBPRoleSwitchCommand"),
            };
            foreach (var (script, cls) in cases)
            {
                var r = _h.Terminating(script);
                Is(r, "SwitchInProgress", cls, ErrorCategory.ResourceBusy);
                Assert.Contains(run, r.Exception.Message);
                Assert.Contains("Stop-BPRoleSwitchRun", r.ErrorDetails!.RecommendedAction);
            }
            Assert.Single(_h.Run($"Get-BPVolume -Label {label}").Output);
            Assert.Equal("Completed", _h.Run($"(Invoke-BPRoleSwitch -Resume {run} -Confirm:$false).Status").Output.Single().ToString());
            Assert.Empty(_h.Run("Invoke-BPLabBackup -DataStore DS01 -Domain '\\B' -Confirm:$false").Errors);
        }

        [Fact]
        public void Demotion_over_a_running_backup_is_refused_naming_it()
        {
            var label = _h.Run("(Start-BPLabBackup -DataStore DS01 -Confirm:$false).Label").Output.Single().ToString();
            var (_, e) = _h.Run("Set-BPDataStore DS01 -DomainAccess Secondary -Confirm:$false");
            var r = Assert.Single(e);
            Is(r, "BackupsRunning", "SetBPDataStoreCommand", ErrorCategory.ResourceBusy);
            Assert.Contains(label, r.Exception.Message);
            Assert.Equal("Primary", Access("\\A"));
        }

        private (System.Collections.ObjectModel.Collection<PSObject> Output, PromptCountingHost Host, int Errors) WithHost(string script, int answer)
        {
            var host = new PromptCountingHost(answer);
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { typeof(StopBPRoleSwitchRunCommand).Assembly.Location });
            using var rs = RunspaceFactory.CreateRunspace(host, iss);
            rs.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = rs;
            ps.AddScript($"Connect-BPDomain -Lab '{_lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab}' -Node '\\A' | Out-Null; " + script);
            var o = ps.Invoke();
            return (o, host, ps.Streams.Error.Count);
        }
    }
}
