using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Switches the PRIMARY and SECONDARY roles of a data store between two nodes, step by step, journaled and resumable.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPRoleSwitch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = StartSet)]
    [OutputType(typeof(RoleSwitchReport), typeof(SiteSwitchReport))]
    public sealed class InvokeBPRoleSwitchCommand : BPCmdlet
    {
        private const string StartSet = "Start";
        private const string ResumeSet = "Resume";

        /// <summary>
        /// Store ID of the data store; several (or data stores piped from Get-BPDataStore) switch as one site run (with
        /// -Resume: optional, and they must be the run's).
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = StartSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
        [Alias("Name", "DataStores")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string[]? DataStore { get; set; }

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

        /// <summary>With several data stores: how many switch at once, at most. 1 switches them one after another. The default is 5.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = SiteSwitch.DefaultThrottleLimit;

        /// <summary>The stores to start, as the command line and each piped object gave them, with their sides.</summary>
        private readonly List<(string DataStore, DomainConnection Primary, DomainConnection Secondary)> _starts = new List<(string, DomainConnection, DomainConnection)>();

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void ProcessBackPakRecord()
        {
            // A recovery run piped in, or its id, is continued by Invoke-BPRecovery: nothing is started here.
            if (InputObject?.BaseObject is RecoveryReport recovery) ProcedureRunner.RequireKind(recovery.RunId, ProcedureKind.Switch);
            if (InputObject?.BaseObject is SiteSwitchReport site)
            {
                // A site run piped in is resumed where it came from.
                var journal = SwitchContexts.Journals(null).FirstOrDefault(j => j.Location == site.Location && ProcedureRunner.Has(j, site.RunId)) ?? SwitchContexts.FindRun(site.RunId, null);
                ResumeSite(journal, ProcedureRunner.RequireRunId(site.RunId));
                return;
            }
            if (InputObject?.BaseObject is RoleSwitchReport piped)
            {
                // A run piped in is resumed where it came from: its journal, and the domains of that location.
                string runId = ProcedureRunner.RequireRunId(piped.RunId);
                var journal = SwitchContexts.Journals(null).FirstOrDefault(j => j.Location == piped.Location && ProcedureRunner.Has(j, runId)) ?? SwitchContexts.FindRun(runId, null);
                var (ds, p, s) = ProcedureRunner.Subject(journal, runId);
                SwitchOne(SwitchContexts.Build(ds, SwitchContexts.Connection(journal.Location, p), SwitchContexts.Connection(journal.Location, s), TimeSpan.FromSeconds(Timeout), _cancel.Token, this), runId);
                return;
            }
            if (ParameterSetName == ResumeSet)
            {
                // The journal knows the data store(s) and both sides: the run id is enough; what is given must agree.
                string runId = ProcedureRunner.RequireRunId(Resume);
                if (ProcedureKind.Of(runId) == ProcedureKind.SiteSwitch)
                {
                    ResumeSite(SwitchContexts.FindRun(runId, Primary ?? Secondary), runId);
                    return;
                }
                ProcedureRunner.RequireKind(runId, ProcedureKind.Switch);
                var journal = SwitchContexts.FindRun(runId, Primary ?? Secondary);
                var (ds, p, s) = ProcedureRunner.Subject(journal, runId);
                string? given = DataStore == null ? null : DataStore.Length == 1 ? Names.NormalizeDataStore(DataStore[0]) : string.Join(",", DataStore.Select(Names.NormalizeDataStore));
                ProcedureRunner.RequireAgreement(runId, (ds, p, s), given, Primary?.Node, Secondary?.Node);
                SwitchOne(SwitchContexts.Build(ds, Primary ?? SwitchContexts.Connection(journal.Location, p),
                    Secondary ?? SwitchContexts.Connection(journal.Location, s), TimeSpan.FromSeconds(Timeout), _cancel.Token, this), runId);
                return;
            }
            // Stores are gathered until the pipeline ends: one store is switched alone, several as one site run.
            // A bad name stops the command before any store is switched.
            foreach (var ds in SwitchContexts.DataStores(DataStore!)) _starts.Add((ds, Primary!, Secondary!));
        }

        protected override void EndBackPak()
        {
            if (_starts.Count == 0) return;
            var first = _starts[0];
            var other = _starts.FirstOrDefault(x => x.Primary.Node != first.Primary.Node || x.Secondary.Node != first.Secondary.Node || x.Primary.Location != first.Primary.Location);
            if (other.DataStore != null)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"{first.DataStore} switches from {first.Primary.Node} to {first.Secondary.Node} and {other.DataStore} from {other.Primary.Node} to {other.Secondary.Node}: the stores of one switch run between the same two nodes. Nothing was started.",
                    other.DataStore, "Switch each direction with its own Invoke-BPRoleSwitch.", stopsInvocation: true);
            var stores = _starts.Select(x => x.DataStore).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var contexts = stores.Select(ds => SwitchContexts.Build(ds, first.Primary, first.Secondary, TimeSpan.FromSeconds(Timeout), _cancel.Token, this)).ToList();
            if (contexts.Count == 1) SwitchOne(contexts[0], null);
            else SwitchSite(contexts, null, null);
        }

        private void SwitchOne(RoleSwitchContext context, string? runId)
        {
            string pNode = context.Primary.Node, sNode = context.Secondary.Node;
            var plan = RoleSwitch.Plan(context.DataStore, pNode, sNode, links: context);
            string target = $"data store {context.DataStore}: PRIMARY {pNode} -> SECONDARY, SECONDARY {sNode} -> PRIMARY";
            var previous = runId == null ? null : ProcedureRunner.Report(context.Journal, runId);
            if (ProcedureRuns.WhatIfPlan(this, plan.Steps, previous, "Role switch of " + context.DataStore, target,
                    runId != null ? "Resume role switch run " + runId : $"Switch roles ({plan.Steps.Count} steps, {plan.Steps.Count(s => s.Inferred)} inferred)",
                    () => RoleSwitch.RequireCanStart(context)))
                return;
            if (!ShouldProcess(target, runId != null ? "Resume role switch run " + runId : $"Switch roles ({plan.Steps.Count} steps)")) return;
            WarnOfSharedKeyLink(context, new[] { context.DataStore });

            var report = ProcedureRuns.Run(this, _cancel, 4, $"Role switch of {context.DataStore}: {pNode} -> {sNode}",
                progress => ProcedureRunner.RunSwitch(context, runId, ConfirmStep, progress),
                () => ReplicationLinkRegistry.Refresh(context.StorageLink, context.KeyLink)); // each step reads the state of a registered link afresh
            if (report.Status == RunStatus.AwaitingOperator) WriteWarning(report.Message);
            WriteObject(report);
        }

        /// <summary>A switch that turns a key link other replicated stores of the primary still need says so before it runs.</summary>
        private void WarnOfSharedKeyLink(RoleSwitchContext c, IEnumerable<string> switching)
        {
            var left = RoleSwitch.StoresSharingKeyLink(c, switching);
            if (left.Count > 0) WriteWarning(RoleSwitch.SharedKeyLinkText(c, left) + ".");
        }

        private void ResumeSite(IRunJournalStore journal, string runId)
        {
            var (stores, p, s) = SiteSwitch.Subject(journal, runId);
            if (DataStore != null && !DataStore.Select(Names.NormalizeDataStore).OrderBy(x => x, StringComparer.OrdinalIgnoreCase)
                    .SequenceEqual(stores.OrderBy(x => x, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
                ProcedureRunner.RequireAgreement(runId, (string.Join(",", stores), p, s), string.Join(",", DataStore.Select(Names.NormalizeDataStore)), null, null);
            ProcedureRunner.RequireAgreement(runId, (string.Join(",", stores), p, s), null, Primary?.Node, Secondary?.Node);
            var primary = Primary ?? SwitchContexts.Connection(journal.Location, p);
            var secondary = Secondary ?? SwitchContexts.Connection(journal.Location, s);
            SwitchSite(stores.Select(ds => SwitchContexts.Build(ds, primary, secondary, TimeSpan.FromSeconds(Timeout), _cancel.Token, this)).ToList(), runId, SiteSwitch.Report(journal, runId));
        }

        /// <summary>
        /// Several stores as one run: one plan (-WhatIf lists every store's steps), one confirmation, one report. The stores
        /// run on worker threads; this thread writes their progress and runs registered links' scripts for them.
        /// </summary>
        private void SwitchSite(IReadOnlyList<RoleSwitchContext> contexts, string? runId, SiteSwitchReport? previous)
        {
            string pNode = contexts[0].Primary.Node, sNode = contexts[0].Secondary.Node;
            string names = string.Join(", ", contexts.Select(c => c.DataStore));
            string target = $"data stores {names}: PRIMARY {pNode} -> SECONDARY, SECONDARY {sNode} -> PRIMARY";
            int steps = 0;
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)
            {
                int refused = 0;
                foreach (var c in contexts)
                {
                    var plan = RoleSwitch.Plan(c.DataStore, pNode, sNode, links: c);
                    var before = previous?.Stores.FirstOrDefault(x => x?.DataStore == c.DataStore);
                    if (runId == null && !ProcedureRuns.WarnIfRefused(this, "Role switch of " + c.DataStore, () => RoleSwitch.RequireCanStart(c))) refused++;
                    ProcedureRuns.WhatIfPlan(this, plan.Steps, before, "Role switch of " + c.DataStore, $"data store {c.DataStore}", $"Switch roles ({plan.Steps.Count} steps)");
                }
                if (refused > 0)
                    WriteWarning($"The site switch would be refused (SiteSwitchRefused): {refused} of {contexts.Count} data stores cannot start, so none would be changed.");
                var groups = SiteSwitch.Groups(contexts).Where(g => g.Count > 1).Select(g => string.Join(", ", g)).ToList();
                ShouldProcess(target, (runId != null ? "Resume site switch run " + runId : $"Switch roles of {contexts.Count} data stores") +
                    $", at most {ThrottleLimit} at once" + (groups.Count > 0 ? $"; one at a time where they share storage replication: {string.Join("; ", groups)}" : ""));
                return;
            }
            steps = contexts.Sum(c => RoleSwitch.Plan(c.DataStore, pNode, sNode).Steps.Count);
            if (!ShouldProcess(target, runId != null ? "Resume site switch run " + runId : $"Switch roles of {contexts.Count} data stores ({steps} steps)")) return;
            WarnOfSharedKeyLink(contexts[0], contexts.Select(c => c.DataStore));

            var outcome = ProcedureRuns.RunSite(this, _cancel, 4, $"Site switch of {contexts.Count} data stores: {pNode} -> {sNode}", contexts,
                progress => SiteSwitch.Run(contexts, runId, ConfirmStep, ThrottleLimit, progress));
            var site = outcome.Report;
            if (site.Status == RunStatus.AwaitingOperator) WriteWarning(site.Message);
            WriteObject(site);
            // Each store that failed is its own error, after the report: the others went on to their end. The error
            // carries the site report, so a script that stops on it still has the site run's id.
            foreach (var e in outcome.Errors)
                WriteBackPakError(new BackPakException(e.ErrorId, e.Category, $"{e.Message} The site run {site.RunId} went on with the other stores.", site,
                    $"Fix the cause, then continue the whole site: Invoke-BPRoleSwitch -Resume {site.RunId}.", false, e));
            if (outcome.Interrupted) throw new PipelineStoppedException();
        }
    }
}
