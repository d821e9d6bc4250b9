@{
    Synopsis    = 'Takes a data store over at its SECONDARY side after the PRIMARY side is lost (unplanned takeover), step by step, journaled and resumable.'
    Description = @'
Invoke-BPRecovery is the disaster procedure: the node whose store is PRIMARY is lost, and the SECONDARY side (-Node) takes over. It never reads or changes the lost side. The manual gives the rules it rests on, not the sequence, so most steps are marked inferred with the pages they rest on (the plan lists them all, -WhatIf shows it):

1. check-data-keys: the replicated data and keys are at -Node: every written volume's replica in storage, every encrypted volume's key on a key server the secondary reaches (the same checks as Test-BPRecovery; BB p36/34, CS p6). If something is missing, the run waits for the operator: bring it with the storage's or key server's own tools, or accept to recover without it, and continue with -Resume <run id> -ConfirmStep check-data-keys; the step then says what is still missing.
2. final-full-import: a last FULL import from the staging area, every volume checked (CS p8, p15).
3. import-updates: an UPDATE import of the export files that reached the staging area after that FULL export, so the catalog is the one the primary last exported (CS p15).
4. restores-allowed: restores (load for input) may run on the SECONDARY store from here on (CS p14).
5. hold-exports: the store's catalog export at -Node is held: there is no secondary to export to yet; the updates of new backups are kept.
6. promote: the store at -Node becomes PRIMARY; backups may run there (CS p14).
7. timestamp-check: the volumes whose replica the timestamp check would refuse (another timestamp than the catalog's, or the wrong size) are listed with the way out: turn the timestamp check off at volume or store level, or delete the stale INDEX copies (BB p80/78). They are in the report's TimestampRefused and a warning.
8. new-secondary: left to the operator, recorded as Skipped: once a new secondary exists, set a staging area on it as the export target, resume the export, and run a FULL export and import. The report's NextSteps says it with the commands.

Before anything is written the recovery is refused, leaving no run, when the store is not SECONDARY at -Node (RecoveryNotSecondary), or when the PRIMARY side is not known to be lost: it still answers as PRIMARY (two PRIMARY sides would both take backups), or it does not answer and -PrimaryLost was not given, because a lost node and a cut link look alike (RecoveryPrimaryNotFenced). -PrimaryLost is the confirmation: the operator types the lost node's name; a name that is not the store's PRIMARY side (as the secondary knows its partner) is refused with RecoveryPrimaryLostMismatch. The side is asked through its connection in the session, else the way the secondary's provider opens the other nodes of its estate; with -PrimaryLost the run goes on even if it still answers, and the operator keeps it fenced.

Like the planned switch, the run holds the store from its first record to its end (every other change of it is refused with SwitchInProgress), keeps a journal (the same journals as the switch; Get-BPRoleSwitchRun lists recovery runs, their ids start with RC-), and a failed step stops it with RecoveryStepFailed, naming the step and the run id. -Resume <run id> continues it, from any process; what an interrupted step had done is checked, not redone; a process killed at any point resumes to the state an uninterrupted run ends in. Ctrl-C leaves it Interrupted. Stop-BPRoleSwitchRun gives a recovery run up.

When the lost node comes back it still says PRIMARY for the store: keep it fenced until it is made the SECONDARY of the new primary.
'@
    Parameters  = @{
        DataStore   = 'Store ID of the data store to recover. With -Resume it may be left out; given, it must be the run''s.'
        Node        = 'The domain whose copy of the store is SECONDARY, the side that takes over: a connection or a node name such as \B. With -Resume it may be left out; given, it must be the run''s.'
        PrimaryLost = 'The lost PRIMARY node, typed as the confirmation that it is lost or fenced (no backup can reach it), such as \A. Needed unless that side answers, and answers as other than PRIMARY. A node that is not the store''s PRIMARY side is refused (RecoveryPrimaryLostMismatch). With -Resume it may be left out (the run recorded it); given, it must be the run''s.'
        Resume      = 'The id of a recovery run to continue after its failed, interrupted or waiting step (alias RunId). The run knows its data store and both sides. Binds from the RunId of a run piped from Get-BPRoleSwitchRun, so Get-BPRoleSwitchRun -RunId RC-... | Invoke-BPRecovery continues it (a switch''s or reprotect''s run piped in is refused, naming its own command).'
        ConfirmStep = 'With -Resume: the id of the step the run waits for, done or accepted by the operator (check-data-keys).'
    }
    Outputs     = 'BackPak.Core.Procedures.RecoveryReport'
    Examples    = @(
        @{
            Title   = 'Take DS01 over at \B after \A is lost'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null      # in the lab: the disaster
Test-BPRecovery DS01 -Node '\B' | Format-Table Name, Passed
$report = Invoke-BPRecovery -DataStore DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false
$report.Steps | Format-Table Number, Id, Status, Source
$report.NextSteps
Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\B' -Confirm:$false | Format-Table Label, LastBackup
'@
            Remarks = 'The recovery test says what could not be compared with the lost side; the recovery runs every step, and backups run at \B afterwards.'
        }
        @{
            Title   = 'While \A still answers as PRIMARY, the recovery is refused'
            Code    = @'
try { Invoke-BPRecovery DS01 -Node '\B' -Confirm:$false -ErrorAction Stop }
catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
'@
            Remarks = 'RecoveryPrimaryNotFenced: nothing was started. A planned switch (Invoke-BPRoleSwitch) is the way while both sides answer.'
        }
        @{
            Title   = 'The plan, without changing anything'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null
Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -WhatIf
'@
            Remarks = 'One line per step with its kind and its source page, or inferred. A recovery that would be refused (the store not SECONDARY at -Node, the primary still answering as PRIMARY) is said first, as a warning naming the ErrorId the run would raise.'
        }
        @{
            Title   = 'Continue after a failed step, by the run id alone'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null
Add-BPLabFault StagingUnreachable '\B' | Out-Null    # the staging area cannot be read either
try { Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false -ErrorAction Stop }
catch { $run = $_.TargetObject.RunId; Write-Warning $_.Exception.Message }
Remove-BPLabFault StagingUnreachable -Confirm:$false   # the cause is fixed
(Invoke-BPRecovery -Resume $run -Confirm:$false).Status
'@
            Remarks = 'The error carries the run report; -Resume continues from the failed import.'
        }
    )
    Links       = @('Test-BPRecovery', 'Get-BPRoleSwitchRun', 'Stop-BPRoleSwitchRun', 'Add-BPLabFault', 'Invoke-BPRoleSwitch')
}
