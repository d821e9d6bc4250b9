@{
    Synopsis    = 'Lab simulation: backups write volumes of a PRIMARY data store and raise their export updates.'
    Description = @'
Invoke-BPLabBackup plays the tape applications of the lab. Each backup rewrites a volume: a new volume timestamp and expiration, new TAPEFILE and DISKFILE entries in DSM/TC (or a new TMF dump), a new Media Key Name and key when the volume group encrypts (one key per tape write), and new volume images in storage, replicated to the other site. The unload raises an export update, which the Domain Manager sends to the staging area at once (CS p16).

Expired idle volumes are reused first, then the oldest. A SECONDARY or INACTIVE store rejects it (ActionNotAllowed, CS p14).
'@
    Parameters  = @{
        Count = 'How many volumes to write. The default is 1.'
        Label = 'Write these volumes instead.'
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
    )
    Links       = @('Start-BPLabBackup', 'Get-BPExportStatus', 'Start-BPCatalogImport')
}
