using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Sync;
using BackPak.Core.Text;
using Xunit;

namespace BackPak.Conformance
{
    /// <summary>
    /// An estate of a provider to run the suite on: two nodes, a replicated data store (PRIMARY on one, SECONDARY on the
    /// other, the catalogs in step) and a data store on the primary's node alone, with expired and non-expired volumes.
    /// A fresh estate per test.
    /// </summary>
    public interface IConformanceEstate : IDisposable
    {
        IDomainReader Primary { get; }
        IDomainReader Secondary { get; }
        string ReplicatedStore { get; }
        string LocalStore { get; }
        /// <summary>Puts a current operation (a restore) on a volume of the primary, as a site would have one.</summary>
        void MakeBusy(string label);
        /// <summary>Ends the current operation of a volume of the primary (the restore ended).</summary>
        void MakeIdle(string label);
    }

    /// <summary>
    /// What every provider must do, asked only through Core's contracts: reads and pushed-down filters, removal with Core's
    /// rules, store removal in the manual's order, Catalog Sync with the action matrix, settings with Core's rules, the
    /// switch's facts, the fence, the run journal, and the planned switch end to end. A test of a capability the provider
    /// does not claim checks that it is refused with CapabilityMissing instead.
    /// </summary>
    public abstract class ProviderConformance
    {
        protected abstract IConformanceEstate Create();

        private static IReadOnlyList<string> Labels(IEnumerable<Volume> v) => v.Select(x => x.Label).ToList();

        [Fact]
        public void Every_object_names_its_node_and_carries_the_domain_identity()
        {
            using var e = Create();
            var d = e.Primary;
            Assert.Equal(d.Node, d.Identity.Node);
            Assert.All(d.GetDataStores(), s => { Assert.Equal(d.Node, s.Node); Assert.Same(d.Identity, s.Origin); });
            Assert.All(d.GetVolumeGroups(), g => { Assert.Equal(d.Node, g.Node); Assert.Same(d.Identity, g.Origin); });
            var volumes = d.GetVolumes(new VolumeQuery()).ToList();
            Assert.NotEmpty(volumes);
            Assert.All(volumes, v => { Assert.Equal(d.Node, v.Node); Assert.Equal(d.Identity, v.Origin); Assert.True(Core.Text.Labels.IsValid(v.Label)); });
            Assert.Equal(volumes.Select(v => v.Label).OrderBy(l => l, StringComparer.Ordinal), volumes.Select(v => v.Label)); // label order
            foreach (var v in volumes.Take(5))
                Assert.All(d.GetCatalogEntries(v.Label), c => { Assert.Equal(v.Label, c.Label); Assert.Equal(d.Node, c.Node); });
        }

