@{
    Synopsis    = 'Writes the plan of a role switch as a runbook (Markdown) a person can follow without the module.'
    Description = @'
Export-BPRunbook writes the steps of a planned switch of a data store, in the order Invoke-BPRoleSwitch runs them, as a Markdown document for a change ticket or for a person without the module: for each step, the node, who does it by hand (the BackPak GUI, TACL, or the storage array's or key servers' own tools), what to do (the GUI page and action, or the exact BB027_IMPORT_CATALOG command), how to check it, and its source: a page of the Catalog Sync manual, or inferred where that manual's pages are not available and the step is rebuilt from its confirmed rules. Each step ends with a line to sign.

It needs no connection: the plan depends only on the store and the two nodes, so a runbook can be written before the site is reached (-DataStore, -Primary, -Secondary). A plan from Get-BPRoleSwitchPlan can be piped instead.

An existing file is never replaced without -Force, and the file is written beside its target and moved into place. A worked example is in the module's repository: examples/runbooks/role-switch-DS01.md.
'@
    Parameters  = @{
        InputObject = 'A plan from Get-BPRoleSwitchPlan.'
        DataStore   = 'Store ID of the data store to switch.'
        Primary     = 'The node whose store is PRIMARY now, such as \PROD1.'
        Secondary   = 'The node whose store is SECONDARY now, such as \DR1.'
        Path        = 'The Markdown (.md) file to write.'
        Force       = 'Replaces a file that exists already.'
    }
    Outputs     = 'System.IO.FileInfo: the file written.'
    Examples    = @(
        @{
            Title   = 'A runbook for a change ticket, before the site is reached'
            Setup   = @()
            Code    = "Export-BPRunbook -DataStore DS01 -Primary '\PROD1' -Secondary '\DR1' -Path ./switch-DS01.md"
            Remarks = 'Writes ./switch-DS01.md: the steps of the switch of DS01 from \PROD1 to \DR1, each with its GUI action or command, its check and its source.'
        }
        @{
            Title   = 'The runbook of the plan you reviewed'
            Code    = @'
Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B' | Export-BPRunbook -Path ./switch.md
Select-String -Path ./switch.md -Pattern '^### ' | ForEach-Object Line
'@
            Remarks = 'Writes the runbook of the plan, then lists its step headings.'
        }
    )
    Links       = @('Get-BPRoleSwitchPlan', 'Invoke-BPRoleSwitch', 'Test-BPRoleSwitch')
}
