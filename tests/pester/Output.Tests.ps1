<#
    Issue 11, item 4: output an operator can read and a machine can parse. Every type's default view rendered at an
    80- and a 120-column terminal on real objects of a lab, nothing that matters cut; ConvertTo-Json of every result
    type reads as text; operator-facing text speaks the operator's language; tab completion of key names and run ids;
    the connection messages. (The audit record and its view are item 3's, tested in its own file.)
#>

BeforeDiscovery {
    # Every type the module gives a default view, by its full name (the test below checks this list against the
    # format file and the cmdlets' [OutputType], so a new type cannot go untested).
    $script:ViewTypes = @(
        'BackPak.Lab.LabInfo', 'BackPak.Core.Model.DomainConnection', 'BackPak.Core.Model.DataStore',
        'BackPak.Core.Model.VolumeGroup', 'BackPak.Core.Model.Volume', 'BackPak.Core.Model.CatalogEntry',
        'BackPak.Core.Keys.KeyManagerConnection', 'BackPak.Core.Keys.EncryptionKey', 'BackPak.Lab.LabFault',
        'BackPak.Core.Sync.ExportStatus', 'BackPak.Core.Sync.PendingExport', 'BackPak.Core.Procedures.RoleSwitchCheck',
        'BackPak.Core.Procedures.RoleSwitchPlan', 'BackPak.Core.Procedures.StepInfo', 'BackPak.Core.Procedures.RoleSwitchReport',
        'BackPak.Core.Procedures.StepReport', 'BackPak.Core.Sync.SyncRun', 'BackPak.Core.Sync.ImportStatus',
        'BackPak.Core.Removal.VolumeRemovalResult', 'BackPak.Core.Removal.DecommissionResult',
        'BackPak.Core.Removal.DecommissionCheck', 'BackPak.Core.Keys.KeyRemovalResult', 'BackPak.Core.Providers.RegisteredProvider',
        'BackPak.Core.Model.AuditRecord', 'BackPak.Core.Audit.ChangeRecord', 'BackPak.Core.Compare.DomainDifference',
        'BackPak.PowerShell.ReplicationLinkRegistration', 'BackPak.Core.Procedures.RecoveryCheck',
        'BackPak.Core.Procedures.RecoveryCheckResult', 'BackPak.Core.Procedures.RecoveryTestRecord', 'BackPak.Core.Procedures.RecoveryReport',
        'BackPak.Core.Procedures.ReprotectReport', 'BackPak.Core.Procedures.SiteSwitchReport', 'BackPak.Core.Procedures.TransportVolume'
    )
    $script:ViewCases = foreach ($t in $script:ViewTypes) { foreach ($w in 80, 120) { @{ Type = $t; Width = $w } } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All

    function New-BPOutputObjects([string] $Lab) {
        <#
            Real objects of every viewed type from one lab, in the states that make the longest values: a backup
            running, exports failing on an unreachable staging area, a failed switch, a decommission, refused keys.
        #>
        $o = @{}
        function Add-Objects($items) { foreach ($i in @($items)) { if ($null -ne $i) { $n = $i.GetType().FullName; if (-not $o[$n]) { $o[$n] = [System.Collections.Generic.List[object]]::new() }; $o[$n].Add($i) } } }
        Add-Objects (New-BPLab -Path $Lab -VolumeCount 200 -Seed 1 -Encrypted)
        $b = Connect-BPDomain -Lab $Lab -Node '\B'
        $a = Connect-BPDomain -Lab $Lab -Node '\A'
        Add-Objects (Get-BPDomain)
        Add-Objects (Get-BPProvider)
        # The longest link name there is (32 characters), with and without a status script; taken away again so the
        # switch below uses the lab's links.
        Add-Objects (Register-BPReplicationLink DS01 -Kind Storage -Name 'ArrayFailover-SITEA-SITEB-000001' -Reverse { param($Link) } -Status { @{ Healthy = $true; CaughtUp = $true; Source = 'SITEA' } } -Domain $a -PassThru)
        Add-Objects (Register-BPReplicationLink DS01 -Kind Keys -Reverse { param($Link) } -Domain $a -PassThru)
        Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
        Add-Objects (Get-BPDataStore -Domain $a); Add-Objects (Get-BPDataStore -Domain $b)
        Add-Objects (Get-BPVolumeGroup -Domain $a); Add-Objects (Get-BPVolumeGroup -Domain $b)
        $null = Start-BPLabBackup -DataStore DS01 -Domain $a -Confirm:$false
        Add-Objects (Get-BPVolume -Domain $a -DataStore DS01 | Where-Object CurrentOperation | Select-Object -First 3)
        Add-Objects (Get-BPVolume -Domain $b | Select-Object -First 3)
        Add-Objects (Get-BPVolume -Domain $a -DataStore DS01 | Select-Object -First 1 | Get-BPCatalogEntry)
        Add-Objects (Get-BPVolume -Domain $a -VolumeGroup TMFDUMPS | Select-Object -First 1 | Get-BPCatalogEntry)
        $km = @(Connect-BPKeyManager -Lab $Lab -Node '\A'; Connect-BPKeyManager -Lab $Lab -Node '\B')
        Add-Objects $km
        Add-Objects (Get-BPEncryptionKey -KeyManager $km[0] | Select-Object -First 3)
        Add-Objects (Add-BPLabFault StagingUnreachable '\B' -Confirm:$false)
        $null = Stop-BPLabBackup -DataStore DS01 -Domain $a -Confirm:$false
        $null = Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain $a -Confirm:$false
        # One difference of each kind (side, entry kind, property) while the backups are not yet exported: the Media
        # Key Names and disk file names are the longest values.
        Add-Objects (Compare-BPDomain $a $b -DataStore DS01 | Group-Object SideIndicator, EntryKind, Property | ForEach-Object { $_.Group[0] })
        $export = @(Get-BPExportStatus -Domain $a)
        Add-Objects $export; Add-Objects $export[0].Pending
        Add-Objects (Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B')
        $plan = Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B'
        Add-Objects $plan; Add-Objects $plan.Steps
        # The switch fails at its drain step (the staging area is unreachable): a failed run and its steps.
        try { $null = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -WarningAction SilentlyContinue } catch { }
        $run = @(Get-BPRoleSwitchRun -Domain $a)[0]
        Add-Objects $run; Add-Objects $run.Steps
        $null = Stop-BPRoleSwitchRun -RunId $run.RunId -Reason 'render test' -Confirm:$false -WarningAction SilentlyContinue
        Remove-BPLabFault -All -Confirm:$false
        Add-Objects (Start-BPCatalogExport DS01 -Type Update -Domain $a -Confirm:$false)
        Add-Objects (Start-BPCatalogImport DS01 -Type Update -Domain $b -Confirm:$false)
        Add-Objects (Get-BPImportStatus -Domain $b)
        # A recovery test with its longest details (the export of the unreachable staging area left the import behind)
        # and its record, with a long note.
        Add-Objects (Test-BPRecovery DS01 -Node '\B' -Save -Note 'Quarterly disaster-recovery test, change CHG0004711, signed off by the storage team')
        $rt = @(Get-BPRecoveryTest -DataStore DS01 -Last 1)
        Add-Objects $rt; Add-Objects $rt[0].Checks
        $removed = @(Get-BPVolume -Domain $a -DataStore DS01 -Expired | Where-Object { -not $_.CurrentOperation } | Select-Object -First 2 | Remove-BPVolume -PassThru -Confirm:$false)
        Add-Objects $removed
        $null = Stop-BPLabRestore -DataStore DS02 -Domain $a -Confirm:$false
        $ds02keys = @(Get-BPVolume -Domain $a -DataStore DS02 | Select-Object -First 2 | ForEach-Object MediaKeyName)
        Add-Objects (Remove-BPDataStore DS02 -Recurse -IgnoreRetention -Domain $a -Confirm:$false -WarningAction SilentlyContinue -PassThru | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] })
        Add-Objects (Test-BPDecommission -DataStore DS02 -Primary '\A')
        Add-Objects (Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B')
        # Test-BPLab returns the same check type: its places and details must read in the same view.
        Add-Objects (Test-BPLab -Path $Lab)
        # Destroyed (DS02's keys), Refused (a DS01 key its SECONDARY copy still uses), AlreadyAbsent.
        $inUse = (Get-BPEncryptionKey -KeyManager $km[0] | Where-Object Name -like "BPK-$($removed[0].Label)-*").Name
        Add-Objects (Remove-BPEncryptionKey -Name (@($ds02keys) + @($inUse) + 'BPK-NOSUCH-000000') -KeyManager $km[0] -PassThru -Confirm:$false -ErrorAction SilentlyContinue)
        # The audit trail of all that, one record of each kind (start, change, refusal, end), and the change record of
        # the store removal, whose targets are the longest.
        $audit = @(Get-BPAuditRecord -Domain $a -All)
        foreach ($kind in 'Start', 'Change', 'Refusal', 'End') { Add-Objects ($audit | Where-Object { "$($_.Kind)" -eq $kind } | Select-Object -Last 1) }
        $storeRemoval = ($audit | Where-Object { $_.Action -eq 'Remove-BPDataStore' -and "$($_.Kind)" -eq 'Start' } | Select-Object -Last 1).OperationId
        Add-Objects (Export-BPChangeRecord -OperationId $storeRemoval -Path (Join-Path (Split-Path $Lab) 'change.json') -PassThru)
        # A recovery at \B of a lab of its own whose \A is lost, with volumes the timestamp check would refuse (two
        # replicas at \B given another timestamp): its next steps are the longest text.
        $rl = Join-Path (Split-Path $Lab) 'recovery-lab'
        $null = New-BPLab -Path $rl -VolumeCount 40 -Seed 2
        $rb = Connect-BPDomain -Lab $rl -Node '\B'
        foreach ($v in @(Get-BPVolume -DataStore DS01 -Domain $rb | Where-Object CatalogStatus -NE 'SCRATCH' | Select-Object -First 2)) {
            $ind = Join-Path $rl "sites/SITEB/storage/DS01/LB$($v.Label).IND"
            $text = (Get-Content -LiteralPath $ind -Raw) -replace 'TIMESTAMP=[^\r\n]*', 'TIMESTAMP=2001-01-01T00:00:00Z'
            Remove-Item -LiteralPath $ind
            Set-Content -LiteralPath $ind -Value $text -NoNewline
        }
        $null = Add-BPLabFault NodeLost '\A' -Domain $rb -Confirm:$false
        Add-Objects (Invoke-BPRecovery DS01 -Node $rb -PrimaryLost '\A' -Confirm:$false -WarningAction SilentlyContinue)
        # \A back, writing alone before the reprotect: the waiting report (the longest message) and the completed one.
        Remove-BPLabFault NodeLost '\A' -Domain $rb -Confirm:$false
        $ra = Connect-BPDomain -Lab $rl -Node '\A'
        $null = Invoke-BPLabBackup -DataStore DS01 -Count 12 -Domain $ra -Confirm:$false
        $waiting = Invoke-BPReprotect DS01 -Node $ra -Confirm:$false -WarningAction SilentlyContinue
        Add-Objects $waiting
        Add-Objects (Invoke-BPReprotect -Resume $waiting.RunId -ConfirmStep list-stale -Confirm:$false)
        Disconnect-BPDomain -Domain $ra
        Disconnect-BPDomain -Domain $rb
        # A site switch of two stores: one failed at its step (the longest message), then completed.
        $sl = Join-Path (Split-Path $Lab) 'site-lab'
        $null = New-BPLab -Path $sl -VolumeCount 40 -Seed 3 -DataStore DS01, DS04
        $sb = Connect-BPDomain -Lab $sl -Node '\B'
        $sa = Connect-BPDomain -Lab $sl -Node '\A'
        $null = Add-BPLabFault StagingUnreachable '\B' -Domain $sa -Confirm:$false
        $failedSite = Invoke-BPRoleSwitch DS01, DS04 -Primary $sa -Secondary $sb -Confirm:$false -ErrorAction SilentlyContinue
        Add-Objects $failedSite
        Remove-BPLabFault StagingUnreachable -Domain $sa -Confirm:$false
        Add-Objects (Invoke-BPRoleSwitch -Resume $failedSite.RunId -Confirm:$false)
        Disconnect-BPDomain -Domain $sa
        Disconnect-BPDomain -Domain $sb
        # The transport volume on both sides, in each state with the longest text to do next.
        $tl = Join-Path (Split-Path $Lab) 'transport-lab'
        $null = New-BPLab -Path $tl -VolumeCount 40 -Seed 4 -TransportVolumeGroup TRANSPORT
        $tb = Connect-BPDomain -Lab $tl -Node '\B'
        $ta = Connect-BPDomain -Lab $tl -Node '\A'
        $null = Set-BPDataStore DS01 -StagingArea '\A.$BPINT.DS01' -Domain $ta -Confirm:$false
        Add-Objects (Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain $ta -Confirm:$false)
        Add-Objects (Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain $tb -Confirm:$false)
        $null = Start-BPCatalogExport DS01 -Type Full -Domain $ta -Confirm:$false
        Add-Objects (Get-BPTransportVolume -Domain $ta)
        Add-Objects (Backup-BPStagingArea DS01 -Domain $ta -Confirm:$false)
        Add-Objects (Get-BPTransportVolume -Domain $tb)
        Add-Objects (Restore-BPStagingArea DS01 -Domain $tb -Confirm:$false)
        Disconnect-BPDomain -Domain $ta
        Disconnect-BPDomain -Domain $tb
        $o
    }

    $script:Objects = New-BPOutputObjects (Join-Path $TestDrive 'lab')

    function Get-BPViewLabels([string] $Type) {
        # The labels of the default view of a type (table headers, or list items), as the format file defines them.
        $view = @(Get-FormatData -TypeName $Type)[0].FormatViewDefinition[0]
        if ($view.Control -is [System.Management.Automation.TableControl]) {
            [pscustomobject]@{ Kind = 'Table'; Labels = @($view.Control.Headers.Label) }
        } else {
            $labels = foreach ($i in $view.Control.Entries[0].Items) { if ($i.Label) { $i.Label } else { $i.DisplayEntry.Value } }
            [pscustomobject]@{ Kind = 'List'; Labels = @($labels) }
        }
    }
}

AfterAll {
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All
}

Describe 'Default views never cut what matters' {

    It '<Type> at <Width> columns: no value cut, no column dropped' -ForEach $ViewCases {
        $items = $script:Objects[$Type]
        $items | Should -Not -BeNullOrEmpty -Because "the lab makes objects of $Type"
        $text = $items | Out-String -Width $Width
        $lines = $text -split "`r?`n"
        @($lines | Where-Object { $_ -match '…' }) | Should -BeNullOrEmpty -Because "nothing is cut at $Width columns:`n$text"
        @($lines | Where-Object { $_.TrimEnd().Length -gt $Width }) | Should -BeNullOrEmpty
        $view = Get-BPViewLabels $Type
        if ($view.Kind -eq 'Table') {
            # The header line is the one above the first dashes; a dropped or wrapped header is missing from it.
            $dash = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^\s*-+( +-+)*\s*$' })
            $dash | Should -BeGreaterThan 0
            foreach ($label in $view.Labels) { $lines[$dash - 1] | Should -Match ('(^|\s)' + [regex]::Escape($label) + '(\s|$)') -Because "column $label is shown at $Width columns" }
        } else {
            foreach ($label in $view.Labels) { $text | Should -Match ('(?m)^' + [regex]::Escape($label) + '\s+:') -Because "item $label is shown" }
        }
    }

    It 'every type a cmdlet outputs, and every type the format file has a view for, is rendered by the test above' {
        $viewed = @(([xml](Get-Content -Raw (Join-Path $script:Module.ModuleBase 'BackPak.Format.ps1xml'))).Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName | Sort-Object -Unique)
        $tested = @($ViewTypes)
        @($viewed | Where-Object { $_ -notin $tested }) | Should -BeNullOrEmpty
        $outputs = @(Get-Command -Module BackPak | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.Namespace -like 'BackPak*' } | ForEach-Object FullName | Sort-Object -Unique)
        @($outputs | Where-Object { $_ -notin $viewed }) | Should -BeNullOrEmpty -Because 'every result type has a default view'
    }

    It 'the switch plan shows every step with its title and every note, at 80 columns' {
        $plan = $script:Objects['BackPak.Core.Procedures.RoleSwitchPlan'][0]
        $text = $plan | Out-String -Width 80
        $text | Should -Not -Match '…'
        # A long line wraps (at any character): the text without its white space holds each step and note whole.
        $flat = $text -replace '\s', ''
        foreach ($s in $plan.Steps) {
            $text | Should -Match ("(?m)(^|:)\s*$($s.Number)\. $([regex]::Escape($s.Id)) ")
            $flat | Should -BeLike ('*' + [WildcardPattern]::Escape(($s.Title -replace '\s', '')) + '*') -Because 'the title wraps but is whole'
        }
        foreach ($n in $plan.Notes) { $flat | Should -BeLike ('*' + [WildcardPattern]::Escape(($n -replace '\s', '')) + '*') }
    }

    It 'a failed switch run says which way it switches and where it stopped' {
        $run = $script:Objects['BackPak.Core.Procedures.RoleSwitchReport'][0]
        $text = $run | Out-String -Width 80
        $text | Should -Match '(?m)^Switch\s+: PRIMARY from \\A to \\B'
        $text | Should -Match '(?m)^FailedStep\s+: drain-exports'
    }

    It 'the export status shows the time, result and error of each run whole (not "11-01 00:22 Fai…")' {
        $st = $script:Objects['BackPak.Core.Sync.ExportStatus'] | Where-Object DataStore -eq DS01
        $text = $st | Out-String -Width 80
        $text | Should -Match '(?m)^LastUpdate\s+: 2026-11-01 \d\d:\d\d FAILED'
        $text | Should -Match '(?m)^LastFull\s+: 2026-11-01 \d\d:\d\d COMPLETED'
        ($text -replace '\s', '') | Should -BeLike ('*' + [WildcardPattern]::Escape(($st.LastUpdate.Error -replace '\s', '')) + '*')
    }
}

Describe 'ConvertTo-Json of results reads as text, without extra flags' {

    BeforeAll {
        function Read-BPJson([string] $Json) {
            # The JSON as written: dates stay the strings they are in the text.
            $reader = [Newtonsoft.Json.JsonTextReader]::new([System.IO.StringReader]::new($Json))
            $reader.DateParseHandling = [Newtonsoft.Json.DateParseHandling]::None
            , [Newtonsoft.Json.Linq.JToken]::ReadFrom($reader)
        }
        function Assert-BPJsonOf([object] $Object, [Newtonsoft.Json.Linq.JToken] $Node, [string] $Path, [int] $Depth) {
            # Walks the object and its JSON together: each enum is its name, each date ISO 8601, no TimeSpan (a
            # duration is X, its text, and XSeconds, a number); BackPak objects inside are walked too.
            if ($Depth -le 0 -or $null -eq $Object -or $Node.Type -ne [Newtonsoft.Json.Linq.JTokenType]::Object) { return }
            foreach ($p in $Object.GetType().GetProperties([System.Reflection.BindingFlags]'Public,Instance')) {
                if ($p.GetIndexParameters().Count) { continue }
                $value = $p.GetValue($Object)
                $t = [Nullable]::GetUnderlyingType($p.PropertyType) ?? $p.PropertyType
                $json = $Node[$p.Name]
                $t | Should -Not -Be ([TimeSpan]) -Because "$Path.$($p.Name): a TimeSpan spreads into 15 fields in JSON"
                if ($p.Name -like '*Seconds' -and $p.Name -ne 'Seconds' -and $null -ne $value) {
                    # A duration: XSeconds a number, X its text, the same length of time.
                    $text = $Node[$p.Name -replace 'Seconds$', '']
                    $json.Type | Should -BeIn 'Float', 'Integer' -Because "$Path.$($p.Name) is a number"
                    $text.Type | Should -Be 'String' -Because "$Path.$($p.Name -replace 'Seconds$', '') is a duration as text"
                    [TimeSpan]::Parse([string]$text, [cultureinfo]::InvariantCulture).TotalSeconds | Should -BeGreaterThan ([double]$json - 0.002)
                    [TimeSpan]::Parse([string]$text, [cultureinfo]::InvariantCulture).TotalSeconds | Should -BeLessThan ([double]$json + 0.002)
                }
                if ($null -eq $json) { continue }
                if ($t.IsEnum -and $null -ne $value) {
                    $json.Type | Should -Be 'String' -Because "$Path.$($p.Name) is an enum: its name, not a number"
                    [string]$json | Should -Be $value.ToString()
                } elseif ($t -eq [DateTime] -and $null -ne $value) {
                    [string]$json | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d' -Because "$Path.$($p.Name) is an ISO 8601 date"
                } elseif ($t.Namespace -like 'BackPak*' -and -not $t.IsEnum) {
                    Assert-BPJsonOf $value $json "$Path.$($p.Name)" ($Depth - 1)
                } elseif ($value -is [System.Collections.IEnumerable] -and $value -isnot [string] -and $json.Type -eq 'Array') {
                    $i = 0
                    foreach ($item in $value) {
                        if ($i -ge $json.Count) { break }
                        if ($item -is [enum]) { $json[$i].Type | Should -Be 'String' -Because "$Path.$($p.Name)[$i] is an enum" }
                        elseif ($null -ne $item -and $item.GetType().Namespace -like 'BackPak*') { Assert-BPJsonOf $item $json[$i] "$Path.$($p.Name)[$i]" ($Depth - 1) }
                        $i++
                    }
                }
            }
        }
    }

    It '<Type>: enum names, ISO dates, durations as text and seconds' -ForEach ($ViewTypes | ForEach-Object { @{ Type = $_ } }) {
        $items = @($script:Objects[$Type])
        $items | Should -Not -BeNullOrEmpty
        foreach ($item in $items) {
            $json = $item | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
            $json | Should -Not -Match '"(Ticks|TotalMilliseconds|TotalDays)"\s*:' -Because 'no TimeSpan spreads into its fields'
            $node = Read-BPJson $json
            Assert-BPJsonOf $item $node $Type 5
        }
    }

    It 'the export status writes its state, lag and delays as text a change ticket can quote' {
        $st = @($script:Objects['BackPak.Core.Sync.ExportStatus'])[0]
        $j = $st | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $j.State | Should -Be 'Active'
        $j.ExportCheckDelay | Should -Be '00:05:00'
        $j.ExportCheckDelaySeconds | Should -Be 300
        $j.LastFullExport.Result | Should -Be 'Completed'
        $j.LastFullExport.Type | Should -Be 'Full'
    }
}

Describe 'Operator-facing text speaks the operator''s language' {

    BeforeAll {
        # Internal rule numbers (R1..R23), open questions (Q1..) and the project's own words for its sources belong in
        # docs/; what an operator reads cites the manual page instead.
        $script:Internal = '\bR\d{1,2}\b|\bQ\d{1,2}\b|\(seed\b|\bseed\)|seed \(step|recovered (manual|pages)|pages recovered|domain\.md'
        function Get-BPUserStrings([string] $Assembly) {
            # Every string literal compiled into an assembly (the #US heap): messages, warnings, verbose lines,
            # step titles and sources, check details.
            $stream = [System.IO.File]::OpenRead($Assembly)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $md = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                $h = [System.Reflection.Metadata.Ecma335.MetadataTokens]::UserStringHandle(1)
                while (-not $h.IsNil) {
                    $md.GetUserString($h)
                    $h = [System.Reflection.Metadata.Ecma335.MetadataReaderExtensions]::GetNextHandle($md, $h)
                }
            } finally { $stream.Dispose() }
        }
    }

    It 'the built help and about topics cite manual pages, never internal rule numbers' {
        $files = @(Get-ChildItem (Join-Path $script:Module.ModuleBase 'en-US') -File)
        $files.Count | Should -BeGreaterOrEqual 3
        $found = foreach ($f in $files) {
            $n = 0
            foreach ($line in Get-Content -LiteralPath $f.FullName) { $n++; if ($line -match $script:Internal) { "$($f.Name):$n $($line.Trim())" } }
        }
        @($found) | Should -BeNullOrEmpty
    }

    It '<Name>: no message, warning or verbose text compiled into it cites an internal rule number' -ForEach @(
        @{ Name = 'BackPak.Core.dll' }, @{ Name = 'BackPak.Lab.dll' }, @{ Name = 'BackPak.PowerShell.dll' }, @{ Name = 'BackPak.Lab.PowerShell.dll' }, @{ Name = 'BackPak.KeyManagers.dll' }
    ) {
        $strings = @(Get-BPUserStrings (Join-Path $script:Module.ModuleBase $Name))
        $strings.Count | Should -BeGreaterThan 50
        @($strings | Where-Object { $_ -cmatch $script:Internal }) | Should -BeNullOrEmpty
    }

    It 'the switch''s checks and steps name manual pages as their source (CS p42 is listed in docs/sources.md)' {
        $cited = @($script:Objects['BackPak.Core.Procedures.RoleSwitchCheck'].Source) + @($script:Objects['BackPak.Core.Procedures.StepInfo'].Source)
        @($cited | Where-Object { $_ -cmatch $script:Internal }) | Should -BeNullOrEmpty
        @($cited | Where-Object { $_ -notmatch '\b(CS|BB|TEO) p\d+|^inferred' }) | Should -BeNullOrEmpty -Because 'each source is a page or says inferred'
        Get-Content -Raw (Join-Path (Get-BPTestRepoRoot) 'docs/sources.md') | Should -Match '\|\s*CS p42\s*\|'
    }
}

