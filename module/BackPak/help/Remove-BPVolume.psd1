@{
    Synopsis    = 'Deletes volumes as the BackPak GUI Volume page does: the backup data in storage, the DSM/TC or TMF entries, and the BackPak catalog entry.'
    Description = @'
Remove-BPVolume deletes volumes of a data store [CS p41]. For a volume of a PRIMARY store it removes three things: the volume images (LB<label>.IND and .DAT) in the store's storage, the volume's entries in DSM/TC (its TAPEVOLUME, TAPEFILEs and DISKFILEs) or in TMF, and its entry in the BackPak catalog. For a volume of a SECONDARY store it removes only the catalog entries (BackPak and DSM/TC) and never storage, because a SECONDARY store never writes storage (inferred from CS p14). For a RESTRICTED store it removes only the BackPak entry (inferred).

Like BackPak itself, it refuses a volume that still holds non-expired data (VolumeNotExpired, BB p15/13) unless -IgnoreRetention is given, and a volume with a current operation such as a running backup (VolumeBusy, BB p178/176). -Force never overrides these: it only skips the prompt.

What can be piped: Volume objects from Get-BPVolume (bound to -InputObject), each removed in the very domain it was read from (the lab or site and the node, its Origin), never in another connected domain with the same node name; plain label strings; and any object with a Label property, such as the rows of Import-Csv, bound to -Label together with their DataStore and Node properties when they have them. A row with a Node column is removed on that node; a row written by Export-Csv from Get-BPVolume also carries its Origin column and is removed where it was read. Labels without a node are removed in -Domain, or in the default domain. An explicit -Domain that contradicts where a piped object came from stops the command with DomainMismatch before anything is removed, even for the objects piped before it; an object whose domain is no longer connected is refused (DomainNotConnected).

A -Label given with nothing in it ($null, an empty list, blank text, as -Label (Get-Content empty.txt) gives) is refused (EmptySelection): it never means every volume. Labels that together match every possible label ('*', '??????', ...) remove only with -DataStore naming the store (WildcardSelectsEveryVolume otherwise).

Volumes and labels are collected, planned and confirmed once for the whole pipeline: the prompt says how many volumes, storage files and catalog entries go. -WhatIf lists every volume and the totals and changes nothing. Each refused or failed volume is a non-terminating error and the others go on.

Every removal goes through an intent journal in the node's BackPak catalog: the volume is first claimed (its current operation becomes DELETE), then its storage, its DSM/TC or TMF entries and its BackPak entry are removed. If the process is killed at any point, running the same command again finishes the volumes the interrupted run had claimed; parts already gone count as done. Every removal appends an audit record (Get-BPAuditRecord).
'@
    Parameters  = @{
        Label           = 'Labels of the volumes to remove; wildcards are allowed. Binds from strings and from the Label property of piped objects (CSV rows). Exact labels that do not exist are VolumeNotFound errors. Given with nothing in it, it is refused (EmptySelection); labels that match every label need -DataStore (WildcardSelectsEveryVolume).'
        DataStore       = 'With -Label: only volumes of this data store; binds from the DataStore property of piped rows. It is what allows -Label * (every volume of the store).'
        InputObject     = 'Volumes from Get-BPVolume. Each is removed in the domain it was read from: the same lab or site and node, whatever -Domain or the default connection is.'
        IgnoreRetention = 'Also removes volumes whose data has not expired. Their backups are lost.'
        Force           = 'Skips the confirmation prompt. It does not override -IgnoreRetention or any other rule.'
        PassThru        = 'Emits one result per volume: its status (Removed, AlreadyAbsent, Refused, Failed) and, for each of the three parts, whether it was removed, already absent, not applicable or failed.'
        Domain          = 'The domain in which labels without a node are looked up: a connection or a node name. The default connection when not given. Given, it must agree with where every piped volume or row came from, else DomainMismatch stops the command before anything is removed.'
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
            Code    = "Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -WhatIf"
            Remarks = 'Lists each volume with its files and entries, then the totals. Nothing changes. Without -Expired, the volumes that still hold data are reported as VolumeNotExpired errors, as the real run would refuse them; add -IgnoreRetention to list them too.'
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
            Title   = 'Delete the volumes listed in a CSV file'
            Code    = @'
Get-BPVolume -DataStore DS02 -Expired | Select-Object -First 2 Label, Node | Export-Csv todel.csv
Import-Csv todel.csv | Remove-BPVolume -WhatIf
'@
            Remarks = 'Each row is removed on the node of its Node column (without one, in -Domain or the default domain). A file of bare labels works too: Get-Content labels.txt | Remove-BPVolume. An empty file removes nothing.'
        }
        @{
            Title   = 'Every volume of one data store'
            Code    = "Remove-BPVolume -Label '*' -DataStore DS02 -IgnoreRetention -WhatIf"
            Remarks = "Lists every volume of DS02, including those that still hold data (-IgnoreRetention), and changes nothing. -Label '*' without -DataStore is refused (WildcardSelectsEveryVolume): it would take every store of the domain."
        }
        @{
            Title   = 'After an interruption, run the same command again'
            Code    = "Get-BPVolume -DataStore DS01 -Expired | Remove-BPVolume -Confirm:`$false -PassThru | Where-Object Resumed"
            Remarks = 'Volumes that the interrupted run had claimed (current operation DELETE) are finished; the results show them with Resumed set.'
        }
    )
    Notes       = 'Deleting volumes of a PRIMARY store does not delete their replicas at the secondary site: the storage replication and a FULL import on the secondary carry deletions there (CS p15).'
    Links       = @('Get-BPVolume', 'Remove-BPVolumeGroup', 'Remove-BPDataStore', 'Get-BPAuditRecord', 'about_BackPak_Errors')
}
