using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the faults injected into the lab.</summary>
    [Cmdlet(VerbsCommon.Get, "BPLabFault")]
    [OutputType(typeof(LabFault))]
    public sealed class GetBPLabFaultCommand : BPDomainCmdlet
    {
        protected override void ProcessBackPakRecord() => WriteObject(LabDomains.Require(BackPak).Lab.Faults(), true);
    }
}
