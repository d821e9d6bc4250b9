<#
    The demo (build.ps1 -Task Demo, examples/Demo.ps1) runs as written on the built module, in a fresh pwsh: it creates
    a lab, switches DS01 from \A to \B, shows backups on \B exported to \A, and ends with a recovery test at \A whose
    checks all pass and whose record is kept (issue 14 item 7).
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Module = Copy-BPTestModule -Destination (Join-Path $script:Scratch 'module')
    $demo = Join-Path (Get-BPTestRepoRoot) 'examples/Demo.ps1'
    $lab = Join-Path $script:Scratch 'demo-lab'
    $script:Run = Invoke-BPFreshPwshEnv -Command "& '$demo' -ModulePath '$script:Module' -LabPath '$lab' -VolumeCount 300" -TimeoutSeconds 300
}

AfterAll { Remove-BPScratchFolder -Path $script:Scratch }

Describe 'The demo' {
    It 'runs to its end without an error' {
        $script:Run.ExitCode | Should -Be 0 -Because $script:Run.StdErr
    }

    It 'switches DS01 to \B and shows backups there, refused on \A' {
        $script:Run.StdOut | Should -Match '=== The switch ==='
        $script:Run.StdOut | Should -Match 'Status\s+: Completed'
        $script:Run.StdOut | Should -Match 'and \\A refuses them'
    }

    It 'ends with a recovery test at \A that passes every check and keeps its record' {
        $script:Run.StdOut | Should -Match '=== A recovery test at \\A'
        $m = [regex]::Match($script:Run.StdOut, '(\d+) of (\d+) checks passed')
        $m.Success | Should -BeTrue
        [int]$m.Groups[2].Value | Should -BeGreaterThan 3
        $m.Groups[1].Value | Should -Be $m.Groups[2].Value
        $script:Run.StdOut | Should -Match 'demo: after the switch to \\B'
    }
}
