<#
.SYNOPSIS
    Generates the module's MAML cmdlet help from hand-written sources and the compiled parameter metadata.
.DESCRIPTION
    platyPS is not available here, so this does its job: the prose (synopsis, description, parameter text,
    examples, notes, links) comes from module/BackPak/help/<Cmdlet>.psd1; syntax, types, positions, pipeline
    input and aliases come from the cmdlets themselves, so they can never drift from the code.
    It fails the build when a cmdlet has no source, a parameter has no description, or there is no example.

    Setup. Every example runs as written (tests/pester/HelpExamples.Tests.ps1 runs each one, in a fresh session,
    in an empty folder). What an example needs first (a lab, connections, a key server) is its setup, written in
    the help source and shown to the operator at the head of the example's code:
        # Setup 'Lab': <description>
        <the setup's code>
        # Example
        <the example's code>
    _Common.psd1 holds the shared setups (Setups = @{ Name = @{ Description = '...'; Code = '...' } }) and the
    one every example gets unless told otherwise (DefaultSetup). A help source may set Setup for all its
    examples, and an example for itself (the example's wins): a setup name, a list of them (run in order), a
    hashtable @{ Description = '...'; Code = '...' } of its own, or @() for none.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = Import-Module (Join-Path $ModulePath 'BackPak.psd1') -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$shouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run and nothing changes.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$problems = [System.Collections.Generic.List[string]]::new()
# Text of parameters many cmdlets share (-Domain, -DataStore, ...), in one place; a cmdlet's own text wins.
$commonFile = Join-Path $SourcePath '_Common.psd1'
$commonData = if (Test-Path $commonFile) { Import-PowerShellDataFile $commonFile } else { @{} }
$commonText = if ($commonData.ContainsKey('Parameters')) { $commonData.Parameters } else { @{} }
$sharedSetups = if ($commonData.ContainsKey('Setups')) { $commonData.Setups } else { @{} }
$defaultSetup = if ($commonData.ContainsKey('DefaultSetup')) { $commonData.DefaultSetup } else { @() }

function Get-ExampleCode([string] $Command, [int] $Number, $CommandSource, $Example) {
    # The code shown and run for an example: its setup's blocks (see the header), then the example.
    $setup = if ($Example.ContainsKey('Setup')) { $Example.Setup } elseif ($CommandSource.ContainsKey('Setup')) { $CommandSource.Setup } else { $defaultSetup }
    $blocks = foreach ($item in @($setup)) {
        if ($item -is [string]) {
            if (-not $sharedSetups.ContainsKey($item)) { $problems.Add("${Command} example ${Number}: no shared setup '$item' in _Common.psd1"); continue }
            [pscustomobject]@{ Name = $item; Description = $sharedSetups[$item].Description; Code = $sharedSetups[$item].Code }
        } elseif ($item -is [hashtable] -and $item.Description -and $item.Code) {
            [pscustomobject]@{ Name = ''; Description = $item.Description; Code = $item.Code }
        } else {
            $problems.Add("${Command} example ${Number}: a Setup is a shared setup's name or @{ Description = '...'; Code = '...' }")
        }
    }
    $code = $Example.Code.Trim()
    if (-not @($blocks).Count) { return $code }
    $parts = foreach ($b in $blocks) {
        $title = if ($b.Name) { "# Setup '$($b.Name)': $($b.Description.Trim())" } else { "# Setup: $($b.Description.Trim())" }
        $title + [Environment]::NewLine + $b.Code.Trim()
    }
    (@($parts) + ('# Example' + [Environment]::NewLine + $code)) -join [Environment]::NewLine
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$cmdNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Paras([string] $Text) {
    foreach ($p in ($Text -split "(\r?\n){2,}" | Where-Object { $_.Trim() })) {
        $w.WriteElementString('para', $maml, ($p.Trim() -replace '\s*\r?\n\s*', ' '))
    }
}

function Get-PipelineText($ParameterInfos) {
    $byValue = $ParameterInfos | Where-Object { $_.ValueFromPipeline }
    $byName = $ParameterInfos | Where-Object { $_.ValueFromPipelineByPropertyName }
    $kinds = @()
    if ($byName) { $kinds += 'ByPropertyName' }
    if ($byValue) { $kinds += 'ByValue' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-Parameter($Command, $Parameter, $SetParameter, [string] $Description) {
    $isSwitch = $Parameter.ParameterType -eq [switch]
    $sets = if ($SetParameter) { @($SetParameter) } else { @($Parameter.ParameterSets.Values) }
    $w.WriteStartElement('command', 'parameter', $cmdNs)
    $w.WriteAttributeString('required', ([string]($sets | Where-Object IsMandatory | Select-Object -First 1 | ForEach-Object { $true }) -eq 'True').ToString().ToLower())
    $w.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLower())
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $w.WriteAttributeString('globbing', $globbing.ToString().ToLower())
    $w.WriteAttributeString('pipelineInput', (Get-PipelineText $sets))
    $pos = ($sets | Where-Object { $_.Position -ge 0 } | Select-Object -First 1)
    $w.WriteAttributeString('position', $(if ($pos) { [string]$pos.Position } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('name', $maml, $Parameter.Name)
    $w.WriteStartElement('description', $maml); Write-Paras $Description; $w.WriteEndElement()
    $typeName = $Parameter.ParameterType.Name
    if (-not $isSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $cmdNs)
        $w.WriteAttributeString('required', 'true'); $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($typeName); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, $Parameter.ParameterType.FullName); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $dev, $(if ($isSwitch) { 'False' } else { 'None' }))
    $w.WriteEndElement()
}

# One MAML file per assembly that implements cmdlets (BackPak.PowerShell.dll, and the lab's nested module
# BackPak.Lab.PowerShell.dll): PowerShell looks for a cmdlet's help in '<its assembly's file name>-Help.xml'.
$byAssembly = Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name |
    Group-Object { [System.IO.Path]::GetFileName($_.ImplementingType.Assembly.Location) }
foreach ($assembly in $byAssembly) {
    $w = [System.Xml.XmlWriter]::Create((Join-Path $ModulePath "en-US/$($assembly.Name)-Help.xml"), $settings)
    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', 'http://msh')
    $w.WriteAttributeString('schema', 'maml')
    foreach ($command in $assembly.Group) {
        $file = Join-Path $SourcePath "$($command.Name).psd1"
        if (-not (Test-Path $file)) { $problems.Add("$($command.Name): no help source $file"); continue }
        $src = Import-PowerShellDataFile $file
        foreach ($key in 'Synopsis', 'Description', 'Parameters', 'Examples') {
            if (-not $src.ContainsKey($key) -or -not $src[$key]) { $problems.Add("$($command.Name): '$key' is missing in $file") }
        }
        if ($problems.Count) { continue }
        $params = $command.Parameters.Values | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' }
        $describe = {
            param($p)
            if ($shouldProcessText.ContainsKey($p.Name)) { return $shouldProcessText[$p.Name] }
            if ($src.Parameters.ContainsKey($p.Name)) { return $src.Parameters[$p.Name] }
            if ($commonText.ContainsKey($p.Name)) { return $commonText[$p.Name] }
            $problems.Add("$($command.Name): parameter -$($p.Name) has no description"); ''
        }
        foreach ($extra in $src.Parameters.Keys) {
            if (-not $command.Parameters.ContainsKey($extra)) { $problems.Add("$($command.Name): help describes -$extra, which does not exist") }
        }

        $w.WriteStartElement('command', 'command', $cmdNs)
        $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
        $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
        $w.WriteStartElement('details', $cmdNs)
        $w.WriteElementString('name', $cmdNs, $command.Name)
        $w.WriteElementString('verb', $cmdNs, $command.Verb)
        $w.WriteElementString('noun', $cmdNs, $command.Noun)
        $w.WriteStartElement('description', $maml); Write-Paras $src.Synopsis; $w.WriteEndElement()
        $w.WriteEndElement()
        $w.WriteStartElement('description', $maml); Write-Paras $src.Description; $w.WriteEndElement()

        $w.WriteStartElement('syntax', $cmdNs)
        foreach ($set in $command.ParameterSets) {
            $w.WriteStartElement('syntaxItem', $cmdNs)
            $w.WriteElementString('name', $maml, $command.Name)
            foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' }) {
                Write-Parameter $command $command.Parameters[$sp.Name] ($command.Parameters[$sp.Name].ParameterSets[$set.Name]) (& $describe $sp)
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('parameters', $cmdNs)
        foreach ($p in $params | Sort-Object Name) { Write-Parameter $command $p $null (& $describe $p) }
        $w.WriteEndElement()

        $w.WriteStartElement('inputTypes', $cmdNs)
        $inputs = $params | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } }
        foreach ($p in $inputs) {
            $how = Get-PipelineText @($p.ParameterSets.Values)
            $w.WriteStartElement('inputType', $cmdNs)
            $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, $p.ParameterType.FullName); $w.WriteEndElement()
            $w.WriteStartElement('description', $maml); Write-Paras "-$($p.Name), $how."; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('returnValues', $cmdNs)
        foreach ($t in $command.OutputType) {
            $w.WriteStartElement('returnValue', $cmdNs)
            $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, $t.Name); $w.WriteEndElement()
            $w.WriteStartElement('description', $maml); Write-Paras ($(if ($src.ContainsKey('Outputs')) { $src.Outputs } else { ' ' })); $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        if ($src.ContainsKey('Notes')) {
            $w.WriteStartElement('alertSet', $maml); $w.WriteStartElement('alert', $maml); Write-Paras $src.Notes; $w.WriteEndElement(); $w.WriteEndElement()
        }

        $w.WriteStartElement('examples', $cmdNs)
        $n = 0
        foreach ($ex in $src.Examples) {
            $n++
            $w.WriteStartElement('example', $cmdNs)
            $w.WriteElementString('title', $maml, "-------------------------- Example $($n): $($ex.Title) --------------------------")
            $w.WriteElementString('code', $dev, (Get-ExampleCode $command.Name $n $src $ex))
            $w.WriteStartElement('remarks', $dev); Write-Paras $ex.Remarks; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('relatedLinks', $cmdNs)
        foreach ($l in @($src['Links']) + 'about_BackPak' | Where-Object { $_ } | Select-Object -Unique) {
            $w.WriteStartElement('navigationLink', $maml); $w.WriteElementString('linkText', $maml, $l); $w.WriteElementString('uri', $maml, ''); $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
    $w.Close()
}

if ($problems.Count) {
    $problems | ForEach-Object { Write-Error $_ -ErrorAction Continue }
    exit 1
}
