using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
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
            string? target = Target == null ? null : LabFault.TargetsNode(Kind) ? Names.NormalizeNode(Target) : Labels.Normalize(Target);
            var gone = before.Where(f => All || (f.Kind == Kind && (target == null || f.Target == target))).ToList();
            if (gone.Count == 0 || !ShouldProcess($"lab {lab.Root}", $"Remove {gone.Count} fault(s)")) return;
            if (All) lab.RemoveFault((LabFaultKind?)null, null);
            else lab.RemoveFault(Kind, target);
            if (PassThru) WriteObject(gone, true);
        }
    }
}
