@{
    Synopsis    = 'Lists the volume groups of a domain with the tape catalog each is linked to (DSM/TC VOLCAT, POOL and FILECAT, or TMF) and whether it encrypts.'
    Description = @'
Get-BPVolumeGroup returns the volume groups of a domain. For a group linked to DSM/TC it shows the node-qualified VOLCAT, the POOL and the FILECAT that Catalog Sync export reads and import writes; for a TMF group, the node of the TMF catalog. Encryption is set per volume group.

Pipe data stores from Get-BPDataStore to list their groups.
'@
    Parameters  = @{
        Name        = 'Volume group names. Wildcards are allowed. Tab completion offers the groups of the domain.'
        DataStore   = 'Only the groups of this data store. Binds from the DataStore property of piped objects.'
        InputObject = 'Data stores from Get-BPDataStore; their volume groups are returned, read from the node each store came from.'
        Domain      = 'The domain to read: a connection from Connect-BPDomain or the node name of one. The default connection when not given.'
    }
    Outputs     = 'BackPak.Core.Model.VolumeGroup'
    Examples    = @(
        @{
            Title   = 'Catalog links of DS01 on both sides'
            Code    = @'
Get-BPVolumeGroup -DataStore DS01 -Domain '\A'
Get-BPVolumeGroup -DataStore DS01 -Domain '\B'
'@
            Remarks = 'The SECONDARY side uses dedicated catalogs (\B.VCA01, \B.FCA01) for the entries replicated from \A (CS p10).'
        }
        @{
            Title   = 'From data stores'
            Code    = "Get-BPDataStore DS* | Get-BPVolumeGroup"
            Remarks = 'Lists the groups of every data store whose name starts with DS.'
        }
    )
    Links       = @('Get-BPDataStore', 'Get-BPVolume')
}
