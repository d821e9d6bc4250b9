<#
    Issue 11, item 2: the decommission of a replicated data store, whole, across both sides, and its proof.
    Remove-BPDataStore DS01 -Recurse -Secondary '\B' -DestroyKeys removes, in one journaled run, the PRIMARY volumes,
    groups and store on \A, the SECONDARY ones on \B, the staging area's export files, the replicas at SITEB and the
    keys on both key servers; Test-BPDecommission then passes in every place, and fails in each place where something
    is left (one test per place). Plus -WhatIf, the all-or-nothing refusal, a decommission of one side, -Keep, and a
    run killed half way that the same command completes.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = (Import-BPTestModule).Path
    Disconnect-BPDomain -All

    $script:Template = Join-Path $TestDrive 'template'
    New-BPLab -Path $script:Template -VolumeCount 300 -Seed 41 -Encrypted | Out-Null
    $script:N = 0
    function New-CaseLab {
        # A copy of the template lab, both domains and both key servers connected (\A the default).
        $script:N++
        $path = Join-Path $TestDrive "lab$script:N"
        Disconnect-BPDomain -All
        Get-BPKeyManager | Disconnect-BPKeyManager -ErrorAction SilentlyContinue
        Copy-BPLab -Source $script:Template -Destination $path
        Connect-BPDomain -Lab $path -Node '\B' | Out-Null
        Connect-BPDomain -Lab $path -Node '\A' | Out-Null
        Connect-BPKeyManager -Lab $path -Node '\B' | Out-Null
        Connect-BPKeyManager -Lab $path -Node '\A' | Out-Null
        $path
    }
    function Get-Failed { @(Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Where-Object { -not $_.Passed } | ForEach-Object Place) }
    function Get-Others([string] $Lab) {
        # What must not change: the other stores' volumes and files on both nodes.
        @(
            Get-BPVolume -Domain '\A' -DataStore DS02 | ForEach-Object { "$($_.Label) $($_.LastUpdate)" }
            Get-BPVolume -Domain '\B' -DataStore DS03 | ForEach-Object { "$($_.Label) $($_.LastUpdate)" }
            (Get-ChildItem "$Lab/sites/SITEA/storage/DS02", "$Lab/sites/SITEB/storage/DS03" -File).Name | Sort-Object
        )
    }
    function Get-Picture([string] $Lab) {
        # What a decommission would change, on both sides: every volume, every place the test looks at, the keys, the staging files.
        @(
            Get-BPVolume -Domain '\A' | ConvertTo-Json -Compress -Depth 2
            Get-BPVolume -Domain '\B' | ConvertTo-Json -Compress -Depth 2
            Get-BPVolumeGroup -Domain '\A' | ForEach-Object Name
            Get-BPVolumeGroup -Domain '\B' | ForEach-Object Name
            Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | ForEach-Object { "$($_.Place) $($_.Passed) $($_.Detail)" }
            (Get-ChildItem "$Lab/nodes/B/staging" -Recurse -File).Name | Sort-Object
            Invoke-BPSqliteQuery -Database "$Lab/sites/SITEA/keys.db" -Sql 'SELECT name, state FROM key ORDER BY name'
            Invoke-BPSqliteQuery -Database "$Lab/sites/SITEB/keys.db" -Sql 'SELECT name, state FROM key ORDER BY name'
        )
    }
    $script:Places = @('BackPak catalog on \A', 'DSM/TC and TMF catalogs on \A', 'storage at SITEA', 'BackPak catalog on \B',
        'DSM/TC and TMF catalogs on \B', 'replicas at SITEB', 'staging area \B.$BPSTAGE.DS01', 'key server lab:SITEA', 'key server lab:SITEB')
}

AfterAll {
    Disconnect-BPDomain -All
    Get-BPKeyManager | Disconnect-BPKeyManager -ErrorAction SilentlyContinue
}

