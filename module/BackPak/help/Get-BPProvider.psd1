@{
    Synopsis    = 'Lists the providers the module can connect domains through: the built-in lab and the registered ones.'
    Description = @'
Get-BPProvider returns each provider with what it offers (Capabilities: reading, volume removal, Catalog Sync, ...) and the parameters Connect-BPDomain -Parameters takes for it. The lab is built in; a site's provider is a .NET assembly in its own module, registered with Register-BPProvider. A provider whose module cannot be loaded any more is still listed, with the reason in Description and an error, so that it can be unregistered.
'@
    Parameters  = @{
        Name = 'Names or wildcards of providers. A name that matches none is an error (ProviderNotFound); the others are still listed.'
    }
    Outputs     = 'BackPak.Core.Providers.RegisteredProvider: name, description, module, capabilities, parameters, whether it is built in.'
    Examples    = @(
        @{
            Title   = 'What can each provider do?'
            Code    = "Get-BPProvider | Format-List Name, Description, BuiltIn, Capabilities, Parameters"
            Remarks = 'The lab offers every capability; a read-only provider offers reading alone.'
        }
        @{
            Title   = 'The parameters of the lab provider'
            Code    = "(Get-BPProvider Lab).Parameters"
            Remarks = 'Path: the folder of a lab. Connect-BPDomain -Provider Lab -Node ''\A'' -Parameters @{ Path = ''./lab'' } is the long form of -Lab ./lab.'
        }
    )
    Links       = @('Register-BPProvider', 'Unregister-BPProvider', 'Connect-BPDomain', 'about_BackPak_Errors')
    Setup       = @()
}
