@{
    Synopsis    = 'Lists the data stores of a BackPak domain: domain access, status, store type and volume count.'
    Description = @'
Get-BPDataStore returns the data stores defined in a domain, as the BackPak GUI's data store list shows them: Store ID, node, domain access (PRIMARY, SECONDARY or RESTRICTED), status (ACTIVE or INACTIVE), store type (WINDOWS FILE or TIVOLI STORAGE MANAGER), storage path and the number of volume groups and volumes.

An exact name that does not exist is a non-terminating DataStoreNotFound error; a wildcard that matches nothing returns nothing.
'@
    Parameters  = @{
        Name   = 'Store IDs to return. Wildcards are allowed. Tab completion offers the data stores of the domain. Binds from the DataStore property of piped objects.'
        Domain = 'The domain to read: a connection from Connect-BPDomain or the node name of one, such as \B. The default connection when not given.'
    }
    Outputs     = 'BackPak.Core.Model.DataStore'
    Examples    = @(
        @{
            Title   = 'The data stores of both nodes'
            Code    = @'
Get-BPDataStore -Domain '\A'
Get-BPDataStore -Domain '\B'
'@
            Remarks = 'DS01 shows as PRIMARY on \A and SECONDARY on \B.'
        }
        @{
            Title   = 'Primary stores only'
            Code    = "Get-BPDataStore | Where-Object DomainAccess -eq 'Primary'"
            Remarks = 'DomainAccess is an enum; compare it with Primary, Secondary or Restricted.'
        }
    )
    Links       = @('Get-BPVolumeGroup', 'Get-BPVolume')
}
