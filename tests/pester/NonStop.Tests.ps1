<#
    The NonStop provider through the cmdlets, against a real OpenSSH server on 127.0.0.1 whose forced command is the
    NonStop simulator (tests/nonstop/start-server.sh, its own port, host key and client key): Connect-BPDomain
    -Provider NonStop, the reads, a removal refused before anything is sent, and the ErrorIds only a live server can
    cause (host key, sign-in, a dropped session, a slow node, malformed reports, a program's error).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All

    $script:Sim = Join-Path (Get-BPTestRepoRoot) 'tests/nonstop'
    $script:Dir = Join-Path ([System.IO.Path]::GetTempPath()) ('bp-ns-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:Port = $listener.LocalEndpoint.Port; $listener.Stop()
    $started = & bash (Join-Path $script:Sim 'start-server.sh') $script:Dir $script:Port 2>&1
    if ($LASTEXITCODE -ne 0) { throw "start-server.sh failed: $started" }
    $script:State = Join-Path $script:Dir 'state'

    function Invoke-Sim {
        # nssim.py admin on this server's state (seeding, faults, dump): run locally, never over SSH.
        $out = & python3 (Join-Path $script:Sim 'nssim.py') admin --state $script:State @args
        if ($LASTEXITCODE -ne 0) { throw "nssim.py admin $args failed: $out" }
        $out
    }
    function Get-SimCommandCount {
        # Every exec request the simulator received (it logs each before doing anything).
        @(Get-Content -LiteralPath (Join-Path $script:State 'commands.log') | Where-Object { $_ -match '"command"' }).Count
    }
    function New-SiteDescription {
        # A site description of the simulated node in the server's folder; relative paths are the description's own.
        param([string] $Name, [string] $KnownHosts = './known_hosts', [string] $IdentityFile = './client_key',
            [int] $CommandTimeout = 30, [string] $VolumeCatalog = 'VC1')
        $text = @'
@{
    SchemaVersion = 1
    Name = 'SIM'
    Nodes = @(
        @{
            Node = '\A'
            Ssh = @{ Host = '127.0.0.1'; Port = PORT; User = 'USER'; KnownHostsFile = 'KNOWN'; Authentication = 'Key'; IdentityFile = 'KEY'
                     ConnectTimeoutSeconds = 10; CommandTimeoutSeconds = TIMEOUT }
            BackPakSubvolume = '$SYSTEM.BBOX'
            DataStores = @(
                @{ StoreId = 'DS01'; DomainAccess = 'PRIMARY'; StoragePaths = @('/tmp/bp-none/DS01')
                   VolumeGroups = @(
                       @{ Name = 'VG01'; Catalog = 'DsmTc'; VolumeCatalog = 'VCAT'; Pool = 'POOL1'; FileCatalog = 'FC1' }
                       @{ Name = 'VG02'; Catalog = 'DsmTc'; VolumeCatalog = 'VCAT'; Pool = 'POOL2'; FileCatalog = 'FC1' }
                   ) }
            )
        }
    )
}
'@
        $text = $text.Replace('PORT', "$script:Port").Replace('USER', [Environment]::UserName).Replace('KNOWN', $KnownHosts).
            Replace('KEY', $IdentityFile).Replace('TIMEOUT', "$CommandTimeout").Replace('VCAT', $VolumeCatalog)
        $path = Join-Path $script:Dir $Name
        Set-Content -LiteralPath $path -Value $text
        $path
    }

    Invoke-Sim seed --volumes 20 --volcat VC1 --pool POOL1 --filecat FC1 --prefix AA --store DS01 | Out-Null
    Invoke-Sim seed --volumes 4 --volcat VC1 --pool POOL2 --filecat FC1 --prefix SC --status SCRATCH --store DS01 | Out-Null
    $script:Site = New-SiteDescription 'site.psd1'
    # Another host key (a changed or intercepted server), an empty known-hosts file, a key the server does not accept.
    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $script:Dir 'other_host_key') 2>&1 | Out-Null
    $otherKey = (Get-Content (Join-Path $script:Dir 'other_host_key.pub')).Split(' ')[0..1] -join ' '
    Set-Content -LiteralPath (Join-Path $script:Dir 'wrong_known_hosts') -Value "[127.0.0.1]:$script:Port $otherKey"
    Set-Content -LiteralPath (Join-Path $script:Dir 'empty_known_hosts') -Value ''
    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $script:Dir 'stranger_key') 2>&1 | Out-Null
}

