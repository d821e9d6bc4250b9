using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Injects a fault into the lab: the Expand link to a node down, the import of a volume failing, or a node lost.</summary>
    [Cmdlet(VerbsCommon.Add, "BPLabFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(LabFault))]
    public sealed class AddBPLabFaultCommand : BPDomainCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public LabFaultKind Kind { get; set; }

        /// <summary>A node for StagingUnreachable and NodeLost (e.g. '\B'), a label for ImportFailure.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string Target { get; set; } = "";

        protected override void ProcessBackPakRecord()
        {
            var lab = LabDomains.Require(BackPak).Lab;
            string target = LabFault.TargetsNode(Kind) ? Names.NormalizeNode(Target) : Labels.Normalize(Target);
            if (!ShouldProcess($"lab {lab.Root}", $"Add fault {Kind} on {target}")) return;
            lab.AddFault(Kind, target);
            WriteObject(lab.Faults().First(f => f.Kind == Kind && f.Target == target));
        }
    }
}
