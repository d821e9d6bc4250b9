<#
    Operation Validation Framework, Simple: quick readiness checks of a data store's replication.
    Parameters come from the caller (Invoke-Pester -Container (New-PesterContainer -Path ... -Data @{ ... })).
#>
param(
    [Parameter(Mandatory)] [string] $Lab,
    [string] $DataStore = 'DS01',
    [string] $Primary = '\A',
    [string] $Secondary = '\B'
)
BeforeAll {
    $script:P = Connect-BPDomain -Lab $Lab -Node $Primary
    $script:S = Connect-BPDomain -Lab $Lab -Node $Secondary
}
Describe "BackPak Simple: $DataStore" {
    It "is PRIMARY on $Primary and SECONDARY on $Secondary" {
        (Get-BPDataStore $DataStore -Domain $script:P).DomainAccess | Should -Be 'Primary'
        (Get-BPDataStore $DataStore -Domain $script:S).DomainAccess | Should -Be 'Secondary'
    }
    It 'exports are active and reach the staging area' {
        $st = Get-BPExportStatus $DataStore -Domain $script:P
        $st.State | Should -Be 'Active'
        $st.StagingReachable | Should -BeTrue
    }
}
AfterAll { Disconnect-BPDomain -Domain $script:P; Disconnect-BPDomain -Domain $script:S }
