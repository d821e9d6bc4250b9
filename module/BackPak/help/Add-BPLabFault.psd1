@{
    Synopsis    = 'Lab simulation: injects a fault: the Expand link to a node down (its staging areas unreachable), the import of one volume failing, or a node lost.'
    Description = 'Add-BPLabFault lets a runbook or a test rehearse what goes wrong: with StagingUnreachable on a node, exports to staging areas on that node fail and their volumes stay pending, retried at the export check delay; with ImportFailure on a label, imports of that volume fail, so the next UPDATE import redoes all volumes (CS p15); with NodeLost on a node, the node is lost as in a disaster: connecting to its domain, or reading or changing it through a connection already open, fails with NonStopUnreachable, and its site''s storage and key server go with it (nothing replicates to or from the site, its key server answers KeyManagerUnreachable). Remove-BPLabFault NodeLost brings the node back exactly as it was left, stale state included: its copy of a store that was PRIMARY still says PRIMARY. Faults are stored in the lab and seen by every process using it.'
    Parameters  = @{
        Kind   = 'StagingUnreachable, ImportFailure or NodeLost.'
        Target = 'A node (such as \B) for StagingUnreachable and NodeLost; a volume label for ImportFailure.'
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
        @{
            Title   = 'Lose the primary node'
            Code    = @'
Add-BPLabFault NodeLost '\A' | Out-Null
try { Get-BPDataStore DS01 -Domain '\A' -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
Get-BPDataStore DS01 -Domain '\B' | Format-Table Name, DomainAccess
Remove-BPLabFault NodeLost '\A' -Confirm:$false
(Get-BPDataStore DS01 -Domain '\A').DomainAccess
'@
            Remarks = 'While \A is lost, reading it fails with NonStopUnreachable and \B answers as before. Once the fault is removed \A answers again as it was left: DS01 is still PRIMARY there.'
        }
    )
    Links       = @('Remove-BPLabFault', 'Get-BPLabFault')
}
