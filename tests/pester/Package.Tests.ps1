<#
    The module installs the way PowerShell modules are installed: build.ps1 -Task Package (run by -Task Test before
    this file) writes out/package/BackPak.<version>.nupkg; a fresh pwsh with a temporary home registers that folder
    as a PSResourceGet repository and runs Install-PSResource; another fresh pwsh imports BackPak by name and works
    on a lab. Nothing may reach the real user's PSResourceGet settings or module folder. Also: the one version of
    the module (manifest, assemblies, package) and the release notes taken from CHANGELOG.md (build/Package.psm1).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    $script:Root = Get-BPTestRepoRoot
    Import-Module (Join-Path $script:Root 'build/Package.psm1') -Force
    $script:StagedManifest = Get-BPTestModulePath
    $script:Staged = Split-Path $script:StagedManifest
    $script:Version = Get-BPModuleVersion -ManifestPath (Join-Path $script:Root 'module/BackPak/BackPak.psd1')
    $script:StagedData = Import-PowerShellDataFile $script:StagedManifest

    function New-Changelog([string] $Text) {
        $p = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.md')
        Set-Content -LiteralPath $p -Value $Text
        $p
    }
    function Get-ZipEntryText([string] $Zip, [string] $Name) {
        $z = [System.IO.Compression.ZipFile]::OpenRead($Zip)
        try {
            $e = $z.Entries | Where-Object FullName -eq $Name
            $r = [System.IO.StreamReader]::new($e.Open()); try { $r.ReadToEnd() } finally { $r.Dispose() }
        } finally { $z.Dispose() }
    }
    function Get-FileSet([string] $Folder, [string[]] $Except = @()) {
        # 'relative/path sha256' of every file under a folder, sorted.
        $base = [System.IO.Path]::GetFullPath($Folder)
        @(Get-ChildItem -LiteralPath $base -Recurse -File | ForEach-Object {
                $rel = [System.IO.Path]::GetRelativePath($base, $_.FullName).Replace('\', '/')
                if ($rel -notin $Except) { "$rel $(Get-BPFileHash $_.FullName)" }
            } | Sort-Object)
    }
}

