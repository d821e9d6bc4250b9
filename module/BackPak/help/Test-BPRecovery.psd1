@{
    Synopsis    = 'Checks, without changing anything, whether a data store could be recovered at its SECONDARY side now, one object per check.'
    Description = @'
Test-BPRecovery answers "could we recover here now?" at the node whose copy of the data store is SECONDARY, the side that would take over after a disaster. It changes nothing: it reads the catalogs, the import and export status, the replicated volume images in storage and the key server. One check object per point, each with Name, Node, Passed, Detail and Source (the manual page, or "inferred (...)"):

secondary store: the store is SECONDARY on -Node, where restores may run (load for input) and backups may not (CS p14). Otherwise the command stops with RecoveryNotSecondary and checks nothing.
last import current: the last completed import started after the primary's last completed export, no import failed since and no export file waits in the staging area; the detail says how far behind it is, in time and in volumes changed on the primary (CS p8, p15).
replicas present: every written (not SCRATCH) volume has its index and data file in the store's storage at the secondary (BB p36/34).
replica size and timestamp: each replica carries the volume timestamp the secondary's catalog holds (the secondary checks the version with it, BB p36/34) and the data size its index records and the primary's image has.
encryption keys at the secondary: every encrypted volume's Media Key Name is on a key server reachable from the secondary: a key manager connected in the session with the secondary's Key Manager id, else the one its provider opens (in the lab, the key store of the secondary's site) (CS p6, TEO p10).
DSM/TC entries: each DSM/TC volume has as many DSM/TC entries at the secondary as at the primary (TMF entries are not replicated, inferred).
sample restores read back: -SampleSize replica images, evenly over the labels, read back with the label the catalog gives (inferred: load for input is allowed on a SECONDARY store, CS p14).
staging space: the staging area the store imports from is reachable and has the free space the planned switch asks for (the floor is inferred).

The PRIMARY side to compare with is the store's other side as the provider knows it, when that domain is connected, or -Primary. When it is not connected, the checks that compare with it say they could not, and have not passed; a provider that does not offer a read gets "could not check: the provider does not offer ...", never a pass.

With -Save the test is also kept as a signed-off record (Id, data store, node, user, time, result, failed count, each check's name, result and detail, and -Note), written whole or not at all; Get-BPRecoveryTest lists the records. The record holds no secret.
'@
    Parameters  = @{
        DataStore  = 'Store ID of the data store to test.'
        Node       = 'The domain whose copy of the store is SECONDARY, the side that would recover: a connection or a node name such as \B.'
        Primary    = 'The domain of the PRIMARY side to compare with: a connection or a node name such as \A. By default the store''s other side, when it is connected.'
        SampleSize = 'How many replica images are read back as a sample restore, 0 to 1000; 0 leaves that check out. The default is 5.'
        Save       = 'Keeps a signed-off record of the test, which Get-BPRecoveryTest lists. The checks are returned all the same.'
        Note       = 'A note kept with the record (-Save): a change number, who signed off.'
        Quiet      = 'Returns only $true when every check passed, else $false.'
    }
    Outputs     = 'BackPak.Core.Procedures.RecoveryCheck (or System.Boolean with -Quiet).'
    Examples    = @(
        @{
            Title   = 'A recovery test after a FULL export and import'
            Code    = @'
Start-BPCatalogExport DS01 -Type Full -Domain '\A' -Confirm:$false | Out-Null
Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:$false | Out-Null
Test-BPRecovery -DataStore DS01 -Node '\B' | Format-Table
'@
            Remarks = 'One line per check with its detail; every check passes on a lab in step.'
        }
        @{
            Title   = 'Keep the evidence of the test'
            Code    = @'
Test-BPRecovery DS01 -Node '\B' -SampleSize 20 -Save -Note 'quarterly DR test, change 4711' | Where-Object { -not $_.Passed }
Get-BPRecoveryTest -DataStore DS01 -Last 1 | Format-List
'@
            Remarks = 'The failed checks, then the record just kept. On a new lab the store was never imported at \B, so the import check fails.'
        }
        @{
            Title   = 'Gate a runbook'
            Code    = "if (-not (Test-BPRecovery DS01 -Node '\B' -Quiet)) { Write-Warning 'DS01 could not be recovered at \B now' }"
            Remarks = 'Warns unless every check passed.'
        }
    )
    Links       = @('Get-BPRecoveryTest', 'Start-BPCatalogImport', 'Test-BPRoleSwitch')
}
