using System;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Providers;
using Xunit;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>
    /// Key removal destroys only when every domain that could use the key has been asked: the key manager is tied to
    /// the domains whose Key Manager definition has its BackPak id, both sides of their replicated stores must be
    /// connected, storage images count as uses, and a key the server lacks while volumes use it is not "done".
    /// </summary>
    public class KeyRemovalScopeTests
    {
        [Fact]
        public void A_key_manager_connected_without_a_backpak_id_destroys_nothing_and_says_how_to_give_it()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            keys.Add("BPK-ORPHAN");
            var e = Assert.Throws<BackPakException>(() => new KeyRemoval(keys, null, lab.Domains));
            Assert.Equal(ErrorIds.KeyManagerIdUnknown, e.ErrorId);
            Assert.True(e.StopsInvocation);
            Assert.Contains("-BackPakId KM01", e.RecommendedAction);
            Assert.Contains(@"\A defines KM01", e.Message);
            Assert.Empty(keys.Calls);
        }

        [Fact]
        public void A_backpak_id_no_connected_domain_defines_destroys_nothing()
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            keys.Add("BPK-ORPHAN");
            var e = Assert.Throws<BackPakException>(() => new KeyRemoval(keys, "KM99", lab.Domains));
            Assert.Equal(ErrorIds.KeyManagerIdUnknown, e.ErrorId);
            Assert.Contains("'KM99'", e.Message);
            Assert.Empty(keys.Calls);
        }

        [Theory]
        [InlineData(@"\A", @"\B")]
        [InlineData(@"\B", @"\A")]
        public void One_side_of_a_replicated_store_alone_destroys_nothing_and_the_missing_node_is_named(string connected, string missing)
        {
            using var lab = new TestLab();
            var keys = new FakeKeyManager();
            keys.Add("BPK-UNUSED-HERE"); // no volume of the connected side uses it, which proves nothing about the other
            var only = new IBackPakDomain[] { connected == @"\A" ? lab.A : lab.B };
            var e = Assert.Throws<BackPakException>(() => new KeyRemoval(keys, TestLab.KeyManagerId, only));
            Assert.Equal(ErrorIds.KeyDomainsNotConnected, e.ErrorId);
            Assert.True(e.StopsInvocation);
            Assert.Equal(missing, e.Target);
            Assert.Contains("DS01", e.Message);
            Assert.Contains($"node {missing} is not connected", e.Message);
            Assert.Contains($"-Node '{missing}'", e.RecommendedAction);
            Assert.Contains(lab.Root, e.RecommendedAction);
            Assert.Empty(keys.Calls);
        }

        [Fact]
        public void Both_sides_connected_tie_the_key_manager_to_both_domains()
        {
            using var lab = new TestLab();
            var removal = new KeyRemoval(new FakeKeyManager(), "km01", lab.Domains); // ids compare without case
            Assert.Equal(new[] { @"\A", @"\B" }, removal.Scope.ServedNodes);
            Assert.Empty(removal.Scope.MissingSides);
        }

        [Fact]
        public void A_key_volumes_use_that_the_server_lacks_is_missing_on_the_server_with_a_warning_not_already_absent()
        {
            using var lab = new TestLab();
            var v = lab.Volume(lab.A, "DS01"); // catalogued on \A and \B
            var keys = new FakeKeyManager(); // holds no key of that name
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains, lab.A);
            var plan = Assert.Single(removal.Plan(v.MediaKeyName!));
            Assert.True(plan.MissingOnServer);

            var result = removal.Remove(plan, out var failure);
            Assert.Null(failure);
            Assert.Equal(KeyRemovalStatus.MissingOnServer, result.Status);
            Assert.False(result.AlreadyAbsent);
            Assert.False(result.Destroyed);
            Assert.Equal(2, result.ReferencingVolumes);
            Assert.NotNull(result.Warning);
            Assert.Contains("cannot be read", result.Warning);
            Assert.Contains(@"\A " + v.Label, result.Warning);
            Assert.Contains(@"\B " + v.Label, result.Warning);
            Assert.StartsWith("Remove-BPEncryptionKey|MissingOnServer|", Assert.Single(lab.AuditResults(@"\A")));
            Assert.Empty(keys.Changes);
        }

        [Fact]
        public void A_destroyed_key_volumes_still_use_is_missing_on_the_server_too()
        {
            using var lab = new TestLab();
            var v = lab.Volume(lab.A, "DS02");
            var keys = new FakeKeyManager();
            keys.Add(v.MediaKeyName!, KeyState.Destroyed);
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var result = removal.Remove(removal.Plan(v.MediaKeyName!).Single(), out _);
            Assert.Equal(KeyRemovalStatus.MissingOnServer, result.Status);
            Assert.Contains("is Destroyed", result.Warning);
        }

        [Fact]
        public void Every_outcome_has_its_status()
        {
            using var lab = new TestLab();
            var used = lab.Volume(lab.A, "DS02").MediaKeyName!;
            var keys = new FakeKeyManager();
            keys.Add(used);
            keys.Add("BPK-FREE");
            var stuck = keys.Add("BPK-STUCK", KeyState.Deactivated);
            keys.BeforeChange = op =>
            {
                if (keys.Calls.Last() == "Destroy " + stuck)
                    throw new BackPakException(ErrorIds.KeyOperationFailed, BackPakErrorCategory.InvalidOperation, "refused", stuck, "none");
            };
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var status = new[] { used, "BPK-FREE", "BPK-NEVER", "BPK-STUCK" }
                .Select(n => removal.Remove(removal.Plan(n).Single(), out _).Status).ToArray();
            Assert.Equal(new[] { KeyRemovalStatus.Refused, KeyRemovalStatus.Destroyed, KeyRemovalStatus.AlreadyAbsent, KeyRemovalStatus.Failed }, status);
        }

        [Fact]
        public void A_key_named_only_in_a_volume_s_storage_image_is_refused()
        {
            using var lab = new TestLab();
            // A backup writes a new key into the image; then an older catalog entry comes back on both nodes
            // (what an import of an export taken before the backup does during a switch).
            var v = lab.Volume(lab.A, "DS01");
            var written = Assert.Single(lab.A.RunBackups("DS01", 1, new[] { v.Label }, "test"));
            lab.SetVolumeKey(@"\A", v.Label, v.MediaKeyName);
            lab.SetVolumeKey(@"\B", v.Label, v.MediaKeyName);
            var keys = new FakeKeyManager();
            var newer = keys.Add(written.MediaKeyName!);

            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var plan = Assert.Single(removal.Plan(written.MediaKeyName!));
            Assert.Equal(2, plan.ReferencingVolumes); // the image at site A (\A) and its replica at site B (\B)
            Assert.All(plan.ReferencingVolumeSample, r => Assert.Equal(KeyReferenceSource.StorageImage, r.Source));
            var result = removal.Remove(plan, out var failure);
            Assert.Equal(ErrorIds.KeyStillReferenced, failure?.ErrorId);
            Assert.Contains($@"\A {v.Label} (its storage image)", failure!.Message);
            Assert.Equal(KeyRemovalStatus.Refused, result.Status);
            Assert.Equal(KeyState.Active, keys.StateOf(newer));
            Assert.Empty(keys.Changes);
        }

        [Fact]
        public void Storage_images_are_read_once_per_removal_not_once_per_key()
        {
            using var lab = new TestLab();
            var v = lab.Volume(lab.A, "DS02");
            var keys = new FakeKeyManager();
            keys.Add("BPK-IMAGE-ONLY");
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            Assert.False(Assert.Single(removal.Plan("BPK-IMAGE-ONLY")).IsReferenced); // the images are read here

            // An image changed after that is not seen by this removal (it read them once), but by the next one.
            var image = Path.Combine(lab.Root, "sites", "SITEA", "storage", "DS02", "LB" + v.Label + ".IND");
            File.WriteAllText(image, File.ReadAllText(image).Replace("MEDIAKEYNAME=" + v.MediaKeyName, "MEDIAKEYNAME=BPK-IMAGE-ONLY"));
            Assert.False(Assert.Single(removal.Plan("BPK-IMAGE-ONLY")).IsReferenced);
            Assert.True(Assert.Single(new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains).Plan("BPK-IMAGE-ONLY")).IsReferenced);
        }
    }
}
