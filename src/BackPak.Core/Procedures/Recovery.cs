using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;

namespace BackPak.Core.Procedures
{
    /// <summary>An unplanned takeover as a plan: what will be done at the secondary, step by step, and where each step comes from.</summary>
    public sealed class RecoveryPlan
    {
        public string DataStore { get; init; } = "";
        /// <summary>The node whose store was PRIMARY and is lost.</summary>
        public string Primary { get; init; } = "";
        /// <summary>The node whose SECONDARY store takes over and becomes PRIMARY.</summary>
        public string Secondary { get; init; } = "";
        public IReadOnlyList<StepInfo> Steps { get; init; } = new StepInfo[0];
        /// <summary>What the procedure leaves to the operator outside BackPak.</summary>
        public IReadOnlyList<string> Notes { get; init; } = new string[0];
        public override string ToString() => $"Recover {DataStore} at {Secondary}, {Primary} lost ({Steps.Count} steps)";
    }

    /// <summary>A recovery run: its steps, their status and times, and what the operator must know afterwards.</summary>
    public sealed class RecoveryReport : ProcedureReport
    {
        /// <summary>The volumes whose replica the secondary's timestamp check would refuse (or whose size is wrong), found after the promotion.</summary>
        public List<string> TimestampRefused { get; set; } = new List<string>();
        /// <summary>What to do once the run has ended: the way out for refused volumes, and the new secondary to set up.</summary>
        public string? NextSteps { get; set; }
        public override string ToString() => $"{RunId} recovery of {DataStore} at {Secondary} ({Primary} lost) {Status}";
    }

    /// <summary>Everything a recovery works with. It never needs the lost side.</summary>
    public sealed class RecoveryContext : IProcedureContext
    {
        public string DataStore { get; init; } = "";
        /// <summary>The domain whose store is SECONDARY: the side that takes over.</summary>
        public IBackPakDomain Secondary { get; init; } = null!;
        /// <summary>The node of the store's PRIMARY side, the one that is lost.</summary>
        public string PrimaryNode { get; init; } = "";
        /// <summary>The store's PRIMARY side as it answers now (a connection, or one opened for the check), or null when it cannot be reached.</summary>
        public IDomainReader? Primary { get; init; }
        /// <summary>Why the PRIMARY side could not be asked, when <see cref="Primary"/> is null.</summary>
        public string? PrimaryProblem { get; init; }
        /// <summary>The node the operator typed with -PrimaryLost: that side is lost or fenced. Null: not said.</summary>
        public string? PrimaryLost { get; init; }
        /// <summary>The key servers reachable from the secondary.</summary>
        public IReadOnlyList<IKeyManager> KeyServers { get; init; } = new IKeyManager[0];
        public IRunJournalStore Journal { get; init; } = null!;
        public string User { get; init; } = Environment.UserName;
        public CancellationToken Cancel { get; init; }
        string IProcedureContext.PrimaryNode => PrimaryNode;
        string IProcedureContext.SecondaryNode => Secondary.Node;
    }

    /// <summary>
    /// Recovery at the secondary site after the primary is lost (domain.md §3.5): the manual gives only the rules this
    /// rests on (CS p6, p8, p14; BB p36/34, p80/78), so the sequence is inferred and each step says so. It never reads or
    /// changes the lost side, and refuses to start while that side still answers as PRIMARY, unless the operator says it
    /// is lost or fenced (-PrimaryLost, the node typed again). Every step is idempotent with a check of its end state, so a
    /// run killed anywhere resumes to the end an uninterrupted run reaches.
    /// </summary>
    public static class Recovery
    {
        private const string FullImportAt = "fullImportAt";
        private const string RefusedKey = "timestampRefused";

        public static RecoveryPlan Plan(string dataStore, string primary, string secondary) => new RecoveryPlan
        {
            DataStore = dataStore, Primary = primary, Secondary = secondary,
            Steps = Definition(dataStore, primary, secondary).Select(s => s.Info).ToList(),
            Notes = new[]
            {
                $"{primary} is not read or changed: if it comes back it still says PRIMARY for {dataStore}. Keep it fenced (no backup may run there) until it is made the SECONDARY of {secondary}.",
                $"Storage and key replication: once a new secondary exists, point them from {secondary}'s site to it with their own tools.",
                $"NetBatch: the full-export jobs of {dataStore} now belong on {secondary} [CS p28].",
            },
        };

