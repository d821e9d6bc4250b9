<#
    Issue 9, the pipeline as operators write it in runbooks: a piped object is acted on where it came from and
    nowhere else; labels come as strings, objects and CSV files; an empty list selects nothing; two labs with the same
    node names never get each other's objects. Each Describe makes its own labs in TestDrive: the scenarios remove.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All

    function New-TwoNodeLab([string] $Name, [int] $Seed = 21) {
        # \B then \A connected: \A is the default, as in the README.
        $path = Join-Path $TestDrive $Name
        $null = New-BPLab -Path $path -VolumeCount 200 -Seed $Seed
        $b = Connect-BPDomain -Lab $path -Node '\B'
        $a = Connect-BPDomain -Lab $path -Node '\A'
        [pscustomobject]@{ Path = $path; A = $a; B = $b }
    }
    function Get-Idle([object] $Domain, [string] $DataStore, [int] $First) {
        # Expired volumes no operation holds: a removal takes them.
        @(Get-BPVolume -Domain $Domain -DataStore $DataStore -Expired | Where-Object { -not $_.CurrentOperation } | Select-Object -First $First)
    }
    function Get-Present([object] $Domain, [string[]] $Label) {
        @(Get-BPVolume -Domain $Domain -Label $Label -ErrorAction SilentlyContinue | ForEach-Object Label)
    }
}

AfterAll {
    Disconnect-BPDomain -All
}

