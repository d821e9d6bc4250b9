using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using Microsoft.Data.Sqlite;
using Xunit;

namespace BackPak.Lab.Tests
{
    public class LabInvariantTests : IClassFixture<LabFixture>
    {
        private readonly LabFixture _f;
        public LabInvariantTests(LabFixture f) { _f = f; }

        private static List<Volume> All(string lab, string node)
        {
            using var d = Lab.Open(lab).OpenDomain(node);
            return d.GetVolumes(new VolumeQuery()).ToList();
        }

        private static List<string> Column(string db, string sql)
        {
            using var c = LabDb.Open(db, readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            var list = new List<string>();
            while (r.Read()) list.Add(r.GetValue(0).ToString()!);
            return list;
        }

        [Fact]
        public void Volume_count_is_what_was_asked_for()
        {
            var a = All(_f.Encrypted.Path, @"\A");
            var b = All(_f.Encrypted.Path, @"\B");
            // Every volume lives in one PRIMARY store; DS01's also has its SECONDARY copy on \B.
            Assert.Equal(LabFixture.Count, a.Count + b.Count(v => v.DomainAccess == DomainAccess.Primary));
        }

        [Fact]
        public void R1_labels_are_unique_in_the_enterprise_except_a_volume_and_its_secondary_copy()
        {
            var a = All(_f.Encrypted.Path, @"\A");
            var b = All(_f.Encrypted.Path, @"\B");
            Assert.Equal(a.Count, a.Select(v => v.Label).Distinct().Count());
            Assert.Equal(b.Count, b.Select(v => v.Label).Distinct().Count());
            var shared = a.Select(v => v.Label).Intersect(b.Select(v => v.Label)).ToHashSet();
            Assert.Equal(a.Where(v => v.DataStore == "DS01").Select(v => v.Label).OrderBy(l => l), shared.OrderBy(l => l));
            Assert.All(b.Where(v => shared.Contains(v.Label)), v => Assert.Equal(DomainAccess.Secondary, v.DomainAccess));
            Assert.All(a.Concat(b), v => Assert.Matches("^[A-Z0-9]{6}$", v.Label));
        }

        [Fact]
        public void Every_primary_volume_is_in_its_three_catalogs_and_in_storage()
        {
            string lab = _f.Encrypted.Path;
            foreach (var node in new[] { @"\A", @"\B" })
            {
                using var d = Lab.Open(lab).OpenDomain(node);
                var groups = d.GetVolumeGroups().ToDictionary(g => g.Name);
                var stores = d.GetDataStores().ToDictionary(s => s.Name);
                var tapeVolumes = Column(LabLayout.DsmTcDb(lab, node), "SELECT label || '|' || volcat || '|' || pool FROM tapevolume").ToHashSet();
                var tapeFiles = Column(LabLayout.DsmTcDb(lab, node), "SELECT DISTINCT label FROM tapefile").ToHashSet();
                var diskFiles = Column(LabLayout.DsmTcDb(lab, node), "SELECT DISTINCT label FROM diskfile").ToHashSet();
                var tmf = Column(LabLayout.TmfDb(lab, node), "SELECT label FROM tmf_volume").ToHashSet();
                foreach (var v in d.GetVolumes(new VolumeQuery()))
                {
                    var g = groups[v.VolumeGroup];
                    if (g.CatalogKind == CatalogKind.DsmTc)
                    {
                        Assert.Contains(v.Label + "|" + g.VolumeCatalog + "|" + g.Pool, tapeVolumes);
                        Assert.Contains(v.Label, tapeFiles);
                        Assert.Contains(v.Label, diskFiles);
                    }
                    else if (v.DomainAccess == DomainAccess.Primary) Assert.Contains(v.Label, tmf);
                    else Assert.DoesNotContain(v.Label, tmf); // TMF entries are not replicated (Q7, inferred)

                    string dir = LabLayout.StorageDirFromUnc(lab, stores[v.DataStore].StoragePath);
                    Assert.True(File.Exists(LabLayout.IndexFile(dir, v.Label)), "IND of " + v.Label);
                    Assert.True(File.Exists(LabLayout.DataFile(dir, v.Label)), "DAT of " + v.Label);
                }
            }
        }

        [Fact]
        public void No_orphans_in_any_catalog_or_storage()
        {
            string lab = _f.Encrypted.Path;
            foreach (var node in new[] { @"\A", @"\B" })
            {
                var labels = All(lab, node).Select(v => v.Label).ToHashSet();
                Assert.Subset(labels, Column(LabLayout.DsmTcDb(lab, node), "SELECT label FROM tapevolume").ToHashSet());
                Assert.Subset(labels, Column(LabLayout.DsmTcDb(lab, node), "SELECT label FROM diskfile").ToHashSet());
                Assert.Subset(labels, Column(LabLayout.TmfDb(lab, node), "SELECT label FROM tmf_dump").ToHashSet());
            }
            var everyLabel = All(lab, @"\A").Concat(All(lab, @"\B")).Select(v => v.Label).ToHashSet();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(lab, "sites"), "LB*", SearchOption.AllDirectories))
                Assert.Contains(Path.GetFileNameWithoutExtension(file).Substring(2), everyLabel);
        }

