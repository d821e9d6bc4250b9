<#
    Issue 14 items 3 and 7: a disaster year on the built module, as an operator scripts it. A planned switch to \B and
    back; \A lost and DS01 taken over at \B; backups at \B alone; \A back, still PRIMARY, taking a backup before anyone
    stops it; the reprotect refused on the wrong node, then run: it waits on what \A wrote alone, is confirmed, and
    makes \A the SECONDARY of \B; a recovery test at \A; the planned switch back. At the end DS01 is PRIMARY at \A with
    the catalogs of both sides equal, and every backup \B took alone is in \A's catalog with its image and key.
    Then a real pwsh process killed inside the reprotect, resumed in a fresh process, ending as an uninterrupted
    reprotect on a twin lab.
#>
BeforeDiscovery {
    $script:CrashPoints = @('reprotect.list-stale.done', 'import.before-commit#1') | ForEach-Object { @{ Point = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')

    function Connect-Both([string] $Lab) {
        Disconnect-BPDomain -All
        Connect-BPDomain -Lab $Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $Lab -Node '\A' | Out-Null
    }

    # Everything a reprotect changes, as lines, read through both nodes. Leaves no connection behind.
    function Get-ReprotectState([string] $Lab) {
        Connect-Both $Lab
        try {
            foreach ($n in '\A', '\B') {
                $ex = Get-BPExportStatus DS01 -Domain $n
                "$n $((Get-BPDataStore DS01 -Domain $n).DomainAccess) suspended=$($ex.Suspended) export=$($ex.StagingArea) import=$((Get-BPImportStatus DS01 -Domain $n).StagingArea)"
                Get-BPVolume -DataStore DS01 -Domain $n | ForEach-Object { "$n $($_.Label) $($_.CatalogStatus) $($_.LastBackup.ToString('o')) $($_.MediaKeyName)" }
            }
            Invoke-BPSqliteQuery -Database (Join-Path $Lab 'lab.db') -Sql 'SELECT kind, source_site, target_site FROM replication_link ORDER BY name'
        } finally { Disconnect-BPDomain -All }
    }

    # The state every crash case starts from: \A lost, DS01 taken over at \B, backups there, \A back.
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 120 -Seed 93 -Encrypted | Out-Null
    Connect-Both $script:Base
    Add-BPLabFault NodeLost '\A' | Out-Null
    Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false | Out-Null
    Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain '\B' -Confirm:$false | Out-Null
    Remove-BPLabFault NodeLost '\A' -Confirm:$false
    Disconnect-BPDomain -All

    $script:Twin = Join-Path $script:Scratch 'twin'
    Copy-BPLab -Source $script:Base -Destination $script:Twin
    Connect-Both $script:Twin
    $script:TwinReport = Invoke-BPReprotect DS01 -Node '\A' -Confirm:$false
    Disconnect-BPDomain -All
    $script:TwinState = @(Get-ReprotectState $script:Twin)
}

AfterAll {
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-BPScratchFolder -Path $script:Scratch
}

Describe 'A disaster year: switch, switch back, disaster, takeover, reprotect, switch back' {
    BeforeAll {
        $script:Lab = Join-Path $script:Scratch 'year'
        New-BPLab -Path $script:Lab -VolumeCount 200 -Seed 94 -Encrypted | Out-Null
        Connect-Both $script:Lab
    }

    It 'switches DS01 to \B and back to \A' {
        (Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false).Status | Should -Be 'Completed'
        Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\B' -Confirm:$false | Out-Null
        (Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false).Status | Should -Be 'Completed'
        Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain '\A' -Confirm:$false | Out-Null
    }

    It 'loses \A and takes DS01 over at \B, which backs up alone' {
        Add-BPLabFault NodeLost '\A' | Out-Null
        $script:Recovery = Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false
        $script:Recovery.Status | Should -Be 'Completed'
        $script:WrittenAtB = @(Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain '\B' -Confirm:$false)
        $script:WrittenAtB.Count | Should -Be 3
    }

    It 'refuses a reprotect while \A is lost, and a reprotect of the node that took over' {
        (Invoke-BPCaptured { Invoke-BPReprotect DS01 -Node '\A' -Confirm:$false }).Terminating.FullyQualifiedErrorId | Should -Match '^NonStopUnreachable,'
        Remove-BPLabFault NodeLost '\A' -Confirm:$false
        $wrong = Invoke-BPCaptured { Invoke-BPReprotect DS01 -Node '\B' -Confirm:$false }
        $wrong.Terminating.FullyQualifiedErrorId | Should -Be 'ReprotectNoTakeover,BackPak.PowerShell.Cmdlets.InvokeBPReprotectCommand'
        $wrong.Terminating.ErrorDetails.RecommendedAction | Should -Match "-Node '\\A'"
        @(Get-BPRoleSwitchRun | Where-Object RunId -like 'RP-*').Count | Should -Be 0
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Primary'   # back as it was left
    }

    It '\A, back and still PRIMARY, takes a backup before anyone stops it' {
        # A volume \B did not write, so that what \A wrote alone is told apart from what \B took.
        $label = (Get-BPVolume -DataStore DS01 -Domain '\A' | Where-Object { $_.Label -notin $script:WrittenAtB.Label -and -not $_.IsBusy } | Select-Object -First 1).Label
        $script:WrittenAtA = @(Invoke-BPLabBackup -DataStore DS01 -Label $label -Domain '\A' -Confirm:$false)
        $script:WrittenAtA.Count | Should -Be 1
    }

    It 'plans the reprotect without changing anything' {
        Invoke-BPReprotect DS01 -Node '\A' -WhatIf
        @(Get-BPRoleSwitchRun | Where-Object RunId -like 'RP-*').Count | Should -Be 0
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Primary'
    }

    It 'demotes \A first and waits on what \A wrote alone' {
        $script:Waiting = Invoke-BPReprotect DS01 -Node '\A' -Confirm:$false -WarningVariable warned 3>$null
        $script:Waiting.Status | Should -Be 'AwaitingOperator'
        $script:Waiting.Message | Should -Match $script:WrittenAtA[0].Label
        $warned | Should -Not -BeNullOrEmpty
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Secondary'
        # No more backups at \A, and none anywhere while the run holds the store.
        (Invoke-BPCaptured { Invoke-BPLabBackup -DataStore DS01 -Count 1 -Domain '\A' -Confirm:$false }).All[0].FullyQualifiedErrorId | Should -Not -BeNullOrEmpty
        # What \A wrote is still in its catalog: nothing was replaced before the operator said so.
        (Get-BPVolume -Label $script:WrittenAtA[0].Label -Domain '\A').LastBackup | Should -Be $script:WrittenAtA[0].LastBackup
    }

    It 'goes on once the operator confirms, and makes \A the SECONDARY of \B in step' {
        $script:Reprotect = Invoke-BPReprotect -Resume $script:Waiting.RunId -ConfirmStep list-stale -Confirm:$false
        $script:Reprotect.Status | Should -Be 'Completed'
        $script:Reprotect.StaleVolumes | Should -Contain $script:WrittenAtA[0].Label
        $script:Reprotect.NextSteps | Should -Match "Invoke-BPRoleSwitch DS01 -Primary '\\B' -Secondary '\\A'"
        ($script:Reprotect | Format-List | Out-String) | Should -Match '\\A SECONDARY of \\B'
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Secondary'
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Primary'
        @(Compare-BPDomain '\B' '\A' -DataStore DS01 -CatalogEntryKind TapeVolume, TapeFile, DiskFile) | Should -BeNullOrEmpty
        (Get-BPRoleSwitchRun -RunId $script:Reprotect.RunId) | Should -BeOfType ([BackPak.Core.Procedures.ReprotectReport])
    }

    It 'a recovery test at \A fails only on the volume \A wrote alone, whose image replicated over \B''s' {
        # \A wrote it while its storage link still flowed from its site: \B's storage holds \A's image, \B's catalog
        # its own older backup, and both sites now have that image (the reprotect's list-stale step says so).
        $checks = @(Test-BPRecovery DS01 -Node '\A')
        $failed = @($checks | Where-Object { -not $_.Passed })
        $failed.Name | Should -Be 'replica size and timestamp'
        $failed.Detail | Should -Match "1 with another timestamp than the catalog's: $($script:WrittenAtA[0].Label) "
        $script:Waiting.Message | Should -Match 'may have that image on'
    }

    It 'switches back: DS01 is PRIMARY at \A with equal catalogs and nothing \B wrote is lost' {
        (Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false).Status | Should -Be 'Completed'
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Primary'
        @(Compare-BPDomain '\A' '\B' -DataStore DS01 -CatalogEntryKind TapeVolume, TapeFile, DiskFile) | Should -BeNullOrEmpty
        $keys = Connect-BPKeyManager -Lab $script:Lab -Node '\A'
        try {
            foreach ($v in $script:WrittenAtB) {
                $atA = Get-BPVolume -Label $v.Label -Domain '\A'
                $atA.LastBackup | Should -Be $v.LastBackup
                Test-Path (Join-Path $script:Lab "sites/SITEA/storage/DS01/LB$($v.Label).DAT") | Should -BeTrue
                if ($v.MediaKeyName) { @(Get-BPEncryptionKey -Name $v.MediaKeyName -KeyManager $keys).Count | Should -Be 1 }
            }
        } finally { Disconnect-BPKeyManager -KeyManager $keys }
        Invoke-BPLabBackup -DataStore DS01 -Count 1 -Domain '\A' -Confirm:$false | Should -Not -BeNullOrEmpty
    }
}

Describe 'A reprotect killed at <Point> resumes to the same end' -ForEach $script:CrashPoints {
    BeforeAll {
        $script:CrashLab = Join-Path $script:Scratch ('crash-' + ($Point -replace '[^a-z0-9]', '-'))
        Copy-BPLab -Source $script:Base -Destination $script:CrashLab
        $connect = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:CrashLab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$script:CrashLab' -Node '\A' | Out-Null; "
        $script:Killed = Invoke-BPFreshPwshEnv -Command ($connect + "Invoke-BPReprotect DS01 -Node '\A' -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = $Point }
        $resume = $connect + "`$run = Get-BPRoleSwitchRun | Where-Object { `$_.RunId -like 'RP-*' -and `$_.Status -ne 'Completed' } | Select-Object -First 1; " +
            "if (-not `$run) { throw 'no unfinished run' }; (Invoke-BPReprotect -Resume `$run.RunId -Confirm:`$false).Status"
        $script:Resumed = Invoke-BPFreshPwshEnv -Command $resume
    }

    It 'the first process was killed' {
        $script:Killed.ExitCode | Should -Not -Be 0
        $script:Killed.StdErr + $script:Killed.StdOut | Should -Not -Match 'ReprotectStepFailed'
    }

    It 'the resumed run completes' {
        $script:Resumed.ExitCode | Should -Be 0 -Because $script:Resumed.StdErr
        $script:Resumed.StdOut.Trim() | Should -Be 'Completed'
    }

    It 'both sides end as after an uninterrupted reprotect' {
        $script:TwinReport.Status | Should -Be 'Completed'
        Compare-Object @(Get-ReprotectState $script:CrashLab) $script:TwinState | Should -BeNullOrEmpty
    }
}
