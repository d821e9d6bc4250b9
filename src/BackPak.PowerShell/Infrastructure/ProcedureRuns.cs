using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Model;
using BackPak.Core.Procedures;

namespace BackPak.PowerShell
{
    /// <summary>
    /// What the cmdlets that run a journaled procedure (the switch, the recovery, the decommission) share: -WhatIf as the
    /// plan from Core's step list, each step as progress and a verbose line, and Ctrl-C as the run's interruption.
    /// </summary>
    internal static class ProcedureRuns
    {
        /// <summary>
        /// With -WhatIf: one "What if" line per step still to do (a resumed run's done and skipped steps are left out),
        /// then one for the whole, and true (nothing more to do). Without it: false, and nothing is written.
        /// </summary>
        /// <param name="requireStart">For a new run: what refuses it before anything is written (its start checks); a refusal is
        /// written as a warning, so -WhatIf says the run would not start rather than show a plan that would not run.</param>
        public static bool WhatIfPlan(PSCmdlet cmdlet, IEnumerable<StepInfo> steps, ProcedureReport? previous, string procedure, string target, string whole,
            Action? requireStart = null)
        {
            if (!(cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)) return false;
            if (previous == null && requireStart != null) WarnIfRefused(cmdlet, procedure, requireStart);
            foreach (var st in steps)
            {
                var was = previous?.Steps.FirstOrDefault(x => x.Id == st.Id)?.Status;
                if (was == StepStatus.Done || was == StepStatus.AlreadyDone || was == StepStatus.Skipped) continue;
                cmdlet.ShouldProcess($"step {st.Number} on {st.Node}: {st.Title} [{st.Kind}, {st.Source}]" + (st.Facility != null ? $" by {st.Facility}" : ""), procedure);
            }
            cmdlet.ShouldProcess(target, whole);
            return true;
        }

        /// <summary>
        /// Runs a procedure's start checks (reads only) and writes a warning when they refuse it: what -WhatIf says of a run
        /// that would not start. Returns whether they passed.
        /// </summary>
        public static bool WarnIfRefused(PSCmdlet cmdlet, string procedure, Action requireStart)
        {
            try
            {
                requireStart();
                return true;
            }
            catch (BackPak.Core.Errors.BackPakException e)
            {
                cmdlet.WriteWarning($"{procedure} would be refused ({e.ErrorId}): {e.Message}");
                return false;
            }
        }

        /// <summary>
        /// Runs a procedure with its steps shown as progress (one record, completed at the end) and verbose lines; a pipeline
        /// stopped between two steps (Ctrl-C) is recorded by the run as its interruption, then stops the cmdlet.
        /// </summary>
        /// <param name="eachStep">Done before each step is shown (the switch reads its registered links afresh).</param>
        public static TReport Run<TReport>(PSCmdlet cmdlet, CancellationTokenSource cancel, int progressId, string activity,
            Func<Action<StepReport, int, int>, TReport> run, Action? eachStep = null)
        {
            var progress = new ProgressRecord(progressId, activity, "Starting");
            TReport report;
            try
            {
                report = run((step, i, n) =>
                {
                    eachStep?.Invoke();
                    progress.StatusDescription = $"Step {step.Number}/{n} on {step.Node}: {step.Title}";
                    progress.CurrentOperation = step.Kind + " (" + step.Source + ")";
                    progress.PercentComplete = 100 * i / n;
                    Writing(cancel, () =>
                    {
                        cmdlet.WriteProgress(progress);
                        cmdlet.WriteVerbose($"Step {step.Number} {step.Id}: {step.Title}");
                    });
                });
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            progress.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(progress);
            return report;
        }

        /// <summary>
        /// Runs a site switch: its stores on worker threads, this thread writing one progress record for the whole (stores
        /// done of all) and one under it per store (its step), and serving what only it may do (<see cref="PipelineDispatcher"/>).
        /// Ctrl-C cancels every store's run; each records its interruption, and the outcome says so.
        /// </summary>
        public static SiteSwitchOutcome RunSite(PSCmdlet cmdlet, CancellationTokenSource cancel, int progressId, string activity,
            IReadOnlyList<RoleSwitchContext> contexts, Func<Action<string, StepReport, int, int>, SiteSwitchOutcome> run)
        {
            var whole = new ProgressRecord(progressId, activity, "Starting");
            var index = contexts.Select((c, i) => (c.DataStore, i)).ToDictionary(x => x.DataStore, x => x.i, StringComparer.OrdinalIgnoreCase);
            var records = contexts.Select((c, i) => new ProgressRecord(progressId * 100 + i + 1, "Role switch of " + c.DataStore, "Waiting") { ParentActivityId = progressId }).ToArray();
            var steps = new int[contexts.Count];
            int total = contexts.Sum(c => RoleSwitch.Plan(c.DataStore, c.Primary.Node, c.Secondary.Node).Steps.Count);
            cmdlet.WriteProgress(whole);
            var outcome = PipelineDispatcher.Run(cancel, () => run((ds, step, i, n) =>
            {
                int k = index[ds];
                var c = contexts[k];
                ReplicationLinkRegistry.Refresh(c.StorageLink, c.KeyLink); // each step reads the state of a registered link afresh
                PipelineDispatcher.Current?.Post(() =>
                {
                    steps[k] = i;
                    whole.StatusDescription = $"{steps.Sum()} of {total} steps";
                    whole.PercentComplete = Math.Min(99, 100 * steps.Sum() / Math.Max(1, total));
                    records[k].StatusDescription = $"Step {step.Number}/{n} on {step.Node}: {step.Title}";
                    records[k].CurrentOperation = step.Kind + " (" + step.Source + ")";
                    records[k].PercentComplete = 100 * i / n;
                    cmdlet.WriteProgress(whole);
                    cmdlet.WriteProgress(records[k]);
                    cmdlet.WriteVerbose($"{ds}: step {step.Number} {step.Id}: {step.Title}");
                });
            }));
            foreach (var r in records) { r.RecordType = ProgressRecordType.Completed; cmdlet.WriteProgress(r); }
            whole.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(whole);
            return outcome;
        }

        /// <summary>Writes to the pipeline from inside a run; a stopped pipeline (Ctrl-C) cancels the run, which records it as interrupted.</summary>
        public static void Writing(CancellationTokenSource cancel, Action write)
        {
            try { write(); }
            catch (PipelineStoppedException e)
            {
                cancel.Cancel();
                throw new OperationCanceledException("The pipeline was stopped.", e, cancel.Token);
            }
        }
    }
}
