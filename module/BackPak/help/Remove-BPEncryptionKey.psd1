@{
    Synopsis    = 'Deletes encryption keys in the key manager, refusing any key a catalogued volume still uses, and destroying nothing unless every domain that could use the keys is connected.'
    Description = @'
Remove-BPEncryptionKey is the last, optional step of decommissioning a data store (CS p41): after its volumes, volume groups and data store are deleted, the keys of its volumes can be deleted in the key server. Once a key is deleted, the volumes it encrypted can never be read again.

How domains and key managers are tied. A BackPak domain reaches its keys through a Key Manager definition with a BackPak id (KM01 in the lab); the secondary domain of a replicated data store defines a Key Manager with the same id, pointing at the key server that holds the replicated keys (CS p6). A key manager connection carries that id: -BackPakId of Connect-BPKeyManager (the lab's key store takes its node's id). The connection serves the connected domains whose definition has the id. Before anything is sent to the key server, Remove-BPEncryptionKey checks that every domain that could use those keys is connected in the session: each such domain, and the other side (the PRIMARY or SECONDARY node) of each of its replicated data stores. Otherwise the whole command is refused: KeyManagerIdUnknown when the connection has no id or an id no connected domain defines, KeyDomainsNotConnected (naming the nodes to connect) when a side is missing.

For each Media Key Name it then locates the key, reads its state, and counts the catalogued volumes of every connected domain that use it: by their catalog entry, and by their storage image (the primary's storage, and the replica a secondary reads; a backup writes the new key into the image before the catalog names it). The images are read once per command, not once per key. A key any such volume uses is refused with a non-terminating KeyStillReferenced error; -Force does not override this. Otherwise an Active key is revoked (reason CessationOfOperation unless -Reason says otherwise) and then destroyed.

Every key ends in one status (the Status of the -PassThru result, also the audit record's result): Destroyed (revoked first when it was Active); AlreadyAbsent (the key server has no such key, or only a destroyed one, and no catalogued volume uses it: nothing to do, not an error); MissingOnServer (the key server lacks the key, but catalogued volumes use it: they cannot be read; a warning, not "done": check that this is the key server their domains use, or restore the key); Refused (KeyStillReferenced: volumes use it, the key was not changed); Failed (the key server refused or failed an operation; Error says which, and Revoked whether it was revoked before the failure).

The confirmation (ConfirmImpact High) is asked per key once the key is located, and names the key, its unique id, its state, the key server, its Key Manager id and the number of volumes that use it; -WhatIf shows the same text and sends nothing that changes anything. -Force skips the prompt only. Each removal, refusal or failure is recorded in the audit log of the default domain, without any key material or password.

On a KMIP server that scans every object for each name it is asked (PyKMIP), a command of many keys reads the server's key list once when that costs less than asking name by name; a server that finds names by index (HP ESKM) is asked name by name.

The examples run in a folder that holds a lab made with New-BPLab -Path ./lab -Encrypted; the ones with a KMIP server also need the repository's tests/kmip scripts (a throwaway PyKMIP server on 127.0.0.1).
'@
    Parameters  = @{
        Name       = 'Media Key Names of the keys to delete. Binds from strings and from the Name or MediaKeyName property of piped objects (keys from Get-BPEncryptionKey, volumes from Get-BPVolume). Each name is handled once.'
        Reason     = 'The revocation reason used for an Active key: CessationOfOperation (default), Superseded, KeyCompromise, CACompromise, AffiliationChanged, PrivilegeWithdrawn or Unspecified.'
        Force      = 'Deletes without prompting. It never overrides a safety rule: a key in use is still refused, a missing side of a replicated store still refuses everything, and -WhatIf still changes nothing.'
        PassThru   = 'Returns one result per key: its Status (Destroyed, AlreadyAbsent, MissingOnServer, Refused, Failed), state before, whether it was revoked and destroyed, the number of referencing volumes and some of them, the ErrorId when it was refused or failed, and the warning of a key missing on the server.'
        KeyManager = 'The key manager to use: a connection from Connect-BPKeyManager. The default connection when not given.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Keys.KeyRemovalResult; otherwise nothing.'
    Notes       = 'Keys must live as long as the data (CS p6). Connect both nodes of every replicated data store before removing any key; the command refuses otherwise.'
    Examples    = @(
        @{
            Title   = 'Decommission: delete the keys of a data store''s volumes after deleting the volumes'
            Code    = @'
Connect-BPDomain -Lab ./lab -Node '\B' | Out-Null
Connect-BPDomain -Lab ./lab -Node '\A' | Out-Null
Connect-BPKeyManager -Lab ./lab -Node '\A' | Out-Null
$keys = Get-BPVolume -DataStore DS02 -Encrypted | ForEach-Object MediaKeyName | Sort-Object -Unique
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore | Out-Null
Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Force
$keys | Remove-BPEncryptionKey -Force -PassThru | Group-Object Status -NoElement
'@
            Remarks = 'Both nodes are connected (DS01 is replicated between them) and the key store of SITEA serves Key Manager KM01, which both define. The Media Key Names are collected before the volumes go (the restores the lab left in flight end first, or the decommission would refuse); then every key comes back Destroyed. Remove-BPDataStore -Recurse -DestroyKeys does the same as its last step, on every connected key server.'
        }
        @{
            Title   = 'See what would be deleted'
            Code    = @'
$volume = Get-BPVolume -DataStore DS02 -Encrypted -Expired | Select-Object -First 1
$volume | Remove-BPVolume -Force
Remove-BPEncryptionKey -Name $volume.MediaKeyName -WhatIf
'@
            Remarks = 'Names the key, its unique id, its Key Manager id and how many volumes use it (now 0); nothing is sent to the key server that changes anything.'
        }
        @{
            Title   = 'Refused while the other side of the replicated store is not connected'
            Code    = @'
Disconnect-BPDomain -All
Connect-BPDomain -Lab ./lab -Node '\A' | Out-Null
Connect-BPKeyManager -Lab ./lab -Node '\A' | Out-Null
$name = (Get-BPVolume -DataStore DS02 -Encrypted | Select-Object -First 1).MediaKeyName
try { Remove-BPEncryptionKey -Name $name -Force -ErrorAction Stop }
catch { $_.FullyQualifiedErrorId; $_.ErrorDetails.RecommendedAction }
'@
            Remarks = 'KeyDomainsNotConnected: DS01 is replicated to \B, whose catalog and storage may still need the keys of KM01, so nothing is destroyed; the error (caught here to show it) says to connect \B.'
        }
        @{
            Title   = 'Without prompts, with a record of what happened, grouped by status'
            Code    = @'
Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -First 3 -ExpandProperty MediaKeyName | Set-Content ./retired-keys.txt
Get-Content ./retired-keys.txt | Remove-BPEncryptionKey -Force -PassThru -ErrorAction SilentlyContinue | Export-Csv ./key-removal.csv
Import-Csv ./key-removal.csv | Group-Object Status -NoElement
'@
            Remarks = 'These keys are still in use, so each is Refused (KeyStillReferenced) and appears in the record with its Error.'
        }
        @{
            Title   = 'A KMIP server: connect with its Key Manager id, and see a key it lacks reported as MissingOnServer'
            Code    = @'
Connect-BPKeyManager -Endpoint $eskm.Endpoint -CertificatePath $eskm.ClientCertificate -CertificatePassword $eskmPassword -TrustedRootCertificate $eskmRoot -BackPakId KM01 | Out-Null
Remove-BPEncryptionKey -Name (Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -Last 1).MediaKeyName -Force -PassThru
'@
            Setup   = @('Lab', 'Domains', 'Eskm')
            Remarks = 'A key server that holds none of the lab''s keys (the test server is a fresh PyKMIP), so the key of a catalogued volume comes back MissingOnServer with a warning: its volumes cannot be read with this key server. Without -BackPakId the command would refuse with KeyManagerIdUnknown.'
        }
    )
    Links       = @('Get-BPEncryptionKey', 'Connect-BPKeyManager', 'Get-BPVolume', 'about_BackPak_Errors')
    Setup       = @('Lab', 'Domains', 'LabKeyStore')
}
