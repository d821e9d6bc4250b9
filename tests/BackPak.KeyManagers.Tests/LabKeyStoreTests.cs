using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using Xunit;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>The lab key store follows a KMIP server's rules, and KeyRemoval works against it end to end.</summary>
    public class LabKeyStoreTests
    {
        [Fact]
        public void The_key_store_of_a_node_is_its_sites_and_holds_the_keys_of_its_volumes()
        {
            using var lab = new TestLab();
            Assert.Equal("lab:SITEA", lab.KeysA.Endpoint);
            Assert.Equal("KM01", lab.KeysA.BackPakId);
            var v = lab.Volume(lab.A, "DS02");
            var id = Assert.Single(lab.KeysA.Locate(v.MediaKeyName));
            var k = lab.KeysA.Get(id)!;
            Assert.Equal(v.MediaKeyName, k.Name);
            Assert.Equal(KeyState.Active, k.State);
            Assert.Equal("AES", k.Algorithm);
            Assert.Equal(256, k.Length);
            Assert.NotNull(k.Created);
            Assert.Null(lab.KeysA.Get("no-such-id"));
            Assert.Empty(lab.KeysA.Locate("BPK-NO-SUCH"));
            Assert.Contains(id, lab.KeysA.Locate(null));
            // DS03 lives at SITEB only.
            Assert.Empty(lab.KeysA.Locate(lab.Volume(lab.B, "DS03").MediaKeyName));
        }

        [Fact]
        public void An_active_key_cannot_be_destroyed_before_it_is_revoked()
        {
            using var lab = new TestLab();
            var id = lab.KeysA.Locate(lab.Volume(lab.A, "DS02").MediaKeyName).Single();
            var e = Assert.Throws<BackPakException>(() => lab.KeysA.Destroy(id));
            Assert.Equal(ErrorIds.KeyOperationFailed, e.ErrorId);
            Assert.Equal(KeyState.Active, lab.KeysA.Get(id)!.State);

            lab.KeysA.Revoke(id, KeyRevocationReason.CessationOfOperation);
            Assert.Equal(KeyState.Deactivated, lab.KeysA.Get(id)!.State);
            Assert.NotNull(lab.KeysA.Get(id)!.Deactivated);
            Assert.Equal(ErrorIds.KeyOperationFailed, Assert.Throws<BackPakException>(() => lab.KeysA.Revoke(id, KeyRevocationReason.Superseded)).ErrorId);

            lab.KeysA.Destroy(id);
            var k = lab.KeysA.Get(id)!;
            Assert.Equal(KeyState.Destroyed, k.State);
            Assert.True(k.IsDestroyed);
            Assert.NotNull(k.Destroyed);
            Assert.Equal(ErrorIds.KeyNotFound, Assert.Throws<BackPakException>(() => lab.KeysA.Destroy(id)).ErrorId);
        }

        [Fact]
        public void A_compromised_key_becomes_destroyed_compromised()
        {
            using var lab = new TestLab();
            var id = lab.KeysA.Locate(lab.Volume(lab.A, "DS02").MediaKeyName).Single();
            lab.KeysA.Revoke(id, KeyRevocationReason.KeyCompromise);
            Assert.Equal(KeyState.Compromised, lab.KeysA.Get(id)!.State);
            lab.KeysA.Destroy(id);
            Assert.Equal(KeyState.DestroyedCompromised, lab.KeysA.Get(id)!.State);
        }

        [Fact]
        public void Decommission_keys_of_deleted_volumes_are_revoked_and_destroyed_and_the_others_stay()
        {
            using var lab = new TestLab();
            var volumes = lab.A.GetVolumes(new Core.Providers.VolumeQuery { DataStore = "DS02", Encrypted = true }).ToList();
            Assert.True(volumes.Count >= 3);
            var gone = volumes.Take(2).ToList();
            var kept = volumes[2];
            foreach (var v in gone) lab.DeleteVolume(@"\A", v.Label);
            var removal = new KeyRemoval(lab.KeysA, TestLab.KeyManagerId, lab.Domains, lab.A);

            foreach (var v in gone.Concat(new[] { kept }))
                foreach (var plan in removal.Plan(v.MediaKeyName!))
                    removal.Remove(plan, out _);

            foreach (var v in gone)
            {
                var k = lab.KeysA.Get(lab.KeysA.Locate(v.MediaKeyName).Single())!;
                Assert.Equal(KeyState.Destroyed, k.State);
            }
            Assert.Equal(KeyState.Active, lab.KeysA.Get(lab.KeysA.Locate(kept.MediaKeyName).Single())!.State);

            // A second run finds them destroyed: already absent, nothing changes.
            var again = removal.Plan(gone[0].MediaKeyName!).Single();
            Assert.True(again.AlreadyAbsent);
            var r = removal.Remove(again, out var failure);
            Assert.Null(failure);
            Assert.True(r.AlreadyAbsent);
            Assert.Equal(KeyState.Destroyed, r.StateBefore);
            Assert.Equal(1, lab.Scalar("sites/SITEA/keys.db", $"SELECT COUNT(*) FROM key WHERE name = '{gone[0].MediaKeyName}'"));
        }
    }
}
