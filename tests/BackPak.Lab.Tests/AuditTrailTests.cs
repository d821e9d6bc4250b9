using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>
    /// The audit trail as a change record: operations with an id, Start/Change/Refusal/End records in each domain they
    /// touch, targets found hierarchically and by wildcard, one naming style (old names read under the new ones).
    /// </summary>
    public sealed class AuditTrailTests : IDisposable
    {
        private readonly TempDir _t = new TempDir();
        private readonly string _lab;

        public AuditTrailTests()
        {
            _lab = LabBuilder.Create(new LabOptions { Path = Path.Combine(_t.Path, "lab"), VolumeCount = 300, Seed = 21 }).Path;
        }

        public void Dispose() => _t.Dispose();

        private LabDomain D(string node = @"\A") => Lab.Open(_lab).OpenDomain(node);
        private static readonly VolumeRemovalOptions Ignore = new VolumeRemovalOptions { IgnoreRetention = true, User = "tester" };

        private static Operation NewOperation(IBackPakDomain d, string command = "Remove-BPVolume") =>
            new Operation(command, "-Label X -IgnoreRetention", "tester", d.Now);

        [Fact]
        public void An_operation_id_is_the_utc_time_to_the_second_and_six_random_hex_digits()
        {
            var at = new DateTime(2026, 11, 1, 0, 22, 33, DateTimeKind.Utc);
            string id = Operation.NewId(at);
            Assert.Matches(new Regex("^20261101-002233-[0-9A-F]{6}$"), id);
            Assert.NotEqual(id, Operation.NewId(at));
        }

        [Fact]
        public void Every_record_of_an_operation_carries_its_id_between_one_start_and_one_end()
        {
            using var a = D();
            var labels = a.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).Take(3).Select(v => v.Label).ToList();
            var op = NewOperation(a);
            VolumeRemovalResult[] results;
            using (op.Enter())
            {
                results = a.RemoveVolumes(labels, Ignore).ToArray();
                Assert.Empty(op.End(stopped: false));
            }
            Assert.All(results, r => Assert.Equal(op.Id, r.OperationId));
            var records = a.GetAuditRecords(op.Id).Reverse().ToList(); // oldest first
            Assert.Equal(new[] { AuditKind.Start, AuditKind.Change, AuditKind.Change, AuditKind.Change, AuditKind.End }, records.Select(r => r.Kind));
            Assert.All(records, r => Assert.Equal(op.Id, r.OperationId));
            Assert.Equal(("Remove-BPVolume", "DS01", "Started", "-Label X -IgnoreRetention"), (records[0].Action, records[0].Target, records[0].Result, records[0].Detail));
            Assert.Equal(("Remove-BPVolume", "DS01", "Succeeded"), (records[4].Action, records[4].Target, records[4].Result));
            Assert.Contains("3 change(s), 0 refusal(s)", records[4].Detail);
            // The lab's clock, in UTC: the time of the operation id and of its records agree.
            Assert.Equal(DateTimeKind.Utc, records[0].At.Kind);
            Assert.StartsWith(records[0].At.ToString("yyyyMMdd"), op.Id);
            Assert.True(Math.Abs((records[0].At - a.Now).TotalMinutes) < 5);
        }

        [Fact]
        public void A_refusal_is_recorded_once_with_its_error_id_and_the_outcome_is_failed()
        {
            using var a = D();
            var op = NewOperation(a, "Remove-BPVolumeGroup");
            var refusal = new BackPakException(ErrorIds.VolumeGroupNotEmpty, BackPakErrorCategory.InvalidOperation, "still has volumes", "DS01/DAILY");
            using (op.Enter())
            {
                op.Refuse(a, op.Command, "DS01/DAILY", refusal);
                op.End(stopped: false);
            }
            var records = a.GetAuditRecords(op.Id).Reverse().ToList();
            Assert.Equal(new[] { AuditKind.Start, AuditKind.Refusal, AuditKind.End }, records.Select(r => r.Kind));
            Assert.Equal((ErrorIds.VolumeGroupNotEmpty, "Refused", "DS01/DAILY"), (records[1].ErrorId, records[1].Result, records[1].Target));
            Assert.Equal(("Failed", ErrorIds.VolumeGroupNotEmpty), (records[2].Result, records[2].ErrorId));
        }

        [Fact]
        public void A_refusal_the_rule_recorded_itself_is_not_recorded_again_by_the_module()
        {
            using var a = D();
            var plan = Decommission.Plan(a, "DS01", "DAILY", new VolumeRemovalOptions());
            Assert.True(plan.Refused > 0);
            var op = NewOperation(a, "Remove-BPVolumeGroup");
            using (op.Enter())
            {
                var e = Assert.Throws<BackPakException>(() => Decommission.Run(a, plan, new VolumeRemovalOptions(), _ => { }));
                op.Refuse(a, op.Command, "DS01/DAILY", e); // what the cmdlet base does with the error it reports
                op.End(stopped: false);
            }
            var refusals = a.GetAuditRecords(op.Id).Where(r => r.Kind == AuditKind.Refusal).ToList();
            Assert.Equal(ErrorIds.DecommissionRefused, Assert.Single(refusals).ErrorId);
        }

        [Fact]
        public void A_stopped_operation_ends_stopped_and_says_a_rerun_completes_it()
        {
            using var a = D();
            var label = a.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).First().Label;
            var op = NewOperation(a);
            using (op.Enter())
            {
                a.RemoveVolumes(new[] { label }, Ignore).ToList();
                op.End(stopped: true);
            }
            var end = a.GetAuditRecords(op.Id).First();
            Assert.Equal((AuditKind.End, "Stopped"), (end.Kind, end.Result));
            Assert.Contains("running the same command again completes it", end.Detail);
        }

        [Fact]
        public void A_dry_run_and_an_operation_that_changed_nothing_record_nothing()
        {
            using var a = D();
            long before = a.GetAuditRecords().Count();
            var dry = new Operation("Remove-BPVolume", null, "tester", a.Now, dryRun: true);
            using (dry.Enter())
            {
                dry.Refuse(a, dry.Command, "DS01/X", new BackPakException(ErrorIds.VolumeNotExpired, BackPakErrorCategory.InvalidOperation, "not expired", "X"));
                dry.End(stopped: false);
            }
            var idle = NewOperation(a);
            using (idle.Enter()) idle.End(stopped: false);
            Assert.Equal(before, a.GetAuditRecords().Count());
        }

        [Fact]
        public void Targets_match_hierarchically_and_by_wildcard()
        {
            Assert.True(AuditQuery.TargetMatches("DS02", "DS02"));
            Assert.True(AuditQuery.TargetMatches("DS02", "DS02/AB1234"));
            Assert.True(AuditQuery.TargetMatches("ds02", "DS02/AB1234"));
            Assert.False(AuditQuery.TargetMatches("DS02", "DS021/AB1234"));
            Assert.False(AuditQuery.TargetMatches("DS02", "DS01/DS02"));
            Assert.True(AuditQuery.TargetMatches("DS02*", "DS02/AB1234"));
            Assert.True(AuditQuery.TargetMatches("DS0?", "DS02/AB1234"));
            Assert.True(AuditQuery.TargetMatches("DS02/AB*", "DS02/AB1234"));
            Assert.False(AuditQuery.TargetMatches("DS02/AB*", "DS02/CD1234"));
        }

        [Fact]
        public void A_store_finds_the_removals_of_its_volumes_and_a_query_says_how_many_more_there_are()
        {
            using var a = D();
            var labels = a.GetVolumes(new VolumeQuery { DataStore = "DS01", Expired = true }).Take(5).Select(v => v.Label).ToList();
            var op = NewOperation(a);
            using (op.Enter())
            {
                a.RemoveVolumes(labels, Ignore).ToList();
                op.End(stopped: false);
            }
            var all = AuditTrail.Find(a, new AuditQuery { Targets = new[] { "DS01" }, Kinds = new[] { AuditKind.Change } });
            // The store's own records (its export at lab creation) and its volumes' (DS01/<label>).
            Assert.Equal(labels.Select(l => "DS01/" + l).OrderBy(l => l), all.Records.Where(r => r.Target != "DS01").Select(r => r.Target).OrderBy(l => l));
            Assert.Contains(all.Records, r => r.Target == "DS01");
            all = AuditTrail.Find(a, new AuditQuery { Targets = new[] { "DS01" }, Actions = new[] { AuditActions.RemoveVolume }, Kinds = new[] { AuditKind.Change } });
            var two = AuditTrail.Find(a, new AuditQuery { Targets = new[] { "DS0*" }, Actions = new[] { "Remove-BPVol*" }, Kinds = new[] { AuditKind.Change }, Last = 2 });
            Assert.Equal((2, 5L, true), (two.Records.Count, two.Matching, two.More));
            Assert.Equal(all.Records.Take(2).Select(r => r.Id), two.Records.Select(r => r.Id)); // the newest
        }

        [Fact]
        public void Records_of_an_older_lab_are_read_under_the_current_action_names()
        {
            using (var c = LabDb.Open(LabLayout.BackPakDb(_lab, @"\A")))
            {
                // A lab made before operations: the audit table without its three later columns, and old action names.
                LabDb.Exec(c, "DROP TABLE audit");
                LabDb.Exec(c, "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user TEXT NOT NULL, host TEXT NOT NULL, " +
                              "action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, detail TEXT)");
                LabDb.Exec(c, "INSERT INTO audit(at, user, host, action, target, result, detail) VALUES (0, 'old', 'h', 'RemoveVolume', 'DS02/AB1234', 'Removed', NULL)");
                LabDb.Exec(c, "INSERT INTO audit(at, user, host, action, target, result, detail) VALUES (1, 'old', 'h', 'RemoveDataStore', 'DS02', 'Started', NULL)");
                LabDb.Exec(c, "INSERT INTO audit(at, user, host, action, target, result, detail) VALUES (2, 'old', 'h', 'AbandonRoleSwitch', 'DS01', 'Done', NULL)");
            }
            SqliteReset();
            using var a = D(); // connecting upgrades the table
            var records = a.GetAuditRecords().Reverse().ToList();
            Assert.Equal(new[] { "Remove-BPVolume", "Remove-BPDataStore", "Stop-BPRoleSwitchRun" }, records.Select(r => r.Action));
            Assert.Equal(new[] { AuditKind.Change, AuditKind.Start, AuditKind.Change }, records.Select(r => r.Kind));
            Assert.All(records, r => Assert.Equal("", r.OperationId));
            // An old name still selects, and new records go in beside the old ones.
            Assert.Single(AuditTrail.Find(a, new AuditQuery { Actions = new[] { "RemoveVolume" }, Targets = new[] { "DS02" } }).Records);
            var op = NewOperation(a, "Set-BPDataStore");
            using (op.Enter())
            {
                a.Audit(new AuditEntry { Action = AuditActions.SetDataStore, Target = "DS01", Result = "Done" });
                op.End(stopped: false);
            }
            Assert.Equal(3, a.GetAuditRecords(op.Id).Count());
        }

        private static void SqliteReset() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
