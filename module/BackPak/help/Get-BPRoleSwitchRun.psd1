@{
    Synopsis    = 'Lists switch runs from their journals: their steps, status, times and messages.'
    Description = 'Get-BPRoleSwitchRun reads the journals of role switch runs kept by the provider (in a lab, in its runs folder) and returns a report per run: Completed, Failed (with the failed step), AwaitingOperator, Running, or Interrupted when the process running it is gone.'
    Parameters  = @{
        RunId = 'Only these runs; all runs when not given.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchReport'
    Examples    = @(
        @{
            Title   = 'Runs that are not finished'
            Code    = "Get-BPRoleSwitchRun | Where-Object Status -ne 'Completed'"
            Remarks = 'Each can be continued with Invoke-BPRoleSwitch -Resume.'
        }
    )
    Links       = @('Invoke-BPRoleSwitch')
}
