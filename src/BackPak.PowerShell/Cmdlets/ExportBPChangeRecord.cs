using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Writes the change record of one operation (one command) to a file an operator attaches to a change ticket: who,
    /// where, when, what changed, what was refused, how it ended. Markdown, JSON or CSV by the file's extension.
    /// </summary>
    [Cmdlet(VerbsData.Export, "BPChangeRecord", SupportsShouldProcess = true, DefaultParameterSetName = ByIdSet)]
    [OutputType(typeof(ChangeRecord))]
    public sealed class ExportBPChangeRecordCommand : BPCmdlet
    {
        private const string ByIdSet = "OperationId";
        private const string PipedSet = "InputObject";

        /// <summary>The operation: the OperationId of a result or of an audit record. Its records are read from every connected domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(OperationIdCompleter))]
        public string OperationId { get; set; } = "";

        /// <summary>Audit records of one operation, from Get-BPAuditRecord.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipedSet)]
        public AuditRecord[]? InputObject { get; set; }

        /// <summary>The file to write: .md (Markdown, for a ticket), .json or .csv.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Replaces a file that exists already (without it, an existing file is never overwritten).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Also returns the change record as an object.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Writing a file changes nothing of BackPak: its errors are not refusals for the audit trail.</summary>
        protected override bool RecordsRefusals => false;

        private readonly List<AuditRecord> _piped = new List<AuditRecord>();
        private string _file = "";
        private ChangeRecordFormat _format;

        protected override void BeginBackPak()
        {
            _file = FileSystemPath(Path, nameof(Path), ErrorIds.ChangeRecordNotWritten);
            _format = ChangeRecordWriter.FormatOf(_file);
            FileSystemPaths.RefuseToReplace(_file, Force, ErrorIds.ChangeRecordNotWritten, "change record");
        }

        protected override void ProcessBackPakRecord()
        {
            if (InputObject != null) _piped.AddRange(InputObject.Where(r => r != null));
        }

        protected override void EndBackPak()
        {
            var record = ChangeRecord.From(ParameterSetName == PipedSet ? _piped : Read(OperationId));
            if (!ShouldProcess(_file, $"Write the change record of operation {record.OperationId} ({record.Command}, {record.Outcome}) as {_format}")) return;
            Write(record);
            if (PassThru) WriteObject(record);
        }

        /// <summary>The operation's records on every connected domain: an operation can change both sides of a store.</summary>
        private List<AuditRecord> Read(string id)
        {
            var open = DomainSessions.All.Where(c => c.IsOpen).ToList();
            if (open.Count == 0)
                throw new BackPakException(ErrorIds.NoDomainConnected, BackPakErrorCategory.ResourceUnavailable,
                    "No BackPak domain is connected in this session, so no audit trail can be read.", id,
                    $"Connect the domains the operation ran on: {ConnectAdvice.Command(null, null, "\\A")}.", stopsInvocation: true);
            var query = new AuditQuery { OperationIds = new[] { id } };
            var records = open.Select(c => c.Domain).OfType<BackPak.Core.Providers.IAuditSink>().SelectMany(d => AuditTrail.Find(d, query).Records).ToList();
            if (records.Count == 0)
                throw new BackPakException(ErrorIds.OperationNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No audit record of operation '{id}' is in the audit trail of {string.Join(" or ", open.Select(c => c.Node))}.", id,
                    "Check the id (the OperationId of the command's result or of its audit records; Tab completes the recent ones), " +
                    "and connect the domain it ran on.", stopsInvocation: true);
            return records;
        }

        /// <summary>Writes beside the target and moves into place, so a failure never leaves half a file nor replaces a good one.</summary>
        private void Write(ChangeRecord record) =>
            FileSystemPaths.Write(_file, Force, ErrorIds.ChangeRecordNotWritten, "change record", w => ChangeRecordWriter.Write(record, _format, w));
    }
}
