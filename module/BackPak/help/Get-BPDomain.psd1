@{
    Synopsis    = 'Lists the BackPak domains connected in this session.'
    Description = 'Get-BPDomain returns the connections made by Connect-BPDomain in this session, with the default marked. Connections belong to the runspace that made them.'
    Parameters  = @{
        Node    = 'Only the connections to these nodes, such as \A.'
        Default = 'Only the default connection.'
    }
    Outputs     = 'BackPak.Core.Model.DomainConnection'
    Examples    = @(
        @{
            Title   = 'Which domain will the next cmdlet use?'
            Code    = "Get-BPDomain -Default"
            Remarks = 'Returns the default connection, or nothing when no domain is connected.'
        }
        @{
            Title   = 'List all connections'
            Code    = "Get-BPDomain | Format-Table Node, DomainId, IsDefault, Location"
            Remarks = 'Shows every connected domain of the session.'
        }
    )
    Links       = @('Connect-BPDomain', 'Disconnect-BPDomain')
}
