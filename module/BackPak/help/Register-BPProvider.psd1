@{
    Synopsis    = 'Registers the provider a PowerShell module holds, after checking it.'
    Description = @'
Register-BPProvider imports a module (by name, as Get-Module -ListAvailable shows it, or by the path of its .psd1 or .dll), finds the provider in its assemblies (a public class implementing BackPak.Core.Providers.IBackPakProvider with a parameterless constructor) and checks it before anything is written, as SecretManagement checks a vault module: exactly one provider (or the one -Name names), a name of letters and digits that is not the built-in lab's, a domain type that implements IDomainReader, parameters declared once. A module that fails a check is refused (ProviderInvalid) and nothing is registered.

The registry is kept per user (under the local application data folder, BackPak/providers.tsv; the environment variable BACKPAK_PROVIDER_REGISTRY names another file). Once registered, Connect-BPDomain -Provider <name> imports the module when it is first used, in any session.
'@
    Parameters  = @{
        ModuleName = 'Name of an installed module, or path of its .psd1 or .dll (relative to the current folder).'
        Name       = 'The provider to register when the module holds several, by its name.'
        PassThru   = 'Returns the registered provider, as Get-BPProvider shows it.'
    }
    Outputs     = 'BackPak.Core.Providers.RegisteredProvider, with -PassThru.'
    Examples    = @(
        @{
            Title   = 'Register the read-only lab provider the module ships, connect through it, and unregister it'
            Code    = @'
$module = Join-Path (Get-Module BackPak).ModuleBase 'Providers/LabReadOnly/LabReadOnly.psd1'
Register-BPProvider -ModuleName $module -PassThru | Format-List Name, Capabilities
$ro = Connect-BPDomain -Provider LabReadOnly -Node '\A' -Parameters @{ Path = './lab' }
Get-BPVolume -DataStore DS02 -Expired | Measure-Object
try { Get-BPVolume -DataStore DS02 -Expired | Remove-BPVolume -Confirm:$false } catch { $_.FullyQualifiedErrorId }
Unregister-BPProvider LabReadOnly -Confirm:$false
'@
            Remarks = 'The read-only provider lists what the lab holds and offers nothing else: the removal is refused with CapabilityMissing before anything is done.'
        }
    )
    Links       = @('Get-BPProvider', 'Unregister-BPProvider', 'Connect-BPDomain')
    Setup       = @('Lab')
}
