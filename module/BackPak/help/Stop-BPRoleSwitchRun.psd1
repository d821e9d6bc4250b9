@{
    Synopsis    = 'Abandons an unfinished switch run: records why, releases its data store, and says how each side is left and what to do next.'
    Description = @'
While a switch run is not finished (failed, interrupted, waiting for the operator, or with a damaged journal) it holds its data store: every other change of the store on either node is refused. Stop-BPRoleSwitchRun gives such a run up when it should not be resumed: it records the reason and who gave it up in the run's journal (and in the audit trail of each connected side), releases the store, and returns the run's report with Status Abandoned. The report's Sides say how each side is left (domain access of the store, exports suspended or not, where each side exports to and imports from), and its Message (also written as a warning) says what to do next: for example which side to make PRIMARY again, which exports to resume, and to check replication before a new switch.

A site run (an id starting with SS-) is given up as a whole: each of its stores' unfinished runs is abandoned (and released) as above, then the site run ends; its report (a site switch report) names the stores already switched and how the others are left. A store whose run belongs to a site run can also be given up alone by its own id.

A recovery run (Invoke-BPRecovery, an id starting with RC-) is given up the same way. It changes nothing of the data store itself: it only ends the run. An abandoned run cannot be resumed (SwitchRunAbandoned). It is refused for a completed run (SwitchRunCompleted) and for a run whose process still lives (SwitchInProgress): stop that process's run there (Ctrl-C) first. It works on a damaged journal, even one that was deleted while its lock remained.

-WhatIf names the run, its data store and sides, and changes nothing.
'@
    Parameters  = @{
        RunId  = 'The id of the run to abandon. Binds from the RunId property of Get-BPRoleSwitchRun''s reports.'
        Reason = 'Why the run is abandoned: kept in its journal, its report and the audit trail.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchReport; BackPak.Core.Procedures.SiteSwitchReport for a site run'
    Examples    = @(
        @{
            Title   = 'Give up a failed run and read how each side is left'
            Code    = @'
Add-BPLabFault StagingUnreachable '\B' | Out-Null   # in the lab: the switch stops at its FULL export
try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop } catch { }
Remove-BPLabFault StagingUnreachable -Confirm:$false
$stopped = Get-BPRoleSwitchRun | Where-Object Status -eq 'Failed' | Stop-BPRoleSwitchRun -Reason 'change window closed' -Confirm:$false
$stopped.Sides | Format-Table Node, DomainAccess, ExportSuspended, ExportStagingArea, ImportStagingArea
'@
            Remarks = 'DS01 is free again: backups and removals run, and a new switch can start once Test-BPRoleSwitch passes.'
        }
        @{
            Title   = 'See what would be abandoned'
            Code    = @'
Add-BPLabFault StagingUnreachable '\B' | Out-Null
try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop } catch { $run = $_.TargetObject.RunId }
Remove-BPLabFault StagingUnreachable -Confirm:$false
Stop-BPRoleSwitchRun -RunId $run -Reason 'rehearsal' -WhatIf
'@
            Remarks = 'Names the run, its data store and its sides; nothing is changed.'
        }
    )
    Links       = @('Get-BPRoleSwitchRun', 'Invoke-BPRoleSwitch')
}
