using System;
using System.Collections;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Site;
using Xunit;

namespace BackPak.NonStop.Tests
{
    public class SiteDescriptionTests
    {
        private const string Minimal = @"@{
    SchemaVersion = 1
    Nodes = @(
        @{
            Node = '\A'
            Ssh = @{ Host = 'nsa.example.com'; User = 'SUPER.OPER'; HostKeySha256 = 'SHA256:8l0SNauQBDyZDO1+E73VOEuoDCYpyDbBph2Lqd88Z+E'; IdentityFile = 'keys/id' }
            BackPakSubvolume = '$SYSTEM.BBOX'
            DataStores = @(
                @{ StoreId = 'DS01'; DomainAccess = 'PRIMARY'; StoragePaths = '\\nas\bp\DS01'
                   VolumeGroups = @( @{ Name = 'VG01'; Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1' } ) }
            )
        }
    )
}";

        private static BackPakException Invalid(string text)
        {
            var e = Assert.Throws<BackPakException>(() => SiteDescriptionLoader.Parse(text, "site.psd1"));
            Assert.Equal(ErrorIds.SiteDescriptionInvalid, e.ErrorId);
            return e;
        }

        [Fact]
        public void The_template_is_accepted_as_written_and_describes_both_sides_of_a_store()
        {
            string text = SiteDescriptionTemplate.Write();
            var site = SiteDescriptionLoader.Parse(text, "template.psd1");
            Assert.Equal("PROD", site.Name);
            Assert.Equal(new[] { "\\A", "\\B" }, site.Nodes.Select(n => n.Node));
            Assert.Equal("PRIMARY", site.Nodes[0].DataStores[0].DomainAccess);
            Assert.Equal("SECONDARY", site.Nodes[1].DataStores[0].DomainAccess);
            Assert.Equal("\\B.$STAGE.DS01", site.Nodes[0].DataStores[0].StagingSubvolume);
            var vg = site.Nodes[0].DataStores[0].VolumeGroups[0];
            Assert.Equal((SiteCatalogKind.DsmTc, "VC_DS01", "POOL_DS01", "FC_DS01"), (vg.Catalog, vg.VolumeCatalog, vg.Pool, vg.FileCatalog));
            Assert.Contains("# ", text);
            Assert.Equal(CommandForm.OssShell, site.Nodes[0].Ssh.CommandForm);
        }

        [Fact]
        public void A_template_for_other_nodes_and_stores()
        {
            var o = new SiteTemplateOptions { SiteName = "O'Hare" };
            o.Nodes.Clear(); o.Nodes.Add("\\PROD1"); o.Nodes.Add("\\DR1");
            o.DataStores.Clear(); o.DataStores.Add("PAY ROLL"); o.DataStores.Add("HR-1");
            var site = SiteDescriptionLoader.Parse(SiteDescriptionTemplate.Write(o));
            Assert.Equal("O'Hare", site.Name);
            Assert.Equal(new[] { "PAY ROLL", "HR-1" }, site.Node("\\DR1")!.DataStores.Select(d => d.StoreId));
        }

        [Fact]
        public void A_minimal_description_and_its_defaults()
        {
            var n = SiteDescriptionLoader.Parse(Minimal).Nodes.Single();
            Assert.Equal((22, 15, 300, SiteAuthentication.Key), (n.Ssh.Port, n.Ssh.ConnectTimeoutSeconds, n.Ssh.CommandTimeoutSeconds, n.Ssh.Authentication));
            Assert.Equal(new[] { "\\\\nas\\bp\\DS01" }, n.DataStores[0].StoragePaths);
            Assert.Equal("WINDISK", n.DataStores[0].StoreType);
            var ep = n.ToEndpoint("/site");
            Assert.Equal(("\\A", "nsa.example.com", 22), (ep.Node, ep.Host, ep.Port));
            Assert.Equal("the pinned fingerprint", ep.HostKey.Source);
        }

        [Fact]
        public void The_same_data_as_a_hashtable()
        {
            var table = new Hashtable
            {
                ["SchemaVersion"] = 1,
                ["Nodes"] = new object[]
                {
                    new Hashtable
                    {
                        ["Node"] = "\\B", ["BackPakSubvolume"] = "$SYSTEM.BBOX",
                        ["Ssh"] = new Hashtable { ["Host"] = "h", ["User"] = "u", ["KnownHostsFile"] = "kh", ["Authentication"] = "Password" },
                    },
                },
            };
            var site = SiteDescriptionLoader.FromHashtable(table);
            Assert.Equal(SiteAuthentication.Password, site.Nodes[0].Ssh.Authentication);
            table["Nodes"] = new object[] { new Hashtable { ["Node"] = "\\B", ["BackPakSubvolume"] = "$SYSTEM.BBOX", ["Ssh"] = new Hashtable { ["Host"] = "h", ["User"] = "u", ["KnownHostsFile"] = "kh", ["Port"] = 70000 } } };
            var e = Assert.Throws<BackPakException>(() => SiteDescriptionLoader.FromHashtable(table));
            Assert.Contains("Nodes[0].Ssh.Port", e.Message);
        }

        [Theory]
        [InlineData("Host = 'nsa.example.com'", "Hots = 'nsa.example.com'", "Nodes[0].Ssh.Hots", 6)]                       // a typo is refused, not ignored
        [InlineData("BackPakSubvolume = '$SYSTEM.BBOX'", "BackPakSubvolume = '$SYSTEM.1BOX'", "Nodes[0].BackPakSubvolume", 7)]
        [InlineData("Pool = 'POOL1'", "Pool = 'POOL 1'", "Pool", 10)]
        [InlineData("DomainAccess = 'PRIMARY'", "DomainAccess = 'OWNER'", "DomainAccess", 9)]
        [InlineData("Node = '\\A'", "Node = 'A'", "Nodes[0].Node", 5)]
        [InlineData("SchemaVersion = 1", "SchemaVersion = 2", "SchemaVersion", 2)]
        [InlineData("IdentityFile = 'keys/id'", "IdentityFile = 'keys/id'; KnownHostsFile = 'kh'", "give exactly one of KnownHostsFile and HostKeySha256", 6)]
        [InlineData("IdentityFile = 'keys/id'", "IdentityFile = 'keys/id'; Password = 'secret'", "a password never goes in the site description", 6)]
        [InlineData("HostKeySha256 = 'SHA256:8l0SNauQBDyZDO1+E73VOEuoDCYpyDbBph2Lqd88Z+E'", "HostKeySha256 = 'MD5:aa'", "SHA256:", 6)]
        [InlineData("BackPakSubvolume = '$SYSTEM.BBOX'", "BackPakSubvolume = \"$SYSTEM.BBOX\"", "single quotes", 7)]
        [InlineData("Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1'", "Catalog = 'None'; Pool = 'POOL1'", "has no DSM/TC Pool", 10)]
        [InlineData("Catalog = 'DsmTc'; VolumeCatalog = 'VC1'; Pool = 'POOL1'", "Catalog = 'Tmf'", "Tmf = $false", 10)]
        [InlineData("StoragePaths = '\\\\nas\\bp\\DS01'", "StoreType = 'WINDISK'", "needs the storage paths", 9)]
        [InlineData("Node = '\\A'", "Node = '\\A'\n            Node = '\\B'", "appears twice", 6)]
        [InlineData("SchemaVersion = 1", "SchemaVersion = $version", "is a variable", 2)]
        [InlineData("Nodes = @(", "Nodes = @(\n 'x',", "hashtable @{ ... } is expected", 4)]
        public void Every_mistake_names_its_key_and_line(string from, string to, string expected, int line)
        {
            Assert.Contains(from, Minimal);
            var e = Invalid(Minimal.Replace(from, to));
            Assert.Contains(expected, e.Message);
            Assert.Contains($"site.psd1, line {line},", e.Message);
        }

        [Fact]
        public void Syntax_errors_name_their_line()
        {
            Assert.Contains("line 1,", Invalid("@{ SchemaVersion = 1 ").Message);
            Assert.Contains("is not closed", Invalid("@{ Name = 'x }").Message);
            Assert.Contains("line 2,", Invalid("@{\n Name = 'x' 'y'\n}").Message);
            Assert.Contains("one hashtable", Invalid("@( 1, 2 )").Message);
            Assert.Contains("here-strings", Invalid("@{ Name = @'\nx\n'@ }").Message);
        }

        [Fact]
        public void Two_primary_sides_of_one_store_are_a_contradiction()
        {
            int start = Minimal.IndexOf("        @{", StringComparison.Ordinal);
            int end = Minimal.LastIndexOf("    )", StringComparison.Ordinal);
            string node = Minimal.Substring(start, end - start);
            string text = Minimal.Substring(0, end) + node.Replace("'\\A'", "'\\B'") + Minimal.Substring(end);
            var e = Invalid(text);
            Assert.Contains("PRIMARY on \\A and \\B", e.Message);
        }

        [Fact]
        public void A_missing_file_is_its_own_error()
        {
            var e = Assert.Throws<BackPakException>(() => SiteDescriptionLoader.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".psd1")));
            Assert.Equal(ErrorIds.SiteDescriptionNotFound, e.ErrorId);
        }

        [Fact]
        public void Comments_quotes_and_comma_lists_read_as_PowerShell_reads_them()
        {
            var v = Psd1Reader.Parse("<# block\n comment #>\n@{ # a comment\n  A = 'it''s'; B = \"plain\"\n  C = 'x', 'y'\n  D = @('p'; 'q', 'r')\n  E = $TRUE; F = -3; G = $null\n}");
            var e = v.Entries.ToDictionary(x => x.Key.Name, x => x.Value);
            Assert.Equal("it's", e["A"].Text);
            Assert.Equal("plain", e["B"].Text);
            Assert.Equal(new[] { "x", "y" }, e["C"].Items.Select(i => i.Text));
            Assert.Equal(new[] { "p", "q", "r" }, e["D"].Items.Select(i => i.Text));
            Assert.True(e["E"].Boolean);
            Assert.Equal(-3, e["F"].Number);
            Assert.Equal(PsdKind.Null, e["G"].Kind);
            Assert.Equal(5, e["C"].Line);
        }
    }
}