Describe 'Tab completion of key names and run ids, from local state only' {
    It 'completes Media Key Names from the encrypted volumes of the connected domains, without asking the key server' {
        $names = @(Get-BPDomain | ForEach-Object { Get-BPVolume -Domain $_ -Encrypted } | ForEach-Object MediaKeyName | Sort-Object -Unique)
        $names.Count | Should -BeGreaterThan 10
        $prefix = $names[0].Substring(0, $names[0].Length - 2)
        $expected = @($names | Where-Object { $_.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase) })
        $saved = @(Get-BPKeyManager)
        Disconnect-BPKeyManager -All # the catalogs are the source, so completion works before Connect-BPKeyManager
        try {
            Get-BPCompletion "Get-BPEncryptionKey -Name $prefix" | Should -Be $expected
            Get-BPCompletion "Remove-BPEncryptionKey -Name $prefix" | Should -Be $expected
        } finally {
            foreach ($k in $saved) { $null = Connect-BPKeyManager -Lab (Join-Path $TestDrive 'lab') -Node ($k.Endpoint -replace '^lab:SITE', '\') }
        }
    }

    It 'completes run ids of the journals, for -RunId and -Resume' {
        $run = @(Get-BPRoleSwitchRun)[0]
        $run | Should -Not -BeNullOrEmpty
        $prefix = $run.RunId.Substring(0, 6)
        Get-BPCompletion "Stop-BPRoleSwitchRun -RunId $prefix" | Should -Contain $run.RunId
        Get-BPCompletion "Get-BPRoleSwitchRun -RunId $prefix" | Should -Contain $run.RunId
        Get-BPCompletion "Invoke-BPRoleSwitch -Resume $prefix" | Should -Contain $run.RunId
        Get-BPCompletion 'Stop-BPRoleSwitchRun -RunId NOSUCHRUN' | Should -BeNullOrEmpty
        # Described by store, direction and status, so the operator picks the right one.
        $r = TabExpansion2 -inputScript "Stop-BPRoleSwitchRun -RunId $($run.RunId)" -cursorColumn ("Stop-BPRoleSwitchRun -RunId $($run.RunId)").Length
        $r.CompletionMatches[0].ToolTip | Should -Match "^$($run.DataStore) \\A -> \\B: $($run.Status), started \d{4}-"
    }
}
