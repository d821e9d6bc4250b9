using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// After an unplanned takeover, makes the old PRIMARY side that came back the SECONDARY of the side that took over:
    /// demoted first, its stale state listed and accepted by the operator, replication and staging turned round, a FULL
    /// export and import, the catalogs compared. Journaled and resumable like the switch.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPReprotect", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = StartSet)]
    [OutputType(typeof(ReprotectReport))]
    public sealed class InvokeBPReprotectCommand : BPCmdlet
    {
        private const string StartSet = "Start";
        private const string ResumeSet = "Resume";

        /// <summary>Store ID of the data store (with -Resume: optional, and it must be the run's).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StartSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string? DataStore { get; set; }

        /// <summary>The node that was lost and came back (the old PRIMARY side): it becomes the SECONDARY (a connection or a node name).</summary>
        [Parameter(ParameterSetName = StartSet)]
        [Parameter(ParameterSetName = ResumeSet)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Node { get; set; }

        /// <summary>The id of the reprotect run to continue after its failed, interrupted or waiting step.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResumeSet)]
        [Alias("RunId")]
        [AllowNull]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string? Resume { get; set; }

        /// <summary>With -Resume: the step the run waits for, done (or accepted) by the operator.</summary>
        [Parameter(ParameterSetName = ResumeSet)]
        public string? ConfirmStep { get; set; }

        /// <summary>
        /// What came down the pipeline, whole: a recovery run (Get-BPRoleSwitchRun -RunId RC-...) is reprotected where it
        /// came from, its lost node made the SECONDARY; a reprotect run is resumed. Not for typing.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void ProcessBackPakRecord()
        {
            string? runId = null, takeover = null;
            DomainConnection returning, primary;
            string ds;
            if (InputObject?.BaseObject is ProcedureReport piped && !(piped is RecoveryReport) && !(piped is ReprotectReport))
                ProcedureRunner.RequireKind(piped.RunId, ProcedureKind.Reprotect); // a switch's run: its own command continues it
            if (InputObject?.BaseObject is ReprotectReport again)
            {
                runId = ProcedureRunner.RequireRunId(again.RunId);
                var journal = SwitchContexts.Journals(null).FirstOrDefault(j => j.Location == again.Location && ProcedureRunner.Has(j, runId)) ?? SwitchContexts.FindRun(runId, null);
                var (rds, rp, rs) = ProcedureRunner.Subject(journal, runId);
                (ds, primary, returning) = (rds, SwitchContexts.Connection(journal.Location, rp), SwitchContexts.Connection(journal.Location, rs));
            }
            else if (ParameterSetName == ResumeSet)
            {
                // The journal knows the data store and both sides: the run id is enough; what is given must agree.
                runId = ProcedureRunner.RequireRunId(Resume);
                ProcedureRunner.RequireKind(runId, ProcedureKind.Reprotect);
                var journal = SwitchContexts.FindRun(runId, Node);
                var (rds, rp, rs) = ProcedureRunner.Subject(journal, runId);
                ProcedureRunner.RequireAgreement(runId, (rds, rp, rs), DataStore == null ? null : Names.NormalizeDataStore(DataStore), null, Node?.Node);
                (ds, primary, returning) = (rds, SwitchContexts.Connection(journal.Location, rp), Node ?? SwitchContexts.Connection(journal.Location, rs));
            }
            else
            {
                if (InputObject?.BaseObject is RecoveryReport recovery)
                {
                    // The recovery's lost node is the one that came back, in the estate where the run lives.
                    DataStore = recovery.DataStore;
                    Node = SwitchContexts.Connection(recovery.Location ?? SwitchContexts.FindRun(recovery.RunId, null).Location, recovery.Primary);
                }
                // Not mandatory so that a piped recovery run can supply it; typed, it must be given.
                returning = Node ?? throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    "No node was given: -Node names the node that was lost and came back (the old PRIMARY side). Nothing was changed.", DataStore,
                    $"Invoke-BPReprotect -DataStore {DataStore} -Node '<lost node>', or pipe the recovery run: Get-BPRoleSwitchRun -RunId RC-... | Invoke-BPReprotect.", stopsInvocation: true);
                ds = Names.NormalizeDataStore(DataStore!);
                DomainSessions.RequireOpen(returning);
                var journal = Capabilities.Require<IRunJournalSource>(returning.Domain, "the reprotect").RunJournal;
                var (p, rc) = Reprotect.FindTakeover(journal, ds, returning.Node);
                takeover = rc;
                primary = SwitchContexts.Connection(returning.Location, p);
            }

            var context = SwitchContexts.BuildReprotect(ds, primary, returning, _cancel.Token, this);
            string pNode = context.Primary.Node, sNode = context.Returning.Node;
            var plan = Reprotect.Plan(ds, pNode, sNode, context);
            string target = $"data store {ds}: {sNode} (back, stale) -> SECONDARY of {pNode}";
            var previous = runId == null ? null : Reprotect.Report(context.Journal, runId);
            if (ProcedureRuns.WhatIfPlan(this, plan.Steps, previous, "Reprotect of " + ds, target,
                    runId != null ? "Resume reprotect run " + runId : $"Reprotect ({plan.Steps.Count} steps, {plan.Steps.Count(x => x.Inferred)} inferred)",
                    () => { ProcedureRunner.RequireFree(context.Journal, ds); Reprotect.RequireStart(context); }))
                return;
            if (!ShouldProcess(target, runId != null ? "Resume reprotect run " + runId : $"Reprotect ({plan.Steps.Count} steps)")) return;

            var report = ProcedureRuns.Run(this, _cancel, 7, $"Reprotect of {ds}: {sNode} becomes SECONDARY of {pNode}",
                progress => Reprotect.Run(context, takeover, runId, ConfirmStep, progress),
                () => ReplicationLinkRegistry.Refresh(context.StorageLink, context.KeyLink));
            if (report.Status == RunStatus.AwaitingOperator) WriteWarning(report.Message);
            WriteObject(report);
        }
    }
}
