using BackPak.Core.Errors;
using BackPak.Core.Model;

namespace BackPak.Core.Sync
{
    /// <summary>Actions on a data store that its domain access and status allow or reject (CS Figure 3, R7, R12).</summary>
    public enum StoreAction
    {
        VolumeCreation,
        LoadForOutput,
        LoadForInput,
        /// <summary>An export started by the operator (GUI or cmdlet).</summary>
        ManualExport,
        /// <summary>An export the domain starts by itself after a backup, or an EMS Extractor retry.</summary>
        AutomaticExport,
        /// <summary>An import started by the operator (GUI, cmdlet or BB027 macro); imports are never automatic (R11).</summary>
        Import,
    }

    /// <summary>The action matrix of the manual, in one place for every provider.</summary>
    public static class ActionMatrix
    {
        /// <summary>Why the action is rejected on this store, or null when it is allowed.</summary>
        public static BackPakException? Rejection(string dataStore, string node, DomainAccess access, DataStoreStatus status, StoreAction action)
        {
            bool allowed = access switch
            {
                DomainAccess.Primary => action != StoreAction.Import,
                DomainAccess.Secondary => action == StoreAction.LoadForInput || action == StoreAction.Import,
                DomainAccess.Restricted => action == StoreAction.LoadForInput || action == StoreAction.VolumeCreation,
                _ => false,
            };
            if (!allowed)
                return new BackPakException(ErrorIds.ActionNotAllowed, BackPakErrorCategory.InvalidOperation,
                    $"{Describe(action)} is rejected on data store {dataStore} on {node}: its domain access is {access.ToString().ToUpperInvariant()} (R7).",
                    dataStore, access == DomainAccess.Secondary
                        ? "Exports, backups and volume creation run on the PRIMARY side; a SECONDARY store imports."
                        : "Imports run on the SECONDARY side; a PRIMARY store exports.");
            // INACTIVE: no loads and no automatic actions; operator-started export and import still work (R12).
            if (status == DataStoreStatus.Inactive && (action == StoreAction.LoadForOutput || action == StoreAction.LoadForInput || action == StoreAction.AutomaticExport || action == StoreAction.VolumeCreation))
                return new BackPakException(ErrorIds.ActionNotAllowed, BackPakErrorCategory.InvalidOperation,
                    $"{Describe(action)} is rejected on data store {dataStore} on {node}: the store is INACTIVE (R12).",
                    dataStore, "Set the store ACTIVE (Set-BPDataStore -Status Active); operator-started exports and imports work while it is INACTIVE.");
            return null;
        }

        private static string Describe(StoreAction a) => a switch
        {
            StoreAction.VolumeCreation => "Volume creation",
            StoreAction.LoadForOutput => "A load for output (backup)",
            StoreAction.LoadForInput => "A load for input (restore)",
            StoreAction.ManualExport => "Catalog export",
            StoreAction.AutomaticExport => "An automatic catalog export",
            _ => "Catalog import",
        };
    }
}
