@{
    Synopsis    = 'Lab simulation: injects a fault: the Expand link to a node down (its staging areas unreachable), or the import of one volume failing.'
    Description = 'Add-BPLabFault lets a runbook or a test rehearse what goes wrong: with StagingUnreachable on a node, exports to staging areas on that node fail and their volumes stay pending, retried at the export check delay; with ImportFailure on a label, imports of that volume fail, so the next UPDATE import redoes all volumes (CS p15). Faults are stored in the lab and seen by every process using it.'
    Parameters  = @{
        Kind   = 'StagingUnreachable or ImportFailure.'
        Target = 'A node (such as \B) for StagingUnreachable; a volume label for ImportFailure.'
    }
    Outputs     = 'BackPak.Lab.LabFault'
    Examples    = @(
        @{
            Title   = 'Expand down during a backup window'
            Code    = @'
Add-BPLabFault StagingUnreachable '\B'
Invoke-BPLabBackup -DataStore DS01 -Count 10 -Domain '\A' | Out-Null
(Get-BPExportStatus -DataStore DS01 -Domain '\A').Pending | Format-Table
Remove-BPLabFault StagingUnreachable '\B' -Confirm:$false
Start-BPCatalogExport -DataStore DS01 -Type Update -Domain '\A' -Confirm:$false | Out-Null
Wait-BPCatalogExport -DataStore DS01 -Domain '\A'
'@
            Remarks = 'The ten updates stay pending with their error. Once the link is back they would go out at the next retry of the EMS Extractor (the export check delay, 5 minutes by default); an export update started by hand, as the Export Status page allows (CS p16), sends them now, and Wait-BPCatalogExport confirms nothing is left pending. While the link is down, Wait-BPCatalogExport would end at once in StagingUnreachable.'
        }
    )
    Links       = @('Remove-BPLabFault', 'Get-BPLabFault')
}
