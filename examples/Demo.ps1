<#
.SYNOPSIS
    The demo run by build.ps1 -Task Demo: creates a lab, runs backups, switches the roles of DS01 from \A to \B with
    progress, prints the run report, shows that backups now run on \B and exports go to the staging area on \A, then
    runs a recovery test at \A (now the SECONDARY) and keeps its signed-off record.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $LabPath,
    [int] $VolumeCount = 2000
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$lab = New-BPLab -Path $LabPath -VolumeCount $VolumeCount -Seed 1 -Encrypted -Force
"BackPak lab at $($lab.Path): nodes $($lab.Nodes -join ' and '), $($lab.VolumeCount) volumes, lab clock $($lab.Clock.ToString('yyyy-MM-dd HH:mm')) UTC"
''

foreach ($node in $lab.Nodes) {
    $domain = Connect-BPDomain -Lab $lab.Path -Node $node
    "=== Domain $($domain.DomainId) on $node ==="
    Get-BPDataStore -Domain $domain | Format-Table -AutoSize | Out-String -Width 120
    Get-BPVolumeGroup -Domain $domain | Format-Table -AutoSize | Out-String -Width 120
    'Volumes by data store and expiration:'
    Get-BPVolume -Domain $domain |
        Group-Object DataStore, @{ Expression = { if ($_.IsExpired) { 'expired' } else { 'holds data' } } } -NoElement |
        Sort-Object Name | Format-Table @{ n = 'DataStore, state'; e = 'Name' }, Count -AutoSize | Out-String -Width 120
    $busy = @(Get-BPVolume -Domain $domain | Where-Object CurrentOperation)
    "Volumes with a current operation: $($busy.Count)"
    ''
}

$sample = Get-BPVolume -Domain '\A' -DataStore $lab.ReplicatedDataStore -NotExpired | Select-Object -First 1
"One volume of $($lab.ReplicatedDataStore) on both sides:"
@(Get-BPVolume -Domain '\A' -Label $sample.Label; Get-BPVolume -Domain '\B' -Label $sample.Label) |
    Format-Table Label, Node, DataStore, VolumeGroup, DomainAccess, CatalogStatus, Authorization, Expiration -AutoSize | Out-String -Width 140
"Its catalog entries on \A and their replicas on \B:"
@(Get-BPCatalogEntry -Domain '\A' -Label $sample.Label; Get-BPCatalogEntry -Domain '\B' -Label $sample.Label -Kind TapeVolume, TapeFile) |
    Format-Table -AutoSize | Out-String -Width 140
Connect-BPDomain -Lab $lab.Path -Node '\B' | Out-Null
Connect-BPDomain -Lab $lab.Path -Node '\A' | Out-Null
$store = $lab.ReplicatedDataStore
"=== A backup window on \A: 25 volumes written, each export update sent to the staging area on \B ==="
Invoke-BPLabBackup -DataStore $store -Count 25 -Domain '\A' -Confirm:$false | Out-Null
Get-BPExportStatus -DataStore $store -Domain '\A' | Out-String -Width 140

"=== Pre-checks of the switch of $store from \A to \B ==="
Test-BPRoleSwitch -DataStore $store -Primary '\A' -Secondary '\B' | Format-Table Passed, Name, Node, Detail -AutoSize | Out-String -Width 160

"=== The switch ==="
$report = Invoke-BPRoleSwitch -DataStore $store -Primary '\A' -Secondary '\B' -Confirm:$false
$report | Format-List RunId, DataStore, Status, Started, Duration | Out-String -Width 140
$report.Steps | Format-Table Number, Id, Node, Kind, Source, Status, Message -AutoSize | Out-String -Width 200

"=== After the switch ==="
Get-BPDataStore -Name $store -Domain '\A' | Format-Table -AutoSize | Out-String -Width 140
Get-BPDataStore -Name $store -Domain '\B' | Format-Table -AutoSize | Out-String -Width 140
"Backups now run on \B:"
$written = @(Invoke-BPLabBackup -DataStore $store -Count 5 -Domain '\B' -Confirm:$false)
$written | Format-Table -AutoSize | Out-String -Width 140
try { Invoke-BPLabBackup -DataStore $store -Domain '\A' -Confirm:$false -ErrorAction Stop } catch { "and \A refuses them: $($_.Exception.Message)" }
''
"Their exports went to the staging area on \A:"
Get-BPExportStatus -DataStore $store -Domain '\B' | Out-String -Width 140
Get-ChildItem (Join-Path $lab.Path 'nodes/A/staging/BPSTAGE.DS01') | Sort-Object LastWriteTime | Select-Object -Last 6 Name, Length, LastWriteTime | Format-Table -AutoSize | Out-String -Width 140
"and \A, now SECONDARY, imports them:"
Start-BPCatalogImport -DataStore $store -Type Update -Domain '\A' -Confirm:$false | Out-String -Width 160

"=== A recovery test at \A, now the SECONDARY: could $store be recovered there now? ==="
$checks = @(Test-BPRecovery -DataStore $store -Node '\A' -SampleSize 5 -Save -Note 'demo: after the switch to \B')
$checks | Format-Table Passed, Name, Detail -AutoSize | Out-String -Width 200
"$(@($checks | Where-Object Passed).Count) of $($checks.Count) checks passed; the record kept for the auditors:"
Get-BPRecoveryTest -DataStore $store -Node '\A' -Last 1 | Format-List | Out-String -Width 140
Get-BPDomain | Disconnect-BPDomain
