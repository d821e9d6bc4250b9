@{
    Synopsis    = 'Lab simulation: ends restores (load for input) and materializes in flight, freeing their volumes.'
    Description = 'A new lab leaves restores and materializes running on a few volumes of its local data stores (current operation LOAD INPUT or MATERIALIZE), as a real domain has them. They keep their volumes busy (BB p178): Remove-BPVolume and the decommission of their store refuse them. Stop-BPLabRestore ends them as the end of the restore would: the volume was only read, so nothing is written and no export update is raised; its current operation is cleared. A volume with no restore or materialize in flight is refused (VolumeNotFound); a running backup is ended by Stop-BPLabBackup instead. It takes the same parameters as Start-/Stop-BPLabBackup.'
    Parameters  = @{
        Label       = 'Labels of the volumes whose restore or materialize ends. Binds from strings and from the Label property of piped objects (CSV rows), with their Node.'
        DataStore   = 'The store the labelled volumes must belong to; a volume of another store is refused (VolumeNotFound) and the others go on.'
        InputObject = 'Volumes from Get-BPVolume; each is ended in the domain it came from.'
    }
    Outputs     = 'BackPak.Core.Model.Volume'
    Examples    = @(
        @{
            Title   = 'End the restores in flight on a data store, so that it can be decommissioned'
            Code    = @'
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation     # nothing
'@
            Remarks = 'Each volume comes back with its current operation cleared.'
        }
    )
    Links       = @('Start-BPLabBackup', 'Stop-BPLabBackup', 'Remove-BPDataStore')
}
