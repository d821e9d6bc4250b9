@{
    Synopsis    = 'Lab simulation: ends running backups; the volumes are written and unloaded, which raises their export updates.'
    Description = 'Stop-BPLabBackup completes backups started by Start-BPLabBackup: each volume is written as Invoke-BPLabBackup writes it, its current operation is cleared, and its export update is raised and sent. It takes the same parameters as Start-BPLabBackup: labels, volumes piped from Get-BPVolume, and -DataStore, which beside labels is the store they must belong to and alone ends every backup running in that store. Restores and materializes in flight are ended by Stop-BPLabRestore.'
    Parameters  = @{
        Label       = 'Labels of the volumes whose backup ends. Binds from strings and from the Label property of piped objects (CSV rows), with their Node.'
        DataStore   = 'Beside -Label: the store the labelled volumes must belong to; a volume of another store is refused (VolumeNotFound) and the others go on. Alone: every backup running in the store ends (none running: nothing is done, -Verbose says so).'
        InputObject = 'Volumes from Start-BPLabBackup or Get-BPVolume; each is ended in the domain it came from.'
    }
    Outputs     = 'BackPak.Core.Model.Volume'
    Examples    = @(
        @{
            Title   = 'End every running backup of the primary node'
            Code    = @'
Start-BPLabBackup -DataStore DS01 | Out-Null
Get-BPVolume -Domain '\A' | Where-Object IsBackupRunning | Stop-BPLabBackup
'@
            Remarks = 'Each volume is written and exported.'
        }
        @{
            Title   = 'End a backup by its label'
            Code    = @'
$running = Start-BPLabBackup -DataStore DS02
$running.Label | Stop-BPLabBackup -DataStore DS02
'@
            Remarks = 'A label string (or an object with a Label property) is ended in -Domain or the default domain.'
        }
        @{
            Title   = 'End every backup running in a data store'
            Code    = @'
Start-BPLabBackup -DataStore DS02 | Out-Null
Stop-BPLabBackup -DataStore DS02
'@
            Remarks = 'The store alone selects its volumes loaded for output.'
        }
    )
    Links       = @('Start-BPLabBackup', 'Stop-BPLabRestore')
}