AfterAll {
    Disconnect-BPDomain -All
    if ($script:Dir) {
        & bash (Join-Path $script:Sim 'stop-server.sh') $script:Dir 2>&1 | Out-Null
        Remove-Item -LiteralPath $script:Dir -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'Connect-BPDomain -Provider NonStop' {

    BeforeEach { Disconnect-BPDomain -All }

    It 'is a built-in provider that offers reading and a run journal' {
        $p = Get-BPProvider NonStop
        $p.BuiltIn | Should -BeTrue
        @($p.Capabilities) | Should -Be @('reading', 'a run journal')
        @($p.Parameters | ForEach-Object Name) | Should -Be @('SiteDescription', 'IdentityFile', 'RunJournal')
    }

    It 'connects through the real sshd and lists data stores, volume groups, volumes and catalog entries' {
        $d = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site }
        $d.Provider | Should -Be 'NonStop'
        $d.Location | Should -Be "127.0.0.1:$script:Port"
        $store = Get-BPDataStore
        $store.Name | Should -Be 'DS01'
        $store.VolumeCount | Should -Be 24
        @(Get-BPVolumeGroup | ForEach-Object { "$($_.Name)=$($_.VolumeCount)" }) | Should -Be @('VG01=20', 'VG02=4')
        $volumes = @(Get-BPVolume)
        $volumes.Count | Should -Be 24
        @($volumes | ForEach-Object Label) | Should -Be @($volumes | ForEach-Object Label | Sort-Object -CaseSensitive)
        @(Get-BPVolume -Expired | ForEach-Object Label) | Should -Be @('SC0000', 'SC0001', 'SC0002', 'SC0003')
        @(Get-BPVolume 'AA001*').Count | Should -Be 10
        @(Get-BPVolume -VolumeGroup VG02 -DataStore DS01).Count | Should -Be 4
        @(Get-BPVolume AA0003 | Get-BPCatalogEntry | ForEach-Object { "$($_.Kind) $($_.Name)" }) | Should -Be @('TapeVolume AA0003', 'TapeFile DS01-AA0003')
    }

    It 'connects from a fresh pwsh with the site description given relative to its folder' {
        $command = "Set-Location -LiteralPath '$script:Dir'; Import-Module '$($script:Module.Path)'; " +
            "`$null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = './site.psd1' }; " +
            "(Get-BPVolume 'SC*' | ForEach-Object Label) -join ','"
        $r = Invoke-BPFreshPwsh -Command $command
        $r.StdErr | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $r.StdOut.Trim() | Should -Be 'SC0000,SC0001,SC0002,SC0003'
    }

    It 'is compared with a lab by Compare-BPDomain, both streaming in label order, and nothing is sent but reads' {
        $lab = Join-Path $script:Dir 'lab'
        $null = New-BPLab -Path $lab -VolumeCount 60 -Seed 4
        $l = Connect-BPDomain -Lab $lab -Node '\B'
        $n = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site }
        $siteLabels = @(Get-BPVolume -Domain $n -DataStore DS01 | ForEach-Object Label)
        $labLabels = @(Get-BPVolume -Domain $l -DataStore DS01 | ForEach-Object Label)
        $dump = Invoke-Sim dump
        $d = @(Compare-BPDomain $n $l -DataStore DS01)
        @($d | Where-Object SideIndicator -eq '<=' | ForEach-Object Label) | Should -Be $siteLabels
        @($d | Where-Object SideIndicator -eq '=>' | ForEach-Object Label) | Should -Be $labLabels
        @($d | ForEach-Object Label) | Should -Be @($siteLabels + $labLabels | Sort-Object -CaseSensitive)
        @($d | Where-Object SideIndicator -eq '<>') | Should -BeNullOrEmpty
        # The same site compared with itself through a second reader is in step, entries included.
        @(Compare-BPDomain $n $n -DataStore DS01) | Should -BeNullOrEmpty
        @(Compare-BPDomain $n $n -DataStore DS01 -IncludeEqual | Where-Object Subject -eq CatalogEntry).Count | Should -Be (@(Get-BPVolume -Domain $n | Get-BPCatalogEntry).Count)
        Invoke-Sim dump | Should -Be $dump
    }

    It 'connects with a New-BPSiteDescription template whose example values the operator replaced' {
        $file = Join-Path $script:Dir 'from-template.psd1'
        $written = New-BPSiteDescription -Path $file -Node '\A' -DataStore DS01 -SiteName SIM
        $written.FullName | Should -Be $file
        # What an operator edits: the endpoint and its host key, the sign-in, the catalogs of the group, no TMF.
        $text = (Get-Content -Raw -LiteralPath $file).
            Replace("Host = 'nonstop-a.example.com'", "Host = '127.0.0.1'").Replace('Port = 22 ', "Port = $script:Port ").
            Replace("User = 'SUPER.OPER'", "User = '$([Environment]::UserName)'").Replace("'~/.ssh/known_hosts'", "'./known_hosts'").
            Replace("'~/.ssh/id_ed25519'", "'./client_key'").Replace('Tmf = $true', 'Tmf = $false').
            Replace("'VC_DS01'", "'VC1'").Replace("'POOL_DS01'", "'POOL1'").Replace("'FC_DS01'", "'FC1'")
        Set-Content -LiteralPath $file -Value $text
        $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $file }
        (Get-BPDataStore).Name | Should -Be 'DS01'
        @(Get-BPVolume -VolumeGroup VG01).Count | Should -Be 20
        # It never replaces the edited file without -Force.
        { New-BPSiteDescription -Path $file } | Should -Throw -ErrorId 'SiteDescriptionNotWritten,BackPak.PowerShell.Cmdlets.NewBPSiteDescriptionCommand'
        Get-Content -Raw -LiteralPath $file | Should -Be ($text + [Environment]::NewLine)
    }

    It 'refuses a removal with CapabilityMissing before anything is sent to the node' {
        $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site }
        $before = Get-SimCommandCount
        $dump = Invoke-Sim dump
        $r = Invoke-BPCaptured { Remove-BPVolume -Label SC0001 -Confirm:$false }
        $r.All[0].FullyQualifiedErrorId | Should -BeExactly 'CapabilityMissing,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand'
        Get-SimCommandCount | Should -Be $before
        Invoke-Sim dump | Should -Be $dump
    }

    It 'decommissions a store guided: each GUI step waits for -ConfirmStep, the volumes are checked gone, and only reads are sent' {
        # A store of its own (VOLCAT VC3), so the other tests' volumes stay as they are.
        Invoke-Sim seed --volumes 6 --volcat VC3 --pool POOL1 --filecat FC3 --prefix DC --store DS01 | Out-Null
        Invoke-Sim seed --volumes 2 --volcat VC3 --pool POOL2 --filecat FC3 --prefix DD --status SCRATCH --store DS01 | Out-Null
        $site = New-SiteDescription 'decommission.psd1' -VolumeCatalog VC3
        $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $site }
        $log = Join-Path $script:State 'commands.log'
        $sentBefore = @(Get-Content -LiteralPath $log).Count

        $r = Remove-BPDataStore DS01 -Recurse -Confirm:$false -PassThru -WarningVariable w -WarningAction SilentlyContinue
        $r.Status | Should -Be 'AwaitingOperator'
        $r.Steps[0].Message | Should -Match '^8 volume\(s\) in 2 volume group\(s\) on \\A'
        "$w" | Should -Match 'Step 2 \(stop-export\) waits for the operator: the BackPak GUI: Suspend the catalog export of DS01'
        "$w" | Should -Match '-ConfirmStep stop-export'
        { Remove-BPDataStore DS01 -Recurse -ConfirmStep primary-volumes -Confirm:$false } |
            Should -Throw -ErrorId 'StepNotAwaitingOperator,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand'
        $r = Remove-BPDataStore DS01 -Recurse -ConfirmStep stop-export -Confirm:$false -PassThru -WarningAction SilentlyContinue
        ($r.Steps | Where-Object Status -eq AwaitingOperator).Id | Should -Be 'primary-volumes'

        # Confirmed before the GUI deleted them: the read finds them, the run still waits.
        { Remove-BPDataStore DS01 -Recurse -ConfirmStep primary-volumes -Confirm:$false } |
            Should -Throw -ErrorId 'OperatorStepNotVerified,BackPak.PowerShell.Cmdlets.RemoveBPDataStoreCommand'
        Invoke-Sim gui-delete --volcat VC3 --pool POOL1 | Out-Null
        Invoke-Sim gui-delete --volcat VC3 --pool POOL2 | Out-Null
        foreach ($step in 'primary-volumes', 'primary-groups') {
            $null = Remove-BPDataStore DS01 -Recurse -ConfirmStep $step -Confirm:$false -WarningAction SilentlyContinue
        }
        $r = Remove-BPDataStore DS01 -Recurse -ConfirmStep primary-store -Confirm:$false -PassThru
        $r.Status | Should -Be 'Completed'
        $r.VolumesRemoved | Should -Be 8
        ($r.Steps | Where-Object Id -eq 'primary-volumes').Message | Should -Match 'checked: the tape catalogs of \\A hold no volume of DS01 any more \(8 were there\)'
        @($r.Steps | Where-Object Status -ne Done) | Should -BeNullOrEmpty
        # Every command sent was a read; the run is journaled beside the site description.
        @(Get-Content -LiteralPath $log | Select-Object -Skip $sentBefore | Where-Object { $_ -match 'DELETE|ALTER|BB027' }) | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath (Join-Path $script:Dir 'decommission.runs') -Filter 'DC-*.jsonl').Count | Should -Be 1

        # Test-BPDecommission on the real site: what a read tells passes; the places no read reaches cannot pass.
        $checks = Test-BPDecommission DS01 -Primary '\A'
        ($checks | Where-Object Place -eq 'DSM/TC and TMF catalogs on \A').Passed | Should -BeTrue
        ($checks | Where-Object Place -eq 'decommission run of DS01').Detail | Should -Match 'completed; on the operator''s word alone .*\(primary-groups\)'
        @($checks | Where-Object { -not $_.Checked } | ForEach-Object Place) | Should -Be @('BackPak catalog on \A', 'storage of DS01', 'key servers')
        @($checks | Where-Object Checked | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        Test-BPDecommission DS01 -Primary '\A' -Quiet | Should -BeFalse
        ($checks | Format-Table | Out-String -Width 120) | Should -Match 'cannot tell: the storage is not reached over SSH'
    }
}

