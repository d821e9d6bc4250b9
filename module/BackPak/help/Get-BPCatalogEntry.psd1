@{
    Synopsis    = 'Lists the DSM/TC entries (TAPEVOLUME, TAPEFILE, DISKFILE) or TMF entries of volumes on a node.'
    Description = @'
Get-BPCatalogEntry reads the tape catalogs of a node for the given volumes: for a volume of a group linked to DSM/TC, its TAPEVOLUME in the VOLCAT and POOL, its TAPEFILEs (FILEIDs) in the FILECAT and the DISKFILE entries of each, with their node-qualified names; for a TMF group, its TMF volume and dumps. These are the entries Catalog Sync replicates and that deleting a volume removes.

Pipe volumes from Get-BPVolume: each is looked up in the domain it was read from (its lab or site and node). Label strings and objects with a Label property (CSV rows) are looked up on the node of their Node property, else in -Domain or the default domain. An explicit -Domain that contradicts a piped object stops the command (DomainMismatch).
'@
    Parameters  = @{
        Label       = 'Volume labels; wildcards are allowed. Binds from strings and from the Label property of piped objects.'
        InputObject = 'Volumes from Get-BPVolume; each is read where it came from.'
        Kind        = 'Only entries of these kinds: TapeVolume, TapeFile, DiskFile, TmfVolume, TmfDump.'
        Domain      = 'The domain whose catalogs are read for labels that do not say where they came from: a connection from Connect-BPDomain or the node name of one. The default connection when not given. It must agree with where piped volumes came from (DomainMismatch otherwise).'
    }
    Outputs     = 'BackPak.Core.Model.CatalogEntry'
    Examples    = @(
        @{
            Title   = 'Every catalog entry of one volume'
            Code    = "Get-BPVolume -DataStore DS01 | Select-Object -First 1 | Get-BPCatalogEntry"
            Remarks = 'The TAPEVOLUME, then each TAPEFILE followed by its DISKFILEs.'
        }
        @{
            Title   = 'Count the DISKFILE entries of a volume group'
            Code    = "Get-BPVolume -VolumeGroup DAILY | Get-BPCatalogEntry -Kind DiskFile | Measure-Object"
            Remarks = 'Counts the DISKFILE entries linked to the volumes of the DAILY group.'
        }
        @{
            Title   = 'The replicated entries on the secondary node'
            Code    = "Get-BPVolume -DataStore DS01 -Domain '\B' | Select-Object -First 3 | Get-BPCatalogEntry -Kind TapeVolume"
            Remarks = 'Shows the TAPEVOLUMEs in the dedicated VOLCAT of \B.'
        }
        @{
            Title   = 'Entries of labels from a CSV file with a Node column'
            Code    = @'
Get-BPVolume -DataStore DS01 -Domain '\B' | Select-Object -First 2 Label, Node | Export-Csv labels.csv
Import-Csv labels.csv | Get-BPCatalogEntry -Kind TapeVolume
'@
            Remarks = 'Each row is read on its node (\B here), although \A is the default domain.'
        }
    )
    Links       = @('Get-BPVolume')
}
