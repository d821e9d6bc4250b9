using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;
using BackPak.Core.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Procedures
{
    /// <summary>What one backup execution on the transport volume wrote: every file of the staging area, or the exports after its FULL.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum TransportBackupKind
    {
        /// <summary>The whole intermediate staging area: after each FULL export (CS p44).</summary>
        Full,
        /// <summary>Only the export files written after the FULL export: after the automatic exports of a backup window (CS p44).</summary>
        Partial,
    }

    /// <summary>Where the transport of a data store stands at one node.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum TransportState
    {
        /// <summary>The one-time registration at the secondary began and did not finish: run it again.</summary>
        Registering,
        /// <summary>Registered; nothing was written to (PRIMARY) or restored from (SECONDARY) the volume yet.</summary>
        Empty,
        /// <summary>PRIMARY: the staging area holds exports the volume does not carry yet: back it up.</summary>
        Behind,
        /// <summary>PRIMARY: the volume carries everything the staging area holds.</summary>
        Current,
        /// <summary>SECONDARY: no image newer than the last restore has arrived in this node's storage (and the last one is imported).</summary>
        Waiting,
        /// <summary>SECONDARY: a newer image has arrived: restore it into the staging area, then import.</summary>
        Arrived,
        /// <summary>SECONDARY: the last image that arrived is restored into the staging area.</summary>
        Restored,
    }

    /// <summary>The image one backup execution wrote on the transport volume, as its manifest records it.</summary>
    public sealed class TransportImage
    {
        public string Label { get; init; } = "";
        public TransportBackupKind Kind { get; init; }
        /// <summary>When the backup wrote it (UTC): the volume's timestamp.</summary>
        public DateTime Written { get; init; }
        /// <summary>The Store ID of the export files it carries.</summary>
        public string DataStore { get; init; } = "";
        /// <summary>The node that wrote it and the staging area it backed up.</summary>
        public string SourceNode { get; init; } = "";
        public string SourceStagingArea { get; init; } = "";
        /// <summary>The sequence of the FULL export it carries (a partial one: the FULL it follows).</summary>
        public long FullSeq { get; init; }
        /// <summary>The highest export sequence among its files.</summary>
        public long LastSeq { get; init; }
        public int Files { get; init; }
        public long Bytes { get; init; }
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2:yyyy-MM-dd HH:mm:ss}Z: {3} file(s), exports {4}..{5}",
            Kind.ToString().ToUpperInvariant(), Label, Written, Files, FullSeq, LastSeq);
    }

    /// <summary>What a staging area holds: the sequence of its FULL export (null when it has none) and the last of any file.</summary>
    public sealed class StagingContents
    {
        public string StagingArea { get; init; } = "";
        public long? FullSeq { get; init; }
        public long? LastSeq { get; init; }
        public int Files { get; init; }
    }

    /// <summary>What a provider knows of the transport of a store at its node.</summary>
    public sealed class TransportFacts
    {
        public string DataStore { get; init; } = "";
        public string Label { get; init; } = "";
        public string VolumeGroup { get; init; } = "";
        public DateTime Registered { get; init; }
        /// <summary>The one-time registration at a secondary began and did not finish.</summary>
        public bool RegistrationPending { get; init; }
        /// <summary>The volume is still in this node's BackPak catalog.</summary>
        public bool VolumeInCatalog { get; init; }
        /// <summary>PRIMARY: what the last backup on the volume wrote, or null.</summary>
        public TransportImage? LastBackup { get; init; }
        /// <summary>The image of the volume in this node's storage (replicated there at a secondary), or null.</summary>
        public TransportImage? Replica { get; init; }
        /// <summary>SECONDARY: the image last restored into the staging area, or null.</summary>
        public TransportImage? LastRestore { get; init; }
        /// <summary>SECONDARY: a restore began and did not write its last file.</summary>
        public bool RestorePending { get; init; }
        public StagingContents Staging { get; init; } = new StagingContents();
        /// <summary>SECONDARY: the export sequence the store's last successful import reached, or null when the provider cannot tell.</summary>
        public long? ImportedSeq { get; init; }
    }

    /// <summary>The transport volume of a data store at one node, as Get-BPTransportVolume shows it.</summary>
    public sealed class TransportVolume
    {
        public TransportVolume(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string DataStore { get; init; } = "";
        public string Node { get; init; } = "";
        public string Label { get; init; } = "";
        public string VolumeGroup { get; init; } = "";
        public DomainAccess DomainAccess { get; init; }
        public TransportState State { get; init; }
        /// <summary>The store's staging area at this node: the intermediate one at the PRIMARY, the regular one at the SECONDARY.</summary>
        public string StagingArea { get; init; } = "";
        public DateTime Registered { get; init; }
        public TransportImage? LastBackup { get; init; }
        public TransportImage? Replica { get; init; }
        public TransportImage? LastRestore { get; init; }
        /// <summary>SECONDARY: the import that the last restore calls for (FULL after a whole backup, UPDATE after a partial one), or null.</summary>
        public SyncType? ImportType { get; init; }
        /// <summary>What the operator does next, as a command.</summary>
        public string Next { get; init; } = "";
        /// <summary>The domain it was read from: piped into Backup- or Restore-BPStagingArea, it is acted on there.</summary>
        public DomainIdentity Origin { get; }
        public override string ToString() => $"{DataStore} {Label} at {Node}: {State}";
    }

    /// <summary>
    /// The rules of the transport without Expand (Appendix A, CS p44), for every provider: which side may register,
    /// back up and restore, and when; what each step needs. The provider carries out what is allowed here.
    /// </summary>
    public static class CatalogTransport
    {
        public const string Source = "CS p44";

        /// <summary>The registration this node's side does, in the operator's words (for -WhatIf and the confirmation).</summary>
        public static string RegistrationAction(DataStore store, string label, string volumeGroup) => store.DomainAccess == DomainAccess.Secondary
            ? $"Register transport volume {label}: change {store.Name} to RESTRICTED, create {label} in volume group {volumeGroup}, change {store.Name} back to SECONDARY ({Source})"
            : $"Create transport volume {label} in volume group {volumeGroup}, uncatalogued and never exported ({Source})";

        /// <summary>
        /// Checks a registration on the store's side and returns what is registered already when it is the same
        /// (registration is idempotent), or null when the provider is to carry it out.
        /// </summary>
        public static TransportFacts? CheckRegistration(IDomainReader domain, ICatalogTransport transport, DataStore store, string label, string volumeGroup)
        {
            label = Labels.Normalize(label);
            var existing = transport.GetTransport(store.Name);
            // A store has one transport volume; one removed from the catalog since may be replaced.
            if (existing != null && (existing.VolumeInCatalog || existing.RegistrationPending) && !string.Equals(existing.Label, label, StringComparison.OrdinalIgnoreCase))
                throw Refused(store, domain.Node, $"its transport volume is {existing.Label} already; a store has one",
                    $"Use {existing.Label} (Get-BPTransportVolume -DataStore {store.Name}).");
            if (existing != null && !existing.RegistrationPending && existing.VolumeInCatalog) return existing;
            bool resuming = existing != null && existing.RegistrationPending;
            if (resuming && store.DomainAccess != DomainAccess.Secondary && store.DomainAccess != DomainAccess.Restricted)
                throw Refused(store, domain.Node, $"the registration of {existing!.Label} began while the store was SECONDARY, and its domain access is {Access(store)} now",
                    "Find out who changed the store's domain access before finishing the registration.");
            if (!resuming)
            {
                if (store.DomainAccess == DomainAccess.Secondary)
                {
                    // The store goes RESTRICTED for the creation: nothing else may hold it meanwhile.
                    if (store.Status == DataStoreStatus.Inactive)
                        throw Refused(store, domain.Node, "it is INACTIVE, and no volume is created in an INACTIVE store (CS p14)", $"Set-BPDataStore -Name {store.Name} -Status Active first.");
                }
                else if (store.DomainAccess == DomainAccess.Primary)
                {
                    if (ActionMatrix.Rejection(store.Name, domain.Node, store.DomainAccess, store.Status, StoreAction.VolumeCreation) is { } rejected) throw rejected;
                }
                else
                    throw Refused(store, domain.Node, $"its domain access is {Access(store)}: the transport volume is created in the PRIMARY store and registered once in the SECONDARY one",
                        "Register it on the PRIMARY side first, then on the SECONDARY side.");
            }
            var group = domain.GetVolumeGroups(store.Name, volumeGroup).FirstOrDefault()
                ?? throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store {store.Name} on {domain.Node} has no volume group {volumeGroup}. Nothing was changed.", volumeGroup,
                    $"Get-BPVolumeGroup -DataStore {store.Name} lists them; the transport volume needs one linked to no catalog ({Source}).", stopsInvocation: true);
            if (group.CatalogKind != CatalogKind.None)
                throw Refused(store, domain.Node, $"volume group {group.Name} is linked to {(group.CatalogKind == CatalogKind.Tmf ? "TMF" : "DSM/TC")}; the transport volume must be uncatalogued, in a group linked to no catalog",
                    $"Name a volume group of {store.Name} linked to no catalog (Get-BPVolumeGroup -DataStore {store.Name}: CatalogKind None).");
            if (group.Encrypted)
                throw Refused(store, domain.Node, $"volume group {group.Name} encrypts its volumes; the secondary restores the transport volume before it has any key of the store's exports",
                    "Name a volume group that does not encrypt.");
            if (!resuming && domain.GetVolumes(new VolumeQuery { Labels = new[] { Labels.ParsePattern(label) } }).Any())
                throw Refused(store, domain.Node, $"label {label} is a volume of this domain already; the transport volume's label is reserved for it alone",
                    "Choose a label no domain uses (a label is unique in the enterprise).");
            return null;
        }

        /// <summary>Checks a backup on the transport volume: PRIMARY side, registered, what the staging area holds.</summary>
        public static TransportFacts CheckBackup(IDomainReader domain, ICatalogTransport transport, DataStore store, bool partial)
        {
            if (store.DomainAccess != DomainAccess.Primary)
                throw Refused(store, domain.Node, $"its domain access is {Access(store)}: the transport volume is written on the PRIMARY side",
                    "Back up the intermediate staging area on the node where the store is PRIMARY.");
            if (ActionMatrix.Rejection(store.Name, domain.Node, store.DomainAccess, store.Status, StoreAction.LoadForOutput) is { } rejected) throw rejected;
            var f = Registered(domain, transport, store);
            if (f.Staging.FullSeq == null)
                throw Refused(store, domain.Node, $"its staging area {f.Staging.StagingArea} holds no FULL export; the secondary could import nothing from it",
                    $"Start-BPCatalogExport -DataStore {store.Name} -Type Full, then back up the whole staging area.");
            if (partial)
            {
                if (f.LastBackup == null || f.LastBackup.FullSeq != f.Staging.FullSeq)
                    throw Refused(store, domain.Node, f.LastBackup == null
                            ? "nothing has been backed up on its transport volume yet; a partial backup carries only the exports after a FULL one the secondary has"
                            : $"a FULL export ({f.Staging.FullSeq}) was written after the last whole backup ({f.LastBackup.FullSeq}); after each FULL export the whole staging area is backed up",
                        $"Backup-BPStagingArea -DataStore {store.Name} (without -Partial).");
            }
            return f;
        }

        /// <summary>Checks a restore from the transport volume: SECONDARY side, registered, a newer image arrived, a partial one follows what was restored.</summary>
        public static TransportFacts CheckRestore(IDomainReader domain, ICatalogTransport transport, DataStore store, bool force)
        {
            if (store.DomainAccess != DomainAccess.Secondary)
                throw Refused(store, domain.Node, $"its domain access is {Access(store)}: the transport volume is restored on the SECONDARY side",
                    "Restore the staging area on the node where the store is SECONDARY.");
            if (ActionMatrix.Rejection(store.Name, domain.Node, store.DomainAccess, store.Status, StoreAction.LoadForInput) is { } rejected) throw rejected;
            var f = Registered(domain, transport, store);
            var image = f.Replica;
            if (image == null)
                throw new BackPakException(ErrorIds.TransportNotArrived, BackPakErrorCategory.ResourceUnavailable,
                    $"Transport volume {f.Label} of {store.Name} has no image in the storage of {domain.Node} yet: nothing was restored.", f.Label,
                    $"Wait for storage replication to carry it (Get-BPTransportVolume -DataStore {store.Name} shows when it arrives).");
            if (!string.Equals(image.DataStore, store.PrimaryStoreId, StringComparison.OrdinalIgnoreCase))
                throw Refused(store, domain.Node, $"the image on {f.Label} carries the exports of store {image.DataStore}, not of {store.PrimaryStoreId} (the store's primary Store ID)",
                    "Check which volume the primary side registered as this store's transport volume.");
            bool arrived = f.RestorePending || f.LastRestore == null || image.Written > f.LastRestore.Written;
            if (!arrived && !force)
                throw new BackPakException(ErrorIds.TransportNotArrived, BackPakErrorCategory.ResourceUnavailable,
                    $"No image of transport volume {f.Label} newer than the one restored at {f.LastRestore!.Written.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z has arrived on {domain.Node}: nothing was restored.", f.Label,
                    $"Wait for the next backup of the primary's staging area to arrive; -Force restores the same image again.");
            if (image.Kind == TransportBackupKind.Partial && (f.LastRestore == null || f.LastRestore.FullSeq != image.FullSeq))
                throw new BackPakException(ErrorIds.TransportIncomplete, BackPakErrorCategory.InvalidData,
                    $"The image on {f.Label} is a partial backup: it carries the exports after FULL export {image.FullSeq}, which was " +
                    (f.LastRestore == null ? "never restored here" : $"not restored here (the last restore carried FULL export {f.LastRestore.FullSeq})") +
                    ". Restoring it would leave the staging area without the exports between. Nothing was restored.", f.Label,
                    $"On the PRIMARY side back up the whole staging area (Backup-BPStagingArea -DataStore {store.Name}), then restore it here.");
            return f;
        }

        /// <summary>The transport of a store at its node in the operator's terms: the state, and what to do next.</summary>
        public static TransportVolume Describe(IDomainReader domain, DataStore store, TransportFacts f)
        {
            TransportState state;
            string next;
            SyncType? import = null;
            if (f.RegistrationPending)
            {
                state = TransportState.Registering;
                next = $"Register-BPTransportVolume -DataStore {store.Name} -Label {f.Label} -VolumeGroup {f.VolumeGroup}";
            }
            else if (store.DomainAccess == DomainAccess.Secondary)
            {
                var image = f.Replica;
                if (f.RestorePending || (image != null && (f.LastRestore == null || image.Written > f.LastRestore.Written)))
                {
                    state = TransportState.Arrived;
                    next = $"Restore-BPStagingArea -DataStore {store.Name}";
                }
                else if (f.LastRestore != null)
                {
                    import = f.LastRestore.Kind == TransportBackupKind.Full ? SyncType.Full : SyncType.Update;
                    // Imported already: nothing to do until the next image arrives.
                    bool imported = f.ImportedSeq is { } seq && seq >= f.LastRestore.LastSeq;
                    state = !imported && image != null && image.Written == f.LastRestore.Written ? TransportState.Restored : TransportState.Waiting;
                    next = state == TransportState.Restored ? $"Start-BPCatalogImport -DataStore {store.Name} -Type {import}"
                        : "Wait for the next backup of the primary's staging area to arrive.";
                }
                else
                {
                    state = TransportState.Empty;
                    next = "Wait for the first backup of the primary's staging area to arrive.";
                }
            }
            else
            {
                var b = f.LastBackup;
                if (b == null) state = TransportState.Empty;
                else state = f.Staging.LastSeq > b.LastSeq || f.Staging.FullSeq != b.FullSeq ? TransportState.Behind : TransportState.Current;
                next = state == TransportState.Current ? "Move or replicate the volume to the secondary, as the other volumes are."
                    : $"Backup-BPStagingArea -DataStore {store.Name}" + (b != null && f.Staging.FullSeq == b.FullSeq ? " -Partial" : "");
            }
            return new TransportVolume(domain.Identity)
            {
                DataStore = store.Name, Node = domain.Node, Label = f.Label, VolumeGroup = f.VolumeGroup, DomainAccess = store.DomainAccess,
                State = state, StagingArea = f.Staging.StagingArea, Registered = f.Registered, LastBackup = f.LastBackup, Replica = f.Replica,
                LastRestore = f.LastRestore, ImportType = import, Next = next,
            };
        }

        /// <summary>Registers the store's transport volume on this node's side (created at the PRIMARY, registered once at the SECONDARY).</summary>
        public static TransportVolume Register(IDomainReader domain, ICatalogTransport transport, string dataStore, string label, string volumeGroup, string user)
        {
            var store = Store(domain, dataStore);
            label = Labels.Normalize(label);
            volumeGroup = Names.NormalizeVolumeGroup(volumeGroup);
            if (CheckRegistration(domain, transport, store, label, volumeGroup) == null)
            {
                bool pending = transport.GetTransport(store.Name)?.RegistrationPending == true;
                if (store.DomainAccess == DomainAccess.Primary && !pending) transport.CreateTransportVolume(store.Name, label, volumeGroup, user);
                else transport.RegisterTransportVolume(store.Name, label, volumeGroup, user);
            }
            return Current(domain, transport, store.Name)!;
        }

        /// <summary>One backup execution on the transport volume of the intermediate staging area (the whole of it, or the exports after its FULL).</summary>
        public static TransportVolume BackUp(IDomainReader domain, ICatalogTransport transport, string dataStore, bool partial, string user)
        {
            var store = Store(domain, dataStore);
            CheckBackup(domain, transport, store, partial);
            transport.BackUpStagingArea(store.Name, partial, user);
            return Current(domain, transport, store.Name)!;
        }

        /// <summary>Restores the image that arrived on the transport volume into the staging area at the secondary, overwriting.</summary>
        public static TransportVolume Restore(IDomainReader domain, ICatalogTransport transport, string dataStore, bool force, string user)
        {
            var store = Store(domain, dataStore);
            CheckRestore(domain, transport, store, force);
            transport.RestoreStagingArea(store.Name, user);
            return Current(domain, transport, store.Name)!;
        }

        /// <summary>The store's transport volume at this node as it stands now, or null when none is registered.</summary>
        public static TransportVolume? Current(IDomainReader domain, ICatalogTransport transport, string dataStore)
        {
            var store = Store(domain, dataStore);
            var f = transport.GetTransport(store.Name);
            return f == null ? null : Describe(domain, store, f);
        }

        /// <summary>The store of that name at the domain's node, or DataStoreNotFound.</summary>
        public static DataStore Store(IDomainReader domain, string name) =>
            domain.GetDataStores(name).FirstOrDefault()
            ?? throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                $"The domain on {domain.Node} has no data store {name}.", name, "Get-BPDataStore lists the data stores of the domain.");

        /// <summary>The facts of a registered transport, or TransportVolumeNotFound / a refusal while the registration is unfinished.</summary>
        public static TransportFacts Registered(IDomainReader domain, ICatalogTransport transport, DataStore store)
        {
            var f = transport.GetTransport(store.Name) ?? throw NotRegistered(domain.Node, store.Name);
            if (f.RegistrationPending)
                throw Refused(store, domain.Node, $"the registration of transport volume {f.Label} began and did not finish",
                    $"Register-BPTransportVolume -DataStore {store.Name} -Label {f.Label} -VolumeGroup {f.VolumeGroup} finishes it.");
            if (!f.VolumeInCatalog)
                throw Refused(store, domain.Node, $"transport volume {f.Label} is no longer in the catalog of {domain.Node}",
                    "Register a transport volume again, with a new reserved label, on both sides.");
            return f;
        }

        /// <summary>TransportVolumeNotFound: no transport volume is registered for the store at the node.</summary>
        public static BackPakException NotRegistered(string node, string dataStore) =>
            new BackPakException(ErrorIds.TransportVolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Data store {dataStore} on {node} has no transport volume registered. Nothing was changed.", dataStore,
                $"Register-BPTransportVolume -DataStore {dataStore} -Label <reserved label> -VolumeGroup <group linked to no catalog> ({Source}).");

        private static string Access(DataStore s) => s.DomainAccess.ToString().ToUpperInvariant();

        private static BackPakException Refused(DataStore store, string node, string why, string fix) =>
            new BackPakException(ErrorIds.TransportRefused, BackPakErrorCategory.InvalidOperation,
                $"The transport step on data store {store.Name} on {node} was refused: {why}. Nothing was changed.", store.Name, fix);
    }
}
