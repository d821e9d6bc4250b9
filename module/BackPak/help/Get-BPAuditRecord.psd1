@{
    Synopsis    = 'Reads the audit trail of a domain: the start, changes, refusals and end of every operation that changed something through the module, newest first.'
    Description = @'
Get-BPAuditRecord returns the audit trail kept in the BackPak catalog of a node. Every command that changes something is one operation with an OperationId (such as 20261101-002233-3FA9C1: the UTC time it started, then 6 random hex digits), carried by its audit records and by the results of its changes (VolumeRemovalResult, DecommissionResult, KeyRemovalResult, the role switch report). In each domain it changes, an operation writes a Start record (the command and how it was called, never a secret), a Change record per change (a volume, a volume group, a data store, a key, a setting), a Refusal record per error that stopped a change (with its ErrorId), and an End record with its outcome (Succeeded, Failed or Stopped) and its counts. -WhatIf records nothing.

Each record says when (the domain's clock, the lab's clock in a lab; shown and exported as ISO 8601 UTC), who, from which host, on which node, the kind, the action (cmdlet-style: Remove-BPVolume, Remove-BPVolumeGroup, Remove-BPDataStore, Remove-BPEncryptionKey, Set-BPDataStore, ...), the target, the result, the ErrorId and details. Targets are hierarchical: DS02 is the data store, DS02/AB1234 a volume of it, DS02/GRP1 a volume group; -Target DS02 finds all of them, and wildcards work (-Target 'DS0*'). Records of a lab made by an older module keep their old action names (RemoveVolume) in the store and are read under the new ones.

Without -Last or -All, the newest 100 matching records are returned, with a warning when more match. Export-BPChangeRecord writes one operation as a change record to attach to a ticket.
'@
    Parameters  = @{
        Action      = 'Only records of these actions, cmdlet-style (Remove-BPVolume; an older name such as RemoveVolume selects the same records). Wildcards work. Tab completes the known actions.'
        Target      = 'Only records about these targets or anything under them: DS02 finds DS02, DS02/AB1234 and DS02/GRP1, not DS021. Wildcards work: DS0* or DS02/AB*.'
        OperationId = 'Only the records of these operations. Binds from the OperationId property of piped results (Remove-BPVolume -PassThru | Get-BPAuditRecord). Tab completes the recent operations of the connected domains.'
        Kind        = 'Only records of these kinds: Start, Change, Refusal, End.'
        Last        = 'The number of records to return at most, newest first. The default is 100, with a warning when more match.'
        All         = 'Returns every matching record.'
        Domain      = 'The domain: a connection or a node name. The default connection when not given.'
    }
    Outputs     = 'BackPak.Core.Model.AuditRecord'
    Examples    = @(
        @{
            Title   = 'Everything done to a data store, and how each operation ended'
            Code    = @'
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore | Out-Null
Get-BPVolume -DataStore DS02 -Expired | Select-Object -First 5 | Remove-BPVolume -Force
Get-BPAuditRecord -Target DS02 -Kind Change | Measure-Object     # the volume removals, DS02/<label>
Get-BPAuditRecord -Target 'DS0*' -Kind Start, End | Format-Table -Wrap
'@
            Remarks = 'The volume removals have targets DS02/<label>, found by -Target DS02. The Start and End records say who ran which command, how, and with what outcome.'
        }
        @{
            Title   = 'The records of one operation, from its result'
            Code    = @'
$v = Get-BPVolume -DataStore DS01 -Expired | Select-Object -First 2
$results = $v | Remove-BPVolume -Force -PassThru
$results[0].OperationId
$results | Get-BPAuditRecord | Sort-Object Id | Format-Table Kind, Action, Target, Result -AutoSize
'@
            Remarks = 'Both results carry the id of their operation; piped to Get-BPAuditRecord they select its Start, two Change and End records.'
        }
        @{
            Title   = 'Refusals, with their ErrorIds'
            Code    = @'
$young = Get-BPVolume -DataStore DS01 -NotExpired | Select-Object -First 1
$young | Remove-BPVolume -Force -ErrorAction SilentlyContinue
Get-BPAuditRecord -Kind Refusal -Last 5 | Format-Table At, Action, Target, ErrorId -AutoSize
'@
            Remarks = 'A removal refused by a rule (here a volume that holds data not yet expired: VolumeNotExpired) is recorded with its ErrorId, and its operation ends Failed.'
        }
    )
    Links       = @('Export-BPChangeRecord', 'Remove-BPVolume', 'Remove-BPDataStore')
}
