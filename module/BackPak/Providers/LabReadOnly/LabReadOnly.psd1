@{
    # A provider module as a site would ship one: the assembly that holds the provider (here the lab's own, which also
    # holds LabReadOnlyProvider: a lab behind reading alone). Register it with
    #   Register-BPProvider -ModuleName <this file>
    RootModule        = '../../BackPak.Lab.dll'
    ModuleVersion     = '0.2.0'
    GUID              = '3b6f0f5e-8a53-4f1e-9d0c-5a2f3a7f9c11'
    Author            = 'BackPak.PowerShell contributors'
    Description       = 'BackPak provider LabReadOnly: a lab made by New-BPLab, read only (every change is refused).'
    PowerShellVersion = '5.1'
    RequiredModules   = @()
    CmdletsToExport   = @()
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
