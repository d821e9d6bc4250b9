<#
.SYNOPSIS
    Runbook: decommission a data store on its primary node, in the manual's order, and prove nothing of it remains.
.DESCRIPTION
    The configuration change of the Catalog Sync manual [CS p41], rule R14:
      1. delete the volumes of the data store (storage data, DSM/TC or TMF entries, BackPak entries);
      2. remove its volume groups, then the data store;
      3. (optional, outside BackPak) delete the encryption keys of its volumes in the key server.
    With -Secondary, the same run takes the store's SECONDARY copy on that node, its staging area and its replicas.
    Then it checks that no volume, catalog entry or volume group of the store is left (and Test-BPDecommission in
    every place), that the other data stores were not touched, and writes a change record (JSON) with the audit trail.
.EXAMPLE
    ./Decommission-DataStore.ps1 -Lab ./lab -Node '\A' -DataStore DS02 -IgnoreRetention -ChangeRecord ./DS02-decommission.json
.EXAMPLE
    ./Decommission-DataStore.ps1 -Lab ./lab -Node '\A' -Secondary '\B' -DataStore DS01 -IgnoreRetention
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory)] [string] $Lab,
    [Parameter(Mandatory)] [string] $Node,
    [Parameter(Mandatory)] [string] $DataStore,
    # The node of the store's SECONDARY copy, decommissioned in the same run.
    [string] $Secondary,
    # Also delete volumes whose data has not expired (their backups are lost).
    [switch] $IgnoreRetention,
    [string] $ChangeRecord
)
$ErrorActionPreference = 'Stop'
$secondaryDomain = if ($Secondary) { Connect-BPDomain -Lab $Lab -Node $Secondary }
$domain = Connect-BPDomain -Lab $Lab -Node $Node

# Pre-checks: what is there, and what else must stay as it is.
$store = Get-BPDataStore -Name $DataStore -Domain $domain
$labels = @(Get-BPVolume -DataStore $DataStore -Domain $domain | ForEach-Object Label)
$others = @(Get-BPDataStore -Domain $domain | Where-Object Name -ne $DataStore | ForEach-Object {
        [pscustomobject]@{ Name = $_.Name; Volumes = $_.VolumeCount; Groups = $_.VolumeGroupCount }
    })
$keys = @(Get-BPVolume -DataStore $DataStore -Domain $domain -Encrypted | ForEach-Object MediaKeyName)
Write-Verbose "$DataStore on $Node ($($store.DomainAccess)): $($labels.Count) volume(s), $($store.VolumeGroupCount) volume group(s), $($keys.Count) encryption key(s)."

# Steps 1 and 2, as one journaled run: volumes, then volume groups, then the data store.
$removeArgs = @{ Name = $DataStore; Domain = $domain; Recurse = $true; IgnoreRetention = $IgnoreRetention; PassThru = $true }
if ($secondaryDomain) { $removeArgs.Secondary = $secondaryDomain }
if ($PSCmdlet.ShouldProcess("$DataStore on $Node with $($labels.Count) volume(s)", 'Decommission data store')) {
    $results = @(Remove-BPDataStore @removeArgs -Confirm:$false)
} else {
    return
}
$summary = $results | Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }

# Verification: nothing of the store remains in the BackPak catalog or in DSM/TC / TMF.
$problems = [System.Collections.Generic.List[string]]::new()
if (Get-BPDataStore -Domain $domain | Where-Object Name -eq $DataStore) { $problems.Add("data store $DataStore is still defined") }
if (Get-BPVolumeGroup -Domain $domain | Where-Object DataStore -eq $DataStore) { $problems.Add("volume groups of $DataStore remain") }
foreach ($label in $labels) {
    if (Get-BPVolume -Label $label -Domain $domain -ErrorAction SilentlyContinue) { $problems.Add("volume $label is still in the BackPak catalog") }
    if (Get-BPCatalogEntry -Label $label -Domain $domain -ErrorAction SilentlyContinue) { $problems.Add("volume $label still has DSM/TC or TMF entries") }
}
$testArgs = @{ DataStore = $DataStore; Primary = $domain }
if ($secondaryDomain) { $testArgs.Secondary = $secondaryDomain }
foreach ($c in Test-BPDecommission @testArgs | Where-Object { -not $_.Passed }) { $problems.Add("$($c.Place): $($c.Detail)") }
foreach ($o in $others) {
    $now = Get-BPDataStore -Name $o.Name -Domain $domain
    if ($now.VolumeCount -ne $o.Volumes -or $now.VolumeGroupCount -ne $o.Groups) { $problems.Add("data store $($o.Name) changed") }
}

$record = [pscustomobject]@{
    Change            = "Decommission of data store $DataStore on $Node"
    When              = (Get-Date).ToUniversalTime().ToString('o')
    VolumesRemoved    = $summary.VolumesRemoved
    VolumeGroups      = $summary.VolumeGroupsRemoved
    RunId             = $summary.RunId
    Secondary         = $summary.Secondary
    DataStoreRemoved  = $summary.DataStoreRemoved
    KeysToDelete      = $keys   # step 3, optional: Media Key Names to delete in the key server
    Verified          = $problems.Count -eq 0
    Problems          = $problems
    Audit             = @(Get-BPAuditRecord -Target $DataStore -Domain $domain | Select-Object At, User, Action, Result, Detail)
}
if ($ChangeRecord) { $record | ConvertTo-Json -Depth 4 | Set-Content -Path $ChangeRecord }
$record
if ($problems.Count) { throw "Decommission of $DataStore is not clean: $($problems -join '; ')" }
