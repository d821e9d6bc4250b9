<#
    Two removals at once on one lab. Two fresh pwsh processes select overlapping sets of DS01 volumes on \A, meet
    at a barrier (each creates a "ready" file, then both wait for one "go" file), and remove their selection with
    Remove-BPVolume -IgnoreRetention -Force -PassThru, writing results and errors (with FullyQualifiedErrorId) as
    JSON. Whatever the interleaving, each volume of the union must be removed exactly once and reported Removed by
    exactly one process; the other reports it AlreadyAbsent or refuses it as VolumeBusy. Nothing else changes,
    no intent is left, the stores stay sound, and running the removals again changes nothing.
#>

BeforeDiscovery {
    $iterations = @(
        @{ Seed = 5; Count = 1300; P1 = '[0-9A-M]*'; P2 = '[D-Z]*'; Why = 'partial overlap D-M' }
        @{ Seed = 6; Count = 1300; P1 = '*'; P2 = '*'; Why = 'the same volumes (all of DS01)' }
        @{ Seed = 8; Count = 1300; P1 = '[A-T]*'; P2 = '[F-K]*'; Why = 'one selection inside the other' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Tables = 'tapevolume', 'tapefile', 'diskfile', 'tmf_volume', 'tmf_dump'
    $script:Removal = '$sel | Remove-BPVolume -IgnoreRetention -Force -PassThru'

    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    # The children import a copy of the module: a rebuild of out/ by someone else cannot break them mid-run.
    $script:ChildModule = Copy-BPTestModule (Join-Path $script:Scratch 'module')

    function Get-Labels([string[]] $Rows) { @(foreach ($r in $Rows) { $r.Substring(0, $r.IndexOf('|')) }) }
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

    function Invoke-Pair([string] $Lab, [string[]] $Patterns, [string] $Tag) {
        # Both removals, started together past the barrier; returns their exits and JSON results.
        $go = Join-Path $script:Scratch "go-$Tag"
        $children = for ($i = 0; $i -lt 2; $i++) {
            $cmd = New-BPRemovalChildCommand -Lab $Lab -Setup "`$sel = @(Get-BPVolume -DataStore DS01 -Label '$($Patterns[$i])')" -Removal $script:Removal `
                -ReadyPath (Join-Path $script:Scratch "ready-$Tag-$i") -GoPath $go -ResultPath (Join-Path $script:Scratch "result-$Tag-$i.json") -ModulePath $script:ChildModule
            Start-BPFreshPwsh -Command $cmd
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while ([DateTime]::UtcNow -lt $deadline -and
            -not ((Test-Path (Join-Path $script:Scratch "ready-$Tag-0")) -and (Test-Path (Join-Path $script:Scratch "ready-$Tag-1"))) -and
            -not ($children[0].Process.HasExited -or $children[1].Process.HasExited)) { Start-Sleep -Milliseconds 5 }
        [System.IO.File]::WriteAllText($go, 'go')
        for ($i = 0; $i -lt 2; $i++) {
            $run = Wait-BPFreshPwsh -Child $children[$i] -TimeoutSeconds 120
            [pscustomobject]@{ ExitCode = $run.ExitCode; StdErr = $run.StdErr; Result = Read-BPRemovalChildResult (Join-Path $script:Scratch "result-$Tag-$i.json") }
        }
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Remove-BPScratchFolder $script:Scratch
}

Describe "Two concurrent removals, seed <Seed>: '<P1>' and '<P2>' (<Why>)" -ForEach $iterations {

    BeforeAll {
        Disconnect-BPDomain -All
        $lab = Join-Path $script:Scratch "lab-$Seed"
        $null = New-BPLab -Path $lab -VolumeCount $Count -Seed $Seed
        $before = Get-BPLabState $lab
        $ds01 = Get-Labels (Get-StoreRows $before['volume:A'] 'DS01')
        $sel = @(, @($ds01.Where({ $_ -like $P1 })) + , @($ds01.Where({ $_ -like $P2 })))
        $union = @($ds01.Where({ $_ -like $P1 -or $_ -like $P2 }))
        $overlap = @($ds01.Where({ $_ -like $P1 -and $_ -like $P2 }))
        # The volumes as they were read before the removals, for a re-run with stale objects at the end.
        $c = Connect-BPDomain -Lab $lab -Node '\A'
        $staleVolumes = @(Get-BPVolume -Domain $c -DataStore DS01 -Label $P1, $P2)
        Disconnect-BPDomain -Domain $c

        $runs = @(Invoke-Pair -Lab $lab -Patterns $P1, $P2 -Tag "$Seed-first")
        $after = Get-BPLabState $lab
        $integrity = @(Get-BPLabIntegrity $lab)

        $reruns = @(Invoke-Pair -Lab $lab -Patterns $P1, $P2 -Tag "$Seed-again")
        $afterRerun = Get-BPLabState $lab

        $c = Connect-BPDomain -Lab $lab -Node '\A'
        $stale = Invoke-BPCaptured { $staleVolumes | Remove-BPVolume -IgnoreRetention -Force -PassThru }
        Disconnect-BPDomain -Domain $c
        $afterStale = Get-BPLabState $lab

        # Who removed what, for the log and the assertions.
        $removedBy = @(0, 1 | ForEach-Object { , @($runs[$_].Result.Results | Where-Object Status -EQ 'Removed' | ForEach-Object Label) })
        $busy = @(0, 1 | ForEach-Object { , @($runs[$_].Result.Errors | Where-Object Fqid -Like 'VolumeBusy,*' | ForEach-Object Target) })
        $absent = @(0, 1 | ForEach-Object { , @($runs[$_].Result.Results | Where-Object Status -EQ 'AlreadyAbsent' | ForEach-Object Label) })
        Write-Host ("    seed ${Seed}: selections $($sel[0].Count) and $($sel[1].Count), overlap $($overlap.Count); " +
            "removed $($removedBy[0].Count) / $($removedBy[1].Count), already absent $($absent[0].Count) / $($absent[1].Count), " +
            "VolumeBusy $($busy[0].Count) / $($busy[1].Count); removal took $($runs[0].Result.ElapsedMs) / $($runs[1].Result.ElapsedMs) ms")
    }

    AfterAll {
        Remove-BPScratchFolder $lab
    }

    It 'the selections overlap and the first spans more than one batch' {
        $overlap.Count | Should -BeGreaterThan 0
        $sel[0].Count | Should -BeGreaterThan 500
        $sel[1].Count | Should -BeGreaterThan 0
    }

    It 'both processes ran to the end (exit 0, results written)' {
        foreach ($r in $runs) {
            $r.ExitCode | Should -Be 0 -Because $r.StdErr
            $r.Result | Should -Not -BeNullOrEmpty
        }
    }

    It 'each volume of the union has exactly one RemoveVolume audit row, and there is no other' {
        Assert-Same @($union | ForEach-Object { "DS01/$_" }) $after['audit:A'] 'RemoveVolume audit rows'
    }

    It 'each volume of the union is reported Removed by exactly one process, and only by one that selected it' {
        Assert-Same $union @($removedBy[0] + $removedBy[1]) "Removed reports ('-' by none, '+' by both or outside the union)"
        Assert-None (Select-BPRows $removedBy[0] -Labels $sel[0] -Exclude) 'process 0 removed volumes it did not select'
        Assert-None (Select-BPRows $removedBy[1] -Labels $sel[1] -Exclude) 'process 1 removed volumes it did not select'
    }

    It 'for a volume of the overlap, the other process reports AlreadyAbsent or a VolumeBusy error' {
        $sets = foreach ($list in @($removedBy[0], $removedBy[1], $absent[0], $absent[1], $busy[0], $busy[1])) {
            , [System.Collections.Generic.HashSet[string]]::new([string[]]@($list), [StringComparer]::Ordinal)
        }
        $bad = foreach ($l in $overlap) {
            $winner = if ($sets[0].Contains($l)) { 0 } elseif ($sets[1].Contains($l)) { 1 } else { -1 }
            if ($winner -lt 0) { "$l (removed by neither)"; continue }
            $other = 1 - $winner
            if (-not $sets[2 + $other].Contains($l) -and -not $sets[4 + $other].Contains($l)) { "$l (process $other reported neither)" }
        }
        Assert-None $bad 'overlap volumes without an AlreadyAbsent or VolumeBusy report from the other process'
    }

    It 'no process reports any other error, and a Refused result only with its VolumeBusy error on the overlap' {
        for ($i = 0; $i -lt 2; $i++) {
            $errors = @($runs[$i].Result.Errors)
            Assert-None @($errors.Where({ $_.Fqid -notlike 'VolumeBusy,*' }) | ForEach-Object { "$($_.Fqid) $($_.Target): $($_.Message)" }) "process $i errors other than VolumeBusy"
            Assert-None (Select-BPRows @($busy[$i]) -Labels $overlap -Exclude) "process $i VolumeBusy outside the overlap"
            $refused = Get-ResultLabels $runs[$i].Result.Results { param($r) $r.Status -eq 'Refused' }
            Assert-None (Select-BPRows $refused -Labels $busy[$i] -Exclude) "process $i Refused results without a VolumeBusy error"
            Assert-None @($runs[$i].Result.Results.Where({ $_.Status -notin 'Removed', 'AlreadyAbsent', 'Refused' }) | ForEach-Object { "$($_.Label) $($_.Status)" }) "process $i other results"
        }
    }

    It 'the union is gone from the BackPak catalog, DSM/TC, TMF and storage on \A' {
        Assert-None (Select-BPRows $after['volume:A'] -Labels $union) 'volumes of the union left'
        foreach ($tb in $script:Tables) { Assert-None (Select-BPRows $after["${tb}:A"] -Labels $union) "$tb rows of the union left" }
        Assert-None (Select-BPRows (Get-ImageRows $after.files 'sites/SITEA/storage/DS01') -Labels $union) 'storage files of the union left'
    }

    It 'everything outside the union is untouched, \B included' {
        foreach ($k in @('volume:A') + @($script:Tables | ForEach-Object { "${_}:A" })) {
            Assert-Same (Select-BPRows $before[$k] -Labels $union -Exclude) (Select-BPRows $after[$k] -Labels $union -Exclude) "$k outside the union"
        }
        foreach ($k in @('volume:B') + @($script:Tables | ForEach-Object { "${_}:B" })) { Assert-Same $before[$k] $after[$k] $k }
        $folder = 'sites/SITEA/storage/DS01'
        Assert-Same (Get-OtherRows $before.files $folder) (Get-OtherRows $after.files $folder) 'files outside SITEA DS01 (path, length, hash)'
        Assert-Same (Select-BPRows (Get-ImageRows $before.files $folder) -Labels $union -Exclude) (Select-BPRows (Get-ImageRows $after.files $folder) -Labels $union -Exclude) 'images of DS01 volumes outside the union'
    }

    It 'no removal intent and no volume in current operation DELETE is left' {
        foreach ($n in 'A', 'B') {
            Assert-None $after["intent:$n"] "intents on \$n"
            Assert-None $after["deleting:$n"] "volumes in DELETE on \$n"
        }
    }

    It 'every SQLite store of the lab passes PRAGMA integrity_check' {
        $integrity.Count | Should -BeGreaterOrEqual 9
        Assert-None $integrity.Where({ $_ -notmatch ': ok$' }) 'stores failing integrity_check'
    }

    It 'running both commands again (together) changes nothing and reports no error' {
        foreach ($r in $reruns) {
            $r.ExitCode | Should -Be 0 -Because $r.StdErr
            Assert-None @($r.Result.Errors | ForEach-Object { "$($_.Fqid) $($_.Target)" }) 'errors of the re-run'
            Assert-None @($r.Result.Results.Where({ $_.Status -ne 'AlreadyAbsent' }) | ForEach-Object { "$($_.Label) $($_.Status)" }) 're-run results other than AlreadyAbsent'
        }
        foreach ($k in $after.Keys) { Assert-Same $after[$k] $afterRerun[$k] "$k after the re-run" }
    }

    It 'piping the volumes read before the removals to Remove-BPVolume again reports them all AlreadyAbsent, with no error, and changes nothing' {
        Assert-None @($stale.All | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.TargetObject)" }) 'errors'
        Assert-Same $union (Get-ResultLabels $stale.Output { $true }) 'volumes reported'
        Assert-None @($stale.Output.Where({ "$($_.Status)" -ne 'AlreadyAbsent' }) | ForEach-Object { "$($_.Label) $($_.Status)" }) 'results other than AlreadyAbsent'
        foreach ($k in $after.Keys) { Assert-Same $after[$k] $afterStale[$k] "$k after the stale re-run" }
    }
}
