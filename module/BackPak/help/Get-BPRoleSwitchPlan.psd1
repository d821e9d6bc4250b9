@{
    Synopsis    = 'Returns the plan of a switch of roles: every step, the node it acts on, its kind and the manual page it comes from, or inferred.'
    Description = @'
Get-BPRoleSwitchPlan returns the step list Invoke-BPRoleSwitch will follow to switch a data store from -Primary to -Secondary. Steps 1 and 2 are the manual's (CS p41, p42); the later steps are reconstructed from confirmed rules, and each says where it comes from or that it is inferred. The plan can be read, saved (ConvertTo-Json) and piped into Invoke-BPRoleSwitch. Its notes list what stays outside BackPak (NetBatch jobs). The steps that check and reverse replication name, in their Facility, the link that will do them: a link registered for the store with Register-BPReplicationLink (it takes precedence), the provider's link, or none (the operator does it and confirms).
'@
    Parameters  = @{
        DataStore = 'Store IDs of the data stores to switch: one plan each, in order. Binds from the DataStore or Name property of piped objects (Get-BPDataStore). The plans piped to Invoke-BPRoleSwitch start one run, a site run when there are several.'
        Primary   = 'The domain whose store is PRIMARY now.'
        Secondary = 'The domain whose store is SECONDARY now.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchPlan'
    Examples    = @(
        @{
            Title   = 'Read the plan'
            Code    = "(Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B').Steps"
            Remarks = 'The steps with their node, kind and source.'
        }
        @{
            Title   = 'Which link does each external step'
            Code    = "(Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B').Steps | Where-Object Facility | Format-Table Number, Id, Facility -Wrap"
            Remarks = 'In the lab: its own storage and key links. A link registered with Register-BPReplicationLink would be named instead.'
        }
        @{
            Title   = 'Review, then run'
            Code    = @'
$plan = Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B'
$plan | ConvertTo-Json -Depth 3 | Set-Content ./DS01-switch-plan.json
$plan | Invoke-BPRoleSwitch -Confirm:$false
'@
            Remarks = 'The plan binds to Invoke-BPRoleSwitch by its DataStore, Primary and Secondary properties.'
        }
    )
    Links       = @('Invoke-BPRoleSwitch', 'Test-BPRoleSwitch', 'Register-BPReplicationLink')
}
