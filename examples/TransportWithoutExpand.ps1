<#
.SYNOPSIS
    Runbook: the transport without Expand (manual Appendix A, CS p44) of a replicated data store, phase by phase.
.DESCRIPTION
    Without Expand the PRIMARY store's exports go to an intermediate staging area, and one reserved, uncatalogued
    transport volume carries its files to the SECONDARY, moved or replicated as the other volumes are.

    -Phase Setup    once: the intermediate staging area as the export target, the transport volume created at the
                    PRIMARY and registered at the SECONDARY (RESTRICTED, create, SECONDARY again).
    -Phase Send     at the PRIMARY, after each FULL export (-Full starts one first) or, with -Partial, after a backup
                    window's exports: one backup of the intermediate staging area on the transport volume.
    -Phase Receive  at the SECONDARY: waits until the volume has arrived (at most -WaitSeconds), restores it into the
                    regular staging area, overwriting, then imports (FULL after a whole backup, UPDATE after a partial).
    -Phase Cycle    Send then Receive.

    Every step is refused, with nothing changed, when it would carry the wrong thing; the runbook stops at the first
    error. It returns the transport volume of each side (and the import run) as it stands at the end.
.EXAMPLE
    ./TransportWithoutExpand.ps1 -Lab ./lab -DataStore DS01 -Primary '\A' -Secondary '\B' -Phase Setup
.EXAMPLE
    ./TransportWithoutExpand.ps1 -Lab ./lab -DataStore DS01 -Primary '\A' -Secondary '\B' -Phase Cycle -Full
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
param(
    [Parameter(Mandatory)] [string] $Lab,
    [Parameter(Mandatory)] [string] $DataStore,
    [Parameter(Mandatory)] [string] $Primary,
    [Parameter(Mandatory)] [string] $Secondary,
    [Parameter(Mandatory)] [ValidateSet('Setup', 'Send', 'Receive', 'Cycle')] [string] $Phase,
    [string] $Label = 'XPT001',
    [string] $VolumeGroup = 'TRANSPORT',
    # The intermediate staging area, on the primary side (preferably not on the primary system itself, CS p44).
    [string] $IntermediateStagingArea = "$Primary.`$BPINT.$DataStore",
    [switch] $Full,
    [switch] $Partial,
    [int] $WaitSeconds = 600
)
$ErrorActionPreference = 'Stop'
$b = Connect-BPDomain -Lab $Lab -Node $Secondary
$a = Connect-BPDomain -Lab $Lab -Node $Primary
$confirm = @{ Confirm = $false; WhatIf = $WhatIfPreference }

if ($Phase -eq 'Setup') {
    if ($PSCmdlet.ShouldProcess("$DataStore on $Primary and $Secondary", "Set up the transport without Expand with volume $Label")) {
        Set-BPDataStore -Name $DataStore -StagingArea $IntermediateStagingArea -Domain $a @confirm | Out-Null
        Register-BPTransportVolume -DataStore $DataStore -Label $Label -VolumeGroup $VolumeGroup -Domain $a @confirm | Out-Null
        Register-BPTransportVolume -DataStore $DataStore -Label $Label -VolumeGroup $VolumeGroup -Domain $b @confirm | Out-Null
    }
}

if ($Phase -in @('Send', 'Cycle')) {
    if ($Full) { Start-BPCatalogExport -DataStore $DataStore -Type Full -Domain $a @confirm | Out-Null }
    if ($PSCmdlet.ShouldProcess("transport volume $Label of $DataStore on $Primary", "Back up $(if ($Partial) { 'the exports of the backup window' } else { 'the whole intermediate staging area' })")) {
        Backup-BPStagingArea -DataStore $DataStore -Partial:$Partial -Domain $a @confirm | Out-Null
    }
}

$import = $null
if ($Phase -in @('Receive', 'Cycle') -and -not $WhatIfPreference) {
    $deadline = [DateTime]::UtcNow.AddSeconds($WaitSeconds)
    while ((Get-BPTransportVolume -DataStore $DataStore -Domain $b).State -ne 'Arrived') {
        if ([DateTime]::UtcNow -ge $deadline) { throw "Transport volume $Label has not arrived on $Secondary within $WaitSeconds s: check its replication or move." }
        Start-Sleep -Seconds 5
    }
    if ($PSCmdlet.ShouldProcess("staging area of $DataStore on $Secondary", "Restore transport volume $Label, then import")) {
        $restored = Restore-BPStagingArea -DataStore $DataStore -Domain $b @confirm
        $import = Start-BPCatalogImport -DataStore $DataStore -Type $restored.ImportType -Domain $b @confirm
        if ("$($import.Result)" -ne 'Completed') { throw "The $($restored.ImportType) import of $DataStore on $Secondary did not complete: $($import.Error)" }
    }
}

Get-BPTransportVolume -DataStore $DataStore -Domain $a
Get-BPTransportVolume -DataStore $DataStore -Domain $b
if ($import) { $import }
