@{
    Synopsis    = 'Writes a commented site description template for connecting to real NonStop nodes.'
    Description = @'
New-BPSiteDescription writes the .psd1 file that Connect-BPDomain -Provider NonStop reads: what the module cannot discover by reading the nodes. For each node: its Expand name, its NonStop SSH server (host, port, user, the host key as a known-hosts file or a pinned SHA256 fingerprint, key or password sign-in, timeouts) and the subvolume where BackPak is installed; for each data store: its Store ID, the domain access you expect, its storage paths as this machine reaches them and its staging subvolume; for each volume group: its catalog (DSM/TC VOLCAT, POOL and FILECAT, or TMF).

Every value is an example to change, and the file is valid as written, so you edit a file the module already accepts; each key is explained in a comment beside it, with the manual page where one applies. The first node holds the PRIMARY copy of each store in the template, the others its SECONDARY copy. A password never goes in the file: it is asked for when connecting (-Credential).

An existing file is never replaced without -Force; the file is written beside its target and moved into place, so a failure leaves the old file as it was. The node and Store ID names are checked against the NonStop rules before anything is written.
'@
    Parameters  = @{
        Path     = 'The .psd1 file to write, relative to the current location or absolute.'
        Node     = 'The Expand node names of the site, such as \PROD1. The first holds the PRIMARY stores in the template. Default: \A and \B.'
        DataStore = 'The Store IDs of the data stores to describe. Default: DS01.'
        SiteName = 'A name for the site, shown in messages. Default: PROD.'
        Force    = 'Replaces a file that exists already.'
    }
    Outputs     = 'System.IO.FileInfo: the file written.'
    Setup       = @()
    Examples    = @(
        @{
            Title   = 'Start the description of a two-node site with two data stores'
            Code    = "New-BPSiteDescription -Path ./site.psd1 -Node '\PROD1', '\DR1' -DataStore DS01, DS02 -SiteName PARIS"
            Remarks = 'Writes ./site.psd1 with DS01 and DS02 PRIMARY on \PROD1 and SECONDARY on \DR1. Edit the SSH endpoints, host keys, catalogs and storage paths, then connect with Connect-BPDomain -Provider NonStop -Node ''\PROD1'' -Parameters @{ SiteDescription = ''./site.psd1'' }.'
        }
        @{
            Title   = 'Check that the template reads as PowerShell data'
            Code    = @'
New-BPSiteDescription ./site.psd1 | Out-Null
(Import-PowerShellDataFile ./site.psd1).Nodes | ForEach-Object { '{0} via {1}' -f $_.Node, $_.Ssh.Host }
'@
            Remarks = 'Lists \A via nonstop-a.example.com and \B via nonstop-b.example.com: the example hosts to replace.'
        }
    )
    Links       = @('Connect-BPDomain', 'Get-BPProvider')
}
