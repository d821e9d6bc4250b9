<#
    Issue 10, item 1: the lab's Catalog Sync writes more than one store, and each of them survives a crash between
    any two of its commits. An import commits the DSM/TC catalogs, then the BackPak catalog; an export writes files
    to the staging area, then its bookkeeping in the BackPak catalog. For each crash point a real pwsh is killed
    there (BACKPAK_LAB_CRASH_AT), the lab is used again (a fresh pwsh that connects and reads: 'next use', or the
    same command run again: 'rerun'), and the lab is compared with a twin on which the same command ran without
    interruption: both catalogs of both nodes, the staging areas, the sync runs and the audit (times left out).

    Every case works on a copy of one prepared lab: DS01 on \A has backups and removals that \B has not imported
    (update files and a FULL export wait in \B's staging area), and four more updates pending on \A, held by a
    failed attempt until the export check delay (one day) has passed.
#>

BeforeDiscovery {
    # Left: what the killed run left (not 'Mid': the state read after the kill is $mid, and PowerShell's names
    # ignore case, so the case's value would be hidden by it). Before = nothing changed; Intent = the intent and its
    # pinned files, nothing applied; DsmTc = DSM/TC entries committed, the BackPak catalog not (the window this item closes); BackPak =
    # both committed, the pinned files not yet deleted.
    $full = "Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false"
    $update = "Start-BPCatalogImport DS01 -Type Update -Domain '\B' -Confirm:`$false"
    $script:ImportCases = @(
        @{ Twin = 'full'; Command = $full; Point = 'import.before-intent'; Left = 'Before'; Recovery = 'rerun' }
        @{ Twin = 'full'; Command = $full; Point = 'import.after-intent'; Left = 'Intent'; Recovery = 'next use' }
        @{ Twin = 'full'; Command = $full; Point = 'import.before-commit'; Left = 'Intent'; Recovery = 'next use' }
        @{ Twin = 'full'; Command = $full; Point = 'import.after-dsmtc'; Left = 'DsmTc'; Recovery = 'next use' }
        @{ Twin = 'full'; Command = $full; Point = 'import.after-backpak'; Left = 'BackPak'; Recovery = 'next use' }
        @{ Twin = 'update'; Command = $update; Point = 'import.before-intent'; Left = 'Before'; Recovery = 'rerun' }
        @{ Twin = 'update'; Command = $update; Point = 'import.after-intent'; Left = 'Intent'; Recovery = 'next use' }
        @{ Twin = 'update'; Command = $update; Point = 'import.after-dsmtc'; Left = 'DsmTc'; Recovery = 'next use' }
        @{ Twin = 'update'; Command = $update; Point = 'import.after-backpak'; Left = 'BackPak'; Recovery = 'next use' }
    ) | ForEach-Object { $_.Name = "$($_.Twin.ToUpper()) import killed at $($_.Point), then $($_.Recovery)"; $_ }

    $exportUpdate = "Start-BPCatalogExport DS01 -Type Update -Domain '\A' -Confirm:`$false"
    $exportFull = "Start-BPCatalogExport DS01 -Type Full -Domain '\A' -Confirm:`$false"
    $script:ExportCases = @(
        @{ Twin = 'export-update'; Command = $exportUpdate; Point = 'export.after-seq' }
        @{ Twin = 'export-update'; Command = $exportUpdate; Point = 'export.between-volumes#2' }
        @{ Twin = 'export-update'; Command = $exportUpdate; Point = 'export.after-files' }
        @{ Twin = 'export-full'; Command = $exportFull; Point = 'export.after-seq' }
        @{ Twin = 'export-full'; Command = $exportFull; Point = 'export.after-files' }
    ) | ForEach-Object { $_.Name = "$($_.Command.Split(' ')[3].ToUpper()) export killed at $($_.Point), then rerun"; $_ }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:ChildModule = Copy-BPTestModule (Join-Path $script:Scratch 'module')

    function New-SyncChildCommand([string] $Lab, [string] $Command, [string] $ResultPath, [string] $ReadyPath, [string] $GoPath) {
        # A child pwsh: connect to both nodes, (optionally) say it is ready and wait, run the command, write its runs
        # and errors as JSON. A child killed during the command writes nothing.
        $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
        $ready = if ($ReadyPath) { "[System.IO.File]::WriteAllText($(& $q $ReadyPath), `"`$PID`")" } else { '' }
        $go = if ($GoPath) { "while (-not [System.IO.File]::Exists($(& $q $GoPath))) { Start-Sleep -Milliseconds 5 }" } else { '' }
        @"
`$ErrorActionPreference = 'Stop'
Import-Module $(& $q $script:ChildModule)
`$null = Connect-BPDomain -Lab $(& $q $Lab) -Node '\A'
`$null = Connect-BPDomain -Lab $(& $q $Lab) -Node '\B'
$ready
$go
`$out = @(try { $Command } catch { `$_ })
`$runs = @(`$out | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object { [ordered]@{ Result = [string]`$_.Result; Volumes = `$_.Volumes; Deleted = `$_.Deleted } })
`$errors = @(`$out | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message })
[System.IO.File]::WriteAllText($(& $q $ResultPath), (ConvertTo-Json -Depth 3 -InputObject ([ordered]@{ Runs = `$runs; Errors = `$errors })))
"@
    }

    function Invoke-SyncChild([string] $Lab, [string] $Command, [string] $ResultPath, [hashtable] $Environment = @{}) {
        $r = Invoke-BPFreshPwshEnv -Command (New-SyncChildCommand -Lab $Lab -Command $Command -ResultPath $ResultPath) -Environment $Environment -TimeoutSeconds 180
        $r | Add-Member -NotePropertyName Result -NotePropertyValue $(if (Test-Path -LiteralPath $ResultPath) { Get-Content -LiteralPath $ResultPath -Raw | ConvertFrom-Json }) -PassThru
    }

    function Start-SyncSession([string] $Lab, [string] $Command, [string] $Name, [string] $GoPath) {
        # A child that connects, says it is ready and waits for $GoPath before it runs its command (a session opened
        # before something else happens to the lab); returned once it is ready (or has died, or 90 s have passed).
        $ready = Join-Path $script:Scratch "$Name.ready"
        $session = Start-BPFreshPwsh -Command (New-SyncChildCommand -Lab $Lab -Command $Command -ResultPath "$Lab.session.json" -ReadyPath $ready -GoPath $GoPath)
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (-not (Test-Path -LiteralPath $ready) -and -not $session.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $session
    }

    function Get-SyncState([string] $Lab, [switch] $NoExportSeq) {
        <#
            A lab read with SQL only (opening a domain would finish an interrupted import): per node the BackPak
            volumes, the DSM/TC entries, the data stores' sequences, pending exports, sync runs, audit, import intents
            and pinned files; the staging areas' files (the header's creation time left out). Times of runs and audit
            records are left out. -NoExportSeq also leaves out the export numbers (see the export cases).
        #>
        $root = [System.IO.Path]::GetFullPath($Lab)
        $s = [ordered]@{}
        foreach ($n in 'A', 'B') {
            $bp = Join-Path $root "nodes/$n/backpak.db"
            $dsm = Join-Path $root "nodes/$n/dsmtc.db"
            $s["volume:$n"] = @(Invoke-BPSqliteQuery $bp 'SELECT label, data_store, volume_group, domain_access, catalog_status, owner_node, owner_user, authorization, last_backup, expiration, current_operation, media_key_name, locked, last_update FROM volume ORDER BY label')
            $s["tapevolume:$n"] = @(Invoke-BPSqliteQuery $dsm 'SELECT * FROM tapevolume ORDER BY label')
            $s["tapefile:$n"] = @(Invoke-BPSqliteQuery $dsm 'SELECT * FROM tapefile ORDER BY label, file_seq')
            $s["diskfile:$n"] = @(Invoke-BPSqliteQuery $dsm 'SELECT * FROM diskfile ORDER BY label, file_seq, disk_seq')
            $seq = if ($NoExportSeq) { "'-'" } else { 'export_seq' }
            $s["store:$n"] = @(Invoke-BPSqliteQuery $bp "SELECT name, domain_access, $seq, import_seq, last_full_export IS NOT NULL FROM data_store ORDER BY name")
            $s["pending:$n"] = @(Invoke-BPSqliteQuery $bp 'SELECT data_store, label, reason FROM export_pending ORDER BY data_store, label')
            $runSeq = if ($NoExportSeq) { "CASE direction WHEN 'Export' THEN '-' ELSE seq END" } else { 'seq' }
            $s["run:$n"] = @(Invoke-BPSqliteQuery $bp "SELECT data_store, direction, type, result, volumes, entries, failed, deleted, error, $runSeq, ended IS NOT NULL FROM sync_run ORDER BY id")
            # The changes and refusals (audit) apart from the records that frame each operation (its Start and End):
            # a recovery is done by the command that finds the intent, so its frame is that command's.
            $audit = @(Invoke-BPSqliteQuery $bp "SELECT user, host, action, target, result, detail FROM audit WHERE kind IS NULL OR kind NOT IN ('Start', 'End') ORDER BY id")
            $s["audit:$n"] = if ($NoExportSeq) { @($audit -replace ' export \d+:', ' export #:') } else { $audit }
            $s["frame:$n"] = @(Invoke-BPSqliteQuery $bp "SELECT user, host, kind, action, target, result, detail FROM audit WHERE kind IN ('Start', 'End') ORDER BY id")
            $s["intent:$n"] = @(Invoke-BPSqliteQuery $bp 'SELECT data_store, type, files FROM import_intent')
            $pins = Join-Path $root "nodes/$n/import-intent"
            $s["pins:$n"] = @(if (Test-Path -LiteralPath $pins) { Get-ChildItem -LiteralPath $pins -Recurse -File | ForEach-Object { [System.IO.Path]::GetRelativePath($pins, $_.FullName) } | Sort-Object })
            $s["staging:$n"] = @(foreach ($f in Get-ChildItem -LiteralPath (Join-Path $root "nodes/$n/staging") -Recurse -File | Sort-Object FullName) {
                    $lines = [System.IO.File]::ReadAllLines($f.FullName)
                    $h = $lines[0].Split("`t")
                    $h[6] = '-'
                    if ($NoExportSeq) { $h[5] = '-' }
                    $lines[0] = $h -join "`t"
                    "$([System.IO.Path]::GetRelativePath($root, $f.FullName))|$([Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($lines -join "`n"))))"
                })
        }
        $s
    }

    function Assert-SameState($Expected, $Actual, [string[]] $Keys, [string] $What) {
        foreach ($k in $Keys) {
            $d = @(Compare-BPStringSet -Reference @($Expected[$k]) -Difference @($Actual[$k]))
            $d.Count | Should -Be 0 -Because "$k ($What; '-' expected only, '+' found only):`n$($d -join "`n")`n"
            # Same rows in the same order (runs and audit records are ordered by id).
            (@($Expected[$k]) -join "`n") | Should -Be (@($Actual[$k]) -join "`n") -Because "$k in order ($What)"
        }
    }
    $script:AllKeys = foreach ($n in 'A', 'B') { foreach ($k in 'volume', 'tapevolume', 'tapefile', 'diskfile', 'store', 'pending', 'run', 'audit', 'frame', 'intent', 'pins', 'staging') { "${k}:$n" } }
    $script:Catalogs = foreach ($n in 'A', 'B') { foreach ($k in 'volume', 'tapevolume', 'tapefile', 'diskfile') { "${k}:$n" } }

    # The prepared lab.
    $script:Template = Join-Path $script:Scratch 'template'
    $null = New-BPLab -Path $script:Template -VolumeCount 300 -Seed 71
    $a = Connect-BPDomain -Lab $script:Template -Node '\A'
    $null = Connect-BPDomain -Lab $script:Template -Node '\B'
    $null = Set-BPDataStore DS01 -ExportCheckDelay ([TimeSpan]::FromDays(1)) -Domain $a -Confirm:$false
    $null = Invoke-BPLabBackup -DataStore DS01 -Count 6 -Domain $a -Confirm:$false
    $null = Start-BPCatalogExport DS01 -Type Update -Domain $a -Confirm:$false
    $script:Removed = @(Get-BPVolume -DataStore DS01 -Domain $a | Where-Object { -not $_.CurrentOperation } | Select-Object -First 3)
    $null = $script:Removed | Remove-BPVolume -IgnoreRetention -Force
    $null = Start-BPCatalogExport DS01 -Type Full -Domain $a -Confirm:$false
    # Four more updates on \A, held: the attempt to send them fails (Expand down) and waits for the check delay.
    Add-BPLabFault StagingUnreachable -Target '\B' -Domain $a -Confirm:$false
    $null = Invoke-BPLabBackup -DataStore DS01 -Count 4 -Domain $a -Confirm:$false
    $null = Start-BPCatalogExport DS01 -Type Update -Domain $a -Confirm:$false -ErrorAction SilentlyContinue
    Remove-BPLabFault StagingUnreachable -Domain $a -Confirm:$false
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    $script:Before = Get-SyncState $script:Template

    # The twins: each command run once, without interruption, on its own copy.
    $script:Twins = @{}
    foreach ($t in @{ Name = 'full'; Command = "Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false" },
        @{ Name = 'update'; Command = "Start-BPCatalogImport DS01 -Type Update -Domain '\B' -Confirm:`$false" },
        @{ Name = 'export-update'; Command = "Start-BPCatalogExport DS01 -Type Update -Domain '\A' -Confirm:`$false" },
        @{ Name = 'export-full'; Command = "Start-BPCatalogExport DS01 -Type Full -Domain '\A' -Confirm:`$false" }) {
        $path = Join-Path $script:Scratch "twin-$($t.Name)"
        Copy-BPLab $script:Template $path
        $r = Invoke-SyncChild -Lab $path -Command $t.Command -ResultPath "$path.json"
        $script:Twins[$t.Name] = @{ Path = $path; Run = $r; State = (Get-SyncState $path); Plain = (Get-SyncState $path -NoExportSeq) }
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Remove-BPScratchFolder $script:Scratch
}

Describe 'The prepared lab and its twins' {
    It 'the twins ran their command to the end, without an error' {
        foreach ($k in $script:Twins.Keys) {
            $t = $script:Twins[$k]
            $t.Run.ExitCode | Should -Be 0 -Because "$k`: $($t.Run.StdErr)"
            @($t.Run.Result.Errors).Count | Should -Be 0 -Because "$k`: $($t.Run.Result.Errors -join '; ')"
            $t.Run.Result.Runs[0].Result | Should -Be 'Completed' -Because $k
        }
    }

    It 'each import changes both catalogs of \B, and the FULL import deletes what \A removed' {
        foreach ($k in 'full', 'update') {
            $t = $script:Twins[$k].State
            ($t['volume:B'] -join "`n") | Should -Not -Be ($script:Before['volume:B'] -join "`n") -Because "the $k import changes BackPak volumes"
            ($t['tapefile:B'] -join "`n") | Should -Not -Be ($script:Before['tapefile:B'] -join "`n") -Because "the $k import changes DSM/TC entries"
        }
        $script:Twins['full'].Run.Result.Runs[0].Deleted | Should -Be $script:Removed.Count
    }

    It 'each export sends what is pending' {
        $script:Before['pending:A'].Count | Should -BeGreaterThan 0
        foreach ($k in 'export-update', 'export-full') { $script:Twins[$k].State['pending:A'].Count | Should -Be 0 -Because $k }
    }
}

Describe '<Name>' -ForEach $script:ImportCases {
    BeforeAll {
        $id = ($Twin + '-' + $Point) -replace '[^a-z0-9-]', '-'
        $lab = Join-Path $script:Scratch $id
        Copy-BPLab $script:Template $lab
        $twin = $script:Twins[$Twin].State
        $first = Invoke-SyncChild -Lab $lab -Command $Command -ResultPath "$lab.first.json" -Environment @{ BACKPAK_LAB_CRASH_AT = $Point }
        $mid = Get-SyncState $lab
        if ($Recovery -eq 'rerun') { $second = Invoke-SyncChild -Lab $lab -Command $Command -ResultPath "$lab.second.json" }
        else { $second = Invoke-SyncChild -Lab $lab -Command "Get-BPImportStatus DS01 -Domain '\B'" -ResultPath "$lab.second.json" }
        $after = Get-SyncState $lab
    }
    AfterAll { Remove-BPScratchFolder $lab }

    It 'the first run was killed at the point' {
        $first.ExitCode | Should -Not -Be 0 -Because "the process must die at $Point (stderr: $($first.StdErr))"
        $first.Result | Should -BeNullOrEmpty
    }

    It 'it left what a kill there leaves (<Left>)' {
        $bp = 'volume:B', 'store:B'
        $dsm = 'tapevolume:B', 'tapefile:B', 'diskfile:B'
        switch ($Left) {
            'Before' {
                Assert-SameState $script:Before $mid ($bp + $dsm + 'intent:B', 'pins:B') 'nothing applied'
            }
            'Intent' {
                Assert-SameState $script:Before $mid ($bp + $dsm) 'nothing applied'
                $mid['intent:B'].Count | Should -Be 1
                $mid['pins:B'].Count | Should -BeGreaterThan 0
            }
            'DsmTc' {
                # The window: DSM/TC entries without their BackPak volumes (or the BackPak volume out of date).
                Assert-SameState $twin $mid $dsm 'DSM/TC committed'
                Assert-SameState $script:Before $mid $bp 'BackPak not committed'
                ($mid['tapefile:B'] -join "`n") | Should -Not -Be ($script:Before['tapefile:B'] -join "`n")
                $mid['intent:B'].Count | Should -Be 1
            }
            'BackPak' {
                Assert-SameState $twin $mid ($bp + $dsm + 'audit:B', 'intent:B') 'both committed'
                $mid['pins:B'].Count | Should -BeGreaterThan 0 -Because 'the pinned files are deleted after the last commit'
            }
            default { throw "No expectation for '$Left'" } # a case no branch checks must not pass unseen
        }
    }

    It 'the <Recovery> exits 0 with no error' {
        $second.ExitCode | Should -Be 0 -Because $second.StdErr
        @($second.Result.Errors).Count | Should -Be 0 -Because ($second.Result.Errors -join '; ')
    }

    It 'both catalogs of both nodes, the staging areas, sequences and pending exports are those of the twin' {
        Assert-SameState $twin $after ($script:Catalogs + ('store:A', 'store:B', 'pending:A', 'pending:B', 'staging:A', 'staging:B')) 'against the twin'
    }

    It 'the audit is that of the twin (one CatalogImport record), and so are the sync runs' {
        Assert-SameState $twin $after 'audit:A', 'audit:B', 'run:A', 'frame:A' 'against the twin'
        # Who did the import: the command that ran it to its end. The re-run is the twin's command; on next use,
        # Connect-BPDomain finished it (the killed command wrote nothing to the audit before its BackPak commit), and
        # after that commit nothing was left to finish: the killed command's Start has no End (it is Unfinished).
        $twinFrame = @($twin['frame:B'])
        $twinFrame.Count | Should -Be 2
        if ($Left -eq 'BackPak') {
            Assert-SameState @{ 'frame:B' = @($twinFrame[0]) } $after 'frame:B' 'the killed command started, never ended'
        } elseif ($Recovery -eq 'rerun') {
            Assert-SameState $twin $after 'frame:B' 'the re-run is the twin'
        } else {
            $frame = @($after['frame:B'])
            $frame.Count | Should -Be 2 -Because ($frame -join "`n")
            $frame[0] | Should -BeLike '*|Start|Connect-BPDomain|*|Started|*'
            $frame[1] | Should -BeLike '*|End|Connect-BPDomain|*|Succeeded|1 change(s), 0 refusal(s)'
        }
        if ($Recovery -eq 'rerun') {
            # The killed run never got its intent: it is ended as interrupted, and the re-run did the import.
            $interrupted = @($after['run:B'] | Where-Object { $_ -like '*|Failed|*interrupted*' })
            $interrupted.Count | Should -Be 1 -Because ($after['run:B'] -join "`n")
            $rest = [pscustomobject]@{ 'run:B' = @($after['run:B'] | Where-Object { $_ -notlike '*interrupted*' }) }
            Assert-SameState $twin @{ 'run:B' = $rest.'run:B' } 'run:B' 'runs other than the interrupted one'
        } else {
            Assert-SameState $twin $after 'run:B' 'the killed run, finished'
        }
    }

    It 'no import intent and no pinned file is left' {
        Assert-SameState $twin $after 'intent:A', 'intent:B', 'pins:A', 'pins:B' 'nothing left'
        $after['intent:B'].Count | Should -Be 0
        $after['pins:B'].Count | Should -Be 0
    }
}

Describe 'A session opened before the kill runs the import again' {
    BeforeAll {
        $lab = Join-Path $script:Scratch 'session'
        Copy-BPLab $script:Template $lab
        $twin = $script:Twins['full'].State
        $command = "Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false"
        # The session connects (nothing to finish yet) and waits; then a process is killed between the commits.
        $go = Join-Path $script:Scratch 'session.go'
        $session = Start-SyncSession -Lab $lab -Command $command -Name 'session' -GoPath $go
        $first = Invoke-SyncChild -Lab $lab -Command $command -ResultPath "$lab.first.json" -Environment @{ BACKPAK_LAB_CRASH_AT = 'import.after-dsmtc' }
        $mid = Get-SyncState $lab
        $null = New-Item -ItemType File -Path $go
        $done = Wait-BPFreshPwsh -Child $session -TimeoutSeconds 120
        $result = Get-Content -LiteralPath "$lab.session.json" -Raw -ErrorAction SilentlyContinue | ConvertFrom-Json
        $after = Get-SyncState $lab
    }
    AfterAll { Remove-BPScratchFolder $lab }

    It 'the kill left DSM/TC committed and BackPak not' {
        $first.ExitCode | Should -Not -Be 0
        $mid['intent:B'].Count | Should -Be 1
        Assert-SameState $script:Before $mid 'volume:B' 'BackPak not committed'
    }

    It 'the import of the session finished the killed one first, then ran its own: both Completed, no error' {
        $done.ExitCode | Should -Be 0 -Because $done.StdErr
        @($result.Errors).Count | Should -Be 0 -Because ($result.Errors -join '; ')
        $runs = @($after['run:B'] | Select-Object -Last 2)
        $runs | ForEach-Object { $_.Split('|')[3] | Should -Be 'Completed' }
        $imports = { param($s) @($s['audit:B'] | Where-Object { $_ -like '*|Start-BPCatalogImport|*' }).Count }
        (& $imports $after) | Should -Be ((& $imports $script:Before) + 2)
    }

    It 'both catalogs of both nodes are those of the twin, and nothing is left' {
        Assert-SameState $twin $after ($script:Catalogs + ('store:B', 'intent:B', 'pins:B')) 'against the twin'
    }
}

Describe 'A removal in a session opened before the kill waits for the import' {
    # Issue 10: the session's own opening had nothing to finish, and nothing reconnected after the kill: its removal
    # would run over the unfinished import, whose finishing would then write back what the removal took away.
    BeforeAll {
        $lab = Join-Path $script:Scratch 'removal-session'
        Copy-BPLab $script:Template $lab
        $twin = $script:Twins['full'].State
        $label = @($twin['volume:B'] | Where-Object { $_.Split('|')[1] -eq 'DS01' } | ForEach-Object { $_.Split('|')[0] } |
                Where-Object { $_ -notin $script:Removed.Label })[0]
        $removal = "Remove-BPVolume -Label $label -Domain '\B' -IgnoreRetention -Force -Confirm:`$false"
        $go = Join-Path $script:Scratch 'removal-session.go'
        $session = Start-SyncSession -Lab $lab -Command $removal -Name 'removal-session' -GoPath $go
        $first = Invoke-SyncChild -Lab $lab -Command "Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false" -ResultPath "$lab.first.json" -Environment @{ BACKPAK_LAB_CRASH_AT = 'import.after-dsmtc' }
        $mid = Get-SyncState $lab
        $null = New-Item -ItemType File -Path $go
        $done = Wait-BPFreshPwsh -Child $session -TimeoutSeconds 120
        $refused = Get-Content -LiteralPath "$lab.session.json" -Raw -ErrorAction SilentlyContinue | ConvertFrom-Json
        $afterRefusal = Get-SyncState $lab
        # The way out the refusal names: connect again (a fresh process, which finishes the import), then the removal.
        $next = Invoke-SyncChild -Lab $lab -Command "Get-BPImportStatus DS01 -Domain '\B'" -ResultPath "$lab.next.json"
        $finished = Get-SyncState $lab
        $again = Invoke-SyncChild -Lab $lab -Command $removal -ResultPath "$lab.again.json"
        $after = Get-SyncState $lab
    }
    AfterAll { Remove-BPScratchFolder $lab }

    It 'the kill left the import half applied, with its intent' {
        $first.ExitCode | Should -Not -Be 0
        $mid['intent:B'].Count | Should -Be 1
        $label | Should -Match '^[A-Z0-9]{6}$'
    }

    It 'the session''s removal is refused with ImportUnfinished, naming the way out, and removes nothing' {
        $done.ExitCode | Should -Be 0 -Because $done.StdErr
        @($refused.Errors).Count | Should -Be 1 -Because ($refused.Errors -join '; ')
        $refused.Errors[0] | Should -BeLike 'ImportUnfinished,*DS01*\B*'
        Assert-SameState $mid $afterRefusal ($script:Catalogs + ('intent:B', 'pins:B')) 'the refusal changed nothing'
        # The refusal is audited, and that is all that was written.
        $added = @(Compare-BPStringSet -Reference @($mid['audit:B']) -Difference @($afterRefusal['audit:B']))
        $added.Count | Should -Be 1 -Because ($added -join "`n")
        $added[0] | Should -BeLike "+*|Remove-BPVolume|DS01/$label|Refused|*not finished*"
    }

    It 'a new connection finishes the import: the catalogs are the twin''s' {
        $next.ExitCode | Should -Be 0 -Because $next.StdErr
        @($next.Result.Errors).Count | Should -Be 0
        Assert-SameState $twin $finished ($script:Catalogs + ('store:B', 'intent:B', 'pins:B')) 'against the twin'
    }

    It 'then the same removal goes through' {
        $again.ExitCode | Should -Be 0 -Because $again.StdErr
        @($again.Result.Errors).Count | Should -Be 0 -Because ($again.Result.Errors -join '; ')
        @($finished['volume:B'] | Where-Object { $_ -like "$label|*" }).Count | Should -Be 1
        @($after['volume:B'] | Where-Object { $_ -like "$label|*" }).Count | Should -Be 0
    }
}

Describe 'A connection whose recovery of a killed import fails warns, and still connects' {
    BeforeAll {
        $lab = Join-Path $script:Scratch 'recovery-fails'
        Copy-BPLab $script:Template $lab
        $twin = $script:Twins['full'].State
        $first = Invoke-SyncChild -Lab $lab -Command "Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false" -ResultPath "$lab.first.json" -Environment @{ BACKPAK_LAB_CRASH_AT = 'import.after-dsmtc' }
        $mid = Get-SyncState $lab
        # The pinned file is damaged (a new file in its place: the pin is a hard link of the staging file, which stays whole).
        $pin = @(Get-ChildItem -LiteralPath (Join-Path $lab 'nodes/B/import-intent') -Recurse -File)[0].FullName
        Remove-Item -LiteralPath $pin
        [System.IO.File]::WriteAllText($pin, "not an export file`n")
        $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
        $json = "$lab.connect.json"
        $connect = Invoke-BPFreshPwsh -TimeoutSeconds 120 -Command @"
Import-Module $(& $q $script:ChildModule)
`$c = Connect-BPDomain -Lab $(& $q $lab) -Node '\B' -WarningVariable w -WarningAction SilentlyContinue
[System.IO.File]::WriteAllText($(& $q $json), (ConvertTo-Json -InputObject ([ordered]@{ Connected = (`$null -ne `$c -and `$c.IsOpen); Warnings = @(`$w | ForEach-Object { "`$_" }) })))
"@
        $seen = Get-Content -LiteralPath $json -Raw -ErrorAction SilentlyContinue | ConvertFrom-Json
        $way = Invoke-SyncChild -Lab $lab -Command "Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:`$false" -ResultPath "$lab.way.json"
        $after = Get-SyncState $lab
    }
    AfterAll { Remove-BPScratchFolder $lab }

    It 'the kill left DSM/TC committed, with the intent' {
        $first.ExitCode | Should -Not -Be 0
        $mid['intent:B'].Count | Should -Be 1
    }

    It 'Connect-BPDomain connects and warns, naming the store, the cause and the way out' {
        $connect.ExitCode | Should -Be 0 -Because $connect.StdErr
        $seen.Connected | Should -BeTrue
        @($seen.Warnings).Count | Should -Be 1 -Because ($seen.Warnings -join '; ')
        $seen.Warnings[0] | Should -BeLike '*import of data store DS01 on \B was interrupted and could not be finished*'
        $seen.Warnings[0] | Should -BeLike "*Start-BPCatalogImport DS01 -Type Full -Domain '\B'*"
    }

    It 'the way out it names brings the catalogs to the twin''s' {
        $way.ExitCode | Should -Be 0 -Because $way.StdErr
        @($way.Result.Errors).Count | Should -Be 0 -Because ($way.Result.Errors -join '; ')
        Assert-SameState $twin $after ($script:Catalogs + ('intent:B', 'pins:B')) 'against the twin'
    }
}

Describe '<Name>' -ForEach $script:ExportCases {
    BeforeAll {
        $id = ($Twin + '-' + $Point) -replace '[^a-z0-9-]', '-'
        $lab = Join-Path $script:Scratch $id
        Copy-BPLab $script:Template $lab
        $twinPlain = $script:Twins[$Twin].Plain
        $twinState = $script:Twins[$Twin].State
        $first = Invoke-SyncChild -Lab $lab -Command $Command -ResultPath "$lab.first.json" -Environment @{ BACKPAK_LAB_CRASH_AT = $Point }
        $mid = Get-SyncState $lab
        $second = Invoke-SyncChild -Lab $lab -Command $Command -ResultPath "$lab.second.json"
        $after = Get-SyncState $lab -NoExportSeq
        $afterSeq = Get-SyncState $lab
    }
    AfterAll { Remove-BPScratchFolder $lab }

    It 'the first run was killed at the point, with every update still pending and its number taken' {
        $first.ExitCode | Should -Not -Be 0 -Because "the process must die at $Point (stderr: $($first.StdErr))"
        Assert-SameState $script:Before $mid 'pending:A', 'audit:A' 'nothing recorded as sent'
        $ds01 = { param($s) [long]@($s['store:A'] | Where-Object { $_ -like 'DS01|*' })[0].Split('|')[2] }
        (& $ds01 $mid) | Should -Be ((& $ds01 $script:Before) + 1)
    }

    It 'the rerun exits 0 and completes' {
        $second.ExitCode | Should -Be 0 -Because $second.StdErr
        @($second.Result.Errors).Count | Should -Be 0 -Because ($second.Result.Errors -join '; ')
        $second.Result.Runs[0].Result | Should -Be 'Completed'
    }

    It 'catalogs, pending exports, staging areas and audit are those of the twin, but for the export number' {
        Assert-SameState $twinPlain $after ($script:Catalogs + ('store:A', 'store:B', 'pending:A', 'pending:B', 'staging:A', 'staging:B', 'audit:A', 'audit:B', 'run:B')) 'against the twin'
    }

    It 'the rerun carries the next number: one that may have reached the staging area is never reused' {
        $ds01 = { param($s) [long]@($s['store:A'] | Where-Object { $_ -like 'DS01|*' })[0].Split('|')[2] }
        (& $ds01 $afterSeq) | Should -Be ((& $ds01 $twinState) + 1)
    }

    It 'the killed run is recorded as interrupted, the rerun as the twin''s run' {
        $interrupted = @($after['run:A'] | Where-Object { $_ -like '*|Failed|*interrupted*' })
        $interrupted.Count | Should -Be 1 -Because ($after['run:A'] -join "`n")
        Assert-SameState $twinPlain @{ 'run:A' = @($after['run:A'] | Where-Object { $_ -notlike '*interrupted*' }) } 'run:A' 'runs other than the interrupted one'
    }
}
