using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Names;
using Xunit;

namespace BackPak.NonStop.Tests
{
    public class NameAndInjectionTests
    {
        /// <summary>Strings that would end a quoted argument, start another command, a TACL comment or function, or overflow.</summary>
        public static readonly string[] Attacks =
        {
            "AB1234; PURGE $SYSTEM.SYSTEM.*", "AB1234;", "AB'12", "AB\"12", "AB|12", "AB12\n34", "AB12\r", "AB==12", "AB[#DEF]",
            "AB]12", "AB^12", "AB 12", "AB,12", "AB{1}", "AB~12", "AB&12", "AB/12", "AB`12", "AB$(x)", "AB\t12", "AB\u000012",
            "ab1ıxx", "AB12\u2028", new string('A', 61), new string('A', 5000), "", "AB*; DELETE", "'; rm -rf / #",
        };

        public static IEnumerable<object[]> EveryTemplateArgument()
        {
            // Each template, with one argument slot replaced by the attack and the others valid.
            var templates = new List<(string Name, Func<string, NonStopCommand> Make)>
            {
                ("INFO TAPEVOLUME label", a => NonStopCommands.InfoTapeVolumes(a)),
                ("INFO TAPEVOLUME volcat", a => NonStopCommands.InfoTapeVolumes("AB*", a, "POOL1")),
                ("INFO TAPEVOLUME pool", a => NonStopCommands.InfoTapeVolumes("AB*", "VC1", a)),
                ("INFO TAPEFILE id", a => NonStopCommands.InfoTapeFiles(a, "FC1")),
                ("INFO TAPEFILE filecat", a => NonStopCommands.InfoTapeFiles("DS01-*", a)),
                ("INFO TAPEFILE label", a => NonStopCommands.InfoTapeFiles("DS01-*", "FC1", a)),
                ("INFO DISKFILE name", a => NonStopCommands.InfoDiskFiles(a, "FC1")),
                ("INFO DISKFILE filecat", a => NonStopCommands.InfoDiskFiles("\\A.$*.*.*", a)),
                ("ALTER label", a => NonStopCommands.AlterTapeVolumeStatus(a, "VC1", "POOL1", AlterableTapeStatus.Scratch)),
                ("ALTER volcat", a => NonStopCommands.AlterTapeVolumeStatus("AB1234", a, "POOL1", AlterableTapeStatus.Scratch)),
                ("ALTER pool", a => NonStopCommands.AlterTapeVolumeStatus("AB1234", "VC1", a, AlterableTapeStatus.Scratch)),
                ("DELETE TAPEFILE id", a => NonStopCommands.DeleteTapeFile(a, "FC1", 1, 0)),
                ("DELETE TAPEFILE filecat", a => NonStopCommands.DeleteTapeFile("DS01-AB1234", a, 1, 0)),
                ("DELETE TAPEVOLUME label", a => NonStopCommands.DeleteTapeVolume(a, "VC1", "POOL1")),
                ("DELETE TAPEVOLUME volcat", a => NonStopCommands.DeleteTapeVolume("AB1234", a, "POOL1")),
                ("DELETE TAPEVOLUME pool", a => NonStopCommands.DeleteTapeVolume("AB1234", "VC1", a)),
                ("TMFCOM INFO TAPEMEDIA", a => NonStopCommands.InfoTmfTapeMedia(a)),
                ("BB027 subvolume", a => NonStopCommands.ImportCatalog(a, "DS01", ImportType.Full, false)),
                ("BB027 store id", a => NonStopCommands.ImportCatalog("$SYSTEM.BBOX", a, ImportType.Full, false)),
                ("BB017 subvolume", a => NonStopCommands.FreeExpired(a)),
            };
            foreach (var t in templates)
                foreach (string attack in Attacks)
                    // A store id may hold single inner spaces: it is sent as AB_12 with STOREID_ALIAS 1 (tested below).
                    if (!(t.Name == "BB027 store id" && attack == "AB 12"))
                        yield return new object[] { t.Name, t.Make, attack };
        }

        [Theory]
        [MemberData(nameof(EveryTemplateArgument))]
        public void No_template_accepts_an_argument_that_could_inject(string template, Func<string, NonStopCommand> make, string attack)
        {
            NonStopCommand? built = null;
            var e = Assert.Throws<BackPakException>(() => built = make(attack));
            Assert.Equal(ErrorIds.InvalidNonStopName, e.ErrorId);
            Assert.Null(built);
            Assert.DoesNotContain("\n", e.Message);
            Assert.False(string.IsNullOrEmpty(template));
        }

        [Fact]
        public void Store_ids_with_spaces_go_through_STOREID_ALIAS_and_those_with_spaces_and_underscores_are_refused()
        {
            var c = NonStopCommands.ImportCatalog("$SYSTEM.BBOX", "PAY ROLL", ImportType.Update, true);
            Assert.Equal("LOAD /KEEP 1/ $SYSTEM.BBOX.BBSETUP $SYSTEM.BBOX.MACROS; BB027_IMPORT_CATALOG STOREID PAY_ROLL, STOREID_ALIAS 1, CATALOGFILES YES, TYPE UPDATE", c.TaclLine);
            var e = Assert.Throws<BackPakException>(() => NonStopCommands.ImportCatalog("$SYSTEM.BBOX", "PAY ROLL_2", ImportType.Full, false));
            Assert.Equal(ErrorIds.InvalidNonStopName, e.ErrorId);
        }

