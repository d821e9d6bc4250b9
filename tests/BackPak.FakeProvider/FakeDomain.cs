using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Sync;
using BackPak.Core.Text;

namespace BackPak.FakeProvider
{
    /// <summary>
    /// The domain of one node of a <see cref="FakeEstate"/>: a full provider (every capability), written only against
    /// Core's contracts and rules. Every rule it applies is Core's (<see cref="VolumeRemovalRules"/>, <see cref="ActionMatrix"/>,
    /// <see cref="DataStoreSettingsRules"/>, <see cref="StoreFence"/>); what it decides itself is only how it keeps things.
    /// </summary>
    public sealed class FakeDomain : IBackPakDomain, IRunJournalSource, IReplicationLinkSource, IEstateSource, IDecommissionSite
    {
        public const string ProviderName = "Fake";
        private readonly FakeEstate _e;

        internal FakeDomain(FakeEstate estate, string node)
        {
            _e = estate;
            Node = node;
            Identity = new DomainIdentity(ProviderName, estate.Location, node);
        }

        public string Node { get; }
        public string DomainId => "FAKE-" + Node.TrimStart('\\');
        public string Provider => ProviderName;
        public string Location => _e.Location;
        public DomainIdentity Identity { get; }
        public DateTime Now => _e.Now;
        public bool IsDisposed { get; private set; }
        private FakeNode N => _e.Nodes[Node];

        public void Dispose() => IsDisposed = true;

        // ------------------------------------------------------------------ reads

