using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.NonStop.Provider;
using Xunit;

namespace BackPak.NonStop.Tests
{
    /// <summary>
    /// The decommission of a store on a NonStop node, guided: the module reads and checks, the operator deletes in the GUI
    /// (the simulator's gui-delete does what the Volume List page does to the node's catalogs) and confirms each step.
    /// </summary>
    public sealed class GuidedDecommissionTests
    {
        private static DecommissionResult Run(ProviderSite site, string? confirm, DecommissionKeep keep = DecommissionKeep.None)
        {
            // Each call connects anew, as each command of an operator's session may.
            using var d = site.Connect();
            var resume = DataStoreDecommission.UnfinishedRun(d.RunJournal, "DS01");
            return GuidedDecommission.Run(new GuidedDecommissionContext { DataStore = "DS01", Primary = d, Journal = d.RunJournal, Keep = keep, User = "ops" }, resume, confirm, null);
        }

        private static string Awaited(DecommissionResult r) => r.Steps.Single(s => s.Status == StepStatus.AwaitingOperator).Id;

        private static List<string> Commands(ProviderSite site) =>
            File.ReadLines(site.Server.CommandLog).Where(l => l.Contains("\"command\"")).ToList();

        [Fact]
        public void Waits_for_each_GUI_step_checks_the_volumes_are_gone_and_never_sends_a_change()
        {
            using var site = new ProviderSite();
            var r = Run(site, null);
            Assert.Equal(RunStatus.AwaitingOperator, r.Status);
            Assert.Equal(StepStatus.Done, r.Steps[0].Status);
            Assert.Contains("32 volume(s) in 3 volume group(s) on \\A", r.Steps[0].Message);
            Assert.Equal("stop-export", Awaited(r));
            Assert.Contains("-ConfirmStep stop-export", r.Message);
            Assert.All(r.Steps.Skip(1), s => Assert.Equal(StepKind.Operator, s.Kind));
            string runId = r.RunId;
            Assert.StartsWith("DC-", runId);

            // Steps are confirmed in their order, and only the one awaited.
            var wrong = Assert.Throws<BackPakException>(() => Run(site, "primary-volumes"));
            Assert.Equal(ErrorIds.StepNotAwaitingOperator, wrong.ErrorId);
            Assert.Contains("stop-export", wrong.Message);

            r = Run(site, "stop-export");
            Assert.Equal(runId, r.RunId);
            Assert.Equal("primary-volumes", Awaited(r));
            Assert.Contains("Volume List of DS01 on \\A", r.Message);

            // Confirmed but not done: the read says so and the run still waits, its journal as it was.
            var notDone = Assert.Throws<BackPakException>(() => Run(site, "primary-volumes"));
            Assert.Equal(ErrorIds.OperatorStepNotVerified, notDone.ErrorId);
            Assert.Contains("32 volume(s) of DS01 are still in the tape catalogs of \\A", notDone.Message);
            using (var d = site.Connect())
                Assert.Equal("primary-volumes", Awaited(DataStoreDecommission.Report(d.RunJournal, runId, d.Identity)!));

            // Test-BPDecommission mid-run: the volumes still there fail the catalog check, the run is not ended, and
            // the places no read reaches cannot pass.
            using (var d = site.Connect())
            {
                var mid = GuidedDecommission.Test(d, null, "DS01", d.RunJournal);
                var tape = mid.Single(x => x.Place == "DSM/TC and TMF catalogs on \\A");
                Assert.False(tape.Passed);
                Assert.True(tape.Checked);
                Assert.Equal(32, tape.Left.Count);
                var running = mid.Single(x => x.Place == "decommission run of DS01");
                Assert.False(running.Passed);
                Assert.Contains("primary-volumes", running.Detail);
                Assert.All(mid.Where(x => !x.Checked), x => { Assert.False(x.Passed); Assert.StartsWith("cannot tell: ", x.Detail); });
                Assert.Contains(mid, x => x.Place == "key servers" && !x.Checked);
                Assert.Contains(mid, x => x.Place == "BackPak catalog on \\A" && !x.Checked && x.Detail.Contains("Data Store List"));
            }

            // BackBox refused one volume: the check names it.
            site.Server.Admin("gui-delete", "--volcat", "VC1", "--pool", "POOL1", "--keep", "AA0003");
            site.Server.Admin("gui-delete", "--volcat", "VC1", "--pool", "POOL3");
            site.Server.Admin("gui-delete", "--tmf");
            notDone = Assert.Throws<BackPakException>(() => Run(site, "primary-volumes"));
            Assert.Equal(ErrorIds.OperatorStepNotVerified, notDone.ErrorId);
            Assert.Contains("1 volume(s) of DS01 are still in the tape catalogs of \\A (AA0003)", notDone.Message);

            site.Server.Admin("gui-delete", "--volcat", "VC1", "--pool", "POOL1");
            r = Run(site, "primary-volumes");
            Assert.Equal("primary-groups", Awaited(r));
            var volumes = r.Steps.Single(s => s.Id == "primary-volumes");
            Assert.Equal(StepStatus.Done, volumes.Status);
            Assert.Contains("checked: the tape catalogs of \\A hold no volume of DS01 any more (32 were there)", volumes.Message);
            Assert.Equal(32, r.VolumesRemoved);

            r = Run(site, "primary-groups");
            Assert.Equal("primary-store", Awaited(r));
            Assert.Contains("no documented command reads it over SSH", r.Steps.Single(s => s.Id == "primary-groups").Message);
            r = Run(site, "primary-store");
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.True(r.Completed);
            Assert.True(r.DataStoreRemoved);
            Assert.Equal(new[] { "VG01", "VG02", "VG04" }, r.VolumeGroupsRemoved.OrderBy(g => g, StringComparer.Ordinal));
            Assert.Contains(r.Remaining, x => x.Contains("site description"));

            // Test-BPDecommission after it: what was read passes, the steps no read checked are named, the rest cannot tell.
            using (var d = site.Connect())
            {
                var after = GuidedDecommission.Test(d, null, "DS01", d.RunJournal);
                Assert.True(after.Single(x => x.Place == "DSM/TC and TMF catalogs on \\A").Passed);
                var done = after.Single(x => x.Place == "decommission run of DS01");
                Assert.True(done.Passed);
                Assert.Contains($"run {r.RunId} completed; on the operator's word alone", done.Detail);
                Assert.Contains("(primary-groups)", done.Detail);
                Assert.DoesNotContain("(primary-volumes)", done.Detail);
                Assert.Equal(new[] { "BackPak catalog on \\A", "key servers", "storage of DS01" }, after.Where(x => !x.Checked).Select(x => x.Place).OrderBy(x => x, StringComparer.Ordinal));
                Assert.False(after.All(x => x.Passed));
            }

            // The tapes of another application in the same VOLCAT were never touched, and no change went to the node.
            Assert.DoesNotContain(Commands(site), l => l.Contains("DELETE") || l.Contains("ALTER") || l.Contains("BB027"));
            string dump = site.Server.Dump();
            Assert.Contains("ZZ0000", dump);
            Assert.Contains("ZZ0001", dump);
        }

