@{
    Synopsis    = 'Closes connections to BackPak domains.'
    Description = 'Disconnect-BPDomain closes a connection made by Connect-BPDomain, and with it every file of the lab the session held open (the folder can be moved or deleted afterwards). Nothing in the domain changes. When the default connection is closed, the most recent remaining connection becomes the default, and a warning names it: commands without -Domain act there from then on.'
    Parameters  = @{
        Domain   = 'The connection to close, or the node name of one. The default connection when not given.'
        All      = 'Closes every connection of the session.'
        PassThru = 'Returns each closed connection.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Model.DomainConnection; otherwise nothing.'
    Examples    = @(
        @{
            Title   = 'Close the connection to \B'
            Code    = "Disconnect-BPDomain -Domain '\B'"
            Remarks = 'The connection to \A, if any, stays open.'
        }
        @{
            Title   = 'Close everything at the end of a runbook'
            Code    = "Get-BPDomain | Disconnect-BPDomain"
            Remarks = 'Pipes every connection into Disconnect-BPDomain; Disconnect-BPDomain -All does the same.'
        }
    )
    Links       = @('Connect-BPDomain', 'Get-BPDomain')
}
