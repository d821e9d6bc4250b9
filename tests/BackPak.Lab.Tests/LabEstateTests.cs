using System;
using System.IO;
using System.Linq;
using BackPak.Core.Providers;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// Issue 10: an estate out of step (a catalog that lost a commit, a file deleted by hand) is found by Test-BPLab's
    /// engine and warned of on opening, never acted on. The lost WAL itself is produced by a killed pwsh in
    /// tests/pester/LabEstate.Tests.ps1.
    /// </summary>
    public class LabEstateTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;

        public LabEstateTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 60, Seed = 63, Encrypted = true }).Path);
        }

        public void Dispose() => _t.Dispose();

        private static void Exec(string db, string sql)
        {
            using var c = LabDb.Open(db);
            LabDb.Exec(c, sql);
        }

        [Fact]
        public void A_new_lab_is_in_step_in_every_place_and_opening_warns_of_nothing()
        {
            var checks = LabEstate.Test(_lab);
            Assert.All(checks, c => Assert.True(c.Passed, c.Place + ": " + c.Detail));
            // Every place is looked at: both nodes' stores and catalogs, every data store's storage, every folder, the journals.
            foreach (var place in new[] { @"BackPak catalog on \A", @"DSM/TC catalog on \B", @"TMF catalog on \A", @"BackPak and DSM/TC catalogs on \B",
                         @"BackPak and TMF catalogs on \A", @"storage of DS01 on \A", @"storage of DS01 on \B", @"storage of DS02 on \A", @"storage of DS03 on \B",
                         "storage folder SITEA/DS01", "storage folder SITEB/DS01", @"removal intents on \A", @"import intents on \B", "run journals of the lab", "lab marker store" })
                Assert.Contains(checks, c => c.Place == place);
            using var a = _lab.OpenDomain(@"\A");
            Assert.Empty(a.OpenWarnings);
        }

        [Fact]
        public void A_volume_image_deleted_by_hand_is_named_and_opening_warns_of_its_store()
        {
            using (var a = _lab.OpenDomain(@"\A"))
            {
                var v = a.GetVolumes(new VolumeQuery { DataStore = "DS02" }).First();
                File.Delete(LabLayout.IndexFile(LabLayout.StorageDir(_lab.Root, "SITEA", "DS02"), v.Label));

                var failed = Assert.Single(LabEstate.Test(_lab), c => !c.Passed);
                Assert.Equal(@"storage of DS02 on \A", failed.Place);
                Assert.Equal(new[] { v.Label + " (no .IND)" }, failed.Left);
                Assert.Contains("Remove-BPVolume", failed.Detail);
            }
            using var again = _lab.OpenDomain(@"\A");
            var w = Assert.Single(again.OpenWarnings);
            Assert.Contains(@"storage of DS02 on \A", w);
            Assert.Contains("Test-BPLab", w);
            using var b = _lab.OpenDomain(@"\B");
            Assert.Empty(b.OpenWarnings); // \B's stores are in step
        }

        [Fact]
        public void A_catalog_that_lost_commits_is_found_against_the_other_catalog_and_the_storage()
        {
            string bp = LabLayout.BackPakDb(_lab.Root, @"\A");
            string label, scratch;
            using (var a = _lab.OpenDomain(@"\A"))
            {
                label = a.GetVolumes(new VolumeQuery { DataStore = "DS02" }).First().Label;
                scratch = a.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First(v => v.VolumeGroup == "DAILY").Label;
            }
            // As if the BackPak catalog had lost the commits that created a volume: its DSM/TC entry and images stay.
            Exec(bp, $"DELETE FROM volume WHERE label = '{label}'");
            // A SCRATCH volume has no images (BB p22/20): not a finding.
            Exec(bp, $"UPDATE volume SET catalog_status = 'SCRATCH' WHERE label = '{scratch}'");
            File.Delete(LabLayout.IndexFile(LabLayout.StorageDir(_lab.Root, "SITEA", "DS01"), scratch));
            File.Delete(LabLayout.DataFile(LabLayout.StorageDir(_lab.Root, "SITEA", "DS01"), scratch));
            File.Delete(LabLayout.IndexFile(LabLayout.StorageDir(_lab.Root, "SITEB", "DS01"), scratch));
            File.Delete(LabLayout.DataFile(LabLayout.StorageDir(_lab.Root, "SITEB", "DS01"), scratch));
            Exec(LabLayout.BackPakDb(_lab.Root, @"\B"), $"UPDATE volume SET catalog_status = 'SCRATCH' WHERE label = '{scratch}'");

            var failed = LabEstate.Test(_lab).Where(c => !c.Passed).ToDictionary(c => c.Place);

            Assert.Equal(new[] { @"BackPak and DSM/TC catalogs on \A", "storage folder SITEA/DS02" }, failed.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal(new[] { label + " (DSM/TC entry, no BackPak volume)" }, failed[@"BackPak and DSM/TC catalogs on \A"].Left);
            Assert.Equal(new[] { "LB" + label + ".DAT", "LB" + label + ".IND" }, failed["storage folder SITEA/DS02"].Left);
        }

        [Fact]
        public void Leftover_intents_and_a_damaged_run_journal_are_reported_with_their_way_out()
        {
            string bp = LabLayout.BackPakDb(_lab.Root, @"\B");
            Exec(bp, "INSERT INTO import_intent(data_store, run_id, type, catalog_files, user, files, created) VALUES ('DS01', 7, 'Update', 1, 't', 'V000001.bpx', 0)");
            Exec(bp, "INSERT INTO removal_intent(label, run_id, owner_host, owner_pid, owner_start, user, data_store, volume_group, domain_access, storage_path, tape_catalog, created) " +
                     "SELECT label, 'RM-DEAD', '" + BackPak.Core.Procedures.ProcessOwner.Current.Host.Replace("'", "''") + "', 999999, 0, 't', data_store, volume_group, domain_access, NULL, 'DSM/TC', 0 FROM volume WHERE data_store = 'DS03' ORDER BY label LIMIT 1");
            string journals = Path.Combine(_lab.Root, "runs");
            Directory.CreateDirectory(journals);
            File.WriteAllText(Path.Combine(journals, "SW-20261101-000000-DAMAGED.jsonl"), "{\"Type\":\"run\"}\nnot json\n");

            var failed = LabEstate.Test(_lab).Where(c => !c.Passed).ToDictionary(c => c.Place);

            Assert.Contains("Connect-BPDomain", failed[@"import intents on \B"].Detail);
            Assert.Equal(new[] { "DS01 (run 7, Update)" }, failed[@"import intents on \B"].Left);
            Assert.Contains("Remove-BPVolume", failed[@"removal intents on \B"].Detail);
            Assert.Contains("Stop-BPRoleSwitchRun", failed["run journals of the lab"].Detail);
            Assert.Equal(new[] { "SW-20261101-000000-DAMAGED (line(s) 2 unreadable)" }, failed["run journals of the lab"].Left);
        }
    }
}
