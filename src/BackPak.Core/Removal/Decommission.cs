using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.Core.Removal
{
    /// <summary>What removing a volume group or a data store with everything in it would do.</summary>
    public sealed class DecommissionPlan
    {
        public string Node { get; init; } = "";
        public string DataStore { get; init; } = "";
        /// <summary>The one volume group to remove, or null for the whole data store.</summary>
        public string? VolumeGroup { get; init; }
        public IReadOnlyList<string> VolumeGroups { get; init; } = new string[0];
        public IReadOnlyList<VolumeRemovalPlan> Volumes { get; init; } = new VolumeRemovalPlan[0];

        public int StorageFiles => Volumes.Where(v => v.Refusal == null).Sum(v => v.StorageFiles);
        public int CatalogEntries => Volumes.Where(v => v.Refusal == null).Sum(v => v.CatalogEntries);
        public int Refused => Volumes.Count(v => v.Refusal != null);
        public string Target => VolumeGroup == null ? $"data store {DataStore} on {Node}" : $"volume group {VolumeGroup} of data store {DataStore} on {Node}";

        /// <summary>A sentence for the confirmation prompt and -WhatIf: everything that goes, in the manual's order, or why nothing will.</summary>
        public string Describe() =>
            Refused > 0
                ? $"{Target}: {Refused} of its {Volumes.Count} volume(s) are refused ({RefusalCounts()}), so nothing will be removed: " +
                  "not the others, not the volume group" + (VolumeGroup == null ? "s, not the store" : "")
                : $"{Target}: {Volumes.Count} volume(s) ({StorageFiles} storage file(s), {CatalogEntries} catalog entr(y/ies)), " +
                  (VolumeGroup == null ? $"then volume group(s) {string.Join(", ", VolumeGroups)}, then the data store" : "then the volume group");

        /// <summary>How many volumes each rule refuses, in words: "3 hold non-expired data, 1 is busy".</summary>
        public string RefusalCounts() => DataStoreDecommission.RefusalCounts(Volumes.Where(v => v.Refusal != null).Select(v => v.Refusal!));
    }

    /// <summary>
    /// What a removal of a volume group or a data store did. For a data store removed with -Recurse it is also the run of
    /// its decommission (<see cref="DataStoreDecommission"/>): the steps on each side, their status, and what is left.
    /// </summary>
    public sealed class DecommissionResult : ProcedureReport
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public DecommissionResult(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        /// <summary>The node whose store (or group) was removed first: the PRIMARY side of a replicated store.</summary>
        public string Node { get; set; } = "";
        public string? VolumeGroup { get; set; }
        public int VolumesRemoved { get; set; }
        public int VolumesAlreadyAbsent { get; set; }
        public int VolumesRefused { get; set; }
        public int VolumesFailed { get; set; }
        public List<string> VolumeGroupsRemoved { get; } = new List<string>();
        public bool DataStoreRemoved { get; set; }
        /// <summary>The SECONDARY side's Store ID, when the decommission took that side too.</summary>
        public string? SecondaryDataStore { get; set; }
        /// <summary>SECONDARY volumes whose catalog entries (BackPak, DSM/TC) were removed.</summary>
        public int SecondaryVolumesRemoved { get; set; }
        public List<string> SecondaryVolumeGroupsRemoved { get; } = new List<string>();
        public bool SecondaryDataStoreRemoved { get; set; }
        public int StagingFilesRemoved { get; set; }
        public int ReplicaFilesRemoved { get; set; }
        public int KeysDestroyed { get; set; }
        /// <summary>What the run leaves of the store, on purpose or not (a side not given, a step kept or left to the operator).</summary>
        public List<string> Remaining { get; } = new List<string>();
        /// <summary>True when the volume group (or, for a data store, every step of its decommission) is done.</summary>
        public bool Completed { get; set; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => (VolumeGroup ?? DataStore) + (Completed ? " removed" : " not removed");
    }

    /// <summary>
    /// The manual's decommission order, for a volume group or a whole data store (R14, CS p41): its volumes
    /// (storage, DSM/TC or TMF, BackPak), then its volume groups, then the data store. Every step is idempotent
    /// and volume removals are journaled, so a run killed anywhere is completed by running it again.
    /// Deleting the encryption keys, the optional last step, is done outside, with the key server's tools.
    /// </summary>
    public static class Decommission
    {
        /// <summary>What removing a store or group would do. Refuses (CapabilityMissing) a provider that cannot remove volumes, groups and stores.</summary>
        public static DecommissionPlan Plan(IDomainReader domain, string dataStore, string? volumeGroup, VolumeRemovalOptions options)
        {
            string what = volumeGroup == null ? "the removal of a data store" : "the removal of a volume group";
            Capabilities.Require<IStoreRemover>(domain, what);
            var groups = domain.GetVolumeGroups(dataStore).Select(g => g.Name).ToList();
            if (volumeGroup != null && !groups.Contains(volumeGroup, StringComparer.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Volume group '{volumeGroup}' does not exist in data store {dataStore} on {domain.Node}.", volumeGroup,
                    "Get-BPVolumeGroup -DataStore " + dataStore + " lists its volume groups.");
            var volumes = domain.GetVolumes(new VolumeQuery { DataStore = dataStore, VolumeGroup = volumeGroup }).ToList();
            return new DecommissionPlan
            {
                Node = domain.Node, DataStore = dataStore, VolumeGroup = volumeGroup,
                VolumeGroups = volumeGroup == null ? groups : new[] { volumeGroup },
                // An empty store or group needs no volume removal: a provider that removes only stores and groups can do it.
                Volumes = volumes.Count == 0 ? new VolumeRemovalPlan[0] : Capabilities.Require<IVolumeRemover>(domain, what + " with its volumes").PlanVolumeRemoval(volumes, options),
            };
        }

        /// <summary>
        /// Runs the plan: nothing at all when it refuses volumes (DecommissionRefused, with the result as its target: the
        /// caller has shown each refusal once), else the volumes, then the groups, then (for a store) the store. Each
        /// volume's result goes to <paramref name="onVolume"/> as it completes. If volumes remain after all (refused or
        /// failed when claimed, e.g. a backup started meanwhile), the groups and the store stay, and the result says
        /// why with Completed false; running the same command again goes on from there.
        /// </summary>
        public static DecommissionResult Run(IDomainReader domain, DecommissionPlan plan, VolumeRemovalOptions options, Action<VolumeRemovalResult> onVolume)
        {
            Capabilities.Require<IStoreRemover>(domain, "the removal of " + Target(plan));
            var audit = domain as IAuditSink;
            var result = new DecommissionResult(domain.Identity) { OperationId = Operation.CurrentId, Node = plan.Node, DataStore = plan.DataStore, VolumeGroup = plan.VolumeGroup, Primary = plan.Node };
            string action = plan.VolumeGroup == null ? AuditActions.RemoveDataStore : AuditActions.RemoveVolumeGroup;
            if (plan.Refused > 0)
            {
                result.VolumesRefused = plan.Refused;
                result.Status = RunStatus.Failed;
                result.Message = $"Nothing was removed: {plan.Describe()}.";
                var refusal = Refused(plan.Target, plan.Refused, plan.Volumes.Count, plan.RefusalCounts(), result);
                audit?.Audit(new AuditEntry
                {
                    Kind = AuditKind.Refusal, Action = action, Target = Target(plan), Result = "Refused", ErrorId = refusal.ErrorId,
                    Detail = result.Message, User = options.User,
                });
                throw refusal;
            }
            // The plan goes into the operation's Start record, before the first volume's record.
            Operation.Current?.Note(plan.Describe());
            var counts = RemoveVolumesOf(domain, plan.DataStore, plan.VolumeGroup, options, onVolume);
            result.VolumesRemoved = counts.Removed;
            result.VolumesAlreadyAbsent = counts.AlreadyAbsent;
            result.VolumesRefused = counts.Refused;
            result.VolumesFailed = counts.Failed;
            if (counts.Refused + counts.Failed > 0)
            {
                result.Status = RunStatus.Failed;
                result.Message = $"{plan.Target}: {counts.Removed} volume(s) removed, but {counts.Refused + counts.Failed} could not be (each is reported), " +
                                 $"so the volume group{(plan.VolumeGroup == null ? "s and the store stay" : " stays")}. Run the same command again once they can go.";
                Operation.Current?.Summarize(domain.Identity, result.Message);
                return result;
            }
            result.VolumeGroupsRemoved.AddRange(RemoveGroupsOf(domain, plan.DataStore, plan.VolumeGroups, options.User));
            if (plan.VolumeGroup == null)
            {
                RemoveStore(domain, plan.DataStore, options.User);
                result.DataStoreRemoved = true; // gone now, or by an earlier run
            }
            result.Completed = true;
            result.Status = RunStatus.Completed;
            Operation.Current?.Summarize(domain.Identity, $"{Target(plan)}: {result.VolumesRemoved} volume(s) removed, {result.VolumesAlreadyAbsent} already absent");
            return result;
        }

        /// <summary>The outcomes of a removal of every volume of a store (or one of its groups).</summary>
        public readonly struct VolumeCounts
        {
            public VolumeCounts(int removed, int absent, int refused, int failed) { Removed = removed; AlreadyAbsent = absent; Refused = refused; Failed = failed; }
            public int Removed { get; }
            public int AlreadyAbsent { get; }
            public int Refused { get; }
            public int Failed { get; }
        }

        /// <summary>
        /// Removes every volume the store (or group) holds now — asked of the store, not of a plan, so volumes claimed
        /// by an interrupted run are taken over — reporting each result as it comes.
        /// </summary>
        public static VolumeCounts RemoveVolumesOf(IDomainReader domain, string dataStore, string? volumeGroup, VolumeRemovalOptions options, Action<VolumeRemovalResult>? onVolume)
        {
            var labels = domain.GetVolumes(new VolumeQuery { DataStore = dataStore, VolumeGroup = volumeGroup }).Select(v => v.Label).ToList();
            int removed = 0, absent = 0, refused = 0, failed = 0;
            foreach (var r in Capabilities.Require<IVolumeRemover>(domain, "volume removal").RemoveVolumes(labels, options))
            {
                switch (r.Status)
                {
                    case RemovalStatus.Removed: removed++; break;
                    case RemovalStatus.AlreadyAbsent: absent++; break;
                    case RemovalStatus.Refused: refused++; break;
                    default: failed++; break;
                }
                onVolume?.Invoke(r);
            }
            return new VolumeCounts(removed, absent, refused, failed);
        }

        /// <summary>Removes the named groups of a store that still exist (an earlier, interrupted run may have removed some); returns those removed now.</summary>
        public static List<string> RemoveGroupsOf(IDomainReader domain, string dataStore, IEnumerable<string> groups, string user)
        {
            var removed = new List<string>();
            foreach (var g in groups)
            {
                if (!domain.GetVolumeGroups(dataStore, g).Any()) continue;
                Capabilities.Require<IStoreRemover>(domain, "volume group removal").RemoveVolumeGroup(g, user);
                removed.Add(g);
            }
            return removed;
        }

        /// <summary>Removes the (empty) store if it still exists; true when it was removed now.</summary>
        public static bool RemoveStore(IDomainReader domain, string dataStore, string user)
        {
            if (!domain.GetDataStores(dataStore).Any()) return false;
            Capabilities.Require<IStoreRemover>(domain, "data store removal").RemoveDataStore(dataStore, user);
            return true;
        }

        /// <summary>The refusal of a removal of a store or group some of whose volumes may not go: nothing is removed.</summary>
        internal static BackPakException Refused(string target, int refused, int total, string why, object? result) =>
            new BackPakException(ErrorIds.DecommissionRefused, BackPakErrorCategory.InvalidOperation,
                $"Nothing of {target} was removed: {refused} of its {total} volume(s) may not be removed now ({why}); each is reported above. " +
                "A decommission removes all of it or nothing.",
                result ?? target,
                "Deal with each refused volume (wait until it expires or add -IgnoreRetention; wait for its operation to end), then run the same command again.");

        private static string Target(DecommissionPlan p) => p.VolumeGroup == null ? p.DataStore : p.DataStore + "/" + p.VolumeGroup;
    }
}
