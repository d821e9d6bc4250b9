<#
    Issue 10 (hardening), items 2, 3 and the input part of 4, tried as an operator would on the built module:
    failures the disk causes are BackPak errors that lose nothing, nothing of a lab stays open once it is
    disconnected (or the module removed, or the runspace closed), a lab replaced by hand is read afresh, waits end
    in an error when nothing can drain them, and lab paths built from user input never leave their root.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    $script:Manifest = Get-BPTestModulePath
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All

    function Get-OpenLabFiles([string] $Lab) {
        # The files of a lab this process holds open (Linux: the links of /proc/self/fd), as sorted names.
        $inside = [System.IO.Path]::GetFullPath($Lab).TrimEnd('/') + '/'
        @(Get-ChildItem -LiteralPath "/proc/$PID/fd" -ErrorAction SilentlyContinue | ForEach-Object {
                $t = try { $_.LinkTarget } catch { $null }
                if ($t -and $t.StartsWith($inside)) { $t.Substring($inside.Length) }
            } | Sort-Object)
    }
    function Connect-Both([string] $Lab) {
        $script:B = Connect-BPDomain -Lab $Lab -Node '\B'
        $script:A = Connect-BPDomain -Lab $Lab -Node '\A'
    }
    function Use-Everything {
        # Reads and writes that open every store of both nodes: volumes, catalogs, export and import status, audit.
        $null = Get-BPVolume -Domain $script:A | Select-Object -First 3 | Get-BPCatalogEntry
        $null = Get-BPVolume -Domain $script:B -DataStore DS01
        $null = Get-BPVolume -Domain $script:A -DataStore DS02 | Select-Object -First 1
        $null = Get-BPExportStatus -Domain $script:A
        $null = Get-BPImportStatus -Domain $script:B
        $null = Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain $script:A -Confirm:$false
        $null = Get-BPAuditRecord -Last 5 -Domain $script:A
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All
}

