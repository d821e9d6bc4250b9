<#
    Issue 12, item 3: a site's own replication tool, registered as a script link for a data store, reverses that
    replication in the planned switch instead of the switch stopping for the operator. The scripts record their calls
    in a list; each scenario runs on its own copy of one lab.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All
    $script:Scratch = New-BPScratchFolder -Fallback $TestDrive
    $script:Base = Join-Path $script:Scratch 'base'
    New-BPLab -Path $script:Base -VolumeCount 120 -Seed 12 -Encrypted | Out-Null
    $script:Copies = 0

    # A fresh copy of the lab, both nodes connected (\A the default), no link registered.
    function Use-FreshLab {
        Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
        Disconnect-BPDomain -All
        $script:Copies++
        $lab = Join-Path $script:Scratch "lab$($script:Copies)"
        Copy-BPLab -Source $script:Base -Destination $lab
        Connect-BPDomain -Lab $lab -Node '\B' | Out-Null
        Connect-BPDomain -Lab $lab -Node '\A' | Out-Null
        $lab
    }

    # The storage array the scripts stand for: where replication flows, and every call made to it.
    function New-Array { [pscustomobject]@{ Source = 'SITEA'; Target = 'SITEB'; Calls = [System.Collections.Generic.List[object]]::new(); Fail = $null } }

    function Register-ArrayLink($Array, [switch] $NoStatus) {
        $reverse = {
            param($Link)
            $Array.Calls.Add([pscustomobject]@{ Action = $Link.Action; DataStore = $Link.DataStore; Kind = "$($Link.Kind)"; From = $Link.FromSite; To = $Link.ToSite })
            if ($Array.Fail) { throw $Array.Fail }
            $Array.Source, $Array.Target = $Link.FromSite, $Link.ToSite
        }.GetNewClosure()
        $status = { @{ Healthy = $true; CaughtUp = $true; Source = $Array.Source; Target = $Array.Target } }.GetNewClosure()
        if ($NoStatus) { Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse $reverse -AllowClobber }
        else { Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse $reverse -Status $status -AllowClobber }
    }

    # Where the lab's own storage link of DS01 flows (its row in lab.db).
    function Get-LabStorageSource([string] $Lab) {
        (Invoke-BPSqliteQuery -Database (Join-Path $Lab 'lab.db') -Sql "SELECT source_site FROM replication_link WHERE kind = 'STORAGE'") -join ','
    }
}

AfterAll {
    Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false
    Disconnect-BPDomain -All
    Remove-BPScratchFolder -Path $script:Scratch
}

Describe 'A planned switch with a registered storage link' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        $script:LabLinkBefore = Get-LabStorageSource $script:Lab
        $script:Array = New-Array
        Register-ArrayLink $script:Array
        $script:Plan = Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B'
        # What if lines go to the host: a transcript keeps them.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -LiteralPath $transcript
        try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -WhatIf } finally { $null = Stop-Transcript }
        $script:WhatIf = (Get-Content -LiteralPath $transcript -Raw) -replace '\s+', ' '
        $script:CallsAfterWhatIf = $script:Array.Calls.Count
        $script:Report = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false
    }

    It 'names the registered link for the storage steps of the plan, and the provider''s for the keys' {
        ($script:Plan.Steps | Where-Object Id -EQ 'reverse-storage-replication').Facility | Should -Match '^ArrayFailover \(script registered for DS01\)'
        ($script:Plan.Steps | Where-Object Id -EQ 'check-replication').Facility | Should -Match 'storage: ArrayFailover'
        ($script:Plan.Steps | Where-Object Id -EQ 'reverse-key-replication').Facility | Should -Match "provider's link"
        ($script:Plan.Steps | Where-Object Id -EQ 'demote-primary').Facility | Should -BeNullOrEmpty
    }

    It '-WhatIf names the link and calls no script' {
        $script:WhatIf | Should -Match 'Reverse the direction of storage replication .* by ArrayFailover'
        $script:CallsAfterWhatIf | Should -Be 0
    }

    It 'the report''s views name the link that did each storage step' {
        ($script:Report | Format-List | Out-String -Width 200) | Should -Match 'reverse-storage-replication +Done \(by ArrayFailover'
        ($script:Report.Steps | Format-Table | Out-String -Width 250) | Should -Match 'by ArrayFailover \(script registered for DS01\)'
        ($script:Report | Format-List | Out-String -Width 200) | Should -Not -Match 'demote-primary +Done \(by'
    }

    It 'completes without stopping for the operator' {
        $script:Report.Status | Should -Be 'Completed'
        @($script:Report.Steps | Where-Object Status -NE 'Done' | ForEach-Object Id) | Should -BeNullOrEmpty
        ($script:Report.Steps | Where-Object Id -EQ 'reverse-storage-replication').Message | Should -Be 'STORAGE replication ArrayFailover now flows SITEB -> SITEA'
    }

    It 'called the reverse script exactly once, with DS01 and the new direction' {
        @($script:Array.Calls).Count | Should -Be 1
        $script:Array.Calls[0].Action | Should -Be 'Reverse'
        $script:Array.Calls[0].DataStore | Should -Be 'DS01'
        $script:Array.Calls[0].Kind | Should -Be 'Storage'
        $script:Array.Calls[0].From | Should -Be 'SITEB'
        $script:Array.Calls[0].To | Should -Be 'SITEA'
    }

    It 'left the provider''s own storage link alone (the registered one overrides it)' {
        Get-LabStorageSource $script:Lab | Should -Be $script:LabLinkBefore
    }

    It 'switching back calls it once more, the other way' {
        $back = Invoke-BPRoleSwitch DS01 -Primary '\B' -Secondary '\A' -Confirm:$false
        $back.Status | Should -Be 'Completed'
        @($script:Array.Calls).Count | Should -Be 2
        $script:Array.Calls[1].From | Should -Be 'SITEA'
        $script:Array.Source | Should -Be 'SITEA'
    }
}

