@{
    Synopsis    = 'Waits until no catalog export of the data stores is pending or running, with a progress bar.'
    Description = @'
Wait-BPCatalogExport watches the Export Status of each data store until nothing is pending and no export runs, letting the domain send due updates and retries meanwhile, and returns the final status.

A wait that nothing can satisfy ends at once in an error instead of waiting out its time, so a runbook with -ErrorAction Stop never goes on with exports not drained: ExportSuspended when updates are held by Suspend-BPCatalogExport (Resume-BPCatalogExport sends them at once), StagingUnreachable when the staging area cannot be reached now (the message gives the cause found now), StagingAreaNotSet when the store has none, ActionNotAllowed when an INACTIVE store holds updates (automatic exports and retries do not run on it).

If the time runs out it writes ExportWaitTimeout with what holds now: an export running, the volumes still pending and the time of the EMS Extractor's next retry. It never repeats the error of an earlier attempt as the reason. The way out it names: Start-BPCatalogExport -Type Update sends the pending updates at once.
'@
    Parameters  = @{
        Timeout = 'Seconds to wait at most. The default is 600; 0 checks once.'
    }
    Outputs     = 'BackPak.Core.Sync.ExportStatus'
    Examples    = @(
        @{
            Title   = 'Wait up to 15 minutes, and stop the runbook if exports do not drain'
            Code    = "Wait-BPCatalogExport -DataStore DS01 -Timeout 900 -ErrorAction Stop"
            Remarks = 'Returns the status once every pending update reached the staging area; stops at once with an error when exports are suspended or the staging area cannot be reached.'
        }
        @{
            Title   = 'Send what is pending now instead of waiting for the next retry'
            Code    = @'
try { Wait-BPCatalogExport -DataStore DS01 -Timeout 5 -ErrorAction Stop }
catch {
    if ($_.FullyQualifiedErrorId -notlike 'ExportWaitTimeout,*') { throw }
    Start-BPCatalogExport -DataStore DS01 -Type Update -Confirm:$false
    Wait-BPCatalogExport -DataStore DS01 -Timeout 60 -ErrorAction Stop
}
'@
            Remarks = 'A wait that timed out leaves the updates pending until the EMS Extractor retries them at the export check delay; a manual UPDATE export sends them at once.'
        }
    )
    Links       = @('Get-BPExportStatus', 'Suspend-BPCatalogExport')
}
