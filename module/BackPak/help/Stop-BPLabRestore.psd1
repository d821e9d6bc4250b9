@{
    Synopsis    = 'Lab simulation: ends restores (load for input) and materializes in flight, freeing their volumes.'
    Description = 'A new lab leaves restores and materializes running on a few volumes of its local data stores (current operation LOAD INPUT or MATERIALIZE), as a real domain has them. They keep their volumes busy (BB p178): Remove-BPVolume and the decommission of their store refuse them. Stop-BPLabRestore ends them as the end of the restore would: the volume was only read, so nothing is written and no export update is raised; its current operation is cleared. A volume with no restore or materialize in flight is refused (VolumeNotFound); a running backup is ended by Stop-BPLabBackup instead. It takes the same parameters as Start-/Stop-BPLabBackup; -DataStore alone ends every restore and materialize in flight in that store.'
    Parameters  = @{
        Label       = 'Labels of the volumes whose restore or materialize ends. Binds from strings and from the Label property of piped objects (CSV rows), with their Node.'
        DataStore   = 'Beside -Label: the store the labelled volumes must belong to; a volume of another store is refused (VolumeNotFound) and the others go on. Alone: every restore and materialize in flight in the store ends (none: nothing is done, -Verbose says so).'
        InputObject = 'Volumes from Get-BPVolume; each is ended in the domain it came from.'
    }
    Outputs     = 'BackPak.Core.Model.Volume'
    Examples    = @(
        @{
            Title   = 'End the restores in flight on a data store, so that it can be decommissioned'
            Code    = @'
Stop-BPLabRestore -DataStore DS02
Get-BPVolume -DataStore DS02 | Where-Object IsRestoreRunning     # nothing
'@
            Remarks = 'Each volume comes back with its current operation cleared.'
        }
        @{
            Title   = 'End chosen restores, piped from Get-BPVolume'
            Code    = @'
Get-BPVolume -DataStore DS02 | Where-Object IsRestoreRunning | Select-Object -First 2 | Stop-BPLabRestore
'@
            Remarks = 'Each piped volume is ended in the domain it was read from.'
        }
    )
    Links       = @('Start-BPLabBackup', 'Stop-BPLabBackup', 'Remove-BPDataStore')
}
