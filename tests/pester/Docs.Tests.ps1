<#
    The repository carries its own docs for every rule and manual page its code cites (shared/ is not part of the
    product): every page tag (CS p41, BB p15/13, TEO p10) and every rule number (R13) in the code, help, examples
    and README must resolve in docs/.
#>
BeforeDiscovery {
    $root = if ($env:BACKPAK_ROOT) { $env:BACKPAK_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    $files = @(Get-ChildItem (Join-Path $root 'src'), (Join-Path $root 'module'), (Join-Path $root 'examples') -Recurse -File -Include *.cs, *.ps1, *.psm1, *.psd1, *.txt, *.ps1xml |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }) + @(Get-Item (Join-Path $root 'README.md'))
    $pages = [System.Collections.Generic.SortedSet[string]]::new()
    $rules = [System.Collections.Generic.SortedSet[string]]::new()
    foreach ($f in $files) {
        $text = Get-Content -LiteralPath $f.FullName -Raw
        foreach ($m in [regex]::Matches($text, '\b(CS|BB|TEO|UIC) p(\d+)(/\d+)?')) { [void]$pages.Add($m.Groups[1].Value + ' p' + $m.Groups[2].Value) }
        foreach ($m in [regex]::Matches($text, '\bR(\d{1,2})\b')) { if ([int]$m.Groups[1].Value -le 23) { [void]$rules.Add('R' + $m.Groups[1].Value) } }
    }
    $pageCases = @($pages | ForEach-Object { @{ Tag = $_ } })
    $ruleCases = @($rules | ForEach-Object { @{ Rule = $_ } })
}

BeforeAll {
    $root = if ($env:BACKPAK_ROOT) { $env:BACKPAK_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    $sources = Get-Content (Join-Path $root 'docs/sources.md') -Raw
    $rulesDoc = Get-Content (Join-Path $root 'docs/rules.md') -Raw
}

Describe 'docs/ resolves every citation of the code' {
    It 'documents the manual page <Tag>' -TestCases $pageCases {
        param($Tag)
        # A row of the page table: "| CS p41 |" or "| BB p15/13 |".
        $sources | Should -Match ('\|\s*' + [regex]::Escape($Tag) + '(/\d+)?\s*\|')
    }

    It 'documents the rule <Rule>' -TestCases $ruleCases {
        param($Rule)
        $rulesDoc | Should -Match ('\|\s*' + $Rule + '\s*\|')
    }

    It 'finds citations at all (the scan is not empty)' -TestCases @(@{ Pages = $pageCases.Count; Rules = $ruleCases.Count }) {
        param($Pages, $Rules)
        $Pages | Should -BeGreaterThan 10
        $Rules | Should -BeGreaterThan 10
    }
}
