using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// A lab of several replicated stores (New-BPLab -DataStore DS01,DS04), for a whole-site switch: each further store
    /// PRIMARY on \A and SECONDARY on \B, in step, with a storage link of its own; a lab of one store is what it was.
    /// </summary>
    public class MultiStoreLabTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();

        public void Dispose() => _t.Dispose();

        private Lab TwoStores(string name = "two", bool encrypted = true) =>
            Lab.Open(LabBuilder.Create(new LabOptions
            {
                Path = Path.Combine(_t.Path, name), VolumeCount = 200, Seed = 71, Encrypted = encrypted, MoreDataStores = new[] { "ds04" },
            }).Path);

        private static string? Kv(Lab lab, string key)
        {
            using var c = LabDb.Open(LabLayout.LabDb(lab.Root), readOnly: true);
            return (string?)LabDb.Scalar(c, "SELECT value FROM lab WHERE key = @k", ("@k", key));
        }

        private static List<string> Picture(IBackPakDomain d, string store) =>
            d.GetVolumes(new VolumeQuery { DataStore = store })
                .Select(v => $"{v.Label}|{v.DomainAccess}|{v.VolumeGroup}|{v.CatalogStatus}|{v.LastBackup:o}|{v.Expiration:o}|{v.MediaKeyName}|{v.CurrentOperation}|" +
                             string.Join(",", d.GetCatalogEntries(v.Label).Select(e => e.Kind + ":" + e.Catalog + ":" + e.Name)))
                .ToList();

        private static HashSet<string> Keys(Lab lab, string site)
        {
            using var c = LabDb.Open(LabLayout.KeyDb(lab.Root, site), readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name FROM key";
            using var r = cmd.ExecuteReader();
            var set = new HashSet<string>(StringComparer.Ordinal);
            while (r.Read()) set.Add(r.GetString(0));
            return set;
        }

        /// <summary>What a lab's seed decides, read from its catalogs: every volume row and DSM/TC entry of both nodes, hashed.</summary>
        private static string Fingerprint(Lab lab)
        {
            var sb = new StringBuilder();
            foreach (var node in lab.Nodes)
            {
                void Rows(string db, string sql)
                {
                    using var c = LabDb.Open(db, readOnly: true);
                    using var cmd = c.CreateCommand();
                    cmd.CommandText = sql;
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        for (int i = 0; i < r.FieldCount; i++) sb.Append(r.IsDBNull(i) ? "-" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                        sb.Append('\n');
                    }
                }
                Rows(LabLayout.BackPakDb(lab.Root, node), "SELECT label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, " +
                                                          "last_backup, expiration, current_operation, current_operation_mode, media_key_name FROM volume ORDER BY label");
                Rows(LabLayout.BackPakDb(lab.Root, node), "SELECT name, data_store, catalog_kind, volcat, pool, filecat, tmf_node, encrypted, retention_days FROM volume_group ORDER BY name");
                Rows(LabLayout.DsmTcDb(lab.Root, node), "SELECT label, volcat, pool, status, expiration, created FROM tapevolume ORDER BY label");
                Rows(LabLayout.DsmTcDb(lab.Root, node), "SELECT label, file_seq, filecat, fileid, generation, expiration FROM tapefile ORDER BY label, file_seq");
                Rows(LabLayout.DsmTcDb(lab.Root, node), "SELECT label, file_seq, disk_seq, filecat, name FROM diskfile ORDER BY label, file_seq, disk_seq");
                Rows(LabLayout.DsmTcDb(lab.Root, node), "SELECT name, kind, is_default FROM catalog ORDER BY name");
            }
            using var sha = SHA256.Create();
            return Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(sb.ToString())));
        }

        [Fact]
        public void A_further_store_is_primary_on_A_and_secondary_on_B_with_groups_and_catalogs_of_its_own()
        {
            var lab = TwoStores();
            Assert.Equal("DS01", lab.ReplicatedDataStore);
            Assert.Equal(new[] { "DS01", "DS04" }, lab.ReplicatedDataStores);
            Assert.Equal(new[] { "DS01", "DS04" }, lab.Info.ReplicatedDataStores);
            Assert.Equal("DS01,DS04", Kv(lab, "replicated_data_stores"));
            Assert.Equal("DS01", Kv(lab, "replicated_data_store"));

            using var a = lab.OpenDomain(@"\A");
            using var b = lab.OpenDomain(@"\B");
            var pa = a.GetDataStores("DS04").Single();
            var sb = b.GetDataStores("DS04").Single();
            Assert.Equal(DomainAccess.Primary, pa.DomainAccess);
            Assert.Equal(DomainAccess.Secondary, sb.DomainAccess);
            Assert.Equal("DS04", sb.PrimaryStoreId);
            Assert.Equal(LabLayout.StorageUnc("SITEA", "DS04"), pa.StoragePath);
            Assert.Equal(LabLayout.StorageUnc("SITEB", "DS04"), sb.StoragePath);
            Assert.True(pa.VolumeCount > 0);
            Assert.Equal(pa.VolumeCount, sb.VolumeCount);

            // One DSM/TC group, the same name on both sides (CS p9); catalogs of its own, dedicated at the secondary (R3).
            var ga = a.GetVolumeGroups("DS04").Single();
            var gb = b.GetVolumeGroups("DS04").Single();
            Assert.Equal("DAILYX1", ga.Name);
            Assert.Equal(ga.Name, gb.Name);
            Assert.Equal(CatalogKind.DsmTc, ga.CatalogKind);
            Assert.Equal((@"\A.VCX1", @"\A.FCX1"), (ga.VolumeCatalog, ga.FileCatalog));
            Assert.Equal((@"\B.VCB1", @"\B.FCB1"), (gb.VolumeCatalog, gb.FileCatalog));
            Assert.True(ga.Encrypted);
            var otherCatalogs = a.GetVolumeGroups().Concat(b.GetVolumeGroups()).Where(g => g.DataStore != "DS04")
                .SelectMany(g => new[] { g.VolumeCatalog, g.FileCatalog }).Where(x => x != null).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain(ga.VolumeCatalog, otherCatalogs);
            Assert.DoesNotContain(gb.FileCatalog, otherCatalogs);

            // The secondary holds every primary volume, in its own catalogs; no restore is in flight in a replicated store.
            var va = Picture(a, "DS04");
            Assert.Equal(va.Select(x => x.Split('|')[0]), b.GetVolumes(new VolumeQuery { DataStore = "DS04" }).Select(v => v.Label));
            Assert.All(a.GetVolumes(new VolumeQuery { DataStore = "DS04" }), v => Assert.Null(v.CurrentOperation));
            var keysB = Keys(lab, "SITEB");
            Assert.All(b.GetVolumes(new VolumeQuery { DataStore = "DS04" }), v => Assert.Contains(v.MediaKeyName!, keysB));

            // Its storage replicated from site A to site B by a link scoped to it; one key link for all.
            var link = lab.ReplicationLink("STORAGE", "DS04")!;
            Assert.Equal("STORAGE-DS04", link.Name);
            Assert.Equal(("SITEA", "SITEB"), (link.Source, link.Target));
            Assert.Equal("STORAGE-DS01", lab.ReplicationLink("STORAGE", "DS01")!.Name);
            Assert.Null(lab.ReplicationLink("STORAGE", "DS02"));
            Assert.Equal("KEYS", lab.ReplicationLink("KEYS", "DS04")!.Name);
            var label = va[0].Split('|')[0];
            Assert.True(File.Exists(LabLayout.DataFile(LabLayout.StorageDir(lab.Root, "SITEB", "DS04"), label)));
        }

        [Fact]
        public void Every_replicated_store_starts_in_step_and_the_estate_is_clean()
        {
            var lab = TwoStores();
            using var a = lab.OpenDomain(@"\A");
            using var b = lab.OpenDomain(@"\B");
            foreach (var store in new[] { "DS01", "DS04" })
            {
                var ex = a.GetExportStatus(store);
                var im = b.GetImportStatus(store);
                Assert.Equal(SyncResult.Completed, ex.LastFullExport!.Result);
                Assert.Equal(SyncResult.Completed, im.LastFullImport!.Result);
                Assert.Equal(@"\B.$BPSTAGE." + store, ex.StagingArea);
                Assert.Equal(ex.StagingArea, im.StagingArea);
                Assert.True(ex.StagingReachable);
                Assert.Equal(ExportState.Active, ex.State);
                Assert.Equal(0, ex.PendingCount);
                Assert.Equal(0, im.WaitingFiles);
                Assert.Equal(VolumePlanner.Epoch, ex.LastFullExport.Ended);
            }

            var checks = LabEstate.Test(lab);
            Assert.All(checks, c => Assert.True(c.Passed, c.Place + ": " + c.Detail));
            foreach (var place in new[] { @"storage of DS04 on \A", @"storage of DS04 on \B", "storage folder SITEA/DS04", "storage folder SITEB/DS04" })
                Assert.Contains(checks, c => c.Place == place);
            Assert.Empty(a.OpenWarnings);
            Assert.Empty(b.OpenWarnings);

            // What a switch of DS04 checks first holds too: it is a replicated store like the main one.
            var context = Context(lab, "DS04");
            var switchChecks = RoleSwitch.Test(context);
            Assert.All(switchChecks.Where(c => c.Name != "key replication not shared"), c => Assert.True(c.Passed, c.Name + ": " + c.Detail));
            // All but one: the one key link carries DS01's keys too, so a switch of DS04 alone would leave them behind.
            var shared = switchChecks.Single(c => c.Name == "key replication not shared");
            Assert.False(shared.Passed);
            Assert.False(shared.BlocksStart);
            Assert.Contains("Invoke-BPRoleSwitch -DataStore DS04, DS01", shared.Detail);
            Assert.Empty(RoleSwitch.StoresSharingKeyLink(context, new[] { "DS01" }));
        }

        [Fact]
        public void A_lab_of_one_store_is_what_it_was()
        {
            var one = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "one"), VolumeCount = 200, Seed = 71, Encrypted = true }).Path);
            var empty = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "empty"), VolumeCount = 200, Seed = 71, Encrypted = true, MoreDataStores = new string[0] }).Path);
            Assert.Null(Kv(one, "replicated_data_stores"));
            Assert.Null(Kv(empty, "replicated_data_stores"));
            Assert.Equal(new[] { "DS01" }, one.ReplicatedDataStores);
            Assert.Equal(new[] { "DS01" }, one.Info.ReplicatedDataStores);
            Assert.Equal(Fingerprint(one), Fingerprint(empty));
            // Pinned from the lab of the code before several stores existed (seed 71, 200 encrypted volumes).
            Assert.Equal(OneStoreFingerprint, Fingerprint(one));
            using (var c = LabDb.Open(LabLayout.LabDb(one.Root), readOnly: true))
                Assert.Equal(2L, LabDb.Scalar(c, "SELECT COUNT(*) FROM replication_link"));

            // A lab of two deals the volumes over one slot more: DS04 takes its share, the local stores keep theirs in kind.
            var two = TwoStores();
            using var a1 = one.OpenDomain(@"\A");
            using var a2 = two.OpenDomain(@"\A");
            Assert.Equal(200, a1.GetDataStores().Sum(s => s.VolumeCount) + one.OpenDomain(@"\B").GetDataStores("DS03").Single().VolumeCount);
            Assert.Equal(200, a2.GetDataStores().Sum(s => s.VolumeCount) + two.OpenDomain(@"\B").GetDataStores("DS03").Single().VolumeCount);
            Assert.Equal(new[] { "DS01", "DS02" }, a1.GetDataStores().Select(s => s.Name).OrderBy(n => n));
            Assert.Equal(new[] { "DS01", "DS02", "DS04" }, a2.GetDataStores().Select(s => s.Name).OrderBy(n => n));
        }

        /// <summary>The fingerprint of a one-store lab of seed 71, 200 encrypted volumes, as the code before several stores made it.</summary>
        private const string OneStoreFingerprint = "C3B89A1221EA13D815F423AC7414E3958F404981B4C1444FF7A266C637D5BEFA";

        public static IEnumerable<object[]> Refused() => new[]
        {
            new object[] { "DS01", new[] { "ds01" }, "twice" },
            new object[] { "DS01", new[] { "DS04", "Ds04" }, "twice" },
            new object[] { "DS01", new[] { "DS02" }, "local" },
            new object[] { "DS01", new[] { "ds03" }, "local" },
            new object[] { "DS02", new[] { "DS92" }, "local" },
            new object[] { "DS01", new[] { "DS93" }, "local" },
            new object[] { "DS01", new[] { "TOOLONG01" }, "subvolume" },
            new object[] { "DS01", new[] { "4DS" }, "subvolume" },
            new object[] { "DS01", new[] { "" }, "" },
            new object[] { "DS01", Enumerable.Range(2, 10).Select(i => "DS" + (i + 10)).ToArray(), "at most" },
        };

        [Theory]
        [MemberData(nameof(Refused))]
        public void Invalid_repeated_or_clashing_further_stores_are_refused_and_nothing_is_left(string main, string[] more, string why)
        {
            string path = Path.Combine(_t.Path, "refused");
            var e = Assert.Throws<BackPakException>(() => LabBuilder.Create(new LabOptions { Path = path, VolumeCount = 20, DataStore = main, MoreDataStores = more }));
            Assert.Equal(ErrorIds.InvalidName, e.ErrorId);
            Assert.Equal(BackPakErrorCategory.InvalidArgument, e.Category);
            // An empty name is refused by the Store ID rule itself, as for the main store; the lab's own refusals stop the command.
            Assert.Equal(why.Length > 0, e.StopsInvocation);
            Assert.False(string.IsNullOrEmpty(e.RecommendedAction));
            Assert.Contains(why, e.Message);
            Assert.False(Directory.Exists(path));
            Assert.Empty(Directory.GetFileSystemEntries(_t.Path));
        }

        private static RoleSwitchContext Context(Lab lab, string store) => new RoleSwitchContext
        {
            DataStore = store, Primary = lab.OpenDomain(@"\A"), Secondary = lab.OpenDomain(@"\B"), Journal = lab.RunJournal,
            StorageLink = lab.ReplicationLink("STORAGE", store), KeyLink = lab.ReplicationLink("KEYS", null),
            SecondarySite = lab.SiteOf(@"\B"), Timeout = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(50), User = "t",
        };

        [Fact]
        public void A_switch_of_the_main_store_leaves_the_other_replicated_store_as_it_was()
        {
            var lab = TwoStores(encrypted: false);
            var a = lab.OpenDomain(@"\A");
            var b = lab.OpenDomain(@"\B");
            var beforeA = Picture(a, "DS04");
            var beforeB = Picture(b, "DS04");
            var exportBefore = a.GetExportStatus("DS04");
            var importBefore = b.GetImportStatus("DS04");

            var report = ProcedureRunner.RunSwitch(Context(lab, "DS01"), null, null, null);
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.Equal(DomainAccess.Primary, b.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal(DomainAccess.Secondary, a.GetDataStores("DS01").Single().DomainAccess);
            Assert.Equal("SITEB", lab.ReplicationLink("STORAGE", "DS01")!.Source);

            // DS04: still PRIMARY on \A exporting to \B, its export and import untouched, its storage link as it was.
            Assert.Equal(DomainAccess.Primary, a.GetDataStores("DS04").Single().DomainAccess);
            Assert.Equal(DomainAccess.Secondary, b.GetDataStores("DS04").Single().DomainAccess);
            Assert.Equal(beforeA, Picture(a, "DS04"));
            Assert.Equal(beforeB, Picture(b, "DS04"));
            var exportAfter = a.GetExportStatus("DS04");
            var importAfter = b.GetImportStatus("DS04");
            Assert.Equal((exportBefore.LastFullExport!.Id, exportBefore.LastFullExport.Ended), (exportAfter.LastFullExport!.Id, exportAfter.LastFullExport.Ended));
            Assert.Null(exportAfter.LastUpdate);
            Assert.Equal(importBefore.LastFullImport!.Id, importAfter.LastFullImport!.Id);
            Assert.Equal(@"\B.$BPSTAGE.DS04", exportAfter.StagingArea);
            Assert.Equal(@"\B.$BPSTAGE.DS04", importAfter.StagingArea);
            Assert.Equal(ExportState.Active, exportAfter.State);
            Assert.Equal(0, exportAfter.PendingCount);
            var link = lab.ReplicationLink("STORAGE", "DS04")!;
            Assert.Equal(("SITEA", "SITEB"), (link.Source, link.Target));

            // And it still replicates: a backup of DS04 on \A reaches site B's storage and, imported, \B's catalogs.
            var written = a.RunBackups("DS04", 2, null, "t");
            Assert.Equal(2, written.Count);
            foreach (var v in written)
                Assert.True(File.Exists(LabLayout.DataFile(LabLayout.StorageDir(lab.Root, "SITEB", "DS04"), v.Label)));
            Assert.Equal(SyncResult.Completed, b.StartImport("DS04", SyncType.Update, true, "t").Result);
            Assert.Equal(Picture(a, "DS04").Select(x => x.Split('|')[4]), Picture(b, "DS04").Select(x => x.Split('|')[4]));

            // DS04's storage and both nodes' DSM/TC catalogs agree. (Not the TMF check on \B: DS01's TMF volumes are PRIMARY
            // there now without TMF entries, which the switch does not write; that is DS01's, one store or several.)
            var checks = LabEstate.Test(lab);
            Assert.All(checks.Where(c => c.DataStore == "DS04" || c.Place.Contains("DSM/TC")), c => Assert.True(c.Passed, c.Place + ": " + c.Detail));
            Assert.Equal(4, checks.Count(c => c.DataStore == "DS04"));
        }
    }
}
