<#
    Operator scenario of issue 3: decommission a data store end to end in the manual's order (CS p41, R14) with the
    runbook in examples/, then prove that nothing of it remains in any of the three catalogs or in storage, and
    that the other data stores are untouched. Plus the rules an operator meets on the way.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    $script:Root = Get-BPTestRepoRoot
    Disconnect-BPDomain -All

    function New-ScenarioLab([string] $Name, [int] $Seed = 31) {
        $path = Join-Path $TestDrive $Name
        New-BPLab -Path $path -VolumeCount 300 -Seed $Seed | Out-Null
        $path
    }
    function Get-Rows([string] $Db, [string] $Sql) {
        $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$Db;Mode=ReadOnly;Pooling=False")
        try {
            $c.Open(); $cmd = $c.CreateCommand(); $cmd.CommandText = $Sql; $r = $cmd.ExecuteReader()
            $rows = while ($r.Read()) { $r.GetValue(0) }
            @($rows)
        } finally { $c.Dispose() }
    }
    function Get-StoreSnapshot([string] $Lab) {
        # Everything of the stores that must not change, on both nodes: volumes, catalog entries, storage files.
        @(
            Get-BPVolume -Domain '\A' -DataStore DS01 | ConvertTo-Json -Compress
            Get-BPVolume -Domain '\B' | ConvertTo-Json -Compress
            Get-Rows "$Lab/nodes/A/dsmtc.db" "SELECT label || volcat || pool FROM tapevolume WHERE volcat <> '\A.VCLOCAL' ORDER BY 1"
            Get-Rows "$Lab/nodes/B/dsmtc.db" "SELECT label || volcat FROM tapevolume ORDER BY 1"
            Get-Rows "$Lab/nodes/A/tmf.db" "SELECT label FROM tmf_volume ORDER BY 1"
            (Get-ChildItem "$Lab/sites/SITEA/storage/DS01", "$Lab/sites/SITEB/storage" -Recurse -File).FullName | Sort-Object
        )
    }
}

AfterAll { Disconnect-BPDomain -All }

