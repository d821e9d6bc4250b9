@{
    Synopsis    = 'Deletes volumes as the BackPak GUI Volume page does: the backup data in storage, the DSM/TC or TMF entries, and the BackPak catalog entry.'
    Description = @'
Remove-BPVolume deletes volumes of a data store [CS p41]. For a volume of a PRIMARY store it removes three things: the volume images (LB<label>.IND and .DAT) in the store's storage, the volume's entries in DSM/TC (its TAPEVOLUME, TAPEFILEs and DISKFILEs) or in TMF, and its entry in the BackPak catalog. For a volume of a SECONDARY store it removes only the catalog entries (BackPak and DSM/TC) and never storage, because a SECONDARY store never writes storage (inferred from CS p14). For a RESTRICTED store it removes only the BackPak entry (inferred).

Like BackPak itself, it refuses a volume that still holds non-expired data (VolumeNotExpired, rule R13) unless -IgnoreRetention is given, and a volume with a current operation such as a running backup (VolumeBusy, rule R22). -Force never overrides these: it only skips the prompt.

Volumes piped from Get-BPVolume are collected, planned and confirmed once for the whole pipeline: the prompt says how many volumes, storage files and catalog entries go. -WhatIf lists every volume and the totals and changes nothing. Each refused or failed volume is a non-terminating error and the others go on.

Every removal goes through an intent journal in the node's BackPak catalog: the volume is first claimed (its current operation becomes DELETE), then its storage, its DSM/TC or TMF entries and its BackPak entry are removed. If the process is killed at any point, running the same command again finishes the volumes the interrupted run had claimed; parts already gone count as done. Every removal appends an audit record (Get-BPAuditRecord).
'@
    Parameters  = @{
        Label           = 'Labels of the volumes to remove; wildcards are allowed. Exact labels that do not exist are VolumeNotFound errors.'
        DataStore       = 'With -Label: only volumes of this data store.'
        InputObject     = 'Volumes from Get-BPVolume. Each is removed in the domain it was read from.'
        IgnoreRetention = 'Also removes volumes whose data has not expired. Their backups are lost.'
        Force           = 'Skips the confirmation prompt. It does not override -IgnoreRetention or any other rule.'
        PassThru        = 'Emits one result per volume: its status (Removed, AlreadyAbsent, Refused, Failed) and, for each of the three parts, whether it was removed, already absent, not applicable or failed.'
        Domain          = 'The domain in which -Label is looked up: a connection or a node name. The default connection when not given.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Removal.VolumeRemovalResult; otherwise nothing.'
    Examples    = @(
        @{
            Title   = 'Delete the expired volumes of a data store, with one confirmation'
            Code    = "Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume"
            Remarks = 'Prompts once with the number of volumes, storage files and catalog entries, then removes them in batches with a progress bar.'
        }
        @{
            Title   = 'See what would be deleted'
            Code    = "Get-BPVolume -DataStore DS01 | Remove-BPVolume -WhatIf"
            Remarks = 'Lists each volume with its files and entries, then the totals. Volumes with non-expired data are reported as VolumeNotExpired errors. Nothing changes.'
        }
        @{
            Title   = 'Decommission: every volume of a store, in a runbook, with a record of each'
            Code    = @'
$results = Get-BPVolume -DataStore DS01 | Remove-BPVolume -IgnoreRetention -Force -PassThru
$results | Group-Object Status -NoElement
'@
            Remarks = 'Removes all volumes of DS01 without prompting, including those that still hold data, and counts the outcomes.'
        }
        @{
            Title   = 'After an interruption, run the same command again'
            Code    = "Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -Confirm:`$false -PassThru | Where-Object Resumed"
            Remarks = 'Volumes that the interrupted run had claimed (current operation DELETE) are finished; the results show them with Resumed set.'
        }
    )
    Notes       = 'Deleting volumes of a PRIMARY store does not delete their replicas at the secondary site: the storage replication and a FULL import on the secondary carry deletions there (rule R9).'
    Links       = @('Get-BPVolume', 'Remove-BPVolumeGroup', 'Remove-BPDataStore', 'Get-BPAuditRecord', 'about_BackPak_Errors')
}
