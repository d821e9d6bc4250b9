<#
    Operator scenario of issue 11, item 3: the audit trail is a change record. Remove the volumes of DS02, find them
    by -Target DS02 and by wildcard, see a refusal recorded with its ErrorId, see the store's removal start and end,
    and export one operation's change record as Markdown, JSON and CSV and read it back.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Lab = Join-Path $TestDrive 'lab'
    New-BPLab -Path $script:Lab -VolumeCount 1500 -Seed 11 | Out-Null
    Connect-BPDomain -Lab $script:Lab -Node '\B' | Out-Null
    Connect-BPDomain -Lab $script:Lab -Node '\A' | Out-Null
    # The restores a new lab leaves in flight would keep their volumes (R22).
    Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore | Out-Null
    $script:Ds02 = @(Get-BPVolume -DataStore DS02 | ForEach-Object Label)
    $script:Removed = @(Get-BPVolume -DataStore DS02 | Remove-BPVolume -IgnoreRetention -Force -PassThru)
    $script:RemovalId = $script:Removed[0].OperationId
}

AfterAll { Disconnect-BPDomain -All }

Describe 'The audit trail of a removal of every volume of DS02' {
    It 'removed every volume of DS02, in one operation whose id every result carries' {
        $script:Ds02.Count | Should -BeGreaterThan 100
        @($script:Removed | Where-Object Status -EQ Removed).Count | Should -Be $script:Ds02.Count
        $script:RemovalId | Should -Match '^\d{8}-\d{6}-[0-9A-F]{6}$'
        @($script:Removed | Where-Object OperationId -NE $script:RemovalId) | Should -BeNullOrEmpty
    }

    It '-Target DS02 finds the removal of each of its volumes (DS02/<label>)' {
        $changes = @(Get-BPAuditRecord -Target DS02 -Action Remove-BPVolume -Kind Change -All)
        @($changes.Target | Sort-Object) | Should -Be @($script:Ds02 | ForEach-Object { "DS02/$_" } | Sort-Object)
        @($changes | Where-Object OperationId -NE $script:RemovalId) | Should -BeNullOrEmpty
    }

    It "-Target 'DS02*' and 'DS0?' find the same records, and DS01 none of them" {
        @(Get-BPAuditRecord -Target 'DS02*' -Action Remove-BPVolume -Kind Change -All).Count | Should -Be $script:Ds02.Count
        @(Get-BPAuditRecord -Target 'DS0?' -Action Remove-BPVolume -Kind Change -All).Count | Should -Be $script:Ds02.Count
        @(Get-BPAuditRecord -Target DS01 -Action Remove-BPVolume -All) | Should -BeNullOrEmpty
    }

    It 'the operation has one Start and one End, which says Succeeded and counts the changes' {
        $records = @(Get-BPAuditRecord -OperationId $script:RemovalId -All)
        $start = @($records | Where-Object Kind -EQ Start)
        $end = @($records | Where-Object Kind -EQ End)
        $start.Count | Should -Be 1
        $end.Count | Should -Be 1
        $start[0].Action | Should -Be 'Remove-BPVolume'
        $start[0].Target | Should -Be 'DS02'
        $start[0].Detail | Should -Match '-IgnoreRetention'
        $end[0].Result | Should -Be 'Succeeded'
        $end[0].Detail | Should -Match "^$($script:Ds02.Count) change\(s\), 0 refusal\(s\)"
    }

    It 'by default returns the newest 100 and says that more match' {
        $out = @(Get-BPAuditRecord -Target DS02 -WarningVariable w -WarningAction SilentlyContinue)
        $out.Count | Should -Be 100
        "$w" | Should -Match "newest 100 of \d+ matching"
    }
}

Describe 'Refusals and the end of a store removal' {
    It 'a refused removal is a Refusal record with its ErrorId, and its operation ends Failed' {
        $young = Get-BPVolume -DataStore DS01 -NotExpired | Where-Object { -not $_.CurrentOperation } | Select-Object -First 1
        $young | Remove-BPVolume -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VolumeNotExpired,*'
        $refusal = Get-BPAuditRecord -Kind Refusal -Last 1
        $refusal.ErrorId | Should -Be 'VolumeNotExpired'
        $refusal.Target | Should -Be "DS01/$($young.Label)"
        (Get-BPAuditRecord -OperationId $refusal.OperationId -Kind End).Result | Should -Be 'Failed'
        Get-BPVolume -Label $young.Label | Should -Not -BeNullOrEmpty
    }

    It 'a -WhatIf records nothing' {
        $before = @(Get-BPAuditRecord -All).Count
        Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -WhatIf
        @(Get-BPAuditRecord -All).Count | Should -Be $before
    }

    It 'the removal of DS02 has a Start and an End, and its result carries the operation id' {
        $result = Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Force -PassThru | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
        $result.Completed | Should -BeTrue
        $records = @(Get-BPAuditRecord -OperationId $result.OperationId -All | Sort-Object Id)
        "$($records[0].Kind) $($records[0].Action) $($records[0].Target)" | Should -Be 'Start Remove-BPDataStore DS02'
        "$($records[-1].Kind) $($records[-1].Action) $($records[-1].Result)" | Should -Be 'End Remove-BPDataStore Succeeded'
        @($records | Where-Object { $_.Kind -eq 'Change' -and $_.Action -eq 'Remove-BPDataStore' }).Target | Should -Be 'DS02'
        $script:StoreRemovalId = $result.OperationId
    }
}

