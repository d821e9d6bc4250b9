<#
    Export-BPRunbook (issue 13, item 5): the plan of a switch written for a person, from names alone or from a piped
    plan; the example in examples/runbooks is what the cmdlet writes today; an existing file is never replaced.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Example = Join-Path (Get-BPTestRepoRoot) 'examples/runbooks/role-switch-DS01.md'
    $script:DecommissionExample = Join-Path (Get-BPTestRepoRoot) 'examples/runbooks/decommission-DS01.md'
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

    It 'writes the decommission kept in examples/runbooks, in the order of Remove-BPDataStore -Recurse' {
        $f = Join-Path $TestDrive 'decommission.md'
        Export-BPRunbook -Decommission -DataStore DS01 -Primary '\A' -Secondary '\B' -DestroyKeys -Path $f | Out-Null
        Get-BPRunbookBody $f | Should -Be (Get-BPRunbookBody $script:DecommissionExample) -Because 'examples/runbooks/decommission-DS01.md is regenerated when the runbook changes'
        @(Select-String -LiteralPath $f -Pattern '^### \d+\. (.*)$' | ForEach-Object { $_.Matches[0].Groups[1].Value }) | Should -Be @(
            'Record what DS01 holds on \A and \B and check every volume may go', 'Stop the catalog export of DS01 on \A',
            'Delete the volumes of DS01 on \A: storage, DSM/TC or TMF entries, BackPak entries', 'Remove the volume groups of DS01 on \A',
            'Remove the data store DS01 on \A',
            'Delete the SECONDARY volumes of DS01 on \B: their BackPak and DSM/TC entries (a SECONDARY store never wrote storage)',
            'Remove the volume groups of the SECONDARY DS01 on \B', 'Remove the SECONDARY data store DS01 on \B',
            'Delete the export files of DS01 in its staging area, so no FULL import brings it back',
            'Delete the replicated volume images of DS01 at the secondary site',
            'Destroy the encryption keys of the volumes of DS01 on the connected key servers')
        # Without a secondary or keys: the primary's five steps, and the keys said to stay.
        $g = Join-Path $TestDrive 'local.md'
        Export-BPRunbook -Decommission -DataStore DS02 -Primary '\A' -Path $g | Out-Null
        @(Select-String -LiteralPath $g -Pattern '^### ').Count | Should -Be 5
        Get-Content -Raw -LiteralPath $g | Should -Match 'The encryption keys stay on the key servers'
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