Describe 'The whole decommission of DS01 across \A and \B' {
    BeforeAll {
        $script:Lab = New-CaseLab
        $script:Before = @(Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B')
        $script:Labels = @(Get-BPVolume -DataStore DS01 | ForEach-Object Label)
        $script:Keys = @(Get-BPVolume -DataStore DS01 -Encrypted | ForEach-Object MediaKeyName)
        $script:Others = Get-Others $script:Lab
        $script:Run = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force -PassThru }
        $script:Summary = $script:Run.Output | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
    }

    It 'found DS01 everywhere before, one check per place' {
        @($script:Before.Place) | Should -Be $script:Places
        @($script:Before | Where-Object Passed) | Should -BeNullOrEmpty
        $script:Keys.Count | Should -BeGreaterThan 10
    }

    It 'ran every step without an error and said what it did' {
        $script:Run.All | Should -BeNullOrEmpty
        $script:Summary.Status | Should -Be 'Completed'
        $script:Summary.RunId | Should -Match '^DC-'
        @($script:Summary.Steps | Where-Object Status -NE 'Done') | Should -BeNullOrEmpty
        @($script:Summary.Steps.Id) | Should -Be @('inventory', 'stop-export', 'primary-volumes', 'primary-groups', 'primary-store',
            'secondary-volumes', 'secondary-groups', 'secondary-store', 'staging-area', 'replicas', 'keys')
        $script:Summary.VolumesRemoved | Should -Be $script:Labels.Count
        $script:Summary.SecondaryVolumesRemoved | Should -Be $script:Labels.Count
        $script:Summary.DataStoreRemoved | Should -BeTrue
        $script:Summary.SecondaryDataStoreRemoved | Should -BeTrue
        $script:Summary.StagingFilesRemoved | Should -BeGreaterThan 0
        $script:Summary.ReplicaFilesRemoved | Should -Be (2 * $script:Labels.Count)
        $script:Summary.KeysDestroyed | Should -Be (2 * @($script:Keys | Sort-Object -Unique).Count)   # on both key servers
        $script:Summary.Remaining | Should -BeNullOrEmpty
    }

    It 'passes Test-BPDecommission in every place, as a Pester assertion' {
        Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
        @(Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B').Count | Should -Be $script:Places.Count
        Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' -Quiet | Should -BeTrue
    }

    It 'left no FULL export a later import could bring the store back from' {
        "$script:Lab/nodes/B/staging/BPSTAGE.DS01" | Should -Not -Exist
        (Invoke-BPCaptured { Start-BPCatalogImport -DataStore DS01 -Type Full -Domain '\B' }).All.FullyQualifiedErrorId | Should -Match '^DataStoreNotFound,'
    }

    It 'did not touch the other data stores' {
        Get-Others $script:Lab | Should -Be $script:Others
    }

    It 'released the store: nothing of the run holds it any more' {
        "$script:Lab/runs/switch-DS01.lock" | Should -Not -Exist
        Get-BPRoleSwitchRun | Should -BeNullOrEmpty    # a decommission run is not a switch run
    }
}

Describe 'Test-BPDecommission fails in each place where something is left' {
    BeforeAll {
        $script:Lab = New-CaseLab
        $script:Full = Join-Path $TestDrive 'FULL.bpx.saved'
        Copy-Item "$script:Lab/nodes/B/staging/BPSTAGE.DS01/FULL.bpx" $script:Full
        $script:Label = (Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -First 1).Label
        $script:Key = (Get-BPVolume -Label $script:Label).MediaKeyName
        Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force
        [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    }

    BeforeEach { Get-Failed | Should -BeNullOrEmpty -Because 'each case starts from a clean decommission' }

    It 'the BackPak catalog on <Node>' -ForEach @(@{ Node = '\A'; Dir = 'A'; Access = 'PRIMARY'; Site = 'SITEA' }, @{ Node = '\B'; Dir = 'B'; Access = 'SECONDARY'; Site = 'SITEB' }) {
        $db = "$script:Lab/nodes/$Dir/backpak.db"
        Invoke-BPSqlite -Database $db -Sql "INSERT INTO data_store(name, domain_access, status, store_type, storage_path, primary_store_id) VALUES ('DS01', '$Access', 'ACTIVE', 'WINDOWS FILE', '\\$Site-NAS\BACKPAK\DS01', 'DS01')"
        try { Get-Failed | Should -Be @("BackPak catalog on $Node") }
        finally { Invoke-BPSqlite -Database $db -Sql "DELETE FROM data_store WHERE name = 'DS01'" }
    }

    It 'the DSM/TC catalogs on <Node>' -ForEach @(@{ Node = '\A'; Dir = 'A' }, @{ Node = '\B'; Dir = 'B' }) {
        $db = "$script:Lab/nodes/$Dir/dsmtc.db"
        Invoke-BPSqlite -Database $db -Sql "INSERT INTO tapevolume(label, volcat, pool, status) VALUES ('$script:Label', '$Node.VCX', 'DAILY', 'ASSIGNED')"
        try {
            Get-Failed | Should -Be @("DSM/TC and TMF catalogs on $Node")
            (Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Where-Object Place -EQ "DSM/TC and TMF catalogs on $Node").Left | Should -Be @("${script:Label}: 1 entry")
        } finally { Invoke-BPSqlite -Database $db -Sql "DELETE FROM tapevolume WHERE label = '$script:Label'" }
    }

    It 'the <Place>' -ForEach @(@{ Place = 'storage at SITEA'; Site = 'SITEA' }, @{ Place = 'replicas at SITEB'; Site = 'SITEB' }) {
        $dir = "$script:Lab/sites/$Site/storage/DS01"
        $null = New-Item -ItemType Directory -Path $dir -Force
        Set-Content "$dir/LB$($script:Label).IND" 'left behind'
        try { Get-Failed | Should -Be @($Place) }
        finally { Remove-Item $dir -Recurse -Force }
    }

    It 'the staging area' {
        Copy-Item $script:Full "$script:Lab/nodes/B/staging/BPSTAGE.DS01/FULL.bpx" -Force -ErrorAction SilentlyContinue
        if (-not (Test-Path "$script:Lab/nodes/B/staging/BPSTAGE.DS01")) {
            $null = New-Item -ItemType Directory "$script:Lab/nodes/B/staging/BPSTAGE.DS01"
            Copy-Item $script:Full "$script:Lab/nodes/B/staging/BPSTAGE.DS01/FULL.bpx"
        }
        try { Get-Failed | Should -Be @('staging area \B.$BPSTAGE.DS01') }
        finally { Remove-Item "$script:Lab/nodes/B/staging/BPSTAGE.DS01" -Recurse -Force }
    }

    It 'the key server of <Site>' -ForEach @(@{ Site = 'SITEA' }, @{ Site = 'SITEB' }) {
        $db = "$script:Lab/sites/$Site/keys.db"
        Invoke-BPSqlite -Database $db -Sql "UPDATE key SET state = 'Active', destroyed = NULL WHERE name = '$script:Key'"
        try { Get-Failed | Should -Be @("key server lab:$Site") }
        finally { Invoke-BPSqlite -Database $db -Sql "UPDATE key SET state = 'Destroyed', destroyed = 1 WHERE name = '$script:Key'" }
    }
}

Describe 'What an operator meets on the way' {
    It '-WhatIf lists every step and everything that would go, on both sides, and changes nothing' {
        $lab = New-CaseLab
        $before = Get-Picture $lab
        $cmd = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$lab' -Node '\A' | Out-Null; " +
               "Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -WhatIf"
        $r = Invoke-BPFreshPwsh -Command $cmd -TimeoutSeconds 120
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $lines = @($r.StdOut -split '\r?\n' | Where-Object { $_ -like 'What if:*' })
        foreach ($step in 'Delete the volumes of DS01 on \A', 'Remove the volume groups of DS01 on \A', 'Remove the data store DS01 on \A', 'Delete the SECONDARY volumes of DS01 on \B',
            'Remove the volume groups of the SECONDARY DS01 on \B', 'Remove the SECONDARY data store DS01 on \B', 'export files of DS01 in its staging area', 'replicated volume images') {
            @($lines | Where-Object { $_.Contains($step) }).Count | Should -BeGreaterThan 0 -Because "'$step' is listed"
        }
        $count = @(Get-BPVolume -DataStore DS01).Count
        @($lines | Where-Object { $_ -match 'volume \w{6} \(DS01/\w+ on \\A, PRIMARY\)' }).Count | Should -Be $count
        @($lines | Where-Object { $_ -match 'volume \w{6} \(DS01/\w+ on \\B, SECONDARY\)' }).Count | Should -Be $count
        @($lines | Where-Object { $_ -match 'staging area \\B\.\$BPSTAGE\.DS01: \d+ export file' }).Count | Should -Be 1
        Get-Picture $lab | Should -Be $before
    }

    It 'refuses all or nothing: each refusal once, nothing removed on either side, the summary even so, and no "use -Recurse"' {
        $lab = New-CaseLab
        $before = Get-Picture $lab
        $notExpired = @(Get-BPVolume -DataStore DS01 -NotExpired -Domain '\A').Count + @(Get-BPVolume -DataStore DS01 -NotExpired -Domain '\B').Count
        $r = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -Force -PassThru }
        @($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'VolumeNotExpired,*' }).Count | Should -Be $notExpired
        @($r.Errors | ForEach-Object { $_.Exception.Message } | Select-Object -Unique).Count | Should -Be ($notExpired + 1)   # each once, then the store
        $last = $r.Errors[-1]
        $last.FullyQualifiedErrorId | Should -Be 'DecommissionRefused,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand'
        "$($last.Exception.Message) $($last.ErrorDetails.RecommendedAction)" | Should -Not -Match '-Recurse'
        $summary = $r.Output | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
        $summary.Completed | Should -BeFalse
        $summary.VolumesRefused | Should -Be $notExpired
        $summary.VolumesRemoved | Should -Be 0
        Get-Picture $lab | Should -Be $before
    }

    It 'a replicated store removed on \A alone warns about \B, and Test-BPDecommission shows what is left there' {
        $lab = New-CaseLab
        $r = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -IgnoreRetention -Force -WarningVariable w -WarningAction SilentlyContinue; $w }
        $r.All | Should -BeNullOrEmpty
        "$($r.Output)" | Should -Match "SECONDARY copy DS01 on \\B.*-Secondary '\\B'"
        Get-Failed | Should -Be @('BackPak catalog on \B', 'DSM/TC and TMF catalogs on \B', 'replicas at SITEB', 'staging area \B.$BPSTAGE.DS01', 'key server lab:SITEA', 'key server lab:SITEB')
    }

    It '-DestroyKeys is refused for a replicated store whose other side stays, before anything changes' {
        $lab = New-CaseLab
        $before = Get-Picture $lab
        $r = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -IgnoreRetention -DestroyKeys -Force }
        $r.All.FullyQualifiedErrorId | Should -Be @('DecommissionSideInvalid,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand')
        Get-Picture $lab | Should -Be $before
    }

    It 'the store must be the PRIMARY side, and -Secondary must hold its SECONDARY copy' {
        $lab = New-CaseLab
        (Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Domain '\B' -Secondary '\A' -IgnoreRetention -Force }).All.FullyQualifiedErrorId |
            Should -Be @('DecommissionSideInvalid,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand')
        (Invoke-BPCaptured { Remove-BPDataStore DS02 -Recurse -Secondary '\B' -IgnoreRetention -Force }).All.FullyQualifiedErrorId |
            Should -Be @('DecommissionSideInvalid,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand')
        (Invoke-BPCaptured { Remove-BPDataStore DS02 -Secondary '\B' -Force }).All.FullyQualifiedErrorId |
            Should -Be @('DecommissionSideInvalid,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand')
        Get-BPDataStore DS01 | Should -Not -BeNullOrEmpty
    }

    It '-Keep StagingArea, Replicas leaves those two places, and Test-BPDecommission says so' {
        $lab = New-CaseLab
        $r = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Keep StagingArea, Replicas -Force -PassThru -WarningAction SilentlyContinue }
        $r.All | Should -BeNullOrEmpty
        @(($r.Output | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }).Steps.Id) | Should -Not -Contain 'staging-area'
        Get-Failed | Should -Be @('replicas at SITEB', 'staging area \B.$BPSTAGE.DS01')
    }

    It 'holds the store while it runs: an import of it on \B is refused until the run ends' {
        $lab = New-CaseLab
        $pause = Join-Path $TestDrive "pause$script:N"
        $null = New-Item -ItemType Directory $pause
        $cmd = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$lab' -Node '\A' | Out-Null; " +
               "Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -Force"
        $child = Start-BPFreshPwsh -Command $cmd -Environment @{ BACKPAK_LAB_PAUSE_AT = 'decommission.secondary-volumes.running'; BACKPAK_LAB_PAUSE_DIR = $pause }
        try {
            Wait-BPLabPause -Folder $pause -Child $child | Should -BeTrue
            $r = Invoke-BPCaptured { Start-BPCatalogImport -DataStore DS01 -Type Full -Domain '\B' }
            $r.All.FullyQualifiedErrorId | Should -Match '^SwitchInProgress,'
            "$($r.All.Exception.Message)" | Should -Match 'is decommissioning DS01'
        } finally {
            Set-Content (Join-Path $pause 'go') 'go'
            $done = Wait-BPFreshPwsh -Child $child -TimeoutSeconds 120
        }
        $done.ExitCode | Should -Be 0 -Because $done.StdErr
        Get-Failed | Should -Be @('key server lab:SITEA', 'key server lab:SITEB')   # the keys stay without -DestroyKeys
    }
}

