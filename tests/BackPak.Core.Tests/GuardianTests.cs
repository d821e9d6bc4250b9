using BackPak.Core.Text;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>The one Guardian rule set of the module (names of nodes, volumes, subvolumes, users, catalogs, files).</summary>
    public class GuardianTests
    {
        [Theory]
        [InlineData(@"\B.$BPSTAGE.DS01", true, true)]
        [InlineData(@"$SYSTEM.BBOX", false, true)]
        [InlineData(@"$SYSTEM.BBOX", true, false)]
        [InlineData(@"\B.$/TMP/ADVESCAPE.X", false, false)]
        [InlineData(@"\B.$BPSTAGE8.DS01", false, false)]  // 8 characters after '$'
        [InlineData(@"\B.$BPSTAGE.DS.01", false, false)]
        [InlineData(@"\B.$BPSTAGE.1DS", false, false)]
        [InlineData(@"\B.$BPSTAGE.DS01X1234", false, false)] // 9 characters
        [InlineData(@"\B.$bpstage.ds01", false, false)]    // callers upper-case first
        [InlineData(@"\1.$BPSTAGE.DS01", false, false)]
        public void Qualified_subvolumes(string text, bool requireNode, bool ok) =>
            Assert.Equal(ok, Guardian.TryParseSubvolume(text, requireNode, out _, out _, out _));

        [Theory]
        [InlineData("SUPER.OPER", true)]
        [InlineData("TMF.AUDIT", true)]
        [InlineData("SUPER", false)]
        [InlineData("SUPER.OPER.X", false)]
        [InlineData("SUPER.1OPER", false)]
        [InlineData("SUPER.OPERATORS", false)]
        public void Users(string text, bool ok) => Assert.Equal(ok, Guardian.IsUser(text));

        [Theory]
        [InlineData(@"\A.VCDS01", true)]
        [InlineData("POOL_1", true)]
        [InlineData(@"\A.VC'DS01", false)]
        [InlineData(@"\A.", false)]
        [InlineData(@"../FC", false)]
        public void Catalogs(string text, bool ok) => Assert.Equal(ok, Guardian.IsCatalog(text));

        [Theory]
        [InlineData(@"\A.$DATA01.PAYROLL.F00001", true)]
        [InlineData(@"$DATA01.PAYROLL.F00001", true)]
        [InlineData(@"\A.$DATA01.PAYROLL", false)]
        [InlineData(@"../../etc/passwd", false)]
        public void Disk_files(string text, bool ok) => Assert.Equal(ok, Guardian.IsDiskFile(text));

        [Fact]
        public void Only_printable_ASCII_is_upper_cased_into_a_name()
        {
            Assert.Equal(@"\B.$BPSTAGE.DS01", Guardian.UpperAscii(@"\b.$bpstage.ds01"));
            Assert.False(Guardian.IsSubvolume(Guardian.UpperAscii("ds\u0131")));
            Assert.False(Guardian.IsSubvolume(Guardian.UpperAscii("DS\t01")));
        }
    }
}
