using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Switches the PRIMARY and SECONDARY roles of a data store between two nodes, step by step, journaled and resumable.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPRoleSwitch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = StartSet)]
    [OutputType(typeof(RoleSwitchReport))]
    public sealed class InvokeBPRoleSwitchCommand : BPCmdlet
    {
        private const string StartSet = "Start";
        private const string ResumeSet = "Resume";

        /// <summary>Store ID of the data store (with -Resume: optional, and it must be the run's).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StartSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string? DataStore { get; set; }

        /// <summary>The domain whose store is PRIMARY now (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = StartSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Primary { get; set; }

        /// <summary>The domain whose store is SECONDARY now (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = StartSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Secondary { get; set; }

        /// <summary>Seconds a waiting step (backups, pending exports) may wait. The default is 600.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Timeout { get; set; } = 600;

        /// <summary>The id of the run to continue after its failed, interrupted or waiting step. The run knows its data store and sides.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResumeSet)]
        [Alias("RunId")]
        [AllowNull]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string? Resume { get; set; }

        /// <summary>
        /// What came down the pipeline, whole: a run report (Get-BPRoleSwitchRun) is resumed where its journal is; a plan
        /// (Get-BPRoleSwitchPlan) binds its DataStore, Primary and Secondary and starts a run. Not for typing.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>With -Resume: the external step the operator has done by hand.</summary>
        [Parameter(ParameterSetName = ResumeSet)]
        public string? ConfirmStep { get; set; }

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void ProcessBackPakRecord()
        {
            RoleSwitchContext context;
            string? runId = null;
            // A recovery run piped in, or its id, is continued by Invoke-BPRecovery: nothing is started here.
            if (InputObject?.BaseObject is RecoveryReport recovery) ProcedureRunner.RequireKind(recovery.RunId, ProcedureKind.Switch);
            if (InputObject?.BaseObject is RoleSwitchReport piped)
            {
                // A run piped in is resumed where it came from: its journal, and the domains of that location.
                runId = ProcedureRunner.RequireRunId(piped.RunId);
                var journal = SwitchContexts.Journals(null).FirstOrDefault(j => j.Location == piped.Location && ProcedureRunner.Has(j, runId)) ?? SwitchContexts.FindRun(runId, null);
                var (ds, p, s) = ProcedureRunner.Subject(journal, runId);
                context = SwitchContexts.Build(ds, SwitchContexts.Connection(journal.Location, p), SwitchContexts.Connection(journal.Location, s), TimeSpan.FromSeconds(Timeout), _cancel.Token, this);
            }
            else if (ParameterSetName == ResumeSet)
            {
                // The journal knows the data store and both sides: the run id is enough; what is given must agree.
                runId = ProcedureRunner.RequireRunId(Resume);
                ProcedureRunner.RequireKind(runId, ProcedureKind.Switch);
                var journal = SwitchContexts.FindRun(runId, Primary ?? Secondary);
                var (ds, p, s) = ProcedureRunner.Subject(journal, runId);
                ProcedureRunner.RequireAgreement(runId, (ds, p, s), DataStore == null ? null : Names.NormalizeDataStore(DataStore), Primary?.Node, Secondary?.Node);
                context = SwitchContexts.Build(DataStore ?? ds, Primary ?? SwitchContexts.Connection(journal.Location, p),
                    Secondary ?? SwitchContexts.Connection(journal.Location, s), TimeSpan.FromSeconds(Timeout), _cancel.Token, this);
            }
            else context = SwitchContexts.Build(DataStore!, Primary!, Secondary!, TimeSpan.FromSeconds(Timeout), _cancel.Token, this);

            string pNode = context.Primary.Node, sNode = context.Secondary.Node;
            var plan = RoleSwitch.Plan(context.DataStore, pNode, sNode, links: context);
            string target = $"data store {context.DataStore}: PRIMARY {pNode} -> SECONDARY, SECONDARY {sNode} -> PRIMARY";
            var previous = runId == null ? null : ProcedureRunner.Report(context.Journal, runId);
            if (ProcedureRuns.WhatIfPlan(this, plan.Steps, previous, "Role switch of " + context.DataStore, target,
                    runId != null ? "Resume role switch run " + runId : $"Switch roles ({plan.Steps.Count} steps, {plan.Steps.Count(s => s.Inferred)} inferred)"))
                return;
            if (!ShouldProcess(target, runId != null ? "Resume role switch run " + runId : $"Switch roles ({plan.Steps.Count} steps)")) return;

            var report = ProcedureRuns.Run(this, _cancel, 4, $"Role switch of {context.DataStore}: {pNode} -> {sNode}",
                progress => ProcedureRunner.RunSwitch(context, runId, ConfirmStep, progress),
                () => ReplicationLinkRegistry.Refresh(context.StorageLink, context.KeyLink)); // each step reads the state of a registered link afresh
            if (report.Status == RunStatus.AwaitingOperator) WriteWarning(report.Message);
            WriteObject(report);
        }
    }
}
