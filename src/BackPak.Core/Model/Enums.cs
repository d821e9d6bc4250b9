using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Model
{
    /// <summary>Domain access of a data store or a volume [CS p13; BB p151/149].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum DomainAccess
    {
        /// <summary>A value this version of the module does not know; scripts keep working.</summary>
        Unknown = 0,
        /// <summary>The domain owns the store, writes and reads tapes; source of replication (BackBox: OWNER).</summary>
        Primary,
        /// <summary>Target of replication from a primary store; read-only, no backups.</summary>
        Secondary,
        /// <summary>Read-only view of a store owned by another domain.</summary>
        Restricted,
    }

    /// <summary>Data store status [BB p151/149].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum DataStoreStatus
    {
        Unknown = 0,
        Active,
        /// <summary>No loads and no automatic actions; operator-started export and import still work (R12).</summary>
        Inactive,
    }

    /// <summary>Store type, fixed at creation [BB p151/149].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum StoreType
    {
        Unknown = 0,
        /// <summary>WINDOWS FILE (WINDISK): Windows file system or compatible NAS.</summary>
        WindowsFile,
        /// <summary>TIVOLI STORAGE MANAGER (TSM API).</summary>
        TivoliStorageManager,
    }

    /// <summary>The tape catalog a volume group is linked to [BB p15/13, CS p15].</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum CatalogKind
    {
        /// <summary>Not linked to any catalog (the Appendix A transport volume needs one such group).</summary>
        None = 0,
        /// <summary>DSM/TC: VOLCAT and POOL, plus FILECAT for TAPEFILE and DISKFILE entries.</summary>
        DsmTc,
        /// <summary>TMF catalog of a Guardian node.</summary>
        Tmf,
    }

    /// <summary>Kinds of entry a volume has in DSM/TC or TMF.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum CatalogEntryKind
    {
        Unknown = 0,
        /// <summary>DSM/TC TAPEVOLUME in a VOLCAT and POOL.</summary>
        TapeVolume,
        /// <summary>DSM/TC TAPEFILE (a FILEID) in a FILECAT.</summary>
        TapeFile,
        /// <summary>DSM/TC DISKFILE: a backed-up disk file, named with its node.</summary>
        DiskFile,
        /// <summary>TMF catalog tape volume.</summary>
        TmfVolume,
        /// <summary>TMF dump (audit or online) written on the volume.</summary>
        TmfDump,
    }

    /// <summary>What an audit record says of its operation: it began, it changed something, a change was refused, it ended.</summary>
    public enum AuditKind
    {
        Start,
        Change,
        Refusal,
        End,
    }

    /// <summary>How an operation (one cmdlet invocation) ended.</summary>
    public enum OperationOutcome
    {
        /// <summary>Everything asked was done, with no error.</summary>
        Succeeded,
        /// <summary>At least one error (a refusal or a failure) was reported.</summary>
        Failed,
        /// <summary>Stopped before its end (Ctrl-C, a stopped pipeline): running the same command again completes it.</summary>
        Stopped,
    }
}
