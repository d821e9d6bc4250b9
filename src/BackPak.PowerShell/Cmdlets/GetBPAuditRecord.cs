using System.Collections.Generic;
using System.Management.Automation;
using BackPak.Core.Audit;
using BackPak.Core.Model;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Reads the audit trail of a domain, newest first: the Start, Change, Refusal and End records of every operation
    /// (one command) that changed something through the module.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BPAuditRecord", DefaultParameterSetName = LastSet)]
    [OutputType(typeof(AuditRecord))]
    public sealed class GetBPAuditRecordCommand : BPDomainCmdlet
    {
        private const string LastSet = "Last";
        private const string AllSet = "All";
        private const int DefaultLast = 100;

        /// <summary>Only records of these actions (cmdlet-style, e.g. Remove-BPVolume; wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [Selection]
        [ArgumentCompleter(typeof(AuditActionCompleter))]
        public string[]? Action { get; set; }

        /// <summary>Only records about these targets or anything under them: DS02 finds DS02/AB1234 too; wildcards allowed.</summary>
        [Parameter]
        [Selection]
        public string[]? Target { get; set; }

        /// <summary>Only the records of these operations (the OperationId of a result or of another record).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Selection]
        [ArgumentCompleter(typeof(OperationIdCompleter))]
        public string[]? OperationId { get; set; }

        /// <summary>Only records of these kinds: Start, Change, Refusal, End.</summary>
        [Parameter]
        public AuditKind[]? Kind { get; set; }

        /// <summary>How many records at most (newest first). The default is 100, with a warning when more match.</summary>
        [Parameter(ParameterSetName = LastSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; } = DefaultLast;

        /// <summary>Every matching record.</summary>
        [Parameter(ParameterSetName = AllSet, Mandatory = true)]
        public SwitchParameter All { get; set; }

        private readonly List<string> _piped = new List<string>();

        protected override void ProcessBackPakRecord()
        {
            if (!IsPiped(nameof(OperationId)) || OperationId == null) return;
            foreach (var id in OperationId) if (!string.IsNullOrWhiteSpace(id) && !_piped.Contains(id)) _piped.Add(id);
        }

        protected override void EndBackPak()
        {
            // Objects piped in select by their OperationId; piped objects that carry none select nothing, never everything.
            bool byPipeline = MyInvocation.ExpectingInput && !IsGiven(nameof(OperationId));
            if (byPipeline && _piped.Count == 0)
            {
                WriteVerbose("No piped object carried an OperationId: no audit record is selected.");
                return;
            }
            var query = new AuditQuery
            {
                Actions = Action, Targets = Target, Kinds = Kind,
                OperationIds = byPipeline ? _piped : OperationId,
                Last = All ? (int?)null : Last,
            };
            var found = AuditTrail.Find(Capabilities.Require<IAuditSink>(BackPak, "reading the audit trail"), query);
            WriteObject(found.Records, true);
            if (found.More && !All && !IsGiven(nameof(Last)))
                WriteWarning($"Showing the newest {found.Records.Count} of {found.Matching} matching audit records on {BackPak.Node}. " +
                             "Use -Last <n> or -All for more, or narrow with -OperationId, -Target, -Action or -Kind.");
        }
    }
}
