@{
    Synopsis    = 'Makes the old PRIMARY side of a data store, back after an unplanned takeover, the SECONDARY of the side that took over: demoted first, its stale state listed, replication and staging turned round, a FULL export and import, the catalogs compared.'
    Description = @'
Invoke-BPReprotect follows Invoke-BPRecovery. When the lost node (-Node) comes back it still says PRIMARY for the store, with what it wrote after its last export reached the other side. The reprotect makes it the SECONDARY of the node that took over, so that a planned switch (Invoke-BPRoleSwitch) can later give it its role back. The manual has no page for it: every step is marked inferred with the rules it rests on (the plan lists them all, -WhatIf shows it):

1. demote-returning: the store on -Node becomes SECONDARY before anything else, so it cannot take a backup (CS p14). Its Catalog Sync Export settings are recorded for step 6.
2. list-stale: what -Node holds of the store as the PRIMARY side does not: volumes only there (never received on the PRIMARY side, or deleted there since the takeover) and volumes written there later than the PRIMARY side knows. If there are any, the run waits for the operator before anything of them is replaced: restore what must be kept (load for input is allowed on the SECONDARY store) or copy their images aside, then continue with -Resume <run id> -ConfirmStep list-stale. The report's StaleVolumes lists what was accepted.
3. reverse-storage-replication and 4. reverse-key-replication: replication is turned to flow from the PRIMARY side's site (a link registered with Register-BPReplicationLink, else the provider's, else the operator confirms it). The lab's links copy what the new source has and the target lacks, as an array's resync does; nothing only the target has is deleted.
5. move-staging: a staging subvolume on -Node becomes the export target of the PRIMARY side and the import source of -Node (free space checked; CS p41, p20).
6. configure-export: the PRIMARY side's export check delay and full export frequency are set as they were on -Node (CS p20).
7. configure-import: -Node's node replacement pairs are the reverse of the PRIMARY side's, with the original store id (CS p9, p12).
8. resume-export: the export the recovery held is resumed on the PRIMARY side.
9. full-export and 10. full-import: a FULL export from the PRIMARY side and a FULL import on -Node, every volume checked (CS p15, p16).
11. compare-catalogs: the BackPak catalogs and DSM/TC entries of the store on both sides are compared volume by volume; a difference sends the run back to the FULL export and import.

Before anything is written the reprotect is refused, leaving no run, when the newest completed procedure of the store is not a recovery that took it over from -Node (ReprotectNoTakeover: the error names the right node when -Node is the one that took over, and says how to switch back when the store was reprotected already), or when a side lacks the store, the side that took over is not PRIMARY, -Node is neither PRIMARY nor SECONDARY, or a backup runs on either side (ReprotectPreconditionFailed). Both nodes must be connected in the session.

Like the switch and the recovery, the run holds the store on both sides from its first record to its end (every other change of it, backups included, is refused with SwitchInProgress), keeps a journal (Get-BPRoleSwitchRun lists reprotect runs, their ids start with RP-), and a failed step stops it with ReprotectStepFailed. -Resume <run id> continues it from any process; a process killed at any point resumes to the state an uninterrupted run ends in. Ctrl-C leaves it Interrupted. Stop-BPRoleSwitchRun gives it up.
'@
    Parameters  = @{
        DataStore   = 'Store ID of the data store. With -Resume it may be left out; given, it must be the run''s.'
        Node        = 'The node that was lost and came back, the old PRIMARY side: a connection or a node name such as \A. It becomes the SECONDARY. The side that took over is found from the recovery run. Needed unless a recovery run is piped in. With -Resume it may be left out; given, it must be the run''s.'
        Resume      = 'The id of a reprotect run to continue after its failed, interrupted or waiting step (alias RunId). The run knows its data store and both sides.'
        InputObject = 'What comes down the pipeline, whole: a recovery run from Get-BPRoleSwitchRun is reprotected where its journal is (its lost node becomes the SECONDARY); a reprotect run is resumed. Not meant to be typed.'
        ConfirmStep = 'With -Resume: the id of the step the run waits for, done or accepted by the operator (list-stale, or a replication step done by hand).'
    }
    Outputs     = 'BackPak.Core.Procedures.ReprotectReport'
    Examples    = @(
        @{
            Title   = 'The disaster, the takeover at \B, and \A back as the SECONDARY of \B'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null                                       # in the lab: the disaster
Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false | Out-Null
Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\B' -Confirm:$false | Out-Null  # \B works alone
Remove-BPLabFault NodeLost '\A' -Confirm:$false                                # \A comes back, still PRIMARY
$report = Invoke-BPReprotect -DataStore DS01 -Node '\A' -Confirm:$false
$report.Steps | Format-Table Number, Id, Status
$report.NextSteps
'@
            Remarks = 'Every step runs; \A is SECONDARY of \B with equal catalogs. NextSteps gives the switch that returns \A its PRIMARY role.'
        }
        @{
            Title   = 'Backups \A took after it came back are listed before they are replaced'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null
Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false | Out-Null
Remove-BPLabFault NodeLost '\A' -Confirm:$false
Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\A' -Confirm:$false | Out-Null  # \A, still PRIMARY, takes backups
$report = Invoke-BPReprotect DS01 -Node '\A' -Confirm:$false 3>$null
$report.Status
$report.Message
(Invoke-BPReprotect -Resume $report.RunId -ConfirmStep list-stale -Confirm:$false).StaleVolumes
'@
            Remarks = 'The run waits at list-stale with \A already SECONDARY (no more backups there); the operator restores what must be kept, then confirms. StaleVolumes records what was accepted.'
        }
        @{
            Title   = 'Naming the node that took over is refused, with the right node'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null
Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false | Out-Null
Remove-BPLabFault NodeLost '\A' -Confirm:$false
try { Invoke-BPReprotect DS01 -Node '\B' -Confirm:$false -ErrorAction Stop }
catch { $_.FullyQualifiedErrorId; $_.Exception.Message; $_.ErrorDetails.RecommendedAction }
'@
            Remarks = 'ReprotectNoTakeover: nothing was changed. \B took DS01 over and stays PRIMARY.'
        }
        @{
            Title   = 'The plan, then the switch back once the reprotect is done'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null
Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false | Out-Null
Remove-BPLabFault NodeLost '\A' -Confirm:$false
Invoke-BPReprotect DS01 -Node '\A' -WhatIf
Get-BPRoleSwitchRun | Where-Object RunId -like 'RC-*' | Invoke-BPReprotect -Confirm:$false | Select-Object RunId, Status
(Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false).Status
'@
            Remarks = 'A recovery run piped in is reprotected where it came from: its lost node becomes the SECONDARY. The planned switch then makes \A PRIMARY again. Under -WhatIf, a reprotect that would be refused (a backup running, a side in the wrong state) is said first, as a warning.'
        }
    )
    Links       = @('Invoke-BPRecovery', 'Invoke-BPRoleSwitch', 'Get-BPRoleSwitchRun', 'Stop-BPRoleSwitchRun', 'Register-BPReplicationLink')
}