Describe 'CHANGELOG.md and the release notes of the manifest' {

    It 'CHANGELOG.md is in the format the release notes are read from' {
        $sections = Get-BPChangelogSection -Path (Join-Path $script:Root 'CHANGELOG.md')
        $sections.Count | Should -BeGreaterThan 0
        $sections[0].Body | Should -Match '(?m)^### (Added|Changed|Deprecated|Removed|Fixed|Security)$'
    }

    It 'the built manifest carries the newest section of CHANGELOG.md as its release notes' {
        $expected = Get-BPReleaseNotes -ChangelogPath (Join-Path $script:Root 'CHANGELOG.md') -ModuleVersion $script:Version
        $newest = (Get-BPChangelogSection -Path (Join-Path $script:Root 'CHANGELOG.md'))[0]
        $notes = $script:StagedData.PrivateData.PSData.ReleaseNotes -replace "`r`n", "`n"
        $notes | Should -BeExactly ($expected -replace "`r`n", "`n")
        $notes.EndsWith(($newest.Body -replace "`r`n", "`n")) | Should -BeTrue -Because 'the notes end with the section as written'
    }

    It 'reads Unreleased as the notes of a version newer than the last release' {
        $p = New-Changelog "# Changelog`n`nIntro.`n`n## Unreleased`n`n### Fixed`n- B.`n`n## 1.2.0 — 2026-11-29`n`n### Added`n- A.`n"
        Get-BPReleaseNotes -ChangelogPath $p -ModuleVersion '1.3.0' | Should -BeExactly "1.3.0 (not released yet, changes since 1.2.0)`n`n### Fixed`n- B."
    }

    It 'reads a released section as the notes of its own version' {
        $p = New-Changelog "# Changelog`n`n## 1.2.0 – 2026-11-29`n`n### Added`n- A '`$(x)' ``b``.`n`n## 1.1.0 - 2026-10-01`n`n### Added`n- Z.`n"
        Get-BPReleaseNotes -ChangelogPath $p -ModuleVersion '1.2.0' | Should -BeExactly "1.2.0 (2026-11-29)`n`n### Added`n- A '`$(x)' ``b``."
    }

    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a released section of another version'; Version = '1.3.0'; Text = "## 1.2.0 — 2026-11-29`n### Added`n- A."; Message = '*newest section is 1.2.0 but ModuleVersion is 1.3.0*' }
        @{ Case = 'Unreleased changes under the version of a release'; Version = '1.2.0'; Text = "## Unreleased`n### Added`n- B.`n## 1.2.0 — 2026-11-29`n### Added`n- A."; Message = '*Raise ModuleVersion*above 1.2.0*' }
        @{ Case = 'a heading it does not know'; Version = '1.2.0'; Text = "## v1.2.0 (2026-11-29)`n### Added`n- A."; Message = "*'## v1.2.0 (2026-11-29)' is not a section heading*" }
        @{ Case = 'a kind of change it does not know'; Version = '1.2.0'; Text = "## 1.2.0 — 2026-11-29`n### New`n- A."; Message = "*'### New' is not one of*" }
        @{ Case = 'Unreleased below a release'; Version = '1.3.0'; Text = "## 1.2.0 — 2026-11-29`n### Added`n- A.`n## Unreleased`n### Added`n- B."; Message = "*'Unreleased' must be the first section*" }
        @{ Case = 'an empty section'; Version = '1.3.0'; Text = "## Unreleased`n`n## 1.2.0 — 2026-11-29`n### Added`n- A."; Message = "*section 'Unreleased' is empty*" }
        @{ Case = 'versions out of order'; Version = '1.1.0'; Text = "## 1.1.0 — 2026-11-29`n### Added`n- A.`n## 1.2.0 — 2026-10-01`n### Added`n- B."; Message = '*the newest version goes first*' }
        @{ Case = 'an entry a merge left in the introduction'; Version = '1.2.0'; Text = "Intro: under each, ``### Added``,`n### Changed``, ``### Fixed``.`n## 1.2.0 — 2026-11-29`n### Added`n- A."; Message = "*comes before the first section*" }
        @{ Case = 'a changelog with no section'; Version = '1.1.0'; Text = "# Changelog`n`nNothing yet."; Message = '*no section*' }
    ) {
        $p = New-Changelog "# Changelog`n`n$Text`n"
        { Get-BPReleaseNotes -ChangelogPath $p -ModuleVersion $Version } | Should -Throw -ExpectedMessage $Message
    }

    It 'writes release notes into a manifest exactly, quotes, dollars and backticks included, and changes nothing else' {
        $m = Join-Path $TestDrive 'Notes.psd1'
        Set-Content -LiteralPath $m -Value "@{`n    ModuleVersion = '1.0.0'`n    PrivateData = @{ PSData = @{`n        ReleaseNotes = ''`n    } }`n}"
        $notes = "1.0.0 (2026-11-29)`n`n### Fixed`n- It's `$env:HOME and ``tick`` and @'inline'@."
        Set-BPManifestReleaseNotes -ManifestPath $m -ReleaseNotes $notes
        $d = Import-PowerShellDataFile $m
        $d.PrivateData.PSData.ReleaseNotes -replace "`r`n", "`n" | Should -BeExactly $notes
        $d.ModuleVersion | Should -Be '1.0.0'
    }

    It 'refuses release notes a manifest cannot hold, before writing anything' {
        $m = Join-Path $TestDrive 'Bad.psd1'
        Set-Content -LiteralPath $m -Value "@{ PrivateData = @{ PSData = @{`nReleaseNotes = ''`n} } }"
        $before = Get-BPFileHash $m
        { Set-BPManifestReleaseNotes -ManifestPath $m -ReleaseNotes "a`n'@ b" } | Should -Throw -ExpectedMessage "*starting with '@*"
        Get-BPFileHash $m | Should -Be $before
    }
}

