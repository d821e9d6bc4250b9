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
    /// Invoke-BPRecovery in a host, \A lost: -WhatIf prints Core's plan and starts nothing, Ctrl-C leaves the run
    /// Interrupted and -Resume completes it, a run id of the other procedure is refused naming its own command, and
    /// -Resume completes recovery runs only.
    /// </summary>
    public class RecoveryCmdletTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("recoveryps");
        private readonly PromptCountingHost _host = new PromptCountingHost(0);
        private readonly Runspace _rs;

        public RecoveryCmdletTests()
        {
            var lab = _labs.Create("lab", seed: 5, volumeCount: 60);
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { typeof(InvokeBPRecoveryCommand).Assembly.Location, typeof(NewBPLabCommand).Assembly.Location });
            _rs = RunspaceFactory.CreateRunspace(_host, iss);
            _rs.Open();
            Run($"Connect-BPDomain -Lab '{lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{lab}' -Node '\\A' | Out-Null; Add-BPLabFault NodeLost '\\A' | Out-Null");
        }

        public void Dispose()
        {
            _rs.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _labs.Dispose();
        }

        private System.Collections.ObjectModel.Collection<PSObject> Run(string script)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _rs;
            ps.AddScript(script);
            var o = ps.Invoke();
            Assert.True(ps.Streams.Error.Count == 0, script + ": " + string.Join("; ", ps.Streams.Error.Select(e => e.FullyQualifiedErrorId + " " + e.Exception.Message)));
            return o;
        }

        private ErrorRecord Terminating(string script) =>
            Assert.IsType<ErrorRecord>(Run("try { " + script + " } catch { ,$_ }").Single().BaseObject);

        private RecoveryReport[] Recoveries() => Run("Get-BPRoleSwitchRun -Domain '\\B'").Select(x => x.BaseObject).OfType<RecoveryReport>().ToArray();

        /// <summary>A recovery that failed at its FULL import (the staging area on \B unreachable), the cause fixed since.</summary>
        private string FailedRun() =>
            Assert.IsType<string>(Run("Add-BPLabFault StagingUnreachable '\\B' | Out-Null; " +
                                      "try { Invoke-BPRecovery DS01 -Node '\\B' -PrimaryLost '\\A' -Confirm:$false -ErrorAction Stop } catch { $_.TargetObject.RunId }; " +
                                      "Remove-BPLabFault StagingUnreachable -Confirm:$false").Single().BaseObject);

        [Fact]
        public void WhatIf_prints_each_step_of_the_plan_and_starts_no_run()
        {
            _host.Lines.Clear();
            Run("Invoke-BPRecovery DS01 -Node '\\B' -PrimaryLost '\\A' -WhatIf");
            var said = string.Join("\n", _host.Lines);
            foreach (var st in Recovery.Plan("DS01", "\\A", "\\B").Steps)
                Assert.Contains($"step {st.Number} on \\B: {st.Title} [{st.Kind}, {st.Source}]", said);
            Assert.Contains("Recover (8 steps", said);
            Assert.Empty(Recoveries());

            // A resumed run's plan leaves out the steps it has done.
            string id = FailedRun();
            _host.Lines.Clear();
            Run($"Invoke-BPRecovery -Resume {id} -WhatIf");
            said = string.Join("\n", _host.Lines);
            Assert.DoesNotContain("step 1 on", said);
            Assert.Contains("step 2 on \\B", said);
            Assert.Contains("Resume recovery run " + id, said);
            Assert.Equal(RunStatus.Failed, Recoveries().Single().Status);
        }

        [Fact]
        public void Ctrl_C_leaves_the_run_Interrupted_and_Resume_completes_it()
        {
            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = _rs;
                ps.AddScript("$ProgressPreference = 'Continue'; Invoke-BPRecovery DS01 -Node '\\B' -PrimaryLost '\\A' -Confirm:$false");
                // Stopped, as Ctrl-C would stop it, as the run shows its second step.
                _host.OnProgress = p => { if (p.RecordType == ProgressRecordType.Processing && p.StatusDescription.StartsWith("Step 2/")) ps.BeginStop(null, null); };
                var thrown = Record.Exception(() => ps.Invoke());
                _host.OnProgress = null;
                Assert.True(thrown is PipelineStoppedException || ps.InvocationStateInfo.State == PSInvocationState.Stopped,
                    $"stopped ({ps.InvocationStateInfo.State}, {thrown?.GetType().Name})");
            }
            Assert.Contains(_host.Progress, p => p.Activity == "Recovery of DS01 at \\B (\\A lost)");
            var run = Recoveries().Single();
            Assert.Equal(RunStatus.Interrupted, run.Status);
            Assert.Equal(StepStatus.Done, run.Steps.Single(s => s.Id == "check-data-keys").Status);

            var resumed = Assert.IsType<RecoveryReport>(Run($"Invoke-BPRecovery -Resume {run.RunId} -Confirm:$false").Single().BaseObject);
            Assert.Equal(RunStatus.Completed, resumed.Status);
            Assert.Equal(1, resumed.Resumes);
            Assert.Equal("Primary", Run("(Get-BPDataStore DS01 -Domain '\\B').DomainAccess.ToString()").Single().ToString());
        }

        [Fact]
        public void A_run_of_the_other_procedure_or_of_another_lost_node_is_refused_naming_the_way_on()
        {
            string id = FailedRun();
            var asSwitch = Terminating($"Invoke-BPRoleSwitch -Resume {id} -Confirm:$false");
            Assert.Equal("SwitchRunNotFound,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand", asSwitch.FullyQualifiedErrorId);
            Assert.Contains($"Invoke-BPRecovery -Resume {id}", asSwitch.ErrorDetails.RecommendedAction);
            var piped = Terminating($"Get-BPRoleSwitchRun -RunId {id} -Domain '\\B' | Invoke-BPRoleSwitch -Confirm:$false");
            Assert.Equal("SwitchRunNotFound,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand", piped.FullyQualifiedErrorId);

            var otherLost = Terminating($"Invoke-BPRecovery -Resume {id} -PrimaryLost '\\C' -Confirm:$false");
            Assert.Equal("SwitchRunNotFound,BackPak.PowerShell.Cmdlets.InvokeBPRecoveryCommand", otherLost.FullyQualifiedErrorId);
            Assert.Contains($"Invoke-BPRecovery -Resume {id}", otherLost.ErrorDetails.RecommendedAction);
            Assert.Equal(RunStatus.Failed, Recoveries().Single().Status);

            var notRecovery = Terminating("Invoke-BPRecovery -Resume SW-20261203-000000-0000 -Confirm:$false");
            Assert.Equal("SwitchRunNotFound,BackPak.PowerShell.Cmdlets.InvokeBPRecoveryCommand", notRecovery.FullyQualifiedErrorId);
            Assert.Contains("Invoke-BPRoleSwitch -Resume SW-", notRecovery.ErrorDetails.RecommendedAction);

            Assert.Equal(RunStatus.Completed, ((RecoveryReport)Run($"Invoke-BPRecovery -Resume {id} -Confirm:$false").Single().BaseObject).Status);
        }

        [Fact]
        public void A_recovery_run_piped_in_is_continued_where_its_journal_is()
        {
            string id = FailedRun();
            var resumed = (RecoveryReport)Run($"Get-BPRoleSwitchRun -RunId {id} -Domain '\\B' | Invoke-BPRecovery -Confirm:$false").Single().BaseObject;
            Assert.Equal(id, resumed.RunId);
            Assert.Equal(RunStatus.Completed, resumed.Status);
            Assert.Equal(1, resumed.Resumes);
        }

        [Fact]
        public void Resume_completes_recovery_runs_for_the_recovery_and_both_kinds_for_the_run_cmdlets()
        {
            string id = FailedRun();
            string[] Complete(string line) => Run($"@((TabExpansion2 -inputScript \"{line}\" -cursorColumn {line.Length}).CompletionMatches.CompletionText)")
                .Where(x => x != null).Select(x => x.ToString().Trim('\'')).ToArray();
            Assert.Equal(new[] { id }, Complete("Invoke-BPRecovery -Resume "));
            Assert.DoesNotContain(id, Complete("Invoke-BPRoleSwitch -Resume "));
            Assert.Contains(id, Complete("Get-BPRoleSwitchRun -RunId "));
            Assert.Contains(id, Complete("Stop-BPRoleSwitchRun -RunId "));
        }
    }
}
