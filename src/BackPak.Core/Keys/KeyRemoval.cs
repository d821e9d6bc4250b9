using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Providers;

namespace BackPak.Core.Keys
{
    /// <summary>What removing one key would do, read before anything changes (the -WhatIf and prompt text come from it).</summary>
    public sealed class KeyRemovalPlan
    {
        internal KeyRemovalPlan(string name, EncryptionKey? key, long referencingVolumes, IReadOnlyList<KeyReference> sample,
            IReadOnlyList<string> domains, string keyManager)
        {
            Name = name;
            Key = key;
            ReferencingVolumes = referencingVolumes;
            ReferencingVolumeSample = sample;
            Domains = domains;
            KeyManager = keyManager;
        }

        public string Name { get; }
        /// <summary>The key as read from the key manager; null when no key has that name.</summary>
        public EncryptionKey? Key { get; }
        public long ReferencingVolumes { get; }
        public IReadOnlyList<KeyReference> ReferencingVolumeSample { get; }
        /// <summary>Nodes of the domains whose catalogs were checked.</summary>
        public IReadOnlyList<string> Domains { get; }
        public string KeyManager { get; }

        public bool AlreadyAbsent => Key == null || Key.IsDestroyed;
        public bool IsReferenced => ReferencingVolumes > 0;
        public bool WillRevoke => Key != null && Key.State == KeyState.Active;

        /// <summary>The key, its unique id, where it lives and how many volumes use it: the ShouldProcess target.</summary>
        public string Target =>
            $"encryption key '{Name}' (unique id {Key?.UniqueId ?? "none"}, {Key?.State.ToString() ?? "absent"}) on {KeyManager}, " +
            $"referenced by {ReferencingVolumes} catalogued volume{(ReferencingVolumes == 1 ? "" : "s")} of the connected domain{(Domains.Count == 1 ? "" : "s")} {string.Join(", ", Domains)}";

        public string Describe(KeyRevocationReason reason) =>
            WillRevoke ? $"Revoke ({reason}) and destroy; its volumes can never be read again" : "Destroy; its volumes can never be read again";
    }

    /// <summary>
    /// Removes encryption keys safely, the same way for every key manager: locate the key by Media Key Name, read
    /// its state, refuse while any catalogued volume of any domain given still uses it (R14, R15: keys live as
    /// long as the data), revoke it when Active, destroy it. A key already gone is a result, not an error.
    /// </summary>
    public sealed class KeyRemoval
    {
        public const string AuditAction = "Remove-BPEncryptionKey";

        private readonly IKeyManager _keys;
        private readonly IReadOnlyList<IBackPakDomain> _domains;
        private readonly IBackPakDomain? _audit;

        /// <param name="keys">The key manager holding the keys.</param>
        /// <param name="domains">Every domain whose catalog may reference a key; at least one.</param>
        /// <param name="audit">Where each removal is recorded; null records nothing.</param>
        public KeyRemoval(IKeyManager keys, IReadOnlyList<IBackPakDomain> domains, IBackPakDomain? audit = null)
        {
            _keys = keys ?? throw new ArgumentNullException(nameof(keys));
            _domains = domains ?? throw new ArgumentNullException(nameof(domains));
            if (_domains.Count == 0)
                throw new BackPakException(ErrorIds.NoDomainConnected, BackPakErrorCategory.ResourceUnavailable,
                    "No BackPak domain is connected, so no catalog can say whether a key is still in use; no key is removed.",
                    "default domain", "Connect every domain whose volumes may use the keys: Connect-BPDomain -Lab <folder> -Node '\\A'.",
                    stopsInvocation: true);
            _audit = audit;
        }

        /// <summary>Revocation reason used for Active keys.</summary>
        public KeyRevocationReason Reason { get; set; } = KeyRevocationReason.CessationOfOperation;

        /// <summary>Locates the keys of a name and reads their state and references. Sends nothing that changes anything.</summary>
        public IReadOnlyList<KeyRemovalPlan> Plan(string mediaKeyName) => Plan(new[] { mediaKeyName });

