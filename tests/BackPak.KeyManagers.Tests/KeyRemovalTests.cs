using System;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Providers;
using Xunit;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>The safety rules of KeyRemoval, against a fake key manager that records what is sent and the lab's catalogs.</summary>
    public class KeyRemovalTests
    {
        [Fact]
        public void A_key_a_catalogued_volume_uses_is_refused_and_nothing_is_sent_that_changes_it()
        {
            using var lab = new TestLab();
            var v = lab.Volume(lab.A, "DS02");
            var keys = new FakeKeyManager();
            var id = keys.Add(v.MediaKeyName!);
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);

            var plan = Assert.Single(removal.Plan(v.MediaKeyName!));
            Assert.True(plan.IsReferenced);
            Assert.Equal(1, plan.ReferencingVolumes);
            var result = removal.Remove(plan, out var failure);

            Assert.NotNull(failure);
            Assert.Equal(ErrorIds.KeyStillReferenced, failure!.ErrorId);
            Assert.False(failure.StopsInvocation);
            Assert.Contains(v.Label, failure.Message);
            Assert.Equal(ErrorIds.KeyStillReferenced, result.Error);
            Assert.False(result.Destroyed);
            Assert.False(result.Revoked);
            Assert.Empty(keys.Changes);
            Assert.Equal(KeyState.Active, keys.StateOf(id));
        }

        [Fact]
        public void A_key_used_on_the_other_node_only_is_still_refused()
        {
            using var lab = new TestLab();
            // DS01 is replicated: its volumes are catalogued on \A (PRIMARY) and \B (SECONDARY).
            var v = lab.Volume(lab.A, "DS01");
            lab.DeleteVolume(@"\A", v.Label);
            var keys = new FakeKeyManager();
            keys.Add(v.MediaKeyName!);

            var plan = Assert.Single(new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains).Plan(v.MediaKeyName!));
            Assert.Equal(1, plan.ReferencingVolumes);
            Assert.Equal(@"\B", Assert.Single(plan.ReferencingVolumeSample).Node);
            new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains).Remove(plan, out var failure);
            Assert.Equal(ErrorIds.KeyStillReferenced, failure?.ErrorId);
            Assert.Empty(keys.Changes);
        }

        [Fact]
        public void An_active_key_is_revoked_for_cessation_of_operation_then_destroyed()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-RETIRED-01");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);

            var plan = Assert.Single(removal.Plan("BPK-RETIRED-01"));
            Assert.True(plan.WillRevoke);
            var result = removal.Remove(plan, out var failure);

            Assert.Null(failure);
            Assert.Equal(new[] { $"Revoke {id} CessationOfOperation", $"Destroy {id}" }, keys.Changes);
            Assert.True(result.Revoked);
            Assert.True(result.Destroyed);
            Assert.False(result.AlreadyAbsent);
            Assert.Equal(KeyState.Active, result.StateBefore);
            Assert.Equal(KeyRevocationReason.CessationOfOperation, result.RevocationReason);
            Assert.Null(keys.StateOf(id));
        }

        [Fact]
        public void The_revocation_reason_can_be_chosen()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-RETIRED-02");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains) { Reason = KeyRevocationReason.Superseded };
            removal.Remove(removal.Plan("BPK-RETIRED-02").Single(), out _);
            Assert.Equal($"Revoke {id} Superseded", keys.Changes.First());
        }

        [Theory]
        [InlineData(KeyState.Deactivated)]
        [InlineData(KeyState.PreActive)]
        [InlineData(KeyState.Compromised)]
        public void A_key_that_is_not_active_is_destroyed_without_revoking(KeyState state)
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-OLD", state);
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var result = removal.Remove(removal.Plan("BPK-OLD").Single(), out var failure);
            Assert.Null(failure);
            Assert.Equal(new[] { "Destroy " + id }, keys.Changes);
            Assert.False(result.Revoked);
            Assert.True(result.Destroyed);
            Assert.Equal(state, result.StateBefore);
        }

        [Fact]
        public void A_key_that_is_not_there_is_reported_already_absent_not_as_an_error()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var plan = Assert.Single(removal.Plan("BPK-NEVER-EXISTED"));
            Assert.True(plan.AlreadyAbsent);
            var result = removal.Remove(plan, out var failure);
            Assert.Null(failure);
            Assert.True(result.AlreadyAbsent);
            Assert.False(result.Destroyed);
            Assert.Null(result.UniqueId);
            Assert.Null(result.Error);
            Assert.Empty(keys.Changes);
        }

        [Fact]
        public void Planning_sends_nothing_that_changes_anything()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var referenced = lab.Volume(lab.A, "DS02").MediaKeyName!;
            keys.Add(referenced);
            keys.Add("BPK-FREE-1");
            keys.Add("BPK-FREE-2", KeyState.Deactivated);
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);

            var plans = new[] { referenced, "BPK-FREE-1", "BPK-FREE-2", "BPK-ABSENT" }.SelectMany(removal.Plan).ToList();
            // A dry run (-WhatIf) also reports refusals and absent keys without changing or recording anything.
            foreach (var p in plans.Where(p => p.AlreadyAbsent || p.IsReferenced)) removal.Remove(p, out _, record: false);

            Assert.Equal(4, plans.Count);
            Assert.Empty(keys.Changes);
            Assert.All(keys.Calls, c => Assert.True(c.StartsWith("Locate ") || c.StartsWith("Get "), c));
            Assert.Throws<InvalidOperationException>(() => removal.Remove(plans[1], out _, record: false));
            Assert.Empty(keys.Changes);
        }

        [Fact]
        public void The_target_names_the_key_its_id_the_server_and_the_number_of_volumes()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-TARGET");
            var plan = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains).Plan("BPK-TARGET").Single();
            Assert.Contains("'BPK-TARGET'", plan.Target);
            Assert.Contains("unique id " + id, plan.Target);
            Assert.Contains("fake:5696", plan.Target);
            Assert.Contains("referenced by 0 catalogued volumes", plan.Target);
            Assert.Contains(@"\A, \B", plan.Target);
        }

        [Fact]
        public void References_are_counted_again_when_removing_so_a_volume_catalogued_after_planning_still_blocks()
        {
            using var lab = new TestLab();
            var v = lab.Volume(lab.A, "DS02");
            var keys = new FakeKeyManager();
            keys.Add("BPK-CATALOGUED-LATER");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var plan = removal.Plan("BPK-CATALOGUED-LATER").Single();
            Assert.False(plan.IsReferenced);

            lab.SetVolumeKey(@"\A", v.Label, "BPK-CATALOGUED-LATER"); // catalogued while the operator read the prompt
            var result = removal.Remove(plan, out var failure);
            Assert.Equal(ErrorIds.KeyStillReferenced, failure?.ErrorId);
            Assert.Equal(1, result.ReferencingVolumes);
            Assert.Empty(keys.Changes);
        }

        [Fact]
        public void A_key_destroyed_by_someone_else_after_planning_counts_as_already_absent()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-RACE");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var plan = removal.Plan("BPK-RACE").Single();
            keys.Delete(id);
            var result = removal.Remove(plan, out var failure);
            Assert.Null(failure);
            Assert.True(result.AlreadyAbsent);
            Assert.False(result.Destroyed);
        }

        [Fact]
        public void A_key_revoked_by_someone_else_after_planning_is_still_destroyed()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-RACE2");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var plan = removal.Plan("BPK-RACE2").Single();
            keys.Set(id, KeyState.Deactivated);
            var result = removal.Remove(plan, out var failure);
            Assert.Null(failure);
            Assert.False(result.Revoked);
            Assert.True(result.Destroyed);
            Assert.Null(keys.StateOf(id));
        }

        [Fact]
        public void A_refusal_of_the_server_is_a_per_key_failure_and_the_key_stays()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-STUCK");
            keys.BeforeChange = op => { if (op == "Destroy") keys.Set(id, KeyState.Active); }; // the server re-activates it
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var result = removal.Remove(removal.Plan("BPK-STUCK").Single(), out var failure);
            Assert.Equal(ErrorIds.KeyOperationFailed, failure?.ErrorId);
            Assert.Equal(ErrorIds.KeyOperationFailed, result.Error);
            Assert.True(result.Revoked);
            Assert.False(result.Destroyed);
            Assert.Equal(KeyState.Active, keys.StateOf(id));
        }

        [Fact]
        public void A_key_manager_that_goes_away_stops_everything_and_the_attempt_is_audited()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            keys.Add("BPK-DOWN");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains, lab.A);
            var plan = removal.Plan("BPK-DOWN").Single();
            keys.Down = new BackPakException(ErrorIds.KeyManagerUnreachable, BackPakErrorCategory.ConnectionError, "gone", "fake", "reconnect", stopsInvocation: true);
            var e = Assert.Throws<BackPakException>(() => removal.Remove(plan, out _));
            Assert.Equal(ErrorIds.KeyManagerUnreachable, e.ErrorId);
            Assert.Contains(lab.AuditResults(@"\A"), r => r.Contains("|Failed|") && r.Contains("BPK-DOWN"));
        }

        [Fact]
        public void Without_any_domain_no_key_can_be_checked_so_nothing_is_removed()
        {
            var e = Assert.Throws<BackPakException>(() => new KeyRemoval(new FakeKeyManager(), TestLab.KeyManagerId, new IBackPakDomain[0]));
            Assert.Equal(ErrorIds.NoDomainConnected, e.ErrorId);
            Assert.True(e.StopsInvocation);
        }

        [Fact]
        public void Every_removal_refusal_and_absence_is_audited_once_and_a_dry_run_is_not()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var referenced = lab.Volume(lab.A, "DS02").MediaKeyName!;
            keys.Add(referenced);
            keys.Add("BPK-AUDIT-1");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains, lab.A);

            foreach (var p in removal.Plan(referenced)) removal.Remove(p, out _, record: false);
            Assert.Empty(lab.AuditResults(@"\A"));

            foreach (var name in new[] { referenced, "BPK-AUDIT-1", "BPK-AUDIT-ABSENT" })
                foreach (var p in removal.Plan(name)) removal.Remove(p, out _);

            var audit = lab.AuditResults(@"\A");
            Assert.Equal(3, audit.Length);
            Assert.StartsWith("Remove-BPEncryptionKey|Refused|", audit[0]);
            Assert.StartsWith("Remove-BPEncryptionKey|Destroyed|encryption key 'BPK-AUDIT-1' (unique id 2) on fake:5696", audit[1]);
            Assert.Contains("revoked (CessationOfOperation)", audit[1]);
            Assert.StartsWith("Remove-BPEncryptionKey|AlreadyAbsent|", audit[2]);
            Assert.Empty(lab.AuditResults(@"\B"));
        }

        [Fact]
        public void A_key_manager_that_batches_gets_revoke_and_destroy_in_one_exchange()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-BATCH");
            var removal = new KeyRemoval(new FakeBatchKeyManager(keys), TestLab.KeyManagerId, lab.Domains);
            var result = removal.Remove(removal.Plan("BPK-BATCH").Single(), out var failure);
            Assert.Null(failure);
            Assert.Equal(new[] { "Batch " + id }, keys.Calls.Where(c => c.StartsWith("Batch")));
            Assert.Equal(new[] { $"Revoke {id} CessationOfOperation", $"Destroy {id}" }, keys.Changes);
            Assert.True(result.Revoked && result.Destroyed);
        }

        [Fact]
        public void A_batch_whose_revoke_fails_because_someone_revoked_meanwhile_still_destroys_the_key()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-BATCH2");
            var removal = new KeyRemoval(new FakeBatchKeyManager(keys), TestLab.KeyManagerId, lab.Domains);
            var plan = removal.Plan("BPK-BATCH2").Single();
            keys.Set(id, KeyState.Deactivated);
            var result = removal.Remove(plan, out var failure);
            Assert.Null(failure);
            Assert.True(result.Destroyed);
            Assert.Null(keys.StateOf(id));
        }

        [Fact]
        public void A_batch_the_server_refuses_leaves_an_active_key_active_and_is_a_per_key_failure()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var id = keys.Add("BPK-BATCH3");
            keys.BeforeChange = op => { if (op == "Revoke") keys.Set(id, KeyState.PreActive); }; // revoke will be refused
            var removal = new KeyRemoval(new FakeBatchKeyManager(keys), TestLab.KeyManagerId, lab.Domains);
            var plan = removal.Plan("BPK-BATCH3").Single();
            keys.BeforeChange = op => { if (op == "Revoke") throw new BackPakException(ErrorIds.KeyOperationFailed, BackPakErrorCategory.InvalidOperation, "refused", id, "none"); };
            var result = removal.Remove(plan, out var failure);
            Assert.Equal(ErrorIds.KeyOperationFailed, failure?.ErrorId);
            Assert.False(result.Destroyed);
            Assert.Equal(KeyState.Active, keys.StateOf(id));
        }

        [Fact]
        public void Several_names_are_planned_in_two_exchanges_with_a_batching_key_manager_and_in_order()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            var referenced = lab.Volume(lab.A, "DS02").MediaKeyName!;
            keys.Add("BPK-M1");
            keys.Add(referenced);
            keys.Add("BPK-M3", KeyState.Deactivated);
            keys.Add("BPK-M3"); // two keys of one name: two plans
            var removal = new KeyRemoval(new FakeBatchKeyManager(keys), TestLab.KeyManagerId, lab.Domains);
            var plans = removal.Plan(new[] { "BPK-M1", "BPK-ABSENT", referenced, "BPK-M3" });
            Assert.Equal(new[] { "BPK-M1", "BPK-ABSENT", referenced, "BPK-M3", "BPK-M3" }, plans.Select(p => p.Name));
            Assert.Equal(new[] { false, true, false, false, false }, plans.Select(p => p.AlreadyAbsent));
            Assert.Equal(new[] { false, false, true, false, false }, plans.Select(p => p.IsReferenced));
            Assert.Equal(new[] { "LocateMany 4", "GetMany 4" }, keys.Calls.Where(c => c.Contains("Many")));
            Assert.Empty(keys.Changes);
        }
    }
}
