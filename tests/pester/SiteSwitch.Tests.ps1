<#
    Issue 14 item 4: a whole-site switch on the built module, as an operator scripts it. Every data store \B holds as
    SECONDARY piped from Get-BPDataStore into one Invoke-BPRoleSwitch: one plan, one confirmation, one report; a store
    that cannot start refuses them all with nothing changed; a failure stops its store only, and the site resumes as
    one run; a registered link's script is called for its store although the stores run on worker threads; the site
    run given up releases every store; a real pwsh killed inside a site run, resumed in a fresh process, ends as an
    uninterrupted one.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 120 -Seed 41 -Encrypted -DataStore DS01, DS04 | Out-Null
    $script:Copies = 0

    # A fresh copy of the two-store lab, both nodes connected (\A the default), no link registered.
    function Use-FreshLab {
        Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
        Disconnect-BPDomain -All
        $script:Copies++
        $lab = Join-Path $script:Scratch "lab$($script:Copies)"
        Copy-BPLab -Source $script:Base -Destination $lab
        Connect-BPDomain -Lab $lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $lab -Node '\A' | Out-Null
        $lab
    }

    # How both stores and the links stand, as lines, read through the connected domains.
    function Get-SiteState([string] $Lab) {
        foreach ($n in '\A', '\B') {
            foreach ($ds in 'DS01', 'DS04') {
                $ex = Get-BPExportStatus $ds -Domain $n
                "$n $ds $((Get-BPDataStore $ds -Domain $n).DomainAccess) suspended=$($ex.Suspended) export=$($ex.StagingArea) import=$((Get-BPImportStatus $ds -Domain $n).StagingArea) volumes=$(@(Get-BPVolume -DataStore $ds -Domain $n).Count)"
            }
        }
        Invoke-BPSqliteQuery -Database (Join-Path $Lab 'lab.db') -Sql 'SELECT name, source_site, target_site FROM replication_link ORDER BY name'
    }
}

AfterAll {
    Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-BPScratchFolder -Path $script:Scratch
}

Describe 'Every store \B holds as SECONDARY, piped into one switch' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        $script:Site = Get-BPDataStore -Domain '\B' | Where-Object DomainAccess -eq 'Secondary' |
            Invoke-BPRoleSwitch -Primary '\A' -Secondary '\B' -Confirm:$false -WarningVariable siteWarnings
        $script:SiteWarnings = @($siteWarnings)
    }

    It 'warns of no store left behind on the key link: every replicated store goes' {
        @($script:SiteWarnings | Where-Object { "$_" -match 'also carries' }) | Should -BeNullOrEmpty
    }

    It 'is one site run with one report listing each store''s run' {
        @($script:Site).Count | Should -Be 1
        $script:Site.GetType().Name | Should -Be 'SiteSwitchReport'
        $script:Site.RunId | Should -BeLike 'SS-*'
        $script:Site.Status | Should -Be 'Completed'
        $script:Site.DataStores | Should -Be @('DS01', 'DS04')
        $script:Site.Stores.Status | Should -Be @('Completed', 'Completed')
        $script:Site.Stores.RunId | ForEach-Object { $_ | Should -BeLike 'SW-*' }
    }

    It 'leaves both stores PRIMARY on \B, replication flowing from SITEB, the local stores alone' {
        foreach ($ds in 'DS01', 'DS04') {
            (Get-BPDataStore $ds -Domain '\B').DomainAccess | Should -Be 'Primary'
            (Get-BPDataStore $ds -Domain '\A').DomainAccess | Should -Be 'Secondary'
        }
        (Get-BPDataStore DS02 -Domain '\A').DomainAccess | Should -Be 'Primary'
        Invoke-BPSqliteQuery -Database (Join-Path $script:Lab 'lab.db') -Sql 'SELECT DISTINCT source_site FROM replication_link' | Should -Be 'SITEB'
    }

    It 'is listed by Get-BPRoleSwitchRun with its stores'' runs, and reads as text in JSON' {
        $runs = @(Get-BPRoleSwitchRun)
        $runs.RunId | Should -Contain $script:Site.RunId
        foreach ($id in $script:Site.Stores.RunId) { $runs.RunId | Should -Contain $id }
        $read = Get-BPRoleSwitchRun -RunId $script:Site.RunId
        $read.Status | Should -Be 'Completed'
        $read.Stores.RunId | Should -Be $script:Site.Stores.RunId
        $json = $read | ConvertTo-Json -Depth 5
        $json | Should -Match '"Status": "Completed"'
        $json | Should -Match '"DataStores": \['
        ($read | Out-String -Width 80) | Should -Match 'DS04: Completed \(SW-'
    }

    It 'switches the site back with the sides exchanged' {
        (Invoke-BPRoleSwitch -DataStore DS01, DS04 -Primary '\B' -Secondary '\A' -Confirm:$false).Status | Should -Be 'Completed'
        (Get-BPDataStore DS04 -Domain '\A').DomainAccess | Should -Be 'Primary'
    }
}

