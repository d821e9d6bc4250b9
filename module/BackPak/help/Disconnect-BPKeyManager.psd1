@{
    Synopsis    = 'Closes connections to key managers.'
    Description = 'Disconnect-BPKeyManager closes a connection made by Connect-BPKeyManager (its TLS session for a KMIP server). Nothing in the key manager changes. When the default connection is closed, the most recent remaining one becomes the default, and a warning names it: key commands without -KeyManager go there from then on.'
    Parameters  = @{
        KeyManager = 'The connection to close. The default connection when not given.'
        All        = 'Closes every key manager connection of the session.'
        PassThru   = 'Returns each closed connection.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Keys.KeyManagerConnection; otherwise nothing.'
    Examples    = @(
        @{
            Title   = 'Close the default key manager connection'
            Code    = 'Disconnect-BPKeyManager'
            Remarks = 'Another open connection, if any, becomes the default.'
        }
        @{
            Title   = 'Close everything at the end of a runbook'
            Code    = 'Disconnect-BPKeyManager -All; Disconnect-BPDomain -All'
            Remarks = 'Closes the key manager connections and the domain connections.'
        }
    )
    Links       = @('Connect-BPKeyManager', 'Get-BPKeyManager')
    Setup       = @('Lab', 'Domains', 'LabKeyStore')
}
