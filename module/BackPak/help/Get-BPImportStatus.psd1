@{
    Synopsis    = 'Shows what SECONDARY data stores know of their imports: the last full import and import update, and the export files waiting in the staging area.'
    Description = 'Get-BPImportStatus returns, for each SECONDARY data store (or the stores named), its staging area and whether it can be reached, the last FULL import and the last UPDATE import with their results and failed volumes, the number of export files that arrived since the last successful import, the node replacement pairs and the primary Store ID it imports.'
    Parameters  = @{}
    Outputs     = 'BackPak.Core.Sync.ImportStatus'
    Examples    = @(
        @{
            Title   = 'Is the secondary behind?'
            Code    = "Get-BPImportStatus -Domain '\B'"
            Remarks = 'WaitingFiles above zero means updates have arrived that were not imported yet.'
        }
        @{
            Title   = 'Failed volumes of the last update'
            Code    = "(Get-BPImportStatus -DataStore DS01 -Domain '\B').LastUpdate.FailedVolumes"
            Remarks = 'The next UPDATE import redoes all volumes (CS p15).'
        }
    )
    Links       = @('Start-BPCatalogImport', 'Get-BPExportStatus')
}
