@{
    Synopsis    = 'Lab simulation: clears injected faults.'
    Description = 'Remove-BPLabFault removes faults added by Add-BPLabFault: one (kind and target), all of a kind, or all (-All). A node brought back from NodeLost answers again exactly as it was left, with its stale state.'
    Parameters  = @{
        Kind     = 'StagingUnreachable, ImportFailure or NodeLost.'
        Target   = 'The node or label of the fault; all of the kind when not given.'
        All      = 'Removes every fault.'
        PassThru = 'Returns the faults removed.'
    }
    Outputs     = 'With -PassThru, BackPak.Lab.LabFault.'
    Examples    = @(
        @{
            Title   = 'Bring the Expand link back'
            Code    = "Remove-BPLabFault StagingUnreachable '\B' -Confirm:`$false"
            Remarks = 'Pending exports go out at their next retry.'
        }
        @{
            Title   = 'Clean up after a rehearsal'
            Code    = "Remove-BPLabFault -All -Confirm:`$false -PassThru"
            Remarks = 'Lists what was removed.'
        }
    )
    Links       = @('Add-BPLabFault', 'Get-BPLabFault')
}