        [Fact]
        public void Takes_the_SECONDARY_side_in_the_same_run_and_refuses_a_side_that_is_not_SECONDARY()
        {
            using var a = new ProviderSite();
            using var b = new SimulatorServer("\\B");
            string journal = Path.Combine(a.Server.Dir, "runs");
            string bSite = Path.Combine(b.Dir, "site.psd1");
            File.WriteAllText(bSite, $@"@{{
    SchemaVersion = 1
    Name = 'SIM'
    Nodes = @(
        @{{
            Node = '\B'
            Ssh = @{{ Host = '127.0.0.1'; Port = {b.Port}; User = '{b.User}'; KnownHostsFile = '{b.KnownHosts}'; Authentication = 'Key'; IdentityFile = '{b.ClientKey}' }}
            BackPakSubvolume = '$SYSTEM.BBOX'
            DataStores = @(
                @{{ StoreId = 'DS01'; DomainAccess = 'SECONDARY'; StoragePaths = @('/tmp/bp-none/DS01')
                    VolumeGroups = @( @{{ Name = 'VG01'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1'; FileCatalog = 'FC1' }} ) }}
                @{{ StoreId = 'DS02'; DomainAccess = 'PRIMARY'; StoragePaths = @('/tmp/bp-none/DS02')
                    VolumeGroups = @( @{{ Name = 'VG03'; Catalog = 'DsmTc'; VolumeCatalog = 'VC2'; Pool = 'POOL2'; FileCatalog = 'FC2' }} ) }}
            )
        }}
    )
}}
");
            var more = new Dictionary<string, object?> { ["RunJournal"] = journal };
            NonStopDomain B() => (NonStopDomain)new NonStopProvider().Connect(new ProviderConnectRequest
            {
                Node = "\\B", Parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["SiteDescription"] = bSite, ["RunJournal"] = journal },
            });
            DecommissionResult Run(string? confirm, string store = "DS01")
            {
                using var p = a.Connect(more: more);
                using var s = B();
                return GuidedDecommission.Run(new GuidedDecommissionContext { DataStore = store, Primary = p, Secondary = s, Journal = p.RunJournal, User = "ops" },
                    DataStoreDecommission.UnfinishedRun(p.RunJournal, store), confirm, null);
            }

            // DS02 is PRIMARY on \B: not the SECONDARY copy; refused before a run exists.
            var side = Assert.Throws<BackPakException>(() => Run(null, "DS02"));
            Assert.Equal(ErrorIds.DecommissionSideInvalid, side.ErrorId);
            using (var p = a.Connect(more: more)) Assert.Empty(p.RunJournal.RunIds());

            var r = Run(null);
            Assert.Contains("25 volume(s) in 1 volume group(s) on \\B", r.Steps[0].Message);
            foreach (var step in new[] { "stop-export" }) r = Run(step);
            a.Server.Admin("gui-delete", "--volcat", "VC1", "--pool", "POOL1");
            a.Server.Admin("gui-delete", "--volcat", "VC1", "--pool", "POOL3");
            a.Server.Admin("gui-delete", "--tmf");
            foreach (var step in new[] { "primary-volumes", "primary-groups", "primary-store" }) r = Run(step);
            Assert.Equal("secondary-volumes", Awaited(r));
            Assert.Contains("Volume List of the SECONDARY DS01 on \\B", r.Message);
            Assert.Equal(ErrorIds.OperatorStepNotVerified, Assert.Throws<BackPakException>(() => Run("secondary-volumes")).ErrorId);
            b.Admin("gui-delete", "--volcat", "VC1", "--pool", "POOL1");
            foreach (var step in new[] { "secondary-volumes", "secondary-groups", "secondary-store", "staging-area" }) r = Run(step);
            Assert.Equal("replicas", Awaited(r));
            r = Run("replicas");
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.Equal(32, r.VolumesRemoved);
            Assert.Equal(25, r.SecondaryVolumesRemoved);
            Assert.True(r.SecondaryDataStoreRemoved);
        }
    }
}
