@{
    Synopsis    = 'Lab simulation: the daily batch OBB017 releases expired volumes in DSM/TC; each status change raises an export update.'
    Description = 'Invoke-BPLabDailyBatch marks the expired, still ASSIGNED volumes of a PRIMARY data store as RELEASED in DSM/TC or TMF and in the BackPak catalog, and raises an export update for each status change, as OBB017 does (CS p16). It is skipped for SECONDARY, RESTRICTED and INACTIVE stores (CS p14). It returns the number of volumes released.'
    Parameters  = @{}
    Outputs     = 'System.Int32: the number of volumes released.'
    Examples    = @(
        @{
            Title   = 'Run the daily batch and replicate the changes'
            Code    = @'
Invoke-BPLabDailyBatch -DataStore DS01 -Domain '\A'
Start-BPCatalogImport -DataStore DS01 -Type Update -Domain '\B'
'@
            Remarks = 'The RELEASED statuses reach the secondary with the next update import.'
        }
    )
    Links       = @('Invoke-BPLabBackup', 'Get-BPExportStatus')
}
