<#
    Crash safety of volume removal. A removal killed anywhere (at each injected crash point, or by SIGKILL at a
    random time) and then run again must end exactly where the same removal run without interruption ends, with
    no orphan, nothing else touched, one audit record per removed volume, and the finished removals reported
    Resumed.

    Every scenario works on a copy of one lab per seed (byte-identical to a lab made with that seed; 'cp -a' keeps
    the replicas hard-linked) so that the uninterrupted "twin" is run once per seed. Each removal runs in a fresh
    pwsh. The command is the same in every run of a scenario:
        Get-BPVolume -DataStore DS01 -Label '[0-9A-T]*' | Remove-BPVolume -IgnoreRetention -Force -PassThru
    The label filter leaves about a sixth of DS01 in place, so "the volumes left keep their storage" and "same
    store, not selected, untouched" are checked too. With 1700 volumes it selects about 1140: three batches of
    500, 500 and the rest.
#>

BeforeDiscovery {
    # Stage: how far the claimed batch got when the process died.
    #   Claimed        storage, tape catalog and BackPak entries of the claimed volumes all still there
    #   InsideStorage  exactly one storage file of the claimed volumes deleted
    #   StorageGone    storage files of the claimed volumes gone, DSM/TC and TMF rows still there
    #   TapeGone       storage and DSM/TC/TMF rows gone, BackPak entries still there
    #   BatchDone      no volume claimed: whole batches done
    # GoneBefore: selected volumes already out of the BackPak catalog when it died (complete batches).
    $crashCases = @(
        @{ Point = 'removal.after-claim'; Hit = 1; Stage = 'Claimed'; Intents = 500; GoneBefore = 0 }
        @{ Point = 'removal.after-claim'; Hit = 2; Stage = 'Claimed'; Intents = 500; GoneBefore = 500 }
        @{ Point = 'removal.inside-storage'; Hit = 1; Stage = 'InsideStorage'; Intents = 500; GoneBefore = 0 }
        @{ Point = 'removal.inside-storage'; Hit = 2; Stage = 'InsideStorage'; Intents = 500; GoneBefore = 500 }
        @{ Point = 'removal.after-storage'; Hit = 1; Stage = 'StorageGone'; Intents = 500; GoneBefore = 0 }
        @{ Point = 'removal.inside-tape-catalog'; Hit = 1; Stage = 'StorageGone'; Intents = 500; GoneBefore = 0 }
        @{ Point = 'removal.after-tape-catalog'; Hit = 1; Stage = 'TapeGone'; Intents = 500; GoneBefore = 0 }
        @{ Point = 'removal.after-tape-catalog'; Hit = 2; Stage = 'TapeGone'; Intents = 500; GoneBefore = 500 }
        @{ Point = 'removal.inside-backpak-catalog'; Hit = 1; Stage = 'TapeGone'; Intents = 500; GoneBefore = 0 }
        @{ Point = 'removal.inside-backpak-catalog'; Hit = 2; Stage = 'TapeGone'; Intents = 500; GoneBefore = 500 }
        @{ Point = 'removal.between-batches'; Hit = 1; Stage = 'BatchDone'; Intents = 0; GoneBefore = 500 }
        @{ Point = 'removal.between-batches'; Hit = 2; Stage = 'BatchDone'; Intents = 0; GoneBefore = 1000 }
    ) | ForEach-Object { $_.Kind = 'Point'; $_.Template = 'crash'; $_.Name = "crash at $($_.Point)#$($_.Hit)"; $_ }

    # SIGKILL at random times: the delay is a fixed-seed fraction of the removal's duration measured on the twin.
    $rng = [System.Random]::new(20240611)
    $killCases = 1..4 | ForEach-Object {
        $f = [math]::Round(0.05 + 0.9 * $rng.NextDouble(), 2)
        @{ Kind = 'Kill'; Template = 'kill'; Iteration = $_; Fraction = $f; Name = "SIGKILL at a random time (#$_, $([int]($f * 100))% into the removal)" }
    }
    $scenarios = @($crashCases) + @($killCases)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All

    $script:Pattern = '[0-9A-T]*'
    $script:Removal = "Get-BPVolume -DataStore DS01 -Label '$script:Pattern' | Remove-BPVolume -IgnoreRetention -Force -PassThru"
    $script:KillLog = [System.Collections.Generic.List[string]]::new()

    function Get-Labels([string[]] $Rows) { @(foreach ($r in $Rows) { $r.Substring(0, $r.IndexOf('|')) }) }
    function Get-Diff($Reference, $Difference) { @(Compare-BPStringSet -Reference $Reference -Difference $Difference) }
    function Get-FilePaths([string[]] $Rows) { @(foreach ($r in $Rows) { $r.Split('|')[1] }) }
    $script:Tables = 'tapevolume', 'tapefile', 'diskfile', 'tmf_volume', 'tmf_dump'

    function New-Template([string] $Name, [int] $Count, [int] $Seed) {
        # A lab of this seed that nothing opens, the twin (a copy) run once without interruption, and the pictures.
        $path = Join-Path $TestDrive "template-$Name"
        $null = New-BPLab -Path $path -VolumeCount $Count -Seed $Seed
        $twin = Join-Path $TestDrive "twin-$Name"
        Copy-BPLab $path $twin
        $before = Get-BPLabState $twin
        $json = Join-Path $TestDrive "twin-$Name.json"
        $run = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $twin -Removal $script:Removal -ResultPath $json)
        if ($run.ExitCode -ne 0) { throw "The uninterrupted twin run failed ($($run.ExitCode)): $($run.StdErr)" }
        $result = Read-BPRemovalChildResult $json
        $selected = @(Get-Labels ($before['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS01' }) | Where-Object { $_ -like $script:Pattern })
        [pscustomobject]@{
            Path = $path; Count = $Count; Seed = $Seed; Before = $before; Twin = Get-BPLabState $twin; TwinResult = $result
            Selected = $selected
        }
    }

    function Get-MidState([string] $Lab) {
        # What the killed run left, read before the re-run: its intents, which selected volumes are gone, and the
        # storage files and tape catalog rows still there.
        $node = Join-Path $Lab 'nodes/A'
        $bp = Join-Path $node 'backpak.db'
        $set = { param($rows) [System.Collections.Generic.HashSet[string]]::new([string[]]@($rows), [System.StringComparer]::Ordinal) }
        [pscustomobject]@{
            Intents  = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT label FROM removal_intent ORDER BY label')
            Deleting = @(Invoke-BPSqliteQuery -Database $bp -Sql "SELECT label FROM volume WHERE current_operation = 'DELETE' ORDER BY label")
            Present  = & $set @(Invoke-BPSqliteQuery -Database $bp -Sql "SELECT label FROM volume WHERE data_store = 'DS01'")
            Dsm      = & $set @(Invoke-BPSqliteQuery -Database (Join-Path $node 'dsmtc.db') -Sql 'SELECT label FROM tapevolume UNION SELECT label FROM tapefile UNION SELECT label FROM diskfile')
            Tmf      = & $set @(Invoke-BPSqliteQuery -Database (Join-Path $node 'tmf.db') -Sql 'SELECT label FROM tmf_volume UNION SELECT label FROM tmf_dump')
            Files    = & $set @([System.IO.Directory]::EnumerateFiles((Join-Path $Lab 'sites/SITEA/storage/DS01')) | ForEach-Object { [System.IO.Path]::GetFileName($_) })
        }
    }

    function Get-VolumeErrorSummary($Result) {
        if (-not $Result) { return 'no result file' }
        (@($Result.Errors | Group-Object Fqid | ForEach-Object { "$($_.Count) x $($_.Name) (e.g. $($_.Group[0].Target): $($_.Group[0].Message))" }) -join '; ')
    }

    $script:Templates = @{
        crash = New-Template -Name crash -Count 1700 -Seed 11
        kill  = New-Template -Name kill -Count 3000 -Seed 29
    }
}

