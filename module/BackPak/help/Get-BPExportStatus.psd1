@{
    Synopsis    = 'Shows the Export Status of data stores: whether export is active or suspended, the last full export and export update, the volumes waiting to be exported, the staging area and the export lag.'
    Description = @'
Get-BPExportStatus is the Export Status page of the Catalog Sync option, one object per data store. Before a switch of roles the manual asks to "check the status of export updates in the Export Status page and wait for completion of pending exports" (CS p42).

Each object tells: State (Active, Suspended, or NotPrimary for stores that do not export); Running (an export runs now); LastFullExport and LastUpdate (start, end, result, volumes and entries sent); Pending (each volume waiting: label, reason, retry count, last error, next retry at the export check delay); the staging area and whether it can be reached; the newest backup and the newest successful export; and Lag, the age of the oldest update not yet in the staging area (zero when nothing is pending: updates held by a suspension or waiting for a retry count, so a suspended store with updates held lags more every second).

Reading the status lets the domain run the work that is due, as the Domain Manager and the EMS Extractor do in the background: export updates raised by backups and retries of failed ones. The manual does not list the columns of the Export Status page; this shape is the module's own and its enumerations read Unknown for a value they do not know.
'@
    Parameters  = @{}
    Outputs     = 'BackPak.Core.Sync.ExportStatus'
    Examples    = @(
        @{
            Title   = 'Export status of every data store of the primary node'
            Code    = "Get-BPExportStatus -Domain '\A'"
            Remarks = 'One line per data store; the SECONDARY and local stores show NotPrimary or an idle state.'
        }
        @{
            Title   = 'What is waiting, and why'
            Code    = "(Get-BPExportStatus -DataStore DS01).Pending | Format-Table"
            Remarks = 'Each pending volume with its reason (Unload, Creation, StatusChange), retry count, next retry and last error.'
        }
        @{
            Title   = 'From the data store list'
            Code    = "Get-BPDataStore | Where-Object DomainAccess -eq 'Primary' | Get-BPExportStatus"
            Remarks = 'Piped data stores are read on the node they came from.'
        }
    )
    Links       = @('Wait-BPCatalogExport', 'Suspend-BPCatalogExport', 'Start-BPCatalogExport')
}
