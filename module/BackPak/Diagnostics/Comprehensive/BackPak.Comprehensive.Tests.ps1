<#
    Operation Validation Framework, Comprehensive: every precondition of a planned switch (Test-BPRoleSwitch), one
    test each, and the secondary not behind its primary.
#>
param(
    [Parameter(Mandatory)] [string] $Lab,
    [string] $DataStore = 'DS01',
    [string] $Primary = '\A',
    [string] $Secondary = '\B'
)
BeforeDiscovery {
    $p = Connect-BPDomain -Lab $Lab -Node $Primary
    $s = Connect-BPDomain -Lab $Lab -Node $Secondary
    $script:Checks = @(Test-BPRoleSwitch $DataStore -Primary $p -Secondary $s | ForEach-Object { @{ Name = $_.Name; Passed = $_.Passed; Detail = $_.Detail } })
    Disconnect-BPDomain -Domain $p
    Disconnect-BPDomain -Domain $s
}
Describe "BackPak Comprehensive: switch readiness of $DataStore" {
    It '<Name>' -ForEach $script:Checks {
        $Passed | Should -BeTrue -Because $Detail
    }
}
