using BackPak.Core.Model;
using BackPak.PowerShell;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>A domain that is not connected is advised in the form of its own provider.</summary>
    public class ConnectAdviceTests
    {
        [Fact]
        public void An_object_of_another_providers_domain_is_advised_with_that_provider()
        {
            var e = DomainSessions.NotConnected(new DomainIdentity("Fake", "fake://estate", @"\B"), "a volume");
            Assert.Contains(@"Connect-BPDomain -Provider Fake -Node '\B'", e.RecommendedAction);
            Assert.DoesNotContain("-Lab", e.RecommendedAction);
            var lab = DomainSessions.NotConnected(new DomainIdentity("Lab", "/labs/one", @"\A"), "a volume");
            Assert.Contains(@"Connect-BPDomain -Lab '/labs/one' -Node '\A'", lab.RecommendedAction);
        }
    }
}
