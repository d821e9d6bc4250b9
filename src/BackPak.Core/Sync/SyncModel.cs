using System;
using System.Collections.Generic;
using BackPak.Core.Model;
using BackPak.Core.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Sync
{
    /// <summary>FULL: every volume of the store. UPDATE: what was not yet sent, or arrived since the last import [CS p15].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum SyncType
    {
        Unknown = 0,
        Full,
        Update,
    }

    /// <summary>The state of an export or import run. Open set: a state this module does not know reads as Unknown.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum SyncResult
    {
        Unknown = 0,
        Running,
        Completed,
        /// <summary>The run ended with errors; for an export, the volumes stay pending and are retried.</summary>
        Failed,
    }

    /// <summary>Whether catalog export is going on for a data store.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ExportState
    {
        Unknown = 0,
        /// <summary>Exports run as volumes change (PRIMARY store, not suspended).</summary>
        Active,
        /// <summary>Suspend-BPCatalogExport: no new export starts; pending updates are kept.</summary>
        Suspended,
        /// <summary>The store is not PRIMARY: it does not export (R7).</summary>
        NotPrimary,
    }

    /// <summary>Why a volume is waiting to be exported [CS p16].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ExportReason
    {
        Unknown = 0,
        /// <summary>A volume written by a tape application was unloaded.</summary>
        Unload,
        /// <summary>A volume was created in the domain.</summary>
        Creation,
        /// <summary>A DSM/TC volume status changed (OBB017 or an interactive function).</summary>
        StatusChange,
        /// <summary>Started by hand.</summary>
        Manual,
    }

    /// <summary>One export or import run.</summary>
    public sealed class SyncRun
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public SyncRun(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public long Id { get; init; }
        public string DataStore { get; init; } = "";
        public string Node { get; init; } = "";
        /// <summary>Export or Import.</summary>
        public string Direction { get; init; } = "";
        public SyncType Type { get; init; }
        public DateTime Started { get; init; }
        public DateTime? Ended { get; init; }
        public SyncResult Result { get; init; }
        public string ResultText { get; init; } = "";
        public int Volumes { get; init; }
        public long Entries { get; init; }
        /// <summary>Import: labels that failed (the next UPDATE redoes all volumes, R10). Export: labels not sent.</summary>
        public IReadOnlyList<string> FailedVolumes { get; init; } = new string[0];
        /// <summary>Import: BackPak entries deleted (only a FULL import deletes, R9).</summary>
        public int Deleted { get; init; }
        public string? Error { get; init; }
        /// <summary>How long it took, as text (<c>[d.]hh:mm:ss[.fff]</c>), or null while it runs; a TimeSpan would spread into 15 fields in JSON.</summary>
        public string? Duration => Durations.Text(Ended.HasValue ? Ended.Value - Started : (TimeSpan?)null);
        public double? DurationSeconds => Durations.Seconds(Ended.HasValue ? Ended.Value - Started : (TimeSpan?)null);

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => $"{Direction} {Type} {DataStore} {Result}";
    }

    /// <summary>A volume waiting to be exported.</summary>
    public sealed class PendingExport
    {
        public string Label { get; init; } = "";
        public ExportReason Reason { get; init; }
        public DateTime Raised { get; init; }
        public int RetryCount { get; init; }
        public string? LastError { get; init; }
        public DateTime NextRetry { get; init; }
        public override string ToString() => Label;
    }

    /// <summary>The Export Status page of one data store (its real columns are not in the recovered manual: inferred).</summary>
    public sealed class ExportStatus
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public ExportStatus(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string DataStore { get; init; } = "";
        public string Node { get; init; } = "";
        public ExportState State { get; init; }
        /// <summary>The store's suspension flag itself, whatever its domain access (State shows NotPrimary first).</summary>
        public bool Suspended { get; init; }
        public bool Running { get; init; }
        /// <summary>Guardian location of the staging area, e.g. <c>\B.$BPSTAGE.DS01</c>.</summary>
        public string? StagingArea { get; init; }
        public bool StagingReachable { get; init; }
        /// <summary>Why the staging area cannot be reached now (read with the status, not from an earlier attempt), or null.</summary>
        public string? StagingProblem { get; init; }
        /// <summary>The store is INACTIVE: automatic exports and their retries stop; an operator-started export still runs (R12).</summary>
        public bool Inactive { get; init; }
        public SyncRun? LastFullExport { get; init; }
        public SyncRun? LastUpdate { get; init; }
        public IReadOnlyList<PendingExport> Pending { get; init; } = new PendingExport[0];
        public int PendingCount => Pending.Count;
        public DateTime? NewestBackup { get; init; }
        public DateTime? NewestExport { get; init; }
        /// <summary>
        /// How far the staging area trails the store: the age of the oldest update not yet in the staging area (zero
        /// when none is pending, null for a store that does not export). Held updates count: a suspended store with
        /// updates pending lags more every second.
        /// </summary>
        public double? LagSeconds { get; init; }
        /// <summary><see cref="LagSeconds"/> as text (<c>[d.]hh:mm:ss[.fff]</c>). Durations are a number of seconds and its text, so JSON reads them.</summary>
        public string? Lag => Durations.Text(LagSeconds);
        /// <summary>How often the EMS Extractor retries pending updates [CS p20], in seconds.</summary>
        public double ExportCheckDelaySeconds { get; init; }
        public string ExportCheckDelay => Durations.Text(ExportCheckDelaySeconds)!;
        /// <summary>Seconds after the last FULL export at which an update becomes a FULL one, or null when not set [CS p20].</summary>
        public double? FullExportFrequencySeconds { get; init; }
        public string? FullExportFrequency => Durations.Text(FullExportFrequencySeconds);

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }
    }

    /// <summary>What a secondary store knows of its imports.</summary>
    public sealed class ImportStatus
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public ImportStatus(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string DataStore { get; init; } = "";
        public string Node { get; init; } = "";
        public string? StagingArea { get; init; }
        public bool StagingReachable { get; init; }
        public SyncRun? LastFullImport { get; init; }
        public SyncRun? LastUpdate { get; init; }
        /// <summary>Export files in the staging area newer than the last successful import.</summary>
        public int WaitingFiles { get; init; }
        public IReadOnlyDictionary<string, string> NodeReplacements { get; init; } = new Dictionary<string, string>();
        public string PrimaryStoreId { get; init; } = "";

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }
    }

    /// <summary>Settings of a data store that Set-BPDataStore changes; null means unchanged.</summary>
    public sealed class DataStoreSettings
    {
        public Model.DomainAccess? DomainAccess { get; init; }
        public Model.DataStoreStatus? Status { get; init; }
        public string? StagingArea { get; init; }
        public TimeSpan? ExportCheckDelay { get; init; }
        /// <summary>TimeSpan.Zero clears it (scheduled full exports in NetBatch are the recommended way, CS p20).</summary>
        public TimeSpan? FullExportFrequency { get; init; }
        /// <summary>Node-name replacement pairs for DISKFILE names at import (R5); an empty map clears them.</summary>
        public IReadOnlyDictionary<string, string>? NodeReplacements { get; init; }
        /// <summary>Store ID on the primary side when the secondary is named differently (Q1).</summary>
        public string? PrimaryStoreId { get; init; }
    }
}