        /// <summary>
        /// Plans several names at once, in their order. A key manager that batches is asked in two exchanges for the
        /// whole list (locate, then read the keys) instead of two per name. Sends nothing that changes anything.
        /// </summary>
        public IReadOnlyList<KeyRemovalPlan> Plan(IReadOnlyList<string> mediaKeyNames)
        {
            if (mediaKeyNames == null) throw new ArgumentNullException(nameof(mediaKeyNames));
            foreach (var name in mediaKeyNames)
                if (string.IsNullOrWhiteSpace(name))
                    throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                        "A Media Key Name cannot be empty.", name ?? "", "Give the Media Key Name of the key, as Get-BPVolume shows it.");
            var nodes = _domains.Select(d => d.Node).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();

            IReadOnlyList<IReadOnlyList<EncryptionKey>> found;
            if (_keys is IKeyManagerBatch batch && mediaKeyNames.Count > 1)
            {
                var ids = batch.LocateMany(mediaKeyNames);
                var keys = batch.GetMany(ids.SelectMany(x => x).ToList());
                var perName = new List<IReadOnlyList<EncryptionKey>>();
                int k = 0;
                foreach (var list in ids)
                {
                    var mine = new List<EncryptionKey>();
                    foreach (var _ in list)
                    {
                        var key = keys[k++];
                        if (key != null) mine.Add(key);
                    }
                    perName.Add(mine);
                }
                found = perName;
            }
            else
            {
                found = mediaKeyNames.Select(n => KeyReferences.Find(_keys, n)).ToList();
            }

            var plans = new List<KeyRemovalPlan>();
            for (int i = 0; i < mediaKeyNames.Count; i++)
            {
                var name = mediaKeyNames[i];
                long count = KeyReferences.Count(_domains, name);
                var sample = count > 0 ? KeyReferences.List(_domains, name, 5) : new KeyReference[0];
                if (found[i].Count == 0)
                    plans.Add(new KeyRemovalPlan(name, null, count, sample, nodes, _keys.Endpoint));
                else
                    plans.AddRange(found[i].Select(k => new KeyRemovalPlan(name, k, count, sample, nodes, _keys.Endpoint)));
            }
            return plans;
        }

        /// <summary>
        /// Carries out a plan: nothing for an absent key, a refusal for a referenced one (references are counted
        /// again first), else revoke when Active and destroy. A failure about this key comes back in
        /// <paramref name="failure"/> (and the result); a failure that stops everything (key manager gone) is thrown.
        /// </summary>
        /// <param name="record">False for a dry run (-WhatIf): no audit record, and only absent or referenced plans may be given.</param>
        public KeyRemovalResult Remove(KeyRemovalPlan plan, out BackPakException? failure, bool record = true)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            failure = null;
            if (plan.AlreadyAbsent)
                return Recorded(plan, record, Result(plan, alreadyAbsent: true), "AlreadyAbsent",
                    plan.Key == null ? "no key of that name" : "already " + plan.Key.State);

            var key = plan.Key!;
            long references = plan.ReferencingVolumes;
            var sample = plan.ReferencingVolumeSample;
            if (record)
            {
                // Counted again: volumes may have been catalogued since the plan was read (and the prompt answered).
                references = KeyReferences.Count(_domains, plan.Name);
                if (references > 0 && sample.Count == 0) sample = KeyReferences.List(_domains, plan.Name, 5);
            }
            if (references > 0)
            {
                failure = new BackPakException(ErrorIds.KeyStillReferenced, BackPakErrorCategory.InvalidOperation,
                    $"Encryption key '{plan.Name}' (unique id {key.UniqueId}) is not removed: {references} catalogued volume{(references == 1 ? "" : "s")} " +
                    $"still use{(references == 1 ? "s" : "")} it ({string.Join(", ", sample)}{(references > sample.Count ? ", ..." : "")}). " +
                    "Deleting it would make them unreadable forever.",
                    plan.Name, "Delete the volumes first (the manual's order: volumes, volume groups and data store, then keys); -Force does not override this.");
                var refused = Result(plan, references: references, sample: sample, failure: failure);
                return Recorded(plan, record, refused, "Refused", failure.Message);
            }
            if (!record)
                throw new InvalidOperationException("A dry run cannot remove a key.");

