@{
    Synopsis    = 'Lists the key managers connected in this session.'
    Description = 'Get-BPKeyManager returns the connections made by Connect-BPKeyManager that are still open: endpoint, BackPak id, provider, protocol version, when each was made and which one is the default.'
    Parameters  = @{
        Default = 'Returns only the default connection.'
    }
    Outputs     = 'BackPak.Core.Keys.KeyManagerConnection'
    Examples    = @(
        @{
            Title   = 'Which key server will Remove-BPEncryptionKey use?'
            Code    = 'Get-BPKeyManager -Default'
            Remarks = 'The default connection: the most recent one made.'
        }
    )
    Links       = @('Connect-BPKeyManager', 'Disconnect-BPKeyManager')
    Setup       = @('Lab', 'Domains', 'LabKeyStore')
}
