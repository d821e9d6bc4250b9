@{
    Synopsis    = 'Removes a provider from the registry.'
    Description = 'Unregister-BPProvider removes a provider registered with Register-BPProvider. Connections already open through it stay open until disconnected; new ones are refused (ProviderNotFound). The built-in lab cannot be unregistered (ProviderInvalid).'
    Parameters  = @{
        Name     = 'The name of the provider, as Get-BPProvider shows it.'
        PassThru = 'Returns the provider as it was registered (name, module, type).'
    }
    Outputs     = 'BackPak.Core.Providers.RegisteredProvider, with -PassThru.'
    Examples    = @(
        @{
            Title   = 'Register a provider and take it away again'
            Code    = @'
Register-BPProvider -ModuleName (Join-Path (Get-Module BackPak).ModuleBase 'Providers/LabReadOnly/LabReadOnly.psd1')
Unregister-BPProvider LabReadOnly -Confirm:$false
Get-BPProvider | ForEach-Object Name
'@
            Remarks = 'Only the built-in Lab is left.'
        }
    )
    Links       = @('Register-BPProvider', 'Get-BPProvider')
    Setup       = @()
}