            bool revoked = false, destroyed = false, absent = false;
            try
            {
                if (key.State == KeyState.Active && _keys is IKeyManagerBatch batch)
                {
                    try
                    {
                        batch.RevokeAndDestroy(key.UniqueId, Reason);
                        revoked = destroyed = true;
                    }
                    catch (BackPakException e) when (!e.StopsInvocation && (e.ErrorId == ErrorIds.KeyOperationFailed || e.ErrorId == ErrorIds.KeyNotFound))
                    {
                        // Which step failed, and did the key change meanwhile? The server's state says.
                        var now = _keys.Get(key.UniqueId);
                        if (now == null || now.IsDestroyed) absent = true;
                        else if (now.State == KeyState.Active) throw;
                        else
                        {
                            revoked = true;
                            _keys.Destroy(key.UniqueId);
                            destroyed = true;
                        }
                    }
                }
                else
                {
                    if (key.State == KeyState.Active)
                    {
                        try
                        {
                            _keys.Revoke(key.UniqueId, Reason);
                            revoked = true;
                        }
                        catch (BackPakException e) when (!e.StopsInvocation && e.ErrorId == ErrorIds.KeyOperationFailed)
                        {
                            // Changed since it was read (revoked by someone else)? Then go on; else it is a real failure.
                            var now = _keys.Get(key.UniqueId);
                            if (now == null || now.IsDestroyed) absent = true;
                            else if (now.State == KeyState.Active) throw;
                        }
                    }
                    if (!absent)
                    {
                        _keys.Destroy(key.UniqueId);
                        destroyed = true;
                    }
                }
            }
            catch (BackPakException e) when (e.ErrorId == ErrorIds.KeyNotFound)
            {
                absent = true; // destroyed by someone else between the plan and now: the goal is reached
            }
            catch (BackPakException e)
            {
                var failed = Result(plan, revoked: revoked, failure: e);
                Recorded(plan, true, failed, "Failed", (revoked ? "revoked (" + Reason + "), then " : "") + e.Message);
                if (e.StopsInvocation) throw;
                failure = e;
                return failed;
            }
            var done = Result(plan, revoked: revoked, destroyed: destroyed, alreadyAbsent: absent);
            return Recorded(plan, true, done, absent ? "AlreadyAbsent" : "Destroyed",
                $"state {key.State}; " + (revoked ? "revoked (" + Reason + "); " : "") + (destroyed ? "destroyed" : "gone meanwhile") +
                $"; no volume of {string.Join(", ", plan.Domains)} uses it");
        }

        private KeyRemovalResult Result(KeyRemovalPlan plan, bool revoked = false, bool destroyed = false, bool alreadyAbsent = false,
            long? references = null, IReadOnlyList<KeyReference>? sample = null, BackPakException? failure = null) => new KeyRemovalResult
            {
                Name = plan.Name,
                UniqueId = plan.Key?.UniqueId,
                KeyManager = plan.KeyManager,
                StateBefore = plan.Key?.State,
                Revoked = revoked,
                RevocationReason = revoked ? Reason : (KeyRevocationReason?)null,
                Destroyed = destroyed,
                AlreadyAbsent = alreadyAbsent,
                ReferencingVolumes = references ?? plan.ReferencingVolumes,
                ReferencingVolumeSample = sample ?? plan.ReferencingVolumeSample,
                Error = failure?.ErrorId,
                ErrorMessage = failure?.Message,
            };

        private KeyRemovalResult Recorded(KeyRemovalPlan plan, bool record, KeyRemovalResult result, string outcome, string detail)
        {
            if (record && _audit != null)
                _audit.Audit(AuditAction, $"encryption key '{plan.Name}' (unique id {plan.Key?.UniqueId ?? "none"}) on {plan.KeyManager}",
                    outcome, detail, Environment.UserName);
            return result;
        }
    }
}
