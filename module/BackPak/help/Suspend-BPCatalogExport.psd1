@{
    Synopsis    = 'Stops all catalog export activities of data stores: no new export starts, a running one finishes, and pending updates are kept.'
    Description = @'
Suspend-BPCatalogExport does step 2 of the planned switch on the primary side (CS p42): "stop all BackPak catalog export activities". While a store is suspended no export starts, neither the automatic export updates after backups nor EMS Extractor retries nor an operator-started export; an export already running finishes; updates raised meanwhile are kept, never lost, and go out after Resume-BPCatalogExport.

The manual does not say how the product stops exports: here it is a suspension of the store's exports; setting the store INACTIVE does not stop operator-started exports (CS p14).
'@
    Parameters  = @{
        PassThru = 'Returns the export status of each store afterwards.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Sync.ExportStatus.'
    Examples    = @(
        @{
            Title   = 'Drain, then stop exports before a switch'
            Code    = @'
Wait-BPCatalogExport -DataStore DS01 -Timeout 900
Suspend-BPCatalogExport -DataStore DS01 -PassThru
'@
            Remarks = 'Pending updates are sent first, then no new export starts.'
        }
    )
    Links       = @('Resume-BPCatalogExport', 'Wait-BPCatalogExport', 'Get-BPExportStatus')
}