AfterAll {
    Disconnect-BPDomain -All
    if ($script:KillLog -and $script:KillLog.Count) { Write-Host ("Random kills:`n  " + ($script:KillLog -join "`n  ")) }
}

Describe 'Test setup' {
    It 'the <_> lab selects volumes for 3+ batches, and its uninterrupted twin removed exactly them without error' -ForEach 'crash', 'kill' {
        $t = $script:Templates[$_]
        $t.Selected.Count | Should -BeGreaterThan 1000
        $t.TwinResult.Errors | Should -BeNullOrEmpty
        @($t.TwinResult.Results | Where-Object Status -EQ 'Removed' | ForEach-Object Label | Sort-Object) | Should -Be @($t.Selected | Sort-Object)
        @(Get-Labels $t.Twin['volume:A'] | Where-Object { $_ -in $t.Selected }) | Should -BeNullOrEmpty
        $t.Twin['intent:A'] | Should -BeNullOrEmpty
    }

    It 'a pristine lab has no orphan (so the orphan checks below are meaningful)' {
        $s = $script:Templates.crash.Before
        foreach ($n in 'A', 'B') {
            $vols = Get-Labels $s["volume:$n"]
            foreach ($t in $script:Tables) { Select-BPRows $s["${t}:$n"] -Labels $vols -Exclude | Should -BeNullOrEmpty -Because "$t on \$n" }
        }
        @($s.files | Where-Object { $_ -like '*|sites/SITEA/storage/DS01/*' }).Count | Should -Be (2 * @($s['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS01' }).Count)
    }
}

