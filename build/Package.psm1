<#
    The release side of the build: the module version (one place: ModuleVersion in module/BackPak/BackPak.psd1;
    Directory.Build.props reads it for the assemblies), the release notes (CHANGELOG.md's newest section, written
    into the staged manifest so they cannot go stale) and the .nupkg (made by PSResourceGet's own packer from the
    staged module). tests/pester/Package.Tests.ps1 tests every function here.
#>
Set-StrictMode -Version 3.0

# '## Unreleased' or '## 1.2.3 — 2026-11-29' (an em dash, an en dash or a hyphen before the ISO date).
$script:SectionPattern = '^## (?:(?<unreleased>Unreleased)|(?<version>\d+\.\d+\.\d+) [—–-] (?<date>\d{4}-\d{2}-\d{2}))\s*$'
$script:KindPattern = '^### (Added|Changed|Deprecated|Removed|Fixed|Security)\s*$'

function Get-BPModuleVersion {
    # ModuleVersion of a manifest, as a [version]: the one source of the module's version.
    param([Parameter(Mandatory)] [string] $ManifestPath)
    $data = Import-PowerShellDataFile -LiteralPath $ManifestPath
    if (-not $data.ContainsKey('ModuleVersion')) { throw "$ManifestPath has no ModuleVersion." }
    [version] $data.ModuleVersion
}