Describe 'Item 2: failures of the disk are BackPak errors and lose nothing' {

    BeforeEach { Disconnect-BPDomain -All }

    It 'an automatic export the staging area refuses keeps its updates pending with the cause, and a manual export sends them once it is repaired' {
        $lab = Join-Path $TestDrive 'staging-file'
        $null = New-BPLab -Path $lab -VolumeCount 40 -Seed 21
        Connect-Both $lab
        $staging = Join-Path $lab 'nodes/B/staging/BPSTAGE.DS01'
        Remove-Item $staging -Recurse -Force
        Set-Content -LiteralPath $staging -Value 'a file where the staging folder should be'

        $r = Invoke-BPCaptured { Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain $script:A -Confirm:$false; Get-BPExportStatus DS01 -Domain $script:A }
        $r.All | Should -BeNullOrEmpty -Because 'a backup and a status read do not fail because the export behind them could not write'
        $st = $r.Output | Where-Object { $_ -is [BackPak.Core.Sync.ExportStatus] }
        $st.PendingCount | Should -Be 2
        @($st.Pending.LastError) | ForEach-Object { $_ | Should -Match 'could not write to the staging area' }

        $e = Invoke-BPCaptured { Start-BPCatalogExport DS01 -Type Update -Domain $script:A -Confirm:$false }
        $e.All[0].FullyQualifiedErrorId | Should -Be 'StagingWriteFailed,BackPak.PowerShell.Cmdlets.StartBPCatalogExportCommand'
        $e.All[0].ErrorDetails.RecommendedAction | Should -Match 'Start-BPCatalogExport -DataStore DS01 -Type Update'
        (Get-BPExportStatus DS01 -Domain $script:A).PendingCount | Should -Be 2

        Remove-Item -LiteralPath $staging -Force
        $null = New-Item -ItemType Directory $staging
        $run = Start-BPCatalogExport DS01 -Type Update -Domain $script:A -Confirm:$false
        $run.Result | Should -Be 'Completed'
        $run.Volumes | Should -Be 2
        (Get-BPExportStatus DS01 -Domain $script:A).PendingCount | Should -Be 0
    }

    It 'a full disk during a FULL export (fault hook) is StagingWriteFailed: the staging area keeps its last full export and no temporary file' {
        $lab = Join-Path $TestDrive 'disk-full'
        $null = New-BPLab -Path $lab -VolumeCount 40 -Seed 22
        $staging = Join-Path $lab 'nodes/B/staging/BPSTAGE.DS01'
        $before = Get-BPTreeSnapshot $staging
        $cmd = @"
Import-Module '$script:Manifest'
`$a = Connect-BPDomain -Lab '$lab' -Node '\A'
try { Start-BPCatalogExport DS01 -Type Full -Domain `$a -Confirm:`$false -ErrorAction Stop; 'NO ERROR' }
catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message; `$_.Exception.GetType().FullName }
"@
        $r = Invoke-BPFreshPwshEnv -Command $cmd -Environment @{ BACKPAK_LAB_IO_FAULT_AT = 'export.write' }
        $lines = $r.StdOut -split "`n" | ForEach-Object Trim | Where-Object { $_ }
        $lines[0] | Should -Be 'StagingWriteFailed,BackPak.PowerShell.Cmdlets.StartBPCatalogExportCommand' -Because ($r.StdOut + $r.StdErr)
        $lines[1] | Should -Match 'No space left on device'
        $lines[2] | Should -Be 'BackPak.Core.Errors.BackPakException'
        Get-BPTreeSnapshot $staging | Should -Be $before
        Connect-Both $lab
        (Get-BPExportStatus DS01 -Domain $script:A).LastFullExport.Result | Should -Be 'Failed'
    }

    It 'New-BPLab -Path with a trailing separator makes the lab in that folder and leaves no build folder anywhere' {
        $parent = Join-Path $TestDrive 'trailing'
        $info = New-BPLab -Path "$parent/lab/" -VolumeCount 10
        $info.Path | Should -Be ([System.IO.Path]::GetFullPath("$parent/lab"))
        @(Get-ChildItem -LiteralPath $parent -Force | ForEach-Object Name) | Should -Be @('lab')
        @(Get-ChildItem -LiteralPath "$parent/lab" -Force -Filter '.*' | ForEach-Object Name) | Should -BeNullOrEmpty
        (Connect-BPDomain -Lab "$parent/lab/" -Node '\A').Location | Should -Be $info.Path
    }

    It 'New-BPLab inside a lab, below a file or under /proc creates nothing' {
        $lab = Join-Path $TestDrive 'outer'
        $null = New-BPLab -Path $lab -VolumeCount 10
        $before = Get-BPTreeSnapshot $lab
        foreach ($case in @(
                @{ Path = (Join-Path $lab 'inner'); Id = 'LabInsideLab' }
                @{ Path = (Join-Path $lab 'sites/SITEA/x/y'); Id = 'LabInsideLab' }
                @{ Path = (Join-Path $lab 'lab.db/x'); Id = 'LabPathInvalid' }
                @{ Path = '/proc/backpak-lab'; Id = 'LabWriteFailed' })) {
            $r = Invoke-BPCaptured { New-BPLab -Path $case.Path -VolumeCount 10 }
            $r.Terminating.FullyQualifiedErrorId | Should -Be "$($case.Id),BackPak.PowerShell.Cmdlets.NewBPLabCommand"
        }
        Get-BPTreeSnapshot $lab | Should -Be $before
    }
}

