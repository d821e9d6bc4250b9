using System;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// The lab's NodeLost fault (issue 14, item 6): a lost node does not answer, its site's storage and key server go
    /// with it, and removing the fault brings it back with its stale state.
    /// </summary>
    public class NodeLostTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;

        public NodeLostTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 60, Seed = 71, Encrypted = true }).Path);
        }

        public void Dispose() => _t.Dispose();

        [Fact]
        public void A_lost_node_does_not_answer_to_a_new_connection_nor_to_one_already_open()
        {
            using var a = _lab.OpenDomain(@"\A");
            _lab.AddFault(LabFaultKind.NodeLost, @"\a");
            Assert.Equal(@"\A", Assert.Single(_lab.Faults()).Target);
            var connect = Assert.Throws<BackPakException>(() => _lab.OpenDomain(@"\A"));
            Assert.Equal(ErrorIds.NonStopUnreachable, connect.ErrorId);
            Assert.Equal(BackPakErrorCategory.ConnectionError, connect.Category);
            Assert.Equal(ErrorIds.NonStopUnreachable, Assert.Throws<BackPakException>(() => a.GetDataStores("DS01").ToList()).ErrorId);
            Assert.Equal(ErrorIds.NonStopUnreachable, Assert.Throws<BackPakException>(() => a.GetVolumes(new VolumeQuery { DataStore = "DS01" }).ToList()).ErrorId);
            var label = _lab.OpenDomain(@"\B").GetVolumes(new VolumeQuery { DataStore = "DS01" }).First().Label;
            Assert.Equal(ErrorIds.NonStopUnreachable, Assert.Throws<BackPakException>(() => a.GetCatalogEntries(label).ToList()).ErrorId);
            Assert.Equal(ErrorIds.NonStopUnreachable, Assert.Throws<BackPakException>(() => a.SetExportSuspended("DS01", true, "t")).ErrorId);
            // The other node answers as before; a recovery test there says the primary does not answer, and does not throw.
            using var b = _lab.OpenDomain(@"\B");
            Assert.Equal(DomainAccess.Secondary, b.GetDataStores("DS01").Single().DomainAccess);
            var answer = RecoveryTest.AnswerOf(a, "DS01");
            Assert.Null(answer.Access);
            Assert.Contains("does not answer", answer.Problem);
            // Said once: the connection error already names the node.
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(answer.Problem!, "does not answer"));
            var checks = RecoveryTest.Test(new RecoveryTestContext { DataStore = "DS01", Secondary = b, Primary = a, KeyServers = new[] { _lab.OpenKeyStore(@"\B") } });
            Assert.Contains("does not answer", checks.Single(c => c.Name == "last import current").Detail);
        }

        [Fact]
        public void Its_sites_key_server_and_replication_go_with_it()
        {
            var keysA = _lab.OpenKeyStore(@"\A");
            Assert.NotEmpty(keysA.Locate(null));
            var storage = _lab.ReplicationLink("STORAGE", "DS01")!;
            Assert.True(storage.Healthy);
            _lab.AddFault(LabFaultKind.NodeLost, @"\A");
            Assert.Equal(ErrorIds.KeyManagerUnreachable, Assert.Throws<BackPakException>(() => keysA.Locate(null)).ErrorId);
            Assert.Equal(ErrorIds.NonStopUnreachable, Assert.Throws<BackPakException>(() => _lab.OpenKeyStore(@"\A")).ErrorId);
            Assert.False(storage.Healthy);
            Assert.False(_lab.ReplicationLink("KEYS", null)!.Healthy);
            // The surviving site's key server answers.
            Assert.NotEmpty(_lab.OpenKeyStore(@"\B").Locate(null));
        }

        [Fact]
        public void Nothing_replicates_into_a_lost_site()
        {
            // After a switch, \B is PRIMARY and replicates to site A; with \A lost, its backups reach only site B.
            using (var a0 = _lab.OpenDomain(@"\A"))
            using (var b0 = _lab.OpenDomain(@"\B"))
                Assert.Equal(RunStatus.Completed, ProcedureRunner.RunSwitch(new RoleSwitchContext
                {
                    DataStore = "DS01", Primary = a0, Secondary = b0, Journal = _lab.RunJournal,
                    StorageLink = _lab.ReplicationLink("STORAGE", "DS01"), KeyLink = _lab.ReplicationLink("KEYS", null), SecondarySite = _lab.SiteOf(@"\B"),
                    Timeout = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(50), User = "t",
                }, null, null, null).Status);
            _lab.AddFault(LabFaultKind.NodeLost, @"\A");
            using var b = _lab.OpenDomain(@"\B");
            var written = b.RunBackups("DS01", 2, null, "t");
            Assert.Equal(2, written.Count);
            foreach (var v in written)
            {
                // A backup may reuse an expired volume, whose old image site A keeps: never the new one.
                string here = Path.Combine(_lab.Root, "sites", "SITEB", "storage", "DS01", "LB" + v.Label + ".IND");
                string there = Path.Combine(_lab.Root, "sites", "SITEA", "storage", "DS01", "LB" + v.Label + ".IND");
                Assert.True(File.Exists(here));
                Assert.True(!File.Exists(there) || File.ReadAllText(there) != File.ReadAllText(here));
            }
        }

        [Fact]
        public void Removing_the_fault_brings_the_node_back_with_its_stale_state()
        {
            _lab.AddFault(LabFaultKind.NodeLost, @"\A");
            Assert.Throws<BackPakException>(() => _lab.OpenDomain(@"\A"));
            Assert.Equal(1, _lab.RemoveFault(LabFaultKind.NodeLost, @"\A"));
            using var a = _lab.OpenDomain(@"\A");
            Assert.Equal(DomainAccess.Primary, a.GetDataStores("DS01").Single().DomainAccess);
            Assert.True(_lab.ReplicationLink("STORAGE", "DS01")!.Healthy);
        }

        [Fact]
        public void Only_a_node_of_the_lab_can_be_lost()
        {
            Assert.Equal(ErrorIds.NodeNotFound, Assert.Throws<BackPakException>(() => _lab.AddFault(LabFaultKind.NodeLost, @"\Z")).ErrorId);
            Assert.Empty(_lab.Faults());
        }
    }
}
