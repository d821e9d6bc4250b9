@{
    # Descriptions of parameters that many cmdlets share. A cmdlet's own help source may override any of them.
    Parameters   = @{
        Domain    = 'The domain to work on: a connection from Connect-BPDomain, or the node name of a connected domain such as \B. The default connection when not given. It must agree with where piped objects came from: a contradiction stops the command before anything changes (DomainMismatch). -Domain $null is refused by cmdlets that change things (EmptySelection), never read as the default.'
        DataStore = 'Store IDs of the data stores. Binds from the DataStore or Name property of piped objects (Get-BPDataStore, Get-BPVolume, Get-BPExportStatus, CSV rows), which are then acted on in the domain they came from (their Origin, else their Node). Given with nothing in it ($null, an empty list), it selects nothing: cmdlets that change things refuse it (EmptySelection).'
        Node      = 'The node a piped object came from (bound from its Node property, for example a Node column of a CSV file); not meant to be typed: use -Domain.'
        Origin    = 'The domain a piped object was read from (bound from its Origin property: provider, location and node), so that it is acted on in that connection and no other; not meant to be typed: use -Domain.'
        PassThru  = 'Returns the resulting object.'
    }

    # What examples need before they run, shown at the head of each example's code (build/New-CmdletHelp.ps1) and
    # run with it by tests/pester/HelpExamples.Tests.ps1, in an empty folder and a new session. A help source sets
    # Setup for all its examples, an example for itself; the others get DefaultSetup.
    Setups       = @{
        Lab         = @{
            Description = 'a lab of 200 encrypted volumes in ./lab'
            Code        = 'New-BPLab -Path ./lab -VolumeCount 200 -Seed 1 -Encrypted | Out-Null'
        }
        SiteLab     = @{
            Description = 'a lab of 200 encrypted volumes in ./lab whose data stores DS01 and DS04 both replicate from \A to \B'
            Code        = 'New-BPLab -Path ./lab -VolumeCount 200 -Seed 1 -Encrypted -DataStore DS01, DS04 | Out-Null'
        }
        TransportLab = @{
            Description = 'a lab of 200 volumes in ./lab whose store DS01 has a volume group TRANSPORT linked to no catalog, on both sides'
            Code        = 'New-BPLab -Path ./lab -VolumeCount 200 -Seed 1 -TransportVolumeGroup TRANSPORT | Out-Null'
        }
        Transport   = @{
            Description = 'the exports of DS01 on \A going to the intermediate staging area \A.$BPINT.DS01, transport volume XPT001 registered on both sides, and a FULL export in the intermediate staging area'
            Code        = @'
Set-BPDataStore -Name DS01 -StagingArea '\A.$BPINT.DS01' -Domain '\A' -Confirm:$false | Out-Null
'\A', '\B' | ForEach-Object { Register-BPTransportVolume -DataStore DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain $_ -Confirm:$false | Out-Null }
Start-BPCatalogExport -DataStore DS01 -Type Full -Domain '\A' -Confirm:$false | Out-Null
'@
        }
        Domains     = @{
            Description = 'the domains of both nodes connected; \A, connected last, is the default'
            Code        = @'
Connect-BPDomain -Lab ./lab -Node '\B' | Out-Null
Connect-BPDomain -Lab ./lab -Node '\A' | Out-Null
'@
        }
        LabKeyStore = @{
            Description = 'the key store of the lab''s site A connected as the key manager'
            Code        = "Connect-BPKeyManager -Lab ./lab -Node '\A' | Out-Null"
        }
        Eskm        = @{
            Description = 'your key server: ./eskm.psd1 holds its Endpoint (host:port), ClientCertificate (a .pfx file) and TrustedRoot (the root CA file); type the .pfx password at the prompt'
            Code        = @'
$eskm = Import-PowerShellDataFile ./eskm.psd1
$eskmRoot = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($eskm.TrustedRoot)
$eskmPassword = Read-Host -AsSecureString 'PFX password'
'@
        }
    }
    DefaultSetup = @('Lab', 'Domains')
}
