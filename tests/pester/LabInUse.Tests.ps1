<#
    Issue 10, item 4: New-BPLab -Force replaced a lab another process was using, leaving that process reading
    catalogued volumes without storage. A second real pwsh holds the lab open (connected); -Force is refused with
    LabInUse naming it, and the lab is untouched; once that process has disconnected (or died), -Force replaces it.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:ChildModule = Copy-BPTestModule (Join-Path $script:Scratch 'module')

    function Start-Holder([string] $Lab, [string] $Name, [switch] $Disconnect) {
        # A pwsh that connects to \A of the lab, says it is ready, and waits for 'go' (then disconnects, with -Disconnect).
        $ready = Join-Path $script:Scratch "$Name.ready"
        $go = Join-Path $script:Scratch "$Name.go"
        $off = if ($Disconnect) { "Disconnect-BPDomain -All; [System.IO.File]::WriteAllText('$ready.off', 'off'); Start-Sleep -Seconds 60" } else { '' }
        $child = Start-BPFreshPwsh -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module '$script:ChildModule'
`$null = Connect-BPDomain -Lab '$Lab' -Node '\A'
[System.IO.File]::WriteAllText('$ready', "`$PID")
while (-not [System.IO.File]::Exists('$go')) { Start-Sleep -Milliseconds 20 }
$off
"@
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (-not (Test-Path -LiteralPath $ready) -and -not $child.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        [pscustomobject]@{ Child = $child; Go = $go; Off = "$ready.off" }
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Remove-BPScratchFolder $script:Scratch
}

Describe 'New-BPLab -Force over a lab another process has open' {
    BeforeAll {
        $lab = Join-Path $script:Scratch 'held'
        $null = New-BPLab -Path $lab -VolumeCount 30 -Seed 41
        $script:Before = Get-BPTreeSnapshot -Path (Join-Path $lab 'sites')
        $script:Holder = Start-Holder -Lab $lab -Name 'holder'
        $script:Refused = Invoke-BPCaptured { New-BPLab -Path $lab -VolumeCount 30 -Seed 42 -Force }
        $script:After = Get-BPTreeSnapshot -Path (Join-Path $lab 'sites')
        # The holder dies without disconnecting (Stop-Process -Force, as kill -9): its record counts for nothing.
        Stop-Process -Id $script:Holder.Child.Id -Force
        $null = Wait-BPFreshPwsh -Child $script:Holder.Child -TimeoutSeconds 60
        $script:AfterDeath = Invoke-BPCaptured { New-BPLab -Path $lab -VolumeCount 30 -Seed 42 -Force }
    }

    It 'the holder was connected' {
        $script:Holder.Child.Process.HasExited | Should -BeTrue -Because 'it was stopped at the end'
        Test-Path -LiteralPath ($script:Holder.Go -replace '\.go$', '.ready') | Should -BeTrue
    }

    It 'is refused with LabInUse naming the holding process, and the lab is unchanged' {
        @($script:Refused.All.FullyQualifiedErrorId) | Should -Be @('LabInUse,BackPak.PowerShell.Cmdlets.NewBPLabCommand')
        $e = $script:Refused.All[0]
        $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $e.Exception.Message | Should -Match "process $($script:Holder.Child.Id) on "
        $e.ErrorDetails.RecommendedAction | Should -Match 'Disconnect-BPDomain'
        Compare-Object $script:Before $script:After | Should -BeNullOrEmpty
    }

    It 'replaces the lab once the holder is gone (a dead holder holds nothing)' {
        @($script:AfterDeath.All | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $script:AfterDeath.Output.Seed | Should -Be 42
    }
}

Describe 'New-BPLab -Force after the other process disconnected' {
    BeforeAll {
        $lab = Join-Path $script:Scratch 'released'
        $null = New-BPLab -Path $lab -VolumeCount 30 -Seed 43
        $h = Start-Holder -Lab $lab -Name 'releaser' -Disconnect
        $null = New-Item -ItemType File -Path $h.Go
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path -LiteralPath $h.Off) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $script:Alive = -not $h.Child.Process.HasExited
        $script:Replaced = Invoke-BPCaptured { New-BPLab -Path $lab -VolumeCount 30 -Seed 44 -Force }
        Stop-Process -Id $h.Child.Id -Force -ErrorAction SilentlyContinue
        $null = Wait-BPFreshPwsh -Child $h.Child -TimeoutSeconds 60
    }

    It 'replaces it while that process lives on, disconnected' {
        $script:Alive | Should -BeTrue
        @($script:Replaced.All | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $script:Replaced.Output.Seed | Should -Be 44
    }

    It 'a lab this process has open is replaced (its own sessions are not another holder)' {
        $null = Connect-BPDomain -Lab $lab -Node '\A'
        $r = Invoke-BPCaptured { New-BPLab -Path $lab -VolumeCount 30 -Seed 45 -Force }
        @($r.All | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        Disconnect-BPDomain -All
    }
}
