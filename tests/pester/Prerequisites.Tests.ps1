<#
    The first-run install path of build.ps1 (build/Prerequisites.psm1), run on every CI run against stand-in
    id, sudo and apt-get commands on PATH: CI machines may already have the packages, and a machine that has them
    never runs the real install, so without this a broken first run would go unseen (it did once: '& @sudo'
    with an empty array failed for root on a fresh machine).
#>
BeforeAll {
    $root = if ($env:BACKPAK_ROOT) { $env:BACKPAK_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    Import-Module (Join-Path $root 'build/Prerequisites.psm1') -Force

    function New-StandIns {
        # Stand-ins that log every call (with the uid they see and DEBIAN_FRONTEND) to $dir/calls.log.
        param([string] $Dir, [int] $Uid, [int] $AptExit = 0, [switch] $NoSudo, [switch] $InstallDoesNothing)
        New-Item -ItemType Directory -Path $Dir -Force | Out-Null
        $log = Join-Path $Dir 'calls.log'
        $marker = Join-Path $Dir 'installed'
        Set-Content -Path (Join-Path $Dir 'id') -Value "#!/bin/bash`nif [ `"`$1`" = -u ]; then echo `${FAKE_UID:-$Uid}; else /usr/bin/id `"`$@`"; fi"
        if (-not $NoSudo) {
            # sudo runs the rest as root: the commands it runs see uid 0.
            Set-Content -Path (Join-Path $Dir 'sudo') -Value "#!/bin/bash`necho `"sudo `$*`" >> '$log'`nwhile [ `"`${1:-}`" = -n ]; do shift; done`nFAKE_UID=0 exec `"`$@`""
        }
        $install = if ($InstallDoesNothing) { ':' } else { "touch '$marker'" }
        Set-Content -Path (Join-Path $Dir 'apt-get') -Value @"
#!/bin/bash
echo "apt-get `$* uid=`$(id -u) frontend=`${DEBIAN_FRONTEND:-}" >> '$log'
if [ "`$1" = install ] && [ $AptExit -eq 0 ]; then $install; fi
exit $AptExit
"@
        foreach ($f in 'id', 'sudo', 'apt-get') { if (Test-Path (Join-Path $Dir $f)) { & chmod +x (Join-Path $Dir $f) } }
        [pscustomobject]@{ Log = $log; Marker = $marker }
    }

    function Invoke-WithPath {
        param([string] $Path, [scriptblock] $Script)
        $saved = $env:PATH
        $env:PATH = $Path
        try { & $Script } finally { $env:PATH = $saved }
    }
}

Describe 'Install-BPDebianPackage (the first-run install path)' {
    It 'as root installs with apt-get directly, never through sudo' {
        $dir = Join-Path $TestDrive 'root'
        $s = New-StandIns -Dir $dir -Uid 0
        $installed = Invoke-WithPath "$dir$([IO.Path]::PathSeparator)$env:PATH" {
            Install-BPDebianPackage -Package python3-pykmip -Probe { Test-Path $s.Marker }
        }
        $installed | Should -BeTrue
        $calls = @(Get-Content $s.Log)
        $calls | Should -HaveCount 2
        $calls[0] | Should -BeLike 'apt-get update -qq uid=0*'
        $calls[1] | Should -BeLike 'apt-get install -y -qq --no-install-recommends python3-pykmip uid=0 frontend=noninteractive'
        $calls | Should -Not -Match '^sudo'
    }

    It 'as a user with sudo installs through sudo, as root' {
        $dir = Join-Path $TestDrive 'user'
        $s = New-StandIns -Dir $dir -Uid 1000
        $installed = Invoke-WithPath "$dir$([IO.Path]::PathSeparator)$env:PATH" {
            Install-BPDebianPackage -Package openssh-server, python3-pykmip -Probe { Test-Path $s.Marker }
        }
        $installed | Should -BeTrue
        $calls = @(Get-Content $s.Log)
        $calls | Should -HaveCount 4
        $calls[0] | Should -Match '^sudo (-n )?apt-get update -qq$'
        $calls[1] | Should -BeLike 'apt-get update -qq uid=0*'
        $calls[2] | Should -Match '^sudo (-n )?env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server python3-pykmip$'
        $calls[3] | Should -BeLike 'apt-get install * openssh-server python3-pykmip uid=0 frontend=noninteractive'
    }

    It 'does nothing when the probe says the packages are usable' {
        $dir = Join-Path $TestDrive 'present'
        $s = New-StandIns -Dir $dir -Uid 1000
        $installed = Invoke-WithPath "$dir$([IO.Path]::PathSeparator)$env:PATH" {
            Install-BPDebianPackage -Package python3-pykmip -Probe { $true }
        }
        $installed | Should -BeFalse
        Test-Path $s.Log | Should -BeFalse
    }

    It 'as a user without sudo says how to get root, and runs nothing' {
        $dir = Join-Path $TestDrive 'nosudo'
        $s = New-StandIns -Dir $dir -Uid 1000 -NoSudo
        # Only the stand-ins on PATH: no sudo anywhere.
        { Invoke-WithPath $dir { Install-BPDebianPackage -Package python3-pykmip -Probe { Test-Path $s.Marker } } } |
            Should -Throw '*needs root*sudo is not installed*'
        Test-Path $s.Log | Should -BeFalse
    }

    It 'stops with the failing command when apt-get fails' {
        $dir = Join-Path $TestDrive 'aptfails'
        $s = New-StandIns -Dir $dir -Uid 0 -AptExit 100
        { Invoke-WithPath "$dir$([IO.Path]::PathSeparator)$env:PATH" { Install-BPDebianPackage -Package python3-pykmip -Probe { Test-Path $s.Marker } } } |
            Should -Throw '*apt-get update failed (exit code 100)*'
    }

    It 'stops when the package is installed but still not usable' {
        $dir = Join-Path $TestDrive 'unusable'
        $s = New-StandIns -Dir $dir -Uid 0 -InstallDoesNothing
        { Invoke-WithPath "$dir$([IO.Path]::PathSeparator)$env:PATH" { Install-BPDebianPackage -Package python3-pykmip -Probe { Test-Path $s.Marker } } } |
            Should -Throw '*installed, but still not usable*'
    }
}

Describe 'Test-BPOpenSsh (the probe of the NonStop simulator packages)' {
    It 'is true only when sshd, python3 with sqlite3, and ssh-keygen are all there' {
        $dir = Join-Path $TestDrive 'probe'
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        Set-Content -Path (Join-Path $dir 'sshd') -Value "#!/bin/sh`nexit 0"
        Set-Content -Path (Join-Path $dir 'python3') -Value "#!/bin/sh`nexit 0"
        Set-Content -Path (Join-Path $dir 'python3-broken') -Value "#!/bin/sh`nexit 1"
        foreach ($f in 'sshd', 'python3', 'python3-broken') { & chmod +x (Join-Path $dir $f) }
        Test-BPOpenSsh -Sshd (Join-Path $dir 'sshd') -Python (Join-Path $dir 'python3') -KeyGen 'sh' | Should -BeTrue
        Test-BPOpenSsh -Sshd (Join-Path $dir 'missing-sshd') -Python (Join-Path $dir 'python3') -KeyGen 'sh' | Should -BeFalse
        Test-BPOpenSsh -Sshd (Join-Path $dir 'sshd') -Python (Join-Path $dir 'missing-python') -KeyGen 'sh' | Should -BeFalse
        Test-BPOpenSsh -Sshd (Join-Path $dir 'sshd') -Python (Join-Path $dir 'python3-broken') -KeyGen 'sh' | Should -BeFalse
        Test-BPOpenSsh -Sshd (Join-Path $dir 'sshd') -Python (Join-Path $dir 'python3') -KeyGen 'no-such-keygen-here' | Should -BeFalse
    }

    It 'installs openssh-server and python3 through Install-BPDebianPackage while the probe fails' {
        $dir = Join-Path $TestDrive 'openssh'
        $s = New-StandIns -Dir $dir -Uid 0
        Mock -ModuleName Prerequisites Test-BPOpenSsh { Test-Path $s.Marker }
        Invoke-WithPath "$dir$([IO.Path]::PathSeparator)$env:PATH" { Install-BPOpenSsh }
        $calls = @(Get-Content $s.Log)
        $calls | Should -HaveCount 2
        $calls[1] | Should -BeLike 'apt-get install -y -qq --no-install-recommends openssh-server python3 uid=0 frontend=noninteractive'
    }
}

Describe 'build.ps1 uses the tested install path' {
    It 'installs PyKMIP through Install-BPPyKmip, which goes through Install-BPDebianPackage' {
        $root = if ($env:BACKPAK_ROOT) { $env:BACKPAK_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $root 'build.ps1'), [ref]$null, [ref]$null)
        $calls = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }
        $calls | Should -Contain 'Install-BPPyKmip'
        $calls | Should -Not -Contain 'apt-get'
        (Get-Command Install-BPPyKmip).ScriptBlock.ToString() | Should -Match 'Install-BPDebianPackage'
    }
    It 'installs the NonStop simulator packages through Install-BPOpenSsh, which goes through Install-BPDebianPackage' {
        $root = if ($env:BACKPAK_ROOT) { $env:BACKPAK_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $root 'build.ps1'), [ref]$null, [ref]$null)
        $calls = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }
        $calls | Should -Contain 'Install-BPOpenSsh'
        (Get-Command Install-BPOpenSsh).ScriptBlock.ToString() | Should -Match 'Install-BPDebianPackage'
    }
}
