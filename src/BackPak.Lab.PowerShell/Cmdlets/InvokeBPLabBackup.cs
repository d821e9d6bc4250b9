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
}
