using System;
using System.IO;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Writes the plan of a switch as a runbook a person can follow without the module: every step in order with the
    /// GUI page and action or the TACL command, how to check it, and its source in the manual. It needs no connection:
    /// the plan depends only on the store and the two nodes, so a change ticket can be written before a site is reached.
    /// </summary>
    [Cmdlet(VerbsData.Export, "BPRunbook", SupportsShouldProcess = true, DefaultParameterSetName = NamesSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportBPRunbookCommand : BPCmdlet
    {
        private const string NamesSet = "RoleSwitch";
        private const string PlanSet = "Plan";

        /// <summary>The plan, from Get-BPRoleSwitchPlan.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PlanSet)]
        public RoleSwitchPlan? InputObject { get; set; }

        /// <summary>Store ID of the data store to switch.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamesSet)]
        [ValidateNotNullOrEmpty]
        public string DataStore { get; set; } = "";

        /// <summary>The node whose store is PRIMARY now, such as \PROD1.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NamesSet)]
        [ValidateNotNullOrEmpty]
        public string Primary { get; set; } = "";

        /// <summary>The node whose store is SECONDARY now.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NamesSet)]
        [ValidateNotNullOrEmpty]
        public string Secondary { get; set; } = "";

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
            if (!Force && File.Exists(_file))
                throw new BackPakException(ErrorIds.RunbookNotWritten, BackPakErrorCategory.ResourceExists,
                    $"The runbook was not written: '{_file}' exists already, and it is not replaced without -Force.", _file,
                    "Give another -Path, or add -Force to replace the file.", stopsInvocation: true);
        }

        protected override void ProcessBackPakRecord()
        {
            RoleSwitchPlan plan;
            if (ParameterSetName == PlanSet) plan = InputObject!;
            else
            {
                string ds = Names.NormalizeDataStore(DataStore), p = Names.NormalizeNode(Primary), s = Names.NormalizeNode(Secondary);
                if (string.Equals(p, s, StringComparison.OrdinalIgnoreCase))
                    throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                        $"-Primary and -Secondary are the same node ({p}).", s,
                        "Give the two sides of the switch, e.g. -Primary '\\A' -Secondary '\\B'.", stopsInvocation: true);
                plan = RoleSwitch.Plan(ds, p, s);
            }
            // One file: a second piped plan would replace the first.
            if (++_written > 1)
                throw new BackPakException(ErrorIds.RunbookNotWritten, BackPakErrorCategory.InvalidArgument,
                    $"The runbook of {plan.DataStore} was not written: '{_file}' holds the runbook of the first plan piped, and one file holds one runbook.",
                    _file, "Export each plan to its own file: ... | ForEach-Object { $_ | Export-BPRunbook -Path \"switch-$($_.DataStore).md\" }.");
            var book = Runbook.ForRoleSwitch(plan);
            if (!ShouldProcess(_file, $"Write the runbook '{book.Title}'")) return;
            try
            {
                FileSystemPaths.WriteReplacing(_file, Force, w => RunbookWriter.Markdown(book, w, Environment.UserName, DateTime.UtcNow));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new BackPakException(ErrorIds.RunbookNotWritten, BackPakErrorCategory.WriteError,
                    $"The runbook was not written to '{_file}': {e.Message}", _file,
                    "Check that the folder exists and can be written, then run the command again.", stopsInvocation: true, e);
            }
            WriteObject(new FileInfo(_file));
        }
    }
}