Describe 'A link script that fails' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        $script:Array = New-Array
        $script:Array.Fail = 'array controller unreachable'
        Register-ArrayLink $script:Array
        $script:Failed = Invoke-BPCaptured { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false }
        $script:RunId = $script:Failed.Terminating.TargetObject.RunId
        $script:AccessAfterFailure = (Get-BPDataStore DS01 -Domain '\A').DomainAccess
    }

    It 'fails the reverse step with ReplicationLinkFailed, naming the store, the kind and the script''s message' {
        $e = $script:Failed.Terminating
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -BeExactly 'ReplicationLinkFailed,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand'
        $e.Exception.Message | Should -Match 'reverse-storage-replication'
        $e.Exception.Message | Should -Match 'storage replication link ArrayFailover registered for DS01'
        $e.Exception.Message | Should -Match 'array controller unreachable'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Invoke-BPRoleSwitch -Resume'
        $e.TargetObject.FailedStep | Should -Be 'reverse-storage-replication'
    }

    It 'changed no role: the store is still PRIMARY on \A' {
        "$script:AccessAfterFailure" | Should -Be 'Primary'
    }

    It 'keeps the script text out of the journal and the audit trail' {
        $journal = Get-ChildItem -LiteralPath (Join-Path $script:Lab 'runs') -Filter "$script:RunId*" | Get-Content -Raw
        $journal | Should -Match 'ArrayFailover'
        $journal | Should -Not -Match 'GetNewClosure|\$Array\.Calls'
        (Get-BPAuditRecord -All | Out-String -Width 400) | Should -Not -Match '\$Array\.Calls'
    }

    It 'resumes once the script is fixed, and completes' {
        $script:Array.Fail = $null
        $r = Invoke-BPRoleSwitch -Resume $script:RunId -Confirm:$false
        $r.Status | Should -Be 'Completed'
        @($script:Array.Calls | Where-Object Action -EQ 'Reverse').Count | Should -Be 2 -Because 'once failing, once fixed'
        $script:Array.Source | Should -Be 'SITEB'
        "$((Get-BPDataStore DS01 -Domain '\B').DomainAccess)" | Should -Be 'Primary'
    }
}

Describe 'A link with no status script' {
    BeforeAll {
        $script:Lab = Use-FreshLab
        $script:Array = New-Array
        Register-ArrayLink $script:Array -NoStatus
        $script:Check = Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' | Where-Object Name -EQ 'storage replication'
        $script:First = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $script:Warning = "$w"
        $script:CallsBeforeConfirm = $script:Array.Calls.Count
    }

    It 'says in Test-BPRoleSwitch that it cannot be checked' {
        $script:Check.Detail | Should -Match 'cannot report its state'
    }

    It 'stops at check-replication for the operator, before calling the script' {
        $script:First.Status | Should -Be 'AwaitingOperator'
        ($script:First.Steps | Where-Object Id -EQ 'check-replication').Status | Should -Be 'AwaitingOperator'
        $script:Warning | Should -Match 'ArrayFailover'
        $script:CallsBeforeConfirm | Should -Be 0
    }

    It 'reverses through the script once confirmed, and says it could not check the direction' {
        $r = Invoke-BPRoleSwitch -Resume $script:First.RunId -ConfirmStep check-replication -Confirm:$false
        $r.Status | Should -Be 'Completed'
        @($script:Array.Calls).Count | Should -Be 1
        $script:Array.Calls[0].From | Should -Be 'SITEB'
        ($r.Steps | Where-Object Id -EQ 'reverse-storage-replication').Message | Should -Match 'cannot report its state'
    }
}

