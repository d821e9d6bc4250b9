using System;
using BackPak.Core.Model;
using Xunit;

namespace BackPak.Core.Tests
{
    public class DomainIdentityTests
    {
        [Fact]
        public void Two_labs_with_the_same_node_are_different_domains()
        {
            var a1 = new DomainIdentity("Lab", "/labs/one", @"\A");
            var a2 = new DomainIdentity("Lab", "/labs/two", @"\A");
            Assert.NotEqual(a1, a2);
            Assert.False(a1 == a2);
            Assert.NotEqual(a1, new DomainIdentity("Site", "/labs/one", @"\A"));
            Assert.NotEqual(a1, new DomainIdentity("Lab", "/labs/one", @"\B"));
        }

        [Fact]
        public void Equality_is_by_value_with_provider_and_node_case_insensitive()
        {
            var a = new DomainIdentity("Lab", "/labs/one", @"\A");
            var b = new DomainIdentity("LAB", "/labs/one", @"\a");
            Assert.Equal(a, b);
            Assert.True(a == b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            // Lab folders on Linux are case-sensitive: /labs/One is another folder.
            Assert.NotEqual(a, new DomainIdentity("Lab", "/labs/One", @"\A"));
        }

        [Theory]
        [InlineData("Lab", "/labs/one", @"\A")]
        [InlineData("Lab", "/tmp/a lab (copy)/x", @"\PROD1")]
        [InlineData("Lab", @"C:\labs\one", @"\B")]
        public void The_text_form_reads_back_to_the_same_identity(string provider, string location, string node)
        {
            var id = new DomainIdentity(provider, location, node);
            Assert.True(DomainIdentity.TryParse(id.ToString(), out var back));
            Assert.Equal(id, back);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(@"\A")]
        [InlineData("Lab: /labs/one")]
        [InlineData(@"\A (Lab /labs/one)")]
        public void Other_text_is_not_an_identity(string? text)
        {
            Assert.False(DomainIdentity.TryParse(text, out var id));
            Assert.Null(id);
        }

        [Fact]
        public void Every_part_is_required()
        {
            Assert.Throws<ArgumentException>(() => new DomainIdentity("", "/x", @"\A"));
            Assert.Throws<ArgumentException>(() => new DomainIdentity("Lab", "", @"\A"));
            Assert.Throws<ArgumentException>(() => new DomainIdentity("Lab", "/x", ""));
        }
    }
}
