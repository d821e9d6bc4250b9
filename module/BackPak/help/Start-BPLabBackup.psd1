@{
    Synopsis    = 'Lab simulation: leaves a backup running on a volume of a PRIMARY data store until Stop-BPLabBackup.'
    Description = 'Start-BPLabBackup loads a volume for output (current operation LOAD OUTPUT), as a long backup would. The volume is locked against other operations (R22): Remove-BPVolume refuses it and a switch waits for it. Stop-BPLabBackup ends it.'
    Parameters  = @{
        Label = 'The volume to load; the first idle one, expired first, when not given.'
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
    )
    Links       = @('Stop-BPLabBackup', 'Invoke-BPLabBackup')
}
