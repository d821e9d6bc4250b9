<#
    Meta-tests every cmdlet of the module must pass, now and in the future: they are driven by
    Get-Command -Module BackPak, the compiled assembly and the shipped files, not by a list kept here.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $module = Import-BPTestModule
    $root = Get-BPTestRepoRoot
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    $cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
            @{ Name = $_.Name; Verb = $_.Verb }
        })
    $parameters = @(foreach ($c in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
            foreach ($p in $c.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
                @{ Command = $c.Name; Parameter = $p }
            }
        })

    # Verbs whose cmdlets change state: they must support -WhatIf/-Confirm.
    $stateVerbs = 'New', 'Set', 'Remove', 'Add', 'Clear', 'Invoke', 'Start', 'Stop', 'Suspend', 'Resume', 'Reset',
    'Restore', 'Rename', 'Move', 'Copy', 'Update', 'Enable', 'Disable', 'Register', 'Unregister', 'Install',
    'Uninstall', 'Publish', 'Import', 'Export', 'Switch'
    $changing = @($cmdlets | Where-Object { $_.Verb -in $stateVerbs })
    $removing = @($cmdlets | Where-Object { $_.Verb -eq 'Remove' })

    # Scripts to lint: the module's sources, examples and build scripts (plus the root build script and benchmarks).
    $lintFiles = @(
        foreach ($dir in 'module', 'examples', 'build', 'bench') {
            $d = Join-Path $root $dir
            if (Test-Path $d) {
                Get-ChildItem $d -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
                    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
            }
        }
        Get-Item (Join-Path $root 'build.ps1') -ErrorAction SilentlyContinue
    ) | Sort-Object FullName | ForEach-Object { @{ Path = $_.FullName; Relative = $_.FullName.Substring($root.Length).TrimStart('\', '/') } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    $script:ModulePath = Get-BPTestModulePath
    $script:Manifest = Import-PowerShellDataFile $script:ModulePath
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'The BackPak module as a whole' {

    It 'has cmdlets to test (discovery found the module)' {
        @(Get-Command -Module BackPak -CommandType Cmdlet).Count | Should -BeGreaterThan 0
    }

    It 'imports in a fresh pwsh with no error and no warning' {
        $path = $script:ModulePath.Replace("'", "''")
        $r = Invoke-BPFreshPwsh -Command @"
`$ErrorActionPreference = 'Stop'
`$Error.Clear()
`$m = Import-Module '$path' -PassThru -WarningVariable w
'CMDLETS=' + @(Get-Command -Module `$m.Name -CommandType Cmdlet).Count
'WARNINGS=' + @(`$w).Count
'ERRORS=' + `$Error.Count
"@
        $r.StdErr | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0 -Because $r.StdOut
        $r.StdOut | Should -Match 'ERRORS=0\b'
        $r.StdOut | Should -Match 'WARNINGS=0\b'
        $r.StdOut | Should -Match "CMDLETS=$(@($script:Manifest.CmdletsToExport).Count)\b"
    }

    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest -Path $script:ModulePath -ErrorAction Stop
        $info.Name | Should -Be 'BackPak'
        @($info.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'lists in CmdletsToExport exactly the cmdlet classes compiled in BackPak.PowerShell.dll and the lab''s nested module' {
        $assemblies = @($script:Module.ImplementingAssembly) + @($script:Module.NestedModules | ForEach-Object ImplementingAssembly)
        @($assemblies | ForEach-Object { $_.GetName().Name }) | Should -Be 'BackPak.PowerShell', 'BackPak.Lab.PowerShell'
        $compiled = @($assemblies.GetExportedTypes() | ForEach-Object {
                $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
                if ($a) { "$($a.VerbName)-$($a.NounName)" }
            } | Sort-Object)
        $compiled.Count | Should -BeGreaterThan 0
        $manifest = @($script:Manifest.CmdletsToExport | Sort-Object)
        $manifest | Should -Not -Contain '*' -Because 'the list must be explicit, not a wildcard'
        Compare-Object $compiled $manifest | ForEach-Object { "$($_.InputObject) only in $(if ($_.SideIndicator -eq '<=') { 'the assembly' } else { 'the manifest' })" } |
            Should -BeNullOrEmpty
    }

    It 'exposes through Get-Command exactly the cmdlets of the manifest' {
        @(Get-Command -Module BackPak -CommandType Cmdlet | ForEach-Object Name | Sort-Object) |
            Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
    }
}

Describe 'Cmdlet <Name>' -ForEach $cmdlets {

    BeforeAll {
        $cmd = Get-Command $Name -Module BackPak
        $help = Get-Help $Name -Full
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $Verb
    }

    It 'is implemented by a sealed class' {
        $cmd.ImplementingType.IsSealed | Should -BeTrue -Because "$($cmd.ImplementingType.FullName) should be sealed"
    }

    It 'declares at least one [OutputType], and each resolves to a type' {
        @($cmd.OutputType).Count | Should -BeGreaterOrEqual 1
        foreach ($t in $cmd.OutputType) { $t.Type | Should -Not -BeNullOrEmpty -Because "OutputType '$($t.Name)' should be a real type" }
    }

    It 'has a synopsis written for it, not the generated syntax line' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without help, PowerShell makes the synopsis from the syntax: "Get-X [[-Param] <type>] [<CommonParameters>]".
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        $synopsis | Should -Not -Match '<CommonParameters>|\[-\w+'
    }

    It 'has a description' {
        (@($help.description) | ForEach-Object Text) -join ' ' | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example, and the code of every example parses' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($ex in $examples) {
            "$($ex.code)".Trim() | Should -Not -BeNullOrEmpty
            $tokens = $null; $errors = $null
            [void][System.Management.Automation.Language.Parser]::ParseInput([string]$ex.code, [ref]$tokens, [ref]$errors)
            @($errors | ForEach-Object { "$($_.Message) in: $($ex.code)" }) | Should -BeNullOrEmpty
        }
    }
}

Describe 'Help of parameter <Command> -<Parameter>' -ForEach $parameters {
    It 'has a description' {
        $p = @((Get-Help $Command -Full).parameters.parameter) | Where-Object name -EQ $Parameter
        $p | Should -Not -BeNullOrEmpty -Because "Get-Help $Command should document -$Parameter"
        (@($p.description) | ForEach-Object Text) -join ' ' | Should -Not -BeNullOrEmpty
    }
}

Describe 'State-changing cmdlet <Name>' -ForEach $changing {
    It 'declares SupportsShouldProcess (its verb changes state)' {
        $a = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
        $a.SupportsShouldProcess | Should -BeTrue
        (Get-Command $Name).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command $Name).Parameters.Keys | Should -Contain 'Confirm'
    }
}

Describe 'Removing cmdlet <Name>' -ForEach $removing {
    It 'declares ConfirmImpact High' {
        $a = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
        $a.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }
}

Describe 'ErrorIds and about_BackPak_Errors' {

    BeforeAll {
        $core = Get-BPCoreAssembly -Module $script:Module
        $type = $core.GetType('BackPak.Core.Errors.ErrorIds', $true)
        $script:Constants = @($type.GetFields([System.Reflection.BindingFlags]'Public, Static') |
                Where-Object { $_.IsLiteral -and $_.FieldType -eq [string] })
        $aboutFile = Join-Path $script:Module.ModuleBase 'en-US/about_BackPak_Errors.help.txt'
        $script:Documented = @(Get-Content $aboutFile | ForEach-Object { if ($_ -cmatch '^    ([A-Za-z]+) \(') { $Matches[1] } })
    }

    It 'finds ErrorIds constants and documented ids to compare' {
        $script:Constants.Count | Should -BeGreaterThan 0
        $script:Documented.Count | Should -BeGreaterThan 0
    }

    It 'gives every ErrorIds constant its own name as value (ids are stable names)' {
        @($script:Constants | Where-Object { $_.GetRawConstantValue() -cne $_.Name } | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'documents each id once in about_BackPak_Errors' {
        @($script:Documented | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'has the same set of ids in BackPak.Core.Errors.ErrorIds and in about_BackPak_Errors' {
        $ids = @($script:Constants | ForEach-Object { $_.GetRawConstantValue() } | Sort-Object -Unique)
        Compare-Object $ids @($script:Documented | Sort-Object -Unique) -CaseSensitive | ForEach-Object {
            "$($_.InputObject) only in $(if ($_.SideIndicator -eq '<=') { 'ErrorIds' } else { 'about_BackPak_Errors' })"
        } | Should -BeNullOrEmpty
    }
}

Describe 'About topics' {
    It 'Get-Help <Topic> shows the topic' -ForEach @(@{ Topic = 'about_BackPak' }, @{ Topic = 'about_BackPak_Errors' }) {
        $text = Get-Help $Topic -ErrorAction Stop | Out-String
        $text | Should -Match "TOPIC\s+$Topic\b"
        $text | Should -Match 'SHORT DESCRIPTION'
    }
}

Describe 'Syntax lint of <Relative>' -ForEach $lintFiles {
    It 'parses without syntax errors' {
        $tokens = $null; $errors = $null
        [void][System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }
}