        [Fact]
        public void Every_filter_is_the_same_filter_over_the_full_list()
        {
            using var e = Create();
            var d = e.Primary;
            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var key = all.FirstOrDefault(v => v.MediaKeyName != null)?.MediaKeyName;
            var group = d.GetVolumeGroups(e.ReplicatedStore).First().Name;
            string prefix = all[all.Count / 2].Label.Substring(0, 2);
            var cases = new List<(string Name, VolumeQuery Query, Func<Volume, bool> Match)>
            {
                ("store", new VolumeQuery { DataStore = e.LocalStore }, v => v.DataStore.Equals(e.LocalStore, StringComparison.OrdinalIgnoreCase)),
                ("group", new VolumeQuery { DataStore = e.ReplicatedStore, VolumeGroup = group }, v => v.VolumeGroup.Equals(group, StringComparison.OrdinalIgnoreCase) && v.DataStore.Equals(e.ReplicatedStore, StringComparison.OrdinalIgnoreCase)),
                ("expired", new VolumeQuery { Expired = true }, v => v.IsExpired),
                ("not expired", new VolumeQuery { Expired = false }, v => !v.IsExpired),
                ("encrypted", new VolumeQuery { Encrypted = true }, v => v.MediaKeyName != null),
                ("clear", new VolumeQuery { Encrypted = false }, v => v.MediaKeyName == null),
                ("wildcard", new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(prefix + "*") } }, v => v.Label.StartsWith(prefix, StringComparison.Ordinal)),
                ("exact", new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(all[0].Label) } }, v => v.Label == all[0].Label),
            };
            if (key != null) cases.Add(("key", new VolumeQuery { MediaKeyName = key }, v => v.MediaKeyName == key));
            foreach (var (name, q, match) in cases)
            {
                var expected = all.Where(match).Select(v => v.Label).ToList();
                Assert.True(expected.SequenceEqual(Labels(d.GetVolumes(q))), name);
                Assert.True(expected.Count == d.CountVolumes(q), name + " count");
            }
            Assert.Contains(all, v => v.IsExpired);
            Assert.Contains(all, v => !v.IsExpired);
        }

        [Fact]
        public void An_unknown_data_store_is_DataStoreNotFound_and_an_unknown_name_lists_nothing()
        {
            using var e = Create();
            var x = Assert.Throws<BackPakException>(() => e.Primary.GetVolumes(new VolumeQuery { DataStore = "NOSUCH" }).ToList());
            Assert.Equal(ErrorIds.DataStoreNotFound, x.ErrorId);
            Assert.Empty(e.Primary.GetDataStores("NOSUCH"));
            Assert.Empty(e.Primary.GetCatalogEntries("ZZ9999"));
        }

        [Fact]
        public void Removal_applies_Cores_rules_and_is_idempotent()
        {
            using var e = Create();
            if (!(e.Primary is IVolumeRemover remover))
            {
                Assert.Equal(ErrorIds.CapabilityMissing, Assert.Throws<BackPakException>(() => Capabilities.Require<IVolumeRemover>(e.Primary, "volume removal")).ErrorId);
                return;
            }
            var d = e.Primary;
            var local = d.GetVolumes(new VolumeQuery { DataStore = e.LocalStore }).ToList();
            var young = local.First(v => !v.IsExpired && !v.IsBusy);
            var old = local.Where(v => v.IsExpired && !v.IsBusy).ToList();
            e.MakeBusy(old[1].Label);
            var options = new VolumeRemovalOptions { User = "conformance" };
            var plan = remover.PlanVolumeRemoval(d.GetVolumes(new VolumeQuery { Labels = new[] { young.Label, old[0].Label, old[1].Label }.Select(Core.Text.Labels.ParsePattern).ToList() }).ToList(), options);
            Assert.Equal(ErrorIds.VolumeNotExpired, plan.Single(p => p.Volume.Label == young.Label).Refusal?.ErrorId);
            Assert.Equal(ErrorIds.VolumeBusy, plan.Single(p => p.Volume.Label == old[1].Label).Refusal?.ErrorId);
            Assert.Null(plan.Single(p => p.Volume.Label == old[0].Label).Refusal);

            var results = remover.RemoveVolumes(new[] { young.Label, old[0].Label, old[1].Label }, options).ToDictionary(r => r.Label);
            Assert.Equal(RemovalStatus.Refused, results[young.Label].Status);
            Assert.Equal(ErrorIds.VolumeNotExpired, results[young.Label].Error?.ErrorId);
            Assert.Equal(RemovalStatus.Refused, results[old[1].Label].Status);
            Assert.Equal(RemovalStatus.Removed, results[old[0].Label].Status);
            Assert.Equal(PartOutcome.Removed, results[old[0].Label].BackPakCatalog);
            Assert.Equal(0, d.CountVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(old[0].Label) } }));
            Assert.Empty(d.GetCatalogEntries(old[0].Label));
            Assert.Equal(2, d.CountVolumes(new VolumeQuery { Labels = new[] { young.Label, old[1].Label }.Select(Core.Text.Labels.ParsePattern).ToList() }));
            // Asked again: already absent, not an error.
            Assert.Equal(RemovalStatus.AlreadyAbsent, remover.RemoveVolumes(new[] { old[0].Label }, options).Single().Status);
            // -IgnoreRetention lets the non-expired one go; the busy one stays refused.
            var forced = remover.RemoveVolumes(new[] { young.Label, old[1].Label }, new VolumeRemovalOptions { IgnoreRetention = true, User = "conformance" }).ToDictionary(r => r.Label);
            Assert.Equal(RemovalStatus.Removed, forced[young.Label].Status);
            Assert.Equal(ErrorIds.VolumeBusy, forced[old[1].Label].Error?.ErrorId);
        }

        [Fact]
        public void Groups_and_stores_go_only_when_empty()
        {
            using var e = Create();
            if (!(e.Primary is IStoreRemover stores))
            {
                Assert.Equal(ErrorIds.CapabilityMissing, Assert.Throws<BackPakException>(() => Decommission.Plan(e.Primary, e.LocalStore, null, new VolumeRemovalOptions())).ErrorId);
                return;
            }
            var d = e.Primary;
            string group = d.GetVolumeGroups(e.LocalStore).First(g => g.VolumeCount > 0).Name;
            Assert.Equal(ErrorIds.VolumeGroupNotEmpty, Assert.Throws<BackPakException>(() => stores.RemoveVolumeGroup(group, "conformance")).ErrorId);
            Assert.Equal(ErrorIds.DataStoreNotEmpty, Assert.Throws<BackPakException>(() => stores.RemoveDataStore(e.LocalStore, "conformance")).ErrorId);
            Assert.Single(d.GetDataStores(e.LocalStore));
            Assert.Single(d.GetVolumeGroups(e.LocalStore, group));
        }

        [Fact]
        public void A_whole_store_is_decommissioned_in_the_manuals_order_by_Core()
        {
            using var e = Create();
            var d = e.Primary;
            // Operations in flight end first (a store with one cannot go all at once; that rule is tested above).
            foreach (var busy in d.GetVolumes(new VolumeQuery { DataStore = e.LocalStore }).Where(v => v.IsBusy).ToList()) e.MakeIdle(busy.Label);
            var options = new VolumeRemovalOptions { IgnoreRetention = true, User = "conformance" };
            if (!(d is IVolumeRemover) || !(d is IStoreRemover))
            {
                Assert.Equal(ErrorIds.CapabilityMissing, Assert.Throws<BackPakException>(() => Decommission.Plan(d, e.LocalStore, null, options)).ErrorId);
                return;
            }
            var plan = Decommission.Plan(d, e.LocalStore, null, options);
            var result = Decommission.Run(d, plan, options, _ => { });
            Assert.True(result.Completed, result.Message);
            Assert.Empty(d.GetDataStores(e.LocalStore));
            Assert.Equal(0, d.CountVolumes(new VolumeQuery { Labels = plan.Volumes.Select(p => Core.Text.Labels.ParsePattern(p.Volume.Label)).ToList() }));
        }

        [Fact]
        public void Catalog_sync_follows_the_action_matrix_and_carries_the_catalog_across()
        {
            using var e = Create();
            if (!(e.Primary is ICatalogSync p) || !(e.Secondary is ICatalogSync s))
            {
                Assert.Equal(ErrorIds.CapabilityMissing, Assert.Throws<BackPakException>(() => Capabilities.Require<ICatalogSync>(e.Primary, "Catalog Sync")).ErrorId);
                return;
            }
            string ds = e.ReplicatedStore;
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => s.StartExport(ds, SyncType.Full, "conformance")).ErrorId);
            Assert.Equal(ErrorIds.ActionNotAllowed, Assert.Throws<BackPakException>(() => p.StartImport(ds, SyncType.Full, true, "conformance")).ErrorId);
            var status = p.GetExportStatus(ds);
            Assert.Equal(ExportState.Active, status.State);
            Assert.NotNull(status.StagingArea);
            Assert.Equal(ExportState.NotPrimary, s.GetExportStatus(ds).State);

            p.SetExportSuspended(ds, true, "conformance");
            Assert.True(p.GetExportStatus(ds).Suspended);
            Assert.Equal(ErrorIds.ExportSuspended, Assert.Throws<BackPakException>(() => p.StartExport(ds, SyncType.Full, "conformance")).ErrorId);
            p.SetExportSuspended(ds, false, "conformance");

            var export = p.StartExport(ds, SyncType.Full, "conformance");
            Assert.Equal(SyncResult.Completed, export.Result);
            Assert.Equal(e.Primary.CountVolumes(new VolumeQuery { DataStore = ds }), export.Volumes);
            Assert.Equal(export.Started, p.GetExportStatus(ds).LastFullExport?.Started);
            var import = s.StartImport(ds, SyncType.Full, true, "conformance");
            Assert.Equal(SyncResult.Completed, import.Result);
            Assert.Equal(Labels(e.Primary.GetVolumes(new VolumeQuery { DataStore = ds })), Labels(e.Secondary.GetVolumes(new VolumeQuery { DataStore = ds })));
            Assert.All(e.Secondary.GetVolumes(new VolumeQuery { DataStore = ds }), v => Assert.Equal(DomainAccess.Secondary, v.DomainAccess));
        }

        [Fact]
        public void Settings_are_checked_by_Cores_rules_and_an_invalid_one_changes_nothing()
        {
            using var e = Create();
            if (!(e.Primary is IDataStoreSettings settings) || !(e.Primary is ICatalogSync sync)) return;
            string ds = e.ReplicatedStore;
            var before = sync.GetExportStatus(ds);
            var x = Assert.Throws<BackPakException>(() => settings.SetDataStore(ds, new DataStoreSettings { ExportCheckDelay = TimeSpan.FromDays(3), StagingArea = before.StagingArea }, "conformance"));
            Assert.Equal(ErrorIds.InvalidSetting, x.ErrorId);
            x = Assert.Throws<BackPakException>(() => settings.SetDataStore(ds, new DataStoreSettings { StagingArea = @"\NOSUCH.$X.Y" }, "conformance"));
            Assert.Equal(ErrorIds.InvalidSetting, x.ErrorId);
            Assert.Equal(before.ExportCheckDelay, sync.GetExportStatus(ds).ExportCheckDelay);
            Assert.Equal(before.StagingArea, sync.GetExportStatus(ds).StagingArea);
            var changed = settings.SetDataStore(ds, new DataStoreSettings { ExportCheckDelay = TimeSpan.FromSeconds(42) }, "conformance");
            Assert.Equal(ds, changed.Name, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(42, sync.GetExportStatus(ds).ExportCheckDelaySeconds);
        }

        [Fact]
        public void The_switch_facts_are_consistent_on_both_sides()
        {
            using var e = Create();
            if (!(e.Primary is ISwitchSite p) || !(e.Secondary is ISwitchSite s) || !(e.Primary is IKeyFacts kp) || !(e.Secondary is IKeyFacts ks)) return;
            string ds = e.ReplicatedStore;
            // The staging area a provider names is a Guardian subvolume on its own node.
            Assert.True(Guardian.TryParseSubvolume(p.StagingAreaFor(ds), true, out var node, out _, out _));
            Assert.Equal(e.Primary.Node, node, StringComparer.OrdinalIgnoreCase);
            Assert.NotEqual(p.DsmTcSearchList, s.DsmTcSearchList);
            Assert.Null(s.CheckImportTargets(ds));
            Assert.NotEmpty(kp.GetKeyManagerIds().Intersect(ks.GetKeyManagerIds(), StringComparer.OrdinalIgnoreCase));
            var partner = Assert.Single(kp.GetReplicationPartners(), r => r.DataStore.Equals(ds, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(e.Secondary.Node, partner.PartnerNode, StringComparer.OrdinalIgnoreCase);
            Assert.Contains(ks.GetReplicationPartners(), r => r.PartnerNode.Equals(e.Primary.Node, StringComparison.OrdinalIgnoreCase));
            var encrypted = e.Primary.GetVolumes(new VolumeQuery { Encrypted = true }).Select(v => v.Label).ToList();
            Assert.All(kp.GetVolumeImageKeys(), k => Assert.Contains(k.Label, encrypted));
        }

        [Fact]
        public void A_change_inside_a_run_fence_is_refused_with_SwitchInProgress()
        {
            using var e = Create();
            if (!(e.Primary is IRunJournalSource source) || !(e.Primary is IDataStoreSettings settings)) return;
            var journal = source.RunJournal;
            string subject = StoreFence.SwitchSubject(e.ReplicatedStore);
            journal.UpdateLock(subject, _ => new RunLock { Subject = subject, RunId = "SW-20261101-120000-c0ffee", DataStore = e.ReplicatedStore, Primary = e.Primary.Node, Secondary = e.Secondary.Node, Created = DateTime.UtcNow });
            try
            {
                Assert.Equal("SW-20261101-120000-c0ffee", journal.ActiveRun(subject)?.RunId);
                var x = Assert.Throws<BackPakException>(() => settings.SetDataStore(e.ReplicatedStore, new DataStoreSettings { ExportCheckDelay = TimeSpan.FromSeconds(30) }, "conformance"));
                Assert.Equal(ErrorIds.SwitchInProgress, x.ErrorId);
            }
            finally { journal.UpdateLock(subject, _ => null); }
            Assert.Null(journal.ActiveRun(subject));
        }

        [Fact]
        public void The_planned_switch_runs_end_to_end()
        {
            using var e = Create();
            if (!(e.Primary is IBackPakDomain p) || !(e.Secondary is IBackPakDomain s) || !(e.Primary is IRunJournalSource j)) return;
            string ds = e.ReplicatedStore;
            var links = e.Primary as IReplicationLinkSource;
            var c = new RoleSwitchContext
            {
                DataStore = ds, Primary = p, Secondary = s, Journal = j.RunJournal,
                StorageLink = links?.ReplicationLink("STORAGE", ds), KeyLink = links?.ReplicationLink("KEYS", null), SecondarySite = links?.SiteOf(s.Node),
                Timeout = TimeSpan.FromSeconds(60), PollInterval = TimeSpan.FromMilliseconds(50), User = "conformance", Cancel = CancellationToken.None,
            };
            Assert.All(RoleSwitch.StartChecks(c), check => Assert.True(check.Passed, check.ToString()));
            var before = Labels(e.Primary.GetVolumes(new VolumeQuery { DataStore = ds }));
            var report = ProcedureRunner.RunSwitch(c, null, null, null);
            if (links == null)
            {
                Assert.Equal(RunStatus.AwaitingOperator, report.Status); // no facility: the operator confirms replication by hand
                return;
            }
            Assert.Equal(RunStatus.Completed, report.Status);
            Assert.Equal(DomainAccess.Secondary, e.Primary.GetDataStores(ds).Single().DomainAccess);
            Assert.Equal(DomainAccess.Primary, e.Secondary.GetDataStores(ds).Single().DomainAccess);
            Assert.Equal(p.StagingAreaFor(ds), s.GetExportStatus(ds).StagingArea);
            Assert.Equal(before, Labels(e.Secondary.GetVolumes(new VolumeQuery { DataStore = ds })));
            Assert.Null(j.RunJournal.ActiveRun(StoreFence.SwitchSubject(ds)));
        }
    }
}
