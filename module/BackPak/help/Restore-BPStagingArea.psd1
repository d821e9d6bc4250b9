@{
    Synopsis    = 'Restores the image of the transport volume that arrived at the SECONDARY into the regular staging area, overwriting its files; then the store is imported (transport without Expand).'
    Description = @'
On the SECONDARY side of the transport without Expand (manual Appendix A, CS p44), each cycle: detect when the replicated transport volume has arrived, restore the whole backup into the regular staging area overwriting the files there, then import. Restore-BPStagingArea does the first two; Start-BPCatalogImport does the import (the returned object's ImportType says which: Full after a whole backup, Update after a partial one).

It refuses before anything is written:
- on a store that is not SECONDARY, or without a registered transport volume (TransportRefused, TransportVolumeNotFound);
- when no image newer than the one restored last has arrived in this node's storage (TransportNotArrived); -Force restores the same image again;
- when the image is a partial backup whose FULL export was never restored here (TransportIncomplete): the exports between would be missing; back up the whole staging area at the PRIMARY;
- when the image is not whole (its data does not match its index's digest, or holds anything that is not an export file name).

It holds the store's import lock while it writes, and marks the restore unfinished until the last file is written: an import meanwhile, or after an interruption, is refused (TransportRestoreUnfinished) until the restore is run again and finishes.
'@
    Parameters  = @{
        Force = 'Restores the image even though it is the one restored last.'
    }
    Outputs     = 'BackPak.Core.Procedures.TransportVolume: the state after the restore (Restored), what was restored (LastRestore) and the import it calls for (ImportType).'
    Setup       = @('TransportLab', 'Domains', 'Transport')
    Examples    = @(
        @{
            Title   = 'Restore what arrived, then import it'
            Code    = @'
Backup-BPStagingArea -DataStore DS01 -Domain '\A' -Confirm:$false | Out-Null
$t = Restore-BPStagingArea -DataStore DS01 -Domain '\B' -Confirm:$false
Start-BPCatalogImport -DataStore DS01 -Type $t.ImportType -Domain '\B' -Confirm:$false
'@
            Remarks = 'The FULL export written on \A reaches \B''s catalog without Expand.'
        }
        @{
            Title   = 'Nothing new has arrived'
            Code    = @'
Backup-BPStagingArea -DataStore DS01 -Domain '\A' -Confirm:$false | Out-Null
Restore-BPStagingArea -DataStore DS01 -Domain '\B' -Confirm:$false | Out-Null
Restore-BPStagingArea -DataStore DS01 -Domain '\B' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e | Out-Null
$e[0].FullyQualifiedErrorId
'@
            Remarks = 'TransportNotArrived: the image in storage is the one restored last.'
        }
    )
    Links       = @('Backup-BPStagingArea', 'Get-BPTransportVolume', 'Start-BPCatalogImport', 'Register-BPTransportVolume')
}
