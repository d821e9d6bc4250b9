@{
    Synopsis    = 'Reads the audit records of a domain: every change made through the module, newest first.'
    Description = 'Get-BPAuditRecord returns the audit trail kept in the BackPak catalog of a node: when, who, from which host, what action, on what target, with what result and details. Every removal of a volume, volume group or data store writes one. Audit records never hold secrets.'
    Parameters  = @{
        Action = 'Only records of this action, such as RemoveVolume, RemoveVolumeGroup or RemoveDataStore.'
        Target = 'Only records about this target, such as DS01/AB1234 for a volume or DS01 for a data store.'
        Last   = 'The number of records to return at most, newest first. The default is 100.'
        Domain = 'The domain: a connection or a node name. The default connection when not given.'
    }
    Outputs     = 'BackPak.Core.Model.AuditRecord'
    Examples    = @(
        @{
            Title   = 'The last volume removals'
            Code    = "Get-BPAuditRecord -Action RemoveVolume -Last 20"
            Remarks = 'Shows who removed which volume, when, and what each part of the removal did.'
        }
        @{
            Title   = 'A change record for a decommission'
            Code    = "Get-BPAuditRecord -Target DS02 | ConvertTo-Json"
            Remarks = 'The start and completion of Remove-BPDataStore DS02, ready to attach to a change ticket.'
        }
    )
    Links       = @('Remove-BPVolume', 'Remove-BPDataStore')
}
