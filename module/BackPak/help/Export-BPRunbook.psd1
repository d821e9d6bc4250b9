@{
    Synopsis    = 'Writes the plan of a role switch or of a decommission as a runbook (Markdown) a person can follow without the module.'
    Description = @'
Export-BPRunbook writes the steps of a planned switch of a data store, in the order Invoke-BPRoleSwitch runs them, as a Markdown document for a change ticket or for a person without the module: for each step, the node, who does it by hand (the BackPak GUI, TACL, or the storage array's or key servers' own tools), what to do (the GUI page and action, or the exact BB027_IMPORT_CATALOG command), how to check it, and its source: a page of the Catalog Sync manual, or inferred where that manual's pages are not available and the step is rebuilt from its confirmed rules. Each step ends with a line to sign.

It needs no connection: the plan depends only on the store and the two nodes, so a runbook can be written before the site is reached (-DataStore, -Primary, -Secondary). A plan from Get-BPRoleSwitchPlan can be piped instead. With -Decommission it writes the decommission of a data store in the order Remove-BPDataStore -Recurse follows (CS p41): its volumes, groups and store on the primary, then, with -Secondary, its SECONDARY copy, its staging area and its replicas (unless -Keep leaves them), and with -DestroyKeys its encryption keys, by their Media Key Names noted in the first step.

An existing file is never replaced without -Force, and the file is written beside its target and moved into place. Worked examples are in the module's repository: examples/runbooks/role-switch-DS01.md and decommission-DS01.md.
'@
    Parameters  = @{
        InputObject = 'A plan from Get-BPRoleSwitchPlan.'
        Decommission = 'Writes the runbook of a decommission of the data store instead of a switch.'
        DataStore   = 'Store ID of the data store to switch or decommission.'
        Primary     = 'The node whose store is PRIMARY now, such as \PROD1.'
        Secondary   = 'The node whose store is SECONDARY now, such as \DR1. For a decommission, the node of its SECONDARY copy, if it has one.'
        DestroyKeys = 'The decommission also destroys the encryption keys of the store''s volumes on the key servers.'
        Keep        = 'What the decommission leaves: StagingArea (the export files), Replicas (the replicated volume images).'
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
        @{
            Title   = 'The decommission of a replicated data store, keys included, for a change ticket'
            Setup   = @()
            Code    = "Export-BPRunbook -Decommission -DataStore DS01 -Primary '\PROD1' -Secondary '\DR1' -DestroyKeys -Path ./decommission-DS01.md"
            Remarks = 'Writes the eleven steps: inventory (with the Media Key Names), stop the export, the primary''s volumes, groups and store, the SECONDARY copy''s, the staging area, the replicas and the keys.'
        }
    )
    Links       = @('Remove-BPDataStore', 'Get-BPRoleSwitchPlan', 'Invoke-BPRoleSwitch', 'Test-BPRoleSwitch')
}