Describe 'Decommission of a data store with the runbook' {
    BeforeAll {
        $script:Lab = New-ScenarioLab 'decom'
        # The restores the lab left running on DS02 have ended (R22 would otherwise stop the decommission).
        Invoke-BPSqlite -Database "$script:Lab/nodes/A/backpak.db" -Sql "UPDATE volume SET current_operation = NULL, current_operation_mode = NULL WHERE data_store = 'DS02'"
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
        $script:Labels = @(Get-BPVolume -DataStore DS02 | ForEach-Object Label)
        $script:Before = Get-StoreSnapshot $script:Lab
        $script:Record = & (Join-Path $script:Root 'examples/Decommission-DataStore.ps1') -Lab $script:Lab -Node '\A' -DataStore DS02 `
            -IgnoreRetention -ChangeRecord (Join-Path $TestDrive 'change.json') -Confirm:$false
    }

    It 'had volumes to remove' { $script:Labels.Count | Should -BeGreaterThan 10 }

    It 'reports a verified change record' {
        $script:Record.Verified | Should -BeTrue
        $script:Record.VolumesRemoved | Should -Be $script:Labels.Count
        $script:Record.VolumeGroups | Should -Be @('LOCALA')
        (Get-Content (Join-Path $TestDrive 'change.json') -Raw | ConvertFrom-Json).DataStoreRemoved | Should -BeTrue
    }

    It 'left nothing in the BackPak catalog' {
        Get-BPDataStore | Where-Object Name -EQ 'DS02' | Should -BeNullOrEmpty
        Get-BPVolumeGroup | Where-Object DataStore -EQ 'DS02' | Should -BeNullOrEmpty
        Get-Rows "$script:Lab/nodes/A/backpak.db" "SELECT COUNT(*) FROM volume WHERE data_store = 'DS02'" | Should -Be 0
        Get-Rows "$script:Lab/nodes/A/backpak.db" "SELECT COUNT(*) FROM removal_intent" | Should -Be 0
    }

    It 'left nothing in DSM/TC' {
        $in = ($script:Labels | ForEach-Object { "'$_'" }) -join ','
        foreach ($t in 'tapevolume', 'tapefile', 'diskfile') {
            Get-Rows "$script:Lab/nodes/A/dsmtc.db" "SELECT COUNT(*) FROM $t WHERE label IN ($in)" | Should -Be 0 -Because "$t rows of DS02 volumes"
        }
        Get-Rows "$script:Lab/nodes/A/dsmtc.db" "SELECT COUNT(*) FROM tapevolume WHERE volcat = '\A.VCLOCAL'" | Should -Be 0
    }

    It 'left nothing in storage' {
        "$script:Lab/sites/SITEA/storage/DS02" | Should -Not -Exist
    }

    It 'did not touch the other data stores on either node' {
        Get-StoreSnapshot $script:Lab | Should -Be $script:Before
    }

    It 'recorded every step in the audit trail, in the manual order' {
        $audit = @(Get-BPAuditRecord -All)
        $changes = @($audit | Where-Object Kind -EQ Change)
        @($changes | Where-Object Action -EQ 'Remove-BPVolume').Count | Should -Be $script:Labels.Count
        $order = @($changes | Where-Object Action -Like 'Remove-*' | Sort-Object Id | ForEach-Object Action | Select-Object -Unique)
        $order | Should -Be @('Remove-BPVolume', 'Remove-BPVolumeGroup', 'Remove-BPDataStore')   # volumes, groups, the store
        $last = $audit | Sort-Object Id | Select-Object -Last 1
        "$($last.Kind) $($last.Action) $($last.Result)" | Should -Be 'End Remove-BPDataStore Succeeded'
    }
}

Describe 'Rules met on the way' {
    BeforeAll {
        $script:Lab2 = New-ScenarioLab 'rules' 32
        Disconnect-BPDomain -All
        Connect-BPDomain -Lab $script:Lab2 -Node '\A' | Out-Null
    }

    It 'refuses a volume with non-expired data (VolumeNotExpired), even with -Force, and changes nothing' {
        $v = Get-BPVolume -DataStore DS01 -NotExpired | Select-Object -First 1
        $r = Invoke-BPCaptured { $v | Remove-BPVolume -Force }
        $r.Errors.FullyQualifiedErrorId | Should -Be 'VolumeNotExpired,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        Get-BPVolume -Label $v.Label | Should -Not -BeNullOrEmpty
        Get-BPCatalogEntry -Label $v.Label | Should -Not -BeNullOrEmpty
    }

    It 'removes it with -IgnoreRetention' {
        $v = Get-BPVolume -DataStore DS01 -NotExpired | Select-Object -First 1
        ($v | Remove-BPVolume -IgnoreRetention -Force -PassThru).Status | Should -Be 'Removed'
    }

    It 'refuses a volume with a current operation (VolumeBusy) even with -IgnoreRetention' {
        $v = Get-BPVolume | Where-Object CurrentOperation | Select-Object -First 1
        $v | Should -Not -BeNullOrEmpty
        $r = Invoke-BPCaptured { $v | Remove-BPVolume -IgnoreRetention -Force }
        $r.Errors.FullyQualifiedErrorId | Should -Be 'VolumeBusy,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
    }

    It 'refuses a volume group or data store that still has volumes' {
        (Invoke-BPCaptured { Remove-BPVolumeGroup DAILY -Force }).Errors.FullyQualifiedErrorId | Should -Be 'VolumeGroupNotEmpty,BackPak.PowerShell.Cmdlets.RemoveBPVolumeGroupCommand'
        (Invoke-BPCaptured { Remove-BPDataStore DS01 -Force }).Errors.FullyQualifiedErrorId | Should -Be 'DataStoreNotEmpty,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand'
        Get-BPVolumeGroup DAILY | Should -Not -BeNullOrEmpty
    }

    It 'Remove-BPDataStore -Recurse -WhatIf changes nothing' {
        $before = Get-BPVolume | ConvertTo-Json -Compress
        Remove-BPDataStore DS01 -Recurse -IgnoreRetention -WhatIf
        Get-BPVolume | ConvertTo-Json -Compress | Should -Be $before
    }

    It 'an unknown label is VolumeNotFound; a volume removed twice is already absent' {
        (Invoke-BPCaptured { Remove-BPVolume -Label ZZZZZ9 -Force }).Errors.FullyQualifiedErrorId | Should -Be 'VolumeNotFound,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        $v = Get-BPVolume -DataStore DS01 -Expired | Select-Object -First 1
        ($v | Remove-BPVolume -Force -PassThru).Status | Should -Be 'Removed'
        $again = $v | Remove-BPVolume -Force -PassThru
        $again.Status | Should -Be 'AlreadyAbsent'
        @(Get-BPAuditRecord -Action Remove-BPVolume -Kind Change -Target "DS01/$($v.Label)").Count | Should -Be 1
    }

    It 'volumes piped from \B are removed on \B (catalog only), not on the default \A' {
        Connect-BPDomain -Lab $script:Lab2 -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab2 -Node '\A' | Out-Null
        $onA = @(Get-BPVolume -Domain '\A' -DataStore DS01 -Expired | ForEach-Object Label)
        $v = Get-BPVolume -Domain '\B' -DataStore DS01 -Expired | Where-Object Label -In $onA | Select-Object -First 1
        $r = $v | Remove-BPVolume -Force -PassThru
        $r.Node | Should -Be '\B'
        $r.Storage | Should -Be 'NotApplicable'
        Get-BPVolume -Label $v.Label -Domain '\A' | Should -Not -BeNullOrEmpty
        "$script:Lab2/sites/SITEB/storage/DS01/LB$($v.Label).DAT" | Should -Exist
    }
}
