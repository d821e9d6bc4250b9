using System;
using System.Management.Automation;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Abandons an unfinished switch run: records why, releases the data store (the fence of the run), and says how each
    /// side is left and what to do next. Refused while the process running it lives. Works on a damaged journal.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "BPRoleSwitchRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RoleSwitchReport), typeof(SiteSwitchReport))]
    public sealed class StopBPRoleSwitchRunCommand : BPDomainCmdlet
    {
        /// <summary>The run to abandon; binds from Get-BPRoleSwitchRun.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = "";

        /// <summary>Why the run is abandoned: recorded in its journal and the audit trail.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Reason { get; set; } = "";

        protected override void ProcessBackPakRecord()
        {
            try
            {
                string id = ProcedureRunner.RequireRunId(RunId);
                var journal = SwitchContexts.FindRun(id, Domain);
                if (ProcedureKind.Of(id) == ProcedureKind.SiteSwitch)
                {
                    StopSite(journal, id);
                    return;
                }
                var run = ProcedureRunner.AnyReport(journal, id)!;
                string store = run.DataStore.Length > 0 ? run.DataStore : "its data store";
                var kind = ProcedureKind.Of(id);
                string target = $"run {id}: " + (run.Primary.Length > 0 ? kind.Describe(store, run.Primary, run.Secondary, article: "").Trim() : $"{kind.Noun} of {store}") + $" ({run.Status}) in {journal.Location}";
                if (!ShouldProcess(target, $"Abandon the run and release {store} (it cannot be resumed afterwards)")) return;
                var report = ProcedureRunner.Abandon(journal, id, Reason, Environment.UserName,
                    (ds, p, s) => SwitchContexts.Sides(journal.Location, ds, p, s));
                AuditStop(journal, report);
                WriteWarning(report.Message);
                WriteObject(report);
            }
            catch (BackPakException e) when (e.StopsInvocation && MyInvocation.ExpectingInput)
            {
                // One piped run that cannot be abandoned does not stop the others.
                WriteBackPakError(new BackPakException(e.ErrorId, e.Category, e.Message, e.Target, e.RecommendedAction, false, e));
            }
        }

        /// <summary>A site run is given up as a whole: every store's unfinished run, then the site run.</summary>
        private void StopSite(IRunJournalStore journal, string id)
        {
            var site = SiteSwitch.Report(journal, id)!;
            string target = $"site run {id}: switch of {string.Join(", ", site.DataStores)} from {site.Primary} to {site.Secondary} ({site.Status}) in {journal.Location}";
            if (!ShouldProcess(target, "Abandon the run and release its data stores (it cannot be resumed afterwards)")) return;
            var (report, abandoned) = SiteSwitch.Abandon(journal, id, Reason, Environment.UserName, (ds, p, s) => SwitchContexts.Sides(journal.Location, ds, p, s));
            foreach (var store in abandoned) AuditStop(journal, store);
            WriteWarning(report.Message);
            WriteObject(report);
        }

        /// <summary>Each side of an abandoned run keeps a record of it in its audit trail.</summary>
        private static void AuditStop(IRunJournalStore journal, RoleSwitchReport report)
        {
            foreach (var side in report.Sides ?? new System.Collections.Generic.List<RoleSwitchSide>())
            {
                try
                {
                    (SwitchContexts.Connection(journal.Location, side.Node).Domain as IAuditSink)?.Audit(new AuditEntry
                    {
                        Action = AuditActions.StopRoleSwitchRun, Target = report.DataStore, Result = "Done", Detail = $"run {report.RunId}: {report.Reason}",
                        User = Environment.UserName,
                    });
                }
                catch (BackPakException) { } // a side that is not connected keeps no record of it; the journal does
            }
        }
    }
}
