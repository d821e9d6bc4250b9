using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>
    /// What the removal cmdlets share: -IgnoreRetention, -Force, -PassThru, one summary confirmation for a whole
    /// pipeline, -WhatIf that names every target, progress, and per-volume results and errors.
    /// </summary>
    public abstract class BPRemovalCmdlet : BPDomainCmdlet
    {
        /// <summary>Delete volumes that still hold non-expired data (the manual refuses them, R13).</summary>
        [Parameter]
        public SwitchParameter IgnoreRetention { get; set; }

        /// <summary>Skips the confirmation prompt. Never skips a safety rule.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emits a result object per volume (or per volume group / data store).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected VolumeRemovalOptions Options(Action<int>? progress = null) =>
            new VolumeRemovalOptions { IgnoreRetention = IgnoreRetention, Progress = progress };

        /// <summary>-WhatIf given, or $WhatIfPreference set.</summary>
        protected bool WhatIfActive
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)) return ((SwitchParameter)w).IsPresent;
                var pref = GetVariableValue("WhatIfPreference");
                return pref is SwitchParameter s ? s.IsPresent : pref is bool b && b;
            }
        }

        /// <summary>
        /// Whether a prompt or a -WhatIf listing will be shown, the only uses of the per-volume counts (which cost a
        /// look at every file and entry). Mirrors ShouldProcess: -Confirm, else $ConfirmPreference against High.
        /// </summary>
        protected bool WillPrompt
        {
            get
            {
                if (WhatIfActive) return true;
                if (Force) return false;
                if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var c)) return ((SwitchParameter)c).IsPresent;
                return GetVariableValue("ConfirmPreference") is ConfirmImpact pref && pref != ConfirmImpact.None && pref <= ConfirmImpact.High;
            }
        }

        /// <summary>
        /// The one confirmation of a removal. Under -WhatIf every target is listed, then the totals, and false is
        /// returned; otherwise one prompt (ConfirmImpact High) for the whole set, unless -Force.
        /// </summary>
        protected bool ConfirmRemoval(IEnumerable<string> targets, string action, string summary)
        {
            if (WhatIfActive)
            {
                foreach (var t in targets) ShouldProcess(t, action);
                ShouldProcess(summary, action);
                return false;
            }
            return Force || ShouldProcess(summary, action);
        }

        /// <summary>Removes volumes of one domain, reporting progress, results and errors as they come.</summary>
        protected void RunVolumeRemoval(IDomainReader domain, IReadOnlyList<string> labels, string activity)
        {
            var remover = Capabilities.Require<IVolumeRemover>(domain, "volume removal");
            var record = new ProgressRecord(2, activity, $"Removing {labels.Count} volume(s) on {domain.Node}");
            int done = 0;
            try
            {
                foreach (var r in remover.RemoveVolumes(labels, Options()))
                {
                    done++;
                    ReportVolume(r);
                    if (done % 50 == 0 || done == labels.Count)
                    {
                        record.PercentComplete = (int)(100L * done / Math.Max(1, labels.Count));
                        record.StatusDescription = $"{done} of {labels.Count} volume(s) on {domain.Node}";
                        WriteProgress(record);
                    }
                }
            }
            catch (PipelineStoppedException)
            {
                // Ctrl-C: the pipeline's streams are closed, so the host is told directly how far the removal got. A
                // provider removes in batches and reports a batch once it is committed, so what was reported may lag what
                // was removed: the volumes still there are counted instead. Each volume's removal is journaled: the one in
                // flight is completed by the next removal of the same volumes.
                string removed = RemovedSoFar(domain, labels) is int n ? n.ToString() : "at least " + done;
                Host?.UI?.WriteWarningLine($"{activity} stopped: {removed} of {labels.Count} volume(s) removed on {domain.Node}. " +
                    "Run the same command again to complete it: the volume whose removal was under way is finished first (volumes already removed, if named by label, are reported as not found).");
                throw;
            }
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }

        /// <summary>How many of the labels are no longer in the domain; null when that cannot be read now.</summary>
        private static int? RemovedSoFar(IDomainReader domain, IReadOnlyList<string> labels)
        {
            try
            {
                int present = 0;
                for (int i = 0; i < labels.Count; i += 200)
                    present += domain.GetVolumes(new VolumeQuery { Labels = labels.Skip(i).Take(200).Select(Labels.ParsePattern).ToList() }).Count();
                return labels.Count - present;
            }
            catch (Exception e) when (e is BackPakException || e is System.IO.IOException || e is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>One volume's outcome: an error for a refusal or failure, a verbose line, and the result with -PassThru.</summary>
        protected void ReportVolume(VolumeRemovalResult r)
        {
            if (r.Error != null) WriteBackPakError(r.Error, r, DomainSessions.Find(r.Origin)?.Domain as IAuditSink);
            else WriteVerbose($"{r.Label} on {r.Node}: {r.Status}{(r.Resumed ? " (finished an interrupted removal, run " + r.RunId + ")" : "")}; " +
                              $"storage {r.Storage} ({r.StorageFilesRemoved} file(s)), tape catalog {r.TapeCatalog}, BackPak entry {r.BackPakCatalog}.");
            if (PassThru) WriteObject(r);
        }

        protected static string Plural(int n, string one, string many) => n == 1 ? "1 " + one : n + " " + many;

        protected static string Totals(IReadOnlyCollection<VolumeRemovalPlan> plans) =>
            $"{Plural(plans.Count, "volume", "volumes")} ({Plural(plans.Sum(p => p.StorageFiles), "storage file", "storage files")}, " +
            $"{Plural(plans.Sum(p => p.CatalogEntries), "catalog entry", "catalog entries")})";
    }
}
