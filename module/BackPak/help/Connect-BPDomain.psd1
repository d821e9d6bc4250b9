@{
    Synopsis    = 'Connects to the BackPak domain of a NonStop node and makes it the default for the session.'
    Description = @'
Connect-BPDomain opens the BackPak domain of one node and returns the connection. The newest connection is the default: every other cmdlet works on it unless -Domain names another. Connect both nodes of a lab to work across them; objects read from one node are acted on in that node when piped.

Connecting again to the same node of the same lab replaces the older connection.
'@
    Parameters  = @{
        Lab  = 'Folder of a lab made by New-BPLab.'
        Node = 'NonStop node of the domain, such as \A. The backslash may be left out. Tab completion offers the nodes of the lab.'
    }
    Outputs     = 'BackPak.Core.Model.DomainConnection: node, domain id, provider, location, and whether it is the default.'
    Examples    = @(
        @{
            Title   = 'Connect to both nodes of a lab'
            Code    = @'
$b = Connect-BPDomain -Lab ./lab -Node '\B'
$a = Connect-BPDomain -Lab ./lab -Node '\A'
Get-BPDataStore                 # \A, the default
Get-BPDataStore -Domain $b      # \B
Get-BPDataStore -Domain '\B'    # the same, by node name
'@
            Remarks = 'The last connection made is the default; -Domain takes a connection or a node name.'
        }
    )
    Links       = @('Get-BPDomain', 'Disconnect-BPDomain', 'New-BPLab')
    Setup       = 'Lab'
}
