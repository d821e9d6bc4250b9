using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.Core.Keys
{
    /// <summary>What removing one key would do, read before anything changes (the -WhatIf and prompt text come from it).</summary>
    public sealed class KeyRemovalPlan
    {
        internal KeyRemovalPlan(string name, EncryptionKey? key, long referencingVolumes, IReadOnlyList<KeyReference> sample,
            IReadOnlyList<string> domains, string keyManager, string? keyManagerId)
        {
            Name = name;
            Key = key;
            ReferencingVolumes = referencingVolumes;
            ReferencingVolumeSample = sample;
            Domains = domains;
            KeyManager = keyManager;
            KeyManagerId = keyManagerId;
        }

        public string Name { get; }
        /// <summary>The key as read from the key manager; null when no key has that name.</summary>
        public EncryptionKey? Key { get; }
        public long ReferencingVolumes { get; }
        public IReadOnlyList<KeyReference> ReferencingVolumeSample { get; }
        /// <summary>Nodes of the domains whose catalogs were checked.</summary>
        public IReadOnlyList<string> Domains { get; }
        public string KeyManager { get; }
        /// <summary>The BackPak id of the key manager connection (the Key Manager definition of its domains).</summary>
        public string? KeyManagerId { get; }

        /// <summary>The key server has no such key, or only a destroyed one.</summary>
        public bool AlreadyAbsent => Key == null || Key.IsDestroyed;
        public bool IsReferenced => ReferencingVolumes > 0;
        /// <summary>Absent from the key server although catalogued volumes use it: they cannot be read.</summary>
        public bool MissingOnServer => AlreadyAbsent && IsReferenced;
        public bool WillRevoke => Key != null && Key.State == KeyState.Active;

        /// <summary>The key, its unique id, where it lives and how many volumes use it: the ShouldProcess target.</summary>
        public string Target =>
            $"encryption key '{Name}' (unique id {Key?.UniqueId ?? "none"}, {Key?.State.ToString() ?? "absent"}) on {KeyManager} (Key Manager {KeyManagerId}), " +
            $"referenced by {ReferencingVolumes} catalogued volume{(ReferencingVolumes == 1 ? "" : "s")} of the connected domain{(Domains.Count == 1 ? "" : "s")} {string.Join(", ", Domains)}";

        public string Describe(KeyRevocationReason reason) =>
            WillRevoke ? $"Revoke ({reason}) and destroy; its volumes can never be read again" : "Destroy; its volumes can never be read again";
    }

    /// <summary>
    /// Removes encryption keys safely, the same way for every key manager: refuse everything unless every domain that
    /// could use the key manager's keys is connected (<see cref="KeyManagerScope"/>); locate the key by Media Key Name,
    /// read its state, refuse while any catalogued volume of any connected domain still uses it, by its catalog entry
    /// or its storage image (R14, R15: keys live as long as the data), revoke it when Active, destroy it. A key already
    /// gone is a result, not an error; one gone although volumes use it is a warning (MissingOnServer).
    /// </summary>
    public sealed class KeyRemoval
    {
        public const string AuditAction = Audit.AuditActions.RemoveEncryptionKey;

        private readonly IKeyManager _keys;
        private readonly IReadOnlyList<IDomainReader> _domains;
        private readonly IAuditSink? _audit;
        private readonly KeyReferences _references;
        private IKeyLookup? _lookup;

        /// <param name="keys">The key manager holding the keys.</param>
        /// <param name="keyManagerId">The BackPak id the key manager was connected with: the Key Manager definition it serves.</param>
        /// <param name="domains">Every connected domain; at least one, and both sides of every replicated store of the domains that define the id.</param>
        /// <param name="audit">Where each removal is recorded; null records nothing.</param>
        /// <exception cref="BackPakException">NoDomainConnected, KeyManagerIdUnknown or KeyDomainsNotConnected (terminating): nothing is removed.</exception>
        public KeyRemoval(IKeyManager keys, string? keyManagerId, IReadOnlyList<IDomainReader> domains, IAuditSink? audit = null)
        {
            _keys = keys ?? throw new ArgumentNullException(nameof(keys));
            _domains = domains ?? throw new ArgumentNullException(nameof(domains));
            if (_domains.Count == 0)
                throw new BackPakException(ErrorIds.NoDomainConnected, BackPakErrorCategory.ResourceUnavailable,
                    "No BackPak domain is connected, so no catalog can say whether a key is still in use; no key is removed.",
                    "default domain", $"Connect every domain whose volumes may use the keys: {ConnectAdvice.Command(null, null, "\\A")}.",
                    stopsInvocation: true);
            Scope = KeyManagerScope.Of(keyManagerId, keys.Endpoint, _domains);
            if (Scope.Refusal != null) throw Scope.Refusal;
            _references = new KeyReferences(_domains);
            _audit = audit;
        }

        /// <summary>The domains the key manager serves; every one that could use its keys is connected.</summary>
        public KeyManagerScope Scope { get; }

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

            // One lookup for the whole invocation: it may keep what it read (the key list of a small server) for the next names.
            IReadOnlyList<IReadOnlyList<EncryptionKey>> found = _keys is IKeyManagerBatch batch
                ? (_lookup ??= batch.BeginLookup()).Find(mediaKeyNames)
                : mediaKeyNames.Select(n => KeyReferences.Find(_keys, n)).ToList();

            var plans = new List<KeyRemovalPlan>();
            for (int i = 0; i < mediaKeyNames.Count; i++)
            {
                var name = mediaKeyNames[i];
                long count = _references.Count(name);
                var sample = count > 0 ? _references.List(name, 5) : new KeyReference[0];
                if (found[i].Count == 0)
                    plans.Add(new KeyRemovalPlan(name, null, count, sample, nodes, _keys.Endpoint, Scope.KeyManagerId));
                else
                    plans.AddRange(found[i].Select(k => new KeyRemovalPlan(name, k, count, sample, nodes, _keys.Endpoint, Scope.KeyManagerId)));
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
            long references = plan.ReferencingVolumes;
            var sample = plan.ReferencingVolumeSample;
            if (record)
            {
                // Counted again: volumes may have been catalogued since the plan was read (and the prompt answered).
                references = _references.Count(plan.Name);
                if (references > 0 && sample.Count == 0) sample = _references.List(plan.Name, 5);
            }

            if (plan.AlreadyAbsent)
            {
                if (references == 0)
                    return Recorded(plan, record, Result(plan, KeyRemovalStatus.AlreadyAbsent, alreadyAbsent: true, references: 0, sample: sample),
                        plan.Key == null ? "no key of that name" : "already " + plan.Key.State);
                // Not done: the volumes that use it can no longer be read from this key manager.
                string warning = $"Encryption key '{plan.Name}' is not on the key server {plan.KeyManager}" +
                    (plan.Key != null ? $" (unique id {plan.Key.UniqueId} is {plan.Key.State})" : "") +
                    $", but {references} catalogued volume{(references == 1 ? "" : "s")} use{(references == 1 ? "s" : "")} it " +
                    $"({string.Join(", ", sample)}{(references > sample.Count ? ", ..." : "")}): they cannot be read with this key manager. " +
                    $"Check that it is the key server these volumes' domains use (Key Manager {plan.KeyManagerId}), or restore the key from the key server's backup.";
                return Recorded(plan, record, Result(plan, KeyRemovalStatus.MissingOnServer, references: references, sample: sample, warning: warning), warning);
            }

            var key = plan.Key!;
            if (references > 0)
            {
                failure = new BackPakException(ErrorIds.KeyStillReferenced, BackPakErrorCategory.InvalidOperation,
                    $"Encryption key '{plan.Name}' (unique id {key.UniqueId}) is not removed: {references} catalogued volume{(references == 1 ? "" : "s")} " +
                    $"still use{(references == 1 ? "s" : "")} it ({string.Join(", ", sample)}{(references > sample.Count ? ", ..." : "")}). " +
                    "Deleting it would make them unreadable forever.",
                    plan.Name, "Delete the volumes first (the manual's order: volumes, volume groups and data store, then keys); -Force does not override this.");
                var refused = Result(plan, KeyRemovalStatus.Refused, references: references, sample: sample, failure: failure);
                return Recorded(plan, record, refused, failure.Message);
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
                var failed = Result(plan, KeyRemovalStatus.Failed, revoked: revoked, references: 0, failure: e);
                Recorded(plan, true, failed, (revoked ? "revoked (" + Reason + "), then " : "") + e.Message);
                if (e.StopsInvocation) throw;
                failure = e;
                return failed;
            }
            var done = Result(plan, absent ? KeyRemovalStatus.AlreadyAbsent : KeyRemovalStatus.Destroyed,
                revoked: revoked, destroyed: destroyed, alreadyAbsent: absent, references: 0);
            return Recorded(plan, true, done,
                $"state {key.State}; " + (revoked ? "revoked (" + Reason + "); " : "") + (destroyed ? "destroyed" : "gone meanwhile") +
                $"; no volume of {string.Join(", ", plan.Domains)} uses it");
        }

        private KeyRemovalResult Result(KeyRemovalPlan plan, KeyRemovalStatus status, bool revoked = false, bool destroyed = false, bool alreadyAbsent = false,
            long? references = null, IReadOnlyList<KeyReference>? sample = null, BackPakException? failure = null, string? warning = null) => new KeyRemovalResult
            {
                Name = plan.Name,
                Status = status,
                Warning = warning,
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

        /// <summary>Records the result in the audit log (its Status is the outcome) unless it is a dry run.</summary>
        private KeyRemovalResult Recorded(KeyRemovalPlan plan, bool record, KeyRemovalResult result, string detail)
        {
            if (record && _audit != null)
                _audit.Audit(new Audit.AuditEntry
                {
                    Kind = result.Status == KeyRemovalStatus.Refused ? Model.AuditKind.Refusal : Model.AuditKind.Change,
                    Action = AuditAction, Target = $"encryption key '{plan.Name}' (unique id {plan.Key?.UniqueId ?? "none"}) on {plan.KeyManager}",
                    Result = result.Status.ToString(), ErrorId = result.Error, Detail = detail, User = Environment.UserName,
                });
            return result;
        }
    }
}
