using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
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

        /// <summary>A sentence for the confirmation prompt: everything that goes, in the manual's order.</summary>
        public string Describe() =>
            $"{Target}: {Volumes.Count - Refused} volume(s) ({StorageFiles} storage file(s), {CatalogEntries} catalog entr(y/ies)), " +
            (VolumeGroup == null ? $"then volume group(s) {string.Join(", ", VolumeGroups)}, then the data store" : "then the volume group") +
            (Refused > 0 ? $". {Refused} volume(s) will be refused (non-expired data or a current operation), so it will stop before removing the group" + (VolumeGroup == null ? "s and the store" : "") : "");
    }

    /// <summary>What a removal of a volume group or data store did.</summary>
    public sealed class DecommissionResult
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public DecommissionResult(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public string Node { get; init; } = "";
        public string DataStore { get; init; } = "";
        public string? VolumeGroup { get; init; }
        public int VolumesRemoved { get; set; }
        public int VolumesAlreadyAbsent { get; set; }
        public int VolumesRefused { get; set; }
        public int VolumesFailed { get; set; }
        public List<string> VolumeGroupsRemoved { get; } = new List<string>();
        public bool DataStoreRemoved { get; set; }
        /// <summary>True when the volume group (or, for a data store, the store) is gone.</summary>
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
        public static DecommissionPlan Plan(IBackPakDomain domain, string dataStore, string? volumeGroup, VolumeRemovalOptions options)
        {
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
                Volumes = domain.PlanVolumeRemoval(volumes, options),
            };
        }

        /// <summary>
        /// Runs the plan. Each volume's result goes to <paramref name="onVolume"/> as it completes. If volumes remain
        /// (refused, failed, or added meanwhile), the groups and the store are left and VolumeGroupNotEmpty or
        /// DataStoreNotEmpty is thrown after the volumes were done.
        /// </summary>
        public static DecommissionResult Run(IBackPakDomain domain, DecommissionPlan plan, VolumeRemovalOptions options, Action<VolumeRemovalResult> onVolume)
        {
            var result = new DecommissionResult(domain.Identity) { Node = plan.Node, DataStore = plan.DataStore, VolumeGroup = plan.VolumeGroup };
            domain.Audit(plan.VolumeGroup == null ? "RemoveDataStore" : "RemoveVolumeGroup", Target(plan), "Started", plan.Describe(), options.User);
            // Asked again from the store, not from the plan: volumes claimed by an interrupted run are taken over.
            var labels = domain.GetVolumes(new VolumeQuery { DataStore = plan.DataStore, VolumeGroup = plan.VolumeGroup }).Select(v => v.Label).ToList();
            foreach (var r in domain.RemoveVolumes(labels, options))
            {
                switch (r.Status)
                {
                    case RemovalStatus.Removed: result.VolumesRemoved++; break;
                    case RemovalStatus.AlreadyAbsent: result.VolumesAlreadyAbsent++; break;
                    case RemovalStatus.Refused: result.VolumesRefused++; break;
                    default: result.VolumesFailed++; break;
                }
                onVolume(r);
            }
            foreach (var g in plan.VolumeGroups)
            {
                if (!domain.GetVolumeGroups(plan.DataStore, g).Any()) continue; // removed by an earlier, interrupted run
                domain.RemoveVolumeGroup(g, options.User);
                result.VolumeGroupsRemoved.Add(g);
            }
            if (plan.VolumeGroup == null)
            {
                if (domain.GetDataStores(plan.DataStore).Any()) domain.RemoveDataStore(plan.DataStore, options.User);
                result.DataStoreRemoved = true;
            }
            result.Completed = true;
            domain.Audit(plan.VolumeGroup == null ? "RemoveDataStore" : "RemoveVolumeGroup", Target(plan), "Completed",
                $"{result.VolumesRemoved} volume(s) removed, {result.VolumesAlreadyAbsent} already absent", options.User);
            return result;
        }

        private static string Target(DecommissionPlan p) => p.VolumeGroup == null ? p.DataStore : p.DataStore + "/" + p.VolumeGroup;
    }
}
