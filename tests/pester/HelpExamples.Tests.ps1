<#
    Every example of the built help runs as written (issue 11, item 1). For each cmdlet a fresh pwsh
    (tests/pester/HelpExampleRunner.ps1) takes the examples from Get-Help <cmdlet> -Examples and runs each one,
    verbatim, setup preamble included, in a new runspace and an empty folder: the example's setup builds its own lab
    there. An example passes when it writes no error record and raises no terminating error.

    The setups live in the help sources (module/BackPak/help/_Common.psd1 and the Setup key of a cmdlet or an
    example), so the operator reads them in Get-Help too. The host of the examples (HelpExampleHost.cs) confirms
    every prompt as an operator who answers Yes to All, and types only the answers given here to named prompts:
    the 'PFX password' of the 'Eskm' setup, whose ./eskm.psd1 the test writes into each example's folder with the
    values of a PyKMIP server on 127.0.0.1 (tests/kmip/start-pykmip.sh), standing for the site's ESKM.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $module = Import-BPTestModule
    $cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name | ForEach-Object Name)
    $examples = @(foreach ($c in $cmdlets) {
            $n = 0
            foreach ($ex in @((Get-Help $c -Examples).examples.example)) {
                $n++
                @{ Cmdlet = $c; Number = $n; Name = "$c example $n" }
            }
        })
    $cmdletCases = @($cmdlets | ForEach-Object { @{ Cmdlet = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    $root = Get-BPTestRepoRoot

    <#
        Examples known to fail today, with what they fail with. Each still runs, and its test fails if it starts to
        pass, so this list can only shrink: remove an example from it when its fix lands. It must end empty.
    #>
    $script:KnownFailures = [ordered]@{}

    $script:Work = New-BPScratchFolder -Fallback ([System.IO.Path]::GetTempPath())
    # Each runner's JSON (code, errors, prompts, time of every example) stays in out/test-results for a look after the run.
    $script:ResultDir = Join-Path $root 'out/test-results/help-examples'
    if (Test-Path -LiteralPath $script:ResultDir) { Remove-Item -LiteralPath $script:ResultDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $script:ResultDir
    # The module and the host assembly are copied, so a rebuild of out/ while this runs cannot break a child.
    $modulePath = Copy-BPTestModule -Destination (Join-Path $script:Work 'module')
    $hostDll = Join-Path $script:Work 'HelpExampleHost.dll'
    Add-Type -Path (Join-Path $PSScriptRoot 'HelpExampleHost.cs') -OutputAssembly $hostDll -OutputType Library

    # The site's ESKM of the 'Eskm' setup: a PyKMIP server on a free port of 127.0.0.1. Its values reach the
    # examples as the setup says: ./eskm.psd1 in the example's folder, and the answer to the 'PFX password' prompt.
    $script:KmipDir = Join-Path $script:Work 'kmip'
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
    $out = & bash (Join-Path $root 'tests/kmip/start-pykmip.sh') $script:KmipDir $port 2>&1
    if ($LASTEXITCODE -ne 0) { throw "PyKMIP did not start: $out" }
    $eskm = Join-Path $script:Work 'eskm.psd1'
    Set-Content -LiteralPath $eskm -Value @"
@{
    Endpoint          = '127.0.0.1:$port'
    ClientCertificate = '$(Join-Path $script:KmipDir 'client.pfx')'
    TrustedRoot       = '$(Join-Path $script:KmipDir 'ca.crt')'
}
"@
    $provided = @($eskm)
    $answersPath = Join-Path $script:Work 'answers.json'
    $answers = @{ 'PFX password' = (Get-Content (Join-Path $script:KmipDir 'client.pfx.password') -Raw).Trim() }
    $answers | ConvertTo-Json | Set-Content -LiteralPath $answersPath

    $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
    $runner = Join-Path $PSScriptRoot 'HelpExampleRunner.ps1'
    $work = $script:Work
    $script:RunnerArgs = { param($Cmdlet, $ResultPath)
        "& $(& $q $runner) -ModulePath $(& $q $modulePath) -Cmdlet $Cmdlet " +
        "-WorkPath $(& $q (Join-Path $work 'examples')) -ResultPath $(& $q $ResultPath) -HostAssembly $(& $q $hostDll) " +
        "-AnswersPath $(& $q $answersPath) -ProvidedFiles @($((@($provided) | ForEach-Object { & $q $_ }) -join ', '))"
    }.GetNewClosure()

    $cmdlets = @(Get-Command -Module BackPak -CommandType Cmdlet | Sort-Object Name | ForEach-Object Name)
    $script:ExampleCount = [ordered]@{}
    foreach ($c in $cmdlets) { $script:ExampleCount[$c] = @((Get-Help $c -Examples).examples.example).Count }

    # The per-user provider registry is not the examples' to write (Register-BPProvider's example registers and
    # unregisters a provider): each runner keeps its own registry in the scratch folder, and the user's file is
    # compared before and after.
    $script:UserRegistry = Join-Path ([Environment]::GetFolderPath('LocalApplicationData', 'DoNotVerify')) 'BackPak/providers.tsv'
    $script:UserRegistryBefore = if (Test-Path -LiteralPath $script:UserRegistry) { (Get-FileHash -LiteralPath $script:UserRegistry).Hash } else { 'absent' }
    $script:Registries = Join-Path $script:Work 'registries'
    $null = New-Item -ItemType Directory -Path $script:Registries -Force

    # One fresh pwsh per cmdlet, two at a time (the machine has two cores).
    $pending = [System.Collections.Generic.Queue[string]]::new([string[]]$cmdlets)
    $running = [System.Collections.Generic.List[object]]::new()
    $script:Runs = @{}
    while ($pending.Count -or $running.Count) {
        while ($pending.Count -and $running.Count -lt 2) {
            $c = $pending.Dequeue()
            $resultPath = Join-Path $script:ResultDir "$c.json"
            $registry = @{ BACKPAK_PROVIDER_REGISTRY = (Join-Path $script:Registries "$c.tsv") }
            $running.Add([pscustomobject]@{ Cmdlet = $c; Result = $resultPath; Child = Start-BPFreshPwsh -Command (& $script:RunnerArgs $c $resultPath) -Environment $registry })
        }
        $done = @($running | Where-Object { $_.Child.Process.HasExited })
        if (-not $done) { Start-Sleep -Milliseconds 100; continue }
        foreach ($d in $done) {
            [void]$running.Remove($d)
            $r = Wait-BPFreshPwsh -Child $d.Child -TimeoutSeconds 5
            $script:Runs[$d.Cmdlet] = [pscustomobject]@{
                ExitCode = $r.ExitCode
                StdErr   = $r.StdErr
                Examples = if (Test-Path -LiteralPath $d.Result) { @(Get-Content -LiteralPath $d.Result -Raw | ConvertFrom-Json) } else { @() }
            }
        }
    }

    function Get-ExampleResult([string] $Cmdlet, [int] $Number) {
        $run = $script:Runs[$Cmdlet]
        $r = @($run.Examples | Where-Object Number -eq $Number)
        if ($r.Count -ne 1) { throw "The runner of $Cmdlet gave no result for example $Number (exit code $($run.ExitCode)): $($run.StdErr)" }
        $r[0]
    }
    function Get-Problems($Result) {
        # Each error record and the terminating error, with the line of the code it came from (the first 5 of many).
        $all = @($Result.Errors) + @($Result.Terminating | Where-Object { $_ })
        foreach ($e in $all | Select-Object -First 5) {
            $where = if ($e.Line -gt 0) { "line $($e.Line) '$($e.Code)'" } else { 'no line' }
            "[$($e.ErrorId)] $($e.Message) ($where)"
        }
        if ($all.Count -gt 5) { "... $($all.Count) errors in all" }
    }
}

AfterAll {
    if ($script:KmipDir -and (Test-Path -LiteralPath $script:KmipDir)) { & bash (Join-Path (Get-BPTestRepoRoot) 'tests/kmip/stop-pykmip.sh') $script:KmipDir | Out-Null }
    Remove-BPScratchFolder -Path $script:Work
}

Describe 'Every cmdlet has examples' {
    It '<Cmdlet> has at least one example in the built help' -ForEach $cmdletCases {
        @((Get-Help $Cmdlet -Examples).examples.example).Count | Should -BeGreaterOrEqual 1
    }

    It 'the runner ran every example of every cmdlet, in one fresh pwsh per cmdlet' {
        @($script:Runs.Keys | Sort-Object) | Should -Be @($script:ExampleCount.Keys)
        foreach ($c in $script:ExampleCount.Keys) {
            $run = $script:Runs[$c]
            $run.ExitCode | Should -Be 0 -Because "the runner of $c failed: $($run.StdErr)"
            @($run.Examples | ForEach-Object Number) | Should -Be @(1..$script:ExampleCount[$c]) -Because $c
        }
    }

    It 'no example wrote the per-user provider registry: Register-BPProvider''s example wrote its runner''s own' {
        $after = if (Test-Path -LiteralPath $script:UserRegistry) { (Get-FileHash -LiteralPath $script:UserRegistry).Hash } else { 'absent' }
        $after | Should -Be $script:UserRegistryBefore -Because "the examples must not change $script:UserRegistry"
        Join-Path $script:Registries 'Register-BPProvider.tsv' | Should -Exist
        Get-Content -Raw (Join-Path $script:Registries 'Register-BPProvider.tsv') | Should -Not -Match 'LabReadOnly' -Because 'the example unregisters what it registered'
    }

    It 'lists as known failures only examples that exist' {
        $names = @(foreach ($c in $script:ExampleCount.Keys) { for ($i = 1; $i -le $script:ExampleCount[$c]; $i++) { "$c example $i" } })
        @($script:KnownFailures.Keys | Where-Object { $_ -notin $names }) | Should -BeNullOrEmpty
    }
}

Describe 'The shared setups' {
    It 'the Eskm setup gives Connect-BPKeyManager what it needs to reach the key server (here PyKMIP)' {
        $eskm = (Import-PowerShellDataFile (Join-Path (Get-BPTestRepoRoot) 'module/BackPak/help/_Common.psd1')).Setups.Eskm.Code
        $code = $eskm + "`n" + @'
$km = Connect-BPKeyManager -Endpoint $eskm.Endpoint -CertificatePath $eskm.ClientCertificate -CertificatePassword $eskmPassword -TrustedRootCertificate $eskmRoot
"CONNECTED $($km.Endpoint) $($km.Provider)"
'@
        $resultPath = Join-Path $script:Work 'eskm-setup.json'
        $cmd = (& $script:RunnerArgs 'Connect-BPKeyManager' $resultPath) + " -Code $("'" + ($code -replace "'", "''") + "'")"
        $r = Wait-BPFreshPwsh -Child (Start-BPFreshPwsh -Command $cmd) -TimeoutSeconds 120
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $result = @(Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json)[0]
        @(Get-Problems $result) | Should -BeNullOrEmpty
        $result.Output | Should -Match 'CONNECTED 127\.0\.0\.1:\d+ '
        $result.Prompts | Should -Be @("typed the answer to 'PFX password'")
    }
}

Describe 'Help examples run as written' {
    It '<Name>' -ForEach $examples {
        $r = Get-ExampleResult $Cmdlet $Number
        $problems = @(Get-Problems $r)
        $report = "$($r.Title)`n$($r.Code)`n--- errors:`n$($problems -join "`n")`n--- prompts: $(@($r.Prompts) -join '; ')`n--- output:`n$("$($r.Output)" | ForEach-Object { if ($_.Length -gt 1500) { $_.Substring(0, 1500) + ' ...' } else { $_ } })"
        if ($script:KnownFailures.Contains($Name)) {
            $problems | Should -Not -BeNullOrEmpty -Because "$Name runs without error now: remove it from the known failures in $($PSCommandPath | Split-Path -Leaf)"
        } else {
            $problems | Should -BeNullOrEmpty -Because $report
        }
    }
}