Describe 'Removal of DS01 volumes interrupted by <Name>' -ForEach $scenarios {

    BeforeAll {
        $t = $script:Templates[$Template]
        $id = if ($Kind -eq 'Point') { "$($Point.Replace('removal.', ''))-$Hit" } else { "kill-$Iteration" }
        $lab = Join-Path $TestDrive "lab-$id"
        Copy-BPLab $t.Path $lab
        $firstJson = Join-Path $TestDrive "first-$id.json"
        $rerunJson = Join-Path $TestDrive "rerun-$id.json"

        if ($Kind -eq 'Point') {
            $first = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $script:Removal -ResultPath $firstJson) `
                -Environment @{ BACKPAK_LAB_CRASH_AT = "$Point#$Hit" }
            $midRun = $true
        } else {
            # Start, wait until the child is about to remove, wait the delay, SIGKILL.
            $ready = Join-Path $TestDrive "ready-$id"
            $child = Start-BPFreshPwsh -Command (New-BPRemovalChildCommand -Lab $lab -Removal $script:Removal -ResultPath $firstJson -ReadyPath $ready)
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Test-Path -LiteralPath $ready) -and -not $child.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
            $delay = [int]($Fraction * [math]::Max(200, $t.TwinResult.ElapsedMs))
            Start-Sleep -Milliseconds $delay
            $exitedBeforeKill = $child.Process.HasExited
            if (-not $exitedBeforeKill) { Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue }
            $first = Wait-BPFreshPwsh -Child $child -TimeoutSeconds 60
            $midRun = -not $exitedBeforeKill -and -not (Test-Path -LiteralPath $firstJson)
            $how = if ($midRun) { 'mid-run' } elseif ($exitedBeforeKill) { 'after the child had finished' } else { 'after the removal, while the child exited' }
            $script:KillLog.Add("#${Iteration}: killed $delay ms after the start of the removal (twin took $($t.TwinResult.ElapsedMs) ms): $how; exit $($first.ExitCode)")
            Write-Host "    $($script:KillLog[-1])"
        }
        $mid = Get-MidState $lab

        $rerun = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $script:Removal -ResultPath $rerunJson)
        $rerunResult = Read-BPRemovalChildResult $rerunJson
        $after = Get-BPLabState $lab
        $before = $t.Before
        $twin = $t.Twin
        $selected = $t.Selected
        $claimed = $mid.Intents
    }

    if ($Kind -eq 'Point') {
        It 'the first run was killed at the crash point (non-zero exit, no result written)' {
            $first.ExitCode | Should -Not -Be 0 -Because "the process must die at $Point#$Hit (stderr: $($first.StdErr))"
            $firstJson | Should -Not -Exist
        }

        It 'it died mid-way: <Intents> volume(s) claimed, <GoneBefore> of the selected already removed, stage <Stage>' {
            $mid.Intents.Count | Should -Be $Intents
            @($selected | Where-Object { -not $mid.Present.Contains($_) }).Count | Should -Be $GoneBefore
            @($selected | Where-Object { $mid.Present.Contains($_) }).Count | Should -BeGreaterThan 0 -Because 'the run must not have finished'
            ($mid.Deleting -join ',') | Should -Be ($mid.Intents -join ',') -Because 'exactly the claimed volumes carry current operation DELETE'
            @(Select-BPRows $claimed -Labels $selected -Exclude) | Should -BeNullOrEmpty
            # Volumes of complete batches are completely gone.
            $done = @($selected | Where-Object { -not $mid.Present.Contains($_) })
            @($done | Where-Object { $mid.Dsm.Contains($_) -or $mid.Tmf.Contains($_) -or $mid.Files.Contains("LB$_.IND") -or $mid.Files.Contains("LB$_.DAT") }) | Should -BeNullOrEmpty
            $filesLeft = @($claimed | ForEach-Object { "LB$_.IND"; "LB$_.DAT" } | Where-Object { $mid.Files.Contains($_) }).Count
            $tapeLeft = @($claimed | Where-Object { $mid.Dsm.Contains($_) -or $mid.Tmf.Contains($_) }).Count
            # Every DS01 volume has one tapevolume (DAILY, MONTHLY) or one tmf_volume (TMFDUMPS) row.
            $withTape = @(Select-BPRows $before['tapevolume:A'] -Labels $claimed).Count + @(Select-BPRows $before['tmf_volume:A'] -Labels $claimed).Count
            $withTape | Should -Be $claimed.Count
            switch ($Stage) {
                'Claimed' { $filesLeft | Should -Be (2 * $Intents); $tapeLeft | Should -Be $withTape }
                'InsideStorage' { $filesLeft | Should -Be (2 * $Intents - 1); $tapeLeft | Should -Be $withTape }
                'StorageGone' { $filesLeft | Should -Be 0; $tapeLeft | Should -Be $withTape }
                'TapeGone' { $filesLeft | Should -Be 0; $tapeLeft | Should -Be 0 }
                'BatchDone' { $claimed | Should -BeNullOrEmpty }
            }
            @($claimed | Where-Object { -not $mid.Present.Contains($_) }) | Should -BeNullOrEmpty -Because 'the BackPak entries of claimed volumes go last'
        }
    } else {
        It 'the child was killed mid-run, or had finished before the kill (either is accepted, see the log)' {
            if ($midRun) { $first.ExitCode | Should -Not -Be 0 }
            else { ((Test-Path -LiteralPath $firstJson) -or $first.ExitCode -ne 0) | Should -BeTrue }
        }
    }

    It 'the re-run exits 0 and reports no error' {
        $rerun.ExitCode | Should -Be 0 -Because $rerun.StdErr
        $rerunResult | Should -Not -BeNullOrEmpty
        $rerunResult.Errors | Should -BeNullOrEmpty -Because (Get-VolumeErrorSummary $rerunResult)
    }

    It 'the re-run reports Removed for every selected volume it found, and Resumed for exactly those left claimed' {
        $left = @($selected | Where-Object { $mid.Present.Contains($_) } | Sort-Object)
        $removed = @($rerunResult.Results | Where-Object Status -EQ 'Removed' | ForEach-Object Label | Sort-Object)
        $d = Get-Diff $left $removed
        $d | Should -BeNullOrEmpty -Because "labels expected Removed ('-' not reported Removed, '+' unexpected):`n$($d -join "`n")`nerrors: $(Get-VolumeErrorSummary $rerunResult)"
        $resumed = @($rerunResult.Results | Where-Object Resumed | ForEach-Object Label)
        $d = Get-Diff $claimed $resumed
        $d | Should -BeNullOrEmpty -Because "the volumes left claimed must be reported Resumed ('-' claimed but not Resumed, '+' Resumed but not claimed):`n$($d -join "`n")"
        if ($claimed.Count -gt 0) { @($rerunResult.Results | Where-Object Resumed).Count | Should -BeGreaterThan 0 }
    }

    It '(a) Get-BPVolume on \A and \B gives the same as on the uninterrupted twin' {
        foreach ($k in 'volume:A', 'volume:B') {
            $d = Get-Diff $twin[$k] $after[$k]
            $d | Should -BeNullOrEmpty -Because "$k differs from the twin ('-' twin only, '+' here only):`n$($d -join "`n")"
        }
    }

    It '(a) the DSM/TC and TMF rows on \A and \B are the same as on the twin' {
        foreach ($n in 'A', 'B') {
            foreach ($tb in $script:Tables) {
                $d = Get-Diff $twin["${tb}:$n"] $after["${tb}:$n"]
                $d | Should -BeNullOrEmpty -Because "$tb on \$n differs from the twin:`n$($d -join "`n")"
            }
        }
    }

    It '(a) the files under sites/ are the same as on the twin' {
        $d = Get-Diff (Get-FilePaths $twin.files) (Get-FilePaths $after.files)
        $d | Should -BeNullOrEmpty -Because "storage differs from the twin:`n$($d -join "`n")"
    }

    It '(b) no orphan: every DS01 image on SITEA and every DSM/TC or TMF row has its BackPak volume on its node' {
        $volA = Get-Labels $after['volume:A']
        $images = @($after.files | Where-Object { $_ -like '*|sites/SITEA/storage/DS01/*' })
        $orphans = @(Select-BPRows $images -Labels $volA -Exclude)
        $orphans | Should -BeNullOrEmpty -Because "storage files without a volume: $($orphans | Select-Object -First 5)"
        foreach ($n in 'A', 'B') {
            $vols = Get-Labels $after["volume:$n"]
            foreach ($tb in $script:Tables) {
                $o = @(Select-BPRows $after["${tb}:$n"] -Labels $vols -Exclude)
                $o | Should -BeNullOrEmpty -Because "$tb rows on \$n without a volume: $($o | Select-Object -First 5)"
            }
        }
    }

    It '(b) every DS01 volume left on \A still has both storage files' {
        $paths = [System.Collections.Generic.HashSet[string]]::new([string[]](Get-FilePaths $after.files))
        $ds01 = Get-Labels ($after['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS01' })
        $broken = @($ds01 | Where-Object { -not $paths.Contains("sites/SITEA/storage/DS01/LB$_.IND") -or -not $paths.Contains("sites/SITEA/storage/DS01/LB$_.DAT") })
        $broken | Should -BeNullOrEmpty -Because "volumes whose storage is (partly) gone: $($broken | Select-Object -First 5)"
    }

    It '(b) no removal intent and no volume in current operation DELETE is left' {
        foreach ($n in 'A', 'B') {
            $after["intent:$n"] | Should -BeNullOrEmpty -Because "intents on \$n (first: $(@($after["intent:$n"])[0]))"
            $after["deleting:$n"] | Should -BeNullOrEmpty -Because "volumes in DELETE on \$n (first: $(@($after["deleting:$n"])[0]))"
        }
    }

    It '(c) DS02, DS03, the unselected DS01 volumes, and \B (catalogs and replicas) are unchanged' {
        $keys = @('volume:A') + @($script:Tables | ForEach-Object { "${_}:A" })
        foreach ($k in $keys) {
            $d = Get-Diff (Select-BPRows $before[$k] -Labels $selected -Exclude) (Select-BPRows $after[$k] -Labels $selected -Exclude)
            $d | Should -BeNullOrEmpty -Because "$k outside the selection changed:`n$($d -join "`n")"
        }
        foreach ($k in @('volume:B') + @($script:Tables | ForEach-Object { "${_}:B" })) {
            $d = Get-Diff $before[$k] $after[$k]
            $d | Should -BeNullOrEmpty -Because "$k changed:`n$($d -join "`n")"
        }
        $untouched = { param($rows)
            @($rows | Where-Object { $_ -notlike '*|sites/SITEA/storage/DS01/*' })
            Select-BPRows @($rows | Where-Object { $_ -like '*|sites/SITEA/storage/DS01/*' }) -Labels $selected -Exclude
        }
        $d = Get-Diff (& $untouched $before.files) (& $untouched $after.files)
        $d | Should -BeNullOrEmpty -Because "files outside the selection changed (path, length, hash):`n$($d -join "`n")"
    }

    It '(d) each removed volume has exactly one RemoveVolume audit row, across both runs' {
        $d = Get-Diff @($selected | ForEach-Object { "DS01/$_" }) $after['audit:A']
        $d | Should -BeNullOrEmpty -Because "audit rows ('-' missing, '+' extra or duplicate):`n$($d -join "`n")"
        $after['audit:B'] | Should -BeNullOrEmpty
    }
}

Describe 'Random kills' {
    It 'at least one of the random kills landed mid-run' {
        @($script:KillLog | Where-Object { $_ -match ': mid-run;' }).Count | Should -BeGreaterThan 0 -Because ($script:KillLog -join '; ')
    }
}

Describe 'Remove-BPDataStore -Recurse interrupted at removal.after-tape-catalog, then run again' {

    BeforeAll {
        $lab = Join-Path $TestDrive 'lab-datastore'
        # Seed 1: none of DS02's 30 volumes has a restore in flight (a LOAD would rightly refuse the removal).
        $null = New-BPLab -Path $lab -VolumeCount 300 -Seed 1
        $before = Get-BPLabState $lab
        $ds02 = @(Get-Labels ($before['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS02' }))
        $command = 'Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Force -PassThru'
        $first = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $command -ResultPath (Join-Path $TestDrive 'ds-first.json')) `
            -Environment @{ BACKPAK_LAB_CRASH_AT = 'removal.after-tape-catalog' }
        $bp = Join-Path $lab 'nodes/A/backpak.db'
        $midIntents = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT label FROM removal_intent ORDER BY label')
        $midStores = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT name FROM data_store ORDER BY name')
        $rerun = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $command -ResultPath (Join-Path $TestDrive 'ds-rerun.json'))
        $rerunResult = Read-BPRemovalChildResult (Join-Path $TestDrive 'ds-rerun.json')
        $after = Get-BPLabState $lab
        $stores = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT name FROM data_store ORDER BY name')
        $groups = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT name FROM volume_group ORDER BY name')
        $storeAudit = @(Invoke-BPSqliteQuery -Database $bp -Sql "SELECT result FROM audit WHERE action = 'RemoveDataStore' AND target = 'DS02' ORDER BY id")
    }

    It 'precondition: DS02 has volumes, none with a current operation' {
        $ds02.Count | Should -BeGreaterThan 0
        @($before['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS02' -and $_.Split('|')[11] }) | Should -BeNullOrEmpty
    }

    It 'the first run was killed with every DS02 volume claimed and DS02 still configured' {
        $first.ExitCode | Should -Not -Be 0
        $midIntents | Should -Be @($ds02 | Sort-Object)
        $midStores | Should -Contain 'DS02'
    }

    It 'the re-run completes: exit 0, DS02 reported Completed, every DS02 volume Removed and Resumed' {
        $rerun.ExitCode | Should -Be 0 -Because $rerun.StdErr
        $r = @($rerunResult.Results | Where-Object Type -EQ 'DecommissionResult')
        $r.Count | Should -Be 1
        $r[0].Completed | Should -BeTrue
        $vols = @($rerunResult.Results | Where-Object Type -EQ 'VolumeRemovalResult')
        @($vols | Where-Object { $_.Status -eq 'Removed' -and $_.Resumed } | ForEach-Object Label | Sort-Object) | Should -Be @($ds02 | Sort-Object)
        $storeAudit | Should -Be @('Started', 'Started', 'Completed')
    }

    It 'the re-run reports no error' {
        $rerunResult.Errors | Should -BeNullOrEmpty -Because (Get-VolumeErrorSummary $rerunResult)
    }

    It 'DS02, its group LOCALA and all its volumes are gone from the BackPak catalog' {
        $stores | Should -Not -Contain 'DS02'
        $groups | Should -Not -Contain 'LOCALA'
        @($after['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS02' }) | Should -BeNullOrEmpty
    }

    It 'their DSM/TC rows and storage files are gone, and the emptied DS02 folder too' {
        foreach ($tb in 'tapevolume', 'tapefile', 'diskfile') { Select-BPRows $after["${tb}:A"] -Labels $ds02 | Should -BeNullOrEmpty -Because $tb }
        @($after.files | Where-Object { $_ -like '*|sites/SITEA/storage/DS02/*' }) | Should -BeNullOrEmpty
        Join-Path $lab 'sites/SITEA/storage/DS02' | Should -Not -Exist
    }

    It 'DS01, DS03 and \B are untouched' {
        foreach ($k in @('volume:A') + @($script:Tables | ForEach-Object { "${_}:A" })) {
            $d = Get-Diff (Select-BPRows $before[$k] -Labels $ds02 -Exclude) (Select-BPRows $after[$k] -Labels $ds02 -Exclude)
            $d | Should -BeNullOrEmpty -Because "${k}:`n$($d -join "`n")"
        }
        foreach ($k in @('volume:B') + @($script:Tables | ForEach-Object { "${_}:B" })) {
            $d = Get-Diff $before[$k] $after[$k]
            $d | Should -BeNullOrEmpty -Because "${k}:`n$($d -join "`n")"
        }
        $d = Get-Diff @($before.files | Where-Object { $_ -notlike '*|sites/SITEA/storage/DS02/*' }) $after.files
        $d | Should -BeNullOrEmpty -Because ($d -join "`n")
    }

    It 'no intent or DELETE is left, and each DS02 volume has exactly one RemoveVolume audit row' {
        $after['intent:A'] | Should -BeNullOrEmpty
        $after['deleting:A'] | Should -BeNullOrEmpty
        $d = Get-Diff @($ds02 | ForEach-Object { "DS02/$_" }) $after['audit:A']
        $d | Should -BeNullOrEmpty -Because ($d -join "`n")
    }
}
