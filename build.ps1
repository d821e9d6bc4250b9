<#
.SYNOPSIS
    One entry point for people and CI: Build, Package, Test, Demo, Bench.
.DESCRIPTION
    Build   publishes the binary module and stages it in out/BackPak (manifest with the release notes of
            CHANGELOG.md's newest section, assemblies, the native SQLite library flat beside them, format file,
            generated help, licence), ready for Import-Module.
    Package builds, then packs out/BackPak into out/package/BackPak.<version>.nupkg with PSResourceGet's own
            packer (Compress-PSResource), installable with Install-PSResource from a folder repository.
    Test    packages, then runs every xunit project and the Pester suites on the built module in a fresh pwsh.
            Its last line is "N passed, N failed"; the exit code is non-zero on any failure.
    Demo    builds, creates a lab and prints a readable summary of both domains.
    Bench   builds and runs the benchmarks in bench/, each printing its figure as a ratio to a baseline
            (-BenchFilter Keys runs bench/Keys.Bench.ps1 only).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Bench')]
    [string] $Task = 'Build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Pester only: run just the files whose name matches (e.g. 'Lab*').
    [string] $PesterFilter = '*',
    # Skip the xunit projects (for quick Pester iterations).
    [switch] $NoXunit,
    # Bench only: run just the benchmarks whose name matches (e.g. 'Keys').
    [string] $BenchFilter = '*'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$env:NO_COLOR = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'BackPak'
$packageOut = Join-Path $out 'package'
Import-Module (Join-Path $root 'build/Prerequisites.psm1') -Force
Import-Module (Join-Path $root 'build/Package.psm1') -Force
$rid = if ($IsWindows) { 'win-x64' } elseif ($IsMacOS) { 'osx-x64' } else { 'linux-x64' }

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Invoke-FreshPwsh {
    # A new pwsh process of the same version as this one: the module is always tested in a clean session.
    param([string] $Command, [hashtable] $Environment = @{})
    $saved = @{}
    foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
    try {
        # Out-Host: the child's output is shown, not returned; the function returns only the exit code.
        & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $Command | Out-Host
        return $LASTEXITCODE
    } finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
}

function Invoke-Build {
    $publish = Join-Path $out 'publish'
    # The main module and the lab's nested module (which brings the lab and SQLite), into one folder.
    foreach ($project in 'src/BackPak.PowerShell/BackPak.PowerShell.csproj', 'src/BackPak.Lab.PowerShell/BackPak.Lab.PowerShell.csproj') {
        Invoke-Native "dotnet publish $project" {
            dotnet publish (Join-Path $root $project) -c $Configuration -r $rid --self-contained false -o $publish -nologo -v quiet
        }
    }
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    New-Item -ItemType Directory -Path (Join-Path $moduleOut 'en-US') -Force | Out-Null

    # Our assemblies and their dependencies, except what PowerShell itself ships (loading a second copy of
    # an assembly pwsh already has only invites conflicts).
    $pwshHas = Get-ChildItem $PSHOME -Filter '*.dll' | ForEach-Object Name
    Get-ChildItem $publish -File | Where-Object {
        ($_.Extension -eq '.dll' -and $_.Name -notin $pwshHas) -or $_.Name -like '*e_sqlite3*'
    } | Copy-Item -Destination $moduleOut
    $native = Get-ChildItem $publish -Recurse -File | Where-Object Name -like 'libe_sqlite3*' | Select-Object -First 1
    if (-not $native) { throw "The native SQLite library was not published for $rid." }
    Copy-Item $native.FullName -Destination $moduleOut

    $src = Join-Path $root 'module/BackPak'
    Copy-Item (Join-Path $src 'BackPak.psd1'), (Join-Path $src 'BackPak.Format.ps1xml'), (Join-Path $root 'LICENSE') -Destination $moduleOut
    # Release notes from CHANGELOG.md's newest section, checked against the version (build/Package.psm1).
    $stagedManifest = Join-Path $moduleOut 'BackPak.psd1'
    $notes = Get-BPReleaseNotes -ChangelogPath (Join-Path $root 'CHANGELOG.md') -ModuleVersion (Get-BPModuleVersion -ManifestPath $stagedManifest)
    Set-BPManifestReleaseNotes -ManifestPath $stagedManifest -ReleaseNotes $notes
    Copy-Item (Join-Path $src 'en-US/*.txt') -Destination (Join-Path $moduleOut 'en-US')
    if (Test-Path (Join-Path $src 'Diagnostics')) { Copy-Item (Join-Path $src 'Diagnostics') -Destination $moduleOut -Recurse }
    # Provider modules shipped with the module (each a .psd1 naming an assembly of the module folder).
    if (Test-Path (Join-Path $src 'Providers')) { Copy-Item (Join-Path $src 'Providers') -Destination $moduleOut -Recurse }

    # Cmdlet help (MAML) generated from module/BackPak/help/*.psd1 and the compiled parameter metadata.
    $rc = Invoke-FreshPwsh -Command "& '$(Join-Path $root 'build/New-CmdletHelp.ps1')' -ModulePath '$moduleOut' -SourcePath '$(Join-Path $src 'help')'"
    if ($rc -ne 0) { throw 'Help generation failed.' }
    Write-Host "Module staged in $moduleOut"
}

