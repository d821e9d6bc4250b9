@{
    Synopsis    = 'Checks the preconditions of a switch of roles of a data store, one object per check.'
    Description = @'
Test-BPRoleSwitch checks, before a planned switch (CS p41), that: the data store is PRIMARY on -Primary and SECONDARY on -Secondary; no backup runs on its volumes; no export is pending or running; the staging area is reachable and the side that becomes SECONDARY has disk space for the new one; both domains define a Key Manager with the same BackPak id (CS p6); storage and key replication are healthy and caught up; both DSM/TC sides hold the store's entries; the two nodes do not share a DSM/TC search list (CS p6); the secondary's catalogs are isolated and exist (CS p10, p12, p11); and no label of the store is used by another store (CS p6).

One check looks beyond the store: when the key replication the switch turns is the provider's (one key server replication for the estate), no other replicated store may still be PRIMARY on -Primary, since once the link flows from the secondary's site that store's new keys no longer reach it. Such a store fails the check "key replication not shared", which names it and gives the site switch that takes it along (Invoke-BPRoleSwitch -DataStore <both>); Invoke-BPRoleSwitch warns of it too but does not refuse (inferred).

A failed check does not always stop a switch: backups and pending exports are what its first steps wait for. The checks whose BlocksStart is $true are preconditions no step can bring about (the roles, the export and import settings, no removal of the store running or unfinished, the Key Manager ids, the search list and the catalogs): Invoke-BPRoleSwitch checks them before it writes anything, and refuses to start when one fails.
'@
    Parameters  = @{
        DataStore = 'Store IDs of the data stores to switch. Binds from the DataStore or Name property of piped objects (Get-BPDataStore). Several are checked as one site switch takes them: each check names its data store (the default view groups them), a key link they share leaves none of them behind, and -Quiet answers for all.'
        Primary   = 'The domain whose store is PRIMARY now: a connection or a node name such as \A.'
        Secondary = 'The domain whose store is SECONDARY now: a connection or a node name such as \B.'
        Quiet     = 'Returns only $true when every check passed, else $false.'
    }
    Outputs     = 'BackPak.Core.Procedures.RoleSwitchCheck (or System.Boolean with -Quiet).'
    Examples    = @(
        @{
            Title   = 'Pre-checks before a switch'
            Code    = "Test-BPRoleSwitch -DataStore DS01 -Primary '\A' -Secondary '\B' | Format-Table"
            Remarks = 'One line per check with its detail.'
        }
        @{
            Title   = 'Pre-checks of a whole-site switch, grouped by data store'
            Setup   = @('SiteLab', 'Domains')
            Code    = "Test-BPRoleSwitch -DataStore DS01, DS04 -Primary '\A' -Secondary '\B' | Where-Object { -not `$_.Passed }"
            Remarks = 'Nothing fails: checked together, neither store is left behind on the one key link (checked alone, each fails "key replication not shared").'
        }
        @{
            Title   = 'Gate a runbook'
            Code    = "if (-not (Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Quiet)) { throw 'Pre-checks failed' }"
            Remarks = 'Stops the runbook unless every check passed.'
        }
    )
    Links       = @('Get-BPRoleSwitchPlan', 'Invoke-BPRoleSwitch')
}