        [Fact]
        public void Diskfile_names_are_node_qualified_with_the_primary_node()
        {
            foreach (var node in new[] { @"\A", @"\B" })
            {
                var names = Column(LabLayout.DsmTcDb(_f.Encrypted.Path, node), "SELECT name FROM diskfile");
                Assert.NotEmpty(names);
                Assert.All(names, n => Assert.Matches(@"^\\[AB]\.\$DATA0[1-4]\.[A-Z]+\.F\d{5}$", n));
            }
            // The replicated DS01 entries on \B keep \A's node (no node replacement configured).
            Assert.Contains(Column(LabLayout.DsmTcDb(_f.Encrypted.Path, @"\B"), "SELECT name FROM diskfile WHERE filecat = '\\B.FCA01'"), n => n.StartsWith(@"\A."));
        }

        [Fact]
        public void R3_the_secondary_uses_dedicated_catalogs_that_exist_R2_search_lists_differ()
        {
            using var a = Lab.Open(_f.Encrypted.Path).OpenDomain(@"\A");
            using var b = Lab.Open(_f.Encrypted.Path).OpenDomain(@"\B");
            var ga = a.GetVolumeGroups("DS01").Where(g => g.CatalogKind == CatalogKind.DsmTc).ToList();
            var gb = b.GetVolumeGroups("DS01").Where(g => g.CatalogKind == CatalogKind.DsmTc).ToList();
            Assert.Equal(ga.Select(g => g.Name), gb.Select(g => g.Name));
            var catalogsB = Column(LabLayout.DsmTcDb(_f.Encrypted.Path, @"\B"), "SELECT name FROM catalog").ToHashSet();
            foreach (var g in gb)
            {
                Assert.DoesNotContain(g.VolumeCatalog, ga.Select(x => x.VolumeCatalog));
                Assert.DoesNotContain(g.FileCatalog, ga.Select(x => x.FileCatalog));
                Assert.StartsWith(@"\B.", g.VolumeCatalog);
                Assert.Contains(g.VolumeCatalog!, catalogsB); // R6: target catalogs exist
                Assert.Contains(g.FileCatalog!, catalogsB);
            }
            // The secondary's FILECAT is not the MEDIADEFS default (R4).
            var defaults = Column(LabLayout.DsmTcDb(_f.Encrypted.Path, @"\B"), "SELECT name FROM catalog WHERE is_default = 1");
            Assert.Single(defaults);
            Assert.DoesNotContain(defaults[0], gb.Select(g => g.FileCatalog));
            var lists = Column(LabLayout.LabDb(_f.Encrypted.Path), "SELECT dsmtc_search_list FROM node");
            Assert.Equal(lists.Count, lists.Distinct().Count());
        }

        [Fact]
        public void R20_secondary_copies_never_show_write_access()
        {
            var b = All(_f.Encrypted.Path, @"\B").Where(v => v.DomainAccess == DomainAccess.Secondary).ToList();
            Assert.NotEmpty(b);
            Assert.All(b, v => Assert.Equal('.', v.Authorization[1]));
            var a = All(_f.Encrypted.Path, @"\A").ToDictionary(v => v.Label);
            Assert.All(b, v => Assert.Equal(a[v.Label].Authorization[0], v.Authorization[0]));
        }

        [Fact]
        public void Expiration_is_a_mix_and_status_follows_it()
        {
            var a = All(_f.Encrypted.Path, @"\A").Where(v => v.DataStore == "DS01").ToList();
            Assert.Contains(a, v => v.IsExpired);
            Assert.Contains(a, v => !v.IsExpired);
            Assert.All(a, v => Assert.Equal(v.Expiration <= VolumePlanner.Epoch ? "RELEASED" : "ASSIGNED", v.CatalogStatus));
            Assert.All(a, v => Assert.True(v.LastBackup < v.Expiration));
            Assert.All(a, v => Assert.Null(v.CurrentOperation)); // no backup is running on the replicated store at creation
        }

