using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Sync
{
    /// <summary>Actions on a data store that its domain access and status allow or reject (CS Figure 3, R7, R12).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
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
                    $"{Describe(action)} is rejected on data store {dataStore} on {node}: its domain access is {access.ToString().ToUpperInvariant()} (CS p14).",
                    dataStore, access == DomainAccess.Secondary
                        ? "Exports, backups and volume creation run on the PRIMARY side; a SECONDARY store imports."
                        : "Imports run on the SECONDARY side; a PRIMARY store exports.");
            // INACTIVE: no loads and no automatic actions; operator-started export and import still work (R12).
            if (status == DataStoreStatus.Inactive && (action == StoreAction.LoadForOutput || action == StoreAction.LoadForInput || action == StoreAction.AutomaticExport || action == StoreAction.VolumeCreation))
                return new BackPakException(ErrorIds.ActionNotAllowed, BackPakErrorCategory.InvalidOperation,
                    $"{Describe(action)} is rejected on data store {dataStore} on {node}: the store is INACTIVE (CS p14).",
                    dataStore, "Set the store ACTIVE (Set-BPDataStore -Status Active); operator-started exports and imports work while it is INACTIVE.");
            return null;
        }

        /// <summary>
        /// Why a store may not leave PRIMARY now, or null: a backup running on one of its volumes would write a store
        /// that no longer takes backups. The volumes are named so the operator knows what to wait for.
        /// </summary>
        public static BackPakException? AccessChangeRefusal(string dataStore, string node, DomainAccess from, DomainAccess to, IReadOnlyCollection<string> runningBackups)
        {
            if (from != DomainAccess.Primary || to == DomainAccess.Primary || runningBackups.Count == 0) return null;
            return new BackPakException(ErrorIds.BackupsRunning, BackPakErrorCategory.ResourceBusy,
                $"Data store {dataStore} on {node} cannot become {to.ToString().ToUpperInvariant()} while backups write {runningBackups.Count} of its volumes: " +
                $"{string.Join(", ", runningBackups.Take(10))}{(runningBackups.Count > 10 ? ", ..." : "")}. A {to.ToString().ToUpperInvariant()} store takes no backup.",
                dataStore, "Wait for these backups to end (Get-BPVolume -DataStore " + dataStore + " | Where-Object IsBackupRunning), then change the domain access.");
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
