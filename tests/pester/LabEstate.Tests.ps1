<#
    Issue 10, item 4: a lost WAL is silent. A real pwsh removes volumes and is killed before its stores are closed, so
    the removal's commits are only in the WAL files; the BackPak catalog's WAL header is then zeroed, as a power cut
    can leave it at synchronous=NORMAL. SQLite ignores such a WAL without a word: the catalog is back to before the
    removal while the volume images are gone. Test-BPLab reports it, and Connect-BPDomain warns, acting on nothing.
    A twin, killed the same way with its WAL left whole, proves it is the lost WAL that is found.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:ChildModule = Copy-BPTestModule (Join-Path $script:Scratch 'module')
    $q = { param($s) "'" + ($s -replace "'", "''") + "'" }

    $template = Join-Path $script:Scratch 'template'
    $null = New-BPLab -Path $template -VolumeCount 100 -Seed 81
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()

    function Remove-AndKill([string] $Lab, [string] $LabelsFile) {
        # Removes three DS02 volumes on \A, writes their labels, then kills itself: no store is closed, nothing checkpointed.
        $r = Invoke-BPFreshPwsh -TimeoutSeconds 120 -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module $(& $q $script:ChildModule)
`$null = Connect-BPDomain -Lab $(& $q $Lab) -Node '\A'
`$v = @(Get-BPVolume -DataStore DS02 | Where-Object { -not `$_.CurrentOperation } | Select-Object -First 3)
`$v | Remove-BPVolume -IgnoreRetention -Force
[System.IO.File]::WriteAllLines($(& $q $LabelsFile), [string[]]@(`$v.Label))
Stop-Process -Id `$PID -Force
"@
        $r | Add-Member -NotePropertyName Labels -NotePropertyValue @(Get-Content -LiteralPath $LabelsFile -ErrorAction SilentlyContinue) -PassThru
    }

    function Connect-Fresh([string] $Lab) {
        # A fresh process connects to \A: did it connect, and what did it warn of?
        $json = Join-Path $script:Scratch "connect-$([guid]::NewGuid()).json"
        $r = Invoke-BPFreshPwsh -TimeoutSeconds 120 -Command @"
Import-Module $(& $q $script:ChildModule)
`$c = Connect-BPDomain -Lab $(& $q $Lab) -Node '\A' -WarningVariable w -WarningAction SilentlyContinue
[System.IO.File]::WriteAllText($(& $q $json), (ConvertTo-Json -InputObject ([ordered]@{ Connected = (`$null -ne `$c -and `$c.IsOpen); Warnings = @(`$w | ForEach-Object { "`$_" }) })))
"@
        $r | Add-Member -NotePropertyName Seen -NotePropertyValue (Get-Content -LiteralPath $json -Raw -ErrorAction SilentlyContinue | ConvertFrom-Json) -PassThru
    }

    # The twin: killed after the same removal, its WAL whole.
    $script:Twin = Join-Path $script:Scratch 'twin'
    Copy-BPLab $template $script:Twin
    $script:TwinKill = Remove-AndKill $script:Twin (Join-Path $script:Scratch 'twin.labels')
    $script:TwinWal = Get-Item -LiteralPath (Join-Path $script:Twin 'nodes/A/backpak.db-wal') -ErrorAction SilentlyContinue

    # The lab whose BackPak catalog loses its WAL.
    $script:Lab = Join-Path $script:Scratch 'lost-wal'
    Copy-BPLab $template $script:Lab
    $script:Kill = Remove-AndKill $script:Lab (Join-Path $script:Scratch 'lost.labels')
    $wal = Join-Path $script:Lab 'nodes/A/backpak.db-wal'
    $script:WalLength = (Get-Item -LiteralPath $wal).Length
    $fs = [System.IO.File]::Open($wal, 'Open', 'Write')
    try { $fs.Write([byte[]]::new(32), 0, 32) } finally { $fs.Dispose() }
    Remove-Item -LiteralPath (Join-Path $script:Lab 'nodes/A/backpak.db-shm') -ErrorAction SilentlyContinue # its memory is gone after a power cut

    $script:Checks = @(Test-BPLab -Path $script:Lab)
    $script:Quiet = Test-BPLab -Path $script:Lab -Quiet
    $script:TwinChecks = @(Test-BPLab -Path $script:Twin)
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    $script:Connect = Connect-Fresh $script:Lab
    $script:TwinConnect = Connect-Fresh $script:Twin
}

AfterAll {
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-BPScratchFolder $script:Scratch
}

Describe 'A BackPak catalog whose WAL header was zeroed' {
    It 'the removals were committed to the WAL only, and the processes were killed' {
        $script:Kill.Labels.Count | Should -Be 3 -Because $script:Kill.StdErr
        $script:Kill.ExitCode | Should -Not -Be 0
        $script:WalLength | Should -BeGreaterThan 32
        $script:TwinWal | Should -Not -BeNullOrEmpty -Because 'the twin''s removal sits in its WAL too'
    }

    It 'Test-BPLab names the volumes whose images are gone, and the catalogs out of step' {
        $storage = $script:Checks | Where-Object Place -EQ 'storage of DS02 on \A'
        $storage.Passed | Should -BeFalse
        @($storage.Left | ForEach-Object { $_.Substring(0, 6) } | Sort-Object) | Should -Be @($script:Kill.Labels | Sort-Object)
        $storage.Detail | Should -Match 'without their images'
        $tape = $script:Checks | Where-Object Place -EQ 'BackPak and DSM/TC catalogs on \A'
        $tape.Passed | Should -BeFalse -Because 'DSM/TC kept the removal (its WAL is whole) while the BackPak catalog lost it'
        foreach ($l in $script:Kill.Labels) { ($tape.Left -join "`n") | Should -Match "$l \(BackPak volume of DS02, no DSM/TC entry\)" }
        $script:Quiet | Should -BeFalse
    }

    It 'every check is of the one check type, with a place and a detail' {
        $script:Checks.Count | Should -BeGreaterThan 10
        $script:Checks | ForEach-Object {
            $_.GetType().FullName | Should -Be 'BackPak.Core.Removal.DecommissionCheck'
            $_.Place | Should -Not -BeNullOrEmpty
            $_.Detail | Should -Not -BeNullOrEmpty
        }
    }

    It 'the twin, whose WAL stayed whole, is in step everywhere' {
        @($script:TwinChecks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Place): $($_.Detail)" }) | Should -BeNullOrEmpty
    }

    It 'Connect-BPDomain connects and warns of the storage of DS02, changing nothing' {
        $script:Connect.ExitCode | Should -Be 0 -Because $script:Connect.StdErr
        $script:Connect.Seen.Connected | Should -BeTrue
        $w = @($script:Connect.Seen.Warnings)
        $w.Count | Should -Be 1 -Because ($w -join '; ')
        $w[0] | Should -BeLike '*storage of DS02 on \A*'
        $w[0] | Should -BeLike '*Test-BPLab*'
        $after = @(Test-BPLab -Path $script:Lab | Where-Object { -not $_.Passed } | ForEach-Object Place)
        $after | Should -Be @($script:Checks | Where-Object { -not $_.Passed } | ForEach-Object Place) -Because 'the connection acted on nothing'
    }

    It 'the twin connects without a warning' {
        $script:TwinConnect.ExitCode | Should -Be 0 -Because $script:TwinConnect.StdErr
        @($script:TwinConnect.Seen.Warnings) | Should -BeNullOrEmpty
    }
}
