@{
    Synopsis    = 'Writes the change record of one operation to a file to attach to a change ticket: who, where, when, what changed, what was refused, the outcome.'
    Description = @'
Export-BPChangeRecord reads the audit records of one operation (one command, by its OperationId) from every connected domain, since an operation can change both sides of a replicated store, and writes them as one change record: the operation id, the command and how it was called, who ran it and from which host, the nodes, when it started and ended (ISO 8601 UTC, by the domain's clock), its outcome (Succeeded, Failed, Stopped, or Unfinished when a node has its start but no end: still running, or killed; running the same command again completes it), what it changed and what was refused (with ErrorIds).

The format follows the file's extension: .md (Markdown, readable in a ticket), .json (ConvertFrom-Json reads it back, times and kinds as text) or .csv (one row per record; Import-Csv reads it back). Audit records can be piped instead of -OperationId (Get-BPAuditRecord -OperationId <id> | Export-BPChangeRecord -Path change.md); they must belong to one operation. An existing file is replaced only with -Force, and a failed write never leaves half a file.

Errors: OperationNotFound (no connected domain has a record of that operation), ChangeRecordNotWritten (an unknown extension, a file that exists without -Force, records of several operations or of none, a folder that cannot be written), NoDomainConnected.
'@
    Parameters  = @{
        OperationId = 'The operation: the OperationId of a result (Remove-BPVolume -PassThru, Remove-BPDataStore -PassThru, ...) or of its audit records. Tab completes the recent operations of the connected domains.'
        InputObject = 'Audit records of one operation, piped from Get-BPAuditRecord.'
        Path        = 'The file to write: .md, .json or .csv.'
        Force       = 'Replaces a file that exists already.'
        PassThru    = 'Also returns the change record as an object.'
    }
    Outputs     = 'BackPak.Core.Audit.ChangeRecord (with -PassThru)'
    Examples    = @(
        @{
            Title   = 'Remove volumes and write the change record for the ticket'
            Code    = @'
$results = Get-BPVolume -DataStore DS01 -Expired | Select-Object -First 3 | Remove-BPVolume -Force -PassThru
Export-BPChangeRecord -OperationId $results[0].OperationId -Path ./change.md
Get-Content ./change.md
'@
            Remarks = 'change.md names the command, who ran it, on which node, when (UTC), the three volumes removed, nothing refused, and the outcome Succeeded.'
        }
        @{
            Title   = 'The same record as JSON and CSV, read back'
            Code    = @'
$results = Get-BPVolume -DataStore DS01 -Expired | Select-Object -First 3 | Remove-BPVolume -Force -PassThru
$id = $results[0].OperationId
Get-BPAuditRecord -OperationId $id | Export-BPChangeRecord -Path ./change.json
Export-BPChangeRecord $id ./change.csv
(Get-Content ./change.json -Raw | ConvertFrom-Json).Outcome
Import-Csv ./change.csv | Where-Object Kind -EQ Change | Select-Object At, Node, Action, Target, Result
'@
            Remarks = 'Piped records or -OperationId give the same record; the JSON says Succeeded, the CSV lists the three Change rows with their ISO 8601 UTC times.'
        }
        @{
            Title   = 'The change record of a whole decommission'
            Code    = @'
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore | Out-Null
$r = Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Force -PassThru | Where-Object OperationId | Select-Object -Last 1
Export-BPChangeRecord -OperationId $r.OperationId -Path ./ds02-decommission.md -PassThru | Format-List OperationId, Command, Nodes, Started, Ended, Outcome, ChangeCount, RefusalCount
'@
            Remarks = 'Every volume, group and the store removed by the one command, in one file.'
        }
    )
    Links       = @('Get-BPAuditRecord', 'Remove-BPDataStore')
}
