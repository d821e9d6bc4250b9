using System;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// Names and paths escape nothing (issue 10 item 4): every name is checked against one rule set before use, and
    /// no lab path built from a name leaves the lab folder (<see cref="LabLayout.Under"/>).
    /// </summary>
    public class NamesAndPathsTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        public void Dispose() => _t.Dispose();

        private string Root => Path.Combine(_t.Path, "lab");

        [Theory]
        [InlineData("..")]
        [InlineData(".")]
        [InlineData("")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData("C:x")]
        [InlineData("x\0y")]
        public void Under_refuses_a_part_that_is_not_one_plain_name(string part)
        {
            var e = Assert.Throws<BackPakException>(() => LabLayout.Under(Root, "nodes", part));
            Assert.Equal(ErrorIds.InvalidName, e.ErrorId);
            Assert.Contains("outside the lab folder", e.Message);
        }

        [Fact]
        public void Under_gives_a_path_inside_the_root()
        {
            Assert.Equal(Path.Combine(Root, "nodes", "A"), LabLayout.Under(Root, "nodes", "A"));
            Assert.Equal(Path.Combine(Root, "nodes", "A"), LabLayout.Under(Root + "/", "nodes", "A"));
        }

        [Theory]
        [InlineData(@"\B.$/TMP/ADVESCAPE.X")]
        [InlineData(@"\B.$BPSTAGE.DS01/../../..")]
        [InlineData(@"\B.$BPSTAGE..")]
        [InlineData(@"\B.$BPSTAGE.DS.01")]
        [InlineData(@"$BPSTAGE.DS01")]
        [InlineData(@"\..\..\x.$BPSTAGE.DS01")]
        [InlineData(@"\B.$BPSTAGE8.DS01")]
        public void A_staging_area_that_is_not_a_Guardian_subvolume_never_becomes_a_path(string area)
        {
            Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => LabLayout.StagingDirFromGuardian(Root, area)).ErrorId);
        }

        [Fact]
        public void Storage_paths_and_volume_files_stay_inside_the_lab()
        {
            Assert.Equal(Path.Combine(Root, "nodes", "B", "staging", "BPSTAGE.DS01"), LabLayout.StagingDirFromGuardian(Root, @"\B.$BPSTAGE.DS01"));
            Assert.Equal(Path.Combine(Root, "sites", "SITEA", "storage", "DS01"), LabLayout.StorageDirFromUnc(Root, @"\\SITEA-NAS\BACKPAK\DS01"));
            foreach (var unc in new[] { @"\\SITEA-NAS\BACKPAK\..", @"\\..-NAS\BACKPAK\DS01", @"\\SITEA-NAS\BACKPAK\DS01\..\..", @"\\-NAS\BACKPAK\DS01" })
                Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => LabLayout.StorageDirFromUnc(Root, unc)).ErrorId);
            string dir = LabLayout.StorageDir(Root, "SITEA", "DS01");
            Assert.Equal(Path.Combine(dir, "LBAB1234.IND"), LabLayout.IndexFile(dir, "AB1234"));
            foreach (var label in new[] { "../x", "AB12/4", "X'; --", "ab1234" })
                Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => LabLayout.DataFile(dir, label)).ErrorId);
            Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => LabLayout.NodeDir(Root, @"\..")).ErrorId);
        }

        [Fact]
        public void Set_BPDataStore_refuses_a_staging_area_with_a_path_and_no_export_writes_outside_the_lab()
        {
            var lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Root, VolumeCount = 20, Seed = 44 }).Path);
            var a = lab.OpenDomain(@"\A");
            string outside = Path.Combine(_t.Path, "ADVESCAPE.X");
            foreach (var area in new[] { @"\B.$/TMP/ADVESCAPE.X", @"\B.$" + _t.Path + "/ADVESCAPE.X", @"\B.$BPSTAGE.DS01/../../../..", @"\B.$BPSTAGE.." })
            {
                var e = Assert.Throws<BackPakException>(() => a.SetDataStore("DS01", new DataStoreSettings { StagingArea = area }, "t"));
                Assert.Equal(ErrorIds.InvalidSetting, e.ErrorId);
            }
            Assert.Equal(@"\B.$BPSTAGE.DS01", a.GetExportStatus("DS01").StagingArea);
            Assert.Equal(SyncResult.Completed, a.StartExport("DS01", SyncType.Full, "t").Result);
            Assert.False(Directory.Exists(outside));
            Assert.False(Directory.Exists("/TMP/ADVESCAPE.X"));
            // A lower-case staging area of a node of the lab is the same area, upper-cased.
            a.SetDataStore("DS01", new DataStoreSettings { StagingArea = @"\b.$bpstage.ds01" }, "t");
            Assert.Equal(@"\B.$BPSTAGE.DS01", a.GetExportStatus("DS01").StagingArea);
        }

        [Theory]
        [InlineData("..")]
        [InlineData(".")]
        [InlineData("-x")]
        [InlineData("DS\u0131")] // dotless i: ToUpperInvariant would fold it into 'I'
        [InlineData("DS*")]
        public void Store_ids_that_are_paths_or_not_ASCII_are_refused_everywhere(string name)
        {
            var lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Root, VolumeCount = 10, Seed = 45 }).Path);
            Assert.False(Core.Text.Names.IsValid(name));
            Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => Core.Text.Names.NormalizeDataStore(name)).ErrorId);
            var b = lab.OpenDomain(@"\B");
            Assert.Equal(ErrorIds.InvalidName, Assert.Throws<BackPakException>(() => b.SetDataStore("DS01", new DataStoreSettings { PrimaryStoreId = name }, "t")).ErrorId);
            Assert.Equal("DS01", b.GetImportStatus("DS01").PrimaryStoreId);
        }

        [Theory]
        [InlineData("DS.01")]
        [InlineData("DS 01")]
        [InlineData("DS-01")]
        [InlineData("1DS")]
        [InlineData("DATASTORE")]
        public void New_BPLab_refuses_a_replicated_Store_ID_that_cannot_name_a_staging_subvolume(string store)
        {
            var e = Assert.Throws<BackPakException>(() => LabBuilder.Create(new LabOptions { Path = Root, VolumeCount = 10, DataStore = store }));
            Assert.Equal(ErrorIds.InvalidName, e.ErrorId);
            Assert.Contains("staging subvolume", e.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(_t.Path));
        }

        [Fact]
        public void New_BPLab_with_a_trailing_separator_makes_the_lab_in_that_folder()
        {
            var info = LabBuilder.Create(new LabOptions { Path = Root + Path.DirectorySeparatorChar, VolumeCount = 10 });
            Assert.Equal(Root, info.Path);
            Assert.Equal(new[] { "lab" }, Directory.EnumerateFileSystemEntries(_t.Path).Select(Path.GetFileName).ToArray());
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Root), e => Path.GetFileName(e).StartsWith(".", StringComparison.Ordinal));
            Assert.Equal(Root, Lab.Open(Root + "//").Root);
        }
    }
}