        [Fact]
        public void Encrypted_groups_give_every_volume_a_Media_Key_Name_held_by_its_sites_key_servers()
        {
            string lab = _f.Encrypted.Path;
            using var a = Lab.Open(lab).OpenDomain(@"\A");
            var encryptedGroups = a.GetVolumeGroups().Where(g => g.Encrypted).Select(g => g.Name).ToHashSet();
            Assert.Contains("DAILY", encryptedGroups);
            Assert.DoesNotContain("TMFDUMPS", encryptedGroups);
            var keysA = Column(LabLayout.KeyDb(lab, "SITEA"), "SELECT name FROM key").ToHashSet();
            var keysB = Column(LabLayout.KeyDb(lab, "SITEB"), "SELECT name FROM key").ToHashSet();
            foreach (var v in a.GetVolumes(new VolumeQuery()))
            {
                Assert.Equal(encryptedGroups.Contains(v.VolumeGroup), v.IsEncrypted);
                if (!v.IsEncrypted) continue;
                Assert.Contains(v.MediaKeyName!, keysA);
                if (v.DataStore == "DS01") Assert.Contains(v.MediaKeyName!, keysB); // replicated by the key servers
            }
            // No key without a volume: site A holds the keys of \A's stores, site B only DS01's replicas and DS03's.
            var keyed = a.GetVolumes(new VolumeQuery { Encrypted = true }).Select(v => v.MediaKeyName!).ToHashSet();
            Assert.Subset(keyed, keysA);
        }

        [Fact]
        public void Same_seed_same_lab_byte_for_byte()
        {
            Assert.Equal(Dump(_f.Encrypted.Path), Dump(_f.Twin.Path));
            Assert.Equal(StorageHashes(_f.Encrypted.Path), StorageHashes(_f.Twin.Path));
        }

        [Fact]
        public void The_staging_area_holds_a_full_export_of_the_replicated_store()
        {
            static string[] Body(string lab) => File.ReadAllLines(Path.Combine(lab, "nodes", "B", "staging", "BPSTAGE.DS01", "FULL.bpx")).Skip(1).ToArray();
            var a = Body(_f.Encrypted.Path);
            Assert.Equal(a, Body(_f.Twin.Path));
            int ds01 = All(_f.Encrypted.Path, @"\A").Count(v => v.DataStore == "DS01");
            Assert.Equal(ds01, a.Count(l => l.StartsWith("V\t")));
            Assert.StartsWith("#END\t" + ds01 + "\t", a.Last());
        }

        [Fact]
        public void Another_seed_gives_other_labels()
        {
            var a = All(_f.Encrypted.Path, @"\A").Select(v => v.Label).ToHashSet();
            var o = All(_f.Other.Path, @"\A").Select(v => v.Label).ToHashSet();
            Assert.True(a.Intersect(o).Count() < a.Count / 10);
        }

        /// <summary>Every row of every store of a lab, as text, except the real time the lab was made.</summary>
        private static List<string> Dump(string lab)
        {
            var rows = new List<string>();
            foreach (var db in Directory.EnumerateFiles(lab, "*.db", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                using var c = LabDb.Open(db, readOnly: true);
                // Run and audit records carry the real time the lab was made at; everything else must be equal.
                foreach (var table in ReadAll(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit', 'sync_run') ORDER BY name"))
                    foreach (var row in ReadAll(c, $"SELECT * FROM \"{table}\"").OrderBy(r => r, StringComparer.Ordinal))
                        if (!row.StartsWith("clock_origin_real")) rows.Add(Path.GetRelativePath(lab, db) + ":" + table + ":" + row);
            }
            Assert.NotEmpty(rows);
            return rows;
        }

        private static IEnumerable<string> ReadAll(SqliteConnection c, string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            var list = new List<string>();
            while (r.Read())
                list.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            return list;
        }

        private static List<string> StorageHashes(string lab)
        {
            using var sha = SHA256.Create();
            return Directory.EnumerateFiles(Path.Combine(lab, "sites"), "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".db") && !f.EndsWith("-wal") && !f.EndsWith("-shm"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => Path.GetRelativePath(lab, f) + ":" + Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(f))))
                .ToList();
        }
    }
}
