using System;
using System.Collections.Generic;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using BackPak.Core.Sync;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// One BackPak domain on one NonStop node, as a provider reaches it. BackPak's Domain Manager (BBSV) has no
    /// public API, so the embedded lab and any real-site connector implement this contract; cmdlets and
    /// procedures speak only to it.
    /// </summary>
    public interface IBackPakDomain : IDisposable
    {
        /// <summary>NonStop node, e.g. <c>\A</c>.</summary>
        string Node { get; }
        /// <summary>Domain id as the UI window title shows it.</summary>
        string DomainId { get; }
        /// <summary>Which provider serves this domain, e.g. <c>Lab</c>.</summary>
        string Provider { get; }
        /// <summary>Where the provider reaches the domain (a lab folder, a domain address).</summary>
        string Location { get; }

        /// <summary>
        /// Provider, location and node together: which domain this is among every connection of a session. The
        /// provider stamps it (this very instance) on every object it returns.
        /// </summary>
        DomainIdentity Identity { get; }

        /// <summary>The domain's clock: expiration is judged against it.</summary>
        DateTime Now { get; }

        /// <summary>Data stores, optionally by exact name (case-insensitive).</summary>
        IReadOnlyList<DataStore> GetDataStores(string? name = null);

        /// <summary>Volume groups, optionally of one data store and/or by exact name.</summary>
        IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null);

        /// <summary>Volumes matching the query, in label order, streamed from the store.</summary>
        IEnumerable<Volume> GetVolumes(VolumeQuery query);

        /// <summary>How many volumes match the query (for progress and summaries), counted in the store.</summary>
        long CountVolumes(VolumeQuery query);

        /// <summary>The DSM/TC or TMF entries of one volume held in this node's catalogs.</summary>
        IEnumerable<CatalogEntry> GetCatalogEntries(string label);

        /// <summary>
        /// What removing these volumes would take away (storage files, catalog entries) and which the rules refuse
        /// (<see cref="VolumeRemovalRules"/>). Changes nothing. Counting the files and entries costs a look at every
        /// one of them: a caller that shows no prompt passes <paramref name="countParts"/> false and gets zeros.
        /// </summary>
        IReadOnlyList<VolumeRemovalPlan> PlanVolumeRemoval(IReadOnlyList<Volume> volumes, VolumeRemovalOptions options, bool countParts = true);

        /// <summary>
        /// Removes volumes: storage, DSM/TC or TMF entries, then the BackPak entry [CS p41], through an intent
        /// journal so that a run killed at any point is completed by asking again; a removal an interrupted run left
        /// half done is taken over. Streams one result per label, in batches. The rules are checked again at the
        /// moment each volume is claimed; a label already gone is AlreadyAbsent.
        /// </summary>
        IEnumerable<VolumeRemovalResult> RemoveVolumes(IReadOnlyList<string> labels, VolumeRemovalOptions options);

        /// <summary>
        /// Labels of the store's volumes claimed by a removal that has not finished (running, or interrupted and
        /// waiting to be taken over). Serialized with removal claims: a claim made before this call is seen by it.
        /// </summary>
        IReadOnlyList<string> GetRemovalsInProgress(string dataStore);

        /// <summary>Removes an empty volume group; refuses (VolumeGroupNotEmpty) while it has volumes.</summary>
        void RemoveVolumeGroup(string name, string user);

        /// <summary>Removes a data store that has no volumes and no volume groups left (DataStoreNotEmpty otherwise).</summary>
        void RemoveDataStore(string name, string user);

        /// <summary>
        /// Appends an audit record (never put a secret in it), stamped for the current operation
        /// (<see cref="Audit.Operation.StampCurrent"/>): its Start record first when it is the operation's first here.
        /// </summary>
        void Audit(Audit.AuditEntry entry);

        /// <summary>The Export Status page of a data store. Runs the domain's due background work first.</summary>
        ExportStatus GetExportStatus(string dataStore);

        /// <summary>What a SECONDARY store knows of its imports.</summary>
        ImportStatus GetImportStatus(string dataStore);

        /// <summary>
        /// An operator-started export (GUI "export" or the NetBatch macro): FULL writes every volume of the store to
        /// the staging area; UPDATE sends the pending volumes now. Runs to its end; refused while another export or
        /// import of the store runs (R8), while export is suspended, or on a store that is not PRIMARY (R7).
        /// </summary>
        SyncRun StartExport(string dataStore, SyncType type, string user);

        /// <summary>An operator-started import on a SECONDARY store (R11: imports are never automatic).</summary>
        SyncRun StartImport(string dataStore, SyncType type, bool catalogFiles, string user);

        /// <summary>Suspends ("stop all catalog export activities") or resumes the exports of a store. Pending updates are kept.</summary>
        void SetExportSuspended(string dataStore, bool suspended, string user);

        /// <summary>
        /// The domain's own background work that is due: export updates raised by backups and EMS Extractor retries
        /// at the export check delay. Returns the number of volumes exported.
        /// </summary>
        int RunDueWork();

        /// <summary>Changes data store settings (domain access, status, export and import settings).</summary>
        DataStore SetDataStore(string name, DataStoreSettings settings, string user);

        /// <summary>The DSM/TC system search list the node belongs to (R2: primary and secondary must not share one).</summary>
        string? DsmTcSearchList { get; }

        /// <summary>BackPak ids of the Key Managers defined in the domain (R15: the same id on both sides).</summary>
        IReadOnlyList<string> GetKeyManagerIds();

        /// <summary>
        /// The other side of each replicated data store of this domain: the node holding a PRIMARY store's SECONDARY
        /// copy, or a SECONDARY store's PRIMARY [CS p6]. Stores that are not replicated are not listed. Key removal uses
        /// it to refuse while a catalog that may still need a key is not connected.
        /// </summary>
        IReadOnlyList<ReplicationPartner> GetReplicationPartners();

        /// <summary>
        /// The Media Key Name in the storage image of each catalogued volume of this domain whose image names one (the
        /// store's storage; for a SECONDARY store, the replica it reads). A backup can write a new key into an image
        /// before the catalog names it, so key removal counts these as uses too. Reads every image of the domain: ask
        /// once per operation, never once per key.
        /// </summary>
        IReadOnlyList<VolumeImageKey> GetVolumeImageKeys();

        /// <summary>Free space where a staging area (a Guardian subvolume on one of the nodes) would live, or null if unknown.</summary>
        long? GetStagingFreeBytes(string stagingArea);

        /// <summary>Why an import into this store would be refused by its target catalogs (R6, R4), or null.</summary>
        Errors.BackPakException? CheckImportTargets(string dataStore);

        /// <summary>
        /// Every audit record, newest first, or only those of one operation; actions under their current names
        /// (<see cref="Audit.AuditActions.Current"/>). <see cref="Audit.AuditTrail.Find"/> selects among them.
        /// </summary>
        IEnumerable<AuditRecord> GetAuditRecords(string? operationId = null);
    }
}
