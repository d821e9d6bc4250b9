@{
    Synopsis    = 'Lab simulation: backups write volumes of a PRIMARY data store and raise their export updates.'
    Description = @'
Invoke-BPLabBackup plays the tape applications of the lab. Each backup rewrites a volume: a new volume timestamp and expiration, new TAPEFILE and DISKFILE entries in DSM/TC (or a new TMF dump), a new Media Key Name and key when the volume group encrypts (one key per tape write), and new volume images in storage, replicated to the other site. The unload raises an export update, which the Domain Manager sends to the staging area at once (CS p16).

With -Count, the backups take idle volumes that are expired or scratch, the least recently written first, as tape applications do when they mount a scratch tape: a volume holding unexpired data is never rewritten (BB p15/13), and neither is a locked one. When fewer are free than -Count, nothing is written and the store reports NoScratchVolume (its mounts would wait for a scratch tape); -NewVolume instead adds the missing volumes to the store's largest volume group as scratch volumes (BackPak entry and DSM/TC TAPEVOLUME or TMF entry, new labels, no storage until written), as an operator would on the Create Volumes page, and writes them. Which of the two BackPak would do, the manual pages the module rests on do not say: the lab stops by default (docs/inferred.md). Volumes named with -Label are written as named.

A SECONDARY or INACTIVE store rejects it (ActionNotAllowed, CS p14).
'@
    Parameters  = @{
        Count = 'How many volumes to write. The default is 1.'
        Label = 'Write these volumes instead.'
        NewVolume = 'When fewer expired or scratch volumes are free than -Count, add the missing ones to the pool as scratch volumes, then write them. Without it, such a backup writes nothing (NoScratchVolume).'
    }
    Outputs     = 'BackPak.Core.Model.Volume: the volumes written.'
    Examples    = @(
        @{
            Title   = 'A backup window of 50 volumes, then the export status'
            Code    = @'
Invoke-BPLabBackup -DataStore DS01 -Count 50 -Domain '\A' | Measure-Object
Get-BPExportStatus -DataStore DS01 -Domain '\A'
'@
            Remarks = 'The 50 updates were sent to the staging area on \B as each backup ended.'
        }
        @{
            Title   = 'A backup window larger than the free volumes'
            Code    = @'
$free = @(Get-BPVolume -DataStore DS01 -Expired -Domain '\A' | Where-Object CurrentOperation -eq $null).Count
Invoke-BPLabBackup -DataStore DS01 -Count ($free + 3) -Domain '\A' -ErrorAction SilentlyContinue -ErrorVariable full | Out-Null
$full[0].FullyQualifiedErrorId
Invoke-BPLabBackup -DataStore DS01 -Count ($free + 3) -NewVolume -Domain '\A' | Measure-Object
'@
            Remarks = 'The first window is refused with NoScratchVolume and writes nothing; with -NewVolume, three scratch volumes join the pool and the whole window is written. No volume holding unexpired data is rewritten either way.'
        }
    )
    Links       = @('Start-BPLabBackup', 'Get-BPExportStatus', 'Start-BPCatalogImport')
}
