@{
    Synopsis    = 'Lab simulation: lists the faults injected into the lab.'
    Description = 'Get-BPLabFault returns the faults in force in the lab of the domain: their kind, target and when they were added.'
    Parameters  = @{}
    Outputs     = 'BackPak.Lab.LabFault'
    Examples    = @(
        @{
            Title   = 'Is anything injected?'
            Code    = "Get-BPLabFault"
            Remarks = 'Nothing is returned when the lab runs without faults.'
        }
    )
    Links       = @('Add-BPLabFault', 'Remove-BPLabFault')
}
