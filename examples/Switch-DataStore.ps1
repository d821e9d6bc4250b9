<#
.SYNOPSIS
    Runbook: planned switch of a data store between its PRIMARY and SECONDARY nodes, with pre-checks and a change record.
.DESCRIPTION
    1. Pre-checks (Test-BPRoleSwitch). Running backups and pending exports are waited for by the switch itself;
       any other failed check stops the runbook before anything changes.
    2. The plan is saved beside the change record, then the switch runs (Invoke-BPRoleSwitch) with progress.
    3. The run report is written as the change record (JSON). A failed run says which step and how to resume.
.EXAMPLE
    ./Switch-DataStore.ps1 -Lab ./lab -DataStore DS01 -Primary '\A' -Secondary '\B' -ChangeRecord ./DS01-switch.json
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory)] [string] $Lab,
    [Parameter(Mandatory)] [string] $DataStore,
    [Parameter(Mandatory)] [string] $Primary,
    [Parameter(Mandatory)] [string] $Secondary,
    [string] $ChangeRecord = "./$DataStore-switch.json",
    [int] $Timeout = 900
)
$ErrorActionPreference = 'Stop'
Connect-BPDomain -Lab $Lab -Node $Secondary | Out-Null
Connect-BPDomain -Lab $Lab -Node $Primary | Out-Null

$checks = @(Test-BPRoleSwitch -DataStore $DataStore -Primary $Primary -Secondary $Secondary)
$checks | Format-Table Passed, Name, Node, Detail -AutoSize | Out-String -Width 160 | Write-Verbose
$waitable = 'backups idle', 'exports drained'
$blocking = @($checks | Where-Object { -not $_.Passed -and $_.Name -notin $waitable })
if ($blocking) { throw "Pre-checks failed: $(($blocking | ForEach-Object { "$($_.Name) ($($_.Detail))" }) -join '; ')" }

$plan = Get-BPRoleSwitchPlan -DataStore $DataStore -Primary $Primary -Secondary $Secondary
$plan | ConvertTo-Json -Depth 4 | Set-Content -Path ([IO.Path]::ChangeExtension($ChangeRecord, '.plan.json'))
if (-not $PSCmdlet.ShouldProcess("$DataStore ($Primary -> $Secondary)", "Switch roles ($($plan.Steps.Count) steps)")) { return }

try {
    $report = $plan | Invoke-BPRoleSwitch -Timeout $Timeout -Confirm:$false
} catch {
    if ($_.TargetObject -is [BackPak.Core.Procedures.RoleSwitchReport]) { $_.TargetObject | ConvertTo-Json -Depth 4 | Set-Content $ChangeRecord }
    throw
}
[pscustomobject]@{ Checks = $checks; Run = $report } | ConvertTo-Json -Depth 5 | Set-Content $ChangeRecord
$report
