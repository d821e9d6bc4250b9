<#
    Issue 6: the planned switch of roles on the built module. An operator scenario (pre-checks, plan, -WhatIf, the
    switch, the report as a change record, backups and exports in the new direction, the runbook's verification),
    and crash tests: a real pwsh process is killed at step boundaries and inside the long steps, the run is resumed
    in a fresh process, and the final state of both domains equals that of an uninterrupted run on a twin lab.
#>
BeforeDiscovery {
    # Crash points: after a step's 'running' record (before its work), after its 'done' record, and inside the
    # full import of the last replication and of the proof of the new direction.
    $script:CrashPoints = @(
        'switch.run.running'              # the first record is written, the lock not yet taken
        'switch.wait-backups.running'
        'switch.final-full-export.running'
        'switch.final-full-export.done'
        'import.before-commit#1'
        'switch.reverse-storage-replication.done'
        'switch.demote-primary.running'
        'switch.demote-primary.done'
        'switch.promote-secondary.done'
        'switch.move-staging.running'
        'switch.prove-full-export.done'
        'import.before-commit#2'
        'switch.resume-export.running'
    ) | ForEach-Object { @{ Point = $_; Ended = $false } }
    # Killed after the last record, before the lock is released: nothing is left to resume, and nothing is held.
    $script:CrashPoints += @{ Point = 'switch.end.completed'; Ended = $true }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 300 -Seed 61 -Encrypted | Out-Null

    function Get-SwitchState([string] $Lab) { Get-BPSwitchState -Lab $Lab }

    $script:Twin = Join-Path $script:Scratch 'twin'
    Copy-BPLab -Source $script:Base -Destination $script:Twin
    $twinA = Connect-BPDomain -Lab $script:Twin -Node '\A'
    Connect-BPDomain -Lab $script:Twin -Node '\B' | Out-Null
    $script:TwinReport = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false
    Disconnect-BPDomain -All
    $script:TwinState = Get-SwitchState $script:Twin
}

AfterAll {
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-BPScratchFolder -Path $script:Scratch
}

Describe 'An operator switches DS01 from \A to \B' {
    BeforeAll {
        $script:Lab = Join-Path $script:Scratch 'scenario'
        Copy-BPLab -Source $script:Base -Destination $script:Lab
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
        Invoke-BPLabBackup -DataStore DS01 -Count 5 -Confirm:$false | Out-Null
    }

    It 'passes every pre-check' {
        $checks = @(Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B')
        $checks.Count | Should -BeGreaterOrEqual 12
        @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Name): $($_.Detail)" }) | Should -BeNullOrEmpty
        Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Quiet | Should -BeTrue
    }

    It 'reads a plan whose inferred steps say so' {
        $plan = Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B'
        $plan.Steps.Count | Should -Be 16
        $plan.Steps[0].Source | Should -Match 'CS p41'
        @($plan.Steps | Where-Object Inferred).Count | Should -BeGreaterThan 0
        ($plan | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Steps.Count | Should -Be 16
    }

    It '-WhatIf changes nothing and starts no run' {
        $before = Get-SwitchState $script:Lab   # (it leaves no connection)
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
        Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -WhatIf
        @(Get-BPRoleSwitchRun).Count | Should -Be 0
        Get-SwitchState $script:Lab | Should -Be $before
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
    }

    It 'switches, from the plan piped in, and reports every step done' {
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
        $script:Report = Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B' | Invoke-BPRoleSwitch -Confirm:$false
        $script:Report.Status | Should -Be 'Completed'
        @($script:Report.Steps | Where-Object Status -NE 'Done').Id | Should -BeNullOrEmpty
        $record = $script:Report | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $record.RunId | Should -Be $script:Report.RunId
        (Get-BPRoleSwitchRun -RunId $script:Report.RunId).Status | Should -Be 'Completed'
    }

    It 'now backs up on \B, exports to the staging area on \A, and \A imports them' {
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Primary'
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Secondary'
        (Invoke-BPCaptured { Invoke-BPLabBackup -DataStore DS01 -Domain '\A' -Confirm:$false }).Errors.FullyQualifiedErrorId |
            Should -Be 'ActionNotAllowed,BackPak.PowerShell.Cmdlets.InvokeBPLabBackupCommand'
        $written = @(Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain '\B' -Confirm:$false)
        (Get-BPExportStatus DS01 -Domain '\B').StagingArea | Should -Be '\A.$BPSTAGE.DS01'
        Join-Path $script:Lab "nodes/A/staging/BPSTAGE.DS01/V$($written[0].Label).bpx" | Should -Exist
        (Start-BPCatalogImport DS01 -Type Update -Domain '\A' -Confirm:$false).Result | Should -Be 'Completed'
        (Get-BPVolume -Label $written[0].Label -Domain '\A').LastBackup | Should -Be $written[0].LastBackup
    }

    It 'the operator''s verification file (examples/RoleSwitch.Verify.Tests.ps1) and the OVF diagnostics pass, in a fresh pwsh' {
        $root = Get-BPTestRepoRoot
        $pester = (Get-Module Pester).Path
        $data = "@{ Lab = '$script:Lab'; DataStore = 'DS01'; Primary = '\B'; Secondary = '\A' }"
        $cmd = "Import-Module '$pester'; Import-Module '$script:Module'; " +
            "`$c = @(New-PesterContainer -Path '$root/examples/RoleSwitch.Verify.Tests.ps1' -Data $data; " +
            "New-PesterContainer -Path '$root/module/BackPak/Diagnostics/Simple/BackPak.Simple.Tests.ps1' -Data $data; " +
            "New-PesterContainer -Path '$root/module/BackPak/Diagnostics/Comprehensive/BackPak.Comprehensive.Tests.ps1' -Data $data); " +
            "`$r = Invoke-Pester -Container `$c -PassThru -Output None; 'RESULT ' + `$r.PassedCount + ' ' + `$r.FailedCount + ' ' + `$r.FailedContainersCount"
        $out = Invoke-BPFreshPwshEnv -Command $cmd -TimeoutSeconds 180
        $out.StdOut -match 'RESULT (\d+) (\d+) (\d+)' | Should -BeTrue -Because ($out.StdOut + $out.StdErr)
        [int]$Matches[1] | Should -BeGreaterOrEqual 10
        [int]$Matches[2] + [int]$Matches[3] | Should -Be 0 -Because $out.StdOut
    }
}

Describe 'A switch killed at <Point> resumes to the same end' -ForEach $script:CrashPoints {
    BeforeAll {
        $script:CrashLab = Join-Path $script:Scratch ('crash-' + ($Point -replace '[^a-z0-9]', '-'))
        Copy-BPLab -Source $script:Base -Destination $script:CrashLab
        $switch = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:CrashLab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$script:CrashLab' -Node '\A' | Out-Null; "
        $script:Killed = Invoke-BPFreshPwshEnv -Command ($switch + "Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = $Point }
        $resume = $switch + "`$run = Get-BPRoleSwitchRun | Where-Object Status -NE 'Completed' | Select-Object -First 1; " +
            $(if ($Ended) { "if (`$run) { throw 'a run is left unfinished' }; (Get-BPRoleSwitchRun).Status" }
              else { "if (-not `$run) { throw 'no unfinished run' }; (Invoke-BPRoleSwitch -Resume `$run.RunId -Confirm:`$false).Status" })
        $script:Resumed = Invoke-BPFreshPwshEnv -Command $resume
    }

    It 'the first process was killed' {
        $script:Killed.ExitCode | Should -Not -Be 0
        $script:Killed.StdErr + $script:Killed.StdOut | Should -Not -Match 'SwitchStepFailed'
    }

    It 'the resumed run completes' {
        $script:Resumed.ExitCode | Should -Be 0 -Because $script:Resumed.StdErr
        $script:Resumed.StdOut.Trim() | Should -Be 'Completed'
    }

    It 'both domains end as after an uninterrupted switch' {
        Compare-Object (Get-SwitchState $script:CrashLab) $script:TwinState | Should -BeNullOrEmpty
    }

    It 'no run is left unfinished and a new switch (back) is accepted' {
        Connect-BPDomain -Lab $script:CrashLab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:CrashLab -Node '\A' | Out-Null
        @(Get-BPRoleSwitchRun | Where-Object Status -NE 'Completed').Count | Should -Be 0
        (Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false).Status | Should -Be 'Completed'
        Disconnect-BPDomain -All
    }
}
