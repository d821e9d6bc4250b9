@{
    Synopsis    = 'Switches the PRIMARY and SECONDARY roles of a data store between two NonStop nodes, step by step, journaled and resumable.'
    Description = @'
Invoke-BPRoleSwitch runs the planned switch of Get-BPRoleSwitchPlan: wait until no backup runs; drain pending exports; a last FULL export and FULL import; check and reverse storage and key replication; demote the primary, promote the secondary; move the staging area to the side that becomes secondary; configure export and import (node replacement reversed); prove the new direction with a FULL export and import; resume exports. Write-Progress shows each step.

Before anything is written, the preconditions that no step can bring about are checked (the blocking checks of Test-BPRoleSwitch): the store is PRIMARY on -Primary and SECONDARY on -Secondary, exports of the primary are set up and not suspended, no removal of the store is running or left unfinished, and the catalogs and Key Manager ids fit. A switch in the wrong direction is refused with SwitchWrongDirection, which names the right one; any other failed check with SwitchPreconditionFailed (or RemovalUnfinished). Then no run and no lock is left.

Each run has an id and a journal (JSON lines, one record per step event, flushed before the step goes on; the first record is on disk before anything changes). While a run of a data store is not finished, it holds the store: every other change of that store on either node (removals, backups, settings, exports and imports, another switch) is refused with SwitchInProgress, which names the run and the way out. Before it demotes the primary, the switch also checks that nothing of the store changed since its last FULL export (a tape application that wrote a volume); if something did, the step fails naming the volumes, and resuming redoes the export and import.

A failed step stops the run with SwitchStepFailed, naming the step and the run id. -Resume <run id> continues it: the journal knows the data store and both sides, so the id alone is enough (a -DataStore, -Primary or -Secondary given must agree with it). What the interrupted step had already done is checked, not redone. A process killed at any point resumes the same way, and the result equals an uninterrupted run. Ctrl-C stops a run where it is: it is left Interrupted, still holding its store, and -Resume continues it from any process. One process runs a run at a time: a -Resume of a run whose process lives is refused with SwitchInProgress. An external step (checking and reversing storage and key replication) calls the link registered for the store with Register-BPReplicationLink, else the provider's link; with neither, or with a registered link that has no -Status script for the check, it stops the run as awaiting the operator: resume it with -ConfirmStep once done by hand. A registered link's script that fails stops the step with ReplicationLinkFailed, and the run resumes once the script is fixed. To give a run up, use Stop-BPRoleSwitchRun.

Several data stores (-DataStore DS01, DS04, or data stores piped from Get-BPDataStore) switch as one site run, whose id starts with SS-: one plan, one confirmation, one report (a SiteSwitchReport listing each store's run). Every store is checked before any is touched, then every store's run takes its lock before any step runs; a store that cannot start refuses them all with SiteSwitchRefused and nothing is changed. The stores then switch side by side, at most -ThrottleLimit at once; stores whose storage replication is one link switch one at a time, since turning the link round for one turns it for all, and a link several stores share (the key server's) is read and turned by one store at a time. A store whose step fails writes its error and the others go on to their end; the report says which store stopped where. -Resume <SS- id> continues every store's run where its journal is and starts those that never started; with -ConfirmStep it confirms that step in each store waiting at it. Each store's run (SW-...) can also be resumed or abandoned on its own. Running stores in parallel and the grouping rule are inferred: the manual switches one store at a time.

-WhatIf lists the steps (with -Resume, those left to do), each external step with the link that will do it, and changes nothing; it calls no link script. When the run would be refused (the wrong direction, a failed start check, another run holding the store), a warning says so first, with the ErrorId the run would raise; with several stores, each store that would be refused, then the site. Switching back is the same command with the nodes exchanged. The result is a run report; ConvertTo-Json turns it into a change record.
'@
    Parameters  = @{
        DataStore   = 'Store ID of the data store to switch; several switch as one site run. Binds from the DataStore or Name property of piped objects: a plan from Get-BPRoleSwitchPlan, data stores from Get-BPDataStore (every piped store joins one site run, started when the pipeline ends). With -Resume it may be left out; given, it must be the run''s.'
        ThrottleLimit = 'With several data stores: how many switch at once, at most (1 to 64). 1 switches them one after another. The default is 5, as for ForEach-Object -Parallel.'
        Primary     = 'The domain whose store is PRIMARY now: a connection or a node name such as \A. With -Resume it may be left out; given, it must be the run''s.'
        Secondary   = 'The domain whose store is SECONDARY now: a connection or a node name such as \B. With -Resume it may be left out; given, it must be the run''s.'
        Timeout     = 'Seconds a waiting step (running backups, pending exports) may wait before the run stops. The default is 600. A wait nothing can end (the staging area cannot be reached, exports suspended) stops at once.'
        Resume      = 'The id of a run to continue after its failed, interrupted or waiting step (alias RunId). A run piped from Get-BPRoleSwitchRun is resumed the same way. An empty or unknown id is an error (SwitchRunNotFound), never a new run.'
        ConfirmStep = 'With -Resume: the id of the external step the operator has done by hand.'
        InputObject = 'What comes down the pipeline, whole: a run report from Get-BPRoleSwitchRun (a store''s or a site''s) is resumed where its journal is (its own data stores and sides); a plan from Get-BPRoleSwitchPlan binds its DataStore, Primary and Secondary and starts a run. Not meant to be typed.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchReport (one data store); BackPak.Core.Procedures.SiteSwitchReport (several)'
    Examples    = @(
        @{
            Title   = 'Switch DS01 from \A to \B, with a change record'
            Code    = @'
$report = Invoke-BPRoleSwitch -DataStore DS01 -Primary '\A' -Secondary '\B' -Confirm:$false
$report.Steps | Format-Table Number, Id, Status, Message
$report | ConvertTo-Json -Depth 4 | Set-Content ./DS01-switch.json
'@
            Remarks = 'Runs every step with a progress bar and keeps the report.'
        }
        @{
            Title   = 'Continue after a failure, by the run id alone'
            Code    = @'
Add-BPLabFault StagingUnreachable '\B' | Out-Null   # in the lab: the Expand link to \B goes down
try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop }
catch { $run = $_.TargetObject.RunId; Write-Warning $_.Exception.Message }
Remove-BPLabFault StagingUnreachable -Confirm:$false      # the cause is fixed
(Invoke-BPRoleSwitch -Resume $run -Confirm:$false).Status
'@
            Remarks = 'The error carries the run report; -Resume continues after the failed step, and the run knows the data store and both sides.'
        }
        @{
            Title   = 'Resume every unfinished run from the list'
            Code    = @'
Add-BPLabFault StagingUnreachable '\B' | Out-Null
try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop } catch { }
Remove-BPLabFault StagingUnreachable -Confirm:$false
Get-BPRoleSwitchRun | Where-Object Status -in 'Failed', 'Interrupted' | Invoke-BPRoleSwitch -Confirm:$false
'@
            Remarks = 'A piped run is resumed where its journal is. A run stopped with Ctrl-C is Interrupted and continues the same way.'
        }
        @{
            Title   = 'A switch in the wrong direction is refused before it starts'
            Code    = @'
try { Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false }
catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
'@
            Remarks = 'SwitchWrongDirection names the right direction; no run and no lock are left, so the right command can follow at once.'
        }
        @{
            Title   = 'Switch a whole site: every data store \B holds as SECONDARY, as one run'
            Setup   = @('SiteLab', 'Domains')
            Code    = @'
$site = Get-BPDataStore -Domain '\B' | Where-Object DomainAccess -eq 'Secondary' |
    Invoke-BPRoleSwitch -Primary '\A' -Secondary '\B' -Confirm:$false
$site
$site.Stores | Format-Table DataStore, RunId, Status, Duration
'@
            Remarks = 'Every piped store joins one site run: all are checked and held before the first change, then they switch side by side. The report lists each store''s run.'
        }
        @{
            Title   = 'See the plan of a site switch without changing anything'
            Setup   = @('SiteLab', 'Domains')
            Code    = @'
Invoke-BPRoleSwitch -DataStore DS01, DS04 -Primary '\A' -Secondary '\B' -ThrottleLimit 1 -WhatIf
'@
            Remarks = 'Lists every step of every store, then the whole: how many stores switch at once and which share storage replication.'
        }
        @{
            Title   = 'A site run that stopped is continued as one run'
            Setup   = @('SiteLab', 'Domains')
            Code    = @'
Add-BPLabFault StagingUnreachable '\B' | Out-Null   # in the lab: the Expand link to \B goes down
$site = Invoke-BPRoleSwitch -DataStore DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction SilentlyContinue
$site.Status                                       # Failed: each store's run stopped at its step
Remove-BPLabFault StagingUnreachable -Confirm:$false
(Invoke-BPRoleSwitch -Resume $site.RunId -Confirm:$false).Status
'@
            Remarks = 'Each store''s failure is written as its own error (SwitchStepFailed); -Resume with the site run''s id continues every store where its journal is.'
        }
        @{
            Title   = 'Switch, then switch back'
            Code    = @'
Invoke-BPRoleSwitch -DataStore DS01 -Primary '\A' -Secondary '\B' -Confirm:$false | Out-Null
Invoke-BPRoleSwitch -DataStore DS01 -Primary '\B' -Secondary '\A' -Confirm:$false
'@
            Remarks = 'Switching back is the same procedure with the roles exchanged.'
        }
    )
    Links       = @('Get-BPRoleSwitchPlan', 'Test-BPRoleSwitch', 'Get-BPRoleSwitchRun', 'Stop-BPRoleSwitchRun', 'Register-BPReplicationLink')
}
