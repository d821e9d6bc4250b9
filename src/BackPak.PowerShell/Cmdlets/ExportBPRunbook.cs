using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Writes the plan of a switch, or of a decommission, as a runbook a person can follow without the module: every step in order with the
    /// GUI page and action or the TACL command, how to check it, and its source in the manual. It needs no connection:
    /// the plan depends only on the store and the two nodes, so a change ticket can be written before a site is reached.
    /// </summary>
    [Cmdlet(VerbsData.Export, "BPRunbook", SupportsShouldProcess = true, DefaultParameterSetName = NamesSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportBPRunbookCommand : BPCmdlet
    {
        private const string NamesSet = "RoleSwitch";
        private const string PlanSet = "Plan";
        private const string DecommissionSet = "Decommission";

        /// <summary>The plan, from Get-BPRoleSwitchPlan.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PlanSet)]
        public RoleSwitchPlan? InputObject { get; set; }

        /// <summary>The runbook of a decommission (Remove-BPDataStore -Recurse) instead of a switch.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DecommissionSet)]
        public SwitchParameter Decommission { get; set; }

        /// <summary>Store ID of the data store to switch or decommission.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamesSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = DecommissionSet)]
        [ValidateNotNullOrEmpty]
        public string DataStore { get; set; } = "";

        /// <summary>The node whose store is PRIMARY now, such as \PROD1.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NamesSet)]
        [Parameter(Mandatory = true, ParameterSetName = DecommissionSet)]
        [ValidateNotNullOrEmpty]
        public string Primary { get; set; } = "";

        /// <summary>The node whose store is SECONDARY now (for a decommission: its SECONDARY copy, if it has one).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NamesSet)]
        [Parameter(ParameterSetName = DecommissionSet)]
        [ValidateNotNullOrEmpty]
        public string? Secondary { get; set; }

        /// <summary>The decommission also destroys the store's encryption keys.</summary>
        [Parameter(ParameterSetName = DecommissionSet)]
        public SwitchParameter DestroyKeys { get; set; }

        /// <summary>What the decommission leaves: StagingArea, Replicas.</summary>
        [Parameter(ParameterSetName = DecommissionSet)]
        public BackPak.Core.Removal.DecommissionKeep[]? Keep { get; set; }

        /// <summary>The Markdown file to write.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Replaces a file that exists already (without it, an existing file is never overwritten).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writing a file changes nothing of BackPak: its errors are not refusals for the audit trail.</summary>
        protected override bool RecordsRefusals => false;

        private string _file = "";
        private int _written;

        protected override void BeginBackPak()
        {
            _file = FileSystemPath(Path, nameof(Path), ErrorIds.RunbookNotWritten);
            if (!string.Equals(System.IO.Path.GetExtension(_file), ".md", StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.RunbookNotWritten, BackPakErrorCategory.InvalidArgument,
                    $"The runbook was not written: '{_file}' is not a .md file; a runbook is written as Markdown.", _file,
                    "Give -Path a file name ending in .md, such as ./switch-DS01.md.", stopsInvocation: true);
            FileSystemPaths.RefuseToReplace(_file, Force, ErrorIds.RunbookNotWritten, "runbook");
        }

        /// <summary>
        /// A storage link registered for the store in this session (of the default domain's estate when one is connected):
        /// the run of Remove-BPDataStore -Recurse then stops at the replicas step, and the runbook says so.
        /// </summary>
        private static string? RegisteredStorageLink(string ds)
        {
            var links = ReplicationLinkRegistry.All.Where(r => r.Kind == ReplicationLinkKind.Storage && string.Equals(r.DataStore, ds, StringComparison.OrdinalIgnoreCase)).ToList();
            var here = DomainSessions.Default?.Location;
            return (links.FirstOrDefault(r => r.Location == here) ?? links.FirstOrDefault())?.Description;
        }

        protected override void ProcessBackPakRecord()
        {
            Runbook book;
            if (ParameterSetName == PlanSet) book = Runbook.ForRoleSwitch(InputObject!);
            else
            {
                string ds = Names.NormalizeDataStore(DataStore), p = Names.NormalizeNode(Primary);
                string? s = Secondary == null ? null : Names.NormalizeNode(Secondary);
                if (string.Equals(p, s, StringComparison.OrdinalIgnoreCase))
                    throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                        $"-Primary and -Secondary are the same node ({p}).", s,
                        "Give the two sides of the store, e.g. -Primary '\\A' -Secondary '\\B'.", stopsInvocation: true);
                book = ParameterSetName == DecommissionSet
                    ? DecommissionRunbook.For(ds, p, s, DestroyKeys, (Keep ?? new BackPak.Core.Removal.DecommissionKeep[0]).Aggregate(BackPak.Core.Removal.DecommissionKeep.None, (a, k) => a | k),
                        RegisteredStorageLink(ds))
                    : Runbook.ForRoleSwitch(RoleSwitch.Plan(ds, p, s!));
            }
            // One file: a second piped plan would replace the first.
            if (++_written > 1)
                throw new BackPakException(ErrorIds.RunbookNotWritten, BackPakErrorCategory.InvalidArgument,
                    $"The runbook of {book.DataStore} was not written: '{_file}' holds the runbook of the first plan piped, and one file holds one runbook.",
                    _file, "Export each plan to its own file: ... | ForEach-Object { $_ | Export-BPRunbook -Path \"switch-$($_.DataStore).md\" }.");
            if (!ShouldProcess(_file, $"Write the runbook '{book.Title}'")) return;
            FileSystemPaths.Write(_file, Force, ErrorIds.RunbookNotWritten, "runbook", w => RunbookWriter.Markdown(book, w, Environment.UserName, DateTime.UtcNow));
            WriteObject(new FileInfo(_file));
        }
    }
}
