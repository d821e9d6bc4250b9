@{
    Synopsis    = 'Lists the replication links registered in this session with Register-BPReplicationLink.'
    Description = @'
Get-BPReplicationLink returns the links registered in this session: for each, the data store, the kind (Storage or Keys), its name, whether it has a -Status script and the estate (lab folder or site) it serves. The scripts themselves are not shown. Without -Domain it lists the links of every estate; with -Domain, those of that domain's estate. A data store named without a wildcard that has no link is an error (ReplicationLinkNotFound); the others are still listed.

Which link each step of a switch will use (a registered one, the provider's, or none) is shown by Get-BPRoleSwitchPlan, in the Facility of its steps.
'@
    Parameters  = @{
        DataStore = 'Store IDs or wildcards of the data stores whose links to list; all when not given.'
        Kind      = 'Only links of this kind: Storage or Keys.'
        Domain    = 'Only the links of this domain''s estate (lab folder or site): a connection or the node name of one. All estates of the session when not given.'
    }
    Outputs     = 'BackPak.PowerShell.ReplicationLinkRegistration'
    Examples    = @(
        @{
            Title   = 'The links of the session'
            Code    = @'
Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse { param($Link) } -Status { @{ Healthy = $true; CaughtUp = $true; Source = 'SITEA' } }
Get-BPReplicationLink
Get-BPReplicationLink -DataStore 'DS0*' -Kind Storage | Format-List Name, DataStore, Kind, HasStatus, Location
'@
            Remarks = 'One storage link for DS01, with a status script, in the estate of the default domain (./lab).'
        }
    )
    Links       = @('Register-BPReplicationLink', 'Unregister-BPReplicationLink', 'Get-BPRoleSwitchPlan')
}