function Get-BPChangelogSection {
    <#
        The sections of a CHANGELOG.md, newest first: Title ('Unreleased' or the version), Version ([version] or
        $null), Date, Body (the text under the heading, trimmed). The format it reads is the one CHANGELOG.md states:
        '## Unreleased' (at most one, on top) or '## X.Y.Z — YYYY-MM-DD', each holding '### Added', 'Changed',
        'Deprecated', 'Removed', 'Fixed' or 'Security' with '- ' items. Anything else under a '## ' heading is an error,
        so a mistyped heading cannot silently become the release notes.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $lines = [System.IO.File]::ReadAllLines($Path)
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $body = $null
    $flush = {
        if ($current) {
            $current.Body = ($body -join "`n").Trim()
            if (-not $current.Body) { throw "${Path}: the section '$($current.Title)' is empty." }
            $sections.Add([pscustomobject]$current)
        }
    }
    for ($i = 0; $i -lt $lines.Length; $i++) {
        $line = $lines[$i]
        if ($line -like '## *') {
            . $flush
            $m = [regex]::Match($line, $script:SectionPattern)
            if (-not $m.Success) {
                throw "${Path}:$($i + 1): '$line' is not a section heading of this changelog ('## Unreleased' or '## X.Y.Z — YYYY-MM-DD')."
            }
            if ($m.Groups['unreleased'].Success) {
                if ($sections.Count) { throw "${Path}:$($i + 1): 'Unreleased' must be the first section." }
                $current = [ordered]@{ Title = 'Unreleased'; Version = $null; Date = $null; Body = '' }
            } else {
                $current = [ordered]@{ Title = $m.Groups['version'].Value; Version = [version]$m.Groups['version'].Value; Date = $m.Groups['date'].Value; Body = '' }
            }
            $body = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if (-not $current) {
            # The title and the introduction: a kind heading here is an entry that a merge put in the wrong place.
            if ($line -like '### *') { throw "${Path}:$($i + 1): '$line' comes before the first section ('## Unreleased' or a release)." }
            continue
        }
        if ($line -like '### *' -and $line -notmatch $script:KindPattern) {
            throw "${Path}:$($i + 1): '$line' is not one of ### Added, Changed, Deprecated, Removed, Fixed, Security."
        }
        $body.Add($line)
    }
    . $flush
    $released = @($sections | Where-Object Version)
    for ($k = 1; $k -lt $released.Count; $k++) {
        if ($released[$k].Version -ge $released[$k - 1].Version) {
            throw "${Path}: section $($released[$k].Title) comes after $($released[$k - 1].Title); the newest version goes first."
        }
    }
    , $sections.ToArray()
}

function Get-BPReleaseNotes {
    <#
        The release notes of the module version: CHANGELOG.md's newest section, with a first line that names it.
        A released section must be this version's; an Unreleased section needs a version newer than every release
        (so a package never carries the version of a release with other content: bump ModuleVersion after a release).
    #>
    param([Parameter(Mandatory)] [string] $ChangelogPath, [Parameter(Mandatory)] [version] $ModuleVersion)
    $sections = Get-BPChangelogSection -Path $ChangelogPath
    if (-not $sections.Count) { throw "${ChangelogPath}: no section; add '## Unreleased' with the change." }
    $newest = $sections[0]
    $lastRelease = $sections | Where-Object Version | Select-Object -First 1
    if ($newest.Version) {
        if ($newest.Version -ne $ModuleVersion) {
            throw "${ChangelogPath}: the newest section is $($newest.Title) but ModuleVersion is $ModuleVersion. Make them agree."
        }
        return "$($newest.Title) ($($newest.Date))`n`n$($newest.Body)"
    }
    if ($lastRelease -and $ModuleVersion -le $lastRelease.Version) {
        throw "${ChangelogPath}: the Unreleased changes come after release $($lastRelease.Title), but ModuleVersion is $ModuleVersion. " +
        "Raise ModuleVersion in module/BackPak/BackPak.psd1 above $($lastRelease.Title)."
    }
    $since = if ($lastRelease) { ", changes since $($lastRelease.Title)" } else { '' }
    "$ModuleVersion (not released yet$since)`n`n$($newest.Body)"
}

function Set-BPManifestReleaseNotes {
    <#
        Writes -ReleaseNotes into the ReleaseNotes entry of a manifest (a staged copy, never the source), as a
        single-quoted here-string so that no text of the changelog is expanded. The rest of the file stays as it is.
    #>
    param([Parameter(Mandatory)] [string] $ManifestPath, [Parameter(Mandatory)] [string] $ReleaseNotes)
    if ($ReleaseNotes -match "(?m)^'@") { throw "The release notes have a line starting with '@, which cannot go in a manifest here-string." }
    $text = [System.IO.File]::ReadAllText($ManifestPath)
    $pattern = "(?m)^(?<indent>[ \t]*)ReleaseNotes(?<gap>[ \t]*)=[ \t]*'[^']*'[ \t]*\r?$"
    $m = [regex]::Matches($text, $pattern)
    if ($m.Count -ne 1) { throw "${ManifestPath}: expected one line ReleaseNotes = '...' to fill in; found $($m.Count)." }
    $notes = ($ReleaseNotes -replace "`r`n", "`n") -replace "`n", [Environment]::NewLine
    $value = "$($m[0].Groups['indent'].Value)ReleaseNotes$($m[0].Groups['gap'].Value)= @'$([Environment]::NewLine)$notes$([Environment]::NewLine)'@"
    $text = $text.Substring(0, $m[0].Index) + $value + $text.Substring($m[0].Index + $m[0].Length)
    [System.IO.File]::WriteAllText($ManifestPath, $text, [System.Text.UTF8Encoding]::new($false))
    $check = (Import-PowerShellDataFile -LiteralPath $ManifestPath).PrivateData.PSData.ReleaseNotes
    if (($check -replace "`r`n", "`n") -ne ($ReleaseNotes -replace "`r`n", "`n")) { throw "${ManifestPath}: the release notes did not read back as written." }
}

function Get-BPIsolatedEnvironment {
    <#
        Variables that give a child pwsh a home of its own at -Path, with the standard layout under it. PSResourceGet
        keeps its repository list in the user's data folder (.NET's LocalApplicationData: XDG_DATA_HOME, else
        ~/.local/share; LOCALAPPDATA on Windows) and installs -Scope CurrentUser modules in ~/.local/share/powershell/Modules
        whatever XDG_DATA_HOME says, while pwsh looks for user modules under XDG_DATA_HOME: so XDG_DATA_HOME is set to
        the same ~/.local/share, or a module installed there would not import by name. The folders are created,
        because .NET gives PSResourceGet an empty data folder when it does not exist, and PSResourceGet then writes
        its settings into the current directory. PSModulePath is removed so that the child computes its own.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $full = [System.IO.Path]::GetFullPath($Path)
    $vars = [ordered]@{
        HOME            = $full
        USERPROFILE     = $full
        XDG_DATA_HOME   = Join-Path $full '.local/share'
        XDG_CONFIG_HOME = Join-Path $full '.config'
        XDG_CACHE_HOME  = Join-Path $full '.cache'
        LOCALAPPDATA    = Join-Path $full 'AppData/Local'
        APPDATA         = Join-Path $full 'AppData/Roaming'
    }
    foreach ($d in $vars.Values) { $null = New-Item -ItemType Directory -Path $d -Force }
    $vars['PSModulePath'] = $null
    $vars
}