        [Fact]
        public void The_templates_produce_the_documented_lines()
        {
            Assert.Equal("MEDIACOM INFO TAPEVOLUME AB*, VOLCAT \\A.VC1, POOL POOL_1, DETAIL", NonStopCommands.InfoTapeVolumes("ab*", "\\a.vc1", "pool_1").TaclLine);
            Assert.Equal("MEDIACOM DELETE TAPEFILE DS01-AB1234, FILECAT FC1, GENERATION 2, VERSION 0", NonStopCommands.DeleteTapeFile("DS01-AB1234", "FC1", 2, 0).TaclLine);
            Assert.Equal("MEDIACOM ALTER TAPEVOLUME AB1234, VOLCAT VC1, POOL P1, STATUS RELEASED", NonStopCommands.AlterTapeVolumeStatus("AB1234", "VC1", "P1", AlterableTapeStatus.Released).TaclLine);
            Assert.Equal("MEDIACOM INFO DISKFILE \\NODEP.$*.*.*, FILECAT FC1, DETAIL", NonStopCommands.InfoDiskFiles("\\NODEP.$*.*.*", "FC1").TaclLine);
            var d = NonStopCommands.DeleteTapeVolume("AB1234", "VC1", "P1");
            Assert.Equal(CommandEffect.Change, d.Effect);
            Assert.Equal("gtacl -c 'MEDIACOM DELETE TAPEVOLUME AB1234, VOLCAT VC1, POOL P1'", d.ExecText(CommandForm.OssShell));
            Assert.Equal("MEDIACOM DELETE TAPEVOLUME AB1234, VOLCAT VC1, POOL P1", d.ExecText(CommandForm.Tacl));
            Assert.Equal(CommandEffect.Read, NonStopCommands.InfoTmfTapeMedia("TM*").Effect);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(10000)]
        [InlineData(-1)]
        public void Generations_outside_the_label_range_are_refused(int generation)
        {
            var e = Assert.Throws<BackPakException>(() => NonStopCommands.DeleteTapeFile("X", "FC1", generation, 0));
            Assert.Equal(ErrorIds.InvalidNonStopName, e.ErrorId);
        }

        [Theory]
        [InlineData("\\A", "\\A")]
        [InlineData("\\prod1", "\\PROD1")]
        public void Node_names(string text, string expected) => Assert.Equal(expected, NonStopNames.Node(text));

        [Theory]
        [InlineData("A")]          // Core accepts a missing backslash; a name sent to TACL must be explicit
        [InlineData("\\1A")]
        [InlineData("\\ABCDEFGH")]
        [InlineData("\\A.B")]
        [InlineData("\\ı")]
        public void Bad_node_names(string text) => Assert.Equal(ErrorIds.InvalidNonStopName, Assert.Throws<BackPakException>(() => NonStopNames.Node(text)).ErrorId);

        [Theory]
        [InlineData("$DATA1", true)]
        [InlineData("$D", true)]
        [InlineData("$DATA123", false)]
        [InlineData("$1DATA", false)]
        [InlineData("DATA1", false)]
        public void Volume_names(string text, bool ok) => Check(() => NonStopNames.Volume(text), ok);

        [Theory]
        [InlineData("\\A.$STAGE.DS01", true)]
        [InlineData("$SYSTEM.BBOX", true)]
        [InlineData("$SYSTEM.BBOX.X", false)]
        [InlineData("$SYSTEM.1BOX", false)]
        [InlineData("\\A.$SYSTEM", false)]
        [InlineData("$SYSTEM.BBOXBBOXB", false)]
        public void Qualified_subvolumes(string text, bool ok) => Check(() => NonStopNames.QualifiedSubvolume(text), ok);

        [Theory]
        [InlineData("POOL_1", true)]
        [InlineData("P", true)]
        [InlineData("_POOL", false)]
        [InlineData("1POOL", false)]
        [InlineData("POOL-1", false)]
        [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ1234", true)]
        [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ12345", false)]
        public void Pool_names(string text, bool ok) => Check(() => NonStopNames.Pool(text), ok);

        [Theory]
        [InlineData("\\A.$DATA1.PAYROLL.EMP", false, true)]
        [InlineData("$DATA1.PAYROLL.EMP", false, true)]
        [InlineData("\\NODEP.$*.*.*", true, true)]
        [InlineData("\\NODEP.$*.*.*", false, false)]
        [InlineData("\\A.$DATA1.PAYROLL", false, false)]
        [InlineData("\\A.DATA1.PAYROLL.EMP", false, false)]
        public void Disk_file_names(string text, bool wildcards, bool ok) => Check(() => NonStopNames.DiskFile(text, wildcards), ok);

        [Theory]
        [InlineData("AB1234", true)]
        [InlineData("AB*", true)]
        [InlineData("AB12??", true)]
        [InlineData("AB12", false)]
        [InlineData("[A-B]*", false)]
        [InlineData("AB12345", false)]
        public void Label_patterns(string text, bool ok) => Check(() => NonStopNames.LabelPattern(text), ok);

        [Fact]
        public void The_second_guard_refuses_what_a_name_rule_would_let_through()
        {
            // Even if a future name rule were too lax, the line builder refuses characters outside the inert set.
            var b = new TaclLineBuilder("TEST", "MEDIACOM INFO TAPEVOLUME ");
            foreach (string bad in new[] { "A B", "A;B", "A'B", "A[B", "A==B", "A,B", "A|B" })
                Assert.Equal(ErrorIds.InvalidNonStopName, Assert.Throws<BackPakException>(() => b.Arg(bad)).ErrorId);
            Assert.True(new[] { 'A', 'z', '0', '$', '\\', '.', '*', '?', '_', '-' }.All(TaclLineBuilder.IsInert));
        }

        private static void Check(Func<string> f, bool ok)
        {
            if (ok) { f(); return; }
            Assert.Equal(ErrorIds.InvalidNonStopName, Assert.Throws<BackPakException>(() => f()).ErrorId);
        }
    }
}
