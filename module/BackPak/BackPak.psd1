@{
    RootModule           = 'BackPak.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1f4b8e-2d0a-4c51-9a57-0b7f3e9d2c41'
    Author               = 'BackPak.PowerShell contributors'
    CompanyName          = 'BackPak.PowerShell contributors'
    Copyright            = '(c) BackPak.PowerShell contributors. MIT licence.'
    Description          = 'Script the disaster-recovery procedures of ETI-NET BackPak (virtual tape on HPE NonStop, Catalog Sync option): volumes, volume groups, data stores, catalogs, and an embedded lab to rehearse on.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('BackPak.Format.ps1xml')
    # Exactly the compiled cmdlets (a meta-test compares this list with the assembly).
    CmdletsToExport      = @(
        'New-BPLab'
        'Connect-BPDomain'
        'Get-BPDomain'
        'Disconnect-BPDomain'
        'Get-BPDataStore'
        'Get-BPVolumeGroup'
        'Get-BPVolume'
        'Get-BPCatalogEntry'
        'Remove-BPVolume'
        'Remove-BPVolumeGroup'
        'Remove-BPDataStore'
        'Get-BPAuditRecord'
        'Get-BPExportStatus'
        'Get-BPImportStatus'
        'Suspend-BPCatalogExport'
        'Resume-BPCatalogExport'
        'Wait-BPCatalogExport'
        'Start-BPCatalogExport'
        'Start-BPCatalogImport'
        'Set-BPDataStore'
        'Invoke-BPLabBackup'
        'Start-BPLabBackup'
        'Stop-BPLabBackup'
        'Invoke-BPLabDailyBatch'
        'Add-BPLabFault'
        'Remove-BPLabFault'
        'Get-BPLabFault'
        'Test-BPRoleSwitch'
        'Get-BPRoleSwitchPlan'
        'Invoke-BPRoleSwitch'
        'Get-BPRoleSwitchRun'
        'Stop-BPRoleSwitchRun'
        'Connect-BPKeyManager'
        'Get-BPKeyManager'
        'Disconnect-BPKeyManager'
        'Get-BPEncryptionKey'
        'Remove-BPEncryptionKey'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('BackPak', 'NonStop', 'Backup', 'DisasterRecovery', 'CatalogSync', 'KMIP')
            ReleaseNotes = 'Foundation: embedded lab, domain connections, read cmdlets.'
        }
    }
}
