using System;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>
    /// ConvertTo-Json (Newtonsoft underneath) writes an enum as a number unless the enum says otherwise; a change record or
    /// a result piped to a file must read as text, so every public enum of Core names itself.
    /// </summary>
    public class JsonEnumTests
    {
        [Fact]
        public void Every_public_enum_of_Core_is_written_as_its_name()
        {
            var bare = typeof(BackPak.Core.Model.Volume).Assembly.GetExportedTypes()
                .Where(t => t.IsEnum)
                .Where(t => !(Attribute.GetCustomAttribute(t, typeof(JsonConverterAttribute)) is JsonConverterAttribute a
                             && a.ConverterType == typeof(StringEnumConverter)))
                .Select(t => t.FullName).ToList();
            Assert.Empty(bare);
        }

        [Fact]
        public void An_audit_kind_reads_as_its_name()
        {
            Assert.Equal("\"Refusal\"", JsonConvert.SerializeObject(BackPak.Core.Model.AuditKind.Refusal));
            Assert.Equal("\"Stopped\"", JsonConvert.SerializeObject(BackPak.Core.Model.OperationOutcome.Stopped));
        }
    }
}
