@{
    Synopsis    = 'Creates a BackPak lab: two NonStop nodes with their domains, catalogs, storage, staging areas and key servers, on local disk.'
    Description = @'
New-BPLab builds a working BackPak estate in a folder so that procedures can be rehearsed safely. Node \A holds a PRIMARY data store (DS01 by default) with two volume groups linked to DSM/TC (VOLCAT, POOL, FILECAT) and one linked to TMF; node \B holds its SECONDARY counterpart, whose volume groups use dedicated VOLCAT and FILECAT catalogs (CS p10). Each node also has a local PRIMARY data store that is not replicated. -DataStore DS01,DS04 adds further replicated stores beside the main one, so that a whole site can be switched.

Every volume has a unique six-character label (CS p6), a status, an owner, authorizations, a last-backup timestamp and an expiration (some expired, some not), an entry in the BackPak catalog, its TAPEVOLUME, TAPEFILE and DISKFILE entries in DSM/TC (or its TMF entries), and LB<label>.IND / .DAT files in the storage of its site. The storage of each replicated store is replicated from site A to site B by a link of its own; the keys by one link for all. With -Encrypted, volumes of encrypted volume groups carry a Media Key Name whose key is held in the site's key server.

The BackPak catalog and configuration, the DSM/TC catalogs and the TMF catalog are separate SQLite stores per node. The same -Seed always builds the same lab. The lab is written into a hidden folder beside -Path and moved into place when complete, so an interrupted New-BPLab never leaves a half lab.
'@
    Parameters  = @{
        Path        = 'Folder of the new lab. It must not exist, be empty, or (with -Force) hold a lab; a trailing separator (lab/) names the same folder. It may not be inside another lab (LabInsideLab) or below a file (LabPathInvalid); a folder that cannot be written, such as one under /proc, is LabWriteFailed, and nothing is left behind.'
        VolumeCount = 'Number of volumes across all data stores, from 10 to 1,000,000. The default is 1000. 100,000 volumes take seconds to tens of seconds.'
        Seed        = 'Seed of the generator. The same seed builds the same labels, dates and catalog entries. The default is 1.'
        Encrypted   = 'Enables encryption on the DSM/TC volume groups: their volumes get a Media Key Name and a key in the key server of their site, replicated to the other site.'
        DataStore   = 'Store IDs of the replicated data stores (PRIMARY on \A, SECONDARY on \B). The default is DS01. The first is the main store, with the DAILY, MONTHLY and TMFDUMPS groups; each further one (at most nine, for a whole site to switch) gets one DSM/TC group DAILYX1, DAILYX2, ... of the same name on both sides, catalogs of its own (\A.VCX1 and \A.FCX1, at the secondary \B.VCB1 and \B.FCB1), its own storage replication link STORAGE-<store> and its own staging area, and starts in step as the main one does. The lab names a store''s staging subvolume after it (\B.$BPSTAGE.DS01), so each must be a Guardian subvolume name: 1 to 8 letters or digits, the first a letter. A name given twice, or a further store named after a local store (DS02, DS03, DS92, DS93), is refused (InvalidName) and nothing is written; only the main store may be DS02 or DS03, and the local store then becomes DS92 or DS93.'
        TransportVolumeGroup = 'Adds a volume group of this name, linked to no catalog (no DSM/TC, no TMF) and holding no volume, to the main replicated store on both sides: the group that the transport volume of the transport without Expand needs (CS p44; Register-BPTransportVolume). Without it the lab has no such group. A name that a group of the lab has already is refused (InvalidName).'
        Force       = 'Replaces an existing lab at -Path. A folder that holds anything other than a lab is never replaced, with or without -Force; nor is a lab that another live process has open (LabInUse names it: disconnect it there first).'
    }
    Outputs     = 'BackPak.Lab.LabInfo: the path, nodes, volume count, seed and clock of the new lab, its main replicated data store (ReplicatedDataStore) and all of them (ReplicatedDataStores).'
    Examples    = @(
        @{
            Title   = 'Create a lab and connect to its primary node'
            Code    = @'
New-BPLab -Path ./lab
Connect-BPDomain -Lab ./lab -Node '\A'
Get-BPDataStore
'@
            Remarks = 'Creates a lab of 1000 volumes in ./lab, connects to the domain of \A and lists its data stores.'
        }
        @{
            Title   = 'A large encrypted lab, rebuilt from the same seed'
            Code    = "New-BPLab -Path ./big -VolumeCount 100000 -Seed 42 -Encrypted -Force"
            Remarks = 'Replaces the lab in ./big with one of 100,000 encrypted volumes. Running it again gives the same labels and keys.'
        }
        @{
            Title   = 'A lab of two replicated data stores, for a whole-site switch'
            Code    = @'
New-BPLab -Path ./site -VolumeCount 200 -DataStore DS01,DS04
Connect-BPDomain -Lab ./site -Node '\A'
Get-BPDataStore
'@
            Remarks = 'Creates a lab whose data stores DS01 and DS04 are both PRIMARY on \A and SECONDARY on \B, each with its own storage link and staging area and in step from the start; the local stores DS02 and DS03 are as in any lab. Its ReplicatedDataStores property lists DS01 and DS04.'
        }
        @{
            Title   = 'See what would be replaced'
            Code    = "New-BPLab -Path ./lab -Force -WhatIf"
            Remarks = 'Says whether a lab would be created or replaced, and changes nothing.'
        }
    )
    Notes       = 'Lab dates follow a lab clock that starts at 2026-11-01 00:00 UTC when the lab is made and runs with real time, so expiration is the same for every lab of a seed on the day it is made.'
    Links       = @('Connect-BPDomain', 'about_BackPak')
    Setup       = @()
}
