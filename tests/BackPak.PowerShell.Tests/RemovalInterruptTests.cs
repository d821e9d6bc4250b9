using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackPak.Core.Removal;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// Ctrl-C of Remove-BPVolume (issue 11 item 4): the operator is told how far the removal got and that running the
    /// same command again completes it; running it again does.
    /// </summary>
    public class RemovalInterruptTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("rmstop");

        public void Dispose() => _labs.Dispose();

        private const string Command = "$ProgressPreference = 'Continue'; Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -IgnoreRetention -Force";

        [Fact]
        public void Ctrl_C_says_how_far_it_got_and_the_same_command_completes_it()
        {
            var lab = _labs.Create("lab", seed: 7, volumeCount: 3000);
            var host = new PromptCountingHost(0);
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { typeof(RemoveBPVolumeCommand).Assembly.Location });
            using var rs = RunspaceFactory.CreateRunspace(host, iss);
            rs.Open();
            int Count(string script)
            {
                using var q = System.Management.Automation.PowerShell.Create();
                q.Runspace = rs;
                return q.AddScript($"@({script}).Count").Invoke().Select(o => (int)o.BaseObject).Single();
            }
            using (var c = System.Management.Automation.PowerShell.Create()) { c.Runspace = rs; c.AddScript($"Connect-BPDomain -Lab '{lab}' -Node '\\A' | Out-Null").Invoke(); }
            int expired = Count("Get-BPVolume -DataStore DS01 -Expired");
            Assert.True(expired > 200, $"{expired} expired volumes: enough for several progress records");

            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = rs;
                ps.AddScript(Command);
                // Stopped, as Ctrl-C would stop it, at its first progress record (50 volumes removed).
                host.OnProgress = p => { if (p.Activity == "Remove-BPVolume" && p.RecordType == ProgressRecordType.Processing) ps.BeginStop(null, null); };
                var thrown = Record.Exception(() => ps.Invoke());
                host.OnProgress = null;
                Assert.True(thrown is PipelineStoppedException || ps.InvocationStateInfo.State == PSInvocationState.Stopped,
                    $"stopped ({ps.InvocationStateInfo.State}, {thrown?.GetType().Name})");
            }
            var said = string.Join("\n", host.Lines);
            var m = System.Text.RegularExpressions.Regex.Match(said, @"Remove-BPVolume stopped: (\d+) of (\d+) volume\(s\) removed on \\A\. Run the same command again to complete it");
            Assert.True(m.Success, "the host was told: " + said);
            int removed = int.Parse(m.Groups[1].Value);
            Assert.Equal(expired, int.Parse(m.Groups[2].Value));
            Assert.InRange(removed, 50, expired - 1);
            int left = Count("Get-BPVolume -DataStore DS01 -Expired");
            Assert.InRange(left, expired - removed - 1, expired - removed);

            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = rs;
                ps.AddScript(Command + " -PassThru");
                var results = ps.Invoke().Select(o => o.BaseObject).OfType<VolumeRemovalResult>().ToList();
                Assert.Empty(ps.Streams.Error);
                Assert.Equal(left, results.Count);
                Assert.All(results, r => Assert.Equal(RemovalStatus.Removed, r.Status));
            }
            Assert.Equal(0, Count("Get-BPVolume -DataStore DS01 -Expired"));
        }
    }
}
