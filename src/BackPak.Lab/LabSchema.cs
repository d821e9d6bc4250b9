namespace BackPak.Lab
{
    /// <summary>The tables of each lab store. Times are UTC milliseconds since 1970.</summary>
    internal static class LabSchema
    {
        public const string Lab = @"
CREATE TABLE lab (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE site (name TEXT PRIMARY KEY);
CREATE TABLE node (name TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES site(name), domain_id TEXT NOT NULL,
                   dsmtc_search_list TEXT NOT NULL);
-- Facilities outside BackPak that a switch reverses: storage replication and key-server replication.
-- Faults the simulator injects: STAGING_UNREACHABLE (target: a node, Expand down), IMPORT_FAILURE (target: a label),
-- NODE_LOST (target: a node, lost with its site's storage and key server).
CREATE TABLE fault (kind TEXT NOT NULL, target TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY (kind, target));
CREATE TABLE replication_link (name TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('STORAGE','KEYS')),
                   source_site TEXT NOT NULL, target_site TEXT NOT NULL, scope TEXT, healthy INTEGER NOT NULL DEFAULT 1,
                   last_sync INTEGER);
";

        /// <summary>
        /// The transport volume of Appendix A (CS p44), one per store and side: never exported, spared by a FULL import.
        /// pending: the one-time registration at a secondary began and did not finish. last_backup / last_restore: what
        /// the last backup on it wrote (PRIMARY) and the last image restored from it (SECONDARY), as manifest lines.
        /// Also created by the first registration in a lab built before it existed.
        /// </summary>
        public const string Transport = @"
CREATE TABLE IF NOT EXISTS transport (data_store TEXT PRIMARY KEY COLLATE NOCASE, label TEXT NOT NULL, volume_group TEXT NOT NULL,
  registered INTEGER NOT NULL, pending TEXT, last_backup TEXT, last_restore TEXT, restore_pending INTEGER NOT NULL DEFAULT 0);
";

        public const string BackPak = @"
CREATE TABLE domain (node TEXT NOT NULL, domain_id TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE data_store (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  domain_access TEXT NOT NULL, status TEXT NOT NULL, store_type TEXT NOT NULL,
  storage_path TEXT NOT NULL, primary_store_id TEXT NOT NULL, staging_area TEXT,
  -- Catalog Sync settings (the Catalog Sync Export page and the import configuration; defaults inferred)
  export_suspended INTEGER NOT NULL DEFAULT 0, export_check_delay_s INTEGER NOT NULL DEFAULT 300,
  full_export_frequency_s INTEGER, node_replacements TEXT,
  -- sequence of the last export written (PRIMARY) and of the last one imported successfully (SECONDARY)
  export_seq INTEGER NOT NULL DEFAULT 0, import_seq INTEGER NOT NULL DEFAULT 0, last_full_export INTEGER);
CREATE TABLE volume_group (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  data_store TEXT NOT NULL COLLATE NOCASE REFERENCES data_store(name),
  catalog_kind TEXT NOT NULL, volcat TEXT, pool TEXT, filecat TEXT, tmf_node TEXT,
  encrypted INTEGER NOT NULL, original_primary_name TEXT, retention_days INTEGER NOT NULL DEFAULT 30);
CREATE TABLE volume (
  label TEXT PRIMARY KEY,
  data_store TEXT NOT NULL COLLATE NOCASE, volume_group TEXT NOT NULL COLLATE NOCASE,
  domain_access TEXT NOT NULL, catalog_status TEXT NOT NULL,
  owner_node TEXT NOT NULL, owner_user TEXT NOT NULL, authorization TEXT NOT NULL,
  last_backup INTEGER, expiration INTEGER, current_operation TEXT, current_operation_mode TEXT,
  media_key_name TEXT, locked INTEGER NOT NULL DEFAULT 0, last_update INTEGER) WITHOUT ROWID;
-- Export updates not yet written to the staging area, with the EMS Extractor's retry state.
CREATE TABLE export_pending (data_store TEXT NOT NULL COLLATE NOCASE, label TEXT NOT NULL, reason TEXT NOT NULL, raised INTEGER NOT NULL,
  retry_count INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_retry INTEGER NOT NULL, PRIMARY KEY (data_store, label)) WITHOUT ROWID;
CREATE TABLE sync_run (id INTEGER PRIMARY KEY AUTOINCREMENT, data_store TEXT NOT NULL COLLATE NOCASE, direction TEXT NOT NULL,
  type TEXT NOT NULL, started INTEGER NOT NULL, ended INTEGER, result TEXT NOT NULL, volumes INTEGER NOT NULL DEFAULT 0,
  entries INTEGER NOT NULL DEFAULT 0, failed TEXT, deleted INTEGER NOT NULL DEFAULT 0, error TEXT, seq INTEGER);
-- One export or import per data store at a time (CS p15): the row is held by a live process.
CREATE TABLE sync_lock (data_store TEXT PRIMARY KEY COLLATE NOCASE, direction TEXT NOT NULL, owner_host TEXT NOT NULL,
  owner_pid INTEGER NOT NULL, owner_start INTEGER NOT NULL, started INTEGER NOT NULL);
CREATE TABLE key_manager (backpak_id TEXT PRIMARY KEY, endpoint TEXT NOT NULL);
-- Intent journal of volume removals: written in the same transaction that claims the volume (current operation
-- DELETE), deleted in the one that removes its BackPak entry. A row left behind is a removal to finish.
CREATE TABLE removal_intent (label TEXT PRIMARY KEY, run_id TEXT NOT NULL, owner_host TEXT NOT NULL, owner_pid INTEGER NOT NULL,
  owner_start INTEGER NOT NULL, user TEXT NOT NULL, data_store TEXT NOT NULL, volume_group TEXT NOT NULL, domain_access TEXT NOT NULL,
  storage_path TEXT, tape_catalog TEXT NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID;
-- Intent journal of catalog imports: committed, with the files pinned under nodes/<node>/import-intent/<run_id>,
-- before the import's first commit (DSM/TC); deleted by its last (BackPak). A row left behind is an import to finish.
CREATE TABLE import_intent (data_store TEXT PRIMARY KEY COLLATE NOCASE, run_id INTEGER NOT NULL, type TEXT NOT NULL,
  catalog_files INTEGER NOT NULL, user TEXT NOT NULL, files TEXT NOT NULL, created INTEGER NOT NULL);
-- The audit trail: operation_id, kind (Start, Change, Refusal, End) and error_id were added later; LabSchema.UpgradeAudit
-- adds them to the store of a lab made before, whose old rows keep NULL there.
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user TEXT NOT NULL, host TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, detail TEXT, operation_id TEXT, kind TEXT, error_id TEXT);
CREATE INDEX audit_by_operation ON audit(operation_id) WHERE operation_id IS NOT NULL;
";

        /// <summary>
        /// Gives the audit table of a lab made before operations its operation_id, kind and error_id columns (its old
        /// rows keep NULL: they are read as records of no operation, their kind taken from their result). Additive and
        /// idempotent, so a lab of the same format version stays readable by an older module.
        /// </summary>
        public static void UpgradeAudit(Microsoft.Data.Sqlite.SqliteConnection c)
        {
            if (LabDb.Scalar(c, "SELECT 1 FROM pragma_table_info('audit') WHERE name = 'operation_id'") != null) return;
            LabDb.Exec(c, "BEGIN IMMEDIATE");
            try
            {
                if (LabDb.Scalar(c, "SELECT 1 FROM pragma_table_info('audit') WHERE name = 'operation_id'") == null)
                {
                    LabDb.Exec(c, "ALTER TABLE audit ADD COLUMN operation_id TEXT");
                    LabDb.Exec(c, "ALTER TABLE audit ADD COLUMN kind TEXT");
                    LabDb.Exec(c, "ALTER TABLE audit ADD COLUMN error_id TEXT");
                    LabDb.Exec(c, "CREATE INDEX audit_by_operation ON audit(operation_id) WHERE operation_id IS NOT NULL");
                }
                LabDb.Exec(c, "COMMIT");
            }
            catch
            {
                LabDb.Exec(c, "ROLLBACK");
                throw;
            }
        }

        /// <summary>Indexes are built after the bulk load: faster than maintaining them row by row.</summary>
        public const string BackPakIndexes = @"
CREATE INDEX volume_by_store ON volume(data_store, label);
CREATE INDEX volume_by_group ON volume(volume_group, label);
CREATE INDEX volume_by_expiration ON volume(expiration);
CREATE INDEX volume_by_key ON volume(media_key_name) WHERE media_key_name IS NOT NULL;
";

        public const string DsmTc = @"
CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- VOLCATs and FILECATs that exist on this node (CS p11); is_default marks the MEDIADEFS default FILECAT (CS p12).
CREATE TABLE catalog (name TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('VOLCAT','FILECAT')), is_default INTEGER NOT NULL);
CREATE TABLE tapevolume (label TEXT PRIMARY KEY, volcat TEXT NOT NULL, pool TEXT NOT NULL, status TEXT NOT NULL,
  expiration INTEGER, created INTEGER) WITHOUT ROWID;
CREATE TABLE tapefile (label TEXT NOT NULL, file_seq INTEGER NOT NULL, filecat TEXT NOT NULL, fileid TEXT NOT NULL,
  generation INTEGER NOT NULL, expiration INTEGER, created INTEGER, PRIMARY KEY (label, file_seq)) WITHOUT ROWID;
CREATE TABLE diskfile (label TEXT NOT NULL, file_seq INTEGER NOT NULL, disk_seq INTEGER NOT NULL, filecat TEXT NOT NULL,
  name TEXT NOT NULL, PRIMARY KEY (label, file_seq, disk_seq)) WITHOUT ROWID;
";

        public const string Tmf = @"
CREATE TABLE tmf_volume (label TEXT PRIMARY KEY, status TEXT NOT NULL, expiration INTEGER, created INTEGER) WITHOUT ROWID;
CREATE TABLE tmf_dump (label TEXT NOT NULL, dump_seq INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
  created INTEGER, PRIMARY KEY (label, dump_seq)) WITHOUT ROWID;
";

        /// <summary>A new Active AES-256 key (@1 name, @2 unique id, @3 time): what a backup's key server creates.</summary>
        public const string InsertKey = "INSERT OR IGNORE INTO key(name, uid, state, algorithm, length, created, activated) VALUES (@1, @2, 'Active', 'AES', 256, @3, @3)";

        public const string Keys = @"
CREATE TABLE key (name TEXT PRIMARY KEY, uid TEXT NOT NULL UNIQUE, state TEXT NOT NULL, algorithm TEXT NOT NULL,
  length INTEGER NOT NULL, created INTEGER NOT NULL, activated INTEGER, deactivated INTEGER, destroyed INTEGER) WITHOUT ROWID;
";
    }
}