Describe 'A site switch refused, planned, stopped and given up' {
    BeforeEach { $script:Lab = Use-FreshLab }

    It 'refuses them all with SiteSwitchRefused when one store cannot start, and changes nothing' {
        $before = @(Get-SiteState $script:Lab)
        $e = { Invoke-BPRoleSwitch DS01, DS04, DS02 -Primary '\A' -Secondary '\B' -Confirm:$false } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeExactly 'SiteSwitchRefused,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand'
        $e.Exception.Message | Should -Match 'DS02: '
        $e.Exception.Message | Should -Match 'No data store was changed'
        @(Get-BPRoleSwitchRun) | Should -BeNullOrEmpty
        Compare-Object @(Get-SiteState $script:Lab) $before | Should -BeNullOrEmpty
    }

    It 'a switch of one store alone warns that the key link it turns still carries the other''s keys' {
        $one = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $one.Status | Should -Be 'Completed'
        ($w -join ' ') | Should -Match 'also carries the keys of DS04'
        ($w -join ' ') | Should -Match 'Invoke-BPRoleSwitch -DataStore DS01, DS04'
    }

    It 'Test-BPRoleSwitch checks both stores as one site switch; one store alone fails only the shared key check' {
        $both = @(Test-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B')
        ($both.DataStore | Sort-Object -Unique) | Should -Be @('DS01', 'DS04')
        @($both | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        Test-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Quiet | Should -BeTrue
        $alone = @(Test-BPRoleSwitch DS04 -Primary '\A' -Secondary '\B' | Where-Object { -not $_.Passed })
        $alone.Name | Should -Be @('key replication not shared')
        $alone[0].Detail | Should -Match 'DS01'
        ($both | Out-String -Width 80) | Should -Match 'DataStore: DS04'
    }

    It 'the plans of both stores piped to Invoke-BPRoleSwitch start one site run' {
        $plans = @(Get-BPRoleSwitchPlan DS01, DS04 -Primary '\A' -Secondary '\B')
        $plans.DataStore | Should -Be @('DS01', 'DS04')
        $site = $plans | Invoke-BPRoleSwitch -Confirm:$false
        $site.RunId | Should -BeLike 'SS-*'
        $site.Status | Should -Be 'Completed'
    }

    It '-WhatIf lists every store''s steps and the whole, and changes nothing' {
        $before = @(Get-SiteState $script:Lab)
        $lines = Invoke-BPFreshPwshEnv -Command ("Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:Lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$script:Lab' -Node '\A' | Out-Null; " +
            "Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -WhatIf")
        $lines.ExitCode | Should -Be 0 -Because $lines.StdErr
        $lines.StdOut | Should -Match 'Role switch of DS01'
        $lines.StdOut | Should -Match 'Role switch of DS04'
        $lines.StdOut | Should -Match 'Switch roles of 2 data stores, at most 5 at once'
        @(Get-BPRoleSwitchRun) | Should -BeNullOrEmpty
        Compare-Object @(Get-SiteState $script:Lab) $before | Should -BeNullOrEmpty
    }

    It '-WhatIf warns of what would refuse the run, for one store and for the site, and changes nothing' {
        $null = Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -WhatIf -WarningVariable one -WarningAction SilentlyContinue
        ($one -join ' ') | Should -Match 'Role switch of DS01 would be refused \(SwitchWrongDirection\)'
        $null = Invoke-BPRoleSwitch DS01, DS04, DS02 -Primary '\A' -Secondary '\B' -WhatIf -WarningVariable site -WarningAction SilentlyContinue
        ($site -join ' ') | Should -Match 'Role switch of DS02 would be refused \(SwitchPreconditionFailed\)'
        ($site -join ' ') | Should -Match 'The site switch would be refused \(SiteSwitchRefused\): 1 of 3 data stores cannot start'
        $null = Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -WhatIf -WarningVariable fine -WarningAction SilentlyContinue
        @($fine) | Should -BeNullOrEmpty
        @(Get-BPRoleSwitchRun) | Should -BeNullOrEmpty
    }

    It 'a failure stops each store at its step with its own error, and the site resumes as one run, piped' {
        Add-BPLabFault StagingUnreachable '\B' | Out-Null
        $site = Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $site.Status | Should -Be 'Failed'
        @($failed).Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly 'SwitchStepFailed,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand' }
        $site.Message | Should -Match "Invoke-BPRoleSwitch -Resume $($site.RunId)"
        Remove-BPLabFault StagingUnreachable -Confirm:$false
        $done = Get-BPRoleSwitchRun -RunId $site.RunId | Invoke-BPRoleSwitch -Confirm:$false
        $done.Status | Should -Be 'Completed'
        $done.Resumes | Should -Be 1
        $done.Stores.RunId | Should -Be $site.Stores.RunId
    }

    It 'given up with Stop-BPRoleSwitchRun, releases every store and cannot be resumed' {
        Add-BPLabFault StagingUnreachable '\B' | Out-Null
        $site = Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction SilentlyContinue
        Remove-BPLabFault StagingUnreachable -Confirm:$false
        $stopped = Stop-BPRoleSwitchRun -RunId $site.RunId -Reason 'change window closed' -Confirm:$false -WarningAction SilentlyContinue
        $stopped.Status | Should -Be 'Abandoned'
        $stopped.Stores.Status | Should -Be @('Abandoned', 'Abandoned')
        $e = { Invoke-BPRoleSwitch -Resume $site.RunId -Confirm:$false } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SwitchRunAbandoned,*'
        # The stores are free again: a new site switch takes them.
        (Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:$false).Status | Should -Be 'Completed'
    }
}

Describe 'A registered storage link of one store, called while the stores run on worker threads' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        $script:Calls = [System.Collections.Generic.List[object]]::new()
        $script:Array = [pscustomobject]@{ Source = 'SITEA'; Target = 'SITEB' }
        $array = $script:Array; $calls = $script:Calls
        Register-BPReplicationLink DS04 -Kind Storage -Name ArrayFailover -Reverse {
            param($Link)
            $calls.Add([pscustomobject]@{ Action = $Link.Action; DataStore = $Link.DataStore; Thread = [Environment]::CurrentManagedThreadId })
            $array.Source, $array.Target = $Link.FromSite, $Link.ToSite
        }.GetNewClosure() -Status { @{ Healthy = $true; CaughtUp = $true; Source = $array.Source; Target = $array.Target } }.GetNewClosure()
        $script:PipelineThread = [Environment]::CurrentManagedThreadId
        $script:Site = Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:$false
    }

    It 'completes, the script reversing DS04''s replication on this session''s pipeline thread' {
        $script:Site.Status | Should -Be 'Completed'
        $script:Array.Source | Should -Be 'SITEB'
        $reverse = @($script:Calls | Where-Object Action -eq 'Reverse')
        $reverse.Count | Should -Be 1
        $reverse[0].DataStore | Should -Be 'DS04'
        $reverse[0].Thread | Should -Be $script:PipelineThread
        ($script:Site.Stores | Where-Object DataStore -eq 'DS04').Steps | Where-Object Id -eq 'reverse-storage-replication' |
            ForEach-Object { $_.Facility | Should -Match 'ArrayFailover' }
    }

    It 'leaves the lab''s own link of DS04 alone (the script did it) and turns DS01''s' {
        $rows = Invoke-BPSqliteQuery -Database (Join-Path $script:Lab 'lab.db') -Sql "SELECT name || '=' || source_site FROM replication_link ORDER BY name"
        $rows | Should -Contain 'STORAGE-DS04=SITEA'
        $rows | Should -Contain 'STORAGE-DS01=SITEB'
        $rows | Should -Contain 'KEYS=SITEB'
    }
}

