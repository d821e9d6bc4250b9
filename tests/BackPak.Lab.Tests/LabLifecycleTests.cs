using System;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using Xunit;

namespace BackPak.Lab.Tests
{
    public class LabLifecycleTests
    {
        private static LabInfo Make(string path, int seed = 1, bool force = false) =>
            LabBuilder.Create(new LabOptions { Path = path, VolumeCount = 20, Seed = seed, Force = force });

        private static string FirstLabel(string lab)
        {
            using var d = Lab.Open(lab).OpenDomain(@"\A");
            return d.GetVolumes(new VolumeQuery()).First().Label;
        }

        [Fact]
        public void Open_errors_say_what_is_wrong()
        {
            using var t = new TempDir();
            Assert.Equal(ErrorIds.LabNotFound, Assert.Throws<BackPakException>(() => Lab.Open(Path.Combine(t.Path, "none"))).ErrorId);
            Assert.Equal(ErrorIds.NotALab, Assert.Throws<BackPakException>(() => Lab.Open(t.Path)).ErrorId);
            File.WriteAllText(Path.Combine(t.Path, "lab.db"), "not sqlite at all");
            var e = Assert.Throws<BackPakException>(() => Lab.Open(t.Path));
            Assert.Equal(ErrorIds.NotALab, e.ErrorId);
            Assert.True(e.StopsInvocation);
        }

        [Fact]
        public void Unknown_node_is_NodeNotFound_and_names_the_nodes()
        {
            using var t = new TempDir();
            var info = Make(Path.Combine(t.Path, "lab"));
            var e = Assert.Throws<BackPakException>(() => Lab.Open(info.Path).OpenDomain(@"\C"));
            Assert.Equal(ErrorIds.NodeNotFound, e.ErrorId);
            Assert.Contains(@"\A, \B", e.Message);
            Assert.Equal(@"\B", Lab.Open(info.Path).OpenDomain("b").Node);
        }

        [Fact]
        public void An_existing_lab_is_replaced_only_with_Force()
        {
            using var t = new TempDir();
            string lab = Path.Combine(t.Path, "lab");
            Make(lab, seed: 1);
            string before = FirstLabel(lab);
            byte[] marker = File.ReadAllBytes(LabLayout.LabDb(lab));
            Assert.Equal(ErrorIds.LabAlreadyExists, Assert.Throws<BackPakException>(() => Make(lab, seed: 2)).ErrorId);
            Assert.Equal(marker, File.ReadAllBytes(LabLayout.LabDb(lab)));
            Make(lab, seed: 2, force: true);
            Assert.NotEqual(before, FirstLabel(lab));
            Assert.Empty(Directory.GetDirectories(t.Path, ".lab.*")); // no leftovers beside it
        }

        [Fact]
        public void Force_never_replaces_a_folder_that_is_not_a_lab()
        {
            using var t = new TempDir();
            string mine = Path.Combine(t.Path, "mine");
            Directory.CreateDirectory(mine);
            File.WriteAllText(Path.Combine(mine, "notes.txt"), "precious");
            var e = Assert.Throws<BackPakException>(() => Make(mine, force: true));
            Assert.Equal(ErrorIds.PathNotEmpty, e.ErrorId);
            Assert.Equal("precious", File.ReadAllText(Path.Combine(mine, "notes.txt")));
            Assert.Single(Directory.GetFileSystemEntries(mine));
            string file = Path.Combine(t.Path, "afile");
            File.WriteAllText(file, "x");
            Assert.Equal(ErrorIds.PathNotEmpty, Assert.Throws<BackPakException>(() => Make(file, force: true)).ErrorId);
        }

        [Fact]
        public void An_empty_folder_becomes_a_lab()
        {
            using var t = new TempDir();
            string empty = Path.Combine(t.Path, "empty");
            Directory.CreateDirectory(empty);
            Make(empty);
            Assert.True(Lab.IsLab(empty));
        }

        [Fact]
        public void A_replace_interrupted_between_its_two_moves_gets_the_old_lab_back()
        {
            using var t = new TempDir();
            string lab = Path.Combine(t.Path, "lab");
            Make(lab, seed: 5);
            string label = FirstLabel(lab);
            // The state a crash leaves after the old lab was moved aside and before the new one moved in.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Move(lab, Path.Combine(t.Path, ".lab.replaced-0123"));
            Directory.CreateDirectory(Path.Combine(t.Path, ".lab.creating-4567"));
            Assert.Equal(label, FirstLabel(lab));
            Make(lab, seed: 6, force: true); // and the abandoned build is cleaned up by the next New-BPLab
            Assert.Empty(Directory.GetDirectories(t.Path, ".lab.*"));
        }

        [Fact]
        public void Volume_count_out_of_range_changes_nothing()
        {
            using var t = new TempDir();
            string lab = Path.Combine(t.Path, "lab");
            var e = Assert.Throws<BackPakException>(() => LabBuilder.Create(new LabOptions { Path = lab, VolumeCount = 5 }));
            Assert.Equal(ErrorIds.InvalidName, e.ErrorId);
            Assert.False(Directory.Exists(lab));
        }

        [Fact]
        public void Another_replicated_store_name_is_used_on_both_nodes()
        {
            using var t = new TempDir();
            var info = LabBuilder.Create(new LabOptions { Path = Path.Combine(t.Path, "lab"), VolumeCount = 20, DataStore = "prod" });
            Assert.Equal("PROD", info.ReplicatedDataStore);
            using var b = Lab.Open(info.Path).OpenDomain(@"\B");
            Assert.Equal(BackPak.Core.Model.DomainAccess.Secondary, b.GetDataStores("PROD").Single().DomainAccess);
        }

        [Fact]
        public void The_lab_clock_starts_at_the_epoch_and_runs()
        {
            using var t = new TempDir();
            var info = Make(Path.Combine(t.Path, "lab"));
            var now = Lab.Open(info.Path).Now;
            Assert.InRange(now, VolumePlanner.Epoch, VolumePlanner.Epoch.AddMinutes(10));
        }
    }
}
