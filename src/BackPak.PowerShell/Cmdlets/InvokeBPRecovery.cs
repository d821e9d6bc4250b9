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

        /// <summary>
        /// The id of the recovery run to continue after its failed, interrupted or waiting step. Binds from the RunId of a
        /// run piped from Get-BPRoleSwitchRun, which is then continued where its journal is.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [Alias("RunId")]
        [AllowNull]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string? Resume { get; set; }

        /// <summary>With -Resume: the step the run waits for, done (or accepted) by the operator.</summary>
        [Parameter(ParameterSetName = ResumeSet)]
        public string? ConfirmStep { get; set; }

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void ProcessBackPakRecord()
        {
            string? runId = null, primaryNode = null;
            DomainConnection node;
            string ds;
            string? lost = PrimaryLost;
            if (ParameterSetName == ResumeSet)
            {
                // The journal knows the data store and both sides: the run id is enough; what is given must agree.
                runId = ProcedureRunner.RequireRunId(Resume);
                ProcedureRunner.RequireKind(runId, ProcedureKind.Recovery);
                var journal = SwitchContexts.FindRun(runId, Node);
                var (rds, rp, rs) = ProcedureRunner.Subject(journal, runId);
                ProcedureRunner.RequireAgreement(runId, (rds, rp, rs), DataStore == null ? null : Names.NormalizeDataStore(DataStore),
                    PrimaryLost == null ? null : Names.NormalizeNode(PrimaryLost), Node?.Node);
                node = Node ?? SwitchContexts.Connection(journal.Location, rs);
                ds = rds;
                primaryNode = rp;
                lost ??= Recovery.PrimaryLostOf(journal, runId);
            }
            else
            {
                node = Node!;
                ds = Names.NormalizeDataStore(DataStore!);
            }
            DomainSessions.RequireOpen(node);
            var s = Capabilities.RequireFull(node.Domain, "the recovery", typeof(IRunJournalSource));
            primaryNode ??= Recovery.ResolvePrimary(s, ds, lost);

            var opened = new List<IKeyManager>();
            IDomainReader? ownPrimary = null;
            try
            {
                // The lost side as it answers now, for the refusal only.
                var (primary, problem) = SwitchContexts.Reach(node.Location, primaryNode, out ownPrimary);
                var context = new RecoveryContext
                {
                    DataStore = ds, Secondary = s, PrimaryNode = primaryNode, Primary = primary, PrimaryProblem = problem, PrimaryLost = lost,
                    KeyServers = RecoveryKeyServers.Of(s, opened), Journal = ((IRunJournalSource)s).RunJournal, User = Environment.UserName, Cancel = _cancel.Token,
                };
                var plan = Recovery.Plan(ds, primaryNode, s.Node);
                string target = $"data store {ds}: SECONDARY {s.Node} -> PRIMARY, {primaryNode} lost";
                var previous = runId == null ? null : Recovery.Report(context.Journal, runId);
                if (ProcedureRuns.WhatIfPlan(this, plan.Steps, previous, "Recovery of " + ds, target,
                        runId != null ? "Resume recovery run " + runId : $"Recover ({plan.Steps.Count} steps, {plan.Steps.Count(x => x.Inferred)} inferred)",
                        () => { ProcedureRunner.RequireFree(context.Journal, ds); Recovery.RequireStart(context); }))
                    return;
                if (!ShouldProcess(target, runId != null ? "Resume recovery run " + runId : $"Recover ({plan.Steps.Count} steps)")) return;

                var report = ProcedureRuns.Run(this, _cancel, 6, $"Recovery of {ds} at {s.Node} ({primaryNode} lost)",
                    progress => Recovery.Run(context, runId, ConfirmStep, progress));
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
    }
}