Describe 'A status script that says the link is behind' {
    It 'fails check-replication before anything is reversed' {
        $null = Use-FreshLab
        $calls = [System.Collections.Generic.List[string]]::new()
        Register-BPReplicationLink DS01 -Kind Storage -Name Behind -Reverse { param($Link) $calls.Add($Link.DataStore) }.GetNewClosure() `
            -Status { [pscustomobject]@{ Healthy = $true; CaughtUp = $false; Source = '\A'; Target = '\B' } }
        (Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' | Where-Object Name -EQ 'storage replication').Passed | Should -BeFalse
        $r = Invoke-BPCaptured { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'SwitchStepFailed,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand'
        $r.Terminating.Exception.Message | Should -Match 'check-replication.*Behind is behind'
        $calls.Count | Should -Be 0
    }

    It 'a status that is not booleans is ReplicationLinkFailed, in the check and in the step' {
        $null = Use-FreshLab
        Register-BPReplicationLink DS01 -Kind Storage -Name Texty -Reverse { param($Link) } -Status { @{ Healthy = 'yes'; CaughtUp = $true; Source = 'SITEA' } }
        $check = Test-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' | Where-Object Name -EQ 'storage replication'
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match 'no Healthy boolean'
        $r = Invoke-BPCaptured { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'ReplicationLinkFailed,BackPak.PowerShell.Cmdlets.InvokeBPRoleSwitchCommand'
    }
}

Describe 'Registering, listing and removing links' {
    BeforeAll { $script:Lab = Use-FreshLab }

    It 'registers per session, for the estate of the domain, and lists it' {
        $r = Register-BPReplicationLink DS01 -Kind Keys -Reverse { param($Link) } -PassThru
        $r.Name | Should -Be 'DS01-Keys'
        $r.HasStatus | Should -BeFalse
        $r.Location | Should -Be (Get-BPDomain -Default).Location
        @(Get-BPReplicationLink -DataStore 'DS*' -Kind Keys).Name | Should -Be @('DS01-Keys')
        (Get-BPReplicationLink | Out-String) | Should -Match 'DS01\s+Keys\s+DS01-Keys\s+none'
    }

    It 'refuses a second link of the same store and kind without -AllowClobber, and keeps the first' {
        $r = Invoke-BPCaptured { Register-BPReplicationLink DS01 -Kind Keys -Name Other -Reverse { param($Link) } }
        $r.All[0].FullyQualifiedErrorId | Should -BeExactly 'ReplicationLinkExists,BackPak.PowerShell.Cmdlets.RegisterBPReplicationLinkCommand'
        (Get-BPReplicationLink DS01).Name | Should -Be 'DS01-Keys'
        Register-BPReplicationLink DS01 -Kind Keys -Name Other -Reverse { param($Link) } -AllowClobber
        (Get-BPReplicationLink DS01).Name | Should -Be 'Other'
    }

    It 'refuses a data store the domain does not have' {
        $r = Invoke-BPCaptured { Register-BPReplicationLink DS99 -Kind Storage -Reverse { param($Link) } }
        $r.All[0].FullyQualifiedErrorId | Should -BeExactly 'DataStoreNotFound,BackPak.PowerShell.Cmdlets.RegisterBPReplicationLinkCommand'
        @(Get-BPReplicationLink -DataStore DS99 -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It '-WhatIf registers nothing; Unregister-BPReplicationLink -WhatIf removes nothing' {
        Register-BPReplicationLink DS02 -Kind Storage -Reverse { param($Link) } -WhatIf
        @(Get-BPReplicationLink -DataStore DS02 -ErrorAction SilentlyContinue).Count | Should -Be 0
        Unregister-BPReplicationLink DS01 -WhatIf
        @(Get-BPReplicationLink DS01).Count | Should -Be 1
    }

    It 'unregisters, and a second time is ReplicationLinkNotFound' {
        Get-BPReplicationLink DS01 | Unregister-BPReplicationLink -Confirm:$false
        $r = Invoke-BPCaptured { Unregister-BPReplicationLink DS01 -Confirm:$false }
        $r.All[0].FullyQualifiedErrorId | Should -BeExactly 'ReplicationLinkNotFound,BackPak.PowerShell.Cmdlets.UnregisterBPReplicationLinkCommand'
        $g = Invoke-BPCaptured { Get-BPReplicationLink DS01 }
        $g.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'ReplicationLinkNotFound,BackPak.PowerShell.Cmdlets.GetBPReplicationLinkCommand'
    }

    It 'completes -DataStore from the connected domain' {
        Get-BPCompletion 'Register-BPReplicationLink -DataStore DS0' | Should -Contain 'DS01'
    }
}
