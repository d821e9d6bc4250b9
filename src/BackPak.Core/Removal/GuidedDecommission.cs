using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.Core.Removal
{
    /// <summary>Everything a guided decommission works with: domains that can be read but not changed by the module.</summary>
    public sealed class GuidedDecommissionContext : IProcedureContext
    {
        public string DataStore { get; init; } = "";
        /// <summary>The domain whose store goes first: the PRIMARY side of a replicated store, or the only side of another.</summary>
        public IDomainReader Primary { get; init; } = null!;
        /// <summary>The domain holding the SECONDARY copy (same Store ID), when the decommission takes that side too.</summary>
        public IDomainReader? Secondary { get; init; }
        public DecommissionKeep Keep { get; init; }
        public IRunJournalStore Journal { get; init; } = null!;
        public string User { get; init; } = Environment.UserName;
        public CancellationToken Cancel { get; init; }
        string IProcedureContext.PrimaryNode => Primary.Node;
        string IProcedureContext.SecondaryNode => Secondary?.Node ?? "";
    }

    /// <summary>
    /// The decommission of a data store on domains the module reads but cannot change (a real site, whose Domain Manager
    /// has no public API): the same steps in the same order as <see cref="DataStoreDecommission"/> (domain.md §3.4, CS p41),
    /// as one journaled run. The module takes the inventory itself; each other step is the operator's, with the GUI page
    /// and action of the runbook (<see cref="DecommissionRunbook"/>). The run waits for the operator to confirm it
    /// (-ConfirmStep) and, where a read can tell, checks it is done before going on: the volumes of a side are gone when
    /// the tape catalogs of its node hold none of them, since deleting a volume in the GUI removes its DSM/TC or TMF
    /// entries (CS p41). The module sends no change to the node: BackPak removes those entries itself, and removing them
    /// behind it would leave its catalog naming tapes DSM/TC no longer knows.
    /// </summary>
    public static class GuidedDecommission
    {
        /// <summary>The header value that marks a run as guided: its steps are the operator's.</summary>
        public const string HeaderKey = "guided";

        /// <summary>The steps of a guided decommission: those of the decommission, each but the inventory the operator's.</summary>
        public static IReadOnlyList<StepInfo> StepInfos(string dataStore, string primary, string? secondary, DecommissionKeep keep) =>
            DataStoreDecommission.StepInfos(dataStore, primary, secondary, false, keep).Select(i => i.Id == "inventory" ? i : new StepInfo
            {
                Number = i.Number, Id = i.Id, Title = i.Title, Node = i.Node, Kind = StepKind.Operator, Source = i.Source,
                Facility = "the operator: " + Instructions(dataStore, primary, secondary, keep)[i.Id].Means,
            }).ToList();

        /// <summary>What the operator is asked to do at each step, and how it is checked: the runbook's own text.</summary>
        private static Dictionary<string, RunbookStep> Instructions(string dataStore, string primary, string? secondary, DecommissionKeep keep) =>
            DecommissionRunbook.For(dataStore, primary, secondary, false, keep).Steps.ToDictionary(s => s.Step.Id, StringComparer.Ordinal);

        /// <summary>
        /// Starts the guided decommission, or continues run <paramref name="resumeRunId"/>; <paramref name="confirmStep"/>
        /// confirms the step the run waits for, which is checked by a read first where one exists (nothing is written when it
        /// is not done). Returns the run as far as it got: waiting for the operator at the next step, or completed.
        /// </summary>
        public static DecommissionResult Run(GuidedDecommissionContext c, string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress)
        {
            var steps = Definition(c);
            if (confirmStep != null) ProcedureRunner.RequireAwaited(c, steps, resumeRunId, confirmStep);
            var result = new DecommissionResult(c.Primary.Identity) { Node = c.Primary.Node, SecondaryDataStore = c.Secondary != null ? c.DataStore : null };
            var header = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [HeaderKey] = "1",
                ["secondaryStore"] = c.Secondary != null ? c.DataStore : "",
                ["destroyKeys"] = "0",
                ["keep"] = c.Keep.ToString(),
            };
            try
            {
                ProcedureRunner.Run(ProcedureKind.Decommission, c, steps, () => DataStoreDecommission.RequireSides(c.Primary, c.Secondary, c.DataStore), null, () => result, header, resumeRunId, confirmStep, progress);
            }
            finally { Fill(result, c); }
            result.Completed = result.Status == RunStatus.Completed;
            return result;
        }

        internal static IReadOnlyList<ProcedureStep<GuidedDecommissionContext>> Definition(GuidedDecommissionContext c)
        {
            string ds = c.DataStore, p = c.Primary.Node;
            var how = Instructions(ds, p, c.Secondary?.Node, c.Keep);
            var list = new List<ProcedureStep<GuidedDecommissionContext>>();
            foreach (var info in StepInfos(ds, p, c.Secondary?.Node, c.Keep))
            {
                if (info.Id == "inventory")
                {
                    list.Add(new ProcedureStep<GuidedDecommissionContext>(info, (x, j) => Inventory(x, j), (x, j) => j.ContainsKey("p.volumes")));
                    continue;
                }
                var text = how[info.Id];
                string ask = $"{text.Means}: {string.Join(" ", text.Actions)} Done when: {text.Check}";
                Func<GuidedDecommissionContext, Dictionary<string, string>, string>? verify = info.Id switch
                {
                    "primary-volumes" => (x, j) => VolumesGone(x.Primary, x.DataStore, j, "p"),
                    "secondary-volumes" => (x, j) => VolumesGone(x.Secondary!, x.DataStore, j, "s"),
                    _ => null,
                };
                list.Add(new ProcedureStep<GuidedDecommissionContext>(info, (x, j) => throw new RoleSwitch.AwaitOperator(ask), (x, j) => false)
                {
                    // Without a read, the operator's confirmation is the only record: the report says so.
                    Verify = verify ?? ((x, j) => "no documented command reads it over SSH, so " + Unchecked),
                });
            }
            return list;
        }

        /// <summary>What the store holds on each side, read now and recorded: the verification of the volume steps counts from it.</summary>
        private static string Inventory(GuidedDecommissionContext c, Dictionary<string, string> j)
        {
            string Side(IDomainReader d, string prefix)
            {
                var groups = d.GetVolumeGroups(c.DataStore).Select(g => g.Name).ToList();
                long volumes = d.CountVolumes(new VolumeQuery { DataStore = c.DataStore });
                j[prefix + ".volumes"] = volumes.ToString(CultureInfo.InvariantCulture);
                j[prefix + ".groups"] = string.Join(",", groups);
                return $"{volumes} volume(s) in {groups.Count} volume group(s) on {d.Node}" + (groups.Count > 0 ? $" ({string.Join(", ", groups)})" : "");
            }
            string said = Side(c.Primary, "p");
            if (c.Secondary != null) said += "; " + Side(c.Secondary, "s");
            return said + ". Expiration and Media Key Names cannot be read over SSH: BackBox itself refuses to delete a volume with non-expired data (BB p15/13)";
        }

        /// <summary>The volume step is done when the tape catalogs of the side's node hold no volume of the store any more.</summary>
        private static string VolumesGone(IDomainReader d, string ds, Dictionary<string, string> j, string prefix)
        {
            var left = d.GetVolumes(new VolumeQuery { DataStore = ds }).Select(v => v.Label).Take(11).ToList();
            if (left.Count > 0)
            {
                long count = left.Count <= 10 ? left.Count : d.CountVolumes(new VolumeQuery { DataStore = ds });
                throw new BackPakException(ErrorIds.OperatorStepNotVerified, BackPakErrorCategory.InvalidResult,
                    $"{count} volume(s) of {ds} are still in the tape catalogs of {d.Node} ({string.Join(", ", left.Take(10))}{(count > 10 ? ", ..." : "")}): " +
                    "the GUI did not delete them (non-expired data, a current operation?) or they were not all selected. The run still waits for this step; nothing was changed.",
                    ds, $"Delete them on the Volume List page of {ds} on {d.Node} (or find why BackBox refuses them), then confirm the step again.", stopsInvocation: true);
            }
            int before = j.TryGetValue(prefix + ".volumes", out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
            j[prefix + ".volumesRemoved"] = before.ToString(CultureInfo.InvariantCulture);
            return $"checked: the tape catalogs of {d.Node} hold no volume of {ds} any more ({before} were there)";
        }

        /// <summary>
        /// Test-BPDecommission on domains the module reads but cannot change: what a read over SSH can tell (the tape
        /// catalogs of each node hold no volume of the store; the last decommission run of the store ended, and which of
        /// its steps rest on the operator's word alone), and one check per place it cannot read, failed with "cannot
        /// tell" and where the operator looks instead. Nothing passes that was not read.
        /// </summary>
        public static IReadOnlyList<DecommissionCheck> Test(IDomainReader primary, IDomainReader? secondary, string dataStore, IRunJournalStore? journal)
        {
            var checks = new List<DecommissionCheck>();
            // Newest run id first, read lazily: only the runs newer than the store's last one are opened.
            var run = journal == null ? null : journal.RunIds()
                .Where(id => ProcedureKind.Of(id) == ProcedureKind.Decommission)
                .OrderByDescending(id => id, StringComparer.Ordinal)
                .Select(id => DataStoreDecommission.Report(journal, id, primary.Identity))
                .FirstOrDefault(r => r != null && string.Equals(r.DataStore, dataStore, StringComparison.OrdinalIgnoreCase)
                            && string.Equals(r.Primary, primary.Node, StringComparison.OrdinalIgnoreCase));

            void TapeCatalogs(IDomainReader d)
            {
                string place = $"DSM/TC and TMF catalogs on {d.Node}";
                if (d.GetDataStores(dataStore).Count == 0)
                {
                    // The site description says which VOLCAT and pool hold the store's volumes; without it there is nothing to look for.
                    checks.Add(DataStoreDecommission.Check(place, d.Node, dataStore, new List<string>(), $"the site description of {d.Node} no longer names {dataStore}, so its VOLCAT and pool are not known"));
                    return;
                }
                var left = d.GetVolumes(new VolumeQuery { DataStore = dataStore }).Select(v => v.Label).ToList();
                checks.Add(DataStoreDecommission.Check(place, d.Node, dataStore, left, null));
            }
            TapeCatalogs(primary);
            if (secondary != null) TapeCatalogs(secondary);

            string runPlace = $"decommission run of {dataStore}";
            if (run == null)
                checks.Add(DataStoreDecommission.Check(runPlace, primary.Node, dataStore, new List<string>(), "no decommission run of the store is recorded in " + (journal?.Location ?? "a run journal")));
            else
            {
                var unread = run.Steps.Where(st => st.Kind == StepKind.Operator && st.Message != null && st.Message.Contains(Unchecked))
                    .Select(st => $"{st.Number} ({st.Id})").ToList();
                var open = run.Steps.Where(st => st.Status != StepStatus.Done && st.Status != StepStatus.AlreadyDone && st.Status != StepStatus.Skipped)
                    .Select(st => $"step {st.Number} ({st.Id}) {st.Status}").ToList();
                checks.Add(new DecommissionCheck
                {
                    Place = runPlace, Node = primary.Node, DataStore = dataStore, Passed = run.Status == RunStatus.Completed, Left = open,
                    Detail = run.Status == RunStatus.Completed
                        ? $"run {run.RunId} completed" + (unread.Count > 0 ? $"; on the operator's word alone (no read checks them): step(s) {string.Join(", ", unread)}" : "")
                        : $"run {run.RunId} is {run.Status}: " + string.Join(", ", open.Take(3)) + (open.Count > 3 ? ", ..." : ""),
                });
            }

            // The places no read over SSH reaches: each fails with where to look instead.
            foreach (var d in new[] { primary, secondary }.Where(x => x != null).Select(x => x!))
                checks.Add(DataStoreDecommission.Check($"BackPak catalog on {d.Node}", d.Node, dataStore, new List<string>(),
                    $"the provider reads the data store and its volume groups from the site description; look at the Data Store List and Volume Group List pages of the BackPak GUI on {d.Node}"));
            checks.Add(DataStoreDecommission.Check($"storage of {dataStore}", primary.Node, dataStore, new List<string>(),
                "the storage is not reached over SSH; look with the storage's own tools at the store's storage location" + (secondary != null ? " and at its replicas" : "")));
            if (secondary != null)
                checks.Add(DataStoreDecommission.Check("staging area", secondary.Node, dataStore, new List<string>(),
                    $"the staging area's export files are not read over SSH; look in the staging subvolume of {dataStore} on {secondary.Node} (FUP INFO)"));
            checks.Add(DataStoreDecommission.Check("key servers", primary.Node, dataStore, new List<string>(),
                "the Media Key Names of the store's volumes cannot be read over SSH; look in the key servers' own tools"));
            return checks;
        }

        /// <summary>What an operator step's message says when no read checked it.</summary>
        private const string Unchecked = "the module has not checked it";

        /// <summary>The counts of a run from its journal.</summary>
        private static void Fill(DecommissionResult r, GuidedDecommissionContext c)
        {
            if (r.RunId.Length == 0) return;
            var j = ProcedureRunner.RecordedValues(c.Journal, r.RunId);
            int N(string k) => j.TryGetValue(k, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
            bool Done(string id) => r.Steps.Any(s => s.Id == id && (s.Status == StepStatus.Done || s.Status == StepStatus.AlreadyDone));
            r.VolumesRemoved = N("p.volumesRemoved");
            r.SecondaryVolumesRemoved = N("s.volumesRemoved");
            r.VolumeGroupsRemoved.Clear();
            if (Done("primary-groups")) r.VolumeGroupsRemoved.AddRange(Groups(j, "p.groups"));
            r.SecondaryVolumeGroupsRemoved.Clear();
            if (Done("secondary-groups")) r.SecondaryVolumeGroupsRemoved.AddRange(Groups(j, "s.groups"));
            r.DataStoreRemoved = Done("primary-store");
            r.SecondaryDataStoreRemoved = Done("secondary-store");
            r.Remaining.Clear();
            if (c.Secondary == null) r.Remaining.Add($"any SECONDARY copy of {c.DataStore}, its staging area and replicas (to take both sides: -Secondary)");
            if ((c.Keep & DecommissionKeep.StagingArea) != 0) r.Remaining.Add("the export files in the staging area (-Keep StagingArea)");
            if ((c.Keep & DecommissionKeep.Replicas) != 0) r.Remaining.Add("the replicated volume images at the secondary site (-Keep Replicas)");
            r.Remaining.Add("the encryption keys of the store's volumes in the key servers (their Media Key Names cannot be read over SSH: the key servers' own tools delete them)");
            if (r.Status == RunStatus.Completed)
                r.Remaining.Add($"the data store {c.DataStore} in the site description: remove it there, since no read over SSH tells it is gone");
        }

        private static IEnumerable<string> Groups(IReadOnlyDictionary<string, string> j, string key) =>
            j.TryGetValue(key, out var v) && v.Length > 0 ? v.Split(',') : new string[0];

        private static BackPakException Side(string message, object target, string action) =>
            new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument, message, target, action, stopsInvocation: true);
    }
}
