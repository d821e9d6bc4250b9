using System;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// Imports trust no file (issue 10 item 4): an export file with a field the product's rules refuse (a label that
    /// is not six letters or digits, a name that is not a Guardian name, a number that is not one or is out of
    /// range, a header without its sequence) is refused with ExportFileInvalid naming the line, before anything is
    /// applied, and never as a raw .NET exception.
    /// </summary>
    public class ImportValidationTests : IClassFixture<ImportValidationTests.Fixture>
    {
        public sealed class Fixture : IDisposable
        {
            private readonly TempDir _t = new TempDir();

            public Fixture()
            {
                Lab = Lab.Open(LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 60, Seed = 43, Encrypted = true }).Path);
                Staging = LabLayout.StagingDirFromGuardian(Lab.Root, @"\B.$BPSTAGE.DS01");
                Full = File.ReadAllLines(Path.Combine(Staging, "FULL.bpx"));
            }

            public Lab Lab { get; }
            public string Staging { get; }
            /// <summary>The full export New-BPLab left in the staging area, line by line.</summary>
            public string[] Full { get; }

            public void Dispose() => _t.Dispose();
        }

        private readonly Fixture _f;
        public ImportValidationTests(Fixture f) { _f = f; }

        private LabDomain B => _f.Lab.OpenDomain(@"\B");
        private string FullPath => Path.Combine(_f.Staging, "FULL.bpx");

        /// <summary>Everything an import could change on \B: its BackPak volumes and its DSM/TC entries.</summary>
        private string Picture()
        {
            var sb = new StringBuilder();
            foreach (var (db, sql) in new[]
            {
                (LabLayout.BackPakDb(_f.Lab.Root, @"\B"), "SELECT label, data_store, volume_group, catalog_status, expiration, authorization, last_update FROM volume ORDER BY label"),
                (LabLayout.DsmTcDb(_f.Lab.Root, @"\B"), "SELECT label, volcat, pool, status, expiration FROM tapevolume ORDER BY label"),
                (LabLayout.DsmTcDb(_f.Lab.Root, @"\B"), "SELECT label, file_seq, fileid, generation FROM tapefile ORDER BY label, file_seq"),
                (LabLayout.DsmTcDb(_f.Lab.Root, @"\B"), "SELECT label, file_seq, disk_seq, name FROM diskfile ORDER BY label, file_seq, disk_seq"),
            })
            {
                using var c = LabDb.Open(db, readOnly: true);
                using var cmd = c.CreateCommand();
                cmd.CommandText = sql;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    for (int i = 0; i < r.FieldCount; i++) sb.Append(r.IsDBNull(i) ? "\\N" : r.GetValue(i).ToString()).Append('|');
                    sb.Append('\n');
                }
            }
            return sb.ToString();
        }

        /// <summary>The full export with field <paramref name="field"/> (0-based) of the first line of kind <paramref name="kind"/> replaced.</summary>
        private (string[] Lines, int LineNumber) WithField(string kind, int field, string value, int nth = 1)
        {
            var lines = _f.Full.ToArray();
            int seen = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                var f = lines[i].Split('\t');
                if (f[0] != kind || ++seen != nth) continue;
                f[field] = value;
                lines[i] = string.Join("\t", f);
                return (lines, i + 1);
            }
            throw new InvalidOperationException("no " + kind + " line");
        }

        /// <summary>Writes the file as the full export, imports, and checks the refusal; the good export is put back after.</summary>
        private BackPakException Refused(string[] lines, int line, string because, byte[]? raw = null)
        {
            string before = Picture();
            try
            {
                if (raw != null) File.WriteAllBytes(FullPath, raw);
                else File.WriteAllText(FullPath, string.Join("\n", lines) + "\n");
                var e = Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Full, true, "t"));
                Assert.Equal(ErrorIds.ExportFileInvalid, e.ErrorId);
                Assert.Contains("FULL.bpx", e.Message);
                if (line > 0) Assert.Contains($"line {line}:", e.Message);
                Assert.Contains(because, e.Message);
                Assert.Contains("Nothing of it was applied", e.Message);
                Assert.Equal(before, Picture());
                Assert.Equal(SyncResult.Failed, B.GetImportStatus("DS01").LastFullImport!.Result);
                return e;
            }
            finally
            {
                File.WriteAllText(FullPath, string.Join("\n", _f.Full) + "\n");
            }
        }

        [Fact]
        public void The_untouched_full_export_imports()
        {
            var run = B.StartImport("DS01", SyncType.Full, true, "t");
            Assert.Equal(SyncResult.Completed, run.Result);
            Assert.True(run.Volumes > 0);
        }

        [Theory]
        // V record: label, group, status, owner node, owner user, authorization, times, key, lock
        [InlineData("V", 1, "X'; --", "is not a volume label")]
        [InlineData("V", 1, "../../../../tmp/x", "is not a volume label")]
        [InlineData("V", 1, "ab1234", "is not a volume label")]
        [InlineData("V", 2, "../DAILY", "is not a volume group name")]
        [InlineData("V", 3, "ASSIGNED'", "is not a status word")]
        [InlineData("V", 4, "A", "is not a NonStop node name")]
        [InlineData("V", 4, "\\A.$X", "is not a NonStop node name")]
        [InlineData("V", 5, "SUPER", "is not a Guardian user")]
        [InlineData("V", 6, "GGOO", "is not three access codes")]
        [InlineData("V", 7, "yesterday", "is not a whole number")]
        [InlineData("V", 8, "abc", "the expiration 'abc' is not a whole number")]
        [InlineData("V", 8, "-5", "is not a whole number")]
        [InlineData("V", 8, "99999999999999999999", "is out of range")]
        [InlineData("V", 8, "253402300800000", "is out of range")]
        [InlineData("V", 9, "BPK/../x", "is not a Media Key Name")]
        [InlineData("V", 10, "2", "is neither 0 nor 1")]
        [InlineData("V", 11, "1.5", "is not a whole number")]
        // T record: VOLCAT, pool, status, times
        [InlineData("T", 1, "\\A.VC'DS01", "is not a DSM/TC VOLCAT name")]
        [InlineData("T", 2, "DAILY;X", "is not a DSM/TC pool name")]
        [InlineData("T", 4, "1e9", "is not a whole number")]
        // F record: sequence, FILECAT, file id, generation, times
        [InlineData("F", 1, "0", "is out of range")]
        [InlineData("F", 2, "../FC", "is not a DSM/TC FILECAT name")]
        [InlineData("F", 3, "ORDERS D0900", "is not a tape file id")]
        [InlineData("F", 4, "10000", "is out of range")]
        [InlineData("F", 4, "\\N", "the generation is missing")]
        [InlineData("F", 6, "9223372036854775808", "is out of range")]
        // D record: file sequence, disk sequence, FILECAT, disk file name
        [InlineData("D", 1, "77", "which volume")]
        [InlineData("D", 2, "x", "is not a whole number")]
        [InlineData("D", 4, "../../etc/passwd", "is not a Guardian disk file name")]
        [InlineData("D", 4, "\\A.$DATA01.PAYROLL", "is not a Guardian disk file name")]
        public void A_field_the_rules_refuse_is_refused_naming_its_line_and_nothing_is_applied(string kind, int field, string value, string because)
        {
            var (lines, n) = WithField(kind, field, value);
            var e = Refused(lines, n, because);
            Assert.Contains($"field {field + 1}", e.Message);
        }

        [Theory]
        [InlineData(1, "2", "format version '2' is not 1")]
        [InlineData(2, "PARTIAL", "neither FULL nor UPDATE")]
        [InlineData(3, "../DS01", "is not a data store name")]
        [InlineData(4, "A", "is not a NonStop node name")]
        [InlineData(5, "\\N", "the export sequence is missing")]
        [InlineData(5, "first", "is not a whole number")]
        [InlineData(5, "0", "is out of range")]
        [InlineData(5, "99999999999999999999", "is out of range")]
        [InlineData(6, "\\N", "the creation time is missing")]
        public void A_header_the_rules_refuse_is_refused_on_line_1(int field, string value, string because)
        {
            var (lines, n) = WithField("#BPX", field, value);
            Assert.Equal(1, n);
            Refused(lines, 1, because);
        }

        [Fact]
        public void The_structure_of_the_file_is_checked_too()
        {
            var lines = _f.Full.ToList();
            // A volume twice.
            int second = lines.FindIndex(2, l => l.StartsWith("V\t", StringComparison.Ordinal));
            var twice = lines.ToArray();
            var firstV = lines[1].Split('\t');
            var dup = twice[second].Split('\t');
            dup[1] = firstV[1];
            twice[second] = string.Join("\t", dup);
            Refused(twice, second + 1, "comes twice in the file");
            // A second TAPEVOLUME for one volume.
            var tv = lines.ToList();
            int t = tv.FindIndex(l => l.StartsWith("T\t", StringComparison.Ordinal));
            tv.Insert(t + 1, tv[t]);
            Refused(tv.ToArray(), t + 2, "a second TAPEVOLUME");
            // An entry before any volume.
            var early = lines.ToList();
            early.Insert(1, lines[t]);
            Refused(early.ToArray(), 2, "an entry comes before its volume");
            // A trailer whose entry count does not match.
            var trailer = lines.ToArray();
            var end = trailer[trailer.Length - 1].Split('\t');
            end[2] = (long.Parse(end[2]) + 1).ToString();
            trailer[trailer.Length - 1] = string.Join("\t", end);
            Refused(trailer, trailer.Length, "trailer counts do not match");
            // Something after the trailer, a record of an unknown kind, a record with a field too many.
            Refused(lines.Concat(new[] { "V\tAB1234" }).ToArray(), lines.Count + 1, "something follows the trailer");
            var unknown = lines.ToList();
            unknown.Insert(2, "X\t'; DROP TABLE volume; --");
            Refused(unknown.ToArray(), 3, "unknown record 'X'");
            var extra = WithField("V", 11, "1791536580000\textra").Lines;
            Refused(extra, 2, "has 13 fields instead of 12");
            // Cut short, and not text at all.
            Refused(lines.Take(lines.Count / 2).ToArray(), 0, "cut short");
            Refused(lines.ToArray(), 1, "not UTF-8 text", raw: new byte[] { 0x23, 0x42, 0x50, 0x58, 0x09, 0xFF, 0xFE, 0x0A });
        }

        [Fact]
        public void An_update_import_checks_every_file_first_and_applies_none_when_one_is_damaged()
        {
            var a = _f.Lab.OpenDomain(@"\A");
            var written = a.RunBackups("DS01", 2, null, "t"); // two UPDATE files reach the staging area
            var files = written.Select(v => Path.Combine(_f.Staging, "V" + v.Label + ".bpx")).ToArray();
            Assert.All(files, f => Assert.True(File.Exists(f)));
            string before = Picture();
            var good = File.ReadAllText(files[1]);
            try
            {
                // The second volume's file gets a label that is a path; the first stays good.
                var lines = File.ReadAllLines(files[1]);
                var v = lines[1].Split('\t');
                v[1] = "../../../../tmp/x";
                lines[1] = string.Join("\t", v);
                File.WriteAllText(files[1], string.Join("\n", lines) + "\n");
                var e = Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Update, true, "t"));
                Assert.Equal(ErrorIds.ExportFileInvalid, e.ErrorId);
                Assert.Contains(Path.GetFileName(files[1]) + " in the staging area cannot be imported: line 2:", e.Message);
                Assert.Equal(before, Picture()); // the good file was not applied either
                // A file whose header cannot be read is refused too: it could be an update of this store.
                File.WriteAllText(files[1], good);
                File.WriteAllText(Path.Combine(_f.Staging, "VZZZZZZ.bpx"), "#BPX\t1\tUPDATE\tDS01\t\\A\t\\N\t0\n");
                e = Assert.Throws<BackPakException>(() => B.StartImport("DS01", SyncType.Update, true, "t"));
                Assert.Contains("VZZZZZZ.bpx in the staging area cannot be imported: line 1: field 6: the export sequence is missing", e.Message);
                Assert.Equal(before, Picture());
                // The status read does not fail on it.
                Assert.True(B.GetImportStatus("DS01").WaitingFiles >= 2);
            }
            finally
            {
                File.WriteAllText(files[1], good);
                File.Delete(Path.Combine(_f.Staging, "VZZZZZZ.bpx"));
            }
            Assert.Equal(SyncResult.Completed, B.StartImport("DS01", SyncType.Update, true, "t").Result);
            Assert.NotEqual(before, Picture());
        }
    }
}
