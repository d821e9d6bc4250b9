using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
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
}
