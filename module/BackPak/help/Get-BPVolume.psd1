@{
    Synopsis    = 'Streams volumes from the BackPak catalog, filtered inside the store by label, data store, volume group, expiration and encryption.'
    Description = @'
Get-BPVolume returns the volumes of a domain in label order, one object at a time, as the Volume List and Volume Detail pages show them: label, data store, volume group, domain access, status in the tape catalog, owner, authorizations (Read/Write/Control), last backup, expiration, current operation and Media Key Name.

Every filter is answered by the provider inside its catalog: asking for 'AB1*' out of 100,000 volumes reads only the matching ones. Prefer these parameters over Where-Object.

Piped objects (labels, CSV rows, other volumes) are read where they came from: in the domain of their Origin or Node property, else in -Domain or the default domain; an explicit -Domain that contradicts them stops the command (DomainMismatch). A filter given with nothing in it ($null, an empty list, blank text, as -Label (Get-Content empty.txt) gives) selects nothing and says so in a warning: it never means "no filter". Leave a filter out to mean every volume.

An exact label that matches nothing is a non-terminating VolumeNotFound error; a malformed label (not six letters or digits) is an InvalidLabel error; a wildcard that matches nothing returns nothing.
'@
    Parameters  = @{
        Label        = 'Labels or label wildcards such as AB1* or ??12??. Labels are six letters or digits; case does not matter. Binds from strings and from the Label property of piped objects.'
        DataStore    = 'Only the volumes of this data store. Tab completion offers the data stores of the domain.'
        VolumeGroup  = 'Only the volumes of this volume group.'
        Expired      = 'Only volumes whose data has expired, by the domain clock. Only these may be deleted (BB p15/13).'
        NotExpired   = 'Only volumes that still hold non-expired data.'
        Encrypted    = 'Only encrypted volumes (those with a Media Key Name). -Encrypted:$false returns only clear volumes.'
        MediaKeyName = 'Only the volumes whose encryption key has this Media Key Name.'
        Domain       = 'The domain to read: a connection from Connect-BPDomain or the node name of one. The default connection when not given. It must agree with where piped objects came from (DomainMismatch otherwise).'
    }
    Outputs     = 'BackPak.Core.Model.Volume'
    Examples    = @(
        @{
            Title   = 'Volumes by label wildcard'
            Code    = "Get-BPVolume -Label 'AB1*'"
            Remarks = 'Uses the catalog index; fast on any size of catalog.'
        }
        @{
            Title   = 'Expired volumes of a data store, counted'
            Code    = "Get-BPVolume -DataStore DS01 -Expired | Measure-Object"
            Remarks = 'Counts the volumes of DS01 that could be deleted.'
        }
        @{
            Title   = 'Volumes that still hold data, by volume group'
            Code    = "Get-BPVolume -DataStore DS01 -NotExpired | Group-Object VolumeGroup -NoElement"
            Remarks = 'Shows how many non-expired volumes each volume group holds.'
        }
        @{
            Title   = 'Volumes listed in a file of labels'
            Code    = @'
Get-BPVolume -DataStore DS02 | Select-Object -First 3 -ExpandProperty Label | Set-Content labels.txt
Get-Content labels.txt | Get-BPVolume
'@
            Remarks = 'Each line is a label. An empty file gives no volume (with -Label (Get-Content labels.txt), a warning that nothing is selected).'
        }
        @{
            Title   = 'The same volume on both sides of a replicated store'
            Code    = @'
$v = Get-BPVolume -DataStore DS01 -Domain '\A' | Select-Object -First 1
Get-BPVolume -Label $v.Label -Domain '\B'
'@
            Remarks = 'The SECONDARY copy shows WRITE as "." in its authorizations: it never accepts a backup (BB p166/164).'
        }
    )
    Links       = @('Get-BPCatalogEntry', 'Get-BPVolumeGroup', 'Get-BPDataStore')
}
