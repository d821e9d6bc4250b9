@{
    Synopsis    = 'Backs up the intermediate staging area of a PRIMARY data store onto its transport volume (transport without Expand): the whole of it after a FULL export, or only a backup window''s exports.'
    Description = @'
On the PRIMARY side of the transport without Expand (manual Appendix A, CS p44), the store's exports go to an intermediate staging area (its staging area setting), and one backup execution on the transport volume carries its files to the secondary, where Restore-BPStagingArea puts them into the regular staging area.

- Without -Partial it backs up the whole intermediate staging area: after each FULL export, as the manual says.
- With -Partial it backs up only the export files written after the FULL export (the automatic exports of the backup windows since). It is refused (TransportRefused) when nothing was backed up yet, or when a FULL export was written after the last whole backup: the secondary could not import a partial image without the FULL it follows.

It is refused before anything is written on a store that is not PRIMARY, that is INACTIVE, whose switch is not finished, that has no transport volume (TransportVolumeNotFound), or whose staging area holds no FULL export. The volume's image is written as any backup's (data, then index with its digest) and reaches the secondary by the store's storage replication. The volume never expires and raises no export update.
'@
    Parameters  = @{
        Partial = 'Only the export files written after the FULL export in the staging area, whose whole backup the secondary has.'
    }
    Outputs     = 'BackPak.Core.Procedures.TransportVolume: the state after the backup (Current) and what it wrote (LastBackup).'
    Setup       = @('TransportLab', 'Domains', 'Transport')
    Examples    = @(
        @{
            Title   = 'After the FULL export: the whole staging area'
            Code    = "Backup-BPStagingArea -DataStore DS01 -Domain '\A' -Confirm:`$false | Format-List DataStore, Label, State, LastBackup"
            Remarks = 'The FULL export and every other file of the intermediate staging area go on XPT001.'
        }
        @{
            Title   = 'After a backup window: only its exports'
            Code    = @'
Backup-BPStagingArea -DataStore DS01 -Domain '\A' -Confirm:$false | Out-Null
Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain '\A' | Out-Null
Backup-BPStagingArea -DataStore DS01 -Partial -Domain '\A' -Confirm:$false | Select-Object -ExpandProperty LastBackup
'@
            Remarks = 'The three backups raised export updates; the partial backup carries them and not the FULL export again.'
        }
    )
    Links       = @('Restore-BPStagingArea', 'Get-BPTransportVolume', 'Register-BPTransportVolume', 'Start-BPCatalogExport')
}
