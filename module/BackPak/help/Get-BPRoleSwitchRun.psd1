@{
    Synopsis    = 'Lists switch runs, and the recovery runs kept in the same journals, from their journals: their steps, status, times and messages.'
    Description = @'
Get-BPRoleSwitchRun reads the journals and locks of role switch runs kept by the provider (in a lab, in its runs folder) and returns a report per run: Completed; Failed (with the failed step); AwaitingOperator; Running while a process runs it; Interrupted when that process is gone or was stopped (Ctrl-C); Abandoned (Stop-BPRoleSwitchRun, with its reason); or Damaged when its journal cannot be read whole (cut, emptied, overwritten, or deleted while its lock remains). A damaged run is listed from its lock, with the way out: Stop-BPRoleSwitchRun.

Each report names its data store and both sides, so it can be piped to Invoke-BPRoleSwitch (to resume it) or Stop-BPRoleSwitchRun (to abandon it).

A site run (Invoke-BPRoleSwitch of several data stores, an id starting with SS-) is listed as a site switch report: its data stores, its status read from its stores' runs (Completed once every store is), and each store's run, which is listed on its own too (its header names the site run). A site report piped to Invoke-BPRoleSwitch resumes the whole site.

Recovery runs (Invoke-BPRecovery, ids starting with RC-) share the journals and are listed too, as recovery reports; one is continued with Invoke-BPRecovery -Resume <run id> and given up with Stop-BPRoleSwitchRun.
'@
    Parameters  = @{
        RunId = 'Only these runs; all runs when not given.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchReport, BackPak.Core.Procedures.SiteSwitchReport, BackPak.Core.Procedures.RecoveryReport, BackPak.Core.Procedures.ReprotectReport'
    Examples    = @(
        @{
            Title   = 'Runs that are not finished'
            Code    = "Get-BPRoleSwitchRun | Where-Object Status -notin 'Completed', 'Abandoned'"
            Remarks = 'Each can be continued with Invoke-BPRoleSwitch -Resume, or given up with Stop-BPRoleSwitchRun.'
        }
        @{
            Title   = 'The steps of the last run'
            Code    = @'
Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false | Out-Null
$last = Get-BPRoleSwitchRun | Select-Object -Last 1
$last.Steps | Format-Table Number, Id, Node, Status, Duration
'@
            Remarks = 'Runs are listed oldest first; the report is the same as the one Invoke-BPRoleSwitch returned.'
        }
    )
    Links       = @('Invoke-BPRoleSwitch', 'Stop-BPRoleSwitchRun')
}
