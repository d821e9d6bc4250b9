using System;
using System.IO;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using Microsoft.Data.Sqlite;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>What key removal asks of the lab beyond its catalogs: the other side of each replicated store, and the key each storage image names.</summary>
    public class KeyFactsTests
    {
        [Fact]
        public void The_replicated_store_names_its_other_side_on_each_node_and_local_stores_have_none()
        {
            using var dir = new TempDir();
            LabBuilder.Create(new LabOptions { Path = dir.Path, VolumeCount = 40, Seed = 3, Encrypted = true });
            var lab = Lab.Open(dir.Path);
            var a = Assert.Single(lab.OpenDomain(@"\A").GetReplicationPartners());
            Assert.Equal(("DS01", @"\A", DomainAccess.Primary, @"\B", "DS01"), (a.DataStore, a.Node, a.DomainAccess, a.PartnerNode, a.PartnerDataStore));
            var b = Assert.Single(lab.OpenDomain(@"\B").GetReplicationPartners());
            Assert.Equal(("DS01", @"\B", DomainAccess.Secondary, @"\A"), (b.DataStore, b.Node, b.DomainAccess, b.PartnerNode));
        }

        [Fact]
        public void Every_encrypted_volume_of_both_nodes_has_its_catalog_key_in_its_storage_image()
        {
            using var dir = new TempDir();
            LabBuilder.Create(new LabOptions { Path = dir.Path, VolumeCount = 60, Seed = 4, Encrypted = true });
            var lab = Lab.Open(dir.Path);
            foreach (var node in new[] { @"\A", @"\B" })
            {
                var d = lab.OpenDomain(node);
                var encrypted = d.GetVolumes(new VolumeQuery { Encrypted = true }).ToDictionary(v => v.Label);
                var images = d.GetVolumeImageKeys();
                Assert.Equal(encrypted.Keys.OrderBy(l => l), images.Select(i => i.Label).OrderBy(l => l));
                Assert.All(images, i => Assert.Equal(encrypted[i.Label].MediaKeyName, i.MediaKeyName));
                Assert.All(images, i => Assert.Equal(i.MediaKeyName, i.CatalogMediaKeyName));
                Assert.All(images, i => Assert.Equal(node, i.Node));
            }
        }

        [Fact]
        public void An_image_written_with_a_newer_key_than_the_catalog_names_is_reported_with_both_names()
        {
            using var dir = new TempDir();
            LabBuilder.Create(new LabOptions { Path = dir.Path, VolumeCount = 60, Seed = 4, Encrypted = true });
            var lab = Lab.Open(dir.Path);
            var a = lab.OpenDomain(@"\A");
            var v = a.GetVolumes(new VolumeQuery { DataStore = "DS01", Encrypted = true }).First();
            var written = Assert.Single(a.RunBackups("DS01", 1, new[] { v.Label }, "t"));
            Assert.NotEqual(v.MediaKeyName, written.MediaKeyName);
            // An older catalog entry comes back over the new image (what an import of an older export does).
            foreach (var node in new[] { "A", "B" })
                Sql(Path.Combine(dir.Path, "nodes", node, "backpak.db"), "UPDATE volume SET media_key_name = $k WHERE label = $l", v.MediaKeyName!, v.Label);

            foreach (var d in new[] { a, lab.OpenDomain(@"\B") })
            {
                var image = Assert.Single(d.GetVolumeImageKeys(), i => i.Label == v.Label);
                Assert.Equal(written.MediaKeyName, image.MediaKeyName); // \B reads the replica at site B
                Assert.Equal(v.MediaKeyName, image.CatalogMediaKeyName);
            }
        }

        private static void Sql(string db, string sql, string key, string label)
        {
            using var c = new SqliteConnection("Data Source=" + db + ";Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$l", label);
            cmd.ExecuteNonQuery();
        }
    }
}
