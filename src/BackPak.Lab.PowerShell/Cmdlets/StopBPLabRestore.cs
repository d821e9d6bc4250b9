using System;
using System.Management.Automation;
using BackPak.Core.Model;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Ends restores (load for input) and materializes in flight in the lab: the volumes were only read, so nothing is written.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "BPLabRestore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "InputObject")]
    [OutputType(typeof(Volume))]
    public sealed class StopBPLabRestoreCommand : BPLabUnloadCmdlet
    {
        protected override (Func<Volume, bool> InFlight, string Name)? OperationEnded => (v => v.IsRestoreRunning, "restore or materialize");

        protected override void ProcessBackPakRecord() =>
            ForEachTarget(false, "End the restore or materialize (unload)", t => t.Lab.StopRestore(t.Label!, Environment.UserName));
    }
}
