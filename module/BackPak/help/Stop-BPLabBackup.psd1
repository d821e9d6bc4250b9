@{
    Synopsis    = 'Lab simulation: ends running backups; the volumes are written and unloaded, which raises their export updates.'
    Description = 'Stop-BPLabBackup completes backups started by Start-BPLabBackup: each volume is written as Invoke-BPLabBackup writes it, its current operation is cleared, and its export update is raised and sent.'
    Parameters  = @{
        Label       = 'Labels of the volumes whose backup ends.'
        InputObject = 'Volumes from Start-BPLabBackup or Get-BPVolume.'
    }
    Outputs     = 'BackPak.Core.Model.Volume'
    Examples    = @(
        @{
            Title   = 'End every running backup of the primary node'
            Code    = "Get-BPVolume -Domain '\A' | Where-Object IsBackupRunning | Stop-BPLabBackup"
            Remarks = 'Each volume is written and exported.'
        }
    )
    Links       = @('Start-BPLabBackup')
}
