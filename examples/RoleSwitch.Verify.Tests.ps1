<#
    Run after a switch of roles to verify it (Pester 5):
        $c = New-PesterContainer -Path ./RoleSwitch.Verify.Tests.ps1 -Data @{ Lab = './lab'; DataStore = 'DS01'; Primary = '\B'; Secondary = '\A' }
        Invoke-Pester -Container $c -Output Detailed
    -Primary is the node that is PRIMARY now (the switch's former secondary).
#>
param(
    [Parameter(Mandatory)] [string] $Lab,
    [Parameter(Mandatory)] [string] $DataStore,
    [Parameter(Mandatory)] [string] $Primary,
    [Parameter(Mandatory)] [string] $Secondary
)

BeforeAll {
    Import-Module BackPak -ErrorAction SilentlyContinue
    $script:P = Connect-BPDomain -Lab $Lab -Node $Primary
    $script:S = Connect-BPDomain -Lab $Lab -Node $Secondary
}

Describe "Switch of $DataStore to $Primary" {
    It "the store is PRIMARY on $Primary and SECONDARY on $Secondary" {
        (Get-BPDataStore $DataStore -Domain $script:P).DomainAccess | Should -Be 'Primary'
        (Get-BPDataStore $DataStore -Domain $script:S).DomainAccess | Should -Be 'Secondary'
    }
    It "exports run from $Primary to a staging area on $Secondary, and nothing is pending" {
        $st = Get-BPExportStatus $DataStore -Domain $script:P
        $st.State | Should -Be 'Active'
        $st.StagingArea | Should -BeLike "$Secondary.*"
        $st.StagingReachable | Should -BeTrue
        $st.PendingCount | Should -Be 0
        (Get-BPImportStatus $DataStore -Domain $script:S).StagingArea | Should -Be $st.StagingArea
    }
    It 'both sides hold the same volumes' {
        $p = @(Get-BPVolume -DataStore $DataStore -Domain $script:P | ForEach-Object Label)
        $s = @(Get-BPVolume -DataStore $DataStore -Domain $script:S | ForEach-Object Label)
        $p.Count | Should -BeGreaterThan 0
        Compare-Object $p $s | Should -BeNullOrEmpty
    }
    It 'the last switch run completed' {
        (Get-BPRoleSwitchRun -Domain $script:P | Sort-Object Started | Select-Object -Last 1).Status | Should -Be 'Completed'
    }
    It 'a switch back would pass its pre-checks' {
        @(Test-BPRoleSwitch $DataStore -Primary $script:P -Secondary $script:S | Where-Object { -not $_.Passed } | ForEach-Object Name) | Should -BeNullOrEmpty
    }
}

AfterAll {
    Disconnect-BPDomain -Domain $script:P
    Disconnect-BPDomain -Domain $script:S
}
