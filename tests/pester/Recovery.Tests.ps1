<#
    Issue 14 item 2: the unplanned takeover on the built module. An operator scenario: a planned switch there and back,
    then \A is lost (Add-BPLabFault NodeLost), a recovery test at \B, the recovery refused without -PrimaryLost and
    run with it, a backup at \B, the run listed and read back; and \A back with its stale state. Then a real pwsh
    process killed inside the recovery's import and at its promotion, resumed in a fresh process, ending as an
    uninterrupted recovery on a twin lab.
#>
BeforeDiscovery {
    $script:CrashPoints = @('import.before-commit#1', 'recovery.promote.running', 'recovery.timestamp-check.done') | ForEach-Object { @{ Point = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 200 -Seed 91 -Encrypted | Out-Null

    function Connect-Both([string] $Lab) {
        Disconnect-BPDomain -All
        Connect-BPDomain -Lab $Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $Lab -Node '\A' | Out-Null
    }

    # Everything a recovery changes at \B, as lines; reads \B only (\A is lost). Leaves no connection behind.
    function Get-RecoveryState([string] $Lab) {
        $b = Connect-BPDomain -Lab $Lab -Node '\B'
        try {
            $ex = Get-BPExportStatus DS01 -Domain $b
            "$((Get-BPDataStore DS01 -Domain $b).DomainAccess) suspended=$($ex.Suspended) export=$($ex.StagingArea) import=$((Get-BPImportStatus DS01 -Domain $b).StagingArea)"
            Get-BPVolume -DataStore DS01 -Domain $b | ForEach-Object { "$($_.Label) $($_.CatalogStatus) $($_.LastBackup.ToString('o')) $($_.MediaKeyName)" }
            Invoke-BPSqliteQuery -Database (Join-Path $Lab 'nodes/B/dsmtc.db') -Sql 'SELECT label, volcat, pool, status FROM tapevolume ORDER BY label'
        } finally { Disconnect-BPDomain -Domain $b }
    }

    # The state every crash case starts from: backups at \A whose updates reached the staging area after the last
    # FULL export, then \A lost.
    Connect-Both $script:Base
    Start-BPCatalogExport DS01 -Type Full -Domain '\A' -Confirm:$false | Out-Null
    Invoke-BPLabBackup -DataStore DS01 -Count 4 -Domain '\A' -Confirm:$false | Out-Null
    $script:LastPrimaryCatalog = @(Get-BPVolume -DataStore DS01 -Domain '\A' | ForEach-Object { "$($_.Label) $($_.LastBackup.ToString('o'))" })
    Add-BPLabFault NodeLost '\A' | Out-Null
    Disconnect-BPDomain -All

    $script:Twin = Join-Path $script:Scratch 'twin'
    Copy-BPLab -Source $script:Base -Destination $script:Twin
    Connect-BPDomain -Lab $script:Twin -Node '\B' | Out-Null
    $script:TwinReport = Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false
    Disconnect-BPDomain -All
    $script:TwinState = Get-RecoveryState $script:Twin
}

AfterAll {
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-BPScratchFolder -Path $script:Scratch
}

Describe 'A disaster after a planned switch there and back: \A is lost and \B takes DS01 over' {
    BeforeAll {
        $script:Lab = Join-Path $script:Scratch 'scenario'
        New-BPLab -Path $script:Lab -VolumeCount 200 -Seed 92 -Encrypted | Out-Null
        Connect-Both $script:Lab
    }

    It 'switches DS01 to \B and back to \A' {
        (Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false).Status | Should -Be 'Completed'
        (Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false).Status | Should -Be 'Completed'
        Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain '\A' -Confirm:$false | Out-Null
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Primary'
        $script:Catalog = @(Get-BPVolume -DataStore DS01 -Domain '\A' | ForEach-Object { "$($_.Label) $($_.LastBackup.ToString('o'))" })
    }

    It 'refuses a recovery while \A still answers as PRIMARY' {
        $r = Invoke-BPCaptured { Invoke-BPRecovery DS01 -Node '\B' -Confirm:$false }
        $r.Terminating.FullyQualifiedErrorId | Should -Be 'RecoveryPrimaryNotFenced,BackPak.PowerShell.Cmdlets.InvokeBPRecoveryCommand'
        @(Get-BPRoleSwitchRun | Where-Object RunId -like 'RC-*').Count | Should -Be 0
    }

    It 'loses \A: it does not answer, \B does' {
        Add-BPLabFault NodeLost '\A' | Out-Null
        (Invoke-BPCaptured { Get-BPDataStore DS01 -Domain '\A' }).All[0].FullyQualifiedErrorId | Should -Match '^NonStopUnreachable,'
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Secondary'
    }

    It 'tests the recovery at \B: the data and keys are there, the comparisons with \A could not be made' {
        $checks = @(Test-BPRecovery DS01 -Node '\B')
        ($checks | Where-Object Name -EQ 'replicas present').Passed | Should -BeTrue
        ($checks | Where-Object Name -EQ 'encryption keys at the secondary').Passed | Should -BeTrue
        ($checks | Where-Object Name -EQ 'last import current').Detail | Should -Match 'does not answer'
    }

    It 'still refuses without -PrimaryLost, and refuses a -PrimaryLost that is not the primary' {
        (Invoke-BPCaptured { Invoke-BPRecovery DS01 -Node '\B' -Confirm:$false }).Terminating.FullyQualifiedErrorId | Should -Match '^RecoveryPrimaryNotFenced,'
        (Invoke-BPCaptured { Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\B' -Confirm:$false }).Terminating.FullyQualifiedErrorId | Should -Match '^RecoveryPrimaryLostMismatch,'
        Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -WhatIf
        @(Get-BPRoleSwitchRun -Domain '\B' | Where-Object RunId -like 'RC-*').Count | Should -Be 0
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Secondary'
    }

    It 'recovers with -PrimaryLost: DS01 is PRIMARY at \B with the catalog \A last exported' {
        $script:Report = Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false
        $script:Report.Status | Should -Be 'Completed'
        $script:Report.Primary | Should -Be '\A'
        @($script:Report.Steps | Where-Object Status -NotIn 'Done', 'Skipped').Id | Should -BeNullOrEmpty
        $script:Report.NextSteps | Should -Match 'StagingArea'
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Primary'
        @(Get-BPVolume -DataStore DS01 -Domain '\B' | ForEach-Object { "$($_.Label) $($_.LastBackup.ToString('o'))" }) | Should -Be $script:Catalog
        ($script:Report | Format-List | Out-String) | Should -Match 'PRIMARY at \\B, \\A lost'
    }

    It 'backs up at \B, and lists the run' {
        $written = @(Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\B' -Confirm:$false)
        $written.Count | Should -Be 2
        (Get-BPVolume -Label $written[0].Label -Domain '\B').LastBackup | Should -Be $written[0].LastBackup
        $listed = Get-BPRoleSwitchRun -Domain '\B' | Where-Object RunId -EQ $script:Report.RunId
        $listed | Should -BeOfType ([BackPak.Core.Procedures.RecoveryReport])
        $listed.Status | Should -Be 'Completed'
        (Get-BPRoleSwitchRun -RunId $script:Report.RunId -Domain '\B').Status | Should -Be 'Completed'
    }

    It 'brings \A back with its stale state: it still says PRIMARY' {
        Remove-BPLabFault NodeLost '\A' -Confirm:$false
        Connect-Both $script:Lab
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Primary'
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Primary'
        Disconnect-BPDomain -All
    }
}

Describe 'A recovery killed at <Point> resumes to the same end' -ForEach $script:CrashPoints {
    BeforeAll {
        $script:CrashLab = Join-Path $script:Scratch ('crash-' + ($Point -replace '[^a-z0-9]', '-'))
        Copy-BPLab -Source $script:Base -Destination $script:CrashLab
        $connect = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:CrashLab' -Node '\B' | Out-Null; "
        $script:Killed = Invoke-BPFreshPwshEnv -Command ($connect + "Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = $Point }
        $resume = $connect + "`$run = Get-BPRoleSwitchRun | Where-Object { `$_.RunId -like 'RC-*' -and `$_.Status -ne 'Completed' } | Select-Object -First 1; " +
            "if (-not `$run) { throw 'no unfinished run' }; (Invoke-BPRecovery -Resume `$run.RunId -Confirm:`$false).Status"
        $script:Resumed = Invoke-BPFreshPwshEnv -Command $resume
    }

    It 'the first process was killed' {
        $script:Killed.ExitCode | Should -Not -Be 0
        $script:Killed.StdErr + $script:Killed.StdOut | Should -Not -Match 'RecoveryStepFailed'
    }

    It 'the resumed run completes' {
        $script:Resumed.ExitCode | Should -Be 0 -Because $script:Resumed.StdErr
        $script:Resumed.StdOut.Trim() | Should -Be 'Completed'
    }

    It '\B ends as after an uninterrupted recovery, with the catalog \A last exported' {
        $state = Get-RecoveryState $script:CrashLab
        Compare-Object $state $script:TwinState | Should -BeNullOrEmpty
        $state[0] | Should -Match '^Primary suspended=True'
        Connect-BPDomain -Lab $script:CrashLab -Node '\B' | Out-Null
        @(Get-BPVolume -DataStore DS01 -Domain '\B' | ForEach-Object { "$($_.Label) $($_.LastBackup.ToString('o'))" }) | Should -Be $script:LastPrimaryCatalog
        Disconnect-BPDomain -All
    }
}
