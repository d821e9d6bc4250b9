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
        @{ Seed = 8; Count = 1300; P1 = '[A-R]*'; P2 = '[F-K]*'; Why = 'one selection inside the other' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Tables = 'tapevolume', 'tapefile', 'diskfile', 'tmf_volume', 'tmf_dump'
    $script:Removal = '$sel | Remove-BPVolume -IgnoreRetention -Force -PassThru'

    function Get-Labels([string[]] $Rows) { @(foreach ($r in $Rows) { $r.Substring(0, $r.IndexOf('|')) }) }
    function Get-Diff($Reference, $Difference) { @(Compare-BPStringSet -Reference $Reference -Difference $Difference) }

    function Invoke-Pair([string] $Lab, [string[]] $Patterns, [string] $Tag) {
        # Both removals, started together past the barrier; returns their exits and JSON results.
        $go = Join-Path $TestDrive "go-$Tag"
        $children = for ($i = 0; $i -lt 2; $i++) {
            $cmd = New-BPRemovalChildCommand -Lab $Lab -Setup "`$sel = @(Get-BPVolume -DataStore DS01 -Label '$($Patterns[$i])')" -Removal $script:Removal `
                -ReadyPath (Join-Path $TestDrive "ready-$Tag-$i") -GoPath $go -ResultPath (Join-Path $TestDrive "result-$Tag-$i.json")
            Start-BPFreshPwsh -Command $cmd
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while ([DateTime]::UtcNow -lt $deadline -and
            -not ((Test-Path (Join-Path $TestDrive "ready-$Tag-0")) -and (Test-Path (Join-Path $TestDrive "ready-$Tag-1"))) -and
            -not ($children[0].Process.HasExited -or $children[1].Process.HasExited)) { Start-Sleep -Milliseconds 5 }
        [System.IO.File]::WriteAllText($go, 'go')
        for ($i = 0; $i -lt 2; $i++) {
            $run = Wait-BPFreshPwsh -Child $children[$i] -TimeoutSeconds 120
            [pscustomobject]@{ ExitCode = $run.ExitCode; StdErr = $run.StdErr; Result = Read-BPRemovalChildResult (Join-Path $TestDrive "result-$Tag-$i.json") }
        }
    }
}

AfterAll {
    Disconnect-BPDomain -All
}

Describe "Two concurrent removals, seed <Seed>: '<P1>' and '<P2>' (<Why>)" -ForEach $iterations {

    BeforeAll {
        Disconnect-BPDomain -All
        $lab = Join-Path $TestDrive "lab-$Seed"
        $null = New-BPLab -Path $lab -VolumeCount $Count -Seed $Seed
        $before = Get-BPLabState $lab
        $ds01 = @(Get-Labels ($before['volume:A'] | Where-Object { $_.Split('|')[1] -eq 'DS01' }))
        $sel = @(@($ds01 | Where-Object { $_ -like $P1 }), @($ds01 | Where-Object { $_ -like $P2 }))
        $union = @($sel[0] + $sel[1] | Sort-Object -Unique)
        $overlap = @($sel[0] | Where-Object { $_ -in $sel[1] })
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

    It 'the selections overlap and each spans more than one batch' {
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
        $d = Get-Diff @($union | ForEach-Object { "DS01/$_" }) $after['audit:A']
        $d | Should -BeNullOrEmpty -Because "audit ('-' missing, '+' extra or duplicate):`n$($d -join "`n")"
    }

    It 'each volume of the union is reported Removed by exactly one process' {
        $d = Get-Diff $union @($removedBy[0] + $removedBy[1])
        $d | Should -BeNullOrEmpty -Because "Removed reports ('-' by none, '+' twice or outside the union):`n$($d -join "`n")"
        @($removedBy[0] | Where-Object { $_ -notin $sel[0] }) | Should -BeNullOrEmpty
        @($removedBy[1] | Where-Object { $_ -notin $sel[1] }) | Should -BeNullOrEmpty
    }

    It 'for a volume of the overlap, the other process reports AlreadyAbsent or a VolumeBusy error' {
        $bad = foreach ($l in $overlap) {
            $winner = if ($l -in $removedBy[0]) { 0 } elseif ($l -in $removedBy[1]) { 1 } else { -1 }
            if ($winner -lt 0) { "$l removed by neither"; continue }
            $other = 1 - $winner
            if ($l -notin $absent[$other] -and $l -notin $busy[$other]) { "$l : process $other reported neither AlreadyAbsent nor VolumeBusy" }
        }
        @($bad) | Should -BeNullOrEmpty -Because (@($bad | Select-Object -First 5) -join "`n")
    }

    It 'no process reports any other error, and a Refused result only with its VolumeBusy error on the overlap' {
        for ($i = 0; $i -lt 2; $i++) {
            $other = @($runs[$i].Result.Errors | Where-Object { $_.Fqid -notlike 'VolumeBusy,*' -or $_.Target -notin $overlap })
            $other | Should -BeNullOrEmpty -Because "process ${i}: $(@($other | Select-Object -First 3 | ForEach-Object { "$($_.Fqid) $($_.Target): $($_.Message)" }) -join '; ')"
            $refused = @($runs[$i].Result.Results | Where-Object Status -EQ 'Refused' | ForEach-Object Label)
            @($refused | Where-Object { $_ -notin $busy[$i] }) | Should -BeNullOrEmpty
            @($runs[$i].Result.Results | Where-Object { $_.Status -notin 'Removed', 'AlreadyAbsent', 'Refused' }) | Should -BeNullOrEmpty
        }
    }

    It 'the union is gone from the BackPak catalog, DSM/TC, TMF and storage on \A' {
        Select-BPRows $after['volume:A'] -Labels $union | Should -BeNullOrEmpty
        foreach ($tb in $script:Tables) { Select-BPRows $after["${tb}:A"] -Labels $union | Should -BeNullOrEmpty -Because $tb }
        $images = @($after.files | Where-Object { $_ -like '*|sites/SITEA/storage/DS01/*' })
        Select-BPRows $images -Labels $union | Should -BeNullOrEmpty
    }

    It 'everything outside the union is untouched, \B included' {
        foreach ($k in @('volume:A') + @($script:Tables | ForEach-Object { "${_}:A" })) {
            $d = Get-Diff (Select-BPRows $before[$k] -Labels $union -Exclude) (Select-BPRows $after[$k] -Labels $union -Exclude)
            $d | Should -BeNullOrEmpty -Because "${k}:`n$($d -join "`n")"
        }
        foreach ($k in @('volume:B') + @($script:Tables | ForEach-Object { "${_}:B" })) {
            $d = Get-Diff $before[$k] $after[$k]
            $d | Should -BeNullOrEmpty -Because "${k}:`n$($d -join "`n")"
        }
        $keep = { param($rows)
            @($rows | Where-Object { $_ -notlike '*|sites/SITEA/storage/DS01/*' })
            Select-BPRows @($rows | Where-Object { $_ -like '*|sites/SITEA/storage/DS01/*' }) -Labels $union -Exclude
        }
        $d = Get-Diff (& $keep $before.files) (& $keep $after.files)
        $d | Should -BeNullOrEmpty -Because ($d -join "`n")
    }

    It 'no removal intent and no volume in current operation DELETE is left' {
        foreach ($n in 'A', 'B') {
            $after["intent:$n"] | Should -BeNullOrEmpty
            $after["deleting:$n"] | Should -BeNullOrEmpty
        }
    }

    It 'every SQLite store of the lab passes PRAGMA integrity_check' {
        $integrity.Count | Should -BeGreaterOrEqual 9
        @($integrity | Where-Object { $_ -notmatch ': ok$' }) | Should -BeNullOrEmpty
    }

    It 'running both commands again (together) changes nothing and reports no error' {
        foreach ($r in $reruns) {
            $r.ExitCode | Should -Be 0 -Because $r.StdErr
            $r.Result.Errors | Should -BeNullOrEmpty -Because (@($r.Result.Errors | ForEach-Object { "$($_.Fqid) $($_.Target)" }) -join '; ')
            @($r.Result.Results | Where-Object Status -NE 'AlreadyAbsent') | Should -BeNullOrEmpty
        }
        foreach ($k in $after.Keys) {
            $d = Get-Diff $after[$k] $afterRerun[$k]
            $d | Should -BeNullOrEmpty -Because "${k}:`n$($d -join "`n")"
        }
    }

    It 'piping the volumes read before the removals to Remove-BPVolume again reports them all AlreadyAbsent, with no error, and changes nothing' {
        $stale.All | Should -BeNullOrEmpty -Because (@($stale.All | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.TargetObject)" }) -join '; ')
        @($stale.Output | ForEach-Object Label | Sort-Object) | Should -Be $union
        @($stale.Output | Where-Object { "$($_.Status)" -ne 'AlreadyAbsent' }) | Should -BeNullOrEmpty
        foreach ($k in $after.Keys) {
            $d = Get-Diff $after[$k] $afterStale[$k]
            $d | Should -BeNullOrEmpty -Because "${k}:`n$($d -join "`n")"
        }
    }
}