Describe 'A piped volume is removed where it was read, or not at all' {

    BeforeAll { $script:Lab = New-TwoNodeLab 'origin' }

    It "Get-BPVolume -Label X -Domain '\A' | Remove-BPVolume -Domain '\B' stops with DomainMismatch and removes nothing on either node" {
        # DS01 is replicated: the label is on \A (PRIMARY) and on \B (SECONDARY).
        $label = (Get-Idle $script:Lab.A DS01 1).Label
        Get-Present $script:Lab.B $label | Should -Be $label
        $r = Invoke-BPCaptured { Get-BPVolume -Label $label -Domain '\A' | Remove-BPVolume -Domain '\B' -Confirm:$false }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'DomainMismatch,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        $r.Terminating.Exception.Message | Should -Match ([regex]::Escape('\A (Lab: '))
        Get-Present $script:Lab.A $label | Should -Be $label
        Get-Present $script:Lab.B $label | Should -Be $label
    }

    It 'the same pipeline without -Domain removes the volume on \A only' {
        $label = (Get-Idle $script:Lab.A DS01 1).Label
        $results = Get-BPVolume -Label $label -Domain '\A' | Remove-BPVolume -Confirm:$false -PassThru
        $results.Node | Should -Be '\A'
        $results.Status | Should -Be 'Removed'
        Get-Present $script:Lab.A $label | Should -BeNullOrEmpty
        Get-Present $script:Lab.B $label | Should -Be $label
    }

    It 'Get-BPCatalogEntry -Domain contradicting piped volumes stops before reading anything' {
        $r = Invoke-BPCaptured { Get-BPVolume -DataStore DS01 -Domain '\A' | Select-Object -First 2 | Get-BPCatalogEntry -Domain '\B' }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'DomainMismatch,BackPak.PowerShell.Cmdlets.GetBPCatalogEntryCommand'
        $r.Output | Should -BeNullOrEmpty
    }
}

Describe 'Labels as strings, objects and CSV files' {

    BeforeAll { $script:Lab = New-TwoNodeLab 'labels' }

    It "'L1','L2' | Remove-BPVolume removes them in the default domain" {
        $labels = @((Get-Idle $script:Lab.A DS02 2).Label)
        $results = $labels[0], $labels[1] | Remove-BPVolume -Confirm:$false -PassThru
        @($results.Label) | Should -Be $labels
        @($results.Node | Sort-Object -Unique) | Should -Be '\A'
        Get-Present $script:Lab.A $labels | Should -BeNullOrEmpty
    }

    It "'L1' | Remove-BPVolume -Domain '\B' removes it on \B" {
        $label = (Get-Idle $script:Lab.B DS03 1).Label
        ($label | Remove-BPVolume -Domain '\B' -Confirm:$false -PassThru).Node | Should -Be '\B'
    }

    It 'Import-Csv todel.csv | Remove-BPVolume removes the listed labels, and a Node column sends each row to its node' {
        $onA = @((Get-Idle $script:Lab.A DS02 2).Label)
        $onB = @((Get-Idle $script:Lab.B DS01 2).Label)   # these labels are on \A too (DS01 is replicated)
        $csv = Join-Path $TestDrive 'todel.csv'
        @($onA | ForEach-Object { [pscustomobject]@{ Label = $_; Node = '\A' } }) + @($onB | ForEach-Object { [pscustomobject]@{ Label = $_; Node = '\B' } }) |
            Export-Csv $csv
        $r = Invoke-BPCaptured { Import-Csv $csv | Remove-BPVolume -Confirm:$false -PassThru }
        $r.All | Should -BeNullOrEmpty
        @($r.Output | ForEach-Object { "$($_.Label)$($_.Node)" } | Sort-Object) | Should -Be @(@($onA | ForEach-Object { "$_\A" }) + @($onB | ForEach-Object { "$_\B" }) | Sort-Object)
        Get-Present $script:Lab.A $onB | Should -Be $onB    # \A's copies of the \B rows are untouched
    }

    It 'a CSV with only a Label column is acted on in -Domain, and a Node column contradicting -Domain stops it' {
        $label = (Get-Idle $script:Lab.B DS03 1).Label
        $csv = Join-Path $TestDrive 'labels-only.csv'
        "Label`n$label" | Set-Content $csv
        (Import-Csv $csv | Remove-BPVolume -Domain '\B' -Confirm:$false -PassThru).Node | Should -Be '\B'

        $other = (Get-Idle $script:Lab.A DS02 1).Label
        $withNode = Join-Path $TestDrive 'with-node.csv'
        "Label,Node`n$other,\A" | Set-Content $withNode
        $r = Invoke-BPCaptured { Import-Csv $withNode | Remove-BPVolume -Domain '\B' -Confirm:$false }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'DomainMismatch,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        Get-Present $script:Lab.A $other | Should -Be $other
    }

    It 'Get-BPCatalogEntry and Stop-BPLabBackup take the same shapes' {
        $label = (Get-BPVolume -DataStore DS01 | Select-Object -First 1).Label
        @($label | Get-BPCatalogEntry).Count | Should -BeGreaterThan 0
        @([pscustomobject]@{ Label = $label; Node = '\B' } | Get-BPCatalogEntry | ForEach-Object Node | Sort-Object -Unique) | Should -Be '\B'
        $running = Start-BPLabBackup DS02 -Confirm:$false
        $stopped = [pscustomobject]@{ Label = $running.Label } | Stop-BPLabBackup -Confirm:$false
        $stopped.IsBackupRunning | Should -BeFalse
    }
}

Describe 'An empty list selects nothing' {

    BeforeAll {
        $script:Lab = New-TwoNodeLab 'empty'
        $script:Empty = Join-Path $TestDrive 'empty.txt'
        New-Item -ItemType File $script:Empty | Out-Null
        function Get-Total { @(Get-BPVolume -Domain $script:Lab.A).Count + @(Get-BPVolume -Domain $script:Lab.B).Count }
    }

    It 'Get-BPVolume -Label (Get-Content empty.txt) -Expired | Remove-BPVolume -Force removes nothing, with a warning' {
        $before = Get-Total
        $r = Invoke-BPCaptured { Get-BPVolume -Label (Get-Content $script:Empty) -Expired -WarningVariable w -WarningAction SilentlyContinue | Remove-BPVolume -Force -PassThru; $w }
        $r.All | Should -BeNullOrEmpty
        @($r.Output).Count | Should -Be 1
        "$($r.Output[0])" | Should -Match '^-Label was given with nothing in it'
        Get-Total | Should -Be $before
    }

    It 'Remove-BPVolume -Label (Get-Content empty.txt) -Force refuses with EmptySelection' {
        $before = Get-Total
        $r = Invoke-BPCaptured { Remove-BPVolume -Label (Get-Content $script:Empty) -Force }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'EmptySelection,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        Get-Total | Should -Be $before
    }

    It "Remove-BPVolume -Label '*' needs -DataStore, and with it removes that store only" {
        $before = Get-Total
        $r = Invoke-BPCaptured { Remove-BPVolume -Label '*' -IgnoreRetention -Force }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'WildcardSelectsEveryVolume,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        Get-Total | Should -Be $before
        $ds01 = @(Get-BPVolume -DataStore DS01).Count
        Remove-BPVolume -Label '*' -DataStore DS02 -IgnoreRetention -Force -ErrorAction SilentlyContinue
        @(Get-BPVolume -DataStore DS02 | Where-Object { -not $_.CurrentOperation }).Count | Should -Be 0
        @(Get-BPVolume -DataStore DS01).Count | Should -Be $ds01
    }
}

Describe 'Objects piped across labs with the same node names' {

    BeforeAll {
        Disconnect-BPDomain -All
        # Same seed: the same nodes and the same labels in both labs.
        $script:Path1 = Join-Path $TestDrive 'site1'; $script:Path2 = Join-Path $TestDrive 'site2'
        $null = New-BPLab -Path $script:Path1 -VolumeCount 200 -Seed 31
        $null = New-BPLab -Path $script:Path2 -VolumeCount 200 -Seed 31
        $script:One = Connect-BPDomain -Lab $script:Path1 -Node '\A'
        $script:Two = Connect-BPDomain -Lab $script:Path2 -Node '\A'   # the default
    }

    It 'volumes read from lab 1 are removed from lab 1, and lab 2 keeps its volumes of the same labels' {
        $labels = @((Get-Idle $script:One DS01 3).Label)
        Get-Present $script:Two $labels | Should -Be $labels
        $results = Get-BPVolume -Domain $script:One -Label $labels | Remove-BPVolume -Force -PassThru
        @($results.Status | Sort-Object -Unique) | Should -Be 'Removed'
        Get-Present $script:One $labels | Should -BeNullOrEmpty
        Get-Present $script:Two $labels | Should -Be $labels
    }

    It 'a CSV exported from lab 1 is acted on in lab 1' {
        $csv = Join-Path $TestDrive 'site1.csv'
        Get-Idle $script:One DS01 2 | Export-Csv $csv
        $labels = @(Import-Csv $csv | ForEach-Object Label)
        Import-Csv $csv | Remove-BPVolume -Force
        Get-Present $script:One $labels | Should -BeNullOrEmpty
        Get-Present $script:Two $labels | Should -Be $labels
    }

    It 'once lab 1 is disconnected, its volumes are refused (DomainNotConnected), not removed from lab 2' {
        $v = Get-Idle $script:One DS01 2
        Disconnect-BPDomain $script:One
        $r = Invoke-BPCaptured { $v | Remove-BPVolume -Force }
        @($r.Errors | ForEach-Object FullyQualifiedErrorId | Sort-Object -Unique) | Should -Be 'DomainNotConnected,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        Get-Present $script:Two @($v.Label) | Should -Be @($v.Label)
    }
}
