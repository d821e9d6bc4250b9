using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Removal
{
    /// <summary>Places of a replicated decommission an operator may keep (the steps behind them are inferred: docs/inferred.md).</summary>
    [Flags]
    [JsonConverter(typeof(StringEnumConverter))]
    public enum DecommissionKeep
    {
        None = 0,
        /// <summary>Leave the store's export files in the staging area.</summary>
        StagingArea = 1,
        /// <summary>Leave the replicated volume images at the secondary site (the storage team removes them).</summary>
        Replicas = 2,
    }

    /// <summary>Everything a decommission of a data store works with.</summary>
    public sealed class DecommissionContext : IProcedureContext
    {
        /// <summary>Store ID of the store on <see cref="Primary"/>.</summary>
        public string DataStore { get; init; } = "";
        /// <summary>The domain whose store goes first: the PRIMARY side of a replicated store, or the only side of another.</summary>
        public IBackPakDomain Primary { get; init; } = null!;
        /// <summary>The domain holding the SECONDARY copy, when the decommission takes that side too.</summary>
        public IBackPakDomain? Secondary { get; init; }
        /// <summary>Store ID of the SECONDARY copy (it may differ, Q1); null: the same as <see cref="DataStore"/>.</summary>
        public string? SecondaryDataStore { get; init; }
        public VolumeRemovalOptions Options { get; init; } = new VolumeRemovalOptions();
        /// <summary>The optional last step: destroy the keys of the store's volumes on <see cref="KeyManagers"/>.</summary>
        public bool DestroyKeys { get; init; }
        public DecommissionKeep Keep { get; init; }
        /// <summary>The connected key managers to destroy the keys on (both key servers of a replicated store, where both are connected).</summary>
        public IReadOnlyList<KeyManagerConnection> KeyManagers { get; init; } = new KeyManagerConnection[0];
        /// <summary>Every connected domain: key removal checks none of them still uses a key.</summary>
        public IReadOnlyList<IDomainReader> KeyDomains { get; init; } = new IDomainReader[0];
        /// <summary>The storage replication of the store, when its facility can delete the replicas; null leaves them to the operator.</summary>
        public IReplicaCleanup? Replicas { get; init; }
        /// <summary>
        /// How the operator's storage replication link registered for the store is named (Register-BPReplicationLink
        /// -Kind Storage), or null. It overrides the provider's link, as it does for the switch; it can reverse
        /// replication but not delete, so the replicated images are then the operator's to delete with the storage's
        /// own tools: the 'replicas' step waits for the operator, and <see cref="Replicas"/> is not used.
        /// </summary>
        public string? RegisteredStorageLink { get; init; }
        public IRunJournalStore Journal { get; init; } = null!;
        public string User { get; init; } = Environment.UserName;
        public CancellationToken Cancel { get; init; }
        /// <summary>Each volume's removal result, as it comes (the cmdlet reports it and counts progress).</summary>
        public Action<VolumeRemovalResult>? OnVolume { get; init; }
        /// <summary>Each key's removal result, as it comes.</summary>
        public Action<KeyRemovalResult>? OnKey { get; init; }

        string IProcedureContext.PrimaryNode => Primary.Node;
        string IProcedureContext.SecondaryNode => Secondary?.Node ?? "";
        internal string SecondaryStore => SecondaryDataStore ?? DataStore;
    }

    /// <summary>What a decommission would do, read before anything changes: the -WhatIf listing and the prompt come from it.</summary>
    public sealed class DataStoreDecommissionPlan
    {
        public string DataStore { get; init; } = "";
        public string Primary { get; init; } = "";
        public string? Secondary { get; init; }
        public IReadOnlyList<StepInfo> Steps { get; init; } = new StepInfo[0];
        /// <summary>The primary side's volumes and groups (null when that side's store is already gone: a run continued).</summary>
        public DecommissionPlan? PrimarySide { get; init; }
        public DecommissionPlan? SecondarySide { get; init; }
        public IReadOnlyList<(string StagingArea, IReadOnlyList<string> Files)> StagingFiles { get; init; } = new (string, IReadOnlyList<string>)[0];
        public int ReplicaFiles { get; init; }
        public IReadOnlyList<string> Keys { get; init; } = new string[0];
        /// <summary>What the procedure will leave, as the operator chose it (a side not given, a place kept).</summary>
        public IReadOnlyList<string> Remaining { get; init; } = new string[0];
        /// <summary>The refusals of either side: any of them and nothing starts.</summary>
        public IReadOnlyList<BackPakException> Refusals =>
            new[] { PrimarySide, SecondarySide }.Where(p => p != null).SelectMany(p => p!.Volumes).Where(v => v.Refusal != null).Select(v => v.Refusal!).ToList();

        /// <summary>One line per thing that goes, in the order it goes: what -WhatIf shows.</summary>
        public IEnumerable<string> Lines()
        {
            foreach (var side in new[] { PrimarySide, SecondarySide }.Where(x => x != null).Select(x => x!))
            {
                foreach (var v in side.Volumes.Where(v => v.Refusal == null))
                    yield return $"volume {v.Volume.Label} ({side.DataStore}/{v.Volume.VolumeGroup} on {side.Node}, {v.Volume.DomainAccess.ToString().ToUpperInvariant()}): " +
                                 (v.RemovesStorage ? $"{v.StorageFiles} storage file(s), " : "") + $"{v.CatalogEntries} catalog entr(y/ies)";
                foreach (var g in side.VolumeGroups) yield return $"volume group {g} of {side.DataStore} on {side.Node}";
                yield return $"data store {side.DataStore} on {side.Node}";
            }
            foreach (var (area, files) in StagingFiles) yield return $"staging area {area}: {files.Count} export file(s) of {DataStore} ({string.Join(", ", files.Take(5))}{(files.Count > 5 ? ", ..." : "")})";
            if (Steps.Any(s => s.Id == "replicas")) yield return $"replicas of {DataStore}: {ReplicaFiles} volume image file(s) at the secondary site";
            if (Steps.Any(s => s.Id == "keys")) yield return $"encryption keys: {Keys.Count} Media Key Name(s) of the store's volumes, destroyed on every connected key server of its Key Manager";
        }

        /// <summary>The prompt's sentence.</summary>
        public string Describe()
        {
            var sides = new List<string>();
            if (PrimarySide != null) sides.Add(PrimarySide.Describe());
            if (SecondarySide != null) sides.Add(SecondarySide.Describe());
            var more = new List<string>();
            if (StagingFiles.Count > 0) more.Add($"{StagingFiles.Sum(s => s.Files.Count)} staging file(s)");
            if (Steps.Any(s => s.Id == "replicas")) more.Add($"{ReplicaFiles} replica file(s)");
            if (Steps.Any(s => s.Id == "keys")) more.Add($"{Keys.Count} encryption key(s), which can never be recovered");
            return $"Decommission of {DataStore} in {Steps.Count} steps: " + string.Join("; ", sides) + (more.Count > 0 ? "; then " + string.Join(", ", more) : "") +
                   (Remaining.Count > 0 ? ". Left as they are: " + string.Join("; ", Remaining) : "");
        }
    }

    /// <summary>One place a decommissioned data store could have left something: what Test-BPDecommission returns.</summary>
    public sealed class DecommissionCheck
    {
        /// <summary>Where: "BackPak catalog on \A", "storage at SITEB", "staging area \B.$BPSTAGE.DS01", "key server lab:SITEA".</summary>
        public string Place { get; init; } = "";
        /// <summary>The node (or key server) the place belongs to.</summary>
        public string Node { get; init; } = "";
        public string DataStore { get; init; } = "";
        public bool Passed { get; init; }
        /// <summary>
        /// Whether the place was read at all: false when it cannot tell (a real site's storage, a catalog that cannot be
        /// read). Such a place never passes; <c>Where-Object Checked</c> keeps the places that were read.
        /// </summary>
        public bool Checked { get; init; } = true;
        /// <summary>What is left there (or "nothing left").</summary>
        public string Detail { get; init; } = "";
        /// <summary>What is left, item by item (labels, files, key names), at most 100.</summary>
        public IReadOnlyList<string> Left { get; init; } = new string[0];
        public override string ToString() => (Passed ? "PASS " : "FAIL ") + Place + ": " + Detail;
    }

    /// <summary>
    /// The decommission of a data store, whole, across both sides of its replication, as one journaled procedure on the
    /// runner of the role switch (<see cref="ProcedureRunner"/>): it holds the store's lock from start to end, so no
    /// backup, export, import or switch of the store happens meanwhile on either side; a run stopped anywhere (killed,
    /// Ctrl-C, a step failed) is continued by running the same command again.
    /// <para>
    /// The order is the manual's for the primary side (CS p41, R14): its volumes, its volume groups, its data store; then,
    /// inferred (docs/inferred.md): the SECONDARY copy's catalog entries, volume groups and store, the store's export files
    /// in the staging area, the replicated volume images at the secondary site; last, optional, the encryption keys
    /// (CS p41, TEO p10). The run first records what the store holds on each side, so the later steps, and
    /// Test-BPDecommission after the run, know it when the catalogs no longer do.
    /// </para>
    /// </summary>
    public static class DataStoreDecommission
    {
        private const string Sep = "\n";

        /// <summary>The steps of a decommission, as the plan and the report show them.</summary>
        public static IReadOnlyList<StepInfo> StepInfos(string dataStore, string primary, string? secondary, bool destroyKeys, DecommissionKeep keep)
        {
            string p = primary, s = secondary ?? "";
            var list = new List<StepInfo>
            {
                Info("inventory", $"Record what {dataStore} holds on {p}{(s.Length > 0 ? " and " + s : "")} and check every volume may go", s.Length > 0 ? p + " " + s : p, StepKind.Check, "inferred (BB p15/13, BB p178/176)"),
                Info("stop-export", $"Stop the catalog export of {dataStore} on {p}", p, StepKind.Action, "inferred (CS p16)"),
                Info("primary-volumes", $"Delete the volumes of {dataStore} on {p}: storage, DSM/TC or TMF entries, BackPak entries", p, StepKind.Action, "CS p41"),
                Info("primary-groups", $"Remove the volume groups of {dataStore} on {p}", p, StepKind.Action, "CS p41; BB p156/154"),
                Info("primary-store", $"Remove the data store {dataStore} on {p}", p, StepKind.Action, "CS p41; BB p156/154"),
            };
            if (s.Length > 0)
            {
                list.Add(Info("secondary-volumes", $"Delete the SECONDARY volumes of {dataStore} on {s}: their BackPak and DSM/TC entries (a SECONDARY store never wrote storage)", s, StepKind.Action, "inferred (CS p14)"));
                list.Add(Info("secondary-groups", $"Remove the volume groups of the SECONDARY {dataStore} on {s}", s, StepKind.Action, "inferred (CS p9)"));
                list.Add(Info("secondary-store", $"Remove the SECONDARY data store {dataStore} on {s}", s, StepKind.Action, "inferred (CS p9)"));
                if ((keep & DecommissionKeep.StagingArea) == 0)
                    list.Add(Info("staging-area", $"Delete the export files of {dataStore} in its staging area, so no FULL import brings it back", s, StepKind.Action, "inferred (CS p8, p15)"));
                if ((keep & DecommissionKeep.Replicas) == 0)
                    list.Add(Info("replicas", $"Delete the replicated volume images of {dataStore} at the secondary site", s, StepKind.External, "inferred (CS p6)"));
            }
            if (destroyKeys)
                list.Add(Info("keys", $"Destroy the encryption keys of the volumes of {dataStore} on the connected key servers", "key servers", StepKind.Action, "CS p41; TEO p10"));
            for (int i = 0; i < list.Count; i++)
                list[i] = new StepInfo { Number = i + 1, Id = list[i].Id, Title = list[i].Title, Node = list[i].Node, Kind = list[i].Kind, Source = list[i].Source };
            return list;
        }

        /// <summary>The steps of a recorded run, from its header.</summary>
        internal static IReadOnlyList<StepInfo> StepInfos(string dataStore, string primary, string secondary, IReadOnlyDictionary<string, string> header)
        {
            var keep = header.TryGetValue("keep", out var k) && Enum.TryParse<DecommissionKeep>(k, out var kv) ? kv : DecommissionKeep.None;
            if (header.TryGetValue(GuidedDecommission.HeaderKey, out var guided) && guided == "1")
                return GuidedDecommission.StepInfos(dataStore, primary, secondary.Length > 0 ? secondary : null, keep);
            return StepInfos(dataStore, primary, secondary.Length > 0 ? secondary : null, header.TryGetValue("destroyKeys", out var d) && d == "1", keep);
        }

        /// <summary>The steps of this decommission; the 'replicas' step names what deletes the replicas (<see cref="StepInfo.Facility"/>).</summary>
        private static IReadOnlyList<StepInfo> StepInfos(DecommissionContext c) =>
            StepInfos(c.DataStore, c.Primary.Node, c.Secondary?.Node, c.DestroyKeys, c.Keep)
                .Select(i => i.Id != "replicas" ? i : new StepInfo
                {
                    Number = i.Number, Id = i.Id, Title = i.Title, Node = i.Node, Kind = i.Kind, Source = i.Source,
                    Facility = ReplicasFacility(c),
                }).ToList();

        private static string ReplicasFacility(DecommissionContext c) =>
            c.RegisteredStorageLink != null
                ? $"none: the operator deletes them with the storage's own tools, then confirms (the storage replication of {c.DataStore} is the link registered for it, {c.RegisteredStorageLink}, which cannot delete)"
                : c.Replicas != null ? $"the storage replication to {c.Replicas.ReplicaSite} (the provider's link)"
                : "none: the operator deletes them with the storage's own tools";

        /// <summary>"3 hold non-expired data, 1 is busy with another operation": how many volumes each rule refuses.</summary>
        public static string RefusalCounts(IEnumerable<BackPakException> refusals)
        {
            var byId = refusals.GroupBy(e => e.ErrorId).ToDictionary(g => g.Key, g => g.Count());
            var parts = new List<string>();
            if (byId.TryGetValue(ErrorIds.VolumeNotExpired, out int n)) parts.Add($"{n} hold{(n == 1 ? "s" : "")} non-expired data");
            if (byId.TryGetValue(ErrorIds.VolumeBusy, out n)) parts.Add($"{n} {(n == 1 ? "is" : "are")} busy with another operation");
            foreach (var kv in byId.Where(kv => kv.Key != ErrorIds.VolumeNotExpired && kv.Key != ErrorIds.VolumeBusy)) parts.Add($"{kv.Value} {kv.Key}");
            return string.Join(", ", parts);
        }

        /// <summary>
        /// Checks the sides before anything is read for a plan: the store on the primary side, its SECONDARY copy on the
        /// secondary side (and not the other way round). Returns the SECONDARY copy's Store ID.
        /// </summary>
        public static string? RequireSides(IDomainReader primary, IDomainReader? secondary, string dataStore)
        {
            var store = primary.GetDataStores(dataStore).FirstOrDefault()
                        ?? throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                            $"Data store '{dataStore}' does not exist in the domain of {primary.Node}.", dataStore, "Get-BPDataStore lists the data stores of the domain.");
            if (secondary == null) return null;
            if (string.Equals(primary.Node, secondary.Node, StringComparison.OrdinalIgnoreCase) && primary.Location == secondary.Location)
                throw Side($"-Secondary names the domain the store is removed from ({primary.Node}).", secondary.Node, $"Give the node of the SECONDARY copy of {dataStore}, e.g. -Secondary '\\B'.");
            if (store.DomainAccess == DomainAccess.Secondary)
                throw Side($"{dataStore} on {primary.Node} is the SECONDARY side: the decommission starts on the PRIMARY side, as the manual's order does (its volumes first).",
                    dataStore, $"Run it from the PRIMARY side: Remove-BPDataStore {dataStore} -Recurse -Domain '{secondary.Node}' -Secondary '{primary.Node}'.");
            // The copy: the replication partner where the provider knows the partners (the lab), else the store of the same
            // name, as a site description declares a replicated pair.
            string? copyName = primary is IKeyFacts facts
                ? facts.GetReplicationPartners().FirstOrDefault(r => string.Equals(r.DataStore, store.Name, StringComparison.OrdinalIgnoreCase)
                                                                     && string.Equals(r.PartnerNode, secondary.Node, StringComparison.OrdinalIgnoreCase))?.PartnerDataStore
                : store.Name;
            var copy = copyName == null ? null : secondary.GetDataStores(copyName).FirstOrDefault();
            if (copy == null || copy.DomainAccess != DomainAccess.Secondary)
                throw Side($"{dataStore} on {primary.Node} has no SECONDARY copy on {secondary.Node}" +
                           (copy != null ? $" ({copy.Name} there is {copy.DomainAccess.ToString().ToUpperInvariant()})" : "") + ".",
                    secondary.Node, $"Leave out -Secondary to remove {dataStore} on {primary.Node} alone, or give the node that holds its SECONDARY copy.");
            return copy.Name;
        }

        /// <summary>What the decommission would do, changing nothing. Reads every volume of both sides (with its files and entries when <paramref name="countParts"/>).</summary>
        public static DataStoreDecommissionPlan Plan(DecommissionContext c, bool countParts = true)
        {
            DecommissionPlan? Side(IBackPakDomain? d, string store)
            {
                if (d == null || d.GetDataStores(store).Count == 0) return null;
                var groups = d.GetVolumeGroups(store).Select(g => g.Name).ToList();
                var volumes = d.GetVolumes(new VolumeQuery { DataStore = store }).ToList();
                return new DecommissionPlan { Node = d.Node, DataStore = store, VolumeGroups = groups, Volumes = d.PlanVolumeRemoval(volumes, c.Options, countParts) };
            }
            var inv = Inventory.Read(c);
            var steps = StepInfos(c);
            var staging = new List<(string, IReadOnlyList<string>)>();
            if (steps.Any(s => s.Id == "staging-area"))
                foreach (var area in inv.StagingAreas)
                    staging.Add((area, Site(StagingDomain(c, area)).GetStagingFiles(area, inv.PrimaryStoreId)));
            int replicas = steps.Any(s => s.Id == "replicas") && c.Secondary != null && inv.SecondaryStorage != null ? Site(c.Secondary).GetStorageFiles(inv.SecondaryStorage).Count : 0;
            return new DataStoreDecommissionPlan
            {
                DataStore = c.DataStore, Primary = c.Primary.Node, Secondary = c.Secondary?.Node, Steps = steps,
                PrimarySide = Side(c.Primary, c.DataStore), SecondarySide = Side(c.Secondary, c.SecondaryStore),
                StagingFiles = staging, ReplicaFiles = replicas, Keys = inv.Keys, Remaining = Remaining(c),
            };
        }

        /// <summary>What the procedure leaves as the operator chose it.</summary>
        private static IReadOnlyList<string> Remaining(DecommissionContext c)
        {
            var left = new List<string>();
            if (c.Secondary == null)
                foreach (var r in SafePartners(c.Primary, c.DataStore))
                    left.Add($"the {(r.DomainAccess == DomainAccess.Primary ? "SECONDARY" : "PRIMARY")} copy {r.PartnerDataStore} on {r.PartnerNode}, the staging area and the replicas " +
                             $"(to decommission both sides: Remove-BPDataStore {c.DataStore} -Recurse -Domain '{c.Primary.Node}' -Secondary '{r.PartnerNode}')");
            else
            {
                if ((c.Keep & DecommissionKeep.StagingArea) != 0) left.Add("the export files in the staging area (-Keep StagingArea)");
                if ((c.Keep & DecommissionKeep.Replicas) != 0) left.Add("the replicated volume images at the secondary site (-Keep Replicas)");
                else if (c.RegisteredStorageLink != null)
                    left.Add($"the replicated volume images at the secondary site: the storage replication of {c.DataStore} is the link registered for it ({c.RegisteredStorageLink}), " +
                             "so the operator deletes them with the storage's own tools; the run waits for that at its 'replicas' step, confirmed with -ConfirmStep replicas");
                else if (c.Replicas == null) left.Add("the replicated volume images at the secondary site: no storage facility is connected to delete them, so the operator does");
            }
            if (!c.DestroyKeys) left.Add("the encryption keys of the store's volumes in the key servers (the optional last step: -DestroyKeys)");
            return left;
        }

        private static IEnumerable<ReplicationPartner> SafePartners(IBackPakDomain d, string ds)
        {
            try { return d.GetReplicationPartners().Where(r => string.Equals(r.DataStore, ds, StringComparison.OrdinalIgnoreCase)).ToList(); }
            catch (BackPakException) { return new ReplicationPartner[0]; }
        }

        /// <summary>
        /// Runs the decommission, or continues run <paramref name="resumeRunId"/>. Every volume of both sides must be removable
        /// when it starts (DecommissionRefused otherwise, before anything is written): a decommission removes all or nothing.
        /// </summary>
        /// <param name="confirmStep">The step the run waits for, done by the operator (-ConfirmStep); checked by a read first.</param>
        public static DecommissionResult Run(DecommissionContext c, string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress)
        {
            var steps = Definition(c);
            if (confirmStep != null) ProcedureRunner.RequireAwaited(c, steps, resumeRunId, confirmStep);
            var result = new DecommissionResult(c.Primary.Identity) { Node = c.Primary.Node, SecondaryDataStore = c.Secondary != null ? c.SecondaryStore : null };
            var header = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["secondaryStore"] = c.Secondary != null ? c.SecondaryStore : "",
                ["destroyKeys"] = c.DestroyKeys ? "1" : "0",
                ["keep"] = c.Keep.ToString(),
            };
            try
            {
                ProcedureRunner.Run(ProcedureKind.Decommission, c, steps, () => RequireStart(c), null, () => result, header, resumeRunId, confirmStep, progress);
                result.Completed = result.Status == RunStatus.Completed;
                Fill(result, c);
                Operation.Current?.Summarize(c.Primary.Identity, $"{c.DataStore}: {Summary(result)}");
                return result;
            }
            catch (BackPakException e) when (ReferenceEquals(e.Target, result))
            {
                Fill(result, c);
                throw;
            }
            catch (ProcedureInterrupted)
            {
                Fill(result, c);
                throw;
            }
        }

        /// <summary>The counts of a run from its journal (this invocation's and every earlier attempt's), and what it leaves.</summary>
        private static void Fill(DecommissionResult r, DecommissionContext c)
        {
            if (r.RunId.Length == 0) return;
            var j = ProcedureRunner.RecordedValues(c.Journal, r.RunId);
            int N(string k) => j.TryGetValue(k, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
            r.VolumesRemoved = N("p.volumesRemoved");
            r.VolumesAlreadyAbsent = N("p.volumesAbsent");
            r.SecondaryVolumesRemoved = N("s.volumesRemoved");
            r.StagingFilesRemoved = N("stagingRemoved");
            r.ReplicaFilesRemoved = N("replicasRemoved");
            r.KeysDestroyed = N("keysDestroyed");
            r.VolumeGroupsRemoved.Clear();
            r.VolumeGroupsRemoved.AddRange(List(j, "p.groups"));
            r.SecondaryVolumeGroupsRemoved.Clear();
            if (c.Secondary != null) r.SecondaryVolumeGroupsRemoved.AddRange(List(j, "s.groups"));
            r.DataStoreRemoved = r.Steps.Any(s => s.Id == "primary-store" && Ok(s.Status));
            r.SecondaryDataStoreRemoved = r.Steps.Any(s => s.Id == "secondary-store" && Ok(s.Status));
            r.Remaining.Clear();
            r.Remaining.AddRange(Remaining(c));
            foreach (var s in r.Steps.Where(s => s.Status == StepStatus.Skipped)) r.Remaining.Add($"step {s.Number} ({s.Id}): {s.Message}");
        }

        private static bool Ok(StepStatus s) => s == StepStatus.Done || s == StepStatus.AlreadyDone;

        private static string Summary(DecommissionResult r) =>
            $"run {r.RunId}: {r.VolumesRemoved} volume(s) removed on {r.Primary}" +
            (r.Secondary.Length > 0 ? $", {r.SecondaryVolumesRemoved} on {r.Secondary}, {r.StagingFilesRemoved} staging file(s), {r.ReplicaFilesRemoved} replica file(s)" : "") +
            $", {r.KeysDestroyed} key(s) destroyed";

        /// <summary>Refuses, before anything is written, a decommission that could not end: a side that is not what it should be, a volume that may not go, keys with no key server.</summary>
        private static void RequireStart(DecommissionContext c)
        {
            if (c.Primary.GetDataStores(c.DataStore).Count == 0)
                throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{c.DataStore}' does not exist in the domain of {c.Primary.Node}.", c.DataStore, "Get-BPDataStore lists the data stores of the domain.", stopsInvocation: true);
            var plan = Plan(c, countParts: false);
            var refusals = plan.Refusals;
            if (refusals.Count > 0)
                throw Decommission.Refused($"data store {c.DataStore}", refusals.Count,
                    (plan.PrimarySide?.Volumes.Count ?? 0) + (plan.SecondarySide?.Volumes.Count ?? 0), RefusalCounts(refusals), null);
            if (!c.DestroyKeys) return;
            if (c.Secondary == null && SafePartners(c.Primary, c.DataStore).FirstOrDefault() is { } other)
                throw Side($"The keys of {c.DataStore} cannot be destroyed while its {(other.DomainAccess == DomainAccess.Primary ? "SECONDARY" : "PRIMARY")} copy on {other.PartnerNode} stays: its volumes use them.",
                    c.DataStore, $"Decommission both sides (-Secondary '{other.PartnerNode}'), or leave out -DestroyKeys.");
            if (c.KeyManagers.Count == 0)
                throw new BackPakException(ErrorIds.KeyManagerNotConnected, BackPakErrorCategory.ResourceUnavailable,
                    $"-DestroyKeys needs the key servers of {c.DataStore}'s Key Manager, and none is connected: nothing was removed.", "key manager",
                    "Connect them first (Connect-BPKeyManager, one per key server of the Key Manager id), or leave out -DestroyKeys.", stopsInvocation: true);
            foreach (var km in c.KeyManagers) _ = new KeyRemoval(km.KeyManager, km.BackPakId, c.KeyDomains); // refuses a key manager with no id, or a side not connected
        }

        private static BackPakException Side(string message, object target, string action) =>
            new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument, message, target, action, stopsInvocation: true);

        private static IDecommissionSite Site(IBackPakDomain d) =>
            Capabilities.Require<IDecommissionSite>(d, "the decommission of both sides of a data store (its staging area and storage are read and cleared)");

        /// <summary>The domain that reaches a staging area: the one of its node among the sides, else the primary's.</summary>
        private static IBackPakDomain StagingDomain(DecommissionContext c, string area)
        {
            string node = area.Split('.')[0];
            return c.Secondary != null && string.Equals(c.Secondary.Node, node, StringComparison.OrdinalIgnoreCase) ? c.Secondary : c.Primary;
        }

        // ------------------------------------------------------------------ the steps

        private static List<ProcedureStep<DecommissionContext>> Definition(DecommissionContext c)
        {
            var steps = new List<ProcedureStep<DecommissionContext>>();
            foreach (var info in StepInfos(c))
            {
                switch (info.Id)
                {
                    case "inventory":
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            if (!j.ContainsKey("inventory")) Inventory.Read(x).Record(j);
                            var inv = Inventory.From(j);
                            Operation.Current?.Note(
                                $"decommission of {x.DataStore} on {x.Primary.Node}{(x.Secondary != null ? " and " + x.Secondary.Node : "")}: {inv.PrimaryLabels.Count} + {inv.SecondaryLabels.Count} volume(s), {inv.Keys.Count} key(s)");
                            return $"{inv.PrimaryLabels.Count} volume(s) on {x.Primary.Node}" + (x.Secondary != null ? $", {inv.SecondaryLabels.Count} on {x.Secondary.Node}" : "") + $", {inv.Keys.Count} encryption key(s)";
                        }, (x, j) => j.ContainsKey("inventory")));
                        break;
                    case "stop-export":
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var st = x.Primary.GetDataStores(x.DataStore).FirstOrDefault();
                            if (st == null || st.DomainAccess != DomainAccess.Primary || x.Primary.GetExportStatus(x.DataStore).StagingArea == null)
                                throw new StepSkipped($"{x.DataStore} on {x.Primary.Node} does not export");
                            x.Primary.SetExportSuspended(x.DataStore, true, x.User);
                            return "export suspended: nothing more is written to the staging area";
                        }, (x, j) => x.Primary.GetDataStores(x.DataStore).Count == 0 || x.Primary.GetExportStatus(x.DataStore).Suspended));
                        break;
                    case "primary-volumes":
                    case "secondary-volumes":
                        bool primary = info.Id == "primary-volumes";
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var (d, store, key) = SideOf(x, primary);
                            if (d.GetDataStores(store).Count == 0) return "the data store is gone already";
                            var n = Decommission.RemoveVolumesOf(d, store, null, x.Options, r =>
                            {
                                x.OnVolume?.Invoke(r);
                                x.Cancel.ThrowIfCancellationRequested();
                            });
                            j[key + ".volumesRemoved"] = (Int(j, key + ".volumesRemoved") + n.Removed).ToString(CultureInfo.InvariantCulture);
                            j[key + ".volumesAbsent"] = (Int(j, key + ".volumesAbsent") + n.AlreadyAbsent).ToString(CultureInfo.InvariantCulture);
                            if (n.Refused + n.Failed > 0)
                                throw new BackPakException(ErrorIds.DecommissionStepFailed, BackPakErrorCategory.InvalidResult,
                                    $"{n.Refused + n.Failed} volume(s) of {store} on {d.Node} could not be removed (each is reported); {n.Removed} were", store);
                            return $"{n.Removed} volume(s) removed, {n.AlreadyAbsent} already absent";
                        }, (x, j) => { var (d, store, _) = SideOf(x, primary); return d.GetDataStores(store).Count == 0 || d.CountVolumes(new VolumeQuery { DataStore = store }) == 0; }));
                        break;
                    case "primary-groups":
                    case "secondary-groups":
                        bool pg = info.Id == "primary-groups";
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var (d, store, key) = SideOf(x, pg);
                            if (d.GetDataStores(store).Count == 0) return "the data store is gone already";
                            var removed = Decommission.RemoveGroupsOf(d, store, d.GetVolumeGroups(store).Select(g => g.Name).ToList(), x.User);
                            j[key + ".groups"] = string.Join(Sep, List(j, key + ".groups").Concat(removed).Distinct(StringComparer.OrdinalIgnoreCase));
                            return removed.Count == 0 ? "no volume group left" : "removed " + string.Join(", ", removed);
                        }, (x, j) => { var (d, store, _) = SideOf(x, pg); return d.GetDataStores(store).Count == 0 || d.GetVolumeGroups(store).Count == 0; }));
                        break;
                    case "primary-store":
                    case "secondary-store":
                        bool ps = info.Id == "primary-store";
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var (d, store, _) = SideOf(x, ps);
                            return Decommission.RemoveStore(d, store, x.User) ? $"{store} removed from {d.Node}" : "the data store is gone already";
                        }, (x, j) => { var (d, store, _) = SideOf(x, ps); return d.GetDataStores(store).Count == 0; }));
                        break;
                    case "staging-area":
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var inv = Inventory.From(j);
                            int n = 0;
                            foreach (var area in inv.StagingAreas) n += Site(StagingDomain(x, area)).RemoveStagingFiles(area, inv.PrimaryStoreId, x.User);
                            j["stagingRemoved"] = (Int(j, "stagingRemoved") + n).ToString(CultureInfo.InvariantCulture);
                            return inv.StagingAreas.Count == 0 ? "no staging area" : $"{n} export file(s) deleted in {string.Join(", ", inv.StagingAreas)}";
                        }, (x, j) => { var inv = Inventory.From(j); return inv.StagingAreas.All(a => Site(StagingDomain(x, a)).GetStagingFiles(a, inv.PrimaryStoreId).Count == 0); }));
                        break;
                    case "replicas":
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var inv = Inventory.From(j);
                            // A link the operator registered overrides the provider's: the provider's link is not used
                            // behind the operator's back; the operator deletes the images and confirms.
                            if (x.RegisteredStorageLink != null)
                                throw new RoleSwitch.AwaitOperator($"Delete the replicated images of {x.DataStore} at the secondary site" +
                                    (inv.SecondaryStorage != null ? $" ({inv.SecondaryStorage})" : "") +
                                    $" with the storage's own tools: its storage replication is the link registered for it, {x.RegisteredStorageLink}, so BackPak does not delete them through the provider's link." +
                                    " Then confirm it (-ConfirmStep replicas): the storage is read to check they are gone.");
                            if (x.Replicas == null)
                                throw new StepSkipped($"left to the operator: no storage facility is connected to delete the replicated images of {x.DataStore}" +
                                                      (inv.SecondaryStorage != null ? $" at {inv.SecondaryStorage}" : "") + "; delete them with the storage's own tools");
                            int n = x.Replicas.RemoveReplica(x.DataStore);
                            j["replicasRemoved"] = (Int(j, "replicasRemoved") + n).ToString(CultureInfo.InvariantCulture);
                            return $"{n} replicated file(s) deleted at {x.Replicas.ReplicaSite}";
                        }, (x, j) => { var inv = Inventory.From(j); return x.Secondary != null && inv.SecondaryStorage != null && Site(x.Secondary).GetStorageFiles(inv.SecondaryStorage).Count == 0; })
                        {
                            // The operator's word is checked against the storage before the run goes on to the keys.
                            Verify = (x, j) =>
                            {
                                var inv = Inventory.From(j);
                                if (x.Secondary == null || inv.SecondaryStorage == null) return "no storage location recorded to check";
                                var left = Site(x.Secondary).GetStorageFiles(inv.SecondaryStorage);
                                if (left.Count > 0)
                                    throw new BackPakException(ErrorIds.OperatorStepNotVerified, BackPakErrorCategory.InvalidResult,
                                        $"{left.Count} replicated file(s) of {x.DataStore} are still at {inv.SecondaryStorage} ({string.Join(", ", left.Take(5))}{(left.Count > 5 ? ", ..." : "")}). The run still waits for this step; nothing was changed.",
                                        x.DataStore, "Delete them with the storage's own tools, then confirm the step again.", stopsInvocation: true);
                                return $"checked: {inv.SecondaryStorage} holds no replicated file of {x.DataStore}";
                            },
                        });
                        break;
                    case "keys":
                        steps.Add(new ProcedureStep<DecommissionContext>(info, (x, j) =>
                        {
                            var names = Inventory.From(j).Keys;
                            int destroyed = 0;
                            var problems = new List<string>();
                            foreach (var km in x.KeyManagers)
                            {
                                var removal = new KeyRemoval(km.KeyManager, km.BackPakId, x.KeyDomains, x.Primary);
                                foreach (var plan in names.Count == 0 ? new KeyRemovalPlan[0] : removal.Plan(names))
                                {
                                    x.Cancel.ThrowIfCancellationRequested();
                                    var r = removal.Remove(plan, out var failure);
                                    x.OnKey?.Invoke(r);
                                    if (r.Status == KeyRemovalStatus.Destroyed) destroyed++;
                                    else if (r.Status != KeyRemovalStatus.AlreadyAbsent) problems.Add($"{r.Name} on {km.Endpoint}: {r.Status} ({failure?.Message ?? r.ErrorMessage ?? r.Warning})");
                                }
                            }
                            j["keysDestroyed"] = (Int(j, "keysDestroyed") + destroyed).ToString(CultureInfo.InvariantCulture);
                            if (problems.Count > 0)
                                throw new BackPakException(ErrorIds.DecommissionStepFailed, BackPakErrorCategory.InvalidResult,
                                    $"{problems.Count} key(s) were not destroyed: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; ..." : "")}", "keys");
                            return $"{destroyed} key(s) destroyed on {string.Join(", ", x.KeyManagers.Select(k => k.Endpoint))}";
                        }, (x, j) =>
                        {
                            var names = Inventory.From(j).Keys;
                            return names.Count == 0 || x.KeyManagers.All(km => new KeyRemoval(km.KeyManager, km.BackPakId, x.KeyDomains).Plan(names).All(p => p.AlreadyAbsent));
                        }));
                        break;
                }
            }
            return steps;
        }

        private static (IBackPakDomain Domain, string Store, string Key) SideOf(DecommissionContext c, bool primary) =>
            primary ? (c.Primary, c.DataStore, "p") : (c.Secondary!, c.SecondaryStore, "s");

        private static int Int(Dictionary<string, string> j, string k) =>
            j.TryGetValue(k, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;

        private static IReadOnlyList<string> List(IReadOnlyDictionary<string, string> j, string k) =>
            j.TryGetValue(k, out var v) && v.Length > 0 ? v.Split(new[] { Sep }, StringSplitOptions.RemoveEmptyEntries) : new string[0];

        private static StepInfo Info(string id, string title, string node, StepKind kind, string source) =>
            new StepInfo { Id = id, Title = title, Node = node, Kind = kind, Source = source };

        // ------------------------------------------------------------------ what the store holds, and the check of what is left

        /// <summary>
        /// What a data store holds on each side, in the places a decommission clears: its volumes, its storage and
        /// staging locations, the keys its volumes name. Read from the catalogs while the store exists, and recorded in
        /// the run so that what follows (and Test-BPDecommission) knows it when the catalogs no longer do.
        /// </summary>
        internal sealed class Inventory
        {
            public string PrimaryStoreId = "";
            public List<string> PrimaryLabels = new List<string>(), SecondaryLabels = new List<string>();
            public string? PrimaryStorage, SecondaryStorage;
            public List<string> StagingAreas = new List<string>();
            public List<string> Keys = new List<string>();

            /// <summary>Reads it from the catalogs of the sides (a side whose store is gone gives nothing).</summary>
            public static Inventory Read(DecommissionContext c) => Read(c.Primary, c.DataStore, c.Secondary, c.SecondaryStore);

            public static Inventory Read(IBackPakDomain primary, string dataStore, IBackPakDomain? secondary, string secondaryStore)
            {
                var inv = new Inventory { PrimaryStoreId = dataStore };
                var keys = new SortedSet<string>(StringComparer.Ordinal);
                void Side(IBackPakDomain d, string store, List<string> labels, bool isPrimary)
                {
                    var s = d.GetDataStores(store).FirstOrDefault();
                    if (s == null) return;
                    if (isPrimary) inv.PrimaryStorage = s.StoragePath; else inv.SecondaryStorage = s.StoragePath;
                    if (!isPrimary && s.PrimaryStoreId.Length > 0) inv.PrimaryStoreId = s.PrimaryStoreId;
                    foreach (var v in d.GetVolumes(new VolumeQuery { DataStore = s.Name }))
                    {
                        labels.Add(v.Label);
                        if (v.MediaKeyName != null) keys.Add(v.MediaKeyName);
                    }
                    foreach (var k in d.GetVolumeImageKeys().Where(k => string.Equals(k.DataStore, s.Name, StringComparison.OrdinalIgnoreCase))) keys.Add(k.MediaKeyName);
                    try
                    {
                        var area = s.DomainAccess == DomainAccess.Primary ? d.GetExportStatus(s.Name).StagingArea : d.GetImportStatus(s.Name).StagingArea;
                        if (!string.IsNullOrEmpty(area) && !inv.StagingAreas.Contains(area!, StringComparer.OrdinalIgnoreCase)) inv.StagingAreas.Add(area!);
                    }
                    catch (BackPakException) { } // a store that neither exports nor imports has no staging area
                }
                Side(primary, dataStore, inv.PrimaryLabels, true);
                if (secondary != null) Side(secondary, secondaryStore, inv.SecondaryLabels, false);
                inv.Keys = keys.ToList();
                return inv;
            }

            public void Record(Dictionary<string, string> j)
            {
                j["inventory"] = "1";
                j["p.storeId"] = PrimaryStoreId;
                j["p.labels"] = string.Join(Sep, PrimaryLabels);
                j["s.labels"] = string.Join(Sep, SecondaryLabels);
                j["p.storage"] = PrimaryStorage ?? "";
                j["s.storage"] = SecondaryStorage ?? "";
                j["staging"] = string.Join(Sep, StagingAreas);
                j["keys"] = string.Join(Sep, Keys);
            }

            public static Inventory From(IReadOnlyDictionary<string, string> j) => new Inventory
            {
                PrimaryStoreId = j.TryGetValue("p.storeId", out var id) ? id : "",
                PrimaryLabels = List(j, "p.labels").ToList(), SecondaryLabels = List(j, "s.labels").ToList(),
                PrimaryStorage = j.TryGetValue("p.storage", out var ps) && ps.Length > 0 ? ps : null,
                SecondaryStorage = j.TryGetValue("s.storage", out var ss) && ss.Length > 0 ? ss : null,
                StagingAreas = List(j, "staging").ToList(), Keys = List(j, "keys").ToList(),
            };

            /// <summary>This inventory and another of the same store, together (what the catalogs hold now and what a run recorded).</summary>
            public Inventory Union(Inventory? other)
            {
                if (other == null) return this;
                static List<string> U(List<string> a, List<string> b) => a.Concat(b).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                return new Inventory
                {
                    PrimaryStoreId = PrimaryStoreId.Length > 0 ? PrimaryStoreId : other.PrimaryStoreId,
                    PrimaryLabels = U(PrimaryLabels, other.PrimaryLabels), SecondaryLabels = U(SecondaryLabels, other.SecondaryLabels),
                    PrimaryStorage = PrimaryStorage ?? other.PrimaryStorage, SecondaryStorage = SecondaryStorage ?? other.SecondaryStorage,
                    StagingAreas = U(StagingAreas, other.StagingAreas), Keys = U(Keys, other.Keys),
                };
            }
        }

        /// <summary>The unfinished decommission run of a store, or null (a switch holding the store is not one).</summary>
        public static string? UnfinishedRun(IRunJournalStore journal, string dataStore)
        {
            var id = ProcedureRunner.ActiveRunOf(journal, dataStore);
            return id != null && ProcedureKind.Of(id) == ProcedureKind.Decommission ? id : null;
        }

        /// <summary>The sides and choices an unfinished run was started with: (primary node, secondary node or "", secondary store, destroy keys, keep).</summary>
        public static (string Primary, string Secondary, string SecondaryStore, bool DestroyKeys, DecommissionKeep Keep) RunSubject(IRunJournalStore journal, string runId)
        {
            var (ds, p, s) = ProcedureRunner.Subject(journal, runId);
            var j = ProcedureRunner.RecordedValues(journal, runId);
            return (p, s, j.TryGetValue("secondaryStore", out var ss) && ss.Length > 0 ? ss : ds,
                j.TryGetValue("destroyKeys", out var k) && k == "1",
                j.TryGetValue("keep", out var keep) && Enum.TryParse<DecommissionKeep>(keep, out var kv) ? kv : DecommissionKeep.None);
        }

        /// <summary>The report of a decommission run from its journal (its steps and counts), or null.</summary>
        public static DecommissionResult? Report(IRunJournalStore journal, string runId, DomainIdentity origin)
        {
            var r = ProcedureRunner.ReportOf(journal, runId, () => new DecommissionResult(origin));
            if (r == null) return null;
            r.Node = r.Primary;
            return r;
        }

        /// <summary>
        /// One check per place the store could have left something in (Test-BPDecommission): the BackPak catalog, the
        /// DSM/TC and TMF catalogs and the storage of each side, the staging area, and each connected key server. What
        /// the store held is read from the catalogs now and from the last decommission run of the store, together.
        /// </summary>
        /// <param name="registeredStorageLink">How the operator's storage link registered for the store is named, or null:
        /// replicas left are then the operator's to delete with the storage's own tools, and the check says so.</param>
        public static IReadOnlyList<DecommissionCheck> Test(IBackPakDomain primary, IBackPakDomain? secondary, string dataStore, string? secondaryDataStore,
            IRunJournalStore? journal, IReadOnlyList<KeyManagerConnection> keyManagers, string? registeredStorageLink = null)
        {
            string sStore = secondaryDataStore ?? dataStore;
            Inventory? recorded = null;
            if (journal != null)
            {
                var last = journal.RunIds().Where(id => ProcedureKind.Of(id) == ProcedureKind.Decommission)
                    .Select(id => (Id: id, Values: ProcedureRunner.RecordedValues(journal, id)))
                    .Where(x => x.Values.TryGetValue("dataStore", out var ds) && string.Equals(ds, dataStore, StringComparison.OrdinalIgnoreCase)
                                && x.Values.TryGetValue("primary", out var p) && string.Equals(p, primary.Node, StringComparison.OrdinalIgnoreCase)
                                && x.Values.ContainsKey("inventory"))
                    .OrderBy(x => x.Id, StringComparer.Ordinal).LastOrDefault();
                if (last.Values != null)
                {
                    recorded = Inventory.From(last.Values);
                    if (secondaryDataStore == null && last.Values.TryGetValue("secondaryStore", out var ss) && ss.Length > 0) sStore = ss;
                }
            }
            var inv = Inventory.Read(primary, dataStore, secondary, sStore).Union(recorded);
            var checks = new List<DecommissionCheck>();
            bool known = recorded != null || primary.GetDataStores(dataStore).Count > 0;

            void Catalogs(IBackPakDomain d, string store, List<string> labels)
            {
                var left = new List<string>();
                var s = d.GetDataStores(store).FirstOrDefault();
                if (s != null) left.Add($"data store {s.Name} ({s.DomainAccess.ToString().ToUpperInvariant()})");
                if (s != null) left.AddRange(d.GetVolumeGroups(s.Name).Select(g => "volume group " + g.Name));
                long volumes = s != null ? d.CountVolumes(new VolumeQuery { DataStore = s.Name }) : 0;
                var labelSet = new HashSet<string>(labels, StringComparer.Ordinal);
                var stray = labels.Count == 0 ? new List<Volume>() : d.GetVolumes(new VolumeQuery()).Where(v => labelSet.Contains(v.Label) && (s == null || !string.Equals(v.DataStore, s.Name, StringComparison.OrdinalIgnoreCase))).ToList();
                if (volumes > 0) left.Add($"{volumes} volume(s)");
                left.AddRange(stray.Select(v => $"volume {v.Label} (now in {v.DataStore})"));
                checks.Add(Check($"BackPak catalog on {d.Node}", d.Node, dataStore, left, s == null && !known ? "the store is not there, and no decommission run of it records what it held" : null));

                var tape = Site(d).GetTapeCatalogEntryCounts(labels);
                checks.Add(Check($"DSM/TC and TMF catalogs on {d.Node}", d.Node, dataStore,
                    tape.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value} entr{(kv.Value == 1 ? "y" : "ies")}").ToList(),
                    !known ? "no record of the store's volumes to look for" : null));
            }
            void Storage(IBackPakDomain d, string? path, string what, string? owner = null)
            {
                var files = path == null ? new List<string>() : Site(d).GetStorageFiles(path).ToList();
                var check = Check($"{what} {(path != null ? StorageSite(path) : "of " + d.Node)}", d.Node, dataStore, files,
                    path == null ? "no record of the store's storage location" : null, path);
                if (owner != null && !check.Passed)
                    check = new DecommissionCheck { Place = check.Place, Node = check.Node, DataStore = check.DataStore, Passed = false, Checked = check.Checked, Detail = check.Detail + "; " + owner, Left = check.Left };
                checks.Add(check);
            }

            Catalogs(primary, dataStore, inv.PrimaryLabels);
            Storage(primary, inv.PrimaryStorage, "storage at");
            if (secondary != null)
            {
                Catalogs(secondary, sStore, inv.SecondaryLabels);
                Storage(secondary, inv.SecondaryStorage, "replicas at", registeredStorageLink == null ? null :
                    $"the storage replication of {dataStore} is the link registered for it ({registeredStorageLink}): delete them with the storage's own tools");
            }
            if (inv.StagingAreas.Count == 0 && secondary != null)
                checks.Add(Check("staging area", secondary.Node, dataStore, new List<string>(), "no record of a staging area of the store"));
            foreach (var area in inv.StagingAreas)
            {
                var d = secondary != null && string.Equals(area.Split('.')[0], secondary.Node, StringComparison.OrdinalIgnoreCase) ? secondary : primary;
                checks.Add(Check($"staging area {area}", area.Split('.')[0], dataStore, Site(d).GetStagingFiles(area, inv.PrimaryStoreId).ToList(), null));
            }
            var domains = new[] { primary, secondary }.Where(x => x != null).Select(x => x!).ToList();
            var ids = new HashSet<string>(domains.SelectMany(x => x.GetKeyManagerIds()), StringComparer.OrdinalIgnoreCase);
            foreach (var km in keyManagers.Where(k => k.IsOpen && k.BackPakId != null && ids.Contains(k.BackPakId)).OrderBy(k => k.Endpoint, StringComparer.OrdinalIgnoreCase))
            {
                var present = new List<string>();
                foreach (var name in inv.Keys)
                    foreach (var uid in km.KeyManager.Locate(name))
                        if (km.KeyManager.Get(uid) is { IsDestroyed: false } key) present.Add($"{name} ({key.State})");
                checks.Add(Check($"key server {km.Endpoint}", km.Endpoint, dataStore, present,
                    inv.Keys.Count == 0 && !known ? "no record of the keys of the store's volumes" : null));
            }
            return checks;
        }

        private static string StorageSite(string path)
        {
            // \\SITEB-NAS\BACKPAK\DS01: name the share's host, as an operator knows the site.
            var host = path.TrimStart('\\').Split('\\')[0];
            return host.EndsWith("-NAS", StringComparison.OrdinalIgnoreCase) ? host.Substring(0, host.Length - 4) : host;
        }

        internal static DecommissionCheck Check(string place, string node, string dataStore, List<string> left, string? unknown, string? where = null) => new DecommissionCheck
        {
            Place = place, Node = node, DataStore = dataStore,
            Passed = unknown == null && left.Count == 0,
            Checked = unknown == null,
            Detail = unknown != null ? "cannot tell: " + unknown
                : left.Count == 0 ? "nothing left" + (where != null ? " in " + where : "")
                : $"{left.Count} left: {string.Join(", ", left.Take(5))}{(left.Count > 5 ? ", ..." : "")}",
            Left = left.Take(100).ToList(),
        };
    }
}