Describe 'A decommission killed half way is completed by the same command' {
    It 'killed at <Point>, then run again, ends as an uninterrupted run' -ForEach @(
        @{ Point = 'decommission.primary-store.running' }
        @{ Point = 'decommission.secondary-volumes.running' }
        @{ Point = 'removal.after-storage' }
        @{ Point = 'decommission.keys.running' }
    ) {
        $lab = New-CaseLab
        $command = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$lab' -Node '\A' | Out-Null; " +
                   "Connect-BPKeyManager -Lab '$lab' -Node '\B' | Out-Null; Connect-BPKeyManager -Lab '$lab' -Node '\A' | Out-Null; " +
                   "Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force"
        $killed = Invoke-BPFreshPwshEnv -Command $command -Environment @{ BACKPAK_LAB_CRASH_AT = $Point } -TimeoutSeconds 120
        $killed.ExitCode | Should -Not -Be 0 -Because "the child is killed at $Point"
        [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
        @(Get-Failed).Count | Should -BeGreaterThan 0 -Because 'the run stopped half way'
        (Invoke-BPCaptured { Start-BPCatalogImport -DataStore DS01 -Type Full -Domain '\B' }).All.FullyQualifiedErrorId |
            Should -Match '^(SwitchInProgress|DataStoreNotFound),' -Because 'the store stays held (or gone) until the run completes'
        $again = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force -PassThru }
        $again.All | Should -BeNullOrEmpty
        $summary = $again.Output | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
        $summary.Status | Should -Be 'Completed'
        $summary.Resumes | Should -Be 1
        Get-Failed | Should -BeNullOrEmpty
    }
}

