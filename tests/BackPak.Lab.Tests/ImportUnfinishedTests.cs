using System;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// Issue 10: a removal must not run over an import a killed process left unfinished, even from a domain opened
    /// before the kill (whose opening had nothing to finish); and an opening that cannot finish such an import says so.
    /// The intent is written here as the import writes it before its first commit (SyncCrash.Tests.ps1 kills a real
    /// pwsh there).
    /// </summary>
    public class ImportUnfinishedTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly Lab _lab;
        private static readonly VolumeRemovalOptions Ignore = new VolumeRemovalOptions { IgnoreRetention = true, User = "tester" };

        public ImportUnfinishedTests()
        {
            _lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 60, Seed = 62 }).Path);
        }

        public void Dispose() => _t.Dispose();

        /// <summary>What an import of DS01 on \B killed after its intent leaves: a running sync run, the intent, the pinned FULL export.</summary>
        private long LeaveInterruptedImport(bool pinTheFile)
        {
            using (var a = _lab.OpenDomain(@"\A")) a.RunBackups("DS01", 2, null, "t");
            using (var a = _lab.OpenDomain(@"\A")) a.StartExport("DS01", SyncType.Full, "t");
            string bp = LabLayout.BackPakDb(_lab.Root, @"\B");
            using var c = LabDb.Open(bp);
            LabDb.Exec(c, "INSERT INTO sync_run(data_store, direction, type, started, result) VALUES ('DS01', 'Import', 'Full', 0, 'Running')");
            long run = (long)LabDb.Scalar(c, "SELECT last_insert_rowid()")!;
            string pins = LabLayout.ImportPinDir(_lab.Root, @"\B", run);
            Directory.CreateDirectory(pins);
            if (pinTheFile)
                File.Copy(Path.Combine(LabLayout.StagingDirFromGuardian(_lab.Root, @"\B.$BPSTAGE.DS01"), ExportFile.FullName), Path.Combine(pins, ExportFile.FullName));
            LabDb.Exec(c, "INSERT INTO import_intent(data_store, run_id, type, catalog_files, user, files, created) VALUES ('DS01', @r, 'Full', 1, 't', @f, 0)",
                ("@r", run), ("@f", ExportFile.FullName));
            return run;
        }

        private static long Intents(Lab lab)
        {
            using var c = LabDb.Open(LabLayout.BackPakDb(lab.Root, @"\B"), readOnly: true);
            return (long)LabDb.Scalar(c, "SELECT COUNT(*) FROM import_intent")!;
        }

        [Fact]
        public void A_domain_opened_before_the_kill_refuses_the_removal_and_the_next_opening_finishes_the_import()
        {
            using var before = _lab.OpenDomain(@"\B"); // opened with nothing to finish
            var label = before.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First().Label;
            LeaveInterruptedImport(pinTheFile: true);

            var r = before.RemoveVolumes(new[] { label }, Ignore).Single();
            Assert.Equal(RemovalStatus.Refused, r.Status);
            Assert.Equal(ErrorIds.ImportUnfinished, r.Error!.ErrorId);
            Assert.Contains("Start-BPCatalogImport DS01 -Type Full", r.Error.RecommendedAction);
            Assert.Contains(before.GetVolumes(new VolumeQuery { DataStore = "DS01" }), v => v.Label == label);
            var group = Assert.Throws<BackPakException>(() => before.RemoveVolumeGroup("TMFDUMPS", "t"));
            Assert.Equal(ErrorIds.ImportUnfinished, group.ErrorId);
            Assert.Equal(ErrorIds.ImportUnfinished, Assert.Throws<BackPakException>(() => before.RemoveDataStore("DS01", "t")).ErrorId);

            using var again = _lab.OpenDomain(@"\B"); // finishes it
            Assert.Empty(again.OpenWarnings);
            Assert.Equal(0, Intents(_lab));
            Assert.Equal(SyncResult.Completed, again.GetImportStatus("DS01").LastFullImport!.Result);
            Assert.Equal(RemovalStatus.Removed, before.RemoveVolumes(new[] { label }, Ignore).Single().Status);
        }

        [Fact]
        public void An_opening_that_cannot_finish_the_import_warns_naming_the_store_and_the_way_out_and_still_opens()
        {
            LeaveInterruptedImport(pinTheFile: false); // its pinned file is gone: the import cannot be finished from it

            using var d = _lab.OpenDomain(@"\B");

            var w = Assert.Single(d.OpenWarnings);
            Assert.Contains("An import of data store DS01 on \\B was interrupted and could not be finished", w);
            Assert.Contains("Start-BPCatalogImport DS01 -Type Full -Domain '\\B'", w);
            Assert.NotEmpty(d.GetVolumes(new VolumeQuery { DataStore = "DS01" })); // the domain opened all the same
            Assert.Equal(SyncResult.Failed, d.GetImportStatus("DS01").LastFullImport!.Result);
            Assert.Equal(0, Intents(_lab));
            // The way out the warning names works.
            Assert.Equal(SyncResult.Completed, d.StartImport("DS01", SyncType.Full, true, "t").Result);
        }

        [Fact]
        public void An_opening_that_finds_the_store_held_warns_and_leaves_the_import_for_later()
        {
            LeaveInterruptedImport(pinTheFile: true);
            // An interrupted removal of the store (its process gone) holds it: the import cannot be finished now.
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, @"\B")))
            {
                var label = (string)LabDb.Scalar(c, "SELECT label FROM volume WHERE data_store = 'DS01' ORDER BY label LIMIT 1")!;
                LabDb.Exec(c, "INSERT INTO removal_intent(label, run_id, owner_host, owner_pid, owner_start, user, data_store, volume_group, domain_access, storage_path, tape_catalog, created) " +
                              "SELECT label, 'RM-DEAD', '" + BackPak.Core.Procedures.ProcessOwner.Current.Host.Replace("'", "''") + "', 999999, 0, 't', data_store, volume_group, domain_access, NULL, 'DSM/TC', 0 FROM volume WHERE label = @l", ("@l", label));
                LabDb.Exec(c, "UPDATE volume SET current_operation = 'DELETE' WHERE label = @l", ("@l", label));
            }

            using var d = _lab.OpenDomain(@"\B");

            var w = Assert.Single(d.OpenWarnings);
            Assert.Contains("data store DS01 on \\B", w);
            Assert.Contains("no volume, volume group or data store DS01 is removed", w);
            Assert.Contains("Start-BPCatalogImport DS01 -Type Full -Domain '\\B'", w);
            Assert.Equal(1, Intents(_lab)); // left as it was: never acted on
            var other = d.GetVolumes(new VolumeQuery { DataStore = "DS01" }).First(v => v.CurrentOperation == null).Label;
            Assert.Equal(ErrorIds.ImportUnfinished, d.RemoveVolumes(new[] { other }, Ignore).Single().Error!.ErrorId);
        }
    }
}
