using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Reports;
using Xunit;

namespace BackPak.NonStop.Tests
{
    /// <summary>The parsers against the hand-written transcripts of tests/nonstop/golden (layouts of docs/nonstop/reports.md).</summary>
    public class GoldenReportTests
    {
        private static IEnumerable<string> Golden(string name) => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "golden", name));

        private static CommandContext Ctx(NonStopCommand c) => new CommandContext("\\A", c);
        private static readonly CommandContext Volumes = Ctx(NonStopCommands.InfoTapeVolumes("AB*"));

        [Fact]
        public void Tape_volume_detail_report()
        {
            var d = new ReportDiagnostics();
            var v = MediacomReports.TapeVolumes(Golden("info-tapevolume-detail.txt"), Volumes, d).ToList();
            Assert.Equal(new[] { "AB0001", "AB0002", "AB0003" }, v.Select(x => x.TapeName));
            Assert.Equal("\\A.VC_DS01", v[0].VolumeCatalog);
            Assert.Equal("POOL_DS01", v[0].Pool);
            Assert.Equal(DsmTapeStatus.Assigned, v[0].Status);
            Assert.False(v[0].CanBeDeleted);
            Assert.Equal(2, v[0].Files.Count);
            Assert.Equal(("\\A.FC_DS01", "DS01-AB0001-2", 2, 1, DsmFileStatus.Invalid),
                (v[0].Files[1].FileCatalog, v[0].Files[1].TapeFileId, v[0].Files[1].Generation!.Value, v[0].Files[1].Version!.Value, v[0].Files[1].Status));
            Assert.Equal("", v[0].Density);
            Assert.Equal(DsmTapeStatus.Scratch, v[1].Status);
            Assert.True(v[1].CanBeDeleted);
            Assert.Empty(v[1].Files);
            Assert.Equal(("BACKUP", "LTO4", "6250", DsmTapeStatus.Released, "ARCHIVE"), (v[2].LabelType, v[2].TapeType, v[2].Density, v[2].Status, v[2].TapeFormat));
            Assert.All(v, x => Assert.True(x.IsWellFormed));
            Assert.True(d.Complete);
            Assert.Equal(3, d.DeclaredCount);
            Assert.Equal(0, d.UnknownLineCount);
            Assert.Equal(1, v[0].LineNumber);
            Assert.Equal(20, v[1].LineNumber);
        }

        [Fact]
        public void Unknown_lines_are_kept_and_reported_never_guessed()
        {
            var d = new ReportDiagnostics();
            var v = MediacomReports.TapeVolumes(Golden("info-tapevolume-unknown-lines.txt"), Volumes, d).ToList();
            Assert.Equal(2, v.Count);
            var odd = v[0];
            Assert.False(odd.IsWellFormed);
            Assert.Equal("Retention Class     7 YEARS", Assert.Single(odd.UnknownLines).Text);
            Assert.Equal(4, odd.UnknownLines[0].LineNumber);
            Assert.Equal("AB0001", odd.UnknownLines[0].Entry);
            Assert.Equal(DsmTapeStatus.Unknown, odd.Status);
            Assert.Equal("EJECTED", odd.StatusText);
            Assert.False(odd.CanBeDeleted);
            Assert.Null(odd.Files[0].Generation);
            Assert.Equal(2, odd.Problems.Count);
            Assert.True(v[1].IsWellFormed);
            Assert.Equal(1, d.UnknownLineCount);
            Assert.Equal(2, d.ProblemCount);
        }

        [Fact]
        public void Strict_mode_fails_at_the_first_line_it_does_not_know()
        {
            var e = Assert.Throws<BackPakException>(() =>
                MediacomReports.TapeVolumes(Golden("info-tapevolume-unknown-lines.txt"), Volumes, new ReportDiagnostics(), ReportStrictness.Strict).ToList());
            Assert.Equal(ErrorIds.NonStopReportMalformed, e.ErrorId);
            Assert.Contains("line 4", e.Message);
        }

        [Fact]
        public void A_cut_report_fails_after_the_entries_it_held()
        {
            var seen = new List<string>();
            var e = Assert.Throws<BackPakException>(() =>
            {
                foreach (var v in MediacomReports.TapeVolumes(Golden("info-tapevolume-cut.txt"), Volumes, new ReportDiagnostics())) seen.Add(v.TapeName);
            });
            Assert.Equal(ErrorIds.NonStopReportMalformed, e.ErrorId);
            Assert.Contains("closing line", e.Message);
            Assert.Equal(new[] { "AB0001", "AB0002" }, seen);
        }

        [Fact]
        public void A_miscounted_report_fails()
        {
            var e = Assert.Throws<BackPakException>(() => MediacomReports.TapeVolumes(Golden("info-tapevolume-miscounted.txt"), Volumes, new ReportDiagnostics()).ToList());
            Assert.Equal(ErrorIds.NonStopReportMalformed, e.ErrorId);
            Assert.Contains("declares 4", e.Message);
        }

        [Fact]
        public void Tape_file_and_disk_file_reports()
        {
            var files = MediacomReports.TapeFiles(Golden("info-tapefile-detail.txt"), Ctx(NonStopCommands.InfoTapeFiles("DS01-*", "FC_DS01")), new ReportDiagnostics()).ToList();
            Assert.Equal(2, files.Count);
            Assert.Equal(new[] { "AB0001", "AB0004" }, files[0].TapeNames);
            Assert.Equal(("DS01-AB0005", 3, 0, "2030-06-30", DsmFileStatus.Valid), (files[1].TapeFileId, files[1].Generation!.Value, files[1].Version!.Value, files[1].Expiration, files[1].Status));
            var disks = MediacomReports.DiskFiles(Golden("info-diskfile-detail.txt"), Ctx(NonStopCommands.InfoDiskFiles("\\A.$DATA1.*.*", "FC_DS01")), new ReportDiagnostics()).ToList();
            Assert.Equal(new[] { "\\A.$DATA1.PAYROLL.EMPLOYEE", "\\A.$DATA1.PAYROLL.SALARY" }, disks.Select(x => x.Name));
            Assert.All(disks, x => Assert.Equal("DS01-AB0001", x.TapeFileId));
        }

        [Fact]
        public void Error_5048_becomes_a_typed_error()
        {
            var e = Assert.Throws<NonStopCommandException>(() =>
                MediacomReports.DiskFiles(Golden("info-diskfile-error-5048.txt"), Ctx(NonStopCommands.InfoDiskFiles("\\NODEP.$*.*.*", "FC1")), new ReportDiagnostics()).ToList());
            Assert.Equal(ErrorIds.NonStopCommandFailed, e.ErrorId);
            Assert.Equal(5048, e.ErrorNumber);
            Assert.Equal(CommandProgram.Mediacom, e.Program);
            Assert.Equal("DISKFILE name \\NODEP.$*.*.* is invalid", e.ErrorText);
            Assert.Contains("CS p11", e.Message);
        }

        [Fact]
        public void Change_confirmations()
        {
            var ctx = Ctx(NonStopCommands.DeleteTapeVolume("AB0002", "VC1", "P1"));
            var c = MediacomReports.Change(Golden("delete-tapevolume.txt"), ctx, new ReportDiagnostics());
            Assert.Equal((1, "tape volume", "deleted"), (c.Count, c.ObjectType, c.Verb));
            Assert.Equal("tape file", MediacomReports.Change(Golden("delete-tapefile.txt"), ctx, new ReportDiagnostics()).ObjectType);
            Assert.Equal("altered", MediacomReports.Change(Golden("alter-tapevolume.txt"), ctx, new ReportDiagnostics()).Verb);
            var e = Assert.Throws<BackPakException>(() => MediacomReports.Change(new[] { "", "something else" }, ctx, new ReportDiagnostics()));
            Assert.Equal(ErrorIds.NonStopReportMalformed, e.ErrorId);
            Assert.Contains("unknown", e.Message);
        }

        [Fact]
        public void Tmf_tape_media_and_error_266()
        {
            var ctx = Ctx(NonStopCommands.InfoTmfTapeMedia("TM*"));
            var m = TmfReports.TapeMedia(Golden("tmfcom-info-tapemedia.txt"), ctx, new ReportDiagnostics()).ToList();
            Assert.Equal(new[] { TmfMediaStatus.Assigned, TmfMediaStatus.Scratch, TmfMediaStatus.InProcess }, m.Select(x => x.Status));
            var e = Assert.Throws<NonStopCommandException>(() => TmfReports.TapeMedia(Golden("tmfcom-error-266.txt"), ctx, new ReportDiagnostics()).ToList());
            Assert.Equal(266, e.ErrorNumber);
            Assert.Contains("TMF Reference p77", e.Message);
            var bad = Assert.Throws<BackPakException>(() => TmfReports.TapeMedia(new[] { "TM0001  ASSIGNED" }, ctx, new ReportDiagnostics()).ToList());
            Assert.Equal(ErrorIds.NonStopReportMalformed, bad.ErrorId);
        }

        [Fact]
        public void Macro_output_is_kept_as_messages()
        {
            var ctx = Ctx(NonStopCommands.ImportCatalog("$SYSTEM.BBOX", "DS01", ImportType.Full, false));
            var o = MacroReports.Run(Golden("bb027-import.txt"), ctx, new ReportDiagnostics());
            Assert.Equal(1, o.MessageCount);
            Assert.StartsWith("BB027_IMPORT_CATALOG: FULL import", o.Messages[0]);
            var e = Assert.Throws<NonStopCommandException>(() => MacroReports.Run(new[] { "**ERROR-27** BB027_IMPORT_CATALOG: data store X not found" }, ctx, new ReportDiagnostics()));
            Assert.Equal(CommandProgram.BackPakMacro, e.Program);
        }
    }

    // GC.GetTotalMemory counts the whole process: run alone, so that no other test's heap is counted as the parser's
    // (it failed once under load while the other classes ran beside it).
    [CollectionDefinition(nameof(StreamingTests), DisableParallelization = true)]
    public sealed class StreamingCollection { }

    /// <summary>The parsers read as the report streams: one entry in memory at a time, the first out before the rest arrive.</summary>
    [Collection(nameof(StreamingTests))]
    public class StreamingTests
    {
        internal static IEnumerable<string> Generated(int volumes, Action<int>? onLine = null)
        {
            int n = 0;
            for (int i = 0; i < volumes; i++)
            {
                string label = "AA" + i.ToString("D4");
                foreach (string l in new[]
                {
                    "Tape Name           " + label, "Volume Catalog      \\A.VC1", "Pool Name           POOL1", "Label Type          ANSI",
                    "Tape Type           CART3480", "Density", "Status              ASSIGNED", "Tape Format         NONBACKUP",
                    "File Catalog        \\A.FC1", "Tape File           DS01-" + label, "Generation          1", "Version             0",
                    "File Status         VALID", "",
                })
                {
                    onLine?.Invoke(++n);
                    yield return l;
                }
            }
            yield return $"{volumes} tape volumes returned.";
        }

        [Fact]
        public void The_first_volume_is_yielded_before_the_second_is_read()
        {
            int read = 0;
            var ctx = new CommandContext("\\A", NonStopCommands.InfoTapeVolumes("*"));
            using var e = MediacomReports.TapeVolumes(Generated(100_000, n => read = n), ctx, new ReportDiagnostics()).GetEnumerator();
            Assert.True(e.MoveNext());
            Assert.Equal("AA0000", e.Current.TapeName);
            Assert.Equal(14, read); // its 13 lines and the blank line that ends it: nothing of the second volume
        }

        [Fact]
        public void A_hundred_thousand_volumes_are_parsed_in_bounded_memory()
        {
            var ctx = new CommandContext("\\A", NonStopCommands.InfoTapeVolumes("*"));
            var d = new ReportDiagnostics();
            long atStart = 0, peak = 0, count = 0;
            foreach (var v in MediacomReports.TapeVolumes(Generated(100_000), ctx, d))
            {
                count++;
                if (count == 1_000) atStart = GC.GetTotalMemory(true);
                if (count % 20_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(true));
            }
            Assert.Equal(100_000, count);
            Assert.Equal(100_000, d.DeclaredCount);
            // Holding the volumes would take tens of megabytes; streaming keeps the live heap flat.
            Assert.True(peak - atStart < 2_000_000, $"live heap grew by {peak - atStart} bytes while streaming");
        }
    }
}
