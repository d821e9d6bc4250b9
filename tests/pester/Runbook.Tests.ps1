<#
    Export-BPRunbook (issue 13, item 5): the plan of a switch written for a person, from names alone or from a piped
    plan; the example in examples/runbooks is what the cmdlet writes today; an existing file is never replaced.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Example = Join-Path (Get-BPTestRepoRoot) 'examples/runbooks/role-switch-DS01.md'
    function Get-BPRunbookBody([string] $Path) {
        # The document without its "Written by ... on <time> by <user>" line, which changes with every run.
        @(Get-Content -LiteralPath $Path | Where-Object { $_ -notmatch '^Written by Export-BPRunbook on ' })
    }
}

AfterAll { Disconnect-BPDomain -All }

Describe 'Export-BPRunbook' {

    It 'writes, without any connection, the runbook kept in examples/runbooks (its step list is the plan''s)' {
        $f = Join-Path $TestDrive 'names.md'
        $out = Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\B' -Path $f
        $out.FullName | Should -Be $f
        Get-BPRunbookBody $f | Should -Be (Get-BPRunbookBody $script:Example) -Because 'examples/runbooks/role-switch-DS01.md is regenerated when the runbook changes'
        $headings = @(Select-String -LiteralPath $f -Pattern '^### (\d+)\. ' | ForEach-Object { [int]$_.Matches[0].Groups[1].Value })
        $headings | Should -Be @(1..16)
        (Get-Content -Raw -LiteralPath $f) | Should -Match ([regex]::Escape("Written by Export-BPRunbook on ") + '\d{4}-\d\d-\d\d \d\d:\d\d UTC by ' + [regex]::Escape([Environment]::UserName))
    }

    It 'writes the same runbook from a plan piped from Get-BPRoleSwitchPlan on a lab' {
        $lab = Join-Path $TestDrive 'lab'
        $null = New-BPLab -Path $lab -VolumeCount 20 -Seed 3
        $null = Connect-BPDomain -Lab $lab -Node '\B'
        $null = Connect-BPDomain -Lab $lab -Node '\A'
        $f = Join-Path $TestDrive 'piped.md'
        Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B' | Export-BPRunbook -Path $f | Out-Null
        Get-BPRunbookBody $f | Should -Be (Get-BPRunbookBody $script:Example)
        # Two plans into one file: the second is refused, the first stays whole.
        $g = Join-Path $TestDrive 'two.md'
        $plan = Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B'
        $r = @($plan, $plan | Export-BPRunbook -Path $g -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Be 'RunbookNotWritten,BackPak.PowerShell.Cmdlets.ExportBPRunbookCommand'
        Get-BPRunbookBody $g | Should -Be (Get-BPRunbookBody $script:Example)
    }

    It 'writes nothing with -WhatIf, and never replaces a file without -Force' {
        $f = Join-Path $TestDrive 'whatif.md'
        Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\B' -Path $f -WhatIf
        Test-Path -LiteralPath $f | Should -BeFalse
        Set-Content -LiteralPath $f -Value 'my notes'
        { Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\B' -Path $f } | Should -Throw -ErrorId 'RunbookNotWritten,BackPak.PowerShell.Cmdlets.ExportBPRunbookCommand'
        Get-Content -LiteralPath $f | Should -Be 'my notes'
        Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\B' -Path $f -Force | Out-Null
        Get-BPRunbookBody $f | Should -Be (Get-BPRunbookBody $script:Example)
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '*.tmp-*').Count | Should -Be 0
    }
}
