@{
    Synopsis    = 'Registers the transport volume of the transport without Expand on one side of a replicated data store: created at the PRIMARY, registered once at the SECONDARY.'
    Description = @'
Without Expand, the exports of a PRIMARY store go to an intermediate staging area, and their files travel to the secondary on one special BackPak tape volume, moved or replicated the same way as the other volumes (manual Appendix A, CS p44). That volume must be uncatalogued, created in the primary data store, and have a label reserved for the purpose. Register-BPTransportVolume sets it up, once on each side:

- On the node where the store is PRIMARY, it creates the volume with the reserved label in the volume group you name, which must be linked to no catalog (no DSM/TC, no TMF) and must not encrypt. The volume gets no DSM/TC or TMF entry and is never exported: the secondary does not learn it from an import, and a FULL import there never deletes it.
- On the node where the store is SECONDARY, it does the one-time registration the manual gives: it changes the store to RESTRICTED, creates the volume in a volume group of the store linked to no catalog, and changes the store back to SECONDARY. It holds the store's import lock meanwhile, and records the registration before the first change: if it is interrupted (the store may be left RESTRICTED), run the same command again and it finishes; Get-BPTransportVolume shows the state Registering until then.

Everything is checked before anything changes (TransportRefused): the side (a RESTRICTED store is neither), the group (VolumeGroupNotFound, or linked to a catalog, or encrypted), the label (a volume of the domain already; a store has one transport volume). Registering the same label again does nothing and returns it.

Next: set the intermediate staging area as the export target at the PRIMARY (Set-BPDataStore -StagingArea), then after each FULL export run Backup-BPStagingArea there, and Restore-BPStagingArea at the SECONDARY when the volume has arrived. examples/TransportWithoutExpand.ps1 runs the whole cycle in a lab.
'@
    Parameters  = @{
        Label       = 'The label reserved for the transport volume: six letters or digits, the same on both sides. No other volume of the domain may have it.'
        VolumeGroup = 'A volume group of the store linked to no catalog (Get-BPVolumeGroup shows its CatalogKind as None) that does not encrypt. In a lab, New-BPLab -TransportVolumeGroup makes one.'
    }
    Outputs     = 'BackPak.Core.Procedures.TransportVolume: the store, node, label, group, state and what to do next.'
    Setup       = @('TransportLab', 'Domains')
    Examples    = @(
        @{
            Title   = 'Register the transport volume on both sides'
            Code    = @'
Register-BPTransportVolume -DataStore DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain '\A' -Confirm:$false
Register-BPTransportVolume -DataStore DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain '\B' -Confirm:$false
Get-BPDataStore DS01 -Domain '\B' | Select-Object Name, DomainAccess
'@
            Remarks = 'At \A the volume is created; at \B the store goes RESTRICTED for the creation and is SECONDARY again afterwards.'
        }
        @{
            Title   = 'See what the registration at the secondary would do'
            Code    = "Register-BPTransportVolume -DataStore DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain '\B' -WhatIf"
            Remarks = 'Names the three changes and refuses (TransportRefused) what would not be allowed, before anything changes.'
        }
    )
    Links       = @('Get-BPTransportVolume', 'Backup-BPStagingArea', 'Restore-BPStagingArea', 'Set-BPDataStore')
}
