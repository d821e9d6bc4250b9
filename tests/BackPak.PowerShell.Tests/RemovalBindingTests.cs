using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackPak.Core.Removal;
using BackPak.Lab;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>Confirmation, -WhatIf and -PassThru of the removal cmdlets, with a host that answers prompts.</summary>
    public class RemovalBindingTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "backpak-rmtests-" + Guid.NewGuid().ToString("N"));
        private readonly string _lab;

        public RemovalBindingTests()
        {
            _lab = LabBuilder.Create(new LabOptions { Path = Path.Combine(_root, "lab"), VolumeCount = 100, Seed = 4 }).Path;
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_root, true); } catch (IOException) { }
        }

        private (System.Collections.ObjectModel.Collection<PSObject> Output, PromptCountingHost Host, int Errors) Run(string script, int answer)
        {
            var host = new PromptCountingHost(answer);
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { typeof(RemoveBPVolumeCommand).Assembly.Location });
            using var rs = RunspaceFactory.CreateRunspace(host, iss);
            rs.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = rs;
            ps.AddScript($"Connect-BPDomain -Lab '{_lab}' -Node '\\A' | Out-Null; " + script);
            var o = ps.Invoke();
            return (o, host, ps.Streams.Error.Count);
        }

        private int Count(string filter) => (int)Run($"@(Get-BPVolume {filter}).Count", 0).Output[0].BaseObject;

        [Fact]
        public void A_pipeline_of_many_volumes_asks_once_with_the_totals()
        {
            int before = Count("-DataStore DS01 -Expired");
            Assert.True(before > 5);
            var (o, host, errors) = Run("Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -PassThru", answer: 0 /* Yes */);
            Assert.Equal(0, errors);
            var prompt = Assert.Single(host.Prompts);
            Assert.Contains($"{before} volumes", prompt);
            Assert.Contains("storage files", prompt);
            Assert.Contains("catalog entries", prompt);
            Assert.Equal(before, o.Count);
            Assert.All(o, x => Assert.Equal(RemovalStatus.Removed, ((VolumeRemovalResult)x.BaseObject).Status));
            Assert.Equal(0, Count("-DataStore DS01 -Expired"));
        }

        [Fact]
        public void Answering_no_changes_nothing()
        {
            int before = Count("-DataStore DS01");
            var (o, host, _) = Run("Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -PassThru", answer: 2 /* No */);
            Assert.Single(host.Prompts);
            Assert.Empty(o);
            Assert.Equal(before, Count("-DataStore DS01"));
        }

        [Fact]
        public void Force_skips_the_prompt_but_not_the_retention_rule()
        {
            int live = Count("-DataStore DS01 -NotExpired");
            var (o, host, errors) = Run("Get-BPVolume -DataStore DS01 | Remove-BPVolume -Force -PassThru", answer: 2);
            Assert.Empty(host.Prompts);
            Assert.Equal(live, errors);                      // one VolumeNotExpired per non-expired volume
            Assert.Equal(live, Count("-DataStore DS01"));    // only they are left
            Assert.DoesNotContain(o, x => ((VolumeRemovalResult)x.BaseObject).Status != RemovalStatus.Removed);
        }

        [Fact]
        public void WhatIf_names_every_target_and_the_totals_and_changes_nothing()
        {
            int before = Count("-DataStore DS01");
            var labels = Run("Get-BPVolume -DataStore DS01 -Expired | ForEach-Object Label", 0).Output.Select(x => x.ToString()).ToList();
            var (o, host, _) = Run("Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -WhatIf", answer: 0);
            Assert.Empty(host.Prompts);
            Assert.Empty(o);
            string text = string.Join("\n", host.Lines);
            Assert.All(labels, l => Assert.Contains("\"" + l + " (DS01 on \\A", text));
            Assert.Contains($"\"{labels.Count} volumes (", text);
            Assert.Equal(before, Count("-DataStore DS01"));
        }

        [Fact]
        public void Remove_BPDataStore_Recurse_asks_once_for_the_whole_decommission()
        {
            var (o, host, errors) = Run("Remove-BPVolumeGroup TMFDUMPS -Recurse -IgnoreRetention -PassThru | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }", answer: 0);
            Assert.Equal(0, errors);
            var prompt = Assert.Single(host.Prompts);
            Assert.Contains("volume group TMFDUMPS of data store DS01 on \\A", prompt);
            var r = (DecommissionResult)Assert.Single(o).BaseObject;
            Assert.True(r.Completed);
            Assert.Equal(new[] { "TMFDUMPS" }, r.VolumeGroupsRemoved);
        }
    }
}
