<#
    Issue 14 item 5: the transport without Expand (manual Appendix A, CS p44) on the built module, as an operator runs
    it: the runbook examples/TransportWithoutExpand.ps1 sets it up and runs a FULL cycle and a partial one, after which
    the secondary's catalog holds what the primary's does; refusals change nothing; the registration at the secondary,
    killed in a real pwsh while the store is RESTRICTED, is finished by running it again; the objects read as text.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Root = Get-BPTestRepoRoot
    $script:Runbook = Join-Path $script:Root 'examples/TransportWithoutExpand.ps1'
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 120 -Seed 81 -Encrypted -TransportVolumeGroup TRANSPORT | Out-Null
    $script:Copies = 0

    function Use-FreshLab {
        Disconnect-BPDomain -All
        $script:Copies++
        $lab = Join-Path $script:Scratch "lab$($script:Copies)"
        Copy-BPLab -Source $script:Base -Destination $lab
        Connect-BPDomain -Lab $lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $lab -Node '\A' | Out-Null
        $lab
    }

    # The BackPak and DSM/TC side of each volume of DS01 on a node (TMF entries are not replicated).
    function Get-Catalog([string] $Node) {
        Get-BPVolume -DataStore DS01 -Domain $Node | Where-Object VolumeGroup -NE 'TMFDUMPS' | ForEach-Object { "$($_.Label) $($_.VolumeGroup) $($_.CatalogStatus) $(if ($_.LastBackup) { $_.LastBackup.ToString('o') }) $($_.MediaKeyName)" } | Sort-Object
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Remove-BPScratchFolder $script:Scratch
}

Describe 'The runbook: setup, a FULL cycle, then a backup window and a partial cycle' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        $script:Setup = & $script:Runbook -Lab $script:Lab -DataStore DS01 -Primary '\A' -Secondary '\B' -Phase Setup
        $script:FullCycle = & $script:Runbook -Lab $script:Lab -DataStore DS01 -Primary '\A' -Secondary '\B' -Phase Cycle -Full -WaitSeconds 30
        $script:Written = @(Invoke-BPLabBackup -DataStore DS01 -Count 4 -NewVolume -Domain '\A')
        $script:PartialCycle = & $script:Runbook -Lab $script:Lab -DataStore DS01 -Primary '\A' -Secondary '\B' -Phase Cycle -Partial -WaitSeconds 30
    }

    It 'sets the intermediate staging area at the primary and registers the volume on both sides, the secondary SECONDARY again' {
        (Get-BPExportStatus DS01 -Domain '\A').StagingArea | Should -Be '\A.$BPINT.DS01'
        $script:Setup.Node | Should -Be '\A', '\B'
        $script:Setup.State | Should -Be 'Empty', 'Empty'
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Secondary'
        (Get-BPVolume -DataStore DS01 -Label XPT001 -Domain '\B').VolumeGroup | Should -Be 'TRANSPORT'
        @(Get-BPCatalogEntry -Label XPT001 -Domain '\A').Count | Should -Be 0 -Because 'the transport volume is uncatalogued: no DSM/TC or TMF entry'
    }

    It 'the FULL cycle imports the FULL export at the secondary' {
        $import = $script:FullCycle | Where-Object { $_ -is [BackPak.Core.Sync.SyncRun] }
        "$($import.Type) $($import.Result)" | Should -Be 'Full Completed'
        ($script:FullCycle | Where-Object Node -EQ '\B').LastRestore.Kind | Should -Be 'Full'
    }

    It 'the partial cycle carries only the backup window''s exports, imported as an update' {
        $b = $script:PartialCycle | Where-Object Node -EQ '\B'
        $b.LastRestore.Kind | Should -Be 'Partial'
        $b.State | Should -Be 'Waiting' -Because 'the runbook imported what it restored'
        ($script:PartialCycle | Where-Object { $_ -is [BackPak.Core.Sync.SyncRun] }).Type | Should -Be 'Update'
        ($script:PartialCycle | Where-Object Node -EQ '\A').State | Should -Be 'Current'
    }

    It 'leaves the secondary''s catalog equal to the primary''s, the transport volume on both' {
        $a = Get-Catalog '\A' | Where-Object { $_ -notlike 'XPT001 *' }
        $b = Get-Catalog '\B' | Where-Object { $_ -notlike 'XPT001 *' }
        Compare-BPStringSet -Reference $a -Difference $b | Should -BeNullOrEmpty
        foreach ($v in $script:Written) { $b | Should -Contain ((Get-Catalog '\A') -like "$($v.Label) *")[0] }
    }

    It 'writes the transport volume as JSON that reads as text' {
        $json = Get-BPTransportVolume DS01 -Domain '\B' | ConvertTo-Json -Depth 3
        $json | Should -Match '"State": "Waiting"'
        $json | Should -Match '"Kind": "Partial"'
        $json | Should -Match '"ImportType": "Update"'
        ($json | ConvertFrom-Json).Origin.Node | Should -Be '\B'
    }
}

