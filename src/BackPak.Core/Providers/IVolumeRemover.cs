using System.Collections.Generic;
using BackPak.Core.Model;
using BackPak.Core.Removal;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Removing volumes, as the GUI Volume page does. Core's <see cref="VolumeRemovalRules"/> decide which volumes may go
    /// (non-expired data, a current operation); the provider carries out what they allowed and answers the rules' questions
    /// at the moment it claims each volume, so a volume that changed since the plan is refused, not removed.
    /// </summary>
    public interface IVolumeRemover
    {
        /// <summary>
        /// What removing these volumes would take away (storage files, catalog entries), each with Core's verdict
        /// (<see cref="VolumeRemovalRules.Check"/>). Changes nothing. Counting the files and entries costs a look at every
        /// one of them: a caller that shows no prompt passes <paramref name="countParts"/> false and gets zeros.
        /// </summary>
        IReadOnlyList<VolumeRemovalPlan> PlanVolumeRemoval(IReadOnlyList<Volume> volumes, VolumeRemovalOptions options, bool countParts = true);

        /// <summary>
        /// Removes volumes: storage, DSM/TC or TMF entries, then the BackPak entry [CS p41], through an intent
        /// journal so that a run killed at any point is completed by asking again; a removal an interrupted run left
        /// half done is taken over. Streams one result per label, in batches. Core's rules are checked again at the
        /// moment each volume is claimed; a label already gone is AlreadyAbsent.
        /// </summary>
        IEnumerable<VolumeRemovalResult> RemoveVolumes(IReadOnlyList<string> labels, VolumeRemovalOptions options);

        /// <summary>
        /// Labels of the store's volumes claimed by a removal that has not finished (running, or interrupted and
        /// waiting to be taken over). Serialized with removal claims: a claim made before this call is seen by it.
        /// </summary>
        IReadOnlyList<string> GetRemovalsInProgress(string dataStore);
    }
}
