using System.Linq;
using BackPak.Core.Model;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    public class BindingTests : IClassFixture<SmallLab>
    {
        private readonly SmallLab _lab;
        public BindingTests(SmallLab lab) { _lab = lab; }

        private PowerShellHost Connected()
        {
            var h = new PowerShellHost();
            h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null");
            return h;
        }

        [Fact]
        public void The_last_connection_is_the_default_and_Domain_takes_a_node_name()
        {
            using var h = Connected();
            var (o, e) = h.Run("(Get-BPDomain -Default).Node; (Get-BPDataStore -Domain '\\B' | Select-Object -First 1).Node; (Get-BPDataStore | Select-Object -First 1).Node");
            Assert.Empty(e);
            Assert.Equal(new[] { @"\A", @"\B", @"\A" }, o.Select(x => x.ToString()));
        }

        [Fact]
        public void Piped_volumes_are_looked_up_on_the_node_they_came_from()
        {
            using var h = Connected(); // \A is the default
            var (o, e) = h.Run("Get-BPVolume -Domain '\\B' -DataStore DS01 | Select-Object -First 3 | Get-BPCatalogEntry");
            Assert.Empty(e);
            Assert.NotEmpty(o);
            Assert.All(o, x => Assert.Equal(@"\B", ((CatalogEntry)x.BaseObject).Node));
            Assert.Contains(o, x => ((CatalogEntry)x.BaseObject).CatalogName == @"\B.VCA01");
        }

        [Fact]
        public void Labels_bind_from_strings_and_from_objects_with_a_Label_property()
        {
            using var h = Connected();
            var (all, _) = h.Run("Get-BPVolume -DataStore DS01 | Select-Object -First 2 | ForEach-Object Label");
            var labels = all.Select(x => x.ToString()).ToArray();
            var (byValue, e1) = h.Run($"'{labels[0]}', '{labels[1].ToLowerInvariant()}' | Get-BPVolume");
            var (byName, e2) = h.Run($"[pscustomobject]@{{ Label = '{labels[1]}' }} | Get-BPVolume");
            Assert.Empty(e1); Assert.Empty(e2);
            Assert.Equal(labels, byValue.Select(x => ((Volume)x.BaseObject).Label));
            Assert.Equal(labels[1], ((Volume)byName.Single().BaseObject).Label);
        }

        [Fact]
        public void Volume_groups_from_data_store_objects()
        {
            using var h = Connected();
            var (o, e) = h.Run("Get-BPDataStore DS0* -Domain '\\B' | Get-BPVolumeGroup");
            Assert.Empty(e);
            var groups = o.Select(x => (VolumeGroup)x.BaseObject).ToList();
            Assert.All(groups, g => Assert.Equal(@"\B", g.Node));
            Assert.Equal(new[] { "DAILY", "MONTHLY", "TMFDUMPS", "LOCALB" }, groups.Select(g => g.Name));
        }

        [Fact]
        public void Encrypted_switch_false_means_clear_volumes_only()
        {
            using var h = Connected();
            var (enc, _) = h.Run("Get-BPVolume -Encrypted | Measure-Object | ForEach-Object Count");
            var (clear, _) = h.Run("Get-BPVolume -Encrypted:$false | ForEach-Object IsEncrypted | Sort-Object -Unique");
            var (all, _) = h.Run("Get-BPVolume | Measure-Object | ForEach-Object Count");
            Assert.True((int)enc[0].BaseObject > 0);
            Assert.Equal(false, clear.Single().BaseObject);
            Assert.True((int)all[0].BaseObject > (int)enc[0].BaseObject);
        }

        [Fact]
        public void Select_First_stops_the_stream_without_error()
        {
            using var h = Connected();
            var (o, e) = h.Run("Get-BPVolume | Select-Object -First 1; Get-BPVolume -Label (Get-BPVolume | Select-Object -First 1).Label");
            Assert.Empty(e);
            Assert.Equal(2, o.Count);
        }

        [Fact]
        public void Connections_belong_to_their_runspace()
        {
            using var h1 = Connected();
            using var h2 = new PowerShellHost();
            var (o, _) = h2.Run("Get-BPDomain");
            Assert.Empty(o);
            Assert.Equal(2, h1.Run("Get-BPDomain").Output.Count);
        }

        [Fact]
        public void Disconnecting_the_default_makes_the_most_recent_other_the_default()
        {
            using var h = Connected();
            var (o, e) = h.Run("Disconnect-BPDomain -PassThru | ForEach-Object Node; (Get-BPDomain -Default).Node; Disconnect-BPDomain -All; (Get-BPDomain).Count");
            Assert.Empty(e);
            Assert.Equal(new object[] { @"\A", @"\B", 0 }, o.Select(x => x.BaseObject));
        }

        [Fact]
        public void Reconnecting_the_same_node_replaces_the_connection()
        {
            using var h = Connected();
            var (o, _) = h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node a | Out-Null; (Get-BPDomain).Count; (Get-BPDomain -Default).Node");
            Assert.Equal(new object[] { 2, @"\A" }, o.Select(x => x.BaseObject));
        }

        [Fact]
        public void New_BPLab_WhatIf_creates_nothing()
        {
            using var h = new PowerShellHost();
            string path = System.IO.Path.Combine(_lab.Root, "whatif");
            var (o, e) = h.Run($"New-BPLab -Path '{path}' -WhatIf");
            Assert.Empty(o); Assert.Empty(e);
            Assert.False(System.IO.Directory.Exists(path));
        }

        [Fact]
        public void Completion_offers_data_stores_groups_and_nodes()
        {
            using var h = Connected();
            string Complete(string line) => string.Join(",", h.Run($"(TabExpansion2 -inputScript \"{line}\" -cursorColumn {line.Length}).CompletionMatches.CompletionText").Output.Select(x => x.ToString()));
            Assert.Equal("DS01,DS02", Complete("Get-BPVolume -DataStore D"));
            Assert.Equal("DAILY", Complete("Get-BPVolume -VolumeGroup DA"));
            Assert.Equal("DS01,DS03", Complete("Get-BPVolume -Domain '\\B' -DataStore D"));
            Assert.Equal("'\\A','\\B'", Complete($"Connect-BPDomain -Lab '{_lab.Path}' -Node "));
        }
    }
}
