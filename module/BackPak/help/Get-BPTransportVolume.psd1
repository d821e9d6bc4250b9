@{
    Synopsis    = 'Shows the transport volume of data stores at a node: what was backed up on it or restored from it, whether a newer image has arrived, and what to do next.'
    Description = @'
Get-BPTransportVolume returns one TransportVolume per data store of the domain that has a transport volume registered (Register-BPTransportVolume), or only the named ones (TransportVolumeNotFound for a named store without one).

State tells where the transport stands on this side (CS p44):
- Registering: the one-time registration at the secondary was interrupted; run it again.
- Empty: nothing was backed up on the volume (PRIMARY) or restored from it (SECONDARY) yet.
- Behind (PRIMARY): the intermediate staging area holds exports the volume does not carry yet: back it up (the whole of it after a FULL export, -Partial after a backup window's exports).
- Current (PRIMARY): the volume carries everything the staging area holds; its replication or move does the rest.
- Arrived (SECONDARY): an image newer than the last restore is in this node's storage: restore it. This is the detection the manual leaves to the operator, made by reading the volume's index in storage.
- Restored (SECONDARY): the last image that arrived is in the staging area and not imported yet; ImportType says which import it calls for.
- Waiting (SECONDARY): the last image restored is imported (or the image in storage is older than it: replication has not caught up); nothing to do until the next one arrives.

LastBackup, Replica (the image in this node's storage) and LastRestore each tell what the image holds: FULL or PARTIAL, when it was written, the FULL export it carries and the last export sequence, the number of files. Next is the command to run next.
'@
    Parameters  = @{}
    Outputs     = 'BackPak.Core.Procedures.TransportVolume'
    Setup       = @('TransportLab', 'Domains', 'Transport')
    Examples    = @(
        @{
            Title   = 'Where the transport stands on each side'
            Code    = @'
Get-BPTransportVolume -DataStore DS01 -Domain '\A'
Get-BPTransportVolume -DataStore DS01 -Domain '\B'
'@
            Remarks = 'At \A the FULL export is not on the volume yet (Behind); at \B nothing has arrived (Empty).'
        }
        @{
            Title   = 'Wait until the volume has arrived at the secondary'
            Code    = @'
Backup-BPStagingArea -DataStore DS01 -Domain '\A' -Confirm:$false | Out-Null
while ((Get-BPTransportVolume -DataStore DS01 -Domain '\B').State -ne 'Arrived') { Start-Sleep -Seconds 1 }
(Get-BPTransportVolume -DataStore DS01 -Domain '\B').Next
'@
            Remarks = 'In the lab storage replication carries the image at once; at a site it takes as long as the volume''s replication or move.'
        }
    )
    Links       = @('Register-BPTransportVolume', 'Backup-BPStagingArea', 'Restore-BPStagingArea')
}
