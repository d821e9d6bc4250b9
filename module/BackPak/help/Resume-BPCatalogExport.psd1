@{
    Synopsis    = 'Resumes the catalog export of data stores; the updates held while suspended go out now.'
    Description = 'Resume-BPCatalogExport ends a suspension made by Suspend-BPCatalogExport. The export updates raised meanwhile are sent at once, and automatic exports and retries start again.'
    Parameters  = @{
        PassThru = 'Returns the export status of each store afterwards.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Sync.ExportStatus.'
    Examples    = @(
        @{
            Title   = 'Resume and check that nothing is left pending'
            Code    = "Resume-BPCatalogExport -DataStore DS01 -PassThru | Select-Object DataStore, State, PendingCount"
            Remarks = 'PendingCount is zero when the staging area could be reached.'
        }
    )
    Links       = @('Suspend-BPCatalogExport', 'Get-BPExportStatus')
}
