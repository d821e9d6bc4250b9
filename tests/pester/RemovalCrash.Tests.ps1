<#
    Crash safety of volume removal. A removal killed anywhere (at each injected crash point, or by SIGKILL at a
    random time) and then run again must end exactly where the same removal run without interruption ends, with
    no orphan, nothing else touched, one audit record per removed volume, and the finished removals reported
    Resumed.

    Every scenario works on a copy of one lab per seed (byte-identical to a lab made with that seed; 'cp -a' keeps
    the replicas hard-linked) so that the uninterrupted "twin" is run once per seed. Each removal runs in a fresh
    pwsh, importing a copy of the module taken at the start. The labs live in a scratch folder on a RAM disk when
    there is one (see New-BPScratchFolder). The command is the same in every run of a scenario:
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

    # SIGKILL at random times: the delay after the first claim is a fixed-seed fraction (5% to 80%) of the time the
    # twin spent in its batches (watching the journal slows the twin a little, so the real batches end earlier).
    $rng = [System.Random]::new(7)
    $killCases = 1..5 | ForEach-Object {
        $f = [math]::Round(0.05 + 0.75 * $rng.NextDouble(), 2)
        @{ Kind = 'Kill'; Template = 'kill'; Iteration = $_; Fraction = $f; Name = "SIGKILL at a random time (#$_, $([int]($f * 100))% into the batches)" }
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

    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    # The children import a copy of the module: a rebuild of out/ by someone else cannot break them mid-run.
    $script:ChildModule = Copy-BPTestModule (Join-Path $script:Scratch 'module')

    function Get-Labels([string[]] $Rows) { @(foreach ($r in $Rows) { $r.Substring(0, $r.IndexOf('|')) }) }
    function Get-FilePaths([string[]] $Rows) { @(foreach ($r in $Rows) { $r.Split('|')[1] }) }
    function Get-StoreRows([string[]] $Rows, [string] $Store) { @($Rows).Where({ $_.Split('|')[1] -eq $Store }) }
    function Get-ImageRows([string[]] $Rows, [string] $Folder) { @($Rows).Where({ $_.Contains("|$Folder/") }) }
    function Get-OtherRows([string[]] $Rows, [string] $Folder) { @($Rows).Where({ -not $_.Contains("|$Folder/") }) }
    function Get-ResultLabels($Results, [scriptblock] $Where) { @(foreach ($r in $Results) { if (& $Where $r) { $r.Label } }) }
    function Assert-Same($Expected, $Actual, [string] $What) {
        # Same strings (as multisets); on failure, the first differences.
        $d = @(Compare-BPStringSet -Reference $Expected -Difference $Actual)
        $d.Count | Should -Be 0 -Because "$What ('-' expected only, '+' found only):`n$($d -join "`n")`n"
    }
    function Assert-None($Items, [string] $What) {
        $all = @(foreach ($i in $Items) { if ($null -ne $i) { $i } })
        $all.Count | Should -Be 0 -Because "$What, e.g. $(@($all | Select-Object -First 5) -join ', ')"
    }
    $script:Tables = 'tapevolume', 'tapefile', 'diskfile', 'tmf_volume', 'tmf_dump'

    function New-Template([string] $Name, [int] $Count, [int] $Seed) {
        # A lab of this seed that nothing opens, its picture, and the twin: a copy on which the same removal ran
        # once without interruption.
        $path = Join-Path $script:Scratch "template-$Name"
        $null = New-BPLab -Path $path -VolumeCount $Count -Seed $Seed
        $twin = Join-Path $script:Scratch "twin-$Name"
        Copy-BPLab $path $twin
        $before = Get-BPLabState $twin
        $json = Join-Path $script:Scratch "twin-$Name.json"
        # While the twin runs, watch its intent journal (lightly): from when to when volumes are claimed, in ms
        # after the child is ready. The random kills fall in a window as long as that.
        $ready = Join-Path $script:Scratch "twin-$Name.ready"
        $child = Start-BPFreshPwsh -Command (New-BPRemovalChildCommand -Lab $twin -Removal $script:Removal -ResultPath $json -ReadyPath $ready -ModulePath $script:ChildModule)
        while (-not (Test-Path -LiteralPath $ready) -and -not $child.Process.HasExited) { Start-Sleep -Milliseconds 2 }
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $window = [pscustomobject]@{ First = -1; Last = -1 }
        $db = Join-Path $twin 'nodes/A/backpak.db'
        while (-not $child.Process.HasExited) {
            $n = try { [int]@(Invoke-BPSqliteQuery -Database $db -Sql 'SELECT count(*) FROM removal_intent')[0] } catch { 0 }
            if ($n -gt 0) { if ($window.First -lt 0) { $window.First = $sw.ElapsedMilliseconds }; $window.Last = $sw.ElapsedMilliseconds }
            Start-Sleep -Milliseconds 10
        }
        $run = Wait-BPFreshPwsh -Child $child
        if ($run.ExitCode -ne 0) { throw "The uninterrupted twin run failed ($($run.ExitCode)): $($run.StdErr)" }
        $twinState = Get-BPLabState $twin
        Remove-BPScratchFolder $twin
        [pscustomobject]@{
            Path = $path; Count = $Count; Seed = $Seed; Before = $before; Twin = $twinState; TwinResult = Read-BPRemovalChildResult $json; Window = $window
            Selected = @((Get-Labels (Get-StoreRows $before['volume:A'] 'DS01')).Where({ $_ -like $script:Pattern }))
        }
    }

    function Get-MidState([string] $Lab) {
        # What the killed run left, read before the re-run: its intents, which DS01 volumes are still in the BackPak
        # catalog, and the storage files and tape catalog rows still there.
        $node = Join-Path $Lab 'nodes/A'
        $bp = Join-Path $node 'backpak.db'
        $set = { param($rows) , [System.Collections.Generic.HashSet[string]]::new([string[]]@($rows), [System.StringComparer]::Ordinal) }
        [pscustomobject]@{
            Intents  = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT label FROM removal_intent ORDER BY label')
            Deleting = @(Invoke-BPSqliteQuery -Database $bp -Sql "SELECT label FROM volume WHERE current_operation = 'DELETE' ORDER BY label")
            Present  = & $set @(Invoke-BPSqliteQuery -Database $bp -Sql "SELECT label FROM volume WHERE data_store = 'DS01'")
            Dsm      = & $set @(Invoke-BPSqliteQuery -Database (Join-Path $node 'dsmtc.db') -Sql 'SELECT label FROM tapevolume UNION SELECT label FROM tapefile UNION SELECT label FROM diskfile')
            Tmf      = & $set @(Invoke-BPSqliteQuery -Database (Join-Path $node 'tmf.db') -Sql 'SELECT label FROM tmf_volume UNION SELECT label FROM tmf_dump')
            Files    = & $set @(foreach ($f in [System.IO.Directory]::EnumerateFiles((Join-Path $Lab 'sites/SITEA/storage/DS01'))) { [System.IO.Path]::GetFileName($f) })
        }
    }

    function Get-ErrorSummary($Result) {
        if (-not $Result) { return 'no result file' }
        if (-not $Result.Errors.Count) { return 'no error' }
        (@($Result.Errors | Group-Object Fqid | ForEach-Object { "$($_.Count) x $($_.Name) (e.g. $($_.Group[0].Target): $($_.Group[0].Message))" }) -join '; ')
    }

    $script:Templates = @{
        crash = New-Template -Name crash -Count 1700 -Seed 11
        kill  = New-Template -Name kill -Count 3000 -Seed 29
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Remove-BPScratchFolder $script:Scratch
    if ($script:KillLog -and $script:KillLog.Count) { Write-Host ("Random kills:`n  " + ($script:KillLog -join "`n  ")) }
}

Describe 'Test setup' {
    It 'the <_> lab selects volumes for 3+ batches, and its uninterrupted twin removed exactly them without error' -ForEach 'crash', 'kill' {
        $t = $script:Templates[$_]
        $t.Selected.Count | Should -BeGreaterThan 1000
        $t.TwinResult.Errors.Count | Should -Be 0
        Assert-Same $t.Selected (Get-ResultLabels $t.TwinResult.Results { param($r) $r.Status -eq 'Removed' }) 'twin results'
        Assert-None (Select-BPRows $t.Twin['volume:A'] -Labels $t.Selected) 'selected volumes left on the twin'
        Assert-None $t.Twin['intent:A'] 'intents left on the twin'
    }

    It 'a pristine lab has no orphan, and every DS01 volume has its two images (so the checks below mean something)' {
        $s = $script:Templates.crash.Before
        foreach ($n in 'A', 'B') {
            $vols = Get-Labels $s["volume:$n"]
            foreach ($tb in $script:Tables) { Assert-None (Select-BPRows $s["${tb}:$n"] -Labels $vols -Exclude) "$tb rows without a volume on \$n" }
        }
        (Get-ImageRows $s.files 'sites/SITEA/storage/DS01').Count | Should -Be (2 * (Get-StoreRows $s['volume:A'] 'DS01').Count)
    }
}

Describe 'Removal of DS01 volumes interrupted by <Name>' -ForEach $scenarios {

    BeforeAll {
        $t = $script:Templates[$Template]
        $id = if ($Kind -eq 'Point') { "$($Point.Replace('removal.', ''))-$Hit" } else { "kill-$Iteration" }
        $lab = Join-Path $script:Scratch "lab-$id"
        Copy-BPLab $t.Path $lab
        $firstJson = Join-Path $script:Scratch "first-$id.json"
        $rerunJson = Join-Path $script:Scratch "rerun-$id.json"

        if ($Kind -eq 'Point') {
            $first = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $script:Removal -ResultPath $firstJson -ModulePath $script:ChildModule) `
                -Environment @{ BACKPAK_LAB_CRASH_AT = "$Point#$Hit" }
        } else {
            # Start; wait until the child has claimed its first batch; wait a fixed-seed random part of the time the
            # twin spent in its batches; SIGKILL (Stop-Process -Force).
            $ready = Join-Path $script:Scratch "ready-$id"
            $child = Start-BPFreshPwsh -Command (New-BPRemovalChildCommand -Lab $lab -Removal $script:Removal -ResultPath $firstJson -ReadyPath $ready -ModulePath $script:ChildModule)
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Test-Path -LiteralPath $ready) -and -not $child.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
            $db = Join-Path $lab 'nodes/A/backpak.db'
            while (-not $child.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                $n = try { [int]@(Invoke-BPSqliteQuery -Database $db -Sql 'SELECT count(*) FROM removal_intent')[0] } catch { 0 }
                if ($n -gt 0) { break }
                Start-Sleep -Milliseconds 5
            }
            $w = $t.Window
            $delay = [int]($Fraction * [math]::Max(100, $w.Last - $w.First))
            Start-Sleep -Milliseconds $delay
            $exitedBeforeKill = $child.Process.HasExited
            if (-not $exitedBeforeKill) { Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue }
            $first = Wait-BPFreshPwsh -Child $child -TimeoutSeconds 60
            $midRun = -not $exitedBeforeKill -and -not (Test-Path -LiteralPath $firstJson)
            $how = if ($midRun) { 'mid-run' } elseif ($exitedBeforeKill) { 'after the child had finished' } else { 'after the removal, while the child exited' }
        }
        $mid = Get-MidState $lab
        if ($Kind -eq 'Kill') {
            $gone = $t.Selected.Where({ -not $mid.Present.Contains($_) }).Count
            $script:KillLog.Add("#${Iteration}: killed $delay ms after the first claim (the twin spent $($w.Last - $w.First) ms in its batches): " +
                "$how; $($mid.Intents.Count) volume(s) left claimed, $gone of $($t.Selected.Count) removed; exit $($first.ExitCode)$(if ($first.StdErr) { "; stderr: $($first.StdErr.Trim())" })")
            Write-Host "    $($script:KillLog[-1])"
        }

        $rerun = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $script:Removal -ResultPath $rerunJson -ModulePath $script:ChildModule)
        $rerunResult = Read-BPRemovalChildResult $rerunJson
        $after = Get-BPLabState $lab
        $before = $t.Before
        $twin = $t.Twin
        $selected = $t.Selected
        $claimed = $mid.Intents
    }

    AfterAll {
        Remove-BPScratchFolder $lab
    }

    if ($Kind -eq 'Point') {
        It 'the first run was killed at the crash point (non-zero exit, no result written)' {
            $first.ExitCode | Should -Not -Be 0 -Because "the process must die at $Point#$Hit (stderr: $($first.StdErr))"
            $firstJson | Should -Not -Exist
        }

        It 'it died mid-way: <Intents> volume(s) claimed, <GoneBefore> of the selected already removed, stage <Stage>' {
            $claimed.Count | Should -Be $Intents -Because "the killed run's stderr: $($first.StdErr)"
            $selected.Where({ -not $mid.Present.Contains($_) }).Count | Should -Be $GoneBefore
            $selected.Where({ $mid.Present.Contains($_) }).Count | Should -BeGreaterThan 0 -Because 'the run must not have finished'
            ($mid.Deleting -join ',') | Should -Be ($claimed -join ',') -Because 'exactly the claimed volumes carry current operation DELETE'
            Assert-None (Select-BPRows $claimed -Labels $selected -Exclude) 'claimed volumes outside the selection'
            Assert-None $claimed.Where({ -not $mid.Present.Contains($_) }) 'claimed volumes already out of the BackPak catalog (it goes last)'
            # Volumes of the complete batches are completely gone.
            $done = $selected.Where({ -not $mid.Present.Contains($_) })
            Assert-None $done.Where({ $mid.Dsm.Contains($_) -or $mid.Tmf.Contains($_) -or $mid.Files.Contains("LB$_.IND") -or $mid.Files.Contains("LB$_.DAT") }) 'removed volumes with storage or tape catalog rows left'
            # Where the claimed batch stopped. Each DS01 volume has one tapevolume (DAILY, MONTHLY) or tmf_volume (TMFDUMPS) row.
            (Select-BPRows $before['tapevolume:A'] -Labels $claimed).Count + (Select-BPRows $before['tmf_volume:A'] -Labels $claimed).Count | Should -Be $claimed.Count
            $filesLeft = $claimed.Where({ $mid.Files.Contains("LB$_.IND") }).Count + $claimed.Where({ $mid.Files.Contains("LB$_.DAT") }).Count
            $tapeLeft = $claimed.Where({ $mid.Dsm.Contains($_) -or $mid.Tmf.Contains($_) }).Count
            switch ($Stage) {
                'Claimed' { $filesLeft | Should -Be (2 * $Intents); $tapeLeft | Should -Be $Intents }
                'InsideStorage' { $filesLeft | Should -Be (2 * $Intents - 1); $tapeLeft | Should -Be $Intents }
                'StorageGone' { $filesLeft | Should -Be 0; $tapeLeft | Should -Be $Intents }
                'TapeGone' { $filesLeft | Should -Be 0; $tapeLeft | Should -Be 0 }
                'BatchDone' { $claimed.Count | Should -Be 0 }
            }
        }
    } else {
        It 'the child was killed mid-run, or had finished before the kill (either is accepted; see the log)' {
            if ($midRun) { $first.ExitCode | Should -Not -Be 0 }
            else { ((Test-Path -LiteralPath $firstJson) -or $first.ExitCode -ne 0) | Should -BeTrue }
        }
    }

    It 'the re-run exits 0 and reports no error' {
        $rerun.ExitCode | Should -Be 0 -Because $rerun.StdErr
        $rerunResult | Should -Not -BeNullOrEmpty
        $rerunResult.Errors.Count | Should -Be 0 -Because (Get-ErrorSummary $rerunResult)
    }

    It 'the re-run reports Removed for every selected volume it found, and Resumed for exactly those left claimed' {
        Assert-Same $selected.Where({ $mid.Present.Contains($_) }) (Get-ResultLabels $rerunResult.Results { param($r) $r.Status -eq 'Removed' }) "volumes reported Removed by the re-run (its errors: $(Get-ErrorSummary $rerunResult))"
        Assert-Same $claimed (Get-ResultLabels $rerunResult.Results { param($r) $r.Resumed }) 'volumes reported Resumed (expected: those left claimed)'
        if ($claimed.Count -gt 0) { (Get-ResultLabels $rerunResult.Results { param($r) $r.Resumed }).Count | Should -BeGreaterThan 0 }
    }

    It '(a) Get-BPVolume on \A and \B gives the same as on the uninterrupted twin' {
        Assert-Same $twin['volume:A'] $after['volume:A'] 'volumes on \A, against the twin'
        Assert-Same $twin['volume:B'] $after['volume:B'] 'volumes on \B, against the twin'
    }

    It '(a) the DSM/TC and TMF rows on \A and \B are the same as on the twin' {
        foreach ($n in 'A', 'B') {
            foreach ($tb in $script:Tables) { Assert-Same $twin["${tb}:$n"] $after["${tb}:$n"] "$tb on \$n, against the twin" }
        }
    }

    It '(a) the files under sites/ are the same as on the twin' {
        Assert-Same (Get-FilePaths $twin.files) (Get-FilePaths $after.files) 'files under sites/, against the twin'
    }

    It '(b) no orphan: every DS01 image on SITEA and every DSM/TC or TMF row has its BackPak volume on its node' {
        Assert-None (Select-BPRows (Get-ImageRows $after.files 'sites/SITEA/storage/DS01') -Labels (Get-Labels $after['volume:A']) -Exclude) 'storage files without a volume'
        foreach ($n in 'A', 'B') {
            $vols = Get-Labels $after["volume:$n"]
            foreach ($tb in $script:Tables) { Assert-None (Select-BPRows $after["${tb}:$n"] -Labels $vols -Exclude) "$tb rows without a volume on \$n" }
        }
    }

    It '(b) every DS01 volume left on \A still has both storage files' {
        $paths = [System.Collections.Generic.HashSet[string]]::new([string[]](Get-FilePaths $after.files))
        $ds01 = Get-Labels (Get-StoreRows $after['volume:A'] 'DS01')
        Assert-None $ds01.Where({ -not $paths.Contains("sites/SITEA/storage/DS01/LB$_.IND") -or -not $paths.Contains("sites/SITEA/storage/DS01/LB$_.DAT") }) 'DS01 volumes whose storage is (partly) gone'
    }

    It '(b) no removal intent and no volume in current operation DELETE is left' {
        foreach ($n in 'A', 'B') {
            Assert-None $after["intent:$n"] "intents left on \$n"
            Assert-None $after["deleting:$n"] "volumes in DELETE on \$n"
        }
    }

    It '(c) DS02, DS03, the unselected DS01 volumes, and \B (catalogs and replicas) are unchanged' {
        foreach ($k in @('volume:A') + @($script:Tables | ForEach-Object { "${_}:A" })) {
            Assert-Same (Select-BPRows $before[$k] -Labels $selected -Exclude) (Select-BPRows $after[$k] -Labels $selected -Exclude) "$k outside the selection"
        }
        foreach ($k in @('volume:B') + @($script:Tables | ForEach-Object { "${_}:B" })) { Assert-Same $before[$k] $after[$k] $k }
        $folder = 'sites/SITEA/storage/DS01'
        Assert-Same (Get-OtherRows $before.files $folder) (Get-OtherRows $after.files $folder) 'files (path, length, hash) outside SITEA DS01, SITEB replicas included'
        Assert-Same (Select-BPRows (Get-ImageRows $before.files $folder) -Labels $selected -Exclude) (Select-BPRows (Get-ImageRows $after.files $folder) -Labels $selected -Exclude) 'images of the unselected DS01 volumes'
    }

    It '(d) each removed volume has exactly one RemoveVolume audit row, across both runs' {
        Assert-Same @($selected | ForEach-Object { "DS01/$_" }) $after['audit:A'] 'RemoveVolume audit rows on \A'
        Assert-None $after['audit:B'] 'RemoveVolume audit rows on \B'
    }
}

Describe 'Random kills' {
    It 'at least one of the random kills landed mid-run' {
        @($script:KillLog | Where-Object { $_ -match ': mid-run;' }).Count | Should -BeGreaterThan 0 -Because ($script:KillLog -join '; ')
    }
}

Describe 'Remove-BPDataStore -Recurse interrupted at removal.after-tape-catalog, then run again' {

    BeforeAll {
        $lab = Join-Path $script:Scratch 'lab-datastore'
        # Seed 1: none of DS02's 30 volumes has a restore in flight (a LOAD would rightly refuse the removal).
        $null = New-BPLab -Path $lab -VolumeCount 300 -Seed 1
        $before = Get-BPLabState $lab
        $ds02 = Get-Labels (Get-StoreRows $before['volume:A'] 'DS02')
        $command = 'Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Force -PassThru'
        $first = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $command -ResultPath (Join-Path $script:Scratch 'ds-first.json') -ModulePath $script:ChildModule) `
            -Environment @{ BACKPAK_LAB_CRASH_AT = 'removal.after-tape-catalog' }
        $bp = Join-Path $lab 'nodes/A/backpak.db'
        $midIntents = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT label FROM removal_intent')
        $midStores = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT name FROM data_store ORDER BY name')
        $rerun = Invoke-BPFreshPwshEnv -Command (New-BPRemovalChildCommand -Lab $lab -Removal $command -ResultPath (Join-Path $script:Scratch 'ds-rerun.json') -ModulePath $script:ChildModule)
        $rerunResult = Read-BPRemovalChildResult (Join-Path $script:Scratch 'ds-rerun.json')
        $after = Get-BPLabState $lab
        $stores = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT name FROM data_store ORDER BY name')
        $groups = @(Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT name FROM volume_group ORDER BY name')
        $storeAudit = @(Invoke-BPSqliteQuery -Database $bp -Sql "SELECT kind || ':' || result FROM audit WHERE action = 'Remove-BPDataStore' AND target = 'DS02' ORDER BY id")
    }

    AfterAll {
        Remove-BPScratchFolder $lab
    }

    It 'precondition: DS02 has volumes, none with a current operation' {
        $ds02.Count | Should -BeGreaterThan 0
        Assert-None (Get-StoreRows $before['volume:A'] 'DS02').Where({ $_.Split('|')[11] }) 'busy DS02 volumes'
    }

    It 'the first run was killed with every DS02 volume claimed and DS02 still configured' {
        $first.ExitCode | Should -Not -Be 0
        Assert-Same $ds02 $midIntents 'intents left by the killed run'
        $midStores | Should -Contain 'DS02'
    }

    It 'the re-run completes: exit 0, DS02 reported Completed, every DS02 volume Removed and Resumed' {
        $rerun.ExitCode | Should -Be 0 -Because $rerun.StdErr
        $r = @($rerunResult.Results.Where({ $_.Type -eq 'DecommissionResult' }))
        $r.Count | Should -Be 1
        $r[0].Completed | Should -BeTrue
        Assert-Same $ds02 (Get-ResultLabels $rerunResult.Results { param($r) $r.Type -eq 'VolumeRemovalResult' -and $r.Status -eq 'Removed' -and $r.Resumed }) 'volumes reported Removed and Resumed'
        # The killed process recorded its start (if it wrote anything before it was killed), never its end; the re-run,
        # which continued the same decommission run, recorded its own start, the store's removal and its end.
        ($storeAudit -join ',') | Should -Match '^(Start:Started,){1,2}Change:Removed,End:Succeeded$'
    }

    It 'the re-run reports no error' {
        $rerunResult.Errors.Count | Should -Be 0 -Because (Get-ErrorSummary $rerunResult)
    }

    It 'DS02, its group LOCALA and all its volumes are gone from the BackPak catalog' {
        $stores | Should -Not -Contain 'DS02'
        $groups | Should -Not -Contain 'LOCALA'
        Assert-None (Get-StoreRows $after['volume:A'] 'DS02') 'DS02 volumes left'
    }

    It 'their DSM/TC rows and storage files are gone, and the emptied DS02 folder too' {
        foreach ($tb in 'tapevolume', 'tapefile', 'diskfile') { Assert-None (Select-BPRows $after["${tb}:A"] -Labels $ds02) "$tb rows of DS02 volumes" }
        Assert-None (Get-ImageRows $after.files 'sites/SITEA/storage/DS02') 'DS02 storage files'
        Join-Path $lab 'sites/SITEA/storage/DS02' | Should -Not -Exist
    }

    It 'DS01, DS03 and \B are untouched' {
        foreach ($k in @('volume:A') + @($script:Tables | ForEach-Object { "${_}:A" })) {
            Assert-Same (Select-BPRows $before[$k] -Labels $ds02 -Exclude) (Select-BPRows $after[$k] -Labels $ds02 -Exclude) "$k outside DS02"
        }
        foreach ($k in @('volume:B') + @($script:Tables | ForEach-Object { "${_}:B" })) { Assert-Same $before[$k] $after[$k] $k }
        Assert-Same (Get-OtherRows $before.files 'sites/SITEA/storage/DS02') $after.files 'files outside DS02 (path, length, hash)'
    }

    It 'no intent or DELETE is left, and each DS02 volume has exactly one RemoveVolume audit row' {
        Assert-None $after['intent:A'] 'intents left'
        Assert-None $after['deleting:A'] 'volumes in DELETE'
        Assert-Same @($ds02 | ForEach-Object { "DS02/$_" }) $after['audit:A'] 'RemoveVolume audit rows'
    }
}
