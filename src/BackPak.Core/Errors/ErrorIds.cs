namespace BackPak.Core.Errors
{
    /// <summary>
    /// Every ErrorId the module emits. They are stable: scripts and tests match on them, so never rename one.
    /// Each is documented in about_BackPak_Errors (a test checks both lists are the same).
    /// </summary>
    public static class ErrorIds
    {
        // The embedded lab provider's: the ids of every provider are one stable list, kept here (Core names no provider type).
        public const string LabNotFound = "LabNotFound";
        public const string NotALab = "NotALab";
        public const string LabVersionUnsupported = "LabVersionUnsupported";
        public const string LabAlreadyExists = "LabAlreadyExists";
        public const string LabInUse = "LabInUse";
        public const string PathNotEmpty = "PathNotEmpty";
        public const string LabPathInvalid = "LabPathInvalid";
        public const string LabInsideLab = "LabInsideLab";
        public const string LabWriteFailed = "LabWriteFailed";
        /// <summary>A simulation cmdlet was given a domain that another provider than the lab reaches.</summary>
        public const string NotALabDomain = "NotALabDomain";
        /// <summary>A simulated backup found fewer expired or scratch volumes than it needs: it writes nothing rather than a volume holding unexpired data.</summary>
        public const string NoScratchVolume = "NoScratchVolume";

        // Connection
        public const string NodeNotFound = "NodeNotFound";
        public const string NoDomainConnected = "NoDomainConnected";
        public const string DomainNotConnected = "DomainNotConnected";
        public const string DomainDisconnected = "DomainDisconnected";
        public const string DomainMismatch = "DomainMismatch";
        public const string DomainAmbiguous = "DomainAmbiguous";

        // Providers
        /// <summary>The connected provider does not offer a capability the command needs (removal, Catalog Sync, a run journal...): refused before anything is done.</summary>
        public const string CapabilityMissing = "CapabilityMissing";
        /// <summary>No provider of that name is built in or registered.</summary>
        public const string ProviderNotFound = "ProviderNotFound";
        /// <summary>A module (or registry entry) does not hold a provider that passes the registration checks.</summary>
        public const string ProviderInvalid = "ProviderInvalid";
        /// <summary>Connect-BPDomain -Parameters names a parameter the provider does not take, or leaves out a mandatory one.</summary>
        public const string ProviderParameterInvalid = "ProviderParameterInvalid";

        // Names and labels
        public const string InvalidLabel = "InvalidLabel";
        public const string InvalidName = "InvalidName";
        public const string DataStoreNotFound = "DataStoreNotFound";
        public const string VolumeGroupNotFound = "VolumeGroupNotFound";
        public const string VolumeNotFound = "VolumeNotFound";
        public const string EmptySelection = "EmptySelection";

        // Store access
        public const string CatalogStoreUnavailable = "CatalogStoreUnavailable";

        // Removal (decommission)
        public const string VolumeNotExpired = "VolumeNotExpired";
        public const string VolumeBusy = "VolumeBusy";
        public const string VolumeGroupNotEmpty = "VolumeGroupNotEmpty";
        public const string DataStoreNotEmpty = "DataStoreNotEmpty";
        public const string RemovalFailed = "RemovalFailed";
        public const string RemovalUnfinished = "RemovalUnfinished";
        public const string WildcardSelectsEveryVolume = "WildcardSelectsEveryVolume";

        // Catalog Sync
        public const string ActionNotAllowed = "ActionNotAllowed";
        public const string SyncInProgress = "SyncInProgress";
        public const string ExportSuspended = "ExportSuspended";
        public const string StagingUnreachable = "StagingUnreachable";
        public const string StagingAreaNotSet = "StagingAreaNotSet";
        public const string StagingWriteFailed = "StagingWriteFailed";
        public const string ExportFileInvalid = "ExportFileInvalid";
        public const string CatalogNotFound = "CatalogNotFound";
        public const string FileCatalogConflict = "FileCatalogConflict";
        public const string ExportWaitTimeout = "ExportWaitTimeout";
        public const string InvalidSetting = "InvalidSetting";
        public const string ImportFailed = "ImportFailed";
        /// <summary>An import of the store was interrupted and is not finished: a removal now would be undone when it is.</summary>
        public const string ImportUnfinished = "ImportUnfinished";
        public const string BackupsRunning = "BackupsRunning";

        // Role switch
        public const string SwitchStepFailed = "SwitchStepFailed";
        public const string SwitchInProgress = "SwitchInProgress";
        public const string SwitchRunNotFound = "SwitchRunNotFound";
        public const string SwitchRunCompleted = "SwitchRunCompleted";
        public const string SwitchRunAbandoned = "SwitchRunAbandoned";
        public const string SwitchWrongDirection = "SwitchWrongDirection";
        public const string SiteSwitchRefused = "SiteSwitchRefused";
        public const string SwitchPreconditionFailed = "SwitchPreconditionFailed";
        public const string SwitchJournalDamaged = "SwitchJournalDamaged";
        /// <summary>A replication link registered for a data store (the operator's own script) failed or answered what cannot be read: the step stopped, the run is resumable.</summary>
        public const string ReplicationLinkFailed = "ReplicationLinkFailed";
        /// <summary>A replication link of that kind is already registered for the data store (Register-BPReplicationLink -AllowClobber replaces it).</summary>
        public const string ReplicationLinkExists = "ReplicationLinkExists";
        /// <summary>No replication link of that data store (and kind) is registered in the session.</summary>
        public const string ReplicationLinkNotFound = "ReplicationLinkNotFound";

        // Transport without Expand (Appendix A, CS p44)
        /// <summary>A step of the transport (registration, backup or restore of the staging area) was refused before anything changed: the wrong side, a group linked to a catalog, a label in use, no FULL export to carry.</summary>
        public const string TransportRefused = "TransportRefused";
        /// <summary>No transport volume is registered for the data store at that node.</summary>
        public const string TransportVolumeNotFound = "TransportVolumeNotFound";
        /// <summary>No image of the transport volume newer than the last restore is in the secondary's storage: nothing was restored.</summary>
        public const string TransportNotArrived = "TransportNotArrived";
        /// <summary>The image is a partial backup that follows a FULL export this side never restored: nothing was restored.</summary>
        public const string TransportIncomplete = "TransportIncomplete";
        /// <summary>A restore of the transport volume into the staging area did not finish: an import now would read half a set of export files.</summary>
        public const string TransportRestoreUnfinished = "TransportRestoreUnfinished";

        // Recovery test
        /// <summary>Test-BPRecovery was given a node whose copy of the store is not SECONDARY: nothing was checked.</summary>
        public const string RecoveryNotSecondary = "RecoveryNotSecondary";
        /// <summary>The record of a recovery test could not be written (or read) whole: nothing partial is kept.</summary>
        public const string RecoveryTestRecordFailed = "RecoveryTestRecordFailed";

        // Unplanned takeover (Invoke-BPRecovery)
        /// <summary>
        /// A recovery was refused before anything changed: the store's PRIMARY side still answers as PRIMARY, or does not
        /// answer and the operator has not said it is lost (-PrimaryLost).
        /// </summary>
        public const string RecoveryPrimaryNotFenced = "RecoveryPrimaryNotFenced";
        /// <summary>-PrimaryLost names another node than the store's PRIMARY side: nothing changed.</summary>
        public const string RecoveryPrimaryLostMismatch = "RecoveryPrimaryLostMismatch";
        /// <summary>A step of a recovery run failed; the run keeps its journal and is continued with -Resume.</summary>
        public const string RecoveryStepFailed = "RecoveryStepFailed";

        // Reprotect (Invoke-BPReprotect)
        /// <summary>
        /// A reprotect was refused before anything changed: the newest completed procedure of the store is not a recovery
        /// that took it over from the node named (that node took over, the store was reprotected or switched since, or
        /// no recovery of it is known).
        /// </summary>
        public const string ReprotectNoTakeover = "ReprotectNoTakeover";
        /// <summary>A reprotect was refused before anything changed: a side lacks the store, is not in the role it needs, or runs a backup.</summary>
        public const string ReprotectPreconditionFailed = "ReprotectPreconditionFailed";
        /// <summary>A step of a reprotect run failed; the run keeps its journal and is continued with -Resume.</summary>
        public const string ReprotectStepFailed = "ReprotectStepFailed";

        // Decommission of a data store
        public const string DecommissionStepFailed = "DecommissionStepFailed";
        public const string DecommissionRefused = "DecommissionRefused";
        public const string DecommissionSideInvalid = "DecommissionSideInvalid";
        /// <summary>-ConfirmStep names a step the run does not wait for (another one, or none).</summary>
        public const string StepNotAwaitingOperator = "StepNotAwaitingOperator";
        /// <summary>The operator confirmed a step that a read shows is not done: the run still waits for it.</summary>
        public const string OperatorStepNotVerified = "OperatorStepNotVerified";
        // Key manager
        public const string KeyManagerNotConnected = "KeyManagerNotConnected";
        public const string KeyManagerEndpointInvalid = "KeyManagerEndpointInvalid";
        public const string KeyManagerUnreachable = "KeyManagerUnreachable";
        public const string KeyManagerUntrusted = "KeyManagerUntrusted";
        public const string KeyManagerAuthenticationFailed = "KeyManagerAuthenticationFailed";
        public const string ClientCertificateInvalid = "ClientCertificateInvalid";
        public const string TrustedRootCertificateInvalid = "TrustedRootCertificateInvalid";
        public const string KeyNotFound = "KeyNotFound";
        public const string KeyStillReferenced = "KeyStillReferenced";
        public const string KeyManagerIdUnknown = "KeyManagerIdUnknown";
        public const string KeyDomainsNotConnected = "KeyDomainsNotConnected";
        public const string KeyOperationFailed = "KeyOperationFailed";

        // NonStop nodes over SSH (transport, command arguments, reports, site description)
        public const string InvalidNonStopName = "InvalidNonStopName";
        public const string NonStopUnreachable = "NonStopUnreachable";
        public const string NonStopHostKeyUnknown = "NonStopHostKeyUnknown";
        public const string NonStopHostKeyMismatch = "NonStopHostKeyMismatch";
        public const string NonStopAuthenticationFailed = "NonStopAuthenticationFailed";
        public const string NonStopSessionDropped = "NonStopSessionDropped";
        public const string NonStopCommandTimeout = "NonStopCommandTimeout";
        public const string NonStopCommandFailed = "NonStopCommandFailed";
        public const string NonStopReportMalformed = "NonStopReportMalformed";
        public const string SiteDescriptionNotFound = "SiteDescriptionNotFound";
        public const string SiteDescriptionInvalid = "SiteDescriptionInvalid";
        public const string SiteDescriptionNotWritten = "SiteDescriptionNotWritten";
        public const string RunbookNotWritten = "RunbookNotWritten";

        // The audit trail and change records
        public const string OperationNotFound = "OperationNotFound";
        public const string ChangeRecordNotWritten = "ChangeRecordNotWritten";

        // The safety net of every cmdlet: a failure no rule above foresaw, still reported as a BackPak error
        public const string FileSystemError = "FileSystemError";
        public const string UnexpectedError = "UnexpectedError";
    }
}