Describe 'ErrorIds of a live node: <Name>' -ForEach @(
    @{ Name = 'a host key other than the known one'; Id = 'NonStopHostKeyMismatch'; Class = 'ConnectBPDomainCommand'; Terminating = $true
        Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = (New-SiteDescription 'mismatch.psd1' -KnownHosts './wrong_known_hosts') } } }
    @{ Name = 'a host the known-hosts file does not list'; Id = 'NonStopHostKeyUnknown'; Class = 'ConnectBPDomainCommand'; Terminating = $true
        Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = (New-SiteDescription 'unknown.psd1' -KnownHosts './empty_known_hosts') } } }
    @{ Name = 'a key the server does not accept'; Id = 'NonStopAuthenticationFailed'; Class = 'ConnectBPDomainCommand'; Terminating = $true
        Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site; IdentityFile = (Join-Path $script:Dir 'stranger_key') } } }
    @{ Name = 'a session dropped in the middle of a report'; Id = 'NonStopSessionDropped'; Class = 'GetBPVolumeCommand'; Terminating = $false
        Fault = @('drop-after', '40', '--match', 'INFO TAPEVOLUME')
        Script = { $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site }; Get-BPVolume } }
    @{ Name = 'a node slower than the command timeout'; Id = 'NonStopCommandTimeout'; Class = 'GetBPVolumeCommand'; Terminating = $false
        Fault = @('slow', '3', '--match', 'INFO TAPEVOLUME')
        Script = { $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = (New-SiteDescription 'slow.psd1' -CommandTimeout 1) }; Get-BPVolume } }
    @{ Name = 'a report cut before its closing count'; Id = 'NonStopReportMalformed'; Class = 'GetBPVolumeCommand'; Terminating = $false
        Fault = @('malformed', 'truncate', '--match', 'INFO TAPEVOLUME')
        Script = { $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site }; Get-BPVolume } }
    @{ Name = 'a report whose generation is not a number'; Id = 'NonStopReportMalformed'; Class = 'GetBPVolumeCommand'; Terminating = $false
        Fault = @('malformed', 'garble', '--match', 'INFO TAPEVOLUME')
        Script = { $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:Site }; Get-BPVolume } }
    @{ Name = 'MEDIACOM refusing a volume catalog the node does not have'; Id = 'NonStopCommandFailed'; Class = 'GetBPVolumeCommand'; Terminating = $false; Persists = $true
        Script = { $null = Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = (New-SiteDescription 'novcat.psd1' -VolumeCatalog 'NOVCAT') }; Get-BPVolume } }
) {
    BeforeEach {
        Disconnect-BPDomain -All
        Invoke-Sim fault clear | Out-Null
        if ($Fault) { Invoke-Sim fault set @Fault | Out-Null }
    }
    AfterEach {
        Invoke-Sim fault clear | Out-Null
        Disconnect-BPDomain -All
    }

    It 'raises <Id> with its target and advice, and changes nothing on the node' {
        $dump = Invoke-Sim dump
        $r = Invoke-BPCaptured $Script
        @($r.All).Count | Should -BeGreaterThan 0 -Because 'the scenario must fail'
        $e = $r.All[0]
        $e.FullyQualifiedErrorId | Should -BeExactly "$Id,BackPak.PowerShell.Cmdlets.$Class" -Because $e.Exception.Message
        if ($Terminating) { $r.Terminating | Should -Not -BeNullOrEmpty } else { $r.Terminating | Should -BeNullOrEmpty }
        "$($e.TargetObject)" | Should -Be '\A'
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Invoke-Sim dump | Should -Be $dump
    }

    It 'leaves no connection after a failed connection; after a failed read, the next read works (or fails alike)' {
        $null = Invoke-BPCaptured $Script
        Invoke-Sim fault clear | Out-Null
        if ($Class -eq 'ConnectBPDomainCommand') {
            @(Get-BPDomain) | Should -BeNullOrEmpty
        } elseif ($Persists) {
            # The description names a catalog the node does not have: every read says so, the same way.
            (Invoke-BPCaptured { Get-BPVolume }).All[0].FullyQualifiedErrorId | Should -BeExactly "$Id,BackPak.PowerShell.Cmdlets.$Class"
        } else {
            @(Get-BPVolume -DataStore DS01 -ErrorAction Stop).Count | Should -BeGreaterThan 0
        }
    }
}
