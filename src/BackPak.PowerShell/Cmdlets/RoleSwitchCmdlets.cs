using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>What the switch cmdlets share: the data store and the two connected domains, and the context built from them.</summary>
    public abstract class BPSwitchCmdlet : BPCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string DataStore { get; set; } = "";

        /// <summary>The domain whose store is PRIMARY now (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection Primary { get; set; } = null!;

        /// <summary>The domain whose store is SECONDARY now (a connection or a node name).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection Secondary { get; set; } = null!;

        protected RoleSwitchContext Context(TimeSpan timeout, CancellationToken cancel)
        {
            string ds = Names.NormalizeDataStore(DataStore);
            if (Primary.Node == Secondary.Node && Primary.Location == Secondary.Location)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"-Primary and -Secondary are the same domain ({Primary.Node}).", Secondary.Node, "Give the two sides of the switch, e.g. -Primary '\\A' -Secondary '\\B'.", stopsInvocation: true);
            var p = LabDomains.Require(Primary.Domain);
            var s = LabDomains.Require(Secondary.Domain);
            var lab = p.Lab;
            return new RoleSwitchContext
            {
                DataStore = ds, Primary = p, Secondary = s, Journal = lab.RunJournal,
                StorageLink = lab.ReplicationLink("STORAGE", ds), KeyLink = lab.ReplicationLink("KEYS", null),
                SecondarySite = lab.SiteOf(s.Node), Timeout = timeout, Cancel = cancel, User = Environment.UserName,
            };
        }
    }
}

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Checks the preconditions of a switch of roles, one object per check.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPRoleSwitch")]
    [OutputType(typeof(RoleSwitchCheck))]
    public sealed class TestBPRoleSwitchCommand : BPSwitchCmdlet
    {
        /// <summary>Returns only $true or $false: whether every check passed.</summary>
        [Parameter] public SwitchParameter Quiet { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var checks = RoleSwitch.Test(Context(TimeSpan.Zero, CancellationToken.None));
            if (Quiet) WriteObject(checks.All(c => c.Passed));
            else WriteObject(checks, true);
        }
    }

    /// <summary>The plan of a switch of roles: every step, where it runs, what kind it is and where it comes from.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRoleSwitchPlan")]
    [OutputType(typeof(RoleSwitchPlan))]
    public sealed class GetBPRoleSwitchPlanCommand : BPSwitchCmdlet
    {
        protected override void ProcessBackPakRecord()
        {
            Context(TimeSpan.Zero, CancellationToken.None); // the same checks of the arguments as a run
            WriteObject(RoleSwitch.Plan(Names.NormalizeDataStore(DataStore), Primary.Node, Secondary.Node));
        }
    }

    /// <summary>Switches the PRIMARY and SECONDARY roles of a data store between two nodes, step by step, journaled and resumable.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPRoleSwitch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RoleSwitchReport))]
    public sealed class InvokeBPRoleSwitchCommand : BPSwitchCmdlet
    {
        /// <summary>Seconds a waiting step (backups, pending exports) may wait. The default is 600.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Timeout { get; set; } = 600;

        /// <summary>Continue this run after its failed, interrupted or waiting step.</summary>
        [Parameter]
        public string? Resume { get; set; }

        /// <summary>With -Resume: the external step the operator has done by hand.</summary>
        [Parameter]
        public string? ConfirmStep { get; set; }

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        protected override void ProcessBackPakRecord()
        {
            var context = Context(TimeSpan.FromSeconds(Timeout), _cancel.Token);
            var plan = RoleSwitch.Plan(context.DataStore, Primary.Node, Secondary.Node);
            string target = $"data store {context.DataStore}: PRIMARY {Primary.Node} -> SECONDARY, SECONDARY {Secondary.Node} -> PRIMARY";
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)
            {
                foreach (var st in plan.Steps)
                    ShouldProcess($"step {st.Number} on {st.Node}: {st.Title} [{st.Kind}, {st.Source}]", "Role switch of " + context.DataStore);
                ShouldProcess(target, $"Switch roles ({plan.Steps.Count} steps, {plan.Steps.Count(s => s.Inferred)} inferred)");
                return;
            }
            if (!ShouldProcess(target, Resume != null ? "Resume role switch run " + Resume : $"Switch roles ({plan.Steps.Count} steps)")) return;

            var progress = new ProgressRecord(4, $"Role switch of {context.DataStore}: {Primary.Node} -> {Secondary.Node}", "Starting");
            var report = ProcedureRunner.RunSwitch(context, Resume, ConfirmStep, (step, i, n) =>
            {
                progress.StatusDescription = $"Step {step.Number}/{n} on {step.Node}: {step.Title}";
                progress.CurrentOperation = step.Kind + " (" + step.Source + ")";
                progress.PercentComplete = 100 * i / n;
                WriteProgress(progress);
                WriteVerbose($"Step {step.Number} {step.Id}: {step.Title}");
            });
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            if (report.Status == RunStatus.AwaitingOperator) WriteWarning(report.Message);
            WriteObject(report);
        }
    }

    /// <summary>Lists switch runs from their journals, with their steps and how they ended.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRoleSwitchRun")]
    [OutputType(typeof(RoleSwitchReport))]
    public sealed class GetBPRoleSwitchRunCommand : BPDomainCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Selection]
        public string[]? RunId { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var lab = LabDomains.Require(BackPak).Lab;
            var journal = lab.RunJournal;
            foreach (var id in RunId ?? journal.RunIds().ToArray())
            {
                var records = journal.Read(id);
                if (records.Count == 0)
                {
                    WriteBackPakError(new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"No switch run {id} in the journal of {lab.Root}.", id, "Get-BPRoleSwitchRun lists the runs."));
                    continue;
                }
                WriteObject(ProcedureRunner.Report(id, records, run => OwnerAlive(records)));
            }
        }

        private static bool OwnerAlive(System.Collections.Generic.IReadOnlyList<JournalRecord> records)
        {
            var owner = records.LastOrDefault(r => r.Data != null && r.Data.ContainsKey("pid"));
            if (owner?.Data == null || !int.TryParse(owner.Data["pid"], out var pid)) return false;
            try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
            catch (ArgumentException) { return false; }
        }
    }
}
