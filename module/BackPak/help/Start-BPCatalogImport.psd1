@{
    Synopsis    = 'Starts a catalog import on a SECONDARY data store: FULL (replaces what the store knows, and deletes) or UPDATE (the files since the last import).'
    Description = @'
Start-BPCatalogImport does what the GUI import action or the BB027_IMPORT_CATALOG macro does on a SECONDARY data store [CS p15, p28]; imports are never started by BackPak itself (CS p16).

Each volume's BackPak entry is written to the store, and its DSM/TC entries go to the VOLCAT, POOL and FILECAT of the matching volume group (same name, or the group's original primary name), with node-name replacement applied to DISKFILE names (CS p12). TMF entries are not replicated (inferred: the manual does not say). A FULL import replaces what the store knows and is the only one that deletes: volumes no longer at the primary go, with the DSM/TC entries linked to them (CS p15). An UPDATE reads the export files that arrived since the last successful import; if one volume fails, the next UPDATE redoes all volumes (CS p15).

Before importing it checks that the target catalogs exist (CatalogNotFound, CS p11) and, with node replacement, that no group targets the MEDIADEFS default FILECAT (FileCatalogConflict, CS p12).
'@
    Parameters  = @{
        Type         = 'Full or Update.'
        CatalogFiles = 'Processes DISKFILE entries (BB027 CATALOGFILES YES). It is on unless -CatalogFiles:$false is given (CATALOGFILES NO); the manual does not give the product default.'
    }
    Outputs     = 'BackPak.Core.Sync.SyncRun'
    Examples    = @(
        @{
            Title   = 'The daily update import'
            Code    = "Start-BPCatalogImport -DataStore DS01 -Type Update -Domain '\B'"
            Remarks = 'As the suggested daily job: UPDATE with CATALOGFILES YES.'
        }
        @{
            Title   = 'The monthly full import, without DISKFILEs'
            Code    = "Start-BPCatalogImport -DataStore DS01 -Type Full -CatalogFiles:`$false -Domain '\B'"
            Remarks = 'As the suggested monthly job after the full export: FULL with CATALOGFILES NO. Deletions made at the primary are applied.'
        }
    )
    Links       = @('Start-BPCatalogExport', 'Get-BPImportStatus')
}