Describe 'One version for the module, its assemblies and its package' {

    It 'the built manifest has the version of module/BackPak/BackPak.psd1' {
        [version]$script:StagedData.ModuleVersion | Should -Be $script:Version
    }

    It 'every BackPak assembly of the built module has that version (Directory.Build.props reads it from the manifest)' {
        $dlls = @(Get-ChildItem $script:Staged -Filter 'BackPak.*.dll')
        $dlls.Count | Should -BeGreaterOrEqual 5
        foreach ($d in $dlls) {
            [System.Reflection.AssemblyName]::GetAssemblyName($d.FullName).Version | Should -Be ([version]"$($script:Version).0") -Because $d.Name
        }
    }

    It 'lists as RequiredAssemblies files that the module holds, and they load on import' {
        $required = @($script:StagedData.RequiredAssemblies)
        $required.Count | Should -BeGreaterThan 0
        foreach ($a in $required) { Join-Path $script:Staged $a | Should -Exist }
        $q = $script:StagedManifest.Replace("'", "''")
        $r = Invoke-BPFreshPwsh -Command "Import-Module '$q' -ErrorAction Stop; [BackPak.Core.Removal.DecommissionResult].FullName; [BackPak.Lab.LabInfo].FullName"
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.StdOut | Should -Match 'BackPak\.Core\.Removal\.DecommissionResult'
        $r.StdOut | Should -Match 'BackPak\.Lab\.LabInfo'
    }
}