Describe 'A storage replication link the operator registered for DS01' {
    # A registered link overrides the provider's, for the decommission as for the switch: it can reverse but not delete,
    # so the replicated images are the operator's to delete; the provider's link must not delete them behind its back.
    BeforeAll {
        $script:Lab = New-CaseLab
        $script:Calls = [System.Collections.Generic.List[string]]::new()
        $calls = $script:Calls
        Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse { param($Link) $calls.Add($Link.Action) }.GetNewClosure() -AllowClobber
        $script:Replicas = @(Get-ChildItem "$script:Lab/sites/SITEB/storage/DS01" -File).Count
    }
    AfterAll { Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false }

    It '-WhatIf names the operator as the one who deletes the replicas, and why' {
        $cmd = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:Lab' -Node '\B' | Out-Null; Connect-BPDomain -Lab '$script:Lab' -Node '\A' | Out-Null; " +
               "Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse { param(`$Link) }; " +
               "Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -WhatIf"
        $r = Invoke-BPFreshPwsh -Command $cmd -TimeoutSeconds 120
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $step = @($r.StdOut -split '\r?\n' | Where-Object { $_ -like 'What if:*Delete the replicated volume images of DS01*' })
        $step.Count | Should -Be 1
        $step[0] | Should -Match "by none: the operator deletes them with the storage's own tools, then confirms \(.*ArrayFailover \(script registered for DS01\)"
        @(Get-ChildItem "$script:Lab/sites/SITEB/storage/DS01" -File).Count | Should -Be $script:Replicas
    }

    It 'Export-BPRunbook -Decommission says the run stops at the replicas step for the operator' {
        $f = Join-Path $TestDrive 'decommission-registered.md'
        Export-BPRunbook -Decommission -DataStore DS01 -Primary '\A' -Secondary '\B' -DestroyKeys -Path $f | Out-Null
        $text = Get-Content -Raw -LiteralPath $f
        $text | Should -Match ([regex]::Escape("A storage replication link is registered for DS01 in this session (ArrayFailover (script registered for DS01))"))
        $text | Should -Match 'stops at step 10 \(replicas\) for you to delete the replicated images'
        Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
        Export-BPRunbook -Decommission -DataStore DS01 -Primary '\A' -Secondary '\B' -DestroyKeys -Path $f -Force | Out-Null
        Get-Content -Raw -LiteralPath $f | Should -Not -Match 'link is registered'
        $calls = $script:Calls
        Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse { param($Link) $calls.Add($Link.Action) }.GetNewClosure() -AllowClobber
    }

    It 'stops at the replicas step for the operator and deletes no replica itself' {
        $r = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force -PassThru -WarningVariable w -WarningAction SilentlyContinue; $w }
        $r.All | Should -BeNullOrEmpty
        $summary = $r.Output | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
        $summary.Status | Should -Be 'AwaitingOperator'
        $summary.Completed | Should -BeFalse
        ($summary.Steps | Where-Object Id -EQ 'replicas').Status | Should -Be 'AwaitingOperator'
        ($summary.Steps | Where-Object Id -EQ 'keys').Status | Should -Be 'Pending'
        $warnings = @($r.Output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        ($warnings -join "`n") | Should -Match "Delete the replicated images of DS01 at the secondary site .*with the storage's own tools.*ArrayFailover.*Then confirm it \(-ConfirmStep replicas\)"
        ($warnings -join "`n") | Should -Match "left as it is: the replicated volume images .*ArrayFailover"
        @(Get-ChildItem "$script:Lab/sites/SITEB/storage/DS01" -File).Count | Should -Be $script:Replicas
        $script:Calls.Count | Should -Be 0 -Because 'a decommission does not reverse replication'
        $check = Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Where-Object Place -EQ 'replicas at SITEB'
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match "link registered for it \(ArrayFailover .*\): delete them with the storage's own tools"
    }

    It 'goes on when the operator confirms the step, once the storage is read to hold no replica' {
        # Confirmed before they are deleted: the storage still holds them, the run still waits and the keys stay.
        { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force -ConfirmStep replicas } |
            Should -Throw -ErrorId 'OperatorStepNotVerified,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand'
        { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force -ConfirmStep keys } |
            Should -Throw -ErrorId 'StepNotAwaitingOperator,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand'
        Remove-Item "$script:Lab/sites/SITEB/storage/DS01/*" -Force
        $r = Invoke-BPCaptured { Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force -ConfirmStep replicas -PassThru -WarningAction SilentlyContinue }
        $r.All | Should -BeNullOrEmpty
        $summary = $r.Output | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
        $summary.Status | Should -Be 'Completed'
        $summary.Completed | Should -BeTrue
        ($summary.Steps | Where-Object Id -EQ 'replicas').Message | Should -Match '^confirmed by the operator; checked: .* holds no replicated file of DS01$'
        ($summary.Steps | Where-Object Id -EQ 'keys').Status | Should -Be 'Done'
        Get-Failed | Should -BeNullOrEmpty
        "$script:Lab/runs/switch-DS01.lock" | Should -Not -Exist
    }
}