function Invoke-BPIsolatedPwsh {
    # Runs -Command in a new pwsh of this version with -Environment (a $null value removes a variable), in the folder
    # of its HOME (so that nothing relative lands in the caller's folder); returns ExitCode and Output.
    param([Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [System.Collections.IDictionary] $Environment)
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $pwshDll) { $psi.ArgumentList.Add($pwshDll) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['NO_COLOR'] = '1'
    if ($Environment['HOME']) { $psi.WorkingDirectory = $Environment['HOME'] }
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { [void]$psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string]$Environment[$k] }
    }
    $p = [System.Diagnostics.Process]::Start($psi)
    $err = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    [pscustomobject]@{ ExitCode = $p.ExitCode; Output = ($out + $err.GetAwaiter().GetResult()).Trim() }
}

function New-BPModulePackage {
    <#
        Packs a staged module folder into <Name>.<Version>.nupkg in -DestinationPath with Compress-PSResource, the
        packer of PSResourceGet itself (it validates the manifest and writes the .nuspec that Install-PSResource
        reads), in a child pwsh with a temporary home so that nothing is written to the user's PSResourceGet
        settings. Returns the package file.
    #>
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DestinationPath)
    $manifest = Get-ChildItem -LiteralPath $ModulePath -Filter '*.psd1' | Select-Object -First 1
    if (-not $manifest) { throw "No module manifest in $ModulePath." }
    $version = Get-BPModuleVersion -ManifestPath $manifest.FullName
    $null = New-Item -ItemType Directory -Path $DestinationPath -Force
    $nupkg = Join-Path $DestinationPath "$($manifest.BaseName).$version.nupkg"
    if (Test-Path -LiteralPath $nupkg) { Remove-Item -LiteralPath $nupkg -Force }
    $isolated = Join-Path ([System.IO.Path]::GetTempPath()) ('backpak-pack-' + [guid]::NewGuid().ToString('N'))
    try {
        $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
        $r = Invoke-BPIsolatedPwsh -Environment (Get-BPIsolatedEnvironment -Path $isolated) -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet
Compress-PSResource -Path $(& $q ([System.IO.Path]::GetFullPath($ModulePath))) -DestinationPath $(& $q ([System.IO.Path]::GetFullPath($DestinationPath)))
"@
        if ($r.ExitCode -ne 0) { throw "Compress-PSResource failed (exit code $($r.ExitCode)): $($r.Output)" }
    } finally {
        Remove-Item -LiteralPath $isolated -Recurse -Force -ErrorAction SilentlyContinue
    }
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "Compress-PSResource wrote no $nupkg." }
    Get-Item -LiteralPath $nupkg
}

Export-ModuleMember -Function Get-BPModuleVersion, Get-BPChangelogSection, Get-BPReleaseNotes, Set-BPManifestReleaseNotes,
    Get-BPIsolatedEnvironment, Invoke-BPIsolatedPwsh, New-BPModulePackage
