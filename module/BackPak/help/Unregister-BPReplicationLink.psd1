@{
    Synopsis    = 'Removes replication links registered in this session.'
    Description = @'
Unregister-BPReplicationLink removes the link of a data store (of one kind with -Kind, of both kinds without) registered with Register-BPReplicationLink, in the estate of -Domain or of the default domain, or the links piped from Get-BPReplicationLink (each in its own estate). The switch of the store then uses the provider's link of that kind again, or stops for the operator. A store with no such link is an error (ReplicationLinkNotFound) and nothing is changed for it; piped links after it are still removed. A switch run already started keeps no link of its own: a resumed run uses what is registered when it resumes.
'@
    Parameters  = @{
        DataStore = 'Store ID of the data store whose link to remove. Binds from the DataStore property of piped registrations.'
        Kind      = 'Only the link of this kind (Storage or Keys); both kinds of the store when not given. Binds from piped registrations.'
        Location  = 'The estate of a piped registration (bound from its Location property); not meant to be typed: use -Domain.'
        PassThru  = 'Returns each link removed, as it was registered.'
        Domain    = 'The domain whose estate the link serves: a connection or the node name of one. The default connection when not given. It must agree with the estate of piped registrations (DomainMismatch).'
    }
    Outputs     = 'BackPak.PowerShell.ReplicationLinkRegistration, with -PassThru.'
    Examples    = @(
        @{
            Title   = 'Remove every link of the session'
            Code    = @'
Register-BPReplicationLink DS01 -Kind Storage -Reverse { param($Link) } | Out-Null
Register-BPReplicationLink DS01 -Kind Keys -Reverse { param($Link) } | Out-Null
Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false -PassThru
@(Get-BPReplicationLink).Count
'@
            Remarks = 'Both links of DS01 are removed; none is left.'
        }
    )
    Links       = @('Register-BPReplicationLink', 'Get-BPReplicationLink')
}
