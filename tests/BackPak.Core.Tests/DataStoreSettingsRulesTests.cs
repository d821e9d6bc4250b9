using System;
using System.Collections.Generic;
using BackPak.Core.Errors;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Core.Tests
{
    public class DataStoreSettingsRulesTests
    {
        private static readonly string[] Nodes = { @"\A", @"\B" };

        [Theory]
        [InlineData("StagingArea")]
        [InlineData("StagingAreaNode")]
        [InlineData("ExportCheckDelay")]
        [InlineData("FullExportFrequency")]
        public void Each_invalid_value_is_InvalidSetting_naming_it(string what)
        {
            var s = what switch
            {
                "StagingArea" => new DataStoreSettings { StagingArea = @"\A.$BP STAGE.DS01" },
                "StagingAreaNode" => new DataStoreSettings { StagingArea = @"\Z.$BPSTAGE.DS01" },
                "ExportCheckDelay" => new DataStoreSettings { ExportCheckDelay = TimeSpan.FromDays(2) },
                _ => new DataStoreSettings { FullExportFrequency = TimeSpan.FromSeconds(-1) },
            };
            var e = Assert.Throws<BackPakException>(() => DataStoreSettingsRules.Validate(s, Nodes));
            Assert.Equal(ErrorIds.InvalidSetting, e.ErrorId);
            Assert.StartsWith(what.Replace("Node", ""), e.Message);
        }

        [Fact]
        public void Valid_values_come_back_normalized()
        {
            var v = DataStoreSettingsRules.Validate(new DataStoreSettings
            {
                StagingArea = @" \b.$bpstage.ds01 ", NodeReplacements = new Dictionary<string, string> { ["a"] = "x" }, PrimaryStoreId = " ds01 ",
                ExportCheckDelay = TimeSpan.FromMinutes(1),
            }, Nodes);
            Assert.Equal(@"\B.$BPSTAGE.DS01", v.StagingArea);
            Assert.Equal(@"\X", v.NodeReplacements![@"\A"]);
            Assert.Equal("DS01", v.PrimaryStoreId);
            Assert.Equal(TimeSpan.FromMinutes(1), v.ExportCheckDelay);
        }
    }
}
