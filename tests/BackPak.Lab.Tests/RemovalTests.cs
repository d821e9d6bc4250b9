using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>The lab's volume, volume group and data store removal, without a PowerShell host.</summary>
    public class RemovalTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly string _lab;

        public RemovalTests()
        {
            _lab = LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 300, Seed = 21 }).Path;
        }

        public void Dispose() => _t.Dispose();

        private LabDomain D(string node = @"\A") => Lab.Open(_lab).OpenDomain(node);
        private static readonly VolumeRemovalOptions Ignore = new VolumeRemovalOptions { IgnoreRetention = true, User = "tester" };

        private static long Count(string db, string sql)
        {
            using var c = LabDb.Open(db, readOnly: true);
            return (long)LabDb.Scalar(c, sql)!;
        }

        private string Storage(string site, string store, string label, string ext) =>
            Path.Combine(LabLayout.StorageDir(_lab, site, store), "LB" + label + "." + ext);

        [Fact]
        public void A_primary_volume_loses_its_three_parts_and_nothing_else()
        {
            using var a = D();
            var v = a.GetVolumes(new VolumeQuery { VolumeGroup = "DAILY", Expired = true }).First();
            int entries = a.GetCatalogEntries(v.Label).Count();
            long otherDiskfiles = Count(LabLayout.DsmTcDb(_lab, @"\A"), $"SELECT COUNT(*) FROM diskfile WHERE label <> '{v.Label}'");
            var r = a.RemoveVolumes(new[] { v.Label }, new VolumeRemovalOptions { User = "tester" }).Single();

            Assert.Equal(RemovalStatus.Removed, r.Status);
            Assert.Equal((PartOutcome.Removed, PartOutcome.Removed, PartOutcome.Removed), (r.Storage, r.TapeCatalog, r.BackPakCatalog));
            Assert.Equal(2, r.StorageFilesRemoved);
            Assert.Equal(entries + 1, r.CatalogEntriesRemoved);
            Assert.Empty(a.GetVolumes(new VolumeQuery { Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(v.Label) } }));
            Assert.Empty(a.GetCatalogEntries(v.Label));
            Assert.False(File.Exists(Storage("SITEA", "DS01", v.Label, "IND")));
            Assert.False(File.Exists(Storage("SITEA", "DS01", v.Label, "DAT")));
            Assert.Equal(otherDiskfiles, Count(LabLayout.DsmTcDb(_lab, @"\A"), "SELECT COUNT(*) FROM diskfile"));
            // The secondary's copy and the replica are the replication's business (R9): untouched.
            using var b = D(@"\B");
            Assert.Single(b.GetVolumes(new VolumeQuery { Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(v.Label) } }));
            Assert.True(File.Exists(Storage("SITEB", "DS01", v.Label, "DAT")));
            var audit = VolumeAudit(a, "DS01/" + v.Label);
            Assert.Equal("tester", Assert.Single(audit).User);
        }

        [Fact]
        public void A_TMF_volume_loses_its_TMF_entries()
        {
            using var a = D();
            var v = a.GetVolumes(new VolumeQuery { VolumeGroup = "TMFDUMPS" }).First();
            var r = a.RemoveVolumes(new[] { v.Label }, Ignore).Single();
            Assert.Equal(PartOutcome.Removed, r.TapeCatalog);
            Assert.Equal(0, Count(LabLayout.TmfDb(_lab, @"\A"), $"SELECT COUNT(*) FROM tmf_dump WHERE label = '{v.Label}'"));
            Assert.Equal(0, Count(LabLayout.TmfDb(_lab, @"\A"), $"SELECT COUNT(*) FROM tmf_volume WHERE label = '{v.Label}'"));
        }

        [Fact]
        public void A_secondary_volume_loses_its_catalog_entries_never_storage()
        {
            using var b = D(@"\B");
            var v = b.GetVolumes(new VolumeQuery { DataStore = "DS01", VolumeGroup = "DAILY" }).First();
            var r = b.RemoveVolumes(new[] { v.Label }, Ignore).Single();
            Assert.Equal((PartOutcome.NotApplicable, PartOutcome.Removed, PartOutcome.Removed), (r.Storage, r.TapeCatalog, r.BackPakCatalog));
            Assert.True(File.Exists(Storage("SITEB", "DS01", v.Label, "IND")));
            Assert.True(File.Exists(Storage("SITEA", "DS01", v.Label, "IND")));
            using var a = D();
            Assert.Single(a.GetCatalogEntries(v.Label).Where(e => e.Kind == CatalogEntryKind.TapeVolume));
        }

        [Fact]
        public void Refused_volumes_are_unchanged_and_the_others_go()
        {
            using var a = D();
            var live = a.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = false }).First();
            var dead = a.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).First();
            var results = a.RemoveVolumes(new[] { live.Label, dead.Label }, new VolumeRemovalOptions()).ToList();
            Assert.Equal(RemovalStatus.Refused, results[0].Status);
            Assert.Equal(ErrorIds.VolumeNotExpired, results[0].Error!.ErrorId);
            Assert.Equal(RemovalStatus.Removed, results[1].Status);
            var after = a.GetVolumes(new VolumeQuery { Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(live.Label) } }).Single();
            Assert.Null(after.CurrentOperation);
            Assert.Equal(live.LastUpdate, after.LastUpdate);
            Assert.True(File.Exists(Storage("SITEA", "DS01", live.Label, "DAT")));
        }

        [Fact]
        public void A_busy_volume_is_refused()
        {
            using var a = D();
            var busy = a.GetVolumes(new VolumeQuery()).FirstOrDefault(v => v.CurrentOperation != null);
            Assert.NotNull(busy); // the local stores have restores in flight at creation
            var r = a.RemoveVolumes(new[] { busy!.Label }, Ignore).Single();
            Assert.Equal(ErrorIds.VolumeBusy, r.Error!.ErrorId);
        }

        [Fact]
        public void A_volume_already_gone_counts_as_done()
        {
            using var a = D();
            var v = a.GetVolumes(new VolumeQuery { Expired = true }).First();
            a.RemoveVolumes(new[] { v.Label }, Ignore).ToList();
            var again = a.RemoveVolumes(new[] { v.Label }, Ignore).Single();
            Assert.Equal(RemovalStatus.AlreadyAbsent, again.Status);
            Assert.Null(again.Error);
            Assert.Single(VolumeAudit(a, v.DataStore + "/" + v.Label));
        }

        [Fact]
        public void An_interrupted_removal_is_taken_over_from_a_dead_process()
        {
            using var a = D();
            var v = a.GetVolumes(new VolumeQuery { VolumeGroup = "DAILY", Expired = true }).First();
            // The state a process killed right after its claim leaves: DELETE + intent owned by a pid that is gone.
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab, @"\A")))
            {
                LabDb.Exec(c, "UPDATE volume SET current_operation = 'DELETE' WHERE label = @l", ("@l", v.Label));
                LabDb.Exec(c, "INSERT INTO removal_intent VALUES (@l, 'dead-run', @h, 999999, 1, 'someone', 'DS01', 'DAILY', 'PRIMARY', @sp, 'DSM/TC', 0)",
                    ("@l", v.Label), ("@h", Environment.MachineName), ("@sp", LabLayout.StorageUnc("SITEA", "DS01")));
            }
            File.Delete(Storage("SITEA", "DS01", v.Label, "IND")); // it had got as far as one file
            Assert.Equal("DELETE", a.GetVolumes(new VolumeQuery { Labels = new[] { BackPak.Core.Text.Labels.ParsePattern(v.Label) } }).Single().CurrentOperation);

            var r = a.RemoveVolumes(new[] { v.Label }, Ignore).Single();
            Assert.True(r.Resumed);
            Assert.Equal("dead-run", r.RunId);
            Assert.Equal(RemovalStatus.Removed, r.Status);
            Assert.Equal(1, r.StorageFilesRemoved);
            Assert.Equal(0, Count(LabLayout.BackPakDb(_lab, @"\A"), "SELECT COUNT(*) FROM removal_intent"));
            Assert.Equal("someone", VolumeAudit(a, "DS01/" + v.Label).Single().User);
        }

        [Fact]
        public void A_live_runs_claim_is_not_taken_over()
        {
            using var a = D();
            var v = a.GetVolumes(new VolumeQuery { Expired = true }).First();
            using var me = System.Diagnostics.Process.GetCurrentProcess();
            int otherPid = me.Parent()?.Id ?? 1; // a process that is alive: our parent
            using (var other = System.Diagnostics.Process.GetProcessById(otherPid))
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab, @"\A")))
            {
                LabDb.Exec(c, "UPDATE volume SET current_operation = 'DELETE' WHERE label = @l", ("@l", v.Label));
                LabDb.Exec(c, "INSERT INTO removal_intent VALUES (@l, 'live-run', @h, @p, @s, 'someone', @ds, @vg, 'PRIMARY', NULL, 'NONE', 0)",
                    ("@l", v.Label), ("@h", Environment.MachineName), ("@p", otherPid), ("@s", LabDb.ToUnixMs(other.StartTime.ToUniversalTime())),
                    ("@ds", v.DataStore), ("@vg", v.VolumeGroup));
            }
            var r = a.RemoveVolumes(new[] { v.Label }, Ignore).Single();
            Assert.Equal(RemovalStatus.Refused, r.Status);
            Assert.Equal(ErrorIds.VolumeBusy, r.Error!.ErrorId);
        }

        [Fact]
        public void Many_volumes_in_several_batches()
        {
            using var a = D();
            var labels = a.GetVolumes(new VolumeQuery()).Where(v => v.CurrentOperation == null).Select(v => v.Label).ToList();
            int progress = 0;
            var results = a.RemoveVolumes(labels, new VolumeRemovalOptions { IgnoreRetention = true, Progress = n => progress = n }).ToList();
            Assert.Equal(labels, results.Select(r => r.Label));
            Assert.All(results, r => Assert.Equal(RemovalStatus.Removed, r.Status));
            Assert.Equal(labels.Count, progress);
            Assert.Equal(0, Count(LabLayout.DsmTcDb(_lab, @"\A"), "SELECT COUNT(*) FROM tapevolume WHERE volcat = '\\A.VCDS01'"));
        }

        [Fact]
        public void Groups_and_stores_go_only_when_empty_and_in_the_manuals_order()
        {
            using var a = D();
            Assert.Equal(ErrorIds.VolumeGroupNotEmpty, Assert.Throws<BackPakException>(() => a.RemoveVolumeGroup("LOCALA", "t")).ErrorId);
            Assert.Equal(ErrorIds.DataStoreNotEmpty, Assert.Throws<BackPakException>(() => a.RemoveDataStore("DS02", "t")).ErrorId);
            // The restores the lab left running on DS02 end first: a busy volume would stop the decommission (R22).
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab, @"\A")))
                Assert.True(LabDb.Exec(c, "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL WHERE data_store = 'DS02' AND current_operation IS NOT NULL") > 0);
            var plan = Decommission.Plan(a, "DS02", null, Ignore);
            Assert.Equal(new[] { "LOCALA" }, plan.VolumeGroups);
            Assert.Equal(0, plan.Refused);
            var seen = new List<VolumeRemovalResult>();
            var result = Decommission.Run(a, plan, Ignore, seen.Add);
            Assert.True(result.Completed && result.DataStoreRemoved);
            Assert.Equal(new[] { "LOCALA" }, result.VolumeGroupsRemoved);
            Assert.Empty(a.GetDataStores("DS02"));
            Assert.Empty(a.GetVolumeGroups().Where(g => g.Name == "LOCALA"));
            Assert.False(Directory.Exists(LabLayout.StorageDir(_lab, "SITEA", "DS02")));
            var actions = a.GetAuditRecords().Where(x => x.Kind == AuditKind.Change).Select(x => x.Action).Reverse().ToList();
            int firstVolume = actions.IndexOf(AuditActions.RemoveVolume), group = actions.IndexOf(AuditActions.RemoveVolumeGroup), store = actions.LastIndexOf(AuditActions.RemoveDataStore);
            Assert.True(firstVolume < group && group < store, "volumes, then groups, then the store (R14)");
            Assert.NotEmpty(a.GetVolumes(new VolumeQuery { DataStore = "DS01" })); // another store: untouched
        }

        [Fact]
        public void A_decommission_with_refused_volumes_removes_nothing_and_says_so()
        {
            using var a = D();
            long before = a.CountVolumes(new VolumeQuery { VolumeGroup = "DAILY" });
            var plan = Decommission.Plan(a, "DS01", "DAILY", new VolumeRemovalOptions());
            Assert.True(plan.Refused > 0 && plan.Refused < before, "some volumes of DAILY may go, some may not");
            Assert.Contains("nothing will be removed", plan.Describe());
            var seen = new List<VolumeRemovalResult>();
            var e = Assert.Throws<BackPakException>(() => Decommission.Run(a, plan, new VolumeRemovalOptions(), seen.Add));
            Assert.Equal(ErrorIds.DecommissionRefused, e.ErrorId);
            Assert.DoesNotContain("-Recurse", e.Message + e.RecommendedAction); // the caller used it
            var summary = Assert.IsType<DecommissionResult>(e.Target);
            Assert.False(summary.Completed);
            Assert.Equal(plan.Refused, summary.VolumesRefused);
            Assert.Empty(seen);
            Assert.Single(a.GetVolumeGroups("DS01", "DAILY"));
            Assert.Equal(before, a.CountVolumes(new VolumeQuery { VolumeGroup = "DAILY" })); // not even the expired ones went
        }

        /// <summary>The Change records of one volume's removal.</summary>
        private static IReadOnlyList<AuditRecord> VolumeAudit(LabDomain d, string target) =>
            AuditTrail.Find(d, new AuditQuery { Actions = new[] { AuditActions.RemoveVolume }, Targets = new[] { target }, Kinds = new[] { AuditKind.Change } }).Records;
    }

    internal static class ProcessExtensions
    {
        /// <summary>The parent process on Linux (from /proc), for a pid that is certainly alive.</summary>
        public static System.Diagnostics.Process? Parent(this System.Diagnostics.Process p)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{p.Id}/stat");
                var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                return System.Diagnostics.Process.GetProcessById(int.Parse(fields[1]));
            }
            catch (Exception) { return null; }
        }
    }
}
