using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// The one place that asks whether a connected provider can do something, and refuses before anything is done
    /// (CapabilityMissing) when it cannot, naming what is missing in the operator's words.
    /// </summary>
    public static class Capabilities
    {
        private static readonly (Type Type, string Name)[] Known =
        {
            (typeof(IVolumeRemover), "volume removal"),
            (typeof(IStoreRemover), "volume group and data store removal"),
            (typeof(ICatalogSync), "Catalog Sync (export and import)"),
            (typeof(IDataStoreSettings), "data store settings"),
            (typeof(ISwitchSite), "the site facts of the role switch (search list, staging space and naming, import targets)"),
            (typeof(IKeyFacts), "the key facts of key removal (Key Manager ids, replication partners, keys in storage images)"),
            (typeof(IAuditSink), "an audit trail"),
            (typeof(IRunJournalSource), "a run journal"),
            (typeof(IReplicationLinkSource), "replication links"),
            (typeof(IDecommissionSite), "the decommission's site reads (tape catalogs, storage, staging area)"),
            (typeof(IEstateSource), "the other nodes of its estate"),
            (typeof(IRecoverySite), "the recovery test's site reads (volume images in storage, the key server)"),
            (typeof(IRecoveryTestRecords), "a place for the records of recovery tests"),
            (typeof(ICatalogTransport), "the transport without Expand (a transport volume carrying the staging area's files)"),
        };

        /// <summary>Every capability contract besides reading, in the order Get-BPProvider lists them.</summary>
        public static IReadOnlyList<Type> KnownTypes => Known.Select(k => k.Type).ToList();

        /// <summary>How a capability is named in messages.</summary>
        public static string NameOf(Type capability) =>
            Known.FirstOrDefault(k => k.Type == capability).Name ?? capability.Name;

        /// <summary>The domain as <typeparamref name="T"/>, or CapabilityMissing naming what <paramref name="forWhat"/> needed.</summary>
        public static T Require<T>(IDomainReader domain, string forWhat) where T : class =>
            domain as T ?? throw Missing(domain, forWhat, typeof(T));

        /// <summary>The domain as a full provider (every domain capability), or CapabilityMissing naming each one missing.</summary>
        public static IBackPakDomain RequireFull(IDomainReader domain, string forWhat, params Type[] alsoNeeded)
        {
            var missing = typeof(IBackPakDomain).GetInterfaces().Where(i => i != typeof(IDomainReader) && i != typeof(IDisposable))
                .Concat(alsoNeeded).Where(t => !t.IsInstanceOfType(domain)).Distinct().ToArray();
            if (missing.Length > 0 || !(domain is IBackPakDomain full)) throw Missing(domain, forWhat, missing.Length > 0 ? missing : new[] { typeof(IBackPakDomain) });
            return full;
        }

        /// <summary>The CapabilityMissing error for a domain lacking these capabilities.</summary>
        public static BackPakException Missing(IDomainReader domain, string forWhat, params Type[] capabilities)
        {
            var names = capabilities.Select(NameOf).ToList();
            return new BackPakException(ErrorIds.CapabilityMissing, BackPakErrorCategory.NotImplemented,
                $"The {domain.Provider} provider of the domain on {domain.Node} cannot do {forWhat}: it does not offer {Join(names)}. Nothing was changed.",
                domain.Node, "Do it with the site's own tools, or connect the domain through a provider that offers it (Get-BPProvider lists them).",
                stopsInvocation: true);
        }

        private static string Join(IReadOnlyList<string> names) =>
            names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1];
    }
}
