@{
    Synopsis    = 'Reads encryption keys from the key manager by Media Key Name, with the catalogued volumes that use each one.'
    Description = @'
Get-BPEncryptionKey locates keys in the connected key manager by their Media Key Name (the name BackBox gives each medium's key) and returns their unique id, state (PreActive, Active, Deactivated, Compromised, Destroyed...), algorithm, length and dates. Key material is never read.

For each key it also lists the catalogued volumes of every connected domain that use it (Volumes, ReferencingVolumeCount): by their catalog entry, or by their storage image when the image names another key than the catalog (a backup writes the new key into the image before the catalog names it); Source says which. The storage images are read once per command. A key in use must not be deleted. With no domain connected these stay empty and the count is $null (unknown). The count covers the connected domains only: connect both nodes of a replicated data store (Remove-BPEncryptionKey refuses otherwise).

The examples run in a folder that holds a lab made with New-BPLab -Path ./lab -Encrypted, with both nodes and the key store of \A connected (Connect-BPKeyManager -Lab ./lab -Node '\A').

Pipe volumes in to see their keys: each volume's MediaKeyName binds to -Name; clear volumes are skipped and each key is shown once. A name that matches no key is a non-terminating KeyNotFound error. Without -Name, every key of the key manager is listed.
'@
    Parameters  = @{
        Name       = 'Media Key Names of the keys. Binds from strings and from the MediaKeyName property of piped volumes (alias MediaKeyName). Every key when not given.'
        KeyManager = 'The key manager to read: a connection from Connect-BPKeyManager. The default connection when not given.'
    }
    Outputs     = 'BackPak.Core.Keys.EncryptionKey'
    Examples    = @(
        @{
            Title   = 'The keys of a data store''s volumes'
            Code    = 'Get-BPVolume -DataStore DS01 -Encrypted | Get-BPEncryptionKey'
            Remarks = 'One key per Media Key Name, with its state and the volumes that use it.'
        }
        @{
            Title   = 'One key by name'
            Code    = "Get-BPEncryptionKey -Name (Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -First 1).MediaKeyName | Format-List"
            Remarks = 'A Media Key Name as the lab makes them (BPK-<label>-<time of the write>); shows every property, including the dates and the referencing volumes (on \A and \B for the replicated DS01).'
        }
        @{
            Title   = 'Keys no catalogued volume uses any more'
            Code    = @'
Connect-BPDomain -Lab ./lab -Node '\B' | Out-Null
Connect-BPDomain -Lab ./lab -Node '\A' | Out-Null
Get-BPEncryptionKey | Where-Object { $_.ReferencingVolumeCount -eq 0 -and -not $_.IsDestroyed }
'@
            Remarks = 'Connect every domain that may use the keys first: the count covers the connected domains only.'
        }
    )
    Links       = @('Remove-BPEncryptionKey', 'Connect-BPKeyManager', 'Get-BPVolume')
    Setup       = @('Lab', 'Domains', 'LabKeyStore')
}
