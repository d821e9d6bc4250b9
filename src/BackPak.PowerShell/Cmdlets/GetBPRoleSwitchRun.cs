using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists switch runs from their journals and locks, with their steps and how they ended.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRoleSwitchRun")]
    [OutputType(typeof(RoleSwitchReport))]
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
                WriteObject(ProcedureRunner.Reports(journal), true);
                return;
            }
            foreach (var id in RunId)
            {
                try
                {
                    var report = ProcedureRunner.Report(journal, id);
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