        /// <summary>
        /// The node of the store's PRIMARY side: the secondary's replication partner as its provider knows it (CS p6),
        /// checked against -PrimaryLost when the operator typed it; the typed node when the provider cannot tell.
        /// </summary>
        public static string ResolvePrimary(IDomainReader secondary, string ds, string? primaryLost)
        {
            string? typed = primaryLost == null ? null : Text.Names.NormalizeNode(primaryLost);
            var partner = RecoveryTest.PrimaryNodeOf(secondary, ds, out var problem);
            if (partner != null && typed != null && !string.Equals(partner, typed, StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.RecoveryPrimaryLostMismatch, BackPakErrorCategory.InvalidArgument,
                    $"-PrimaryLost names {typed}, but the PRIMARY side of {ds} is {partner} (the other side {secondary.Node} knows). Nothing was changed.", typed,
                    $"Type the lost node's name: -PrimaryLost '{partner}'.", stopsInvocation: true);
            if (partner == null && typed != null && string.Equals(typed, secondary.Node, StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.RecoveryPrimaryLostMismatch, BackPakErrorCategory.InvalidArgument,
                    $"-PrimaryLost names {typed}, the node that recovers, not the lost PRIMARY side of {ds}. Nothing was changed.", typed,
                    "Type the lost node's name with -PrimaryLost.", stopsInvocation: true);
            return partner ?? typed ?? throw new BackPakException(ErrorIds.RecoveryPrimaryNotFenced, BackPakErrorCategory.InvalidOperation,
                $"The PRIMARY side of {ds} is not known at {secondary.Node} ({problem}), so BackPak cannot tell that it is lost. Nothing was changed.", ds,
                $"Make sure it is lost or fenced, then name it: Invoke-BPRecovery -DataStore {ds} -Node '{secondary.Node}' -PrimaryLost '<lost node>'.", stopsInvocation: true);
        }

        /// <summary>
        /// Refuses a recovery that must not start (nothing is written then): the store is not SECONDARY at the node that
        /// recovers, -PrimaryLost names another node, or the PRIMARY side is not known to be lost: it still answers as
        /// PRIMARY, or it does not answer (a lost node and a cut link look alike) and -PrimaryLost was not given.
        /// </summary>
        public static void RequireStart(RecoveryContext c)
        {
            string ds = c.DataStore, s = c.Secondary.Node, p = c.PrimaryNode;
            RecoveryTest.RequireSecondary(c.Secondary, ds, recovery: true);
            if (c.PrimaryLost != null && !string.Equals(Text.Names.NormalizeNode(c.PrimaryLost), p, StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.RecoveryPrimaryLostMismatch, BackPakErrorCategory.InvalidArgument,
                    $"-PrimaryLost names {c.PrimaryLost}, but the PRIMARY side of {ds} is {p}. Nothing was changed.", c.PrimaryLost,
                    $"Type the lost node's name: -PrimaryLost '{p}'.", stopsInvocation: true);
            if (c.PrimaryLost != null) return;
            var (access, problem) = c.Primary != null ? RecoveryTest.AnswerOf(c.Primary, ds) : (null, c.PrimaryProblem ?? $"{p} is not connected");
            if (access == DomainAccess.Primary)
                throw new BackPakException(ErrorIds.RecoveryPrimaryNotFenced, BackPakErrorCategory.InvalidOperation,
                    $"{p} still answers as PRIMARY of {ds}: a recovery at {s} now would make two PRIMARY sides, both taking backups. Nothing was changed.", ds,
                    $"If {p} only needs to be switched, use Invoke-BPRoleSwitch {ds} -Primary '{p}' -Secondary '{s}'. If it is lost or fenced (no backup can reach it), say so: Invoke-BPRecovery -DataStore {ds} -Node '{s}' -PrimaryLost '{p}'.",
                    stopsInvocation: true);
            if (access == null)
                throw new BackPakException(ErrorIds.RecoveryPrimaryNotFenced, BackPakErrorCategory.InvalidOperation,
                    $"The PRIMARY side {p} of {ds} could not be asked ({problem}). BackPak cannot tell a lost node from a cut link, and a recovery while {p} still takes backups would make two PRIMARY sides. Nothing was changed.", ds,
                    $"Make sure {p} is lost or fenced, then say so: Invoke-BPRecovery -DataStore {ds} -Node '{s}' -PrimaryLost '{p}'.", stopsInvocation: true);
        }

        /// <summary>Runs (or resumes) a recovery through the run journal; a -ConfirmStep is checked before anything is entered.</summary>
        public static RecoveryReport Run(RecoveryContext c, string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress)
        {
            var steps = Definition(c.DataStore, c.PrimaryNode, c.Secondary.Node);
            if (confirmStep != null) ProcedureRunner.RequireAwaited(c, steps, resumeRunId, confirmStep);
            var header = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["primaryLost"] = c.PrimaryLost ?? "",
                ["primaryAnswer"] = c.Primary != null ? (RecoveryTest.AnswerOf(c.Primary, c.DataStore) is var a && a.Access != null ? a.Access.ToString()!.ToUpperInvariant() : a.Problem!) : c.PrimaryProblem ?? "not asked",
            };
            var report = ProcedureRunner.Run(ProcedureKind.Recovery, c, steps, () => RequireStart(c), null, () => new RecoveryReport(), header, resumeRunId, confirmStep, progress);
            return Complete(report, ProcedureRunner.RecordedValues(c.Journal, report.RunId));
        }

        /// <summary>The node a recovery run was told is lost (-PrimaryLost, recorded in its header), or null.</summary>
        public static string? PrimaryLostOf(IRunJournalStore journal, string runId) =>
            ProcedureRunner.RecordedValues(journal, ProcedureRunner.RequireRunId(runId)).TryGetValue("primaryLost", out var v) && v.Length > 0 ? v : null;

        /// <summary>A recovery run's report from its journal alone (Get-BPRoleSwitchRun), or null when there is no such run.</summary>
        public static RecoveryReport? Report(IRunJournalStore journal, string runId)
        {
            var r = ProcedureRunner.ReportOf(journal, runId, () => new RecoveryReport());
            return r == null ? null : Complete(r, ProcedureRunner.RecordedValues(journal, r.RunId));
        }

        private static RecoveryReport Complete(RecoveryReport r, Dictionary<string, string> j)
        {
            r.TimestampRefused = j.TryGetValue(RefusedKey, out var refused) && refused.Length > 0 ? refused.Split(',').ToList() : new List<string>();
            if (r.Status == RunStatus.Completed) r.NextSteps = NextSteps(r.DataStore, r.Primary, r.Secondary, r.TimestampRefused);
            return r;
        }

        /// <summary>What the operator does after a completed recovery: the way out for refused volumes, and the new secondary.</summary>
        public static string NextSteps(string ds, string lost, string node, IReadOnlyList<string> refused)
        {
            var say = new List<string> { $"{ds} is PRIMARY at {node}: backups may run there; its catalog export is held until a new secondary exists." };
            if (refused.Count > 0)
                say.Add(RefusedAdvice(ds, node, refused));
            say.Add(NewSecondaryAdvice(ds, lost, node));
            return string.Join(" ", say);
        }

        private static string RefusedAdvice(string ds, string node, IReadOnlyList<string> refused) =>
            $"{refused.Count} volume(s) would be refused by the timestamp check at {node} ({string.Join(", ", refused.Take(10))}{(refused.Count > 10 ? ", ..." : "")}): " +
            "turn the timestamp check off for each of them (volume level) or for the data store, on the BackPak GUI's Volume or Configuration page; if several INDEX copies of a volume exist, delete the stale ones [BB p80/78].";

        private static string NewSecondaryAdvice(string ds, string lost, string node) =>
            $"Once a new secondary exists (a new node, or {lost} back and made SECONDARY): set a staging area on it as the export target of {ds} at {node} " +
            $"(Set-BPDataStore {ds} -Domain '{node}' -StagingArea '<\\NODE.$VOL.SUBVOL on it>'), resume the export (Resume-BPCatalogExport {ds} -Domain '{node}'), " +
            $"run a FULL export there and a FULL import on the new secondary [CS p8, p16, p20].";

        internal static List<ProcedureStep<RecoveryContext>> Definition(string ds, string p, string s)
        {
            var steps = new List<ProcedureStep<RecoveryContext>>
            {
                new ProcedureStep<RecoveryContext>(
                    Info("check-data-keys", $"Check that the replicated data and keys of {ds} are at {s}", s, StepKind.Check, "inferred (BB p36/34, CS p6)"),
                    (c, j) =>
                    {
                        var (replicas, keys, _) = RecoveryTest.DataAndKeys(TestContext(c), out _);
                        if (replicas.Passed && keys.Passed) return replicas.Detail + "; " + keys.Detail;
                        throw new RoleSwitch.AwaitOperator(string.Join("; ", new[] { replicas, keys }.Where(x => !x.Passed).Select(x => x.Name + ": " + x.Detail)) +
                            $". Bring what is missing to {s} with the storage's or the key server's own tools if it can still be had; the volumes without it cannot be restored at {s}. " +
                            "To recover without them, confirm this step.");
                    },
                    (c, j) => { var (replicas, keys, _) = RecoveryTest.DataAndKeys(TestContext(c), out _); return replicas.Passed && keys.Passed; })
                {
                    // The operator's word decides: what is still missing is said, and the run goes on without it.
                    Verify = (c, j) =>
                    {
                        var (replicas, keys, _) = RecoveryTest.DataAndKeys(TestContext(c), out _);
                        return replicas.Passed && keys.Passed ? "the data and keys are there now"
                            : "recovering without: " + string.Join("; ", new[] { replicas, keys }.Where(x => !x.Passed).Select(x => x.Name + ": " + x.Detail));
                    },
                },
                new ProcedureStep<RecoveryContext>(
                    Info("final-full-import", $"Last FULL import of {ds} at {s} from the staging area, every volume checked", s, StepKind.Action, "inferred (CS p8, p15)"),
                    (c, j) =>
                    {
                        var run = c.Secondary.StartImport(ds, SyncType.Full, true, c.User);
                        if (run.Result != SyncResult.Completed)
                            throw Failed("final-full-import", $"the FULL import did not complete: {run.Error ?? $"{run.FailedVolumes.Count} volume(s) failed: {string.Join(", ", run.FailedVolumes.Take(10))}"}");
                        j[FullImportAt] = RoleSwitch.Stamp(run.Started);
                        return $"{run.Volumes} volume(s) imported, {run.Deleted} deleted";
                    },
                    (c, j) => j.TryGetValue(FullImportAt, out var at) && c.Secondary.GetImportStatus(ds).LastFullImport is { Result: SyncResult.Completed } r && r.Started >= RoleSwitch.Parse(at)),
                new ProcedureStep<RecoveryContext>(
                    Info("import-updates", $"UPDATE import at {s} of the export files that reached the staging area after the FULL one", s, StepKind.Action, "inferred (CS p15)"),
                    (c, j) =>
                    {
                        var im = c.Secondary.GetImportStatus(ds);
                        if (im.WaitingFiles == 0) return "no export file arrived after the FULL one";
                        var run = c.Secondary.StartImport(ds, SyncType.Update, true, c.User);
                        if (run.Result != SyncResult.Completed)
                            throw Failed("import-updates", $"the UPDATE import did not complete: {run.Error ?? $"{run.FailedVolumes.Count} volume(s) failed: {string.Join(", ", run.FailedVolumes.Take(10))}"}");
                        return $"{im.WaitingFiles} export file(s) imported: {run.Volumes} volume(s), {run.Deleted} deleted";
                    },
                    (c, j) => j.ContainsKey(FullImportAt) && c.Secondary.GetImportStatus(ds).WaitingFiles == 0),
                new ProcedureStep<RecoveryContext>(
                    Info("restores-allowed", $"Restores of {ds} may run at {s} now (load for input on the SECONDARY store)", s, StepKind.Check, "CS p14"),
                    (c, j) =>
                    {
                        var access = Access(c.Secondary, ds);
                        if (access != DomainAccess.Secondary && access != DomainAccess.Primary)
                            throw Failed("restores-allowed", $"{ds} is {access.ToString().ToUpperInvariant()} at {s}: restores are not allowed there");
                        return $"{ds} is {access.ToString().ToUpperInvariant()} at {s}: restores (load for input) may run now; backups wait for the promotion";
                    },
                    (c, j) => true),
                new ProcedureStep<RecoveryContext>(
                    Info("hold-exports", $"Hold the catalog export of {ds} at {s} until a new secondary exists", s, StepKind.Action, "inferred (CS p8: the staging area is the secondary's)"),
                    (c, j) => { c.Secondary.SetExportSuspended(ds, true, c.User); return "export held: the updates of new backups are kept and go out once a new secondary is set up"; },
                    (c, j) => c.Secondary.GetExportStatus(ds).Suspended),
                new ProcedureStep<RecoveryContext>(
                    Info("promote", $"Change {ds} at {s} from SECONDARY to PRIMARY", s, StepKind.Action, "inferred (CS p14)"),
                    (c, j) => { c.Secondary.SetDataStore(ds, new DataStoreSettings { DomainAccess = DomainAccess.Primary }, c.User); return $"{ds} at {s} is PRIMARY: backups may run there"; },
                    (c, j) => Access(c.Secondary, ds) == DomainAccess.Primary),
                new ProcedureStep<RecoveryContext>(
                    Info("timestamp-check", $"List the volumes of {ds} whose timestamp check would fail at {s}, with the way out", s, StepKind.Check, "BB p36/34, BB p80/78"),
                    (c, j) =>
                    {
                        var (_, _, facts) = RecoveryTest.DataAndKeys(TestContext(c), out var refused);
                        j[RefusedKey] = string.Join(",", refused);
                        return refused.Count == 0 ? facts.Detail : RefusedAdvice(ds, s, refused);
                    },
                    (c, j) => j.ContainsKey(RefusedKey)),
                new ProcedureStep<RecoveryContext>(
                    Info("new-secondary", "Set up a new staging area and export target once a new secondary exists", s, StepKind.Operator, "inferred (CS p8, p20)"),
                    (c, j) => throw new StepSkipped("left to the operator: " + NewSecondaryAdvice(ds, p, s)),
                    (c, j) => false),
            };
            for (int i = 0; i < steps.Count; i++)
            {
                var x = steps[i];
                var info = x.Info;
                steps[i] = new ProcedureStep<RecoveryContext>(
                    new StepInfo { Number = i + 1, Id = info.Id, Title = info.Title, Node = info.Node, Kind = info.Kind, Source = info.Source }, x.Run, x.IsDone) { Verify = x.Verify };
            }
            return steps;
        }

        /// <summary>The recovery test's context for the checks a step makes: the secondary alone, never the lost side.</summary>
        private static RecoveryTestContext TestContext(RecoveryContext c) => new RecoveryTestContext
        {
            DataStore = c.DataStore, Secondary = c.Secondary, Primary = null, PrimaryProblem = $"{c.PrimaryNode} is lost", KeyServers = c.KeyServers, SampleSize = 0,
        };

        private static DomainAccess Access(IBackPakDomain d, string ds) => d.GetDataStores(ds).FirstOrDefault()?.DomainAccess ?? DomainAccess.Unknown;

        private static StepInfo Info(string id, string title, string node, StepKind kind, string source) =>
            new StepInfo { Id = id, Title = title, Node = node, Kind = kind, Source = source };

        private static BackPakException Failed(string step, string why) =>
            new BackPakException(ErrorIds.RecoveryStepFailed, BackPakErrorCategory.InvalidResult, why, step);
    }
}
