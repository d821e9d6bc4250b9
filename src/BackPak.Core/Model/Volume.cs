using System;

namespace BackPak.Core.Model
{
    /// <summary>A virtual tape volume in the BackPak catalog (Volume Detail page) [BB p174/172, p178/176].</summary>
    public sealed class Volume
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public Volume(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        /// <summary>Six-character label, unique in the enterprise (R1).</summary>
        public string Label { get; init; } = "";
        public string DataStore { get; init; } = "";
        public string VolumeGroup { get; init; } = "";
        /// <summary>Node whose domain catalog holds this entry.</summary>
        public string Node { get; init; } = "";
        public DomainAccess DomainAccess { get; init; }
        /// <summary>Status of the volume in DSM/TC or TMF ("Volume Status in Catalog"); an open set of values (Q8).</summary>
        public string CatalogStatus { get; init; } = "";
        /// <summary>Guardian node owner.</summary>
        public string OwnerNode { get; init; } = "";
        /// <summary>Guardian user id owner, group.user.</summary>
        public string OwnerUser { get; init; } = "";
        /// <summary>Authorized access Read/Write/Control as the GUI shows it, e.g. <c>GGO</c> or <c>G.O</c>.</summary>
        public string Authorization { get; init; } = "";
        /// <summary>Volume timestamp: the last load for output (the last backup).</summary>
        public DateTime? LastBackup { get; init; }
        /// <summary>When the data on the volume expires; a volume with non-expired data cannot be deleted (R13).</summary>
        public DateTime? Expiration { get; init; }
        /// <summary>Whether the expiration has passed, by the domain's clock when the volume was read.</summary>
        public bool IsExpired { get; init; }
        /// <summary>Current operation (e.g. <c>LOAD</c>, <c>MATERIALIZE</c>); null is &lt;none&gt;. It locks the volume (R22).</summary>
        public string? CurrentOperation { get; init; }
        /// <summary>For a LOAD: <c>OUTPUT</c> (a backup writing the volume) or <c>INPUT</c> (a restore).</summary>
        public string? CurrentOperationMode { get; init; }
        /// <summary>Media Key Name of the volume's encryption key, null when the volume is not encrypted [TEO p10].</summary>
        public string? MediaKeyName { get; init; }
        /// <summary>
        /// The Volume Lock of the Volume Detail page: a manual lock, so that no tape application updates the data
        /// [BB p174/172]. It is not the current operation: a volume with one is busy (VolumeBusy), not locked.
        /// </summary>
        public bool Locked { get; init; }

        /// <summary>A current operation is in flight (a backup, a restore, a materialize, a removal): it blocks every other operation (R22).</summary>
        public bool IsBusy => CurrentOperation != null;
        public DateTime? LastUpdate { get; init; }

        public bool IsEncrypted => MediaKeyName != null;

        /// <summary>A backup is running: the volume is loaded for output.</summary>
        public bool IsBackupRunning =>
            string.Equals(CurrentOperation, "LOAD", StringComparison.OrdinalIgnoreCase)
            && string.Equals(CurrentOperationMode, "OUTPUT", StringComparison.OrdinalIgnoreCase);

        /// <summary>A read is in flight: the volume is loaded for input (a restore) or being materialized.</summary>
        public bool IsRestoreRunning =>
            string.Equals(CurrentOperation, "MATERIALIZE", StringComparison.OrdinalIgnoreCase)
            || (string.Equals(CurrentOperation, "LOAD", StringComparison.OrdinalIgnoreCase)
                && string.Equals(CurrentOperationMode, "INPUT", StringComparison.OrdinalIgnoreCase));

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => Label;
    }
}
