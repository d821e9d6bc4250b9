using System;
using System.Management.Automation;
using BackPak.Core.Model;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Ends running lab backups: the volumes are written and unloaded, which raises their export updates.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "BPLabBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "InputObject")]
    [OutputType(typeof(Volume))]
    public sealed class StopBPLabBackupCommand : BPLabUnloadCmdlet
    {
        protected override (Func<Volume, bool> InFlight, string Name)? OperationEnded => (v => v.IsBackupRunning, "backup");

        protected override void ProcessBackPakRecord() =>
            ForEachTarget(false, "End the backup (unload)", t => t.Lab.StopBackup(t.Label!, Environment.UserName));
    }
}
