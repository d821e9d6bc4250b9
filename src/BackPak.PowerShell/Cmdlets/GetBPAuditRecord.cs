using System.Management.Automation;
using BackPak.Core.Model;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Reads the audit records of a domain: every change made through the module, newest first.</summary>
    [Cmdlet(VerbsCommon.Get, "BPAuditRecord")]
    [OutputType(typeof(AuditRecord))]
    public sealed class GetBPAuditRecordCommand : BPDomainCmdlet
    {
        /// <summary>Only records of this action, e.g. RemoveVolume, RemoveVolumeGroup, RemoveDataStore.</summary>
        [Parameter(Position = 0)]
        [Selection]
        public string? Action { get; set; }

        /// <summary>Only records about this target, e.g. DS01/AB1234.</summary>
        [Parameter]
        [Selection]
        public string? Target { get; set; }

        /// <summary>How many records at most (newest first). The default is 100.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; } = 100;

        protected override void EndBackPak() => WriteObject(Capabilities.Require<IAuditSink>(BackPak, "reading the audit trail").GetAuditRecords(Action, Target, Last), true);
    }
}
