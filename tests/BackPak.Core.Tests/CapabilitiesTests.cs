using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.FakeProvider;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>
    /// A provider may implement only some capabilities: what needs one it lacks is refused with CapabilityMissing,
    /// naming what is missing, before anything is read for the work or changed.
    /// </summary>
    public class CapabilitiesTests
    {
        private static (FakeEstate Estate, IDomainReader ReadOnly, FakeDomain Full) Domains()
        {
            var e = FakeEstate.Standard("mem:caps-" + Guid.NewGuid().ToString("N"));
            return (e, new ReadOnlyDomain(e.Open(@"\A")), e.Open(@"\A"));
        }

        [Fact]
        public void A_read_only_provider_reads_and_is_refused_removal_by_name()
        {
            var (_, ro, full) = Domains();
            Assert.Equal(full.CountVolumes(new VolumeQuery { DataStore = "DS02" }), ro.GetVolumes(new VolumeQuery { DataStore = "DS02" }).Count());
            var e = Assert.Throws<BackPakException>(() => Capabilities.Require<IVolumeRemover>(ro, "volume removal"));
            Assert.Equal(ErrorIds.CapabilityMissing, e.ErrorId);
            Assert.Equal(BackPakErrorCategory.NotImplemented, e.Category);
            Assert.True(e.StopsInvocation);
            Assert.Contains("volume removal", e.Message);
            Assert.Contains(@"\A", e.Message);
            Assert.Same(full, Capabilities.Require<IVolumeRemover>(full, "volume removal"));
        }

        [Fact]
        public void RequireFull_names_every_missing_capability()
        {
            var (_, ro, full) = Domains();
            var e = Assert.Throws<BackPakException>(() => Capabilities.RequireFull(ro, "the role switch", typeof(IRunJournalSource)));
            foreach (var t in new[] { typeof(IVolumeRemover), typeof(IStoreRemover), typeof(ICatalogSync), typeof(IDataStoreSettings), typeof(ISwitchSite), typeof(IKeyFacts), typeof(IAuditSink), typeof(IRunJournalSource) })
                Assert.Contains(Capabilities.NameOf(t), e.Message);
            Assert.Same(full, Capabilities.RequireFull(full, "the role switch", typeof(IRunJournalSource), typeof(IDecommissionSite)));
        }

        [Fact]
        public void Removing_a_store_on_a_read_only_provider_is_refused_before_it_reads_the_volumes()
        {
            var (e, ro, full) = Domains();
            var before = full.CountVolumes(new VolumeQuery());
            var ex = Assert.Throws<BackPakException>(() => Decommission.Plan(ro, "DS02", null, new VolumeRemovalOptions { IgnoreRetention = true }));
            Assert.Equal(ErrorIds.CapabilityMissing, ex.ErrorId);
            Assert.Equal(before, full.CountVolumes(new VolumeQuery()));
        }

        [Fact]
        public void Key_removal_refuses_while_a_connected_domain_cannot_say_which_keys_it_needs()
        {
            var (e, ro, full) = Domains();
            var b = e.Open(@"\B");
            var ex = Assert.Throws<BackPakException>(() => new KeyRemoval(new NoKeys(), "FKM1", new IDomainReader[] { ro, b }));
            Assert.Equal(ErrorIds.CapabilityMissing, ex.ErrorId);
            Assert.Contains("key", ex.Message);
            // The same two nodes through a provider that tells its key facts: accepted.
            Assert.Equal(2, new KeyRemoval(new NoKeys(), "FKM1", new IDomainReader[] { full, b }).Scope.ServedNodes.Count);
        }

        [Fact]
        public void A_side_of_a_switch_without_catalog_sync_reads_as_unknown_with_the_reason()
        {
            var (_, ro, full) = Domains();
            var side = RoleSwitch.Side(ro, "DS01");
            Assert.False(side.Known);
            Assert.Contains("Catalog Sync", side.Problem);
            var known = RoleSwitch.Side(full, "DS01");
            Assert.True(known.Known);
            Assert.Equal(@"\A.$FKSTG.DS01", known.StagingAreaHere);
        }

        [Fact]
        public void The_switch_plan_names_the_staging_area_the_provider_gives()
        {
            var plan = RoleSwitch.Plan("DS01", @"\A", @"\B", @"\A.$FKSTG.DS01");
            Assert.Contains(plan.Steps, s => s.Id == "move-staging" && s.Title.Contains(@"\A.$FKSTG.DS01"));
            Assert.DoesNotContain(RoleSwitch.Plan("DS01", @"\A", @"\B").Steps, s => s.Title.Contains("$BPSTAGE"));
        }

        private sealed class NoKeys : IKeyManager
        {
            public string Provider => "none";
            public string Endpoint => "none:0";
            public string? ProtocolVersion => null;
            public IReadOnlyList<string> Locate(string? name) => new string[0];
            public EncryptionKey? Get(string uniqueId) => null;
            public void Revoke(string uniqueId, KeyRevocationReason reason) => throw new InvalidOperationException();
            public void Destroy(string uniqueId) => throw new InvalidOperationException();
            public void Dispose() { }
        }
    }
}