        public IReadOnlyList<DataStore> GetDataStores(string? name = null)
        {
            lock (_e.Gate)
                return N.Stores.Values.Where(s => name == null || string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(s => s.Name, StringComparer.Ordinal).Select(ToDataStore).ToList();
        }

        public IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null)
        {
            lock (_e.Gate)
                return N.Stores.Values.Where(s => dataStore == null || string.Equals(s.Name, dataStore, StringComparison.OrdinalIgnoreCase))
                    .SelectMany(s => s.Groups.Values.Select(g => (s, g)))
                    .Where(x => name == null || string.Equals(x.g.Name, name, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(x => x.g.Name, StringComparer.Ordinal)
                    .Select(x => new VolumeGroup(Identity)
                    {
                        Name = x.g.Name, DataStore = x.s.Name, Node = Node, CatalogKind = x.g.CatalogKind, Encrypted = x.g.Encrypted,
                        VolumeCatalog = x.g.CatalogKind == CatalogKind.DsmTc ? Node + ".VC" + x.s.Name : null,
                        FileCatalog = x.g.CatalogKind == CatalogKind.DsmTc ? Node + ".FC" + x.s.Name : null,
                        Pool = x.g.CatalogKind == CatalogKind.DsmTc ? "P" + x.s.Name : null,
                        TmfNode = x.g.CatalogKind == CatalogKind.Tmf ? Node : null,
                        VolumeCount = N.Volumes.Values.Count(v => v.DataStore == x.s.Name && v.VolumeGroup == x.g.Name),
                    }).ToList();
        }

        public IEnumerable<Volume> GetVolumes(VolumeQuery query)
        {
            List<Volume> found;
            lock (_e.Gate) found = Select(query).Select(ToVolume).ToList(); // checked now: an unknown name fails before anything streams
            return found;
        }

        public long CountVolumes(VolumeQuery query)
        {
            lock (_e.Gate) return Select(query).Count();
        }

        public IEnumerable<CatalogEntry> GetCatalogEntries(string label)
        {
            lock (_e.Gate)
            {
                if (!N.Volumes.TryGetValue(label, out var v)) return new CatalogEntry[0];
                var g = N.Stores[v.DataStore].Groups[v.VolumeGroup];
                if (g.CatalogKind == CatalogKind.None) return new CatalogEntry[0];
                return Enumerable.Range(0, v.TapeEntries).Select(i => new CatalogEntry(Identity)
                {
                    Label = v.Label, Node = Node, Catalog = g.CatalogKind,
                    Kind = g.CatalogKind == CatalogKind.Tmf ? CatalogEntryKind.TmfVolume : i == 0 ? CatalogEntryKind.TapeVolume : CatalogEntryKind.TapeFile,
                    CatalogName = g.CatalogKind == CatalogKind.DsmTc ? Node + (i == 0 ? ".VC" : ".FC") + v.DataStore : Node,
                    Name = i == 0 ? v.Label : "FILE" + i, Sequence = i == 0 ? (int?)null : i, Status = v.CatalogStatus, Expiration = v.Expiration,
                }).ToList();
            }
        }

        private IEnumerable<FakeVolume> Select(VolumeQuery q)
        {
            if (q.DataStore != null && !N.Stores.ContainsKey(q.DataStore))
                throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{q.DataStore}' does not exist in the domain of {Node}.", q.DataStore, "Get-BPDataStore lists the data stores of the domain.");
            if (q.VolumeGroup != null && !N.Stores.Values.Any(s => (q.DataStore == null || s.Name.Equals(q.DataStore, StringComparison.OrdinalIgnoreCase)) && s.Groups.ContainsKey(q.VolumeGroup)))
                throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Volume group '{q.VolumeGroup}' does not exist in the domain of {Node}.", q.VolumeGroup, "Get-BPVolumeGroup lists the volume groups of the domain.");
            var now = Now;
            return N.Volumes.Values.Where(v =>
                (q.Labels.Count == 0 || q.Labels.Any(p => p.IsWildcard ? Wildcard.Matches(p.Text, v.Label) : p.Text == v.Label))
                && (q.DataStore == null || v.DataStore.Equals(q.DataStore, StringComparison.OrdinalIgnoreCase))
                && (q.VolumeGroup == null || v.VolumeGroup.Equals(q.VolumeGroup, StringComparison.OrdinalIgnoreCase))
                && (q.Expired == null || Expired(v, now) == q.Expired.Value)
                && (q.Encrypted == null || (v.MediaKeyName != null) == q.Encrypted.Value)
                && (q.BackupRunning == null || (v.CurrentOperation == "LOAD" && v.CurrentOperationMode == "OUTPUT") == q.BackupRunning.Value)
                && (q.MediaKeyName == null || v.MediaKeyName == q.MediaKeyName)
                && (q.UpdatedSince == null || v.LastUpdate >= q.UpdatedSince.Value)).ToList();
        }

        private static bool Expired(FakeVolume v, DateTime now) => !v.Expiration.HasValue || v.Expiration.Value <= now;

        private DataStore ToDataStore(FakeStore s) => new DataStore(Identity)
        {
            Name = s.Name, Node = Node, DomainAccess = s.Access, Status = s.Status, StoreType = StoreType.WindowsFile, StoragePath = s.StoragePath,
            PrimaryStoreId = s.PrimaryStoreId, VolumeCount = N.Volumes.Values.Count(v => v.DataStore == s.Name), VolumeGroupCount = s.Groups.Count,
        };

        private Volume ToVolume(FakeVolume v)
        {
            var access = N.Stores[v.DataStore].Access;
            return new Volume(Identity)
            {
                Label = v.Label, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup, Node = Node, DomainAccess = access, CatalogStatus = v.CatalogStatus,
                OwnerNode = Node, OwnerUser = "SUPER.BACKUP", Authorization = access == DomainAccess.Primary ? "GGO" : "G.O", LastBackup = v.LastBackup,
                Expiration = v.Expiration, IsExpired = Expired(v, Now), CurrentOperation = v.CurrentOperation, CurrentOperationMode = v.CurrentOperationMode,
                MediaKeyName = v.MediaKeyName, LastUpdate = v.LastUpdate,
            };
        }

        private FakeStore Store(string name) =>
            N.Stores.TryGetValue(name, out var s) ? s : throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Data store '{name}' does not exist in the domain of {Node}.", name, "Get-BPDataStore lists the data stores of the domain.");

        private void Fence(string store, StoreChange change) => StoreFence.Check(_e.Journal, store, Node, change);

        // ------------------------------------------------------------------ removal

        public IReadOnlyList<VolumeRemovalPlan> PlanVolumeRemoval(IReadOnlyList<Volume> volumes, VolumeRemovalOptions options, bool countParts = true)
        {
            lock (_e.Gate)
                return volumes.Select(v =>
                {
                    var g = N.Stores.TryGetValue(v.DataStore, out var s) && s.Groups.TryGetValue(v.VolumeGroup, out var gg) ? gg : null;
                    var parts = VolumeRemovalRules.Parts(v.DomainAccess, g?.CatalogKind ?? CatalogKind.None);
                    return new VolumeRemovalPlan
                    {
                        Volume = v, RemovesStorage = parts.Storage, TapeCatalog = parts.TapeCatalog,
                        StorageFiles = countParts && parts.Storage ? 1 : 0,
                        CatalogEntries = countParts && N.Volumes.TryGetValue(v.Label, out var fv) ? fv.TapeEntries + 1 : 0,
                        Refusal = VolumeRemovalRules.Refusal(v, Now, options),
                    };
                }).ToList();
        }

        public IEnumerable<VolumeRemovalResult> RemoveVolumes(IReadOnlyList<string> labels, VolumeRemovalOptions options)
        {
            var results = new List<VolumeRemovalResult>();
            string runId = "FR-" + _e.NextRunId();
            foreach (var label in labels)
            {
                lock (_e.Gate)
                {
                    if (!N.Volumes.TryGetValue(label, out var fv))
                    {
                        results.Add(new VolumeRemovalResult(Identity) { Label = label, Node = Node, Status = RemovalStatus.AlreadyAbsent, RunId = runId,
                            Storage = PartOutcome.AlreadyAbsent, TapeCatalog = PartOutcome.AlreadyAbsent, BackPakCatalog = PartOutcome.AlreadyAbsent });
                        continue;
                    }
                    var store = N.Stores[fv.DataStore];
                    Fence(store.Name, StoreChange.Removal);
                    var v = ToVolume(fv);
                    // Core's rules, asked again at the claim: the volume may have changed since the plan.
                    var refusal = VolumeRemovalRules.Refusal(v, Now, options);
                    if (refusal != null)
                    {
                        results.Add(new VolumeRemovalResult(Identity) { Label = label, Node = Node, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup,
                            DomainAccess = v.DomainAccess, Status = RemovalStatus.Refused, Error = refusal, RunId = runId });
                        continue;
                    }
                    var parts = VolumeRemovalRules.Parts(store.Access, store.Groups[fv.VolumeGroup].CatalogKind);
                    int files = 0;
                    if (parts.Storage && _e.Storage.TryGetValue(store.StoragePath, out var set) && set.Remove(label + ".img")) files = 1;
                    int entries = parts.TapeCatalog != CatalogKind.None ? fv.TapeEntries : 0;
                    N.Volumes.Remove(label);
                    store.Pending.Remove(label);
                    WriteAudit("RemoveVolume", store.Name + "/" + label, "Removed", null, options.User);
                    results.Add(new VolumeRemovalResult(Identity)
                    {
                        Label = label, Node = Node, DataStore = v.DataStore, VolumeGroup = v.VolumeGroup, DomainAccess = v.DomainAccess, Status = RemovalStatus.Removed,
                        Storage = parts.Storage ? PartOutcome.Removed : PartOutcome.NotApplicable,
                        TapeCatalog = parts.TapeCatalog != CatalogKind.None ? PartOutcome.Removed : PartOutcome.NotApplicable,
                        BackPakCatalog = PartOutcome.Removed, StorageFilesRemoved = files, CatalogEntriesRemoved = entries + 1, RunId = runId,
                    });
                }
            }
            return results;
        }

        /// <summary>The fake removes each volume at once under its lock: no removal is ever left half done.</summary>
        public IReadOnlyList<string> GetRemovalsInProgress(string dataStore)
        {
            lock (_e.Gate) { Store(dataStore); return new string[0]; }
        }

        public void RemoveVolumeGroup(string name, string user)
        {
            lock (_e.Gate)
            {
                var s = N.Stores.Values.FirstOrDefault(x => x.Groups.ContainsKey(name)) ?? throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Volume group '{name}' does not exist in the domain of {Node}.", name, "Get-BPVolumeGroup lists the volume groups of the domain.");
                Fence(s.Name, StoreChange.Removal);
                int left = N.Volumes.Values.Count(v => v.DataStore == s.Name && v.VolumeGroup.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (left > 0)
                    throw new BackPakException(ErrorIds.VolumeGroupNotEmpty, BackPakErrorCategory.InvalidOperation,
                        $"Volume group '{name}' of data store {s.Name} on {Node} still has {left} volume(s).", name, "Remove its volumes first, or add -Recurse.");
                s.Groups.Remove(name);
                WriteAudit("RemoveVolumeGroup", s.Name + "/" + name, "Removed", null, user);
            }
        }

        public void RemoveDataStore(string name, string user)
        {
            lock (_e.Gate)
            {
                var s = Store(name);
                Fence(s.Name, StoreChange.Removal);
                long volumes = N.Volumes.Values.Count(v => v.DataStore == s.Name);
                if (volumes > 0 || s.Groups.Count > 0)
                    throw new BackPakException(ErrorIds.DataStoreNotEmpty, BackPakErrorCategory.InvalidOperation,
                        $"Data store '{s.Name}' on {Node} still has {volumes} volume(s) and {s.Groups.Count} volume group(s).", s.Name, "Remove them first, or add -Recurse.");
                N.Stores.Remove(s.Name);
                if (s.Access == DomainAccess.Primary) _e.Storage.Remove(s.StoragePath); // the store's folder goes with it
                foreach (var other in _e.Nodes.Values.SelectMany(n => n.Stores.Values).Where(x => x.PartnerNode == Node && x.Name.Equals(s.Name, StringComparison.OrdinalIgnoreCase)))
                    other.PartnerNode = null;
                WriteAudit("RemoveDataStore", s.Name, "Removed", null, user);
            }
        }

        // ------------------------------------------------------------------ audit

        public void Audit(BackPak.Core.Audit.AuditEntry entry)
        {
            lock (_e.Gate) WriteAudit(entry);
        }

        private void WriteAudit(string action, string target, string result, string? detail, string user) =>
            WriteAudit(new BackPak.Core.Audit.AuditEntry { Action = BackPak.Core.Audit.AuditActions.Current(action), Target = target, Result = result, Detail = detail, User = user });

        /// <summary>Writes what the current operation stamps (its Start first in this domain), as the lab does.</summary>
        private void WriteAudit(BackPak.Core.Audit.AuditEntry entry)
        {
            foreach (var e in BackPak.Core.Audit.Operation.StampCurrent(this, entry))
                N.Audit.Add(new AuditRecord(Identity)
                {
                    Id = N.NextAuditId++, At = Now, Node = Node, User = e.User, Host = Environment.MachineName, Action = e.Action, Target = e.Target,
                    Result = e.Result, Detail = e.Detail, OperationId = e.OperationId, Kind = e.Kind, ErrorId = e.ErrorId,
                });
        }

        public IEnumerable<AuditRecord> GetAuditRecords(string? operationId = null)
        {
            lock (_e.Gate)
                return N.Audit.Where(a => operationId == null || a.OperationId.Equals(operationId, StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(a => a.Id).ToList();
        }

        // ------------------------------------------------------------------ catalog sync

        public ExportStatus GetExportStatus(string dataStore)
        {
            lock (_e.Gate)
            {
                var s = Store(dataStore);
                bool reachable = Reachable(s.StagingArea);
                var pending = s.Pending.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => new PendingExport { Label = kv.Key, Reason = ExportReason.Unload, Raised = kv.Value, NextRetry = kv.Value + s.ExportCheckDelay }).ToList();
                return new ExportStatus(Identity)
                {
                    DataStore = s.Name, Node = Node, State = s.Access != DomainAccess.Primary ? ExportState.NotPrimary : s.Suspended ? ExportState.Suspended : ExportState.Active,
                    Suspended = s.Suspended, StagingArea = s.StagingArea, StagingReachable = reachable,
                    StagingProblem = s.StagingArea != null && !reachable ? "no node of the estate holds " + s.StagingArea : null,
                    Inactive = s.Status == DataStoreStatus.Inactive, LastFullExport = s.LastFullExport, LastUpdate = s.LastUpdateExport, Pending = pending,
                    LagSeconds = s.Access != DomainAccess.Primary ? (double?)null : pending.Count == 0 ? 0 : (Now - pending.Min(p => p.Raised)).TotalSeconds,
                    ExportCheckDelaySeconds = s.ExportCheckDelay.TotalSeconds, FullExportFrequencySeconds = s.FullExportFrequency?.TotalSeconds,
                };
            }
        }

        public ImportStatus GetImportStatus(string dataStore)
        {
            lock (_e.Gate)
            {
                var s = Store(dataStore);
                return new ImportStatus(Identity)
                {
                    DataStore = s.Name, Node = Node, StagingArea = s.StagingArea, StagingReachable = Reachable(s.StagingArea),
                    LastFullImport = s.LastFullImport, LastUpdate = s.LastUpdateImport,
                    WaitingFiles = s.StagingArea != null && _e.Staging.TryGetValue(s.StagingArea, out var area) && area.ContainsKey(s.PrimaryStoreId) ? 1 : 0,
                    NodeReplacements = new Dictionary<string, string>(s.NodeReplacements), PrimaryStoreId = s.PrimaryStoreId,
                };
            }
        }

        private bool Reachable(string? area) => area != null && _e.Nodes.ContainsKey(area.Split('.')[0]);

        public SyncRun StartExport(string dataStore, SyncType type, string user)
        {
            lock (_e.Gate)
            {
                var s = Store(dataStore);
                Fence(s.Name, StoreChange.Export);
                if (ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.ManualExport) is { } rejected) throw rejected;
                if (s.Suspended)
                    throw new BackPakException(ErrorIds.ExportSuspended, BackPakErrorCategory.InvalidOperation,
                        $"Catalog export of {s.Name} on {Node} is suspended.", s.Name, $"Resume it first: Resume-BPCatalogExport {s.Name}.");
                if (s.StagingArea == null)
                    throw new BackPakException(ErrorIds.StagingAreaNotSet, BackPakErrorCategory.InvalidOperation,
                        $"Data store {s.Name} on {Node} has no staging area to export to.", s.Name, $"Set one: Set-BPDataStore {s.Name} -StagingArea <area>.");
                if (!Reachable(s.StagingArea))
                    throw new BackPakException(ErrorIds.StagingUnreachable, BackPakErrorCategory.ResourceUnavailable,
                        $"The staging area {s.StagingArea} of {s.Name} cannot be reached.", s.StagingArea, "Check the staging area's node.");
                var started = Now;
                var volumes = N.Volumes.Values.Where(v => v.DataStore == s.Name && (type == SyncType.Full || s.Pending.ContainsKey(v.Label))).Select(v => v.Copy()).ToList();
                if (!_e.Staging.TryGetValue(s.StagingArea, out var area)) _e.Staging[s.StagingArea] = area = new Dictionary<string, List<FakeVolume>>(StringComparer.OrdinalIgnoreCase);
                if (type == SyncType.Full || !area.ContainsKey(s.Name)) area[s.Name] = volumes;
                else
                {
                    var merged = area[s.Name].Where(v => !s.Pending.ContainsKey(v.Label)).Concat(volumes).ToList();
                    area[s.Name] = merged;
                }
                s.Pending.Clear();
                var run = new SyncRun(Identity)
                {
                    Id = _e.NextRunId(), DataStore = s.Name, Node = Node, Direction = "Export", Type = type, Started = started, Ended = Now,
                    Result = SyncResult.Completed, ResultText = "Completed", Volumes = volumes.Count, Entries = volumes.Sum(v => v.TapeEntries + 1),
                };
                if (type == SyncType.Full) s.LastFullExport = run; else s.LastUpdateExport = run;
                WriteAudit("CatalogExport", s.Name, "Completed", $"{type} export: {volumes.Count} volume(s) to {s.StagingArea}", user);
                return run;
            }
        }

        public SyncRun StartImport(string dataStore, SyncType type, bool catalogFiles, string user)
        {
            lock (_e.Gate)
            {
                var s = Store(dataStore);
                Fence(s.Name, StoreChange.Import);
                if (ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.Import) is { } rejected) throw rejected;
                if (s.StagingArea == null)
                    throw new BackPakException(ErrorIds.StagingAreaNotSet, BackPakErrorCategory.InvalidOperation,
                        $"Data store {s.Name} on {Node} has no staging area to import from.", s.Name, $"Set one: Set-BPDataStore {s.Name} -StagingArea <area>.");
                if (CheckImportTargets(s.Name) is { } refused) throw refused;
                var started = Now;
                var exported = _e.Staging.TryGetValue(s.StagingArea, out var area) && area.TryGetValue(s.PrimaryStoreId, out var list) ? list : new List<FakeVolume>();
                var labels = new HashSet<string>(exported.Select(v => v.Label), StringComparer.Ordinal);
                int deleted = 0;
                if (type == SyncType.Full) // only a FULL import deletes (R9)
                    foreach (var gone in N.Volumes.Values.Where(v => v.DataStore == s.Name && !labels.Contains(v.Label)).Select(v => v.Label).ToList())
                    {
                        N.Volumes.Remove(gone);
                        deleted++;
                    }
                var group = s.Groups.Keys.FirstOrDefault();
                foreach (var v in exported)
                {
                    var copy = v.Copy();
                    copy.DataStore = s.Name;
                    if (!s.Groups.ContainsKey(copy.VolumeGroup) && group != null) copy.VolumeGroup = group;
                    copy.CurrentOperation = copy.CurrentOperationMode = null;
                    if (!N.Volumes.TryGetValue(v.Label, out var now) || now.LastUpdate != copy.LastUpdate || now.MediaKeyName != copy.MediaKeyName) N.Volumes[v.Label] = copy;
                }
                var run = new SyncRun(Identity)
                {
                    Id = _e.NextRunId(), DataStore = s.Name, Node = Node, Direction = "Import", Type = type, Started = started, Ended = Now,
                    Result = SyncResult.Completed, ResultText = "Completed", Volumes = exported.Count, Entries = exported.Sum(v => v.TapeEntries + 1), Deleted = deleted,
                };
                if (type == SyncType.Full) s.LastFullImport = run; else s.LastUpdateImport = run;
                WriteAudit("CatalogImport", s.Name, "Completed", $"{type} import: {exported.Count} volume(s), {deleted} deleted", user);
                return run;
            }
        }

        public void SetExportSuspended(string dataStore, bool suspended, string user)
        {
            lock (_e.Gate)
            {
                var s = Store(dataStore);
                Fence(s.Name, StoreChange.ExportControl);
                s.Suspended = suspended;
                WriteAudit(suspended ? "SuspendCatalogExport" : "ResumeCatalogExport", s.Name, "Done", null, user);
            }
        }

        // ------------------------------------------------------------------ settings

        public DataStore SetDataStore(string name, DataStoreSettings settings, string user)
        {
            lock (_e.Gate)
            {
                var s = Store(name);
                Fence(s.Name, StoreChange.Settings);
                var valid = DataStoreSettingsRules.Validate(settings, _e.Nodes.Keys.ToList());
                if (valid.DomainAccess is { } access && access != DomainAccess.Unknown && access != s.Access)
                {
                    var running = N.Volumes.Values.Where(v => v.DataStore == s.Name && v.CurrentOperation == "LOAD" && v.CurrentOperationMode == "OUTPUT").Select(v => v.Label).ToList();
                    if (ActionMatrix.AccessChangeRefusal(s.Name, Node, s.Access, access, running) is { } refused) throw refused;
                }
                if (valid.StagingArea != null) s.StagingArea = valid.StagingArea;
                if (valid.ExportCheckDelay is { } delay) s.ExportCheckDelay = delay;
                if (valid.FullExportFrequency is { } freq) s.FullExportFrequency = freq == TimeSpan.Zero ? (TimeSpan?)null : freq;
                if (valid.NodeReplacements != null) s.NodeReplacements = new Dictionary<string, string>(valid.NodeReplacements.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.OrdinalIgnoreCase);
                if (valid.PrimaryStoreId != null) s.PrimaryStoreId = valid.PrimaryStoreId;
                if (valid.Status is { } status && status != DataStoreStatus.Unknown) s.Status = status;
                if (valid.DomainAccess is { } a && a != DomainAccess.Unknown) s.Access = a;
                WriteAudit("SetDataStore", s.Name, "Done", null, user);
                return ToDataStore(s);
            }
        }

        // ------------------------------------------------------------------ switch facts, key facts

        public string? DsmTcSearchList { get { lock (_e.Gate) return N.SearchList; } }

        /// <summary>The fake's own naming: a staging area on this node named after the store.</summary>
        public string StagingAreaFor(string dataStore) => Node + ".$FKSTG." + dataStore.ToUpperInvariant();

        public long? GetStagingFreeBytes(string stagingArea) => 1L << 34;

        public BackPakException? CheckImportTargets(string dataStore)
        {
            lock (_e.Gate) { Store(dataStore); return null; }
        }

        public IReadOnlyList<string> GetKeyManagerIds() { lock (_e.Gate) return N.KeyManagerIds.ToList(); }

        public IReadOnlyList<ReplicationPartner> GetReplicationPartners()
        {
            lock (_e.Gate)
                return N.Stores.Values.Where(s => s.PartnerNode != null && _e.Nodes.TryGetValue(s.PartnerNode, out var p) && p.Stores.ContainsKey(s.Name))
                    .Select(s => new ReplicationPartner { DataStore = s.Name, Node = Node, DomainAccess = s.Access, PartnerNode = s.PartnerNode!, PartnerDataStore = s.Name }).ToList();
        }

        public IReadOnlyList<VolumeImageKey> GetVolumeImageKeys()
        {
            lock (_e.Gate)
                return N.Volumes.Values.Where(v => v.MediaKeyName != null)
                    .Select(v => new VolumeImageKey { Node = Node, Label = v.Label, DataStore = v.DataStore, MediaKeyName = v.MediaKeyName!, CatalogMediaKeyName = v.MediaKeyName }).ToList();
        }

        // ------------------------------------------------------------------ estate: journal, links, other nodes, decommission site

        public IRunJournalStore RunJournal => _e.Journal;

        public IReplicationLink? ReplicationLink(string kind, string? dataStore)
        {
            lock (_e.Gate)
                return _e.Links.Where(l => l.Kind == kind && (l.DataStore == null || dataStore == null || l.DataStore.Equals(dataStore, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(l => l.DataStore == null).FirstOrDefault();
        }

        public string? SiteOf(string node) { lock (_e.Gate) return _e.Nodes.TryGetValue(node, out var n) ? n.Site : null; }

        public IDomainReader OpenNode(string node) => _e.Open(node);

        public IReadOnlyDictionary<string, int> GetTapeCatalogEntryCounts(IReadOnlyCollection<string> labels)
        {
            lock (_e.Gate)
                return labels.Where(l => N.Volumes.TryGetValue(l, out var v) && v.TapeEntries > 0).ToDictionary(l => l, l => N.Volumes[l].TapeEntries);
        }

        public IReadOnlyList<string> GetStorageFiles(string storagePath)
        {
            lock (_e.Gate) return _e.Storage.TryGetValue(storagePath, out var files) ? files.OrderBy(f => f, StringComparer.Ordinal).ToList() : new List<string>();
        }

        public IReadOnlyList<string> GetStagingFiles(string stagingArea, string primaryStoreId)
        {
            lock (_e.Gate) return _e.Staging.TryGetValue(stagingArea, out var area) && area.ContainsKey(primaryStoreId) ? new[] { primaryStoreId + ".FULL" } : new string[0];
        }

        public int RemoveStagingFiles(string stagingArea, string primaryStoreId, string user)
        {
            lock (_e.Gate)
            {
                if (!_e.Staging.TryGetValue(stagingArea, out var area) || !area.Remove(primaryStoreId)) return 0;
                WriteAudit("RemoveStagingFiles", primaryStoreId, "Removed", "1 export file(s) in " + stagingArea, user);
                return 1;
            }
        }

        // ------------------------------------------------------------------ simulation (tests only)

        /// <summary>A backup writing the volume now: its catalog entry changes and an export update is raised.</summary>
        public void Backup(string label)
        {
            lock (_e.Gate)
            {
                var v = N.Volumes[label];
                var s = N.Stores[v.DataStore];
                Fence(s.Name, StoreChange.Backup);
                if (ActionMatrix.Rejection(s.Name, Node, s.Access, s.Status, StoreAction.LoadForOutput) is { } rejected) throw rejected;
                v.LastBackup = v.LastUpdate = Now;
                s.Pending[label] = Now;
            }
        }

        /// <summary>Sets or clears a volume's current operation (a backup or restore in flight).</summary>
        public void SetOperation(string label, string? operation, string? mode)
        {
            lock (_e.Gate) { var v = N.Volumes[label]; v.CurrentOperation = operation; v.CurrentOperationMode = mode; }
        }
    }

    /// <summary>A domain offering only reading, as a read-only site provider would (everything else is missing).</summary>
    public sealed class ReadOnlyDomain : IDomainReader
    {
        private readonly IDomainReader _inner;
        public ReadOnlyDomain(IDomainReader inner) { _inner = inner; }
        public string Node => _inner.Node;
        public string DomainId => _inner.DomainId;
        public string Provider => _inner.Provider;
        public string Location => _inner.Location;
        public DomainIdentity Identity => _inner.Identity;
        public DateTime Now => _inner.Now;
        public IReadOnlyList<DataStore> GetDataStores(string? name = null) => _inner.GetDataStores(name);
        public IReadOnlyList<VolumeGroup> GetVolumeGroups(string? dataStore = null, string? name = null) => _inner.GetVolumeGroups(dataStore, name);
        public IEnumerable<Volume> GetVolumes(VolumeQuery query) => _inner.GetVolumes(query);
        public long CountVolumes(VolumeQuery query) => _inner.CountVolumes(query);
        public IEnumerable<CatalogEntry> GetCatalogEntries(string label) => _inner.GetCatalogEntries(label);
        public void Dispose() => _inner.Dispose();
    }
}
