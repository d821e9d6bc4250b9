@{
    Synopsis    = 'Removes volume groups from the domain configuration; with -Recurse, their volumes first.'
    Description = @'
Remove-BPVolumeGroup deletes volume groups as the BackPak GUI Configuration page does (Switch to Edit mode, Delete) [CS p41, BB p156]. A group that still has volumes is refused with VolumeGroupNotEmpty: the manual's order is volumes first (CS p41).

With -Recurse the group's volumes are removed first, exactly as Remove-BPVolume removes them (storage, DSM/TC or TMF, BackPak entry, through the intent journal), then the group. Volumes that still hold data are refused unless -IgnoreRetention, and then the group stays. One prompt covers the whole run; running the same command again after an interruption completes it.
'@
    Parameters  = @{
        Name            = 'Names of the volume groups to remove.'
        InputObject     = 'Volume groups from Get-BPVolumeGroup; each is removed in the domain it was read from.'
        Recurse         = 'Removes the groups volumes first.'
        IgnoreRetention = 'With -Recurse, also removes volumes whose data has not expired.'
        Force           = 'Skips the confirmation prompt. It overrides no rule.'
        PassThru        = 'Emits a result per volume and one per volume group.'
        Domain          = 'The domain: a connection or a node name. The default connection when not given.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Removal.VolumeRemovalResult per volume and BackPak.Core.Removal.DecommissionResult per group.'
    Examples    = @(
        @{
            Title   = 'Remove a volume group once its volumes are gone'
            Code    = @'
Get-BPVolume -VolumeGroup TMFDUMPS | Remove-BPVolume -IgnoreRetention -Force
Remove-BPVolumeGroup -Name TMFDUMPS
'@
            Remarks = 'The group is removed once it is empty; while it still has volumes it is refused with VolumeGroupNotEmpty (the manual''s order is volumes first), which -Recurse (example 2) avoids by removing them in the same run.'
        }
        @{
            Title   = 'Remove a group with everything in it'
            Code    = "Remove-BPVolumeGroup -Name TMFDUMPS -Recurse -IgnoreRetention -WhatIf"
            Remarks = 'Lists the volumes and the group that would be removed, with the totals. Drop -WhatIf to do it.'
        }
    )
    Links       = @('Remove-BPVolume', 'Remove-BPDataStore', 'Get-BPVolumeGroup')
}
