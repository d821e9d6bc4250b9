using System;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Procedures
{
    /// <summary>A change of a data store that a switch in progress may refuse.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum StoreChange
    {
        /// <summary>A backup that writes volumes, or one that starts (load for output).</summary>
        Backup,
        /// <summary>The end of a backup that was running when the switch started (the unload that writes it).</summary>
        FinishBackup,
        /// <summary>The daily batch: DSM/TC status changes and their export updates.</summary>
        DailyBatch,
        /// <summary>Removal of volumes, volume groups or the data store itself.</summary>
        Removal,
        /// <summary>Any setting of the data store (domain access, status, staging area, export and import settings).</summary>
        Settings,
        /// <summary>Suspending or resuming catalog export.</summary>
        ExportControl,
        /// <summary>An export started by the operator.</summary>
        Export,
        /// <summary>An import started by the operator.</summary>
        Import,
    }

    /// <summary>
    /// The fence a switch puts around its data store. While a run of a switch is not finished (its lock exists, killed,
    /// failed or waiting for the operator included), every other change of the store is refused on every node: a
    /// volume removed or a backup written between the last FULL export and the demotion would otherwise be lost. The
    /// run's own steps pass through: the runner opens a pass for its run around each step. The one exception is the
    /// end of a backup that was already running: the switch's first step waits for it, so it may finish until the run
    /// starts its last FULL export. Providers call <see cref="Check"/> before each change; the rule is here.
    /// </summary>
    public static class StoreFence
    {
        /// <summary>The step of the switch from which a running backup may no longer end (its data would miss the last FULL export).</summary>
        public const string FinishBackupUntilStep = "final-full-export";

        private static readonly AsyncLocal<string?> CurrentPass = new AsyncLocal<string?>();

        /// <summary>The run whose steps run on this flow now, or null.</summary>
        public static string? Pass => CurrentPass.Value;

        /// <summary>Lets the changes made until disposal through the fence of this run (the runner's own steps).</summary>
        public static IDisposable Enter(string runId)
        {
            var before = CurrentPass.Value;
            CurrentPass.Value = runId;
            return new Restore(before);
        }

        /// <summary>The subject of the lock of a data store that a switch or a decommission holds while it runs (one procedure of a store at a time).</summary>
        public static string SwitchSubject(string dataStore) => "switch-" + dataStore.ToUpperInvariant();

        /// <summary>Refuses (throws SwitchInProgress, terminating) a change of the store while a switch of it is not finished.</summary>
        public static void Check(IRunJournalStore journal, string dataStore, string node, StoreChange change)
        {
            var refusal = Refusal(journal, dataStore, node, change);
            if (refusal != null) throw refusal;
        }

        /// <summary>Why the change is refused now, or null.</summary>
        public static BackPakException? Refusal(IRunJournalStore journal, string dataStore, string node, StoreChange change)
        {
            var l = journal.ActiveRun(SwitchSubject(dataStore));
            if (l == null || (l.RunId.Length > 0 && Pass == l.RunId) || ProcedureRunner.Ended(journal, l)) return null;
            var kind = ProcedureKind.Of(l.RunId);
            if (change == StoreChange.FinishBackup && kind == ProcedureKind.Switch && l.Damage == null && Before(journal, l.RunId, FinishBackupUntilStep)) return null;
            string run = l.RunId.Length > 0 ? "run " + l.RunId : "a run whose lock cannot be read";
            string stop = l.RunId.Length > 0 ? $"Stop-BPRoleSwitchRun -RunId {l.RunId} -Reason <why>" : $"Stop-BPRoleSwitchRun -DataStore {dataStore} -Reason <why>";
            string doing = kind == ProcedureKind.Decommission
                ? $"is decommissioning {dataStore}" + (l.Primary.Length > 0 ? $" on {l.Primary}" + (l.Secondary.Length > 0 ? " and " + l.Secondary : "") : "")
                : kind == ProcedureKind.Recovery ? $"is recovering {dataStore}" + (l.Secondary.Length > 0 ? $" at {l.Secondary} ({l.Primary} lost)" : "")
                : kind == ProcedureKind.Reprotect ? $"is reprotecting {dataStore}" + (l.Secondary.Length > 0 ? $" (making {l.Secondary} the SECONDARY of {l.Primary})" : "")
                : $"is switching {dataStore}" + (l.Primary.Length > 0 ? $" from {l.Primary} to {l.Secondary}" : "");
            return new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                $"{Describe(change)} of data store {dataStore} on {node} is refused: {run} {doing} and is not finished. " +
                "Until it ends, nothing else may change the store on either side.",
                dataStore,
                l.RunId.Length == 0 ? $"Abandon it: {stop}."
                : kind != ProcedureKind.Switch ? $"Let the run finish, or complete it ({kind.ResumeAdvice(l.RunId)}), or abandon it ({stop})."
                : $"Let the run finish (Get-BPRoleSwitchRun -RunId {l.RunId} shows where it is), resume it (Invoke-BPRoleSwitch -Resume {l.RunId}), or abandon it ({stop}).",
                stopsInvocation: true);
        }

        /// <summary>Whether the run's journal shows for sure that it has not reached the step (a journal that cannot be read shows nothing for sure).</summary>
        private static bool Before(IRunJournalStore journal, string runId, string step)
        {
            var content = journal.Read(runId);
            return content.Records.Count > 0 && content.UnreadableLines.Count == 0 && content.Records[0].Type == "run"
                   && !content.Records.Any(r => r.Type == "step" && string.Equals(r.Step, step, StringComparison.Ordinal));
        }

        private static string Describe(StoreChange c) => c switch
        {
            StoreChange.Backup => "A backup",
            StoreChange.FinishBackup => "The end of a running backup",
            StoreChange.DailyBatch => "The daily batch",
            StoreChange.Removal => "A removal",
            StoreChange.Settings => "A change of settings",
            StoreChange.ExportControl => "Suspending or resuming catalog export",
            StoreChange.Export => "A catalog export",
            _ => "A catalog import",
        };

        private sealed class Restore : IDisposable
        {
            private readonly string? _before;
            public Restore(string? before) { _before = before; }
            public void Dispose() => CurrentPass.Value = _before;
        }
    }
}
