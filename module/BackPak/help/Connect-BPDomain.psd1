@{
    Synopsis    = 'Connects to the BackPak domain of a NonStop node and makes it the default for the session.'
    Description = @'
Connect-BPDomain opens the BackPak domain of one node through a provider and returns the connection. The newest connection is the default: every other cmdlet works on it unless -Domain names another. Connect both nodes of a lab or site to work across them; objects read from one node are acted on in that node when piped.

-Provider <name> -Parameters @{ ... } connects through any provider (Get-BPProvider lists them, with the parameters each takes); -Lab <folder> is the short form of the built-in lab's (-Provider Lab -Parameters @{ Path = <folder> }). A provider offers what its site allows: a command that needs a capability it lacks is refused before it does anything (CapabilityMissing).

Connecting again to the same node of the same lab or site replaces the older connection.

Opening a domain finishes what a killed process left half done (an interrupted catalog import of the lab). What it cannot put right, and what it finds out of step, is written as a warning naming the place and the way out; the connection is made all the same, and nothing is acted on.
'@
    Parameters  = @{
        Lab        = 'Folder of a lab made by New-BPLab.'
        Node       = 'NonStop node of the domain, such as \A. The backslash may be left out. Tab completion offers the nodes of the lab.'
        Provider   = 'The provider to connect through, by name (Get-BPProvider lists them; tab completion offers them).'
        Parameters = 'The provider''s own parameters, as a hashtable, such as @{ Path = ''./lab'' } for the lab. An unknown name or a missing mandatory one is refused (ProviderParameterInvalid), naming what the provider takes. Paths are resolved against the current folder.'
        Credential = 'A credential for a provider that signs in to its site. The module passes it to the provider and writes it nowhere.'
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
        @{
            Title   = 'Connect through a provider by name, with its own parameters'
            Code    = @'
Get-BPProvider Lab | Select-Object -ExpandProperty Parameters
Connect-BPDomain -Provider Lab -Node '\A' -Parameters @{ Path = './lab' }
'@
            Remarks = 'The long form of -Lab ./lab; a site''s registered provider is connected the same way, with the parameters it lists.'
        }
    )
    Links       = @('Get-BPDomain', 'Disconnect-BPDomain', 'New-BPLab', 'Get-BPProvider', 'Register-BPProvider')
    Setup       = 'Lab'
}
