@{
    Synopsis    = 'Waits until no catalog export of the data stores is pending or running, with a progress bar.'
    Description = @'
Wait-BPCatalogExport watches the Export Status of each data store until nothing is pending and no export runs, letting the domain send due updates and retries meanwhile, and returns the final status. For a suspended store it waits only for a running export to end and warns about the updates held by the suspension.

If the time runs out it writes ExportWaitTimeout, naming the volumes still pending and their last error (for example the staging area being unreachable).
'@
    Parameters  = @{
        Timeout = 'Seconds to wait at most. The default is 600; 0 checks once.'
    }
    Outputs     = 'BackPak.Core.Sync.ExportStatus'
    Examples    = @(
        @{
            Title   = 'Wait up to 15 minutes, and stop the runbook if exports do not drain'
            Code    = "Wait-BPCatalogExport -DataStore DS01 -Timeout 900 -ErrorAction Stop"
            Remarks = 'Returns the status once every pending update reached the staging area.'
        }
    )
    Links       = @('Get-BPExportStatus', 'Suspend-BPCatalogExport')
}
