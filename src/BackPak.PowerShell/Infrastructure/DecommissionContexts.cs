using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The decommission cmdlets' one place for what a run works with beyond its two domains: the capabilities it needs of
    /// their providers, the run journal of their estate, the storage replication that can delete replicas, the connected
    /// key managers of the store's Key Manager, and every connected domain of the estate (key removal asks them all).
    /// </summary>
    internal static class DecommissionContexts
    {
        /// <summary>
        /// The domain as a provider that can carry out (or check) a whole decommission: every domain capability and a run
        /// journal, and with <paramref name="bothSides"/> the site reads of staging area and storage; CapabilityMissing otherwise.
        /// </summary>
        public static IBackPakDomain Full(IDomainReader d, string forWhat, bool bothSides) =>
            bothSides ? Capabilities.RequireFull(d, forWhat, typeof(IRunJournalSource), typeof(IDecommissionSite))
                      : Capabilities.RequireFull(d, forWhat, typeof(IRunJournalSource));

        /// <summary>A domain its provider cannot change but can journal a run for: its decommission is the operator's, guided.</summary>
        public static bool Guided(IDomainReader d) => !(d is IVolumeRemover && d is IStoreRemover) && d is IRunJournalSource;

        public static IRunJournalStore Journal(IDomainReader d) => Capabilities.Require<IRunJournalSource>(d, "a journaled decommission").RunJournal;

        /// <summary>The unfinished decommission run of a store in the estate of <paramref name="d"/>, or null (also for a provider with no journal).</summary>
        public static string? UnfinishedRun(IDomainReader d, string dataStore) =>
            d is IRunJournalSource source ? DataStoreDecommission.UnfinishedRun(source.RunJournal, dataStore) : null;

        /// <summary>The connections open in the session whose Key Manager id one of the domains defines.</summary>
        public static IReadOnlyList<KeyManagerConnection> KeyManagers(params IDomainReader?[] domains)
        {
            var ids = new HashSet<string>(domains.OfType<IKeyFacts>().SelectMany(d => d.GetKeyManagerIds()), StringComparer.OrdinalIgnoreCase);
            return KeyManagerSessions.All.Where(k => k.IsOpen && k.BackPakId != null && ids.Contains(k.BackPakId)).ToList();
        }

        /// <summary>Every open connection of the estate of <paramref name="d"/> (its lab or site).</summary>
        public static IReadOnlyList<IDomainReader> EstateDomains(IDomainReader d) =>
            DomainSessions.All.Where(c => c.IsOpen && c.Location == d.Location).Select(c => c.Domain).ToList();

        /// <summary>How the storage link registered in this session for the store of the estate of <paramref name="d"/> is named, or null.</summary>
        public static string? RegisteredStorageLink(IDomainReader d, string dataStore) =>
            ReplicationLinkRegistry.Find(d.Location, dataStore, ReplicationLinkKind.Storage)?.Description;

        public static DecommissionContext Build(IDomainReader primary, DomainConnection? secondary, string dataStore, string? secondaryStore,
            VolumeRemovalOptions options, bool destroyKeys, DecommissionKeep keep, CancellationToken cancel,
            Action<VolumeRemovalResult>? onVolume = null, Action<KeyRemovalResult>? onKey = null)
        {
            if (secondary != null)
            {
                DomainSessions.RequireOpen(secondary);
                if (secondary.Location != primary.Location)
                    throw new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument,
                        $"-Secondary {secondary.Node} is in {secondary.Location} and the store is on {primary.Node} of {primary.Location}: the two sides of a replicated store are of one estate.",
                        secondary, "Give the domain of the same lab that holds the SECONDARY copy (Get-BPDomain lists the connections).", stopsInvocation: true);
            }
            const string what = "the decommission of a data store with everything in it";
            var p = Full(primary, what, secondary != null);
            var s = secondary != null ? Full(secondary.Domain, what, true) : null;
            // A storage link the operator registered for the store overrides the provider's, as for the switch: the
            // replicas are then not deleted through the provider's link but left to the operator (the run waits).
            string? registered = secondary != null ? RegisteredStorageLink(primary, dataStore) : null;
            return new DecommissionContext
            {
                DataStore = dataStore, Primary = p, Secondary = s, SecondaryDataStore = secondaryStore,
                Options = options, DestroyKeys = destroyKeys, Keep = keep,
                KeyManagers = KeyManagers(primary, secondary?.Domain), KeyDomains = EstateDomains(primary),
                Replicas = secondary != null && registered == null ? (primary as IReplicationLinkSource)?.ReplicationLink("STORAGE", dataStore) as IReplicaCleanup : null,
                RegisteredStorageLink = registered,
                Journal = Journal(primary), Cancel = cancel, User = options.User, OnVolume = onVolume, OnKey = onKey,
            };
        }
    }
}
