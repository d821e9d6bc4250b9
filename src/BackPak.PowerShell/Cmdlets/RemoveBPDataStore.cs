using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Removes data stores from the configuration [CS p41]; with -Recurse, the decommission of the whole store in the
    /// manual's order (volumes, then volume groups, then the data store, R14) and, with -Secondary, of its SECONDARY copy,
    /// staging area and replicas too, then optionally its keys: one journaled run on Core's procedure runner
    /// (<see cref="DataStoreDecommission"/>), which running the same command again continues. On domains whose provider
    /// reads but cannot change them (a real NonStop site), the same steps run guided (<see cref="GuidedDecommission"/>): the
    /// operator does each in the BackPak GUI and confirms it with -ConfirmStep; a read checks it where one can.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "BPDataStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Name")]
    [OutputType(typeof(DecommissionResult), typeof(VolumeRemovalResult), typeof(KeyRemovalResult))]
    public sealed class RemoveBPDataStoreCommand : BPRemovalCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString] // so that an empty list is EmptySelection, not a binding error
        public string[]? Name { get; set; }

        /// <summary>Data stores from Get-BPDataStore.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public DataStore[] InputObject { get; set; } = new DataStore[0];

        /// <summary>Remove the store's volumes and volume groups first, as one journaled run.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>With -Recurse: the domain holding the store's SECONDARY copy, decommissioned in the same run (its catalog entries, groups and store, the staging area, the replicas).</summary>
        [Parameter]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Secondary { get; set; }

        /// <summary>With -Recurse: the optional last step, destroying the keys of the store's volumes on the connected key servers.</summary>
        [Parameter]
        public SwitchParameter DestroyKeys { get; set; }

        /// <summary>With -Recurse -Secondary: places to leave as they are (StagingArea, Replicas).</summary>
        [Parameter]
        public DecommissionKeep[]? Keep { get; set; }

        /// <summary>With -Recurse, on a guided decommission: the step the run waits for, done by the operator; checked by a read where one exists.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfirmStep { get; set; }

        private readonly List<(IDomainReader Domain, string Store)> _targets = new List<(IDomainReader, string)>();
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void BeginBackPak()
        {
            if (!Recurse && (Secondary != null || DestroyKeys || Keep != null || ConfirmStep != null))
                throw new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument,
                    "-Secondary, -DestroyKeys, -Keep and -ConfirmStep are parts of the decommission of a store with everything in it: they need -Recurse. Nothing was removed.",
                    "Recurse", "Add -Recurse, or leave them out to remove an empty data store.", stopsInvocation: true);
        }

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var s in InputObject)
                {
                    try { _targets.Add((ConnectionFor(s.Origin, s.Node, "data store", s.Name).Domain, s.Name)); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            foreach (var n in Name!)
            {
                string exact = Names.NormalizeDataStore(n);
                var s = BackPak.GetDataStores(exact).FirstOrDefault();
                if (s != null) _targets.Add((BackPak, s.Name));
                // A decommission stopped after its store went on this side is continued by the same command.
                else if (Recurse && DecommissionContexts.UnfinishedRun(BackPak, exact) != null) _targets.Add((BackPak, exact));
                else WriteBackPakError(new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{n}' does not exist in the domain of {BackPak.Node}.", n, "Get-BPDataStore lists the data stores of the domain."));
            }
        }

        protected override void EndBackPak()
        {
            // Every provider involved must be able to do it all before the first store goes.
            foreach (var d in _targets.Select(t => t.Domain).Distinct())
            {
                if (Recurse && DecommissionContexts.Guided(d))
                {
                    if (DestroyKeys) throw Capabilities.Missing(d, "-DestroyKeys (the Media Key Names of its volumes cannot be read there; the key servers' own tools delete the keys)", typeof(IKeyFacts));
                }
                else if (Recurse) DecommissionContexts.Full(d, "the decommission of a data store with everything in it", Secondary != null);
                else Capabilities.Require<IStoreRemover>(d, "data store removal");
            }
            foreach (var (domain, store) in _targets)
            {
                try
                {
                    if (Recurse && DecommissionContexts.Guided(domain)) DecommissionGuided(domain, store);
                    else if (Recurse) Decommission(domain, store);
                    else RemoveEmpty(domain, store);
                }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        /// <summary>Without -Recurse: only an empty store goes.</summary>
        private void RemoveEmpty(IDomainReader domain, string store)
        {
            var s = domain.GetDataStores(store).First();
            long volumes = domain.CountVolumes(new VolumeQuery { DataStore = store });
            int groups = domain.GetVolumeGroups(store).Count;
            if (volumes > 0 || groups > 0)
                throw new BackPakException(ErrorIds.DataStoreNotEmpty, BackPakErrorCategory.InvalidOperation,
                    $"Data store '{store}' on {domain.Node} still has {volumes} volume(s) and {groups} volume group(s); " +
                    "the manual's order is volumes, then volume groups, then the data store (BackPak manual, Catalog Sync option p. 41).",
                    store, "Remove them first, or add -Recurse to do all three in that order.");
            if (!ConfirmRemoval(new[] { $"data store {store} on {domain.Node} ({s.DomainAccess.ToString().ToUpperInvariant()})" }, "Remove data store", $"data store {store} on {domain.Node}")) return;
            var result = new DecommissionResult(domain.Identity) { OperationId = Operation.Id, Node = domain.Node, DataStore = store, Primary = domain.Node };
            Core.Removal.Decommission.RemoveStore(domain, store, Environment.UserName);
            result.DataStoreRemoved = result.Completed = true;
            result.Status = RunStatus.Completed;
            WriteVerbose($"Data store {store} on {domain.Node} removed.");
            if (PassThru) WriteObject(result);
        }

        /// <summary>With -Recurse: the decommission, new or continued.</summary>
        private void Decommission(IDomainReader domain, string store)
        {
            var full = DecommissionContexts.Full(domain, "the decommission of a data store with everything in it", Secondary != null);
            var (_, resume, run) = UnfinishedRunOf(domain, store);
            DomainConnection? secondary = Secondary;
            string? secondaryStore = null;
            bool destroyKeys = DestroyKeys;
            var keep = KeepGiven;
            if (resume != null)
            {
                // The run knows its sides and choices; what is given must agree with them.
                if (run.Secondary.Length > 0) secondary ??= SwitchContexts.Connection(domain.Location, run.Secondary);
                secondaryStore = run.Secondary.Length > 0 ? run.SecondaryStore : null;
                if (destroyKeys != run.DestroyKeys || (Keep != null && keep != run.Keep))
                    WriteWarning($"Run {resume} goes on with the choices it was started with: {(run.DestroyKeys ? "" : "no ")}-DestroyKeys, -Keep {run.Keep}.");
                destroyKeys = run.DestroyKeys;
                keep = run.Keep;
                WriteVerbose($"Continuing decommission run {resume} of {store}.");
            }
            else secondaryStore = DataStoreDecommission.RequireSides(full, secondary == null ? null : DecommissionContexts.Full(secondary.Domain, "the decommission of a data store with everything in it", true), store);

            string activity = $"Decommission of {store} on {domain.Node}{(secondary != null ? " and " + secondary.Node : "")}";
            // A new record each time: a host or a stream may keep the records it is given.
            ProgressRecord Volumes(string status, int percent, bool completed = false) => new ProgressRecord(2, "Removing volumes", status)
            {
                ParentActivityId = 5, PercentComplete = percent, RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            int volumesDone = 0, volumesTotal = 0;
            var c = DecommissionContexts.Build(domain, secondary, store, secondaryStore, Options(), destroyKeys, keep, _cancel.Token,
                r =>
                {
                    Report(() => ReportVolume(r));
                    volumesDone++;
                    if (volumesDone % 50 == 0 || volumesDone == volumesTotal)
                        Report(() => WriteProgress(Volumes($"{volumesDone} of {volumesTotal} volume(s) of {store}, now on {r.Node}",
                            (int)(100L * Math.Min(volumesDone, volumesTotal) / Math.Max(1, volumesTotal)))));
                },
                k => Report(() =>
                {
                    WriteVerbose($"Key {k.Name} on {k.KeyManager}: {k.Status}.");
                    if (PassThru) WriteObject(k);
                }));

            var plan = DataStoreDecommission.Plan(c, countParts: WillPrompt);
            if (resume == null)
            {
                var refusals = plan.Refusals;
                foreach (var e in refusals) WriteBackPakError(e); // each refusal once; nothing is removed
                if (refusals.Count > 0)
                {
                    if (WhatIfActive) ShouldProcess($"{plan.DataStore}: nothing would be removed, {refusals.Count} volume(s) are refused ({DataStoreDecommission.RefusalCounts(refusals)})", "Decommission data store");
                    var stopped = new DecommissionResult(domain.Identity)
                    {
                        OperationId = Operation.Id, Node = domain.Node, DataStore = store, Primary = domain.Node, Secondary = secondary?.Node ?? "", SecondaryDataStore = secondaryStore,
                        VolumesRefused = refusals.Count, Status = RunStatus.Failed, Message = "Nothing was removed: " + plan.Describe(),
                    };
                    if (PassThru) WriteObject(stopped);
                    if (!WhatIfActive)
                        WriteBackPakError(new BackPakException(ErrorIds.DecommissionRefused, BackPakErrorCategory.InvalidOperation,
                            $"Nothing of data store {store} was removed: {refusals.Count} of its volume(s) may not be removed now ({DataStoreDecommission.RefusalCounts(refusals)}); " +
                            "each is reported above. A decommission removes all of it or nothing.", stopped,
                            "Deal with each refused volume (wait until it expires or add -IgnoreRetention; wait for its operation to end), then run the same command again."));
                    return;
                }
            }
            foreach (var left in plan.Remaining.Where(l => !l.StartsWith("the encryption keys", StringComparison.Ordinal))) WriteWarning($"{store}: left as it is: {left}.");

            string action = resume != null ? $"Continue decommission run {resume}" : "Decommission data store";
            if (WhatIfActive)
            {
                foreach (var st in plan.Steps) ShouldProcess($"step {st.Number} on {st.Node}: {st.Title} [{st.Kind}, {st.Source}]" + (st.Facility != null ? $" by {st.Facility}" : ""), action);
                foreach (var line in plan.Lines()) ShouldProcess(line, action);
                ShouldProcess(plan.Describe(), action);
                return;
            }
            if (!Force && !ShouldProcess(plan.Describe(), action)) return;
            volumesTotal = (plan.PrimarySide?.Volumes.Count ?? 0) + (plan.SecondarySide?.Volumes.Count ?? 0);

            DecommissionResult result;
            try
            {
                result = DataStoreDecommission.Run(c, resume, ConfirmStep, StepProgress(activity));
            }
            catch (ProcedureInterrupted stopped) { throw Stopped((DecommissionResult)stopped.Report, store, guided: false); }
            catch (BackPakException e) when (e.Target is DecommissionResult stoppedAt)
            {
                if (PassThru) WriteObject(stoppedAt); // the summary, even when the run stops
                throw;
            }
            Report(() =>
            {
                WriteProgress(Volumes("Done", 100, completed: true));
                WriteProgress(new ProgressRecord(5, activity, "Done") { PercentComplete = 100, RecordType = ProgressRecordType.Completed });
            });
            foreach (var s in result.Steps.Where(s => s.Status == StepStatus.Skipped)) WriteWarning($"Step {s.Number} ({s.Id}) was not done: {s.Message}.");
            if (result.Status == RunStatus.AwaitingOperator)
            {
                // The operator's part (the replicas of a store whose storage link the operator registered): the run
                // keeps the store and goes on when the same command runs again.
                WriteWarning(result.Message ?? $"Decommission run {result.RunId} of {store} waits for the operator.");
                if (PassThru) WriteObject(result);
                return;
            }
            WriteVerbose($"Decommission run {result.RunId} of {store} completed: {result.VolumesRemoved} volume(s) on {result.Primary}" +
                         (result.Secondary.Length > 0 ? $", {result.SecondaryVolumesRemoved} on {result.Secondary}, {result.StagingFilesRemoved} staging file(s), {result.ReplicaFilesRemoved} replica file(s)" : "") +
                         $", {result.KeysDestroyed} key(s) destroyed.");
            if (PassThru) WriteObject(result);
        }

        /// <summary>An unfinished run knows its sides: the ones this command names must agree with them.</summary>
        private void RequireSidesOfRun(string resume, string primary, string secondary, IDomainReader domain, string store)
        {
            if (!string.Equals(primary, domain.Node, StringComparison.OrdinalIgnoreCase) ||
                (Secondary != null && !string.Equals(secondary, Secondary.Node, StringComparison.OrdinalIgnoreCase)))
                throw new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument,
                    $"Run {resume} decommissions {store} on {primary}{(secondary.Length > 0 ? " and " + secondary : "")} and is not finished; this command names {domain.Node}{(Secondary != null ? " and " + Secondary.Node : "")}.",
                    resume, $"Continue it as it was started: Remove-BPDataStore {store} -Recurse -Domain '{primary}'{(secondary.Length > 0 ? $" -Secondary '{secondary}'" : "")}.", stopsInvocation: true);
        }

        /// <summary>With -Recurse on a domain the module cannot change: the guided decommission, new or continued.</summary>
        private void DecommissionGuided(IDomainReader domain, string store)
        {
            var (journal, resume, run) = UnfinishedRunOf(domain, store);
            IDomainReader? secondary = Secondary?.Domain;
            var keep = KeepGiven;
            if (resume != null)
            {
                if (run.Secondary.Length > 0 && secondary == null)
                    // The other side of the run: the open connection of that node that keeps its journal in the same place.
                    secondary = DomainSessions.All.FirstOrDefault(x => x.IsOpen && string.Equals(x.Node, run.Secondary, StringComparison.OrdinalIgnoreCase)
                                                                       && x.Domain is IRunJournalSource j && j.RunJournal.Location == journal.Location)?.Domain
                                ?? throw new BackPakException(ErrorIds.DomainNotConnected, BackPakErrorCategory.ResourceUnavailable,
                                    $"Run {resume} takes {store} on {run.Secondary} too, and no domain of {run.Secondary} with the same run journal ({journal.Location}) is connected in this session.",
                                    run.Secondary, $"Connect it as {domain.Node} was connected (the same site description), then run the command again.", stopsInvocation: true);
                if (Keep != null && keep != run.Keep) WriteWarning($"Run {resume} goes on with the choices it was started with: -Keep {run.Keep}.");
                keep = run.Keep;
            }
            if (secondary is IRunJournalSource other && other.RunJournal.Location != journal.Location)
                throw new BackPakException(ErrorIds.DecommissionSideInvalid, BackPakErrorCategory.InvalidArgument,
                    $"The two sides keep their run journals in different places ({journal.Location} and {other.RunJournal.Location}): a run started from one could not be continued from the other. Nothing was changed.",
                    secondary.Node, "Connect both nodes with the same site description and the same RunJournal parameter.", stopsInvocation: true);
            if (resume == null) DataStoreDecommission.RequireSides(domain, secondary, store);

            var c = new GuidedDecommissionContext { DataStore = store, Primary = domain, Secondary = secondary, Keep = keep, Journal = journal, User = Environment.UserName, Cancel = _cancel.Token };
            string scope = $"{store} on {domain.Node}{(secondary != null ? " and " + secondary.Node : "")}";
            string action = resume == null ? "Start the guided decommission" : ConfirmStep != null ? $"Confirm step {ConfirmStep} of decommission run {resume}" : $"Continue decommission run {resume}";
            if (WhatIfActive)
            {
                foreach (var st in GuidedDecommission.StepInfos(store, domain.Node, secondary?.Node, keep))
                    ShouldProcess($"step {st.Number} on {st.Node}: {st.Title} [{st.Kind}, {st.Source}]", action);
                ShouldProcess($"{scope}: the module reads and checks; the operator deletes in the BackPak GUI and confirms each step (-ConfirmStep)", action);
                return;
            }
            if (!Force && !ShouldProcess($"{scope}: the operator deletes in the BackPak GUI and confirms each step; the module checks it where a read can", action)) return;
            DecommissionResult result;
            try
            {
                result = GuidedDecommission.Run(c, resume, ConfirmStep, StepProgress($"Decommission of {scope}"));
            }
            catch (ProcedureInterrupted stopped) { throw Stopped((DecommissionResult)stopped.Report, store, guided: true); }
            Report(() => WriteProgress(new ProgressRecord(5, $"Decommission of {scope}", "Done") { RecordType = ProgressRecordType.Completed }));
            if (result.Status == RunStatus.AwaitingOperator) WriteWarning(result.Message ?? $"Decommission run {result.RunId} waits for the operator.");
            else WriteVerbose($"Decommission run {result.RunId} of {store} completed: every step done by the operator, the volumes checked gone.");
            if (PassThru) WriteObject(result);
        }

        private DecommissionKeep KeepGiven => (Keep ?? new DecommissionKeep[0]).Aggregate(DecommissionKeep.None, (a, k) => a | k);

        /// <summary>
        /// The store's unfinished decommission run, if any, with what it was started with. A confirmation that names no
        /// step the run waits for, or sides that disagree with the run's, are refused before anything is read or planned.
        /// </summary>
        private (IRunJournalStore Journal, string? Resume, (string Primary, string Secondary, string SecondaryStore, bool DestroyKeys, DecommissionKeep Keep) Run)
            UnfinishedRunOf(IDomainReader domain, string store)
        {
            var journal = DecommissionContexts.Journal(domain);
            string? resume = DataStoreDecommission.UnfinishedRun(journal, store);
            if (ConfirmStep != null) ProcedureRunner.RequireConfirmable(journal, store, resume, ConfirmStep);
            if (resume == null) return (journal, null, default);
            var run = DataStoreDecommission.RunSubject(journal, resume);
            RequireSidesOfRun(resume, run.Primary, run.Secondary, domain, store);
            return (journal, resume, run);
        }

        /// <summary>Each step of a run as progress and a verbose line.</summary>
        private Action<StepReport, int, int> StepProgress(string activity) => (step, i, n) => Report(() =>
        {
            WriteProgress(new ProgressRecord(5, activity, $"Step {step.Number}/{n} on {step.Node}: {step.Title}")
            {
                CurrentOperation = step.Kind + " (" + step.Source + ")", PercentComplete = 100 * i / n,
            });
            WriteVerbose($"Step {step.Number} {step.Id}: {step.Title}");
        });

        /// <summary>Ctrl-C during a run: the pipeline no longer takes output, the host still shows where the run stopped.</summary>
        private PipelineStoppedException Stopped(DecommissionResult r, string store, bool guided)
        {
            var at = r.Steps.FirstOrDefault(s => s.Status == StepStatus.Interrupted) ?? r.Steps.LastOrDefault(s => s.Status == StepStatus.Done || s.Status == StepStatus.AlreadyDone);
            int done = r.Steps.Count(s => s.Status == StepStatus.Done || s.Status == StepStatus.AlreadyDone || s.Status == StepStatus.Skipped);
            try
            {
                Host.UI.WriteWarningLine($"Decommission of {store} stopped{(at != null ? $" at step {at.Number} ({at.Id})" : "")}: " +
                                         (guided ? "" : $"{r.VolumesRemoved} volume(s) removed on {r.Primary}" + (r.Secondary.Length > 0 ? $", {r.SecondaryVolumesRemoved} on {r.Secondary}" : "") + ", ") +
                                         $"{done} of {r.Steps.Count} step(s) done. " +
                                         $"Run the same command again to {(guided ? "continue" : "complete")} it (run {r.RunId}); until then the store's other changes are refused.");
            }
            catch (Exception) { } // a host that cannot write any more
            return new PipelineStoppedException();
        }

        /// <summary>Writes to the pipeline from inside the run; a stopped pipeline (Ctrl-C) becomes the run's interruption.</summary>
        private void Report(Action write) => ProcedureRuns.Writing(_cancel, write);
    }
}
