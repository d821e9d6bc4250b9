using System;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Removal
{
    /// <summary>How one of the three parts of a volume deletion ended [CS p41].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum PartOutcome
    {
        /// <summary>Not attempted: the volume was refused, or the run stopped before this part.</summary>
        NotAttempted = 0,
        Removed,
        /// <summary>Already gone when the removal came to it (a re-run after an interruption, or another run).</summary>
        AlreadyAbsent,
        /// <summary>This part does not exist for the volume (e.g. storage of a SECONDARY store).</summary>
        NotApplicable,
        Failed,
    }

    [JsonConverter(typeof(StringEnumConverter))]

    public enum RemovalStatus
    {
        Unknown = 0,
        Removed,
        /// <summary>Nothing of the volume was left: it counts as done.</summary>
        AlreadyAbsent,
        /// <summary>A rule refused the removal (non-expired data, current operation); nothing was changed.</summary>
        Refused,
        Failed,
    }

    /// <summary>What a volume removal would take away, or refuses to: the plan behind the confirmation prompt.</summary>
    public sealed class VolumeRemovalPlan
    {
        public Volume Volume { get; init; } = null!;
        public bool RemovesStorage { get; init; }
        public CatalogKind TapeCatalog { get; init; }
        public int StorageFiles { get; init; }
        public int CatalogEntries { get; init; }
        /// <summary>Why the volume may not be removed, or null.</summary>
        public BackPakException? Refusal { get; init; }
    }

    /// <summary>The outcome of removing one volume, part by part.</summary>
    public sealed class VolumeRemovalResult
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public VolumeRemovalResult(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string Label { get; init; } = "";
        public string Node { get; init; } = "";
        public string DataStore { get; init; } = "";
        public string VolumeGroup { get; init; } = "";
        public DomainAccess DomainAccess { get; init; }
        public RemovalStatus Status { get; init; }
        public PartOutcome Storage { get; init; }
        public PartOutcome TapeCatalog { get; init; }
        public PartOutcome BackPakCatalog { get; init; }
        public int StorageFilesRemoved { get; init; }
        public int CatalogEntriesRemoved { get; init; }
        /// <summary>The removal run that did the work (its intent journal records carry it).</summary>
        public string RunId { get; init; } = "";
        /// <summary>The operation (one command) that made this removal: its audit records carry the same id.</summary>
        public string? OperationId { get; init; } = Audit.Operation.CurrentId;
        /// <summary>True when this run finished a removal that an interrupted run had started.</summary>
        public bool Resumed { get; init; }
        /// <summary>The error of a refused or failed removal.</summary>
        public BackPakException? Error { get; init; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => Label + " " + Status;
    }

    public sealed class VolumeRemovalOptions
    {
        /// <summary>Delete volumes that still hold non-expired data (R13 is the manual's rule; this overrides it).</summary>
        public bool IgnoreRetention { get; init; }
        /// <summary>Who asks, for the audit record.</summary>
        public string User { get; init; } = Environment.UserName;
        /// <summary>Progress callback: volumes done so far.</summary>
        public Action<int>? Progress { get; init; }
    }

    /// <summary>
    /// The rules of a volume deletion, in one place for every provider: which parts exist for a volume, and when a
    /// deletion is refused.
    /// </summary>
    public static class VolumeRemovalRules
    {
        /// <summary>The current operation a provider sets on a volume while it deletes it (inferred: the lock of R22).</summary>
        public const string DeleteOperation = "DELETE";

        /// <summary>
        /// PRIMARY: storage, DSM/TC or TMF entries, BackPak entry [CS p41]. SECONDARY: the catalog entries only,
        /// because a SECONDARY store never writes storage [CS p14] (inferred), and only DSM/TC, since TMF entries are
        /// not replicated (Q7, inferred). RESTRICTED: the BackPak entry only; DSM/TC, TMF and storage belong to the
        /// owning domain [BB p34/32] (inferred).
        /// </summary>
        public static (bool Storage, CatalogKind TapeCatalog) Parts(DomainAccess access, CatalogKind groupCatalog) => access switch
        {
            DomainAccess.Primary => (true, groupCatalog),
            DomainAccess.Secondary => (false, groupCatalog == CatalogKind.DsmTc ? CatalogKind.DsmTc : CatalogKind.None),
            _ => (false, CatalogKind.None),
        };

        /// <summary>
        /// Why this volume may not be deleted now, or null. Nothing is changed by asking. <paramref name="ownClaim"/>:
        /// the volume is claimed by the interrupted removal this one takes over, so its DELETE operation is not
        /// another operation; every other rule is judged as it stands now, not as it stood at the claim.
        /// </summary>
        public static BackPakException? Refusal(Volume v, DateTime now, VolumeRemovalOptions options, bool ownClaim = false)
        {
            if (v.CurrentOperation != null && !(ownClaim && string.Equals(v.CurrentOperation, DeleteOperation, StringComparison.OrdinalIgnoreCase)))
            {
                bool deleting = string.Equals(v.CurrentOperation, DeleteOperation, StringComparison.OrdinalIgnoreCase);
                return new BackPakException(ErrorIds.VolumeBusy, BackPakErrorCategory.ResourceBusy,
                    deleting
                        ? $"Volume {v.Label} on {v.Node} is being removed by another run."
                        : $"Volume {v.Label} on {v.Node} is busy: its current operation ({(v.CurrentOperation + " " + v.CurrentOperationMode).Trim()}) blocks every other operation on it until it ends (BackPak manual, Volume Detail page, Current Operation).",
                    v.Label,
                    deleting
                        ? "Wait for the other run to finish; if it was interrupted, running the removal again completes it."
                        : "Wait for the operation to end (Get-BPVolume shows its CurrentOperation). If its end was lost, reset it in the BackPak GUI (Volume Detail, Reset).");
            }
            if (!options.IgnoreRetention && v.Expiration.HasValue && v.Expiration.Value > now)
                return new BackPakException(ErrorIds.VolumeNotExpired, BackPakErrorCategory.InvalidOperation,
                    $"Volume {v.Label} on {v.Node} holds data that expires on {v.Expiration.Value:yyyy-MM-dd HH:mm} UTC; BackPak refuses to delete it.",
                    v.Label,
                    "Wait until it expires, or add -IgnoreRetention to delete it anyway (its data is lost).");
            return null;
        }
    }
}
