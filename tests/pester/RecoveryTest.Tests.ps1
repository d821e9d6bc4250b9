<#
    Issue 14, item 1: the recovery test at the secondary on the built module. The operator's scenario: a lab with
    two nodes brought in step, a passing test that changes nothing, a planted fault (a replica gone at the secondary
    site) that fails exactly its check, the evidence kept with -Save and listed by Get-BPRecoveryTest, a record the
    disk refuses never half written, and the primary side refused.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All
    $script:Lab = Join-Path $TestDrive 'lab'
    New-BPLab -Path $script:Lab -VolumeCount 200 -Seed 14 -Encrypted | Out-Null
    $script:B = Connect-BPDomain -Lab $script:Lab -Node '\B'
    $script:A = Connect-BPDomain -Lab $script:Lab -Node '\A'
    $null = Start-BPCatalogExport DS01 -Type Full -Domain $script:A -Confirm:$false
    $null = Start-BPCatalogImport DS01 -Type Full -Domain $script:B -Confirm:$false

    function Get-Picture {
        # What a recovery test must not change: the catalogs of both sides, the storage at the secondary site.
        $volumes = foreach ($d in $script:A, $script:B) { Get-BPVolume -Domain $d -DataStore DS01 | ForEach-Object { "$($_.Node)|$($_.Label)|$($_.LastUpdate)|$($_.CatalogStatus)" } }
        $files = Get-ChildItem (Join-Path $script:Lab 'sites/SITEB/storage/DS01') | ForEach-Object { "$($_.Name)|$($_.Length)|$($_.LastWriteTimeUtc.Ticks)" }
        @($volumes) + @($files) + @((Get-BPImportStatus DS01 -Domain $script:B).LastFullImport.Id)
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All
}