Describe 'Refusals change nothing' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        & $script:Runbook -Lab $script:Lab -DataStore DS01 -Primary '\A' -Secondary '\B' -Phase Setup | Out-Null
        Disconnect-BPDomain -All
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
        # The catalogs, the domain access, the transport records and the transport volume's image on both sides.
        function Get-State {
            foreach ($n in '\A', '\B') {
                Get-BPVolume -Domain $n | ForEach-Object { "$n $($_.Label) $($_.DataStore) $($_.CatalogStatus) $($_.DomainAccess) $($_.LastBackup)" }
                "$n access $((Get-BPDataStore DS01 -Domain $n).DomainAccess)"
            }
            foreach ($n in 'A', 'B') { Invoke-BPSqliteQuery -Database (Join-Path $script:Lab "nodes/$n/backpak.db") -Sql 'SELECT * FROM transport' }
            Get-ChildItem (Join-Path $script:Lab 'sites') -Recurse -Filter 'LBXPT001.*' | ForEach-Object { "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" }
        }
    }

    It '<Name> is refused with <Id>' -ForEach @(
        @{ Name = 'a partial backup before any whole one'; Id = 'TransportRefused'; Script = { Start-BPCatalogExport DS01 -Type Full -Confirm:$false | Out-Null; Backup-BPStagingArea DS01 -Partial -Confirm:$false } }
        @{ Name = 'a restore at the secondary before anything arrived'; Id = 'TransportNotArrived'; Script = { Restore-BPStagingArea DS01 -Domain '\B' -Confirm:$false } }
        @{ Name = 'a backup at the secondary'; Id = 'TransportRefused'; Script = { Backup-BPStagingArea DS01 -Domain '\B' -Confirm:$false } }
        @{ Name = 'a second transport label for the store'; Id = 'TransportRefused'; Script = { Register-BPTransportVolume DS01 -Label XPT002 -VolumeGroup TRANSPORT -Confirm:$false } }
    ) {
        $before = Get-State
        $e = (Invoke-BPCaptured $Script).All
        $e[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $e[0].Exception | Should -BeOfType ([BackPak.Core.Errors.BackPakException])
        # A FULL export before the refused partial one changes the staging area only, not the catalogs or the transport.
        Compare-BPStringSet -Reference $before -Difference (Get-State) | Should -BeNullOrEmpty
    }

    It '-WhatIf of the registration at the secondary names the three changes and changes nothing' {
        $lab2 = Use-FreshLab
        Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain '\A' -Confirm:$false | Out-Null
        $r = Invoke-BPFreshPwsh -Command "Import-Module '$script:Module'; Connect-BPDomain -Lab '$lab2' -Node '\B' | Out-Null; Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -WhatIf"
        "$($r.StdOut)" -replace '\s+', ' ' | Should -Match 'RESTRICTED, create XPT001 in volume group TRANSPORT, change DS01 back to SECONDARY'
        Get-BPTransportVolume DS01 -Domain '\B' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-BPDataStore DS01 -Domain '\B').DomainAccess | Should -Be 'Secondary'
    }
}

Describe 'A registration at the secondary killed while the store is RESTRICTED' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain '\A' -Confirm:$false | Out-Null
        Disconnect-BPDomain -All
        $connect = "Import-Module '$script:Module'; Connect-BPDomain -Lab '$script:Lab' -Node '\B' | Out-Null; "
        $script:Killed = Invoke-BPFreshPwshEnv -Command ($connect + "Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Confirm:`$false | Out-Null") -Environment @{ BACKPAK_LAB_CRASH_AT = 'transport.register.restricted' }
        Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
        $script:After = [pscustomobject]@{ Access = "$((Get-BPDataStore DS01).DomainAccess)"; State = "$((Get-BPTransportVolume DS01).State)" }
    }

    It 'the process was killed with the store RESTRICTED and the registration unfinished' {
        $script:Killed.ExitCode | Should -Not -Be 0
        $script:After.Access | Should -Be 'Restricted'
        $script:After.State | Should -Be 'Registering'
    }

    It 'running it again finishes it: the volume is created and the store is SECONDARY again' {
        $t = Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Confirm:$false
        $t.State | Should -Be 'Empty'
        (Get-BPDataStore DS01).DomainAccess | Should -Be 'Secondary'
        (Get-BPVolume -DataStore DS01 -Label XPT001).DomainAccess | Should -Be 'Secondary'
    }
}