Describe 'A site run killed in a real process resumes to the same end' {
    BeforeAll {
        Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
        Disconnect-BPDomain -All
        $twin = Join-Path $script:Scratch 'twin'
        Copy-BPLab -Source $script:Base -Destination $twin
        Connect-BPDomain -Lab $twin -Node '\B' | Out-Null
        Connect-BPDomain -Lab $twin -Node '\A' | Out-Null
        (Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:$false).Status | Should -Be 'Completed'
        $script:TwinState = @(Get-SiteState $twin)
        Disconnect-BPDomain -All

        $script:CrashLab = Join-Path $script:Scratch 'crash'
        Copy-BPLab -Source $script:Base -Destination $script:CrashLab
        $connect = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:CrashLab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$script:CrashLab' -Node '\A' | Out-Null; "
        $script:Killed = Invoke-BPFreshPwshEnv -Command ($connect + "Invoke-BPRoleSwitch DS01, DS04 -Primary '\A' -Secondary '\B' -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = 'switch.demote-primary.done' }
        $resume = $connect + "`$run = Get-BPRoleSwitchRun | Where-Object { `$_.RunId -like 'SS-*' } | Select-Object -First 1; " +
            "if (-not `$run) { throw 'no site run' }; `$r = Invoke-BPRoleSwitch -Resume `$run.RunId -Confirm:`$false; `$r.Status; `$r.Resumes"
        $script:Resumed = Invoke-BPFreshPwshEnv -Command $resume
    }

    It 'the first process was killed' {
        $script:Killed.ExitCode | Should -Not -Be 0
        $script:Killed.StdErr + $script:Killed.StdOut | Should -Not -Match 'SwitchStepFailed'
    }

    It 'the resumed site run completes' {
        $script:Resumed.ExitCode | Should -Be 0 -Because $script:Resumed.StdErr
        ($script:Resumed.StdOut.Trim() -split '\r?\n') | Should -Be @('Completed', '1')
    }

    It 'both stores end as after an uninterrupted site switch' {
        Connect-BPDomain -Lab $script:CrashLab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:CrashLab -Node '\A' | Out-Null
        try { Compare-Object @(Get-SiteState $script:CrashLab) $script:TwinState | Should -BeNullOrEmpty }
        finally { Disconnect-BPDomain -All }
    }
}
