using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.Core.Audit
{
    /// <summary>
    /// The names of audit actions: one style, cmdlet-style (Remove-BPVolume), for the commands and the changes they make.
    /// Records written before that style (RemoveVolume, LabBackup) are read under the new name, so an old lab's trail
    /// reads like a new one's and one -Action finds both.
    /// </summary>
    public static class AuditActions
    {
        public const string RemoveVolume = "Remove-BPVolume";
        public const string RemoveVolumeGroup = "Remove-BPVolumeGroup";
        public const string RemoveDataStore = "Remove-BPDataStore";
        /// <summary>The export files of a removed store deleted from the staging area (a step of its decommission).</summary>
        public const string RemoveStagingFile = "Remove-BPStagingFile";
        public const string RemoveEncryptionKey = "Remove-BPEncryptionKey";
        public const string SetDataStore = "Set-BPDataStore";
        public const string SuspendCatalogExport = "Suspend-BPCatalogExport";
        public const string ResumeCatalogExport = "Resume-BPCatalogExport";
        /// <summary>A catalog export, started by hand or by the domain's own due work after backups.</summary>
        public const string StartCatalogExport = "Start-BPCatalogExport";
        public const string StartCatalogImport = "Start-BPCatalogImport";
        public const string RegisterTransportVolume = "Register-BPTransportVolume";
        public const string BackupStagingArea = "Backup-BPStagingArea";
        public const string RestoreStagingArea = "Restore-BPStagingArea";
        public const string StopRoleSwitchRun = "Stop-BPRoleSwitchRun";
        public const string InvokeLabBackup = "Invoke-BPLabBackup";
        public const string StartLabBackup = "Start-BPLabBackup";
        public const string StopLabRestore = "Stop-BPLabRestore";
        public const string InvokeLabDailyBatch = "Invoke-BPLabDailyBatch";

        private static readonly Dictionary<string, string> Legacy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["RemoveVolume"] = RemoveVolume,
            ["RemoveVolumeGroup"] = RemoveVolumeGroup,
            ["RemoveDataStore"] = RemoveDataStore,
            ["RemoveStagingFiles"] = RemoveStagingFile,
            ["SetDataStore"] = SetDataStore,
            ["SuspendCatalogExport"] = SuspendCatalogExport,
            ["ResumeCatalogExport"] = ResumeCatalogExport,
            ["CatalogExport"] = StartCatalogExport,
            ["CatalogImport"] = StartCatalogImport,
            ["AbandonRoleSwitch"] = StopRoleSwitchRun,
            ["LabBackup"] = InvokeLabBackup,
            ["StartLabBackup"] = StartLabBackup,
            ["StopLabRestore"] = StopLabRestore,
            ["LabDailyBatch"] = InvokeLabDailyBatch,
        };

        /// <summary>The names of the changes the module records (completion offers them, with the commands' own names).</summary>
        public static IReadOnlyList<string> Known { get; } = Legacy.Values.Concat(new[] { RemoveEncryptionKey })
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();

        /// <summary>An action under its current name: an old name (RemoveVolume) becomes Remove-BPVolume; others are kept.</summary>
        public static string Current(string action) => Legacy.TryGetValue(action, out var name) ? name : action;

        /// <summary>The kind an old record (written before kinds were) has, from its result.</summary>
        public static AuditKind LegacyKind(string result) => result switch
        {
            "Started" => AuditKind.Start,
            "Refused" => AuditKind.Refusal,
            _ => AuditKind.Change,
        };
    }

    /// <summary>
    /// Which audit records to read. Every given filter must hold: actions and operation ids by name or wildcard; targets
    /// hierarchically and by wildcard (DS02 is the store and everything under it: DS02/AB1234, DS02/GRP1); kinds.
    /// </summary>
    public sealed class AuditQuery
    {
        public IReadOnlyList<string>? Actions { get; init; }
        public IReadOnlyList<string>? Targets { get; init; }
        public IReadOnlyList<string>? OperationIds { get; init; }
        public IReadOnlyList<AuditKind>? Kinds { get; init; }
        /// <summary>At most this many of the newest matching records; null: all of them.</summary>
        public int? Last { get; init; }

        public bool Matches(AuditRecord r) =>
            (Actions == null || Actions.Any(a => NameMatches(AuditActions.Current(a), r.Action)))
            && (OperationIds == null || OperationIds.Any(o => NameMatches(o, r.OperationId)))
            && (Kinds == null || Kinds.Contains(r.Kind))
            && (Targets == null || Targets.Any(t => TargetMatches(t, r.Target)));

        private static bool NameMatches(string pattern, string value) =>
            Wildcard.IsPattern(pattern) ? Wildcard.Matches(pattern, value) : string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Whether a target is <paramref name="pattern"/> or lies under it: the pattern (a name or a wildcard) matches the
        /// whole target or the part of it before one of its '/'. DS02 finds DS02 and DS02/AB1234, not DS021; DS0? finds
        /// DS02/AB1234 too; DS02/AB* finds the volumes of DS02 whose labels begin with AB.
        /// </summary>
        public static bool TargetMatches(string pattern, string target)
        {
            if (NameMatches(pattern, target)) return true;
            for (int i = target.IndexOf('/'); i >= 0; i = target.IndexOf('/', i + 1))
                if (NameMatches(pattern, target.Substring(0, i))) return true;
            return false;
        }

        /// <summary>The top of a hierarchical target: DS02 for DS02/AB1234.</summary>
        public static string TopOf(string target)
        {
            int i = target.IndexOf('/');
            return i < 0 ? target : target.Substring(0, i);
        }

        /// <summary>The operation id, when the query names exactly one without a wildcard (a provider can look it up directly).</summary>
        public string? SingleOperationId =>
            OperationIds != null && OperationIds.Count == 1 && !Wildcard.IsPattern(OperationIds[0]) ? OperationIds[0] : null;
    }

    /// <summary>The records a query selected, and how many matched in all (more than were returned when -Last cut them).</summary>
    public sealed class AuditSelection
    {
        public AuditSelection(IReadOnlyList<AuditRecord> records, long matching) { Records = records; Matching = matching; }
        public IReadOnlyList<AuditRecord> Records { get; }
        public long Matching { get; }
        public bool More => Matching > Records.Count;
    }

    /// <summary>Reads a domain's audit trail.</summary>
    public static class AuditTrail
    {
        /// <summary>The newest records matching <paramref name="query"/>, newest first, with the number that matched in all.</summary>
        public static AuditSelection Find(IAuditSink domain, AuditQuery query)
        {
            var kept = new List<AuditRecord>();
            long matching = 0;
            foreach (var r in domain.GetAuditRecords(query.SingleOperationId))
            {
                if (!query.Matches(r)) continue;
                matching++;
                if (query.Last == null || kept.Count < query.Last.Value) kept.Add(r);
            }
            return new AuditSelection(kept, matching);
        }
    }
}

namespace BackPak.Core.Audit
{
    /// <summary>The target of a record, hierarchical, for what an error or a change is about.</summary>
    public static class AuditTargets
    {
        /// <summary>DS02/AB1234 for a volume, DS02/GRP1 for a volume group, DS02 for a data store; a name as it is; else "".</summary>
        public static string Of(object? target) => target switch
        {
            null => "",
            string s => s,
            Volume v => v.DataStore + "/" + v.Label,
            VolumeGroup g => g.DataStore + "/" + g.Name,
            DataStore d => d.Name,
            Removal.VolumeRemovalResult r => r.DataStore + "/" + r.Label,
            Removal.DecommissionResult d => d.VolumeGroup == null ? d.DataStore : d.DataStore + "/" + d.VolumeGroup,
            System.Collections.IEnumerable list => string.Join(", ", list.Cast<object?>().Take(10).Select(Of)),
            _ => "",
        };
    }
}