Describe 'Test-BPRecovery at the secondary' {

    It 'passes every check on a lab in step, and changes nothing' {
        $before = Get-Picture
        $checks = @(Test-BPRecovery -DataStore DS01 -Node '\B')
        $checks | Should -HaveCount 8
        $checks[0] | Should -BeOfType ([BackPak.Core.Procedures.RecoveryCheck])
        @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Name): $($_.Detail)" }) | Should -BeNullOrEmpty
        ($checks | Where-Object Name -eq 'last import current').Detail | Should -Match 'after the last export from \\A'
        ($checks | Where-Object Name -eq 'sample restores read back').Source | Should -BeLike 'inferred*'
        Test-BPRecovery DS01 -Node '\B' -Quiet | Should -BeTrue
        Get-Picture | Should -Be $before
        Test-Path (Join-Path $script:Lab 'recovery-tests') | Should -BeFalse -Because 'only -Save writes a record'
    }

    It 'fails exactly the replica check when a replica is gone at the secondary site, and keeps the evidence with -Save' {
        $victim = (Get-BPVolume -Domain $script:B -DataStore DS01 | Where-Object CatalogStatus -ne 'SCRATCH' | Select-Object -Skip 3 -First 1).Label
        $dat = Join-Path $script:Lab "sites/SITEB/storage/DS01/LB$victim.DAT"
        Test-Path $dat | Should -BeTrue
        # The replica may be a hard link to the primary's image: only the secondary's name goes.
        Remove-Item $dat
        Test-Path (Join-Path $script:Lab "sites/SITEA/storage/DS01/LB$victim.DAT") | Should -BeTrue

        $checks = @(Test-BPRecovery DS01 -Node '\B' -SampleSize 0 -Save -Note 'planted fault: one replica deleted')
        @($checks | Where-Object { -not $_.Passed }).Name | Should -Be @('replicas present')
        ($checks | Where-Object Name -eq 'replicas present').Detail | Should -Match "$victim \(no data file\)"
        $checks.Name | Should -Not -Contain 'sample restores read back'
        Test-BPRecovery DS01 -Node '\B' -SampleSize 0 -Quiet | Should -BeFalse

        $records = @(Get-BPRecoveryTest -Domain $script:B)
        $records | Should -HaveCount 1
        $r = $records[0]
        $r | Should -BeOfType ([BackPak.Core.Procedures.RecoveryTestRecord])
        $r.DataStore | Should -Be 'DS01'
        $r.Node | Should -Be '\B'
        $r.User | Should -Be ([Environment]::UserName)
        $r.Passed | Should -BeFalse
        $r.Failed | Should -Be 1
        $r.Note | Should -Be 'planted fault: one replica deleted'
        @($r.Checks | Where-Object { -not $_.Passed }).Name | Should -Be @('replicas present')
        $r.Checks.Count | Should -Be $checks.Count
        # One whole JSON file, no temporary file beside it.
        @(Get-ChildItem (Join-Path $script:Lab 'recovery-tests')).Name | Should -Be @("$($r.Id).json")
        (Get-Content -Raw (Join-Path $script:Lab "recovery-tests/$($r.Id).json") | ConvertFrom-Json).Id | Should -Be $r.Id
    }

    It 'lists the records newest first, by data store, node and -Last' {
        # Put the replica back from the primary's image: the store is recoverable again, and a second record says so.
        $missing = (Test-BPRecovery DS01 -Node '\B' -SampleSize 0 | Where-Object Name -eq 'replicas present').Detail
        $victim = [regex]::Match($missing, '([0-9A-Z]{6}) \(no data file\)').Groups[1].Value
        Copy-Item (Join-Path $script:Lab "sites/SITEA/storage/DS01/LB$victim.DAT") (Join-Path $script:Lab "sites/SITEB/storage/DS01/LB$victim.DAT")
        Start-Sleep -Milliseconds 1100
        Test-BPRecovery DS01 -Node '\B' -Save -Note 'replica restored' | Out-Null

        $all = @(Get-BPRecoveryTest)
        $all | Should -HaveCount 2
        $all[0].Note | Should -Be 'replica restored'
        $all[0].Passed | Should -BeTrue
        $all[0].When | Should -BeGreaterThan $all[1].When
        @(Get-BPRecoveryTest -Last 1).Id | Should -Be $all[0].Id
        @(Get-BPRecoveryTest -DataStore ds01 -Node '\B').Count | Should -Be 2
        @(Get-BPRecoveryTest -DataStore DS02) | Should -BeNullOrEmpty
        @(Get-BPRecoveryTest -Node '\A') | Should -BeNullOrEmpty
        (Get-BPRecoveryTest -Last 1 | Out-String -Width 200) | Should -Match 'replica restored'
    }

    It 'keeps nothing of a record the disk refuses, and says so' {
        $env:BACKPAK_LAB_IO_FAULT_AT = 'recovery.save'
        try {
            { Test-BPRecovery DS01 -Node '\B' -Save -ErrorAction Stop | Out-Null } | Should -Throw -ErrorId 'RecoveryTestRecordFailed,BackPak.PowerShell.Cmdlets.TestBPRecoveryCommand'
        } finally { Remove-Item Env:BACKPAK_LAB_IO_FAULT_AT }
        @(Get-ChildItem (Join-Path $script:Lab 'recovery-tests')).Count | Should -Be 2
        @(Get-BPRecoveryTest).Count | Should -Be 2
    }

    It 'refuses the PRIMARY side and checks nothing' {
        { Test-BPRecovery DS01 -Node '\A' -Save -ErrorAction Stop } | Should -Throw -ErrorId 'RecoveryNotSecondary,BackPak.PowerShell.Cmdlets.TestBPRecoveryCommand'
        @(Get-BPRecoveryTest).Count | Should -Be 2
        { Test-BPRecovery NOSUCH -Node '\B' -ErrorAction Stop } | Should -Throw -ErrorId 'DataStoreNotFound,BackPak.PowerShell.Cmdlets.TestBPRecoveryCommand'
    }

    It 'says what it could not compare when the primary side is not connected' {
        Disconnect-BPDomain -Domain $script:A
        try {
            $checks = @(Test-BPRecovery DS01 -Node '\B' -SampleSize 2)
            $import = $checks | Where-Object Name -eq 'last import current'
            $import.Passed | Should -BeFalse
            $import.Detail | Should -Match '^could not compare .*\\A is not connected'
            @($checks | Where-Object { -not $_.Passed }).Name | Should -Be @('last import current', 'DSM/TC entries')
        } finally {
            $script:A = Connect-BPDomain -Lab $script:Lab -Node '\A'
        }
    }
}
