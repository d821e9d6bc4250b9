@{
    Synopsis    = 'Puts two domains side by side, volume by volume and catalog entry by catalog entry, as Compare-Object does.'
    Description = @'
Compare-BPDomain reads the volumes of two connected domains and, for each volume both have, its DSM/TC (TAPEVOLUME, TAPEFILE, DISKFILE) and TMF entries, and reports what differs: the two sides of a replicated data store before a role switch or a decommission, or a real site and a lab made from its description before a change.

Each difference is one object with a SideIndicator, as Compare-Object gives: <= only in the reference domain, => only in the difference domain, <> in both with one property different (one object per property, with Property, ReferenceValue and DifferenceValue), and == in both and alike (only with -IncludeEqual). Subject says whether it is about a volume or a catalog entry (then Entry names it and EntryKind gives its kind); Reference and Difference hold the volume or entry as each side has it; ReferenceNode and DifferenceNode name the sides.

Of a volume it compares the data store, volume group, catalog status, expired or not, expiration, last backup and Media Key Name; of an entry its status, pool, sequence and expiration. An entry is matched by its kind, its name without its node, its generation, and for a DISKFILE the tape file it is in; not by its catalog: the replicated entries at the secondary are in the dedicated VOLCAT and FILECAT of their primary source (CS p10, p12), and node replacement changes the node of DISKFILE names. Domain access is not compared: the two sides of a replicated store differ in it by design. TMF entries are not replicated by Catalog Sync (no page of the manual says they are; this module treats TMF-linked volume groups as replicating only their BackPak entries), so on the two sides of a replicated store they are only at the primary: -CatalogEntryKind TapeVolume, TapeFile, DiskFile leaves them out. A property one side cannot read (the NonStop provider reads no Media Key Name, last backup or expiration over SSH) is never reported as a difference.

Both sides stream in label order and are joined as they come, so memory stays small on any estate. It changes nothing. An exact -Label that neither side has is an error (VolumeNotFound); an unknown -DataStore on either side is DataStoreNotFound.
'@
    Parameters  = @{
        ReferenceDomain   = 'The domain compared against (its side is <=): a connection from Connect-BPDomain or the node name of a connected domain such as \A.'
        DifferenceDomain  = 'The domain compared with it (its side is =>): a connection or a node name such as \B.'
        DataStore         = 'Only the volumes of this data store (its Store ID), on both sides.'
        VolumeGroup       = 'Only the volumes of this volume group, on both sides.'
        Label             = 'Only these volume labels; wildcards are allowed.'
        IncludeEqual      = 'Also returns the volumes and entries that are alike on both sides (SideIndicator ==).'
        CatalogEntryKind  = 'Only catalog entries of these kinds: TapeVolume, TapeFile, DiskFile, TmfVolume, TmfDump.'
        ExcludeCatalogEntry = 'Compares the volumes only: their DSM/TC and TMF entries are not read, which saves one catalog read per volume and side.'
    }
    Outputs     = 'BackPak.Core.Compare.DomainDifference'
    Examples    = @(
        @{
            Title   = 'Check that the two sides of a replicated data store are in step'
            Code    = "Compare-BPDomain '\A' '\B' -DataStore DS01 -CatalogEntryKind TapeVolume, TapeFile, DiskFile"
            Remarks = 'Nothing is returned: the lab starts with the SECONDARY catalogs imported from the PRIMARY. The TMF entries, which stay at the primary, are left out.'
        }
        @{
            Title   = 'See what the next catalog export will bring to the secondary'
            Code    = @'
Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\A' -Confirm:$false | Out-Null
Compare-BPDomain '\A' '\B' -DataStore DS01 -ExcludeCatalogEntry
'@
            Remarks = 'The two volumes just written differ in their last backup (and expiration) until an export from \A is imported at \B.'
        }
        @{
            Title   = 'Count the differences by what differs, for a change ticket'
            Code    = @'
Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain '\A' -Confirm:$false | Out-Null
Compare-BPDomain '\A' '\B' -DataStore DS01 | Group-Object SideIndicator, EntryKind, Property -NoElement | Sort-Object Count -Descending
'@
            Remarks = 'One line per kind of difference with its count: the volumes just written (their status, expiration, last backup and key) and the TMF entries only at the primary. Pipe Compare-BPDomain to Export-Csv for the list itself.'
        }
        @{
            Title   = 'Fail a runbook step when the sides are not in step'
            Code    = @'
$drift = @(Compare-BPDomain '\A' '\B' -DataStore DS01 -ExcludeCatalogEntry)
if ($drift.Count -gt 0) { throw "DS01 differs in $($drift.Count) place(s); run a catalog export and import first." }
'@
            Remarks = 'The lab starts in step, so this passes; after a backup on \A it would stop the runbook.'
        }
    )
    Links       = @('Get-BPVolume', 'Get-BPCatalogEntry', 'Test-BPRoleSwitch', 'Compare-Object')
}
