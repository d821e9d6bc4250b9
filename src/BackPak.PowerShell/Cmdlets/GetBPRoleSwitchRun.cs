using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists switch runs (and recovery and reprotect runs, which share their journals) from their journals and locks, with their steps and how they ended.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRoleSwitchRun")]
    [OutputType(typeof(RoleSwitchReport), typeof(RecoveryReport), typeof(ReprotectReport), typeof(SiteSwitchReport))]
    public sealed class GetBPRoleSwitchRunCommand : BPDomainCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Selection]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string[]? RunId { get; set; }

        private static bool Listed(ProcedureKind k) => k == ProcedureKind.Switch || k == ProcedureKind.Recovery || k == ProcedureKind.Reprotect || k == ProcedureKind.SiteSwitch;

        /// <summary>A run's report as its kind has it: a site run's lists its stores' runs.</summary>
        private static (object? Report, System.DateTime Started, string RunId) Read(IRunJournalStore journal, string id)
        {
            if (ProcedureKind.Of(id) == ProcedureKind.SiteSwitch)
            {
                var site = SiteSwitch.Report(journal, id);
                return (site, site?.Started ?? default, id);
            }
            var r = ProcedureRunner.AnyReport(journal, id);
            return (r, r?.Started ?? default, id);
        }

        protected override void ProcessBackPakRecord()
        {
            var journal = Capabilities.Require<IRunJournalSource>(BackPak, "reading the runs of procedures").RunJournal;
            if (RunId == null)
            {
                // Decommission runs share the journal but are read by Remove-BPDataStore and Test-BPDecommission.
                WriteObject(journal.RunIds().Where(id => Listed(ProcedureKind.Of(id)))
                    .Select(id => Read(journal, id)).Where(r => r.Report != null)
                    .OrderBy(r => r.Started).ThenBy(r => r.RunId, System.StringComparer.Ordinal).Select(r => r.Report), true);
                return;
            }
            foreach (var id in RunId)
            {
                try
                {
                    var kind = ProcedureKind.Of(ProcedureRunner.RequireRunId(id));
                    object? report = Listed(kind) ? Read(journal, id).Report : null;
                    if (report != null) WriteObject(report);
                    else if (!Listed(kind))
                        WriteBackPakError(new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
                            $"{id} is the id of a {kind.Noun} run: Get-BPRoleSwitchRun shows switch, site switch, recovery and reprotect runs.", id,
                            "A decommission run is shown by Test-BPDecommission and continued by the same Remove-BPDataStore -Recurse."));
                    else
                        WriteBackPakError(new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
                            $"No {kind.Noun} run {id} in the journals of {journal.Location}.", id, "Get-BPRoleSwitchRun lists the runs."));
                }
                catch (BackPakException e) when (!e.StopsInvocation || e.ErrorId == ErrorIds.SwitchRunNotFound)
                {
                    // A malformed id is one bad item of the list, not a broken invocation.
                    WriteBackPakError(new BackPakException(e.ErrorId, e.Category, e.Message, e.Target, e.RecommendedAction));
                }
            }
        }
    }
}
