@{
    Synopsis    = 'Removes data stores from the domain configuration; with -Recurse, in the manual order: volumes, volume groups, then the data store.'
    Description = @'
Remove-BPDataStore is the decommission of a data store [CS p41]. Without -Recurse it removes only a data store that has no volumes and no volume groups left, and refuses otherwise with DataStoreNotEmpty (rule R14).

With -Recurse it runs the whole procedure as one journaled run: every volume of the store (storage, DSM/TC or TMF entries, BackPak entry), then every volume group, then the data store. It prompts once with what will go. Volumes that still hold data are refused unless -IgnoreRetention, and then the groups and the store stay. A run killed at any point is completed by running the same command again.

The last, optional step of a decommission, deleting the encryption keys of the store's volumes in the key server, is not part of this cmdlet.
'@
    Parameters  = @{
        Name            = 'Store IDs of the data stores to remove.'
        InputObject     = 'Data stores from Get-BPDataStore; each is removed in the domain it was read from.'
        Recurse         = 'Removes the store''s volumes and volume groups first, in that order.'
        IgnoreRetention = 'With -Recurse, also removes volumes whose data has not expired.'
        Force           = 'Skips the confirmation prompt. It overrides no rule.'
        PassThru        = 'Emits a result per volume and one per data store.'
        Domain          = 'The domain: a connection or a node name. The default connection when not given.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Removal.VolumeRemovalResult per volume and BackPak.Core.Removal.DecommissionResult per data store.'
    Examples    = @(
        @{
            Title   = 'Decommission a data store on the primary node'
            Code    = @'
Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -WhatIf
Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Confirm:$false -PassThru |
    Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
'@
            Remarks = 'First shows every volume, volume group and the store that would go; then removes them and keeps only the summary.'
        }
        @{
            Title   = 'Check that nothing of it remains'
            Code    = @'
Get-BPDataStore DS02 -ErrorAction SilentlyContinue     # nothing
Get-BPAuditRecord -Action RemoveDataStore -Target DS02
'@
            Remarks = 'The audit records show when the run started and completed.'
        }
    )
    Links       = @('Remove-BPVolume', 'Remove-BPVolumeGroup', 'Get-BPAuditRecord')
}
