@{
    RootModule           = 'BackPak.PowerShell.dll'
    # The one place of the module's version: Directory.Build.props reads it for the assemblies, the build for the
    # package. After a release (a '## X.Y.Z' section in CHANGELOG.md), raise it before adding Unreleased changes.
    ModuleVersion        = '0.2.0'
    GUID                 = '6f1f4b8e-2d0a-4c51-9a57-0b7f3e9d2c41'
    Author               = 'BackPak.PowerShell contributors'
    CompanyName          = 'BackPak.PowerShell contributors'
    Copyright            = '(c) BackPak.PowerShell contributors. MIT licence.'
    Description          = 'Script the disaster-recovery procedures of ETI-NET BackPak (virtual tape on HPE NonStop, Catalog Sync option): volumes, volume groups, data stores, catalogs, and an embedded lab to rehearse on.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # Loaded at import, so that the types of the module's objects (BackPak.Core.Removal.DecommissionResult, ...)
    # can be named in scripts before any cmdlet has run; the SQLite libraries load with the lab when it is used.
    RequiredAssemblies   = @('BackPak.Core.dll', 'BackPak.Kmip.dll', 'BackPak.KeyManagers.dll', 'BackPak.Lab.dll', 'BackPak.NonStop.dll')
    # The lab's own cmdlets (New-BPLab, Test-BPLab, the *-BPLab* simulations) are a nested module: the main assembly
    # names no lab type and reaches the lab as a provider, by name. Its cmdlets are exported below with the others.
    NestedModules        = @('BackPak.Lab.PowerShell.dll')
    FormatsToProcess     = @('BackPak.Format.ps1xml')
    # Exactly the compiled cmdlets (a meta-test compares this list with the assembly).
    CmdletsToExport      = @(
        'New-BPLab'
        'Connect-BPDomain'
        'Get-BPProvider'
        'Register-BPProvider'
        'Unregister-BPProvider'
        'Get-BPDomain'
        'Disconnect-BPDomain'
        'Get-BPDataStore'
        'Get-BPVolumeGroup'
        'Get-BPVolume'
        'Get-BPCatalogEntry'
        'Compare-BPDomain'
        'New-BPSiteDescription'
        'Export-BPRunbook'
        'Remove-BPVolume'
        'Remove-BPVolumeGroup'
        'Remove-BPDataStore'
        'Test-BPDecommission'
        'Test-BPLab'
        'Get-BPAuditRecord'
        'Export-BPChangeRecord'
        'Get-BPExportStatus'
        'Get-BPImportStatus'
        'Suspend-BPCatalogExport'
        'Resume-BPCatalogExport'
        'Wait-BPCatalogExport'
        'Start-BPCatalogExport'
        'Start-BPCatalogImport'
        'Register-BPTransportVolume'
        'Get-BPTransportVolume'
        'Backup-BPStagingArea'
        'Restore-BPStagingArea'
        'Set-BPDataStore'
        'Invoke-BPLabBackup'
        'Start-BPLabBackup'
        'Stop-BPLabBackup'
        'Stop-BPLabRestore'
        'Invoke-BPLabDailyBatch'
        'Add-BPLabFault'
        'Remove-BPLabFault'
        'Get-BPLabFault'
        'Test-BPRoleSwitch'
        'Get-BPRoleSwitchPlan'
        'Invoke-BPRoleSwitch'
        'Invoke-BPRecovery'
        'Invoke-BPReprotect'
        'Get-BPRoleSwitchRun'
        'Stop-BPRoleSwitchRun'
        'Test-BPRecovery'
        'Get-BPRecoveryTest'
        'Register-BPReplicationLink'
        'Get-BPReplicationLink'
        'Unregister-BPReplicationLink'
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
            Tags         = @('BackPak', 'NonStop', 'HPE', 'Backup', 'VirtualTape', 'DisasterRecovery', 'CatalogSync', 'KMIP', 'ESKM')
            LicenseUri   = 'https://opensource.org/license/mit'
            # The project has no public address yet: set its repository's URL here when it has one.
            ProjectUri   = 'https://example.invalid/BackPak.PowerShell'
            # CHANGELOG.md's newest section, written here by the build (build/Package.psm1).
            ReleaseNotes = ''
        }
    }
}
