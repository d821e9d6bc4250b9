using BackPak.Core.Model;
using BackPak.Core.Text;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>Advice to connect a domain names the form its provider is connected with, not always the lab's short form.</summary>
    public class ConnectAdviceTests
    {
        [Fact]
        public void The_short_form_is_for_the_provider_it_stands_for()
        {
            Assert.Equal(@"Connect-BPDomain -Lab '/labs/one' -Node '\B'", ConnectAdvice.Command("Lab", "/labs/one", @"\B"));
            Assert.Equal(@"Connect-BPDomain -Lab '/labs/one' -Node '\B'", ConnectAdvice.Command("lab", "/labs/one", @"\B"));
            Assert.Equal(@"Connect-BPDomain -Lab '/labs/one' -Node '\B'", ConnectAdvice.Command(null, "/labs/one", @"\B"));
        }

        [Fact]
        public void With_nothing_known_both_forms_are_named()
        {
            string advice = ConnectAdvice.Command(null, null, @"\A");
            Assert.StartsWith(@"Connect-BPDomain -Lab <folder> -Node '\A' for a lab", advice);
            Assert.Contains(@"Connect-BPDomain -Provider <name> -Node '\A' -Parameters @{...} for a real site", advice);
            Assert.Contains("Get-BPProvider", advice);
        }

        [Fact]
        public void Any_other_provider_is_named_with_its_node()
        {
            string advice = ConnectAdvice.Command("NonStop", "nsk://prod", @"\B");
            Assert.StartsWith(@"Connect-BPDomain -Provider NonStop -Node '\B'", advice);
            Assert.Contains("nsk://prod", advice);
            Assert.DoesNotContain("-Lab", advice);
            Assert.Equal(@"Connect-BPDomain -Provider Fake -Node '\A' with its -Parameters", ConnectAdvice.Command("Fake", null, @"\A"));
        }
    }
}
