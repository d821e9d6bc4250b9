using BackPak.Core.Sync;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Catalog Sync of a domain's data stores: the Export Status page, the import side, operator-started exports and
    /// imports, and the suspension of exports. Which action a store's domain access and status allow is Core's
    /// <see cref="ActionMatrix"/>; the provider checks it with that same table.
    /// </summary>
    public interface ICatalogSync
    {
        /// <summary>The Export Status page of a data store. A provider may first run the domain's background work that is due.</summary>
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
    }
}
