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
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// The unplanned takeover of a data store at its SECONDARY side after the PRIMARY side is lost: step by step,
    /// journaled and resumable, never touching the lost side; refused while that side answers as PRIMARY unless the
    /// operator types its name with -PrimaryLost.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPRecovery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = StartSet)]
    [OutputType(typeof(RecoveryReport))]
    public sealed class InvokeBPRecoveryCommand : BPCmdlet
    {
        private const string StartSet = "Start";
        private const string ResumeSet = "Resume";

        /// <summary>Store ID of the data store (with -Resume: optional, and it must be the run's).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StartSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string? DataStore { get; set; }

        /// <summary>The domain whose store is SECONDARY: the side that takes over (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ParameterSetName = StartSet)]
        [Parameter(ParameterSetName = ResumeSet)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Node { get; set; }

        /// <summary>The lost PRIMARY node, typed again as the confirmation that it is lost or fenced (e.g. '\A').</summary>
        [Parameter(ParameterSetName = StartSet)]
        [Parameter(ParameterSetName = ResumeSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public string? PrimaryLost { get; set; }

        /// <summary>The id of the recovery run to continue after its failed, interrupted or waiting step.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResumeSet)]
        [Alias("RunId")]
        [AllowNull]
        [AllowEmptyString]
        public string? Resume { get; set; }

        /// <summary>With -Resume: the step the run waits for, done (or accepted) by the operator.</summary>
        [Parameter(ParameterSetName = ResumeSet)]
        public string? ConfirmStep { get; set; }

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void ProcessBackPakRecord()
        {
            string? runId = null;
            DomainConnection node;
            string ds;
            string? lost = PrimaryLost;
            if (ParameterSetName == ResumeSet)
            {
                // The journal knows the data store and both sides: the run id is enough; what is given must agree.
                runId = ProcedureRunner.RequireRunId(Resume);
                var journal = SwitchContexts.FindRun(runId, Node);
                if (ProcedureKind.Of(runId) != ProcedureKind.Recovery)
                    throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.InvalidArgument,
                        $"Run {runId} is not a recovery run: it is continued by its own command ({ProcedureKind.Of(runId).ResumeAdvice(runId)}).", runId,
                        "Get-BPRoleSwitchRun -RunId <id> shows a run; recovery runs have ids that start with RC-.", stopsInvocation: true);
                var (rds, rp, rs) = ProcedureRunner.Subject(journal, runId);
                ProcedureRunner.RequireAgreement(runId, (rds, rp, rs), DataStore == null ? null : Names.NormalizeDataStore(DataStore), null, Node?.Node);
                node = Node ?? SwitchContexts.Connection(journal.Location, rs);
                ds = rds;
                lost ??= Recovery.PrimaryLostOf(journal, runId);
            }
            else
            {
                node = Node!;
                ds = Names.NormalizeDataStore(DataStore!);
            }
            DomainSessions.RequireOpen(node);
            var s = Capabilities.RequireFull(node.Domain, "the recovery", typeof(IRunJournalSource));
            string primaryNode = runId != null ? ProcedureRunner.Subject(((IRunJournalSource)s).RunJournal, runId).Primary : Recovery.ResolvePrimary(s, ds, lost);

            var opened = new List<IKeyManager>();
            IDomainReader? ownPrimary = null;
            try
            {
                var (primary, problem) = AskPrimary(node, primaryNode, out ownPrimary);
                var context = new RecoveryContext
                {
                    DataStore = ds, Secondary = s, PrimaryNode = primaryNode, Primary = primary, PrimaryProblem = problem, PrimaryLost = lost,
                    KeyServers = RecoveryKeyServers.Of(s, opened), Journal = ((IRunJournalSource)s).RunJournal, User = Environment.UserName, Cancel = _cancel.Token,
                };
                var plan = Recovery.Plan(ds, primaryNode, s.Node);
                string target = $"data store {ds}: SECONDARY {s.Node} -> PRIMARY, {primaryNode} lost";
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)
                {
                    var previous = runId == null ? null : Recovery.Report(context.Journal, runId);
                    foreach (var st in plan.Steps)
                    {
                        var was = previous?.Steps.FirstOrDefault(x => x.Id == st.Id)?.Status;
                        if (was == StepStatus.Done || was == StepStatus.AlreadyDone || was == StepStatus.Skipped) continue;
                        ShouldProcess($"step {st.Number} on {st.Node}: {st.Title} [{st.Kind}, {st.Source}]", "Recovery of " + ds);
                    }
                    ShouldProcess(target, runId != null ? "Resume recovery run " + runId : $"Recover ({plan.Steps.Count} steps, {plan.Steps.Count(x => x.Inferred)} inferred)");
                    return;
                }
                if (!ShouldProcess(target, runId != null ? "Resume recovery run " + runId : $"Recover ({plan.Steps.Count} steps)")) return;

                var progress = new ProgressRecord(5, $"Recovery of {ds} at {s.Node} ({primaryNode} lost)", "Starting");
                RecoveryReport report;
                try
                {
                    report = Recovery.Run(context, runId, ConfirmStep, (step, i, n) =>
                    {
                        progress.StatusDescription = $"Step {step.Number}/{n} on {step.Node}: {step.Title}";
                        progress.CurrentOperation = step.Kind + " (" + step.Source + ")";
                        progress.PercentComplete = 100 * i / n;
                        try
                        {
                            WriteProgress(progress);
                            WriteVerbose($"Step {step.Number} {step.Id}: {step.Title}");
                        }
                        catch (PipelineStoppedException e)
                        {
                            // The pipeline was stopped (Ctrl-C) between two steps: the run records that it was interrupted.
                            _cancel.Cancel();
                            throw new OperationCanceledException("The pipeline was stopped.", e, _cancel.Token);
                        }
                    });
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
                if (report.Status == RunStatus.AwaitingOperator) WriteWarning(report.Message);
                if (report.TimestampRefused.Count > 0)
                    WriteWarning($"{report.TimestampRefused.Count} volume(s) of {ds} would be refused by the timestamp check at {s.Node}: {string.Join(", ", report.TimestampRefused.Take(10))}{(report.TimestampRefused.Count > 10 ? ", ..." : "")}. See NextSteps for the way out.");
                WriteObject(report);
            }
            finally
            {
                foreach (var k in opened) k.Dispose();
                ownPrimary?.Dispose();
            }
        }

        /// <summary>
        /// The lost side as it answers now, for the refusal only: its connection in this session, else a domain opened the
        /// way the secondary's provider opens the other nodes of its estate (closed afterwards); null with why not.
        /// </summary>
        private static (IDomainReader? Primary, string? Problem) AskPrimary(DomainConnection node, string primaryNode, out IDomainReader? opened)
        {
            opened = null;
            var c = DomainSessions.All.FirstOrDefault(x => x.IsOpen && x.Location == node.Location && string.Equals(x.Node, primaryNode, StringComparison.OrdinalIgnoreCase));
            if (c != null) return (c.Domain, null);
            if (!(node.Domain is IEstateSource estate)) return (null, $"{primaryNode} is not connected in this session");
            try
            {
                opened = estate.OpenNode(primaryNode);
                return (opened, null);
            }
            catch (BackPakException e) { return (null, e.Message); }
        }
    }
}
