<#
    Issues 9 and 10: what a switch must never do, and what the operator can always do, with real pwsh processes.
    A live switch paused between its steps holds its store against every other change, from another process, on
    both nodes; two resumes of one run at once run it once; Ctrl-C (a stopped pipeline in a child runspace) leaves an
    Interrupted run that resumes; a kill at an arbitrary moment leaves a run that resumes to the end of an
    uninterrupted twin; a damaged journal is released by Stop-BPRoleSwitchRun; an interrupted removal blocks a switch
    and follows the roles of now when it is taken over; a live removal and an import of one store exclude each
    other; and the help examples of the switch cmdlets run as written on a fresh lab.
#>
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    $script:Examples = @(foreach ($name in 'Invoke-BPRoleSwitch', 'Get-BPRoleSwitchRun', 'Stop-BPRoleSwitchRun', 'Test-BPRoleSwitch', 'Get-BPRoleSwitchPlan') {
            $i = 0
            foreach ($ex in @((Get-Help $name -Full).examples.example)) {
                $i++
                @{ Cmdlet = $name; Number = $i; Title = (([string]$ex.title).Trim('- ').Trim() -replace '^Example \d+:\s*', ''); Code = [string]$ex.code }
            }
        })
    $script:KillDelays = @(0, 70, 250) | ForEach-Object { @{ Delay = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 200 -Seed 71 -Encrypted | Out-Null

    $script:Twin = Join-Path $script:Scratch 'twin'
    Copy-BPLab -Source $script:Base -Destination $script:Twin
    Connect-BPDomain -Lab $script:Twin -Node '\B' | Out-Null
    Connect-BPDomain -Lab $script:Twin -Node '\A' | Out-Null
    $null = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false
    Disconnect-BPDomain -All
    $script:TwinState = Get-BPSwitchState -Lab $script:Twin

    $script:N = 0
    function New-Lab {
        $script:N++
        $path = Join-Path $script:Scratch "lab-$script:N"
        Copy-BPLab -Source $script:Base -Destination $path
        $path
    }
    function Use-Lab([string] $Lab) {
        Disconnect-BPDomain -All
        Connect-BPDomain -Lab $Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $Lab -Node '\A' | Out-Null
    }
    # The preamble of every child: the module copy, and \B then \A connected (\A the default).
    function Get-Preamble([string] $Lab) {
        "Import-Module '$script:Module'; Connect-BPDomain -Lab '$Lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$Lab' -Node '\A' | Out-Null; "
    }
    function Get-ErrorId($Captured) { @($Captured.All | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }
    function Get-Orphans([string] $Lab, [string] $Node) {
        # DSM/TC TAPEVOLUMEs of DS01's catalog with no BackPak volume: what an import between a removal's steps leaves.
        $volcat = "\$Node.VCA01"
        $known = [System.Collections.Generic.HashSet[string]]::new([string[]]@(Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$Node/backpak.db") -Sql 'SELECT label FROM volume'))
        @(Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$Node/dsmtc.db") -Sql "SELECT label FROM tapevolume WHERE volcat = '$volcat'" | Where-Object { -not $known.Contains($_) })
    }
}

AfterAll {
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-BPScratchFolder -Path $script:Scratch
}

Describe 'A live switch paused between its steps 4 and 5 holds DS01 against every other change, from another process, on both nodes' {
    BeforeAll {
        $script:Lab = New-Lab
        $pause = Join-Path $script:Scratch 'pause-fence'
        $script:Child = Start-BPFreshPwsh -Command ((Get-Preamble $script:Lab) + "(Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:`$false).Status") `
            -Environment @{ BACKPAK_LAB_PAUSE_AT = 'switch.final-full-import.running'; BACKPAK_LAB_PAUSE_DIR = $pause }
        $script:Paused = Wait-BPLabPause -Folder $pause -Child $script:Child
        Use-Lab $script:Lab
        $script:Run = @(Get-BPRoleSwitchRun)[0]
        $script:Label = (Get-BPVolume -DataStore DS01 -Expired | Select-Object -First 1).Label
        $script:Tries = [ordered]@{
            'Remove-BPVolume on \A'         = { Remove-BPVolume -Label $script:Label -IgnoreRetention -Confirm:$false }
            'Remove-BPVolume on \B'         = { Remove-BPVolume -Label $script:Label -IgnoreRetention -Domain '\B' -Confirm:$false }
            'Invoke-BPLabBackup'            = { Invoke-BPLabBackup -DataStore DS01 -Count 2 -Confirm:$false }
            'Start-BPLabBackup'             = { Start-BPLabBackup -DataStore DS01 -Confirm:$false }
            'Set-BPDataStore on \B'         = { Set-BPDataStore DS01 -DomainAccess Primary -Domain '\B' -Confirm:$false }
            'Resume-BPCatalogExport'        = { Resume-BPCatalogExport DS01 -Confirm:$false }
            'Start-BPCatalogExport'         = { Start-BPCatalogExport DS01 -Type Full -Confirm:$false }
            'Start-BPCatalogImport on \B'   = { Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:$false }
            'another switch'                = { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false }
            'a resume of the live run'      = { Invoke-BPRoleSwitch -Resume $script:Run.RunId -Confirm:$false }
            'abandoning the live run'       = { Stop-BPRoleSwitchRun -RunId $script:Run.RunId -Reason test -Confirm:$false }
        }
        $script:Seen = [ordered]@{}
        foreach ($k in $script:Tries.Keys) { $script:Seen[$k] = Invoke-BPCaptured $script:Tries[$k] }
        $script:Status = $script:Run.Status
        Disconnect-BPDomain -All
        [System.IO.File]::WriteAllText((Join-Path $pause 'go'), 'go')
        $script:Done = Wait-BPFreshPwsh -Child $script:Child -TimeoutSeconds 120
    }

    It 'the switch was paused, alive, with its run Running' {
        $script:Paused | Should -BeTrue -Because $script:Done.StdErr
        $script:Status | Should -Be 'Running'
    }

    It '<_> is refused with SwitchInProgress naming the run' -ForEach @(
        'Remove-BPVolume on \A', 'Remove-BPVolume on \B', 'Invoke-BPLabBackup', 'Start-BPLabBackup', 'Set-BPDataStore on \B', 'Resume-BPCatalogExport',
        'Start-BPCatalogExport', 'Start-BPCatalogImport on \B', 'another switch', 'a resume of the live run', 'abandoning the live run') {
        $c = $script:Seen[$_]
        @(Get-ErrorId $c) | Should -Be @('SwitchInProgress') -Because ($c.All | Out-String)
        $c.All[0].Exception.Message | Should -Match $script:Run.RunId
    }

    It 'the switch then completes, nothing was lost, and both domains end as the uninterrupted twin' {
        $script:Done.ExitCode | Should -Be 0 -Because $script:Done.StdErr
        $script:Done.StdOut.Trim() | Should -Be 'Completed'
        Compare-Object (Get-BPSwitchState -Lab $script:Lab) $script:TwinState | Should -BeNullOrEmpty
    }
}

Describe 'Two -Resume of one interrupted run at once: one runs it, the other is refused' {
    BeforeAll {
        $script:Lab = New-Lab
        $pre = Get-Preamble $script:Lab
        $script:Killed = Invoke-BPFreshPwshEnv -Command ($pre + "Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = 'switch.final-full-export.done' }
        $pause = Join-Path $script:Scratch 'pause-resume'
        $go = Join-Path $script:Scratch 'go-resume'
        $resume = $pre + "`$run = (Get-BPRoleSwitchRun)[0].RunId; while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 2 }; " +
            "try { (Invoke-BPRoleSwitch -Resume `$run -Confirm:`$false).Status } catch { 'REFUSED ' + `$_.FullyQualifiedErrorId }"
        $script:Children = @(1, 2 | ForEach-Object { Start-BPFreshPwsh -Command $resume -Environment @{ BACKPAK_LAB_PAUSE_AT = 'switch.stop-export.running'; BACKPAK_LAB_PAUSE_DIR = $pause } })
        Start-Sleep -Milliseconds 1500 # both have imported the module and wait at the barrier
        [System.IO.File]::WriteAllText($go, 'go')
        # The owner pauses inside the run; the other must be refused meanwhile, not wait or run it too.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and -not ($script:Children | Where-Object { $_.Process.HasExited })) { Start-Sleep -Milliseconds 20 }
        $script:OneEndedFirst = [bool]($script:Children | Where-Object { $_.Process.HasExited })
        [System.IO.File]::WriteAllText((Join-Path $pause 'go'), 'go')
        $script:Out = @($script:Children | ForEach-Object { Wait-BPFreshPwsh -Child $_ -TimeoutSeconds 120 })
    }

    It 'the first switch was killed' { $script:Killed.ExitCode | Should -Not -Be 0 }

    It 'one resume is refused at once, while the other holds the run' {
        $script:OneEndedFirst | Should -BeTrue
        @($script:Out | Where-Object { $_.StdOut -match 'REFUSED SwitchInProgress,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand' }).Count | Should -Be 1 -Because ($script:Out.StdOut -join ' | ')
    }

    It 'the other completes, and both domains end as the uninterrupted twin' {
        @($script:Out | Where-Object { $_.StdOut.Trim() -eq 'Completed' }).Count | Should -Be 1 -Because (($script:Out.StdOut + $script:Out.StdErr) -join ' | ')
        Compare-Object (Get-BPSwitchState -Lab $script:Lab) $script:TwinState | Should -BeNullOrEmpty
    }
}

Describe 'Ctrl-C during a switch: the pipeline stopped mid-wait leaves an Interrupted run that resumes cleanly' {
    BeforeAll {
        $script:Lab = New-Lab
        # In a child pwsh: the switch runs in a runspace of its own and is stopped there, as Ctrl-C stops a pipeline.
        $cmd = (Get-Preamble $script:Lab) + @"
`$backup = Start-BPLabBackup -DataStore DS01 -Confirm:`$false
`$ps = [powershell]::Create()
`$null = `$ps.AddScript("Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:Lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$script:Lab' -Node '\A' | Out-Null; Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:```$false -Timeout 120")
`$async = `$ps.BeginInvoke()
`$deadline = [DateTime]::UtcNow.AddSeconds(60)
while ([DateTime]::UtcNow -lt `$deadline -and -not (Get-BPRoleSwitchRun | Where-Object { `$_.Steps[0].Status -eq 'Running' })) { Start-Sleep -Milliseconds 20 }
Start-Sleep -Milliseconds 300
`$ps.Stop()
try { `$null = `$ps.EndInvoke(`$async) } catch { 'STOPPED ' + `$_.Exception.InnerException.GetType().Name }
`$run = (Get-BPRoleSwitchRun)[0]
'STATUS ' + `$run.Status + ' ' + `$run.Steps[0].Status
'RUNNING ' + @(`$run.Steps | Where-Object Status -EQ 'Running').Count
Stop-BPLabBackup -Label `$backup.Label -Confirm:`$false | Out-Null
`$done = Invoke-BPRoleSwitch -Resume `$run.RunId -Confirm:`$false
'RESUMED ' + `$done.Status + ' ' + `$done.Resumes
"@
        $script:Out = Invoke-BPFreshPwsh -Command $cmd -TimeoutSeconds 180
    }

    It 'the stopped run says Interrupted, with its waiting step Interrupted and none left Running' {
        $script:Out.StdOut | Should -Match 'STATUS Interrupted Interrupted' -Because ($script:Out.StdOut + $script:Out.StdErr)
        $script:Out.StdOut | Should -Match 'RUNNING 0'
    }

    It 'the same process resumes it to the end' {
        $script:Out.ExitCode | Should -Be 0 -Because $script:Out.StdErr
        $script:Out.StdOut | Should -Match 'RESUMED Completed 1'
    }

    It 'the roles are switched and both catalogs agree' {
        Use-Lab $script:Lab
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Primary'
        (Get-BPDataStore DS01 -Domain '\A').DomainAccess | Should -Be 'Secondary'
        $pic = { param($d) Get-BPVolume -DataStore DS01 -Domain $d | ForEach-Object { "$($_.Label) $($_.LastBackup.ToString('o')) $($_.CatalogStatus) $($_.MediaKeyName)" } }
        Compare-Object @(& $pic '\A') @(& $pic '\B') | Should -BeNullOrEmpty
        Disconnect-BPDomain -All
    }
}

Describe 'A switch killed <Delay> ms after its first record resumes to the end of an uninterrupted twin' -ForEach $script:KillDelays {
    BeforeAll {
        $script:Lab = New-Lab
        $runs = Join-Path $script:Lab 'runs'
        $child = Start-BPFreshPwsh -Command ((Get-Preamble $script:Lab) + "Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:`$false | Out-Null")
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while ([DateTime]::UtcNow -lt $deadline -and -not $child.Process.HasExited -and -not ((Test-Path $runs) -and [System.IO.Directory]::EnumerateFiles($runs, '*.jsonl').GetEnumerator().MoveNext())) { Start-Sleep -Milliseconds 1 }
        if ($Delay -gt 0) { Start-Sleep -Milliseconds $Delay }
        $script:KilledEarly = -not $child.Process.HasExited
        if ($script:KilledEarly) { $child.Process.Kill($true) }
        $null = Wait-BPFreshPwsh -Child $child
        $script:Resumed = Invoke-BPFreshPwsh -Command ((Get-Preamble $script:Lab) +
            "`$run = Get-BPRoleSwitchRun | Where-Object Status -NotIn 'Completed', 'Abandoned' | Select-Object -First 1; if (`$run) { (Invoke-BPRoleSwitch -Resume `$run.RunId -Confirm:`$false).Status } else { 'NOTHING ' + (Get-BPRoleSwitchRun).Status }") -TimeoutSeconds 120
    }

    It 'the run resumes (or had completed) and both domains end as the twin' {
        $script:Resumed.ExitCode | Should -Be 0 -Because $script:Resumed.StdErr
        $script:Resumed.StdOut.Trim() | Should -BeIn @('Completed', 'NOTHING Completed')
        Compare-Object (Get-BPSwitchState -Lab $script:Lab) $script:TwinState | Should -BeNullOrEmpty
    }

    It 'no lock is left, and no run without its journal' {
        @(Get-ChildItem (Join-Path $script:Lab 'runs') -Filter '*.lock').Count | Should -Be 0
        Use-Lab $script:Lab
        @(Get-BPRoleSwitchRun | Where-Object Status -NotIn 'Completed').Count | Should -Be 0
        Disconnect-BPDomain -All
    }
}

Describe 'A journal damaged after a kill: reported, released by Stop-BPRoleSwitchRun with the way out, and the store is free again' {
    BeforeAll {
        $script:Lab = New-Lab
        $null = Invoke-BPFreshPwshEnv -Command ((Get-Preamble $script:Lab) + "Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = 'switch.stop-export.done' }
        $journal = Get-ChildItem (Join-Path $script:Lab 'runs') -Filter '*.jsonl' | Select-Object -First 1
        $bytes = [System.IO.File]::ReadAllBytes($journal.FullName)
        [System.IO.File]::WriteAllBytes($journal.FullName, $bytes[0..($bytes.Length - 21)])
        Use-Lab $script:Lab
        $script:Run = @(Get-BPRoleSwitchRun)[0]
        $script:Resume = Invoke-BPCaptured { Invoke-BPRoleSwitch -Resume $script:Run.RunId -Confirm:$false }
        $script:Backup = Invoke-BPCaptured { Invoke-BPLabBackup -DataStore DS01 -Confirm:$false }
        $script:Stopped = Invoke-BPCaptured { Stop-BPRoleSwitchRun -RunId $script:Run.RunId -Reason 'journal damaged' -Confirm:$false 3>&1 }
    }
    AfterAll { Disconnect-BPDomain -All }

    It 'is listed as Damaged from its lock, with the way out' {
        $script:Run.Status | Should -Be 'Damaged'
        $script:Run.DataStore | Should -Be 'DS01'
        $script:Run.Message | Should -Match "Stop-BPRoleSwitchRun -RunId $($script:Run.RunId)"
    }

    It 'cannot be resumed (SwitchJournalDamaged) and still holds the store (SwitchInProgress)' {
        @(Get-ErrorId $script:Resume) | Should -Be @('SwitchJournalDamaged')
        @(Get-ErrorId $script:Backup) | Should -Be @('SwitchInProgress')
    }

    It 'is abandoned, and the warning says how each side is left and what to do' {
        $script:Stopped.All | Should -BeNullOrEmpty
        $report = $script:Stopped.Output | Where-Object { $_ -is [BackPak.Core.Procedures.RoleSwitchReport] }
        $report.Status | Should -Be 'Abandoned'
        $warning = [string]($script:Stopped.Output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warning | Should -Match 'PRIMARY on \\A'
        $warning | Should -Match 'Resume-BPCatalogExport DS01'   # step 4 had suspended its exports
    }

    It 'following that advice, a new switch runs and ends as the twin' {
        Resume-BPCatalogExport DS01 -Confirm:$false
        (Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false).Status | Should -Be 'Completed'
        Disconnect-BPDomain -All
        Compare-Object (Get-BPSwitchState -Lab $script:Lab) $script:TwinState | Should -BeNullOrEmpty
    }
}

Describe 'A removal killed after its claim: the switch refuses to start, and after a role change the removal follows the rules of now' {
    BeforeAll {
        $script:Lab = New-Lab
        Use-Lab $script:Lab
        $dsm = @(Get-BPVolume -DataStore DS01 -NotExpired | Where-Object { @(Get-BPCatalogEntry -Label $_.Label | Where-Object Catalog -EQ 'DsmTc').Count -gt 0 } | Select-Object -First 2)
        $script:Labels = @($dsm.Label)
        Disconnect-BPDomain -All
        $script:Killed = Invoke-BPFreshPwshEnv -Command ((Get-Preamble $script:Lab) + "Remove-BPVolume -Label $($script:Labels -join ',') -IgnoreRetention -Confirm:`$false") -Environment @{ BACKPAK_LAB_CRASH_AT = 'removal.after-claim' }
        Use-Lab $script:Lab
        $script:Switch = Invoke-BPCaptured { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false }
        $script:Runs = @(Get-BPRoleSwitchRun).Count
        Set-BPDataStore DS01 -DomainAccess Secondary -Confirm:$false
        $script:Taken = Invoke-BPCaptured { Remove-BPVolume -Label $script:Labels[0] -IgnoreRetention -Confirm:$false -PassThru }
        $script:Released = Invoke-BPCaptured { Remove-BPVolume -Label $script:Labels[1] -Confirm:$false -PassThru }
        $script:Storage = Join-Path $script:Lab 'sites/SITEA/storage/DS01'
    }
    AfterAll { Disconnect-BPDomain -All }

    It 'the removal was killed with its volumes claimed' { $script:Killed.ExitCode | Should -Not -Be 0 }

    It 'the switch is refused with RemovalUnfinished naming them, and no run is left' {
        @(Get-ErrorId $script:Switch) | Should -Be @('RemovalUnfinished')
        $script:Switch.Terminating.Exception.Message | Should -Match $script:Labels[0]
        $script:Runs | Should -Be 0
    }

    It 'the taken-over removal of a now-SECONDARY volume leaves its storage to the replication' {
        $script:Taken.All | Should -BeNullOrEmpty
        $r = $script:Taken.Output | Select-Object -First 1
        $r.Resumed | Should -BeTrue
        $r.DomainAccess | Should -Be 'Secondary'
        $r.Storage | Should -Be 'NotApplicable'
        Join-Path $script:Storage "LB$($script:Labels[0]).DAT" | Should -Exist
        Join-Path $script:Storage "LB$($script:Labels[0]).IND" | Should -Exist
    }

    It 'a volume the rules now refuse (non-expired, no -IgnoreRetention) is released and reported' {
        @(Get-ErrorId $script:Released) | Should -Be @('VolumeNotExpired')
        $script:Released.All[0].Exception.Message | Should -Match 'released'
        (Get-BPVolume -Label $script:Labels[1]).CurrentOperation | Should -BeNullOrEmpty
        Join-Path $script:Storage "LB$($script:Labels[1]).DAT" | Should -Exist
    }
}

Describe 'A live removal and an import of one store exclude each other' {
    BeforeAll {
        $script:Lab = New-Lab
        $pre = Get-Preamble $script:Lab
        # A removal of SECONDARY volumes on \B paused alive between its DSM/TC step and its BackPak step.
        $pause = Join-Path $script:Scratch 'pause-removal'
        $remover = Start-BPFreshPwsh -Command ($pre + "Get-BPVolume -DataStore DS01 -Domain '\B' | Select-Object -First 25 | Remove-BPVolume -IgnoreRetention -Confirm:`$false -PassThru | Measure-Object | ForEach-Object Count") `
            -Environment @{ BACKPAK_LAB_PAUSE_AT = 'removal.after-tape-catalog'; BACKPAK_LAB_PAUSE_DIR = $pause }
        $script:RemovalPaused = Wait-BPLabPause -Folder $pause -Child $remover
        Use-Lab $script:Lab
        $script:ImportDuringRemoval = Invoke-BPCaptured { Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:$false }
        Disconnect-BPDomain -All
        [System.IO.File]::WriteAllText((Join-Path $pause 'go'), 'go')
        $script:Removal = Wait-BPFreshPwsh -Child $remover
        $script:OrphansAfterRemoval = Get-Orphans $script:Lab 'B'

        # An import on \B paused alive before its commit, and a removal of that store meanwhile.
        $pause2 = Join-Path $script:Scratch 'pause-import'
        $importer = Start-BPFreshPwsh -Command ($pre + "(Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false).Result") `
            -Environment @{ BACKPAK_LAB_PAUSE_AT = 'import.before-commit'; BACKPAK_LAB_PAUSE_DIR = $pause2 }
        $script:ImportPaused = Wait-BPLabPause -Folder $pause2 -Child $importer
        Use-Lab $script:Lab
        $script:Label = (Get-BPVolume -DataStore DS01 -Domain '\B' | Select-Object -First 1).Label
        $script:RemovalDuringImport = Invoke-BPCaptured { Remove-BPVolume -Label $script:Label -Domain '\B' -IgnoreRetention -Confirm:$false }
        Disconnect-BPDomain -All
        [System.IO.File]::WriteAllText((Join-Path $pause2 'go'), 'go')
        $script:Import = Wait-BPFreshPwsh -Child $importer
    }
    AfterAll { Disconnect-BPDomain -All }

    It 'an import while the removal is half done is refused with SyncInProgress' {
        $script:RemovalPaused | Should -BeTrue -Because $script:Removal.StdErr
        @(Get-ErrorId $script:ImportDuringRemoval) | Should -Be @('SyncInProgress')
    }

    It 'the removal then finishes, and no TAPEVOLUME is left without its BackPak volume' {
        $script:Removal.ExitCode | Should -Be 0 -Because $script:Removal.StdErr
        $script:Removal.StdOut.Trim() | Should -Be '25'
        $script:OrphansAfterRemoval | Should -BeNullOrEmpty
    }

    It 'a removal while an import runs is refused with SyncInProgress, and the import completes' {
        $script:ImportPaused | Should -BeTrue -Because $script:Import.StdErr
        @(Get-ErrorId $script:RemovalDuringImport) | Should -Be @('SyncInProgress')
        $script:Import.StdOut.Trim() | Should -Be 'Completed' -Because $script:Import.StdErr
        Use-Lab $script:Lab
        @(Get-BPVolume -Label $script:Label -Domain '\B').Count | Should -Be 1
        Get-Orphans $script:Lab 'B' | Should -BeNullOrEmpty
        Disconnect-BPDomain -All
    }
}

Describe 'A backup left running: the demotion refuses naming it, the switch waits naming it, and ends once it is done' {
    BeforeAll {
        $script:Lab = New-Lab
        Use-Lab $script:Lab
        $script:Backup = Start-BPLabBackup -DataStore DS01 -Confirm:$false
        $script:Demote = Invoke-BPCaptured { Set-BPDataStore DS01 -DomainAccess Secondary -Confirm:$false }
        $script:AccessAfter = (Get-BPDataStore DS01).DomainAccess
        $script:Switch = Invoke-BPCaptured { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Timeout 1 -Confirm:$false }
        Stop-BPLabBackup -Label $script:Backup.Label -Confirm:$false | Out-Null
        $script:Resumed = Invoke-BPRoleSwitch -Resume $script:Switch.Terminating.TargetObject.RunId -Confirm:$false
    }
    AfterAll { Disconnect-BPDomain -All }

    It 'Set-BPDataStore -DomainAccess Secondary is refused with BackupsRunning naming the volume' {
        @(Get-ErrorId $script:Demote) | Should -Be @('BackupsRunning')
        $script:Demote.All[0].Exception.Message | Should -Match $script:Backup.Label
        $script:AccessAfter | Should -Be 'Primary'
    }

    It 'the switch stops at its first step naming the volume still being written' {
        @(Get-ErrorId $script:Switch) | Should -Be @('SwitchStepFailed')
        $script:Switch.Terminating.TargetObject.FailedStep | Should -Be 'wait-backups'
        $script:Switch.Terminating.Exception.Message | Should -Match $script:Backup.Label
    }

    It 'the backup may end while the run waits for it, and the resumed run completes' {
        $script:Resumed.Status | Should -Be 'Completed'
    }
}

Describe 'Help example <Number> of <Cmdlet> runs as written on a fresh lab: <Title>' -ForEach $script:Examples {
    BeforeAll {
        $script:Lab = New-Lab
        Use-Lab $script:Lab
        $folder = Join-Path $script:Scratch "example-$script:N"
        $null = New-Item -ItemType Directory -Path $folder
        Push-Location $folder
        try {
            $script:Result = Invoke-BPCaptured ([scriptblock]::Create("`$ErrorActionPreference = 'Stop'; $Code"))
        } finally {
            Pop-Location
            Disconnect-BPDomain -All
        }
    }

    It 'runs without an error' {
        $script:Result.All | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } | Should -BeNullOrEmpty
    }

    It 'leaves no run unfinished unless it shows one' {
        Use-Lab $script:Lab
        $left = @(Get-BPRoleSwitchRun | Where-Object Status -NotIn 'Completed', 'Abandoned')
        if ($Code -notmatch 'WhatIf') { $left.RunId | Should -BeNullOrEmpty -Because $Code }
        Disconnect-BPDomain -All
    }
}
