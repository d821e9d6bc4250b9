@{
    Synopsis    = 'Changes data store settings: domain access, status, and the Catalog Sync export and import settings.'
    Description = @'
Set-BPDataStore changes what the data store page and its Catalog Sync Export and import configuration pages hold [CS p9, p12, p20]. Changing the domain access between PRIMARY and SECONDARY is the heart of a switch of roles: the store's volumes follow (a SECONDARY volume never accepts a write, so its WRITE access shows "." (BB p166/164)). Setting the store INACTIVE stops loads and automatic actions, while operator-started exports and imports still work (CS p14).

Every change is audited. A malformed setting is an InvalidSetting error and nothing changes.
'@
    Parameters  = @{
        DomainAccess        = 'Primary, Secondary or Restricted.'
        Status              = 'Active or Inactive.'
        StagingArea         = 'The Guardian subvolume of the staging area, such as \B.$BPSTAGE.DS01: where a PRIMARY store exports to and a SECONDARY store imports from. Each part is letters and digits, the first a letter (\node, $ and 1 to 7 for the volume, 1 to 8 for the subvolume), on a node of the lab; anything else, a path included, is InvalidSetting and nothing changes.'
        ExportCheckDelay    = 'How often the EMS Extractor retries exports that did not reach the staging area, as a TimeSpan (e.g. 00:05:00).'
        FullExportFrequency = 'Turns an export update into a full export once this interval has passed since the last full one; 00:00:00 clears it. Scheduling full exports in NetBatch is the recommended way (CS p20).'
        NodeReplacement     = 'Node-name replacement pairs applied to DISKFILE names at import, as a hashtable such as @{ ''\A'' = ''\X'' }; @{} clears them (CS p12).'
        PrimaryStoreId      = 'The Store ID of the primary store when this SECONDARY store is named differently (CS p9).'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Model.DataStore.'
    Examples    = @(
        @{
            Title   = 'Let the EMS Extractor retry every minute'
            Code    = "Set-BPDataStore -Name DS01 -ExportCheckDelay 00:01:00 -Domain '\A'"
            Remarks = 'Failed export updates are retried every minute.'
        }
        @{
            Title   = 'Demote the primary side during a switch'
            Code    = "Set-BPDataStore -Name DS01 -DomainAccess Secondary -StagingArea '\A.`$BPSTAGE.DS01' -Domain '\A' -PassThru"
            Remarks = 'The store on \A becomes SECONDARY and will import from a staging area on \A itself.'
        }
    )
    Links       = @('Get-BPDataStore', 'Get-BPExportStatus')
}
