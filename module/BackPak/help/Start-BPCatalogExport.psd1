@{
    Synopsis    = 'Starts a catalog export by hand: FULL (every volume of the store) or UPDATE (the pending volumes).'
    Description = @'
Start-BPCatalogExport does what the GUI export action or the scheduled NetBatch full export does on a PRIMARY data store [CS p15, p16]. A FULL export writes the BackPak and DSM/TC entries of every volume of the store to the staging area; it is the only way deletions reach the secondary (through a FULL import, CS p15). An UPDATE sends now the volumes waiting to be exported, for example to speed up a retry.

It runs to its end and returns the run. It is refused on a store that is not PRIMARY (ActionNotAllowed, CS p14), while export is suspended (ExportSuspended), or while another export or import of the store runs (SyncInProgress, CS p15). It works on an INACTIVE store (CS p14). An unreachable staging area is a StagingUnreachable error, and the volumes stay pending.
'@
    Parameters  = @{
        Type = 'Full or Update.'
    }
    Outputs     = 'BackPak.Core.Sync.SyncRun'
    Examples    = @(
        @{
            Title   = 'The monthly full export'
            Code    = "Start-BPCatalogExport -DataStore DS01 -Type Full -Domain '\A'"
            Remarks = 'Writes the full export to the staging area on the secondary node and reports the volumes and entries sent.'
        }
    )
    Links       = @('Start-BPCatalogImport', 'Get-BPExportStatus')
}
