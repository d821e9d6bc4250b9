using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Simulates backups that write volumes of a PRIMARY data store in the lab; each raises an export update.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPLabBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Volume))]
    public sealed class InvokeBPLabBackupCommand : BPLabCmdlet
    {
        /// <summary>How many expired or scratch volumes to write. The default is 1.</summary>
        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int Count { get; set; } = 1;

        /// <summary>Write these volumes instead.</summary>
        [Parameter]
        [Selection]
        public string[]? Label { get; set; }

        /// <summary>When fewer expired or scratch volumes are free than -Count, add the missing ones to the pool as scratch volumes first (otherwise NoScratchVolume, nothing written).</summary>
        [Parameter]
        public SwitchParameter NewVolume { get; set; }

        protected override void ProcessBackPakRecord() =>
            ForEachStore(false, (d, s) =>
            {
                var lab = LabOf(d);
                if (!ShouldProcess($"data store {s} on {d.Node}", Label != null ? $"Back up to {Label.Length} volume(s)" : $"Back up to {Count} volume(s)")) return;
                WriteObject(lab.RunBackups(s, Count, Label, Environment.UserName, NewVolume), true);
            });
    }

    /// <summary>Runs the daily batch OBB017 on a data store: DSM/TC releases expired volumes and their status changes are exported.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BPLabDailyBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(int))]
    public sealed class InvokeBPLabDailyBatchCommand : BPLabCmdlet
    {
        protected override void ProcessBackPakRecord() =>
            ForEachStore(false, (d, s) =>
            {
                var lab = LabOf(d);
                if (!ShouldProcess($"data store {s} on {d.Node}", "Run the daily batch (release expired volumes)")) return;
                WriteObject(lab.RunDailyBatch(s, Environment.UserName));
            });
    }

    /// <summary>Injects a fault into the lab: the Expand link to a node down, or the import of a volume failing.</summary>
    [Cmdlet(VerbsCommon.Add, "BPLabFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(LabFault))]
    public sealed class AddBPLabFaultCommand : BPDomainCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public LabFaultKind Kind { get; set; }

        /// <summary>A node for StagingUnreachable (e.g. '\B'), a label for ImportFailure.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string Target { get; set; } = "";

        protected override void ProcessBackPakRecord()
        {
            var lab = LabDomains.Require(BackPak).Lab;
            string target = Kind == LabFaultKind.StagingUnreachable ? Names.NormalizeNode(Target) : Labels.Normalize(Target);
            if (!ShouldProcess($"lab {lab.Root}", $"Add fault {Kind} on {target}")) return;
            lab.AddFault(Kind, target);
            WriteObject(lab.Faults().First(f => f.Kind == Kind && f.Target == target));
        }
    }

    /// <summary>Clears lab faults.</summary>
    [Cmdlet(VerbsCommon.Remove, "BPLabFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Kind")]
    [OutputType(typeof(LabFault))]
    public sealed class RemoveBPLabFaultCommand : BPDomainCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Kind")]
        public LabFaultKind Kind { get; set; }

        [Parameter(Position = 1, ParameterSetName = "Kind")]
        [Selection]
        public string? Target { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "All")]
        public SwitchParameter All { get; set; }

        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var lab = LabDomains.Require(BackPak).Lab;
            var before = lab.Faults();
            string? target = Target == null ? null : Kind == LabFaultKind.StagingUnreachable ? Names.NormalizeNode(Target) : Labels.Normalize(Target);
            var gone = before.Where(f => All || (f.Kind == Kind && (target == null || f.Target == target))).ToList();
            if (gone.Count == 0 || !ShouldProcess($"lab {lab.Root}", $"Remove {gone.Count} fault(s)")) return;
            if (All) lab.RemoveFault((LabFaultKind?)null, null);
            else lab.RemoveFault(Kind, target);
            if (PassThru) WriteObject(gone, true);
        }
    }

    /// <summary>Lists the faults injected into the lab.</summary>
    [Cmdlet(VerbsCommon.Get, "BPLabFault")]
    [OutputType(typeof(LabFault))]
    public sealed class GetBPLabFaultCommand : BPDomainCmdlet
    {
        protected override void ProcessBackPakRecord() => WriteObject(LabDomains.Require(BackPak).Lab.Faults(), true);
    }
}
