using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackPak.Core.Procedures;
using BackPak.Core.Removal;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// Remove-BPDataStore -Recurse in a host: its progress (the steps and the volumes), and Ctrl-C, which says how far
    /// the run got and that the same command completes it, and keeps the run so that it does.
    /// </summary>
    public class DecommissionCmdletTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("decomps");

        public void Dispose() => _labs.Dispose();

        private static (Runspace Runspace, PromptCountingHost Host) Open(string lab, bool withHost = true)
        {
            var host = new PromptCountingHost(0);
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { typeof(RemoveBPDataStoreCommand).Assembly.Location });
            // The default host hands progress records to the invocation's Progress stream; a host without a RawUI drops them.
            var rs = withHost ? RunspaceFactory.CreateRunspace(host, iss) : RunspaceFactory.CreateRunspace(iss);
            rs.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = rs;
            ps.AddScript($"Connect-BPDomain -Lab '{lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{lab}' -Node '\\A' | Out-Null").Invoke();
            return (rs, host);
        }

        private const string Command = "$ProgressPreference = 'Continue'; Remove-BPDataStore DS01 -Recurse -Secondary '\\B' -IgnoreRetention -Force -PassThru";

        [Fact]
        public void Progress_shows_each_step_and_the_volumes()
        {
            var lab = _labs.Create("progress", seed: 5, volumeCount: 300);
            var (rs, _) = Open(lab, withHost: false);
            using (rs)
            {
                using var ps = System.Management.Automation.PowerShell.Create();
                ps.Runspace = rs;
                ps.AddScript(Command);
                var o = ps.Invoke();
                Assert.Empty(ps.Streams.Error);
                var result = o.Select(x => x.BaseObject).OfType<DecommissionResult>().Single();
                var steps = ps.Streams.Progress.Where(p => p.ActivityId == 5 && p.RecordType == ProgressRecordType.Processing).Select(p => p.StatusDescription).ToList();
                foreach (var s in result.Steps) Assert.Contains(steps, d => d.StartsWith($"Step {s.Number}/{result.Steps.Count} on {s.Node}: "));
                var volumes = ps.Streams.Progress.Where(p => p.ActivityId == 2 && p.ParentActivityId == 5 && p.RecordType == ProgressRecordType.Processing).ToList();
                Assert.NotEmpty(volumes);
                Assert.Equal(100, volumes.Last().PercentComplete);
                Assert.Contains(ps.Streams.Progress, p => p.ActivityId == 5 && p.RecordType == ProgressRecordType.Completed);
            }
        }

        [Fact]
        public void Ctrl_C_says_how_far_it_got_and_the_same_command_completes_the_run()
        {
            var lab = _labs.Create("ctrlc", seed: 6, volumeCount: 2500); // DS01 gets ~2,000 volumes: several removal batches
            var (rs, host) = Open(lab);
            using (rs)
            {
                using (var ps = System.Management.Automation.PowerShell.Create())
                {
                    ps.Runspace = rs;
                    ps.AddScript(Command);
                    // Stopped as the first volumes are reported, as Ctrl-C would be.
                    // Stopped, as Ctrl-C would stop it, once the run is removing the volumes on \A (its journal says so).
                    var runs = Path.Combine(lab, "runs");
                    var watcher = System.Threading.Tasks.Task.Run(() =>
                    {
                        var deadline = DateTime.UtcNow.AddSeconds(60);
                        while (DateTime.UtcNow < deadline)
                        {
                            foreach (var f in Directory.Exists(runs) ? Directory.GetFiles(runs, "DC-*.jsonl") : new string[0])
                            {
                                string text;
                                try { using var r = new StreamReader(new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)); text = r.ReadToEnd(); }
                                catch (IOException) { continue; }
                                if (text.Contains("\"Step\":\"primary-volumes\",\"Status\":\"Running\"")) { ps.BeginStop(null, null); return true; }
                            }
                            System.Threading.Thread.Sleep(5);
                        }
                        return false;
                    });
                    var thrown = Record.Exception(() => ps.Invoke());
                    Assert.True(watcher.Result, "the run reached its volumes step");
                    Assert.True(thrown is PipelineStoppedException || ps.InvocationStateInfo.State == PSInvocationState.Stopped,
                        $"stopped ({ps.InvocationStateInfo.State}, {thrown?.GetType().Name}); host: {string.Join(" | ", host.Lines)}");
                }
                var said = string.Join("\n", host.Lines);
                Assert.Contains("Decommission of DS01 stopped at step 3 (primary-volumes)", said);
                Assert.Matches(@"\d+ volume\(s\) removed on \\A", said);
                Assert.Contains("Run the same command again to complete it (run DC-", said);

                using (var ps = System.Management.Automation.PowerShell.Create())
                {
                    ps.Runspace = rs;
                    ps.AddScript(Command);
                    var o = ps.Invoke();
                    Assert.Empty(ps.Streams.Error);
                    var result = o.Select(x => x.BaseObject).OfType<DecommissionResult>().Single();
                    Assert.Equal(RunStatus.Completed, result.Status);
                    Assert.Equal(1, result.Resumes);
                    Assert.Contains(result.Steps, s => s.Id == "primary-volumes" && s.Status == StepStatus.Done);
                }
                using (var ps = System.Management.Automation.PowerShell.Create())
                {
                    ps.Runspace = rs;
                    ps.AddScript("Test-BPDecommission DS01 -Primary '\\A' -Secondary '\\B' -Quiet");
                    Assert.True((bool)ps.Invoke().Single().BaseObject);
                }
            }
        }
    }
}
