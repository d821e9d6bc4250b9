using System;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using Xunit;

namespace BackPak.Core.Tests
{
    public class VolumeRemovalRulesTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        private static readonly DomainIdentity Lab = new DomainIdentity("Lab", "/labs/rules", @"\A");

        private static Volume V(DateTime? expiration, string? op = null, string? mode = null) => new Volume(Lab)
        {
            Label = "AB1234", Node = @"\A", DataStore = "DS01", Expiration = expiration, CurrentOperation = op, CurrentOperationMode = mode,
        };

        [Theory]
        [InlineData(DomainAccess.Primary, CatalogKind.DsmTc, true, CatalogKind.DsmTc)]
        [InlineData(DomainAccess.Primary, CatalogKind.Tmf, true, CatalogKind.Tmf)]
        [InlineData(DomainAccess.Primary, CatalogKind.None, true, CatalogKind.None)]
        [InlineData(DomainAccess.Secondary, CatalogKind.DsmTc, false, CatalogKind.DsmTc)]
        [InlineData(DomainAccess.Secondary, CatalogKind.Tmf, false, CatalogKind.None)]
        [InlineData(DomainAccess.Restricted, CatalogKind.DsmTc, false, CatalogKind.None)]
        [InlineData(DomainAccess.Unknown, CatalogKind.DsmTc, false, CatalogKind.None)]
        public void Parts_follow_domain_access(DomainAccess access, CatalogKind group, bool storage, CatalogKind tape)
        {
            var (s, t) = VolumeRemovalRules.Parts(access, group);
            Assert.Equal(storage, s);
            Assert.Equal(tape, t);
        }

        [Theory]
        [InlineData("LOAD", "INPUT")]
        [InlineData("LOAD", "OUTPUT")]
        [InlineData("MATERIALIZE", null)]
        public void A_busy_volume_is_called_busy_not_locked_as_its_Locked_property_says(string op, string? mode)
        {
            var v = V(Now.AddDays(-1), op, mode);
            Assert.False(v.Locked);
            Assert.True(v.IsBusy);
            var e = VolumeRemovalRules.Refusal(v, Now, new VolumeRemovalOptions { IgnoreRetention = true })!;
            Assert.Equal(ErrorIds.VolumeBusy, e.ErrorId);
            Assert.DoesNotContain("locked", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("busy", e.Message);
            Assert.DoesNotMatch(@"\bR\d+\b", e.Message); // rule numbers belong in the docs
        }

        [Fact]
        public void Expired_idle_volume_may_go() =>
            Assert.Null(VolumeRemovalRules.Refusal(V(Now.AddDays(-1)), Now, new VolumeRemovalOptions()));

        [Fact]
        public void R13_non_expired_data_is_refused_unless_IgnoreRetention()
        {
            var e = VolumeRemovalRules.Refusal(V(Now.AddDays(1)), Now, new VolumeRemovalOptions());
            Assert.Equal(ErrorIds.VolumeNotExpired, e!.ErrorId);
            Assert.False(e.StopsInvocation);
            Assert.Contains("-IgnoreRetention", e.RecommendedAction);
            Assert.Null(VolumeRemovalRules.Refusal(V(Now.AddDays(1)), Now, new VolumeRemovalOptions { IgnoreRetention = true }));
        }

        [Fact]
        public void Expiration_exactly_now_counts_as_expired() =>
            Assert.Null(VolumeRemovalRules.Refusal(V(Now), Now, new VolumeRemovalOptions()));

        [Theory]
        [InlineData("LOAD", "OUTPUT")]
        [InlineData("LOAD", "INPUT")]
        [InlineData("MATERIALIZE", null)]
        [InlineData("DELETE", null)]
        public void R22_a_current_operation_is_refused_even_with_IgnoreRetention(string op, string? mode)
        {
            var e = VolumeRemovalRules.Refusal(V(Now.AddDays(-1), op, mode), Now, new VolumeRemovalOptions { IgnoreRetention = true });
            Assert.Equal(ErrorIds.VolumeBusy, e!.ErrorId);
            Assert.Equal(BackPakErrorCategory.ResourceBusy, e.Category);
        }
    }
}
