@{
    Synopsis    = 'Lab simulation: leaves a backup running on a volume of a PRIMARY data store until Stop-BPLabBackup.'
    Description = 'Start-BPLabBackup loads a volume for output (current operation LOAD OUTPUT), as a long backup would. The volume is busy with that operation (BB p178): Remove-BPVolume refuses it and a switch waits for it. Stop-BPLabBackup ends it. It takes the same parameters as Stop-BPLabBackup and Stop-BPLabRestore: labels (-Label, or objects with a Label property), volumes piped from Get-BPVolume, and -DataStore; with -DataStore alone it loads the least recently written idle volume of the store that is expired or scratch, as a tape application mounts a scratch tape; a volume holding unexpired data is never taken (BB p15/13), and a store with none free is refused with NoScratchVolume. A volume named by its label is loaded as named.'
    Parameters  = @{
        DataStore   = 'Store IDs. Alone, a backup starts on an expired or scratch idle volume of each store (NoScratchVolume when none is free); beside -Label, the store the volumes must belong to.'
        Label       = 'The volumes to load. Their data store is theirs; -DataStore is not needed.'
        InputObject = 'Volumes from Get-BPVolume; each is loaded in the domain it was read from.'
    }
    Outputs     = 'BackPak.Core.Model.Volume'
    Examples    = @(
        @{
            Title   = 'A backup that is still running'
            Code    = @'
$v = Start-BPLabBackup -DataStore DS01 -Domain '\A'
Get-BPVolume -Domain '\A' | Where-Object IsBackupRunning
$v | Stop-BPLabBackup
'@
            Remarks = 'The volume shows LOAD OUTPUT until the backup is stopped; stopping it writes the volume and raises its export update.'
        }
        @{
            Title   = 'A backup on a volume named by its label'
            Code    = @'
$label = (Get-BPVolume -DataStore DS02 -Expired | Where-Object CurrentOperation -eq $null | Select-Object -First 1).Label
Start-BPLabBackup -Label $label
Stop-BPLabBackup -Label $label -DataStore DS02
'@
            Remarks = 'The label alone says which store the backup writes; -DataStore beside a label is checked: a volume of another store is refused with VolumeNotFound.'
        }
    )
    Links       = @('Stop-BPLabBackup', 'Stop-BPLabRestore', 'Invoke-BPLabBackup')
}
