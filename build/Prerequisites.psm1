<#
    What the build and the tests need from the machine, installed on first use: Debian packages (python3-pykmip
    for the KMIP server, openssh-server for the NonStop simulator). One function, so the install path is the same
    for every package, and a test (tests/pester/Prerequisites.Tests.ps1) runs it against stand-in commands on
    every CI run: a machine that already has the packages must not hide a broken first run.
#>
Set-StrictMode -Version 3.0

function Test-BPRunningAsRoot {
    # id -u, not $env:USER: sudo, su and containers leave USER as it was.
    $uid = (& id -u 2>$null | Out-String).Trim()
    return $uid -eq '0'
}

function Get-BPPrivilegePrefix {
    <#
        The words to put before a command that needs root: none as root, sudo otherwise. Without a terminal
        (CI, a pipe) sudo is told not to prompt (-n), so a missing sudoers rule fails at once instead of hanging.
    #>
    if (Test-BPRunningAsRoot) { return @() }
    if (-not (Get-Command sudo -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "Installing Debian packages needs root: this user is not root and sudo is not installed. " +
        "Run the command as root, or install sudo and give this user the right to use it."
    }
    if ([Console]::IsInputRedirected) { return @('sudo', '-n') }
    return @('sudo')
}

function Invoke-BPPrivileged {
    # Runs a native command as root (directly, or through sudo) and stops on a non-zero exit code.
    param([Parameter(Mandatory)] [string] $What, [Parameter(Mandatory)] [string[]] $Command)
    $full = @(Get-BPPrivilegePrefix) + $Command
    & $full[0] @($full | Select-Object -Skip 1)
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE): $($full -join ' ')" }
}

function Install-BPDebianPackage {
    <#
    .SYNOPSIS
        Installs Debian packages unless a probe says they are already usable; checks the probe again after.
    .PARAMETER Package
        Debian package names, e.g. python3-pykmip.
    .PARAMETER Probe
        Returns $true when what the packages provide is usable (e.g. /usr/bin/python3 can import kmip).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $Package,
        [Parameter(Mandatory)] [scriptblock] $Probe
    )
    if (& $Probe) { return $false }
    Write-Host "Installing $($Package -join ', ') from Debian packages..."
    Invoke-BPPrivileged -What 'apt-get update' -Command @('apt-get', 'update', '-qq')
    Invoke-BPPrivileged -What "apt-get install $($Package -join ' ')" -Command (@('env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends') + $Package)
    if (-not (& $Probe)) { throw "$($Package -join ', ') installed, but still not usable: check the apt-get output above." }
    return $true
}

function Install-BPPyKmip {
    # The KMIP tests need a real KMIP server: Debian's python3-pykmip, run by the system python.
    Install-BPDebianPackage -Package python3-pykmip -Probe {
        # A fresh machine may have no python3 at all: the package brings it.
        if (-not (Test-Path /usr/bin/python3)) { return $false }
        & /usr/bin/python3 -c 'import kmip.services.server.server' 2>$null
        $LASTEXITCODE -eq 0
    } | Out-Null
}

function Test-BPOpenSsh {
    <#
        The NonStop tests run a real sshd (Debian's openssh-server) whose forced command is tests/nonstop/nssim.py,
        run by the system python3 with its sqlite3 module; start-server.sh makes keys with ssh-keygen.
    #>
    param([string] $Sshd = '/usr/sbin/sshd', [string] $Python = '/usr/bin/python3', [string] $KeyGen = 'ssh-keygen')
    if (-not (Test-Path $Sshd) -or -not (Test-Path $Python)) { return $false }
    if (-not (Get-Command $KeyGen -CommandType Application -ErrorAction SilentlyContinue)) { return $false }
    & $Python -c 'import sqlite3, shlex, select' 2>$null
    $LASTEXITCODE -eq 0
}

function Install-BPOpenSsh {
    # openssh-server brings sshd and (through openssh-client) ssh-keygen; python3 runs the NonStop simulator.
    Install-BPDebianPackage -Package openssh-server, python3 -Probe { Test-BPOpenSsh } | Out-Null
}

Export-ModuleMember -Function Install-BPDebianPackage, Install-BPPyKmip, Install-BPOpenSsh, Test-BPOpenSsh, Invoke-BPPrivileged, Get-BPPrivilegePrefix, Test-BPRunningAsRoot
