<#
.SYNOPSIS
    The demo run by build.ps1 -Task Demo: creates a lab and prints a readable summary of both domains.
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
@(Get-BPVolume -Domain '\A' -Label $sample.Label; Get-BPVolume -Domain '\B' -Label $sample.Label) | Format-Table -AutoSize | Out-String -Width 140
"Its catalog entries on \A and their replicas on \B:"
@(Get-BPCatalogEntry -Domain '\A' -Label $sample.Label; Get-BPCatalogEntry -Domain '\B' -Label $sample.Label -Kind TapeVolume, TapeFile) |
    Format-Table -AutoSize | Out-String -Width 140
Get-BPDomain | Disconnect-BPDomain
