using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists switch runs (and recovery runs, which share their journals) from their journals and locks, with their steps and how they ended.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRoleSwitchRun")]
    [OutputType(typeof(RoleSwitchReport), typeof(RecoveryReport))]
    public sealed class GetBPRoleSwitchRunCommand : BPDomainCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Selection]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string[]? RunId { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var journal = Capabilities.Require<IRunJournalSource>(BackPak, "reading the runs of procedures").RunJournal;
            if (RunId == null)
            {
                var recoveries = journal.RunIds().Where(id => ProcedureKind.Of(id) == ProcedureKind.Recovery)
                    .Select(id => (ProcedureReport?)Recovery.Report(journal, id)).Where(r => r != null).Select(r => r!);
                WriteObject(ProcedureRunner.Reports(journal).Cast<ProcedureReport>().Concat(recoveries)
                    .OrderBy(r => r.Started).ThenBy(r => r.RunId, System.StringComparer.Ordinal), true);
                return;
            }
            foreach (var id in RunId)
            {
                try
                {
                    ProcedureReport? report = ProcedureKind.Of(ProcedureRunner.RequireRunId(id)) == ProcedureKind.Recovery ? Recovery.Report(journal, id) : ProcedureRunner.Report(journal, id);
                    if (report != null) WriteObject(report);
                    else
                        WriteBackPakError(new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
                            $"No switch run {id} in the journals of {journal.Location}.", id, "Get-BPRoleSwitchRun lists the runs."));
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
