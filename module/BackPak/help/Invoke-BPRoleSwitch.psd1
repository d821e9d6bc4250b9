@{
    Synopsis    = 'Switches the PRIMARY and SECONDARY roles of a data store between two NonStop nodes, step by step, journaled and resumable.'
    Description = @'
Invoke-BPRoleSwitch runs the planned switch of Get-BPRoleSwitchPlan: wait until no backup runs; drain pending exports; a last FULL export and FULL import; check and reverse storage and key replication; demote the primary, promote the secondary; move the staging area to the side that becomes secondary; configure export and import (node replacement reversed); prove the new direction with a FULL export and import; resume exports. Write-Progress shows each step.

Each run has an id and a journal (JSON lines, one record per step event, flushed before the step goes on). A failed step stops the run with SwitchStepFailed, naming the step and the run id; -Resume <run id> continues after it, checking what the interrupted step had already done. A process killed at any point resumes the same way, and the result equals an uninterrupted run. An external step with no facility to call stops the run as awaiting the operator; resume it with -ConfirmStep once done by hand. While a run of a data store is not finished, another run of it is refused (SwitchInProgress).

-WhatIf lists the steps and changes nothing. Switching back is the same command with the nodes exchanged. The result is a run report; ConvertTo-Json turns it into a change record.
'@
    Parameters  = @{
        DataStore   = 'Store ID of the data store to switch. Binds from a plan piped from Get-BPRoleSwitchPlan.'
        Primary     = 'The domain whose store is PRIMARY now: a connection or a node name such as \A.'
        Secondary   = 'The domain whose store is SECONDARY now: a connection or a node name such as \B.'
        Timeout     = 'Seconds a waiting step (running backups, pending exports) may wait before the run stops. The default is 600.'
        Resume      = 'The id of a run to continue after its failed, interrupted or waiting step.'
        ConfirmStep = 'With -Resume: the id of the external step the operator has done by hand.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchReport'
    Examples    = @(
        @{
            Title   = 'Switch DS01 from \A to \B, with a change record'
            Code    = @'
$report = Invoke-BPRoleSwitch -DataStore DS01 -Primary '\A' -Secondary '\B' -Confirm:$false
$report.Steps | Format-Table
$report | ConvertTo-Json -Depth 4 | Set-Content ./DS01-switch.json
'@
            Remarks = 'Runs every step with a progress bar and keeps the report.'
        }
        @{
            Title   = 'Continue after a failure or an interruption'
            Code    = @'
try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop }
catch { $run = $_.TargetObject.RunId }
# ... fix the cause ...
Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Resume $run -Confirm:$false
'@
            Remarks = 'The error carries the run report; -Resume continues after the failed step.'
        }
        @{
            Title   = 'Switch back'
            Code    = "Invoke-BPRoleSwitch -DataStore DS01 -Primary '\B' -Secondary '\A' -Confirm:`$false"
            Remarks = 'The same procedure with the roles exchanged.'
        }
    )
    Links       = @('Get-BPRoleSwitchPlan', 'Test-BPRoleSwitch', 'Get-BPRoleSwitchRun')
}
