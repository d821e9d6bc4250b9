@{
    Synopsis    = 'Lists the signed-off records of recovery tests (Test-BPRecovery -Save), newest first.'
    Description = @'
Get-BPRecoveryTest reads the records of recovery tests the provider keeps for the estate of the domain (in a lab, one JSON file per record in its recovery-tests folder) and returns them newest first: Id, DataStore, Node (where the SECONDARY store was tested), User, When (by the domain's clock, UTC), Passed, Failed (how many checks failed), Checks (each check's name, result and detail) and Note. They are the evidence auditors ask for: a record is written whole once and never changed.
'@
    Parameters  = @{
        DataStore = 'Only the tests of this data store (Store ID).'
        Node      = 'Only the tests made at this node, such as \B.'
        Last      = 'Only the newest n records.'
    }
    Outputs     = 'BackPak.Core.Procedures.RecoveryTestRecord'
    Examples    = @(
        @{
            Title   = 'The recovery tests of a store'
            Code    = @'
Test-BPRecovery DS01 -Node '\B' -Save -Note 'monthly test' | Out-Null
Get-BPRecoveryTest -DataStore DS01
'@
            Remarks = 'One line per test: when, where, by whom, its result and note.'
        }
        @{
            Title   = 'What failed in the last test'
            Code    = @'
Test-BPRecovery DS01 -Node '\B' -Save | Out-Null
(Get-BPRecoveryTest -Node '\B' -Last 1).Checks | Where-Object { -not $_.Passed }
'@
            Remarks = 'Each check as it was recorded, with its detail.'
        }
    )
    Links       = @('Test-BPRecovery')
}