Describe 'Item 2: nothing leaks' {

    BeforeAll {
        $script:LeakLab = Join-Path $TestDrive 'leaks'
        $null = New-BPLab -Path $script:LeakLab -VolumeCount 60 -Seed 23 -Encrypted
    }
    BeforeEach { Disconnect-BPDomain -All; Disconnect-BPKeyManager -All }

    It 'a new lab is not held open by New-BPLab' {
        Get-OpenLabFiles $script:LeakLab | Should -BeNullOrEmpty
    }

    It 'Disconnect-BPDomain -All closes every SQLite handle of the lab, and the folder can then be removed' {
        $copy = Join-Path $TestDrive 'leaks-copy'
        $null = New-BPLab -Path $copy -VolumeCount 40 -Seed 24
        Connect-Both $copy
        Use-Everything
        @(Get-OpenLabFiles $copy).Count | Should -BeGreaterThan 0 -Because 'the reads above keep pooled connections open while connected'
        Disconnect-BPDomain -All
        Get-OpenLabFiles $copy | Should -BeNullOrEmpty
        Remove-Item -LiteralPath $copy -Recurse -Force
        $copy | Should -Not -Exist
    }

    It 'Disconnect-BPKeyManager -All closes the lab key server' {
        $null = Connect-BPKeyManager -Lab $script:LeakLab -Node '\A'
        $null = Get-BPEncryptionKey | Select-Object -First 2
        @(Get-OpenLabFiles $script:LeakLab) | Should -Contain 'sites/SITEA/keys.db'
        Disconnect-BPKeyManager -All
        Get-OpenLabFiles $script:LeakLab | Should -BeNullOrEmpty
    }

    It 'Remove-Module closes the sessions, SQLite handles and key manager connections of the runspace (fresh pwsh)' {
        $cmd = @"
Import-Module '$script:Manifest'
function Open { @(Get-ChildItem /proc/`$PID/fd | Where-Object { "`$(`$_.LinkTarget)" -like '$script:LeakLab/*' }).Count }
`$b = Connect-BPDomain -Lab '$script:LeakLab' -Node '\B'
`$a = Connect-BPDomain -Lab '$script:LeakLab' -Node '\A'
`$null = Connect-BPKeyManager -Lab '$script:LeakLab' -Node '\A'
`$null = Get-BPVolume -Domain `$a -Encrypted | Select-Object -First 2 | Get-BPEncryptionKey
`$null = Get-BPVolume -Domain `$b; `$null = Get-BPExportStatus -Domain `$a
"open `$(Open)"
Remove-Module BackPak
"removed `$(Open)"
Import-Module '$script:Manifest'
"domains `$(@(Get-BPDomain).Count) keymanagers `$(@(Get-BPKeyManager).Count)"
"@
        $r = Invoke-BPFreshPwsh -Command $cmd
        $out = $r.StdOut -split "`n" | ForEach-Object Trim | Where-Object { $_ }
        $out | Should -Contain 'removed 0' -Because ($r.StdOut + $r.StdErr)
        $out | Should -Contain 'domains 0 keymanagers 0'
        [int](($out | Where-Object { $_ -like 'open *' }) -replace 'open ') | Should -BeGreaterThan 0
    }

    It 'a runspace that closes releases its connections' {
        $rs = [runspacefactory]::CreateRunspace()
        $rs.Open()
        try {
            $ps = [powershell]::Create()
            $ps.Runspace = $rs
            $null = $ps.AddScript("Import-Module '$script:Manifest'; `$null = Connect-BPDomain -Lab '$script:LeakLab' -Node '\A'; `$null = Get-BPVolume; `$null = Connect-BPKeyManager -Lab '$script:LeakLab' -Node '\A'; `$null = Get-BPEncryptionKey | Select-Object -First 1").Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            @(Get-OpenLabFiles $script:LeakLab).Count | Should -BeGreaterThan 0
        } finally {
            $rs.Close()
            $rs.Dispose()
        }
        Get-OpenLabFiles $script:LeakLab | Should -BeNullOrEmpty
    }

    It 'a lab replaced by hand is read afresh after connecting again (no stale reads through old handles)' {
        $x = Join-Path $TestDrive 'replaced/lab'
        $y = Join-Path $TestDrive 'replaced/other'
        $null = New-BPLab -Path $x -VolumeCount 30 -Seed 25
        $null = New-BPLab -Path $y -VolumeCount 30 -Seed 26
        Connect-Both $x
        $oldB = @(Get-BPVolume -Domain $script:B).Label
        $null = Get-BPVolume -Domain $script:A
        Remove-Item -LiteralPath $x -Recurse -Force
        Move-Item -LiteralPath $y -Destination $x
        # \B connected again (the \A connection of before stays): both read the lab that is there now.
        $b2 = Connect-BPDomain -Lab $x -Node '\B'
        $newB = @(Get-BPVolume -Domain $b2).Label
        $newB | Should -Not -BeNullOrEmpty
        @($newB | Where-Object { $_ -in $oldB }) | Should -BeNullOrEmpty -Because 'seed 26 draws other labels than seed 25'
        $run = Start-BPCatalogImport DS01 -Type Full -Domain $b2 -Confirm:$false
        $run.Result | Should -Be 'Completed'
        Disconnect-BPDomain -All
        Connect-Both $x
        Compare-Object @(Get-BPVolume -Domain $script:B).Label $newB | Should -BeNullOrEmpty
    }
}

Describe 'Item 3: waiting tells the truth' {

    BeforeAll {
        $script:WaitLab = Join-Path $TestDrive 'waits'
        $null = New-BPLab -Path $script:WaitLab -VolumeCount 60 -Seed 27
    }
    BeforeEach {
        Disconnect-BPDomain -All
        Connect-Both $script:WaitLab
    }
    AfterEach {
        Remove-BPLabFault StagingUnreachable -Domain $script:A -Confirm:$false
        Resume-BPCatalogExport DS01 -Domain $script:A -Confirm:$false
        $null = Start-BPCatalogExport DS01 -Type Update -Domain $script:A -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'on a store whose exports are suspended with updates held, the wait ends at once in ExportSuspended, and Lag is the age of the oldest held update' {
        Suspend-BPCatalogExport DS01 -Domain $script:A -Confirm:$false
        $null = Invoke-BPLabBackup -DataStore DS01 -Count 3 -Domain $script:A -Confirm:$false
        Start-Sleep -Milliseconds 1200
        $st = Get-BPExportStatus DS01 -Domain $script:A
        $st.PendingCount | Should -Be 3
        $oldest = ($st.Pending | Measure-Object Raised -Minimum).Minimum
        $st.LagSeconds | Should -BeGreaterThan 1 -Because 'three updates are held: the staging area trails the store'
        ([TimeSpan]$st.Lag - ((Get-BPDomain -Default).Domain.Now - $oldest)).Duration() | Should -BeLessThan ([TimeSpan]::FromSeconds(2))

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $went = $false
        try { Wait-BPCatalogExport DS01 -Timeout 300 -Domain $script:A -ErrorAction Stop; $went = $true } catch { $e = $_ }
        $watch.Stop()
        $went | Should -BeFalse -Because 'a runbook with -ErrorAction Stop must not go on with exports not drained'
        $e.FullyQualifiedErrorId | Should -Be 'ExportSuspended,BackPak.PowerShell.Cmdlets.WaitBPCatalogExportCommand'
        $e.Exception.Message | Should -Match '3 update\(s\) of DS01'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Resume-BPCatalogExport -DataStore DS01'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60 -Because 'nothing drains a suspended store: the wait does not sit out its 300 s'

        Resume-BPCatalogExport DS01 -Domain $script:A -Confirm:$false
        $done = Wait-BPCatalogExport DS01 -Timeout 60 -Domain $script:A -ErrorAction Stop
        $done.PendingCount | Should -Be 0
        $done.LagSeconds | Should -Be 0
    }

    It 'with the staging area unreachable, the wait ends at once in StagingUnreachable with the cause found now and the way out' {
        Add-BPLabFault StagingUnreachable '\B' -Domain $script:A -Confirm:$false | Out-Null
        $null = Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain $script:A -Confirm:$false
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = Invoke-BPCaptured { Wait-BPCatalogExport DS01 -Timeout 300 -Domain $script:A }
        $watch.Stop()
        $r.Output | Should -BeNullOrEmpty
        $r.All[0].FullyQualifiedErrorId | Should -Be 'StagingUnreachable,BackPak.PowerShell.Cmdlets.WaitBPCatalogExportCommand'
        $r.All[0].Exception.Message | Should -Match 'Expand link is down'
        $r.All[0].ErrorDetails.RecommendedAction | Should -Match 'Start-BPCatalogExport -DataStore DS01 -Type Update'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
    }

    It 'a wait that times out lists the reasons that hold now, not those of an earlier attempt, and following its way out drains the store' {
        Add-BPLabFault StagingUnreachable '\B' -Domain $script:A -Confirm:$false | Out-Null
        $null = Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain $script:A -Confirm:$false   # the attempt fails: link down
        Remove-BPLabFault StagingUnreachable -Domain $script:A -Confirm:$false                   # reachable again; retry 5 min away
        (Get-BPExportStatus DS01 -Domain $script:A).Pending.LastError | Should -Match 'cannot be reached' -Because 'the earlier attempt failed on the link'
        $r = Invoke-BPCaptured { Wait-BPCatalogExport DS01 -Timeout 1 -Domain $script:A }
        $e = $r.All[0]
        $e.FullyQualifiedErrorId | Should -Be 'ExportWaitTimeout,BackPak.PowerShell.Cmdlets.WaitBPCatalogExportCommand'
        $e.Exception.Message | Should -Not -Match 'cannot be reached|Expand link' -Because 'the staging area is reachable now'
        $e.Exception.Message | Should -Match 'next retry'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Start-BPCatalogExport -DataStore DS01 -Type Update sends the pending updates at once'
        $run = Start-BPCatalogExport DS01 -Type Update -Domain $script:A -Confirm:$false
        $run.Result | Should -Be 'Completed'
        (Wait-BPCatalogExport DS01 -Timeout 5 -Domain $script:A -ErrorAction Stop).PendingCount | Should -Be 0
    }
}
