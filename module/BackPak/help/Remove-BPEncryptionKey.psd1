@{
    Synopsis    = 'Deletes encryption keys in the key manager, refusing any key a catalogued volume still uses.'
    Description = @'
Remove-BPEncryptionKey is the last, optional step of decommissioning a data store (rule R14): after its volumes, volume groups and data store are deleted, the keys of its volumes can be deleted in the key server. Once a key is deleted, the volumes it encrypted can never be read again.

For each Media Key Name it locates the key, reads its state, and counts the catalogued volumes of every connected domain (Connect-BPDomain) that use it. A key that any such volume still uses is refused with a non-terminating KeyStillReferenced error; -Force does not override this. Otherwise an Active key is revoked (reason CessationOfOperation unless -Reason says otherwise) and then destroyed. A key that is not there, or is already destroyed, is reported as already absent (with -Verbose, and in the -PassThru result): it is not an error. At least one domain must be connected, or nothing is removed (NoDomainConnected).

The confirmation (ConfirmImpact High) is asked per key once the key is located, and names the key, its unique id, its state, the key server and the number of volumes that use it; -WhatIf shows the same text and sends nothing that changes anything. -Force skips the prompt only. Each removal, refusal or failure is recorded in the audit log of the default domain, without any key material or password.
'@
    Parameters  = @{
        Name       = 'Media Key Names of the keys to delete. Binds from strings and from the Name or MediaKeyName property of piped objects (keys from Get-BPEncryptionKey, volumes from Get-BPVolume). Each name is handled once.'
        Reason     = 'The revocation reason used for an Active key: CessationOfOperation (default), Superseded, KeyCompromise, CACompromise, AffiliationChanged, PrivilegeWithdrawn or Unspecified.'
        Force      = 'Deletes without prompting. It never overrides a safety rule: a key in use is still refused, and -WhatIf still changes nothing.'
        PassThru   = 'Returns one result per key: state before, whether it was revoked and destroyed, already absent, the number of referencing volumes, and the ErrorId when it was refused or failed.'
        KeyManager = 'The key manager to use: a connection from Connect-BPKeyManager. The default connection when not given.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Keys.KeyRemovalResult; otherwise nothing.'
    Notes       = 'Keys must live as long as the data (rule R15). Connect every domain whose volumes may use the keys (both nodes of a replicated data store) before removing any.'
    Examples    = @(
        @{
            Title   = 'Decommission: delete the keys of a data store''s volumes after deleting the volumes'
            Code    = @'
$keys = Get-BPVolume -DataStore DS02 -Encrypted | ForEach-Object MediaKeyName | Sort-Object -Unique
# ... delete the volumes, volume groups and data store first ...
$keys | Remove-BPEncryptionKey -PassThru
'@
            Remarks = 'Collect the Media Key Names before deleting the volumes; then each key is revoked and destroyed after one confirmation per key.'
        }
        @{
            Title   = 'See what would be deleted'
            Code    = "Remove-BPEncryptionKey -Name 'BPK-DS02-AB1234-01' -WhatIf"
            Remarks = 'Names the key, its unique id and how many volumes use it; nothing is sent to the key server that changes anything.'
        }
        @{
            Title   = 'Without prompts, with a record of what happened'
            Code    = "Get-Content ./retired-keys.txt | Remove-BPEncryptionKey -Force -PassThru | Export-Csv ./key-removal.csv"
            Remarks = 'Keys still in use are refused anyway (KeyStillReferenced) and appear in the results with their Error.'
        }
    )
    Links       = @('Get-BPEncryptionKey', 'Connect-BPKeyManager', 'Get-BPVolume', 'about_BackPak_Errors')
    Setup       = @('Lab', 'Domains', 'LabKeyStore')
}