Describe 'The package (out/package)' {
    BeforeAll {
        $script:PackageDir = Get-BPTestPackagePath
        $script:Nupkgs = @(Get-ChildItem -LiteralPath $script:PackageDir -Filter '*.nupkg' -ErrorAction SilentlyContinue)
        if ($script:Nupkgs.Count -ne 1) { throw "Expected one .nupkg in '$($script:PackageDir)' (run ./build.ps1 -Task Package); found $($script:Nupkgs.Count)." }
        $script:Nupkg = $script:Nupkgs[0].FullName
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        [xml] $script:Nuspec = Get-ZipEntryText $script:Nupkg 'BackPak.nuspec'
    }

    It 'is named after the module and its version' {
        Split-Path $script:Nupkg -Leaf | Should -BeExactly "BackPak.$($script:Version).nupkg"
    }

    It 'describes the module: id, version, release notes, project and licence URIs, tags' {
        $m = $script:Nuspec.package.metadata
        $psData = $script:StagedData.PrivateData.PSData
        $m.id | Should -BeExactly 'BackPak'
        $m.version | Should -Be "$($script:Version)"
        ($m.releaseNotes -replace "`r`n", "`n") | Should -BeExactly ($psData.ReleaseNotes -replace "`r`n", "`n")
        $m.projectUrl | Should -BeExactly $psData.ProjectUri
        $m.licenseUrl | Should -BeExactly $psData.LicenseUri
        foreach ($u in $m.projectUrl, $m.licenseUrl) { [uri]::IsWellFormedUriString($u, 'Absolute') | Should -BeTrue -Because $u }
        $tags = -split $m.tags
        $tags | Should -Contain 'PSModule'
        foreach ($t in $psData.Tags) { $tags | Should -Contain $t }
        $m.description | Should -BeExactly $script:StagedData.Description
    }

    Context 'installed with PSResourceGet into a temporary home, in fresh pwsh processes' {
        BeforeAll {
            # Outside TestDrive: the lab's SQLite files are opened by this process too.
            $script:Work = New-BPScratchFolder -Fallback ([System.IO.Path]::GetTempPath())
            $script:TempHome = Join-Path $script:Work 'home'
            $script:Repo = Join-Path $script:Work 'repo'
            $null = New-Item -ItemType Directory -Path $script:Repo
            Copy-Item -LiteralPath $script:Nupkg -Destination $script:Repo
            $script:Env = Get-BPIsolatedEnvironment -Path $script:TempHome

            # What the real user has, to compare after: PSResourceGet's settings, the CurrentUser module folder, and
            # the current folder (PSResourceGet writes its settings there when it finds no data folder).
            $realData = [Environment]::GetFolderPath('LocalApplicationData')
            $script:RealPlaces = @(
                if ($realData) { Join-Path $realData 'PSResourceGet'; Join-Path $realData 'powershell/Modules/BackPak' }
                Join-Path ([Environment]::GetFolderPath('UserProfile')) '.local/share/powershell/Modules/BackPak'
                Join-Path (Get-Location).Path 'PSResourceGet'
            ) | Select-Object -Unique
            $picture = { foreach ($p in $script:RealPlaces) { if (Test-Path -LiteralPath $p) { "$p`n" + ((Get-BPTreeSnapshot -Path $p) -join "`n") } else { "$p absent" } } }
            $script:RealBefore = @(& $picture)

            $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
            $script:Install = Invoke-BPFreshPwshEnv -Environment $script:Env -TimeoutSeconds 180 -Command @"
`$ErrorActionPreference = 'Stop'
Set-Location $(& $q $script:TempHome)
Register-PSResourceRepository -Name BackPakTest -Uri $(& $q $script:Repo) -Trusted
Install-PSResource -Name BackPak -Repository BackPakTest -Scope CurrentUser -TrustRepository
`$i = Get-InstalledPSResource -Name BackPak -Scope CurrentUser
ConvertTo-Json -Compress ([ordered]@{ DataFolder = [Environment]::GetFolderPath('LocalApplicationData'); Repositories = @(Get-PSResourceRepository | ForEach-Object { "`$(`$_.Name) `$(`$_.Uri.LocalPath)" }); Installed = @(`$i | ForEach-Object { "`$(`$_.Version) `$(`$_.InstalledLocation)" }) })
"@
            $script:Lab = Join-Path $script:Work 'lab'
            $script:Use = Invoke-BPFreshPwshEnv -Environment $script:Env -TimeoutSeconds 180 -Command @"
`$ErrorActionPreference = 'Stop'
Set-Location $(& $q $script:TempHome)
Import-Module BackPak
`$m = Get-Module BackPak
`$null = New-BPLab -Path $(& $q $script:Lab) -VolumeCount 60 -Seed 5
`$null = Connect-BPDomain -Lab $(& $q $script:Lab) -Node '\A'
`$count = (Get-BPVolume | Measure-Object).Count
ConvertTo-Json -Compress ([ordered]@{ ModuleBase = `$m.ModuleBase; Version = "`$(`$m.Version)"; Count = `$count; Synopsis = "`$((Get-Help Get-BPVolume).Synopsis)"; About = @(Get-Help about_BackPak*).Count; Errors = `$Error.Count })
"@
            $script:RealAfter = @(& $picture)
        }

        AfterAll {
            Disconnect-BPDomain -All -ErrorAction SilentlyContinue
            Remove-BPScratchFolder -Path $script:Work
        }

        It 'Install-PSResource installs BackPak from the folder repository into the CurrentUser scope of the temporary home' {
            $script:Install.ExitCode | Should -Be 0 -Because "$($script:Install.StdErr)$($script:Install.StdOut)"
            $j = $script:Install.StdOut | ConvertFrom-Json
            $j.DataFolder | Should -BeLike "$($script:TempHome)*"
            $j.Repositories | Should -Contain "BackPakTest $($script:Repo)"
            $j.Installed | Should -Be @("$($script:Version) $(Join-Path $script:TempHome '.local/share/powershell/Modules')")
            Join-Path $script:TempHome ".local/share/PSResourceGet/PSResourceRepository.xml" | Should -FileContentMatch 'BackPakTest'
        }

        It 'a fresh pwsh imports BackPak by name from there and works on a lab' {
            $script:Use.ExitCode | Should -Be 0 -Because "$($script:Use.StdErr)$($script:Use.StdOut)"
            $j = $script:Use.StdOut | ConvertFrom-Json
            $j.ModuleBase | Should -Be (Join-Path $script:TempHome ".local/share/powershell/Modules/BackPak/$($script:Version)")
            $j.Version | Should -Be "$($script:Version)"
            $j.Errors | Should -Be 0
            # The same lab through the module under test counts the same volumes of \A.
            $a = Connect-BPDomain -Lab $script:Lab -Node '\A'
            try { $expected = @(Get-BPVolume -Domain $a).Count } finally { Disconnect-BPDomain -Domain $a }
            $expected | Should -BeGreaterThan 0
            $j.Count | Should -Be $expected
            $j.Synopsis | Should -BeExactly "$((Get-Help Get-BPVolume).Synopsis)"
            $j.About | Should -BeGreaterOrEqual 2
        }

        It 'installs exactly the files of the built module' {
            $installed = Join-Path $script:TempHome ".local/share/powershell/Modules/BackPak/$($script:Version)"
            # PSGetModuleInfo.xml is PSResourceGet's record of the installation.
            Compare-Object (Get-FileSet $script:Staged) (Get-FileSet $installed -Except 'PSGetModuleInfo.xml') |
                ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" } | Should -BeNullOrEmpty
        }

        It 'leaves the real user''s PSResourceGet settings and module folder as they were' {
            $script:RealAfter | Should -Be $script:RealBefore
            $script:RealPlaces | Where-Object { $_ -like "$($script:TempHome)*" } | Should -BeNullOrEmpty
        }
    }
}