function Invoke-Package {
    Invoke-Build
    if (Test-Path $packageOut) { Remove-Item $packageOut -Recurse -Force }
    $nupkg = New-BPModulePackage -ModulePath $moduleOut -DestinationPath $packageOut
    Write-Host "Package written: $($nupkg.FullName)"
}

function Get-TrxCounts {
    param([string] $Folder)
    $passed = 0; $failed = 0; $names = [System.Collections.Generic.List[string]]::new()
    foreach ($f in Get-ChildItem $Folder -Filter '*.trx' -ErrorAction SilentlyContinue) {
        # -LiteralPath: two test projects ending in the same second get a trx named "...[1].trx", which is not a wildcard.
        [xml] $x = Get-Content -LiteralPath $f.FullName -Raw
        $c = $x.TestRun.ResultSummary.Counters
        $passed += [int] $c.passed
        $failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        foreach ($r in @($x.TestRun.Results.UnitTestResult) | Where-Object { $_ -and $_.outcome -ne 'Passed' -and $_.outcome -ne 'NotExecuted' }) {
            $message = "$($r.Output.ErrorInfo.Message)".Trim() -split "`n" | Select-Object -First 1
            $names.Add("$($r.testName): $message")
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Names = $names }
}

function Invoke-Test {
    # The package too, so that every run proves it installs (tests/pester/Package.Tests.ps1).
    Invoke-Package
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null

    $xunitFailedToRun = $false
    # The KMIP tests (xunit) and the key scenarios (Pester, Keys.Tests.ps1) both need the PyKMIP server.
    if (Test-Path (Join-Path $root 'tests/kmip')) { Install-BPPyKmip }
    # The NonStop tests (xunit) start a real sshd whose forced command is the NonStop simulator.
    if (Test-Path (Join-Path $root 'tests/nonstop')) { Install-BPOpenSsh }
    if (-not $NoXunit) {
        & dotnet test (Join-Path $root 'BackPak.PowerShell.sln') -c $Configuration --logger 'trx' --logger 'console;verbosity=minimal' `
            --results-directory $results -nologo
        # A build break leaves no result file: count it as a failure rather than as zero tests.
        if ($LASTEXITCODE -ne 0 -and -not (Get-ChildItem $results -Filter '*.trx')) { $xunitFailedToRun = $true }
    }
    $xunit = Get-TrxCounts $results

    $pester = Join-Path (Get-NuGetPackages) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) {
        Invoke-Native 'restore Pester' { dotnet restore (Join-Path $root 'build/Pester/Pester.Restore.csproj') -nologo -v quiet }
    }
    $pesterJson = Join-Path $results 'pester.json'
    # No `$ErrorActionPreference = 'Stop' here: tests must see non-terminating errors as they are.
    $cmd = @"
Import-Module '$pester' -ErrorAction Stop
`$c = New-PesterConfiguration
`$c.Run.Path = (Get-ChildItem '$(Join-Path $root 'tests/pester')' -Filter '$PesterFilter.Tests.ps1' -Recurse).FullName
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Normal'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputPath = '$(Join-Path $results 'pester.xml')'
`$r = Invoke-Pester -Configuration `$c
`$names = @(`$r.Failed | ForEach-Object { "`$(`$_.ExpandedPath): `$(("`$(`$_.ErrorRecord | Select-Object -First 1)".Trim() -split "``n")[0])" }) + @(`$r.FailedBlocks + `$r.FailedContainers | ForEach-Object { "`$(`$_.Name) (block or file)" })
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Names = `$names } | ConvertTo-Json | Set-Content '$pesterJson'
"@
    Invoke-FreshPwsh -Command $cmd -Environment @{ BACKPAK_MODULE = (Join-Path $moduleOut 'BackPak.psd1'); BACKPAK_PACKAGE = $packageOut; BACKPAK_ROOT = $root } | Out-Null
    $p = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }

    $passed = $xunit.Passed + $p.Passed
    $failed = $xunit.Failed + $p.Failed + [int]$xunitFailedToRun
    Write-Host ''
    # The failures again at the end, where a CI log's tail shows them: the run's own output is long.
    foreach ($n in @($xunit.Names) + @($p.Names) | Where-Object { $_ }) { Write-Host "failed: $n" }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed$(if ($xunitFailedToRun) { ' (build or run failure)' }); Pester: $($p.Passed) passed, $($p.Failed) failed"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Get-NuGetPackages {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'
}

function Invoke-Demo {
    Invoke-Build
    $rc = Invoke-FreshPwsh -Command "& '$(Join-Path $root 'examples/Demo.ps1')' -ModulePath '$(Join-Path $moduleOut 'BackPak.psd1')' -LabPath '$(Join-Path $out 'demo-lab')'"
    if ($rc -ne 0) { exit $rc }
}

function Invoke-Bench {
    Invoke-Build
    if (Test-Path (Join-Path $root 'tests/nonstop')) { Install-BPOpenSsh }
    $failed = 0
    foreach ($b in Get-ChildItem (Join-Path $root 'bench') -Filter "$BenchFilter.Bench.ps1" | Sort-Object Name) {
        Write-Host "== $($b.Name)"
        $rc = Invoke-FreshPwsh -Command "& '$($b.FullName)' -ModulePath '$(Join-Path $moduleOut 'BackPak.psd1')' -WorkPath '$(Join-Path $out 'bench')'"
        if ($rc -ne 0) { $failed++ }
    }
    if ($failed) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
}