Describe 'The change record of one operation' {
    BeforeAll {
        $script:Md = Join-Path $TestDrive 'change.md'
        $script:Json = Join-Path $TestDrive 'change.json'
        $script:Csv = Join-Path $TestDrive 'change.csv'
        Export-BPChangeRecord -OperationId $script:RemovalId -Path $script:Md
        Get-BPAuditRecord -OperationId $script:RemovalId -All | Export-BPChangeRecord -Path $script:Json
        Export-BPChangeRecord $script:RemovalId $script:Csv
    }

    It 'reads back from JSON: who, where, when in ISO 8601 UTC, what changed, the outcome' {
        $raw = Get-Content $script:Json -Raw
        $raw | Should -Match '"Started": "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"'
        $raw | Should -Match '"Kind": "Change"'
        $r = $raw | ConvertFrom-Json
        $r.OperationId | Should -Be $script:RemovalId
        $r.Command | Should -Be 'Remove-BPVolume'
        $r.User | Should -Be ([Environment]::UserName)
        $r.Nodes | Should -Be @('\A')
        $r.Outcome | Should -Be 'Succeeded'
        $r.ChangeCount | Should -Be $script:Ds02.Count
        $r.RefusalCount | Should -Be 0
    }

    It 'reads back from CSV: one row per record, the Change rows name every volume' {
        $rows = @(Import-Csv $script:Csv)
        $rows.Count | Should -Be ($script:Ds02.Count + 2)
        @($rows | Where-Object Kind -EQ Change | ForEach-Object Target | Sort-Object) | Should -Be @($script:Ds02 | ForEach-Object { "DS02/$_" } | Sort-Object)
        $rows[0].At | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'
        $rows[0].Kind | Should -Be 'Start'
        $rows[-1].Result | Should -Be 'Succeeded'
    }

    It 'reads as Markdown for a ticket: the header, the changes and no refusal' {
        $text = Get-Content $script:Md -Raw
        $text | Should -Match "(?m)^# Change record $($script:RemovalId)$"
        $text | Should -Match '\| Outcome \| Succeeded \|'
        $text | Should -Match '\| Where \| \\\\A \|'
        $text | Should -Match "## What changed \($($script:Ds02.Count)\)"
        $text | Should -Match '## What was refused \(0\)\s+None\.'
        $text | Should -Match "DS02/$($script:Ds02[0])"
    }

    It 'refuses an operation no connected domain knows, and an existing file without -Force' {
        { Export-BPChangeRecord -OperationId 20000101-000000-ABCDEF -Path (Join-Path $TestDrive 'x.md') -ErrorAction Stop } |
            Should -Throw -ErrorId 'OperationNotFound,BackPak.PowerShell.Cmdlets.ExportBPChangeRecordCommand'
        { Export-BPChangeRecord -OperationId $script:StoreRemovalId -Path $script:Md -ErrorAction Stop } |
            Should -Throw -ErrorId 'ChangeRecordNotWritten,BackPak.PowerShell.Cmdlets.ExportBPChangeRecordCommand'
        (Get-Content $script:Md -Raw) | Should -Match $script:RemovalId
    }
}

Describe 'The default views of audit records and change records' {
    It '<Name> at <Width> columns: nothing cut, no column dropped' -ForEach @(
        @{ Name = 'AuditRecord'; Width = 80 }, @{ Name = 'AuditRecord'; Width = 120 }
        @{ Name = 'ChangeRecord'; Width = 80 }, @{ Name = 'ChangeRecord'; Width = 120 }
    ) {
        $items = if ($Name -eq 'AuditRecord') {
            # The longest values: a key removal's target, a refusal with its ErrorId, Start and End details.
            @(Get-BPAuditRecord -Kind Start, End, Refusal -Last 6) + @(Get-BPAuditRecord -Kind Change -Last 2)
        } else { Export-BPChangeRecord -OperationId $script:StoreRemovalId -Path (Join-Path $TestDrive "view-$Width.json") -PassThru }
        $text = $items | Out-String -Width $Width
        $lines = $text -split "`r?`n"
        @($lines | Where-Object { $_ -match '…' }) | Should -BeNullOrEmpty -Because "nothing is cut at $Width columns:`n$text"
        @($lines | Where-Object { $_.TrimEnd().Length -gt $Width }) | Should -BeNullOrEmpty
        if ($Name -eq 'AuditRecord') {
            $text | Should -Match '(?m)^At \(UTC\)\s+Action\s+Result\s+Target: Detail'
            $flat = $text -replace '\s', ''
            foreach ($r in $items) {
                # Only the last column wraps, so each record's cells and its whole target and detail follow one another.
                $cells = [BackPak.Core.Model.AuditRecord]::IsoTime($r.At) + $r.Action + $r.Result + $r.Target + $(if ($r.ErrorId -or $r.Detail) { ':' }) + $r.ErrorId + $r.Detail
                $flat | Should -BeLike ('*' + [WildcardPattern]::Escape(($cells -replace '\s', '')) + '*') -Because 'nothing of a record is cut'
            }
        } else {
            foreach ($label in 'OperationId', 'Command', 'Who', 'Nodes', 'Started \(UTC\)', 'Ended \(UTC\)', 'Outcome', 'ChangeCount', 'RefusalCount') {
                $text | Should -Match "(?m)^$label\s+:"
            }
        }
    }
}
