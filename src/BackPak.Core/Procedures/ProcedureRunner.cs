using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackPak.Core.Errors;

namespace BackPak.Core.Procedures
{
    /// <summary>
    /// Runs a role switch step by step through its journal: a record before and after every step (flushed), the
    /// values later steps need, and the end. A resumed run reads the journal, skips what is done once its end state
    /// is checked again, and goes on; so a run killed anywhere ends as an uninterrupted one.
    /// <para>
    /// A run holds the lock of its data store from its first record to its end (<see cref="RunLock"/>): the fence
    /// that refuses every other change of the store, on both sides. One process at a time runs it (its owner, by host,
    /// pid and start time): a run whose owner lives is not resumed or abandoned by anyone else; one whose owner died,
    /// or that stopped (failed, interrupted, waiting for the operator), has no owner and may be resumed by anyone.
    /// </para>
    /// </summary>
    public static class ProcedureRunner
    {
        /// <summary>
        /// The journal value that records the facility (<see cref="StepInfo.Facility"/>) a step uses: in the run header
        /// when the run starts, and in a resume record when a resume finds another one (a link registered meanwhile).
        /// </summary>
        internal static string FacilityKey(string stepId) => "facility:" + stepId;

        /// <summary>Runs this process is executing now: its own runs are "alive" only while they are in here.</summary>
        private static readonly HashSet<string> RunningHere = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The facts of a run as its journal and lock give them, judged.</summary>
        private sealed class RunFacts
        {
            public string RunId = "";
            public IReadOnlyList<JournalRecord> Records = new JournalRecord[0];
            public JournalRecord? Header;
            public RunLock? Lock;
            public string? Damage;
            public string DataStore = "", Primary = "", Secondary = "", User = "";
            public DateTime Started;
            public RunStatus? Ended;
            public string Subject => StoreFence.SwitchSubject(DataStore);
        }

        /// <summary>
        /// A run id as the module makes them (SW-20261101-120000-a1b2c3): letters, digits and '-'. Anything else (empty,
        /// a path) names no run: SwitchRunNotFound, before any file is looked at.
        /// </summary>
        public static string RequireRunId(string? runId)
        {
            string id = (runId ?? "").Trim();
            bool ok = id.Length > 0 && id.Length <= 64 && char.IsLetterOrDigit(id[0]);
            foreach (char ch in id) ok &= (ch < 128 && char.IsLetterOrDigit(ch)) || ch == '-' || ch == '_';
            if (!ok)
                throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.InvalidArgument,
                    runId == null || id.Length == 0 ? "No run id was given: -Resume and -RunId need the id of a run, such as SW-20261101-120000-a1b2c3."
                        : $"'{runId}' is not a run id (such as SW-20261101-120000-a1b2c3 for a switch, DC-... for a decommission, RC-... for a recovery, RP-... for a reprotect).",
                    runId, "Get-BPRoleSwitchRun lists the runs and their ids; a new switch is started without -Resume.", stopsInvocation: true);
            return id;
        }

        /// <param name="siteRun">The site run (SS-...) this store's run belongs to, recorded in its header; null for a switch of one store.</param>
        /// <param name="afterLock">Called once the store is held and before any step (a site run's gate); a refusal it returns abandons the run unchanged.</param>
        public static RoleSwitchReport RunSwitch(RoleSwitchContext c, string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress,
            string? siteRun = null, Func<string, BackPakException?>? afterLock = null)
        {
            string p = c.Primary.Node, s = c.Secondary.Node;
            string newStaging = c.Primary.StagingAreaFor(c.DataStore);
            return Run(ProcedureKind.Switch, c, RoleSwitch.Definition(c.DataStore, p, s, newStaging, links: c), () => RoleSwitch.RequireStart(c),
                runId =>
                {
                    // The fence is up: a removal claimed before it is visible now (the check is serialized with claims).
                    var removing = c.Primary.GetRemovalsInProgress(c.DataStore).Select(l => (Node: p, Label: l))
                        .Concat(c.Secondary.GetRemovalsInProgress(c.DataStore).Select(l => (Node: s, Label: l))).ToList();
                    if (removing.Count == 0) return afterLock?.Invoke(runId);
                    return new BackPakException(ErrorIds.RemovalUnfinished, BackPakErrorCategory.InvalidOperation,
                        $"The switch of {c.DataStore} from {p} to {s} cannot start: {RoleSwitch.RemovalsText(c.DataStore, removing)}. Nothing was changed.", c.DataStore,
                        "Wait for a running removal to end; run an interrupted one again (the same Remove-BPVolume takes it over and finishes it). Then start the switch.", stopsInvocation: true);
                },
                () => new RoleSwitchReport(), SwitchHeader(newStaging, siteRun), resumeRunId, confirmStep, progress);
        }

        private static Dictionary<string, string> SwitchHeader(string newStaging, string? siteRun)
        {
            var header = new Dictionary<string, string> { [RoleSwitch.NewStagingKey] = newStaging };
            if (siteRun != null) header[SiteSwitch.SiteRunKey] = siteRun;
            return header;
        }

        /// <summary>
        /// Runs (or resumes) any procedure step by step through its journal. <paramref name="requireStart"/> refuses a
        /// procedure that cannot succeed before anything is written; <paramref name="afterLock"/> may refuse it once the
        /// store is held (nothing changed yet); <paramref name="header"/> adds what the procedure needs recorded in its
        /// run header (read back by <see cref="HeaderOf"/>).
        /// </summary>
        internal static TReport Run<TContext, TReport>(ProcedureKind kind, TContext c, IReadOnlyList<ProcedureStep<TContext>> steps, Action requireStart,
            Func<string, BackPakException?>? afterLock, Func<TReport> newReport, IReadOnlyDictionary<string, string>? header,
            string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress)
            where TContext : IProcedureContext where TReport : ProcedureReport
        {
            if (resumeRunId != null) resumeRunId = RequireRunId(resumeRunId);
            string subject = StoreFence.SwitchSubject(c.DataStore);
            string p = c.PrimaryNode, s = c.SecondaryNode;
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            var done = new HashSet<string>(StringComparer.Ordinal);
            var interrupted = new HashSet<string>(StringComparer.Ordinal); // started, never finished: killed, failed or stopped
            string? awaiting = null;
            TReport report;
            string runId;

            if (resumeRunId != null)
            {
                runId = resumeRunId;
                RequireKind(runId, kind);
                var f = Inspect(c.Journal, runId);
                if (f == null) throw NoRun(runId, c.Journal);
                if (f.DataStore.Length > 0) RequireAgreement(runId, (f.DataStore, f.Primary, f.Secondary), c.DataStore, p, s);
                if (f.Ended == RunStatus.Completed) throw Completed(runId);
                if (f.Ended == RunStatus.Abandoned) throw Abandoned(f);
                if (f.Damage != null) throw Damaged(f);
                // A run killed between its first record and its lock did nothing: it starts as a new run would.
                if (f.Lock == null && !f.Records.Any(r => r.Type == "step")) requireStart();
                TakeOwnership(c.Journal, f);
                try
                {
                    foreach (var r in f.Records)
                    {
                        if (r.Data != null)
                            foreach (var kv in r.Data)
                                if (kv.Value.Length == 0) data.Remove(kv.Key); else data[kv.Key] = kv.Value;
                        if (r.Type == "step" && r.Step != null)
                        {
                            if (r.Status == nameof(StepStatus.Done) || r.Status == nameof(StepStatus.AlreadyDone) || r.Status == nameof(StepStatus.Skipped)) { done.Add(r.Step); interrupted.Remove(r.Step); }
                            else if (r.Status == nameof(StepStatus.Running) || r.Status == nameof(StepStatus.Failed) || r.Status == nameof(StepStatus.Interrupted)) interrupted.Add(r.Step);
                            else if (r.Status == nameof(StepStatus.Pending)) { done.Remove(r.Step); interrupted.Remove(r.Step); } // to be redone
                            awaiting = r.Status == nameof(StepStatus.AwaitingOperator) ? r.Step : awaiting == r.Step ? null : awaiting;
                        }
                    }
                    report = Rebuild(f, steps.Select(x => x.Info), newReport);
                    report.OperationId = Audit.Operation.CurrentId;
                    report.Location = c.Journal.Location;
                    report.Resumes++;
                    var resumed = Record(c.Journal, "resume", null, null, confirmStep != null ? "operator confirmed " + confirmStep : null);
                    resumed.Data = OwnerData(c.User);
                    // The steps run from here use the links of this resume's context: recorded when they differ.
                    foreach (var x in steps)
                    {
                        if (x.Info.Facility == null) continue;
                        string key = FacilityKey(x.Info.Id);
                        if (!data.TryGetValue(key, out var was) || was != x.Info.Facility) resumed.Data[key] = data[key] = x.Info.Facility;
                        var notRun = report.Steps.FirstOrDefault(sr => sr.Id == x.Info.Id && sr.Status == StepStatus.Pending && sr.Started == null);
                        if (notRun != null) notRun.Facility = x.Info.Facility;
                    }
                    c.Journal.Append(runId, resumed);
                }
                catch
                {
                    LetGo(c.Journal, subject, runId);
                    throw;
                }
            }
            else
            {
                var active = c.Journal.ActiveRun(subject);
                if (active != null && !Ended(c.Journal, active)) throw InProgress(active, c.DataStore, "another run of it is refused");
                // Before anything is written: a procedure that cannot succeed leaves no run and no lock.
                requireStart();
                runId = kind.Prefix + "-" + c.Journal.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
                var first = Record(c.Journal, "run", null, RunStatus.Running.ToString(), null);
                first.Data = OwnerData(c.User);
                first.Data["runId"] = runId;
                first.Data["dataStore"] = c.DataStore;
                first.Data["primary"] = p;
                first.Data["secondary"] = s;
                if (header != null) foreach (var kv in header) first.Data[kv.Key] = kv.Value;
                foreach (var x in steps) if (x.Info.Facility != null) first.Data[FacilityKey(x.Info.Id)] = x.Info.Facility;
                // The first record is on disk before the lock exists, and the lock before any change: a process killed
                // at any point leaves a run that can be resumed (or nothing at all), never a lock without its journal.
                c.Journal.Append(runId, first);
                try
                {
                    c.Journal.UpdateLock(subject, cur =>
                    {
                        if (cur != null && !Ended(c.Journal, cur)) throw InProgress(cur, c.DataStore, "another run of it is refused");
                        lock (RunningHere) RunningHere.Add(runId);
                        return new RunLock
                        {
                            Subject = subject, RunId = runId, DataStore = c.DataStore, Primary = p, Secondary = s, Created = first.At, Owner = ProcessOwner.Current,
                        };
                    });
                }
                catch (BackPakException e)
                {
                    lock (RunningHere) RunningHere.Remove(runId);
                    c.Journal.Append(runId, Record(c.Journal, "end", null, RunStatus.Abandoned.ToString(), "not started: " + e.Message));
                    throw;
                }
                var refused = afterLock?.Invoke(runId);
                if (refused != null)
                {
                    c.Journal.Append(runId, Record(c.Journal, "end", null, RunStatus.Abandoned.ToString(), "not started: " + refused.Message));
                    LetGo(c.Journal, subject, runId, release: true);
                    throw refused;
                }
                report = newReport();
                report.OperationId = Audit.Operation.CurrentId;
                report.RunId = runId; report.DataStore = c.DataStore; report.Primary = p; report.Secondary = s; report.Started = first.At;
                report.User = c.User; report.Status = RunStatus.Running; report.Steps = steps.Select(x => NewStep(x.Info)).ToList(); report.Location = c.Journal.Location;
            }

            // What the journal holds of the values: a step record carries only what changed since.
            var written = new Dictionary<string, string>(data, StringComparer.Ordinal);
            report.Status = RunStatus.Running;
            report.FailedStep = null;
            report.Message = null;
            bool completed = false;
            StepReport? running = null;
            string what = kind.Describe(c.DataStore, p, s);
            try
            {
                for (int i = 0; i < steps.Count; i++)
                {
                    var step = steps[i];
                    var info = step.Info;
                    var sr = report.Steps[i];
                    c.Cancel.ThrowIfCancellationRequested();
                    progress?.Invoke(sr, i, steps.Count);
                    if (awaiting == info.Id && confirmStep != null && string.Equals(confirmStep, info.Id, StringComparison.OrdinalIgnoreCase))
                    {
                        // A step a read can check is checked now: the operator's word alone does not end it.
                        string confirmed = step.Verify == null ? "confirmed by the operator" : "confirmed by the operator; " + step.Verify(c, data);
                        Finish(c.Journal, runId, sr, StepStatus.Done, confirmed, data, written);
                        done.Add(info.Id);
                        continue;
                    }
                    if (done.Contains(info.Id)) continue; // done in an earlier attempt: the journal says so, and later steps may have moved on
                    if (interrupted.Contains(info.Id) && info.Kind != StepKind.Check && SafeIsDone(step.IsDone, c, data, runId))
                    {
                        // The interrupted step had finished its work before the process died: verified, not redone.
                        Finish(c.Journal, runId, sr, StepStatus.AlreadyDone, "its end state already holds", data, written);
                        done.Add(info.Id);
                        continue;
                    }
                    sr.Status = StepStatus.Running;
                    sr.Started = c.Journal.Now;
                    sr.Ended = null;
                    sr.Facility = info.Facility;
                    c.Journal.Append(runId, Record(c.Journal, "step", info.Id, StepStatus.Running.ToString(), null));
                    running = sr;
                    try
                    {
                        string message;
                        using (StoreFence.Enter(runId)) message = step.Run(c, data);
                        running = null;
                        Finish(c.Journal, runId, sr, StepStatus.Done, message, data, written);
                    }
                    catch (StepSkipped e)
                    {
                        running = null;
                        Finish(c.Journal, runId, sr, StepStatus.Skipped, e.Message, data, written);
                    }
                    catch (RoleSwitch.AwaitOperator e)
                    {
                        running = null;
                        sr.Status = StepStatus.AwaitingOperator;
                        sr.Message = e.Message;
                        c.Journal.Append(runId, Record(c.Journal, "step", info.Id, StepStatus.AwaitingOperator.ToString(), e.Message));
                        report.Status = RunStatus.AwaitingOperator;
                        report.Message = $"Step {info.Number} ({info.Id}) waits for the operator: {e.Message} Then {kind.ConfirmAdvice(runId, info.Id)}.";
                        return report;
                    }
                    catch (Exception e) when (e is BackPakException || e is InvalidOperationException || e is System.IO.IOException || e is UnauthorizedAccessException || e is RoleSwitch.Redo)
                    {
                        running = null;
                        sr.Status = StepStatus.Failed;
                        sr.Ended = c.Journal.Now;
                        sr.Message = e.Message;
                        c.Journal.Append(runId, Record(c.Journal, "step", info.Id, StepStatus.Failed.ToString(), e.Message));
                        if (e is RoleSwitch.Redo redo)
                        {
                            // The work of earlier steps no longer holds: they go back to pending, with the values they had set.
                            bool firstReset = true;
                            foreach (var id in redo.Steps)
                            {
                                var reset = Record(c.Journal, "step", id, StepStatus.Pending.ToString(), "to be done again: step " + info.Id + " found a change");
                                if (firstReset) reset.Data = redo.Clear.ToDictionary(k => k, k => "", StringComparer.Ordinal);
                                firstReset = false;
                                c.Journal.Append(runId, reset);
                                foreach (var k in redo.Clear) { data.Remove(k); written.Remove(k); }
                                var again = report.Steps.FirstOrDefault(x => x.Id == id);
                                if (again != null) { again.Status = StepStatus.Pending; again.Message = "to be done again"; }
                            }
                        }
                        report.Status = RunStatus.Failed;
                        report.FailedStep = info.Id;
                        report.Message = $"Step {info.Number} ({info.Id}) failed: {e.Message}";
                        // A registered replication link keeps its own ErrorId: the fix is in the operator's script, not in BackPak.
                        string errorId = e is BackPakException link && link.ErrorId == ErrorIds.ReplicationLinkFailed ? link.ErrorId : kind.StepFailedErrorId;
                        throw new BackPakException(errorId, BackPakErrorCategory.InvalidResult,
                            $"{what} stopped at step {info.Number} ({info.Id}), run {runId}: {e.Message}", report,
                            $"Fix the cause, then continue: {kind.ResumeAdvice(runId)}. To give the run up instead: Stop-BPRoleSwitchRun -RunId {runId} -Reason <why>.",
                            stopsInvocation: true, inner: e);
                    }
                }
                report.Status = RunStatus.Completed;
                report.Ended = c.Journal.Now;
                c.Journal.Append(runId, Record(c.Journal, "end", null, RunStatus.Completed.ToString(), null));
                completed = true;
                LetGo(c.Journal, subject, runId, release: true);
                return report;
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C, or a stopped pipeline: the run stops where it is and says so; it keeps its lock (the store
                // stays fenced) and has no owner any more, so the run is continued from here, in any process.
                if (running != null)
                {
                    running.Status = StepStatus.Interrupted;
                    running.Ended = c.Journal.Now;
                    running.Message = "stopped by the operator";
                    c.Journal.Append(runId, Record(c.Journal, "step", running.Id, StepStatus.Interrupted.ToString(), running.Message));
                }
                c.Journal.Append(runId, Record(c.Journal, "interrupt", null, RunStatus.Interrupted.ToString(), "stopped by the operator"));
                report.Status = RunStatus.Interrupted;
                report.Message = $"The run was stopped by the operator; continue it: {kind.ResumeAdvice(runId)}.";
                throw new ProcedureInterrupted(report);
            }
            finally
            {
                if (!completed) LetGo(c.Journal, subject, runId);
            }
        }
        /// <summary>
        /// Refuses a -ConfirmStep that names a step the run does not wait for (another one, or none: steps are confirmed in
        /// their order), then checks the step by its read, if it has one, before the run is entered: a step not done
        /// leaves the journal as it was, and the run still waits for it.
        /// </summary>
        internal static void RequireAwaited<TContext>(TContext c, IReadOnlyList<ProcedureStep<TContext>> steps, string? runId, string confirmStep)
            where TContext : IProcedureContext
        {
            var (info, records) = Confirmable(c.Journal, c.DataStore, runId, confirmStep, steps.Select(s => s.Info).ToList());
            steps.First(s => s.Info.Id == info.Id).Verify?.Invoke(c, RecordedValues(records));
        }

        /// <summary>
        /// The step of run <paramref name="runId"/> that <paramref name="confirmStep"/> confirms, or StepNotAwaitingOperator
        /// when the run waits for another step or none; read from the journal alone, so it is asked before anything is planned.
        /// </summary>
        public static StepInfo RequireConfirmable(IRunJournalStore journal, string dataStore, string? runId, string confirmStep) =>
            Confirmable(journal, dataStore, runId, confirmStep, null).Info;

        /// <summary>The confirmed step and the run's records, from one read of its journal.</summary>
        private static (StepInfo Info, IReadOnlyList<JournalRecord> Records) Confirmable(IRunJournalStore journal, string dataStore, string? runId, string confirmStep, IReadOnlyList<StepInfo>? steps)
        {
            var f = runId == null ? null : Inspect(journal, RequireRunId(runId));
            string? awaited = f == null ? null : AwaitingStep(f.Records);
            if (awaited != null && steps == null)
                steps = f!.DataStore.Length == 0 ? new StepInfo[0] : ProcedureKind.Of(runId).StepsOf(f.DataStore, f.Primary, f.Secondary, HeaderValues(f));
            var info = awaited == null ? null : steps!.FirstOrDefault(s => s.Id == awaited);
            if (info == null || !string.Equals(info.Id, confirmStep, StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.StepNotAwaitingOperator, BackPakErrorCategory.InvalidArgument,
                    (info == null
                        ? $"{(runId != null ? $"Run {runId} of {dataStore} waits for nothing" : $"No run of {dataStore} waits for the operator")}, so there is no step '{confirmStep}' to confirm."
                        : $"Run {runId} waits for step {info.Number} ({info.Id}), not for '{confirmStep}': steps are confirmed in their order.") + " Nothing was changed.",
                    confirmStep, info == null
                        ? "Run the command without -ConfirmStep to start or continue it; it says which step waits for you, if one does."
                        : $"Do step {info.Number} ({info.Title}), then confirm it: -ConfirmStep {info.Id}.", stopsInvocation: true);
            return (info, f!.Records);
        }

        /// <summary>The step a run waits at for the operator (its last record of that step says so), or null.</summary>
        private static string? AwaitingStep(IReadOnlyList<JournalRecord> records)
        {
            string? awaiting = null;
            foreach (var r in records)
                if (r.Type == "step" && r.Step != null)
                    awaiting = r.Status == nameof(StepStatus.AwaitingOperator) ? r.Step : awaiting == r.Step ? null : awaiting;
            return awaiting;
        }

        /// <summary>The report of a run from its journal and lock alone (Get-BPRoleSwitchRun), or null when there is no such run.</summary>
        public static RoleSwitchReport? Report(IRunJournalStore journal, string runId)
        {
            runId = RequireRunId(runId);
            return ProcedureKind.Of(runId) == ProcedureKind.Switch ? ReportOf(journal, runId, () => new RoleSwitchReport()) : null;
        }

        /// <summary>
        /// The report of a run of any procedure, as its kind reports it (a switch's, a recovery's, a decommission's read as
        /// a switch report: its steps and status), or null when there is no such run.
        /// </summary>
        public static ProcedureReport? AnyReport(IRunJournalStore journal, string runId)
        {
            runId = RequireRunId(runId);
            var kind = ProcedureKind.Of(runId);
            return kind == ProcedureKind.Recovery ? Procedures.Recovery.Report(journal, runId)
                : kind == ProcedureKind.Reprotect ? Procedures.Reprotect.Report(journal, runId)
                : kind == ProcedureKind.Switch ? Report(journal, runId) : ReportOf(journal, runId, () => new RoleSwitchReport());
        }

        /// <summary>The report of a run of any procedure from its journal and lock alone, or null when there is no such run.</summary>
        internal static TReport? ReportOf<TReport>(IRunJournalStore journal, string runId, Func<TReport> newReport) where TReport : ProcedureReport
        {
            runId = RequireRunId(runId);
            var f = Inspect(journal, runId);
            if (f == null) return null;
            var report = Rebuild(f, f.DataStore.Length > 0 ? ProcedureKind.Of(runId).StepsOf(f.DataStore, f.Primary, f.Secondary, HeaderValues(f)) : new StepInfo[0], newReport);
            report.Location = journal.Location;
            if (report.Status == RunStatus.Running && !OwnerActive(f.Lock, runId)) report.Status = RunStatus.Interrupted;
            return report;
        }

        /// <summary>Every switch run of a journal store, oldest first.</summary>
        public static IReadOnlyList<RoleSwitchReport> Reports(IRunJournalStore journal) =>
            journal.RunIds().Select(id => Report(journal, id)).Where(r => r != null).Select(r => r!).OrderBy(r => r.Started).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();

        /// <summary>
        /// The values a run recorded: its header's, then every step's, in order (a value recorded empty is removed).
        /// What a procedure finds there after its run (a decommission's record of what the store held).
        /// </summary>
        internal static Dictionary<string, string> RecordedValues(IRunJournalStore journal, string runId) => RecordedValues(journal.Read(runId).Records);

        private static Dictionary<string, string> RecordedValues(IReadOnlyList<JournalRecord> records)
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var r in records)
                if (r.Data != null)
                    foreach (var kv in r.Data)
                        if (kv.Value.Length == 0) data.Remove(kv.Key); else data[kv.Key] = kv.Value;
            return data;
        }

        private static IReadOnlyDictionary<string, string> HeaderValues(RunFacts f) =>
            (IReadOnlyDictionary<string, string>?)f.Header?.Data ?? new Dictionary<string, string>();

        /// <summary>Refuses (SwitchInProgress, naming the run and the way on) when an unfinished run holds the data store.</summary>
        public static void RequireFree(IRunJournalStore journal, string dataStore)
        {
            var l = journal.ActiveRun(StoreFence.SwitchSubject(dataStore));
            if (l != null && !Ended(journal, l)) throw InProgress(l, dataStore, "another run of it is refused");
        }

        /// <summary>The run holding a data store's lock, or null.</summary>
        public static string? ActiveRunOf(IRunJournalStore journal, string dataStore)
        {
            var l = journal.ActiveRun(StoreFence.SwitchSubject(dataStore));
            return l == null || Ended(journal, l) ? null : l.RunId;
        }

        /// <summary>What a run switches, for a resume given only its id: (data store, primary, secondary).</summary>
        public static (string DataStore, string Primary, string Secondary) Subject(IRunJournalStore journal, string runId)
        {
            runId = RequireRunId(runId);
            var f = Inspect(journal, runId) ?? throw NoRun(runId, journal);
            if (f.Ended == RunStatus.Completed) throw Completed(runId);
            if (f.Ended == RunStatus.Abandoned) throw Abandoned(f);
            if (f.Damage != null) throw Damaged(f);
            return (f.DataStore, f.Primary, f.Secondary);
        }

        /// <summary>Refuses a data store or side given with a resume that is not the run's (null: not given).</summary>
        public static void RequireAgreement(string runId, (string DataStore, string Primary, string Secondary) run, string? dataStore, string? primary, string? secondary)
        {
            if ((dataStore == null || Same(run.DataStore, dataStore)) && (primary == null || Same(run.Primary, primary)) && (secondary == null || Same(run.Secondary, secondary))) return;
            throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.InvalidArgument,
                $"Run {runId} is {ProcedureKind.Of(runId).Describe(run.DataStore, run.Primary, run.Secondary, article: "the")}, not of {dataStore ?? run.DataStore} with {primary ?? run.Primary} and {secondary ?? run.Secondary}.",
                runId, $"Resume it alone ({ProcedureKind.Of(runId).ResumeAdvice(runId)}): the run knows its data store and both sides.", stopsInvocation: true);
        }

        /// <summary>
        /// Refuses to continue a run of another procedure (a recovery's id given to the switch, or the reverse), before
        /// anything is read or written, naming the command that continues it.
        /// </summary>
        public static void RequireKind(string runId, ProcedureKind kind)
        {
            var of = ProcedureKind.Of(runId);
            if (of == kind) return;
            throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.InvalidArgument,
                $"Run {runId} is a {of.Noun} run, not a {kind.Noun}: nothing was resumed.", runId,
                $"Continue it with its own command: {of.ResumeAdvice(runId)}.", stopsInvocation: true);
        }

        /// <summary>Whether a journal store holds this run (a journal or a lock).</summary>
        public static bool Has(IRunJournalStore journal, string runId) => Inspect(journal, RequireRunId(runId)) != null;

        /// <summary>
        /// Gives up an unfinished run (Stop-BPRoleSwitchRun): records why and who, and releases its lock, so the store
        /// is no longer fenced. Refused while the run's process lives. Works on a damaged journal (even a missing one,
        /// when its lock remains). <paramref name="sides"/> reads how each side stands for the report and the advice.
        /// </summary>
        public static RoleSwitchReport Abandon(IRunJournalStore journal, string runId, string reason, string user,
            Func<string, string, string, IReadOnlyList<RoleSwitchSide>> sides)
        {
            runId = RequireRunId(runId);
            var f = Inspect(journal, runId) ?? throw NoRun(runId, journal);
            if (f.Ended == RunStatus.Completed) throw Completed(runId);
            if (f.Ended == RunStatus.Abandoned) throw Abandoned(f);
            // Owned while the end is written, so a resume that starts now is refused rather than racing it.
            if (f.DataStore.Length > 0 || f.Lock != null) TakeOwnership(journal, f, "abandoned");
            try
            {
                var end = Record(journal, "end", null, RunStatus.Abandoned.ToString(), reason);
                end.Data = OwnerData(user);
                end.Data["dataStore"] = f.DataStore;
                end.Data["primary"] = f.Primary;
                end.Data["secondary"] = f.Secondary;
                if (f.Damage != null) end.Data["damage"] = f.Damage;
                journal.Append(runId, end);
            }
            finally
            {
                var subject = f.Lock?.Subject ?? f.Subject;
                LetGo(journal, subject, runId, release: true);
            }
            var report = ReportOf(journal, runId, () => new RoleSwitchReport())!;
            report.OperationId = Audit.Operation.CurrentId;
            report.Reason = reason;
            report.Sides = f.DataStore.Length > 0 ? sides(f.DataStore, f.Primary, f.Secondary).ToList() : new List<RoleSwitchSide>();
            report.Message = $"Run {runId} is abandoned ({reason}); {f.DataStore} is no longer held by it." +
                             (f.Damage != null ? $" Its journal was damaged: {f.Damage}." : "") +
                             (report.Sides.Count > 0 ? " Left: " + string.Join("; ", report.Sides) + "." +
                              (ProcedureKind.Of(runId) == ProcedureKind.Switch ? " " + RoleSwitch.NextSteps(f.DataStore, f.Primary, f.Secondary, report.Sides) : "") : "");
            return report;
        }

        /// <summary>
        /// Reads and judges a run: the journal must start with its own header and every line must read; a journal that
        /// is missing while the lock names the run is damaged too. Null when neither journal nor lock knows the run.
        /// </summary>
        private static RunFacts? Inspect(IRunJournalStore journal, string runId)
        {
            var content = journal.Read(runId);
            var l = journal.ActiveRuns().FirstOrDefault(x => x.RunId == runId);
            if (!content.Exists && l == null) return null;
            var f = new RunFacts { RunId = runId, Records = content.Records, Lock = l };
            var header = content.Records.FirstOrDefault(r => r.Type == "run");
            var d = header?.Data;
            string? Value(string k) => d != null && d.TryGetValue(k, out var v) ? v : null;
            var damage = new List<string>();
            if (!content.Exists) damage.Add("its journal is missing");
            else if (content.Length == 0) damage.Add("its journal is empty");
            else
            {
                if (content.UnreadableLines.Count > 0)
                    damage.Add($"line{(content.UnreadableLines.Count > 1 ? "s" : "")} {string.Join(", ", content.UnreadableLines.Take(5))} of {content.Lines} cannot be read (cut or overwritten)");
                if (header == null || content.Records.Count == 0 || content.Records[0] != header) damage.Add("it does not begin with its run header");
                else if (Value("runId") is { } id && id != runId) damage.Add($"it is the journal of run {id} (overwritten)");
                else if (Value("dataStore") == null || Value("primary") == null || Value("secondary") == null) damage.Add("its header does not say what it switches");
            }
            if (l?.Damage != null) damage.Add("its lock cannot be read: " + l.Damage);
            // A run holds its lock from before its first step to its end: steps without a lock mean the lock was lost.
            if (l == null && content.Exists && !content.Records.Any(r => r.Type == "end") && content.Records.Any(r => r.Type == "step"))
                damage.Add("its lock is missing, so its data store was not held");
            var end = content.Records.LastOrDefault(r => r.Type == "end");
            if (end != null) f.Ended = Enum.TryParse<RunStatus>(end.Status, out var st) ? st : RunStatus.Unknown;
            // What the run switches: its header, else its lock, else the record that abandoned it.
            var endData = end?.Data;
            string? EndValue(string k) => endData != null && endData.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
            f.DataStore = (damage.Count == 0 ? Value("dataStore") : null) ?? NonEmpty(l?.DataStore) ?? EndValue("dataStore") ?? Value("dataStore") ?? "";
            f.Primary = (damage.Count == 0 ? Value("primary") : null) ?? NonEmpty(l?.Primary) ?? EndValue("primary") ?? Value("primary") ?? "";
            f.Secondary = (damage.Count == 0 ? Value("secondary") : null) ?? NonEmpty(l?.Secondary) ?? EndValue("secondary") ?? Value("secondary") ?? "";
            f.User = Value("user") ?? "";
            f.Started = header?.At ?? l?.Created ?? content.Records.FirstOrDefault()?.At ?? DateTime.MinValue;
            f.Header = header;
            if (damage.Count > 0 && endData != null && endData.TryGetValue("damage", out var was)) damage = new List<string> { was };
            f.Damage = damage.Count == 0 ? null : string.Join("; ", damage);
            return f;
        }

        private static TReport Rebuild<TReport>(RunFacts f, IEnumerable<StepInfo> steps, Func<TReport> newReport) where TReport : ProcedureReport
        {
            var report = newReport();
            report.RunId = f.RunId; report.DataStore = f.DataStore; report.Primary = f.Primary; report.Secondary = f.Secondary; report.Started = f.Started;
            report.User = f.User.Length > 0 ? f.User : null; report.Status = RunStatus.Running; report.Steps = steps.Select(NewStep).ToList();
            // The facility each step used: the one recorded (header, then resumes) when the step last started; a step
            // confirmed by the operator later keeps the one it waited with.
            var facilities = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var r in f.Records)
            {
                if (r.Data != null)
                    foreach (var kv in r.Data)
                        if (kv.Key.StartsWith("facility:", StringComparison.Ordinal))
                        {
                            facilities[kv.Key] = kv.Value;
                            var pending = report.Steps.FirstOrDefault(x => FacilityKey(x.Id) == kv.Key && x.Status == StepStatus.Pending && x.Started == null);
                            if (pending != null && kv.Value.Length > 0) pending.Facility = kv.Value;
                        }
                if (r.Type == "resume") report.Resumes++;
                if (r.Type == "interrupt") { report.Status = RunStatus.Interrupted; report.Message = r.Message; }
                if (r.Type == "end")
                {
                    report.Status = Enum.TryParse<RunStatus>(r.Status, out var st) ? st : RunStatus.Unknown;
                    report.Ended = r.At;
                    if (report.Status == RunStatus.Abandoned) { report.Reason = r.Message; report.Message = "abandoned: " + r.Message; }
                }
                if (r.Type != "step" || r.Step == null) continue;
                var sr = report.Steps.FirstOrDefault(x => x.Id == r.Step);
                if (sr == null) continue;
                var stepStatus = Enum.TryParse<StepStatus>(r.Status, out var v) ? v : StepStatus.Unknown;
                if (stepStatus == StepStatus.Running && facilities.TryGetValue(FacilityKey(sr.Id), out var used) && used.Length > 0) sr.Facility = used;
                if (stepStatus == StepStatus.Running) { sr.Started = r.At; sr.Ended = null; }
                else if (stepStatus != StepStatus.Pending) sr.Ended = r.At;
                sr.Status = stepStatus;
                sr.Message = r.Message ?? sr.Message;
                if (report.Status == RunStatus.Completed || report.Status == RunStatus.Abandoned) continue;
                if (stepStatus == StepStatus.Failed) { report.Status = RunStatus.Failed; report.FailedStep = sr.Id; report.Message = r.Message; }
                else if (stepStatus == StepStatus.AwaitingOperator) { report.Status = RunStatus.AwaitingOperator; report.Message = r.Message; }
                else if (stepStatus == StepStatus.Interrupted) report.Status = RunStatus.Interrupted;
                else if (stepStatus == StepStatus.Running || stepStatus == StepStatus.Done || stepStatus == StepStatus.AlreadyDone) { report.Status = RunStatus.Running; report.FailedStep = null; }
            }
            if (f.Damage != null && report.Status != RunStatus.Abandoned && report.Status != RunStatus.Completed)
            {
                report.Status = RunStatus.Damaged;
                report.Message = $"The journal of run {f.RunId} is damaged: {f.Damage}. It cannot be resumed; Stop-BPRoleSwitchRun -RunId {f.RunId} -Reason <why> releases {NonEmpty(f.DataStore) ?? "its data store"}.";
            }
            return report;
        }

        /// <summary>Makes this process the run's owner; refused while another run holds the store or a live process runs this one.</summary>
        private static void TakeOwnership(IRunJournalStore journal, RunFacts f, string purpose = "resumed")
        {
            string subject = f.Lock?.Subject ?? f.Subject;
            journal.UpdateLock(subject, cur =>
            {
                if (cur != null && cur.RunId != f.RunId && !Ended(journal, cur))
                    throw InProgress(cur, f.DataStore, $"run {f.RunId} cannot be {purpose} while it holds the store");
                if (cur != null && cur.RunId == f.RunId && OwnerActive(cur, f.RunId))
                    throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                        $"Run {f.RunId} of {ProcedureKind.Of(f.RunId).Describe(f.DataStore, f.Primary, f.Secondary, article: "the")} is being run by {cur.Owner}: it cannot be {purpose} from here.", f.RunId,
                        "Let it finish there, or stop it there (Ctrl-C); then it can be resumed or abandoned from any process.", stopsInvocation: true);
                lock (RunningHere) RunningHere.Add(f.RunId);
                var mine = cur != null && cur.RunId == f.RunId ? cur : new RunLock
                {
                    Subject = subject, RunId = f.RunId, DataStore = f.DataStore, Primary = f.Primary, Secondary = f.Secondary, Created = f.Started,
                };
                return mine.WithOwner(ProcessOwner.Current);
            });
        }

        /// <summary>This process stops running the run: the lock stays (the store stays fenced) with no owner, or is released.</summary>
        private static void LetGo(IRunJournalStore journal, string subject, string runId, bool release = false)
        {
            try
            {
                journal.UpdateLock(subject, cur => cur == null || cur.RunId != runId ? cur : release ? null : cur.WithOwner(null));
            }
            finally
            {
                lock (RunningHere) RunningHere.Remove(runId);
            }
        }

        /// <summary>Whether a process is running the run now.</summary>
        private static bool OwnerActive(RunLock? l, string runId)
        {
            if (l?.Owner == null) return false;
            if (l.Owner.IsCurrent) { lock (RunningHere) return RunningHere.Contains(runId); }
            return l.Owner.IsAlive;
        }

        /// <summary>A lock left by a run whose journal says it ended (a process killed between its last record and the release) fences nothing.</summary>
        internal static bool Ended(IRunJournalStore journal, RunLock l) =>
            l.RunId.Length > 0 && l.Damage == null && journal.Read(l.RunId).Records.Any(r => r.Type == "end");

        private static Dictionary<string, string> OwnerData(string user) => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["user"] = user, ["host"] = ProcessOwner.Current.Host,
            ["pid"] = ProcessOwner.Current.Pid.ToString(CultureInfo.InvariantCulture), ["processStart"] = ProcessOwner.Current.StartMs.ToString(CultureInfo.InvariantCulture),
        };

        /// <summary>Records a step's end with the values that changed since the last record (a removed value is recorded empty).</summary>
        private static void Finish(IRunJournalStore journal, string runId, StepReport sr, StepStatus status, string message, Dictionary<string, string> data, Dictionary<string, string> written)
        {
            sr.Status = status;
            sr.Message = message;
            sr.Started ??= journal.Now;
            sr.Ended = journal.Now;
            var rec = Record(journal, "step", sr.Id, status.ToString(), message);
            var changed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var kv in data)
                if (!written.TryGetValue(kv.Key, out var was) || was != kv.Value) changed[kv.Key] = kv.Value;
            foreach (var k in written.Keys.Where(k => !data.ContainsKey(k)).ToList()) changed[k] = "";
            rec.Data = changed;
            journal.Append(runId, rec);
            written.Clear();
            foreach (var kv in data) written[kv.Key] = kv.Value;
        }

        private static bool SafeIsDone<TContext>(Func<TContext, Dictionary<string, string>, bool> isDone, TContext c, Dictionary<string, string> data, string runId)
        {
            try { using (StoreFence.Enter(runId)) return isDone(c, data); }
            catch (BackPakException) { return false; }
        }

        private static StepReport NewStep(StepInfo i) => new StepReport { Number = i.Number, Id = i.Id, Title = i.Title, Node = i.Node, Kind = i.Kind, Source = i.Source, Facility = i.Facility };

        private static JournalRecord Record(IRunJournalStore journal, string type, string? step, string? status, string? message) =>
            new JournalRecord { At = journal.Now, Type = type, Step = step, Status = status, Message = message };

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

        internal static BackPakException InProgress(RunLock l, string dataStore, string what)
        {
            var kind = ProcedureKind.Of(l.RunId);
            return new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                $"Run {l.RunId} of {kind.Describe(NonEmpty(l.DataStore) ?? dataStore, l.Primary, l.Secondary, article: "a")} is not finished: {what}." +
                (l.Owner != null ? $" It was last run by {l.Owner}." : ""), l.RunId,
                $"Continue it ({kind.ResumeAdvice(l.RunId)}) or abandon it (Stop-BPRoleSwitchRun -RunId {l.RunId} -Reason <why>).", stopsInvocation: true);
        }

        private static BackPakException NoRun(string runId, IRunJournalStore journal) => new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
            $"No {ProcedureKind.Of(runId).Noun} run {runId} in the journals of {journal.Location}.", runId, "Get-BPRoleSwitchRun lists the runs.", stopsInvocation: true);

        private static BackPakException Completed(string runId) => new BackPakException(ErrorIds.SwitchRunCompleted, BackPakErrorCategory.InvalidOperation,
            $"Run {runId} is already completed.", runId, "Nothing to resume; Get-BPRoleSwitchRun shows its report.", stopsInvocation: true);

        private static BackPakException Abandoned(RunFacts f) => new BackPakException(ErrorIds.SwitchRunAbandoned, BackPakErrorCategory.InvalidOperation,
            $"Run {f.RunId} was abandoned ({f.Records.LastOrDefault(r => r.Type == "end")?.Message}): it cannot be resumed.", f.RunId,
            $"Start a new switch once the store is ready (Test-BPRoleSwitch {NonEmpty(f.DataStore) ?? "<data store>"} -Primary <node> -Secondary <node>).", stopsInvocation: true);

        private static BackPakException Damaged(RunFacts f) => new BackPakException(ErrorIds.SwitchJournalDamaged, BackPakErrorCategory.InvalidData,
            $"The journal of run {f.RunId} is damaged ({f.Damage}): it cannot be resumed safely.", f.RunId,
            $"Abandon it: Stop-BPRoleSwitchRun -RunId {f.RunId} -Reason <why> releases {NonEmpty(f.DataStore) ?? "its data store"} and says how each side stands; then start a new switch.",
            stopsInvocation: true);
    }

    /// <summary>
    /// The procedures the runner runs, told apart by the prefix of their run ids: what they are called in messages,
    /// how an operator continues one, and the steps of a run as its header describes them.
    /// </summary>
    public sealed class ProcedureKind
    {
        public static readonly ProcedureKind Switch = new ProcedureKind("SW", "switch", ErrorIds.SwitchStepFailed,
            (ds, p, s) => $"switch of {ds} from {p} to {s}",
            id => $"Invoke-BPRoleSwitch -Resume {id}",
            (id, step) => $"run Invoke-BPRoleSwitch -Resume {id} -ConfirmStep {step}",
            (ds, p, s, h) => RoleSwitch.Plan(ds, p, s, h.TryGetValue(RoleSwitch.NewStagingKey, out var staging) ? staging : null).Steps);

        public static readonly ProcedureKind Decommission = new ProcedureKind("DC", "decommission", ErrorIds.DecommissionStepFailed,
            (ds, p, s) => $"decommission of {ds} on {p}" + (s.Length > 0 ? " and " + s : ""),
            id => $"run the same Remove-BPDataStore -Recurse again, which continues run {id}",
            (id, step) => $"run the same Remove-BPDataStore -Recurse again with -ConfirmStep {step}, which continues run {id}",
            (ds, p, s, h) => BackPak.Core.Removal.DataStoreDecommission.StepInfos(ds, p, s, h));

        public static readonly ProcedureKind Recovery = new ProcedureKind("RC", "recovery", ErrorIds.RecoveryStepFailed,
            (ds, p, s) => $"recovery of {ds} at {s} ({p} lost)",
            id => $"Invoke-BPRecovery -Resume {id}",
            (id, step) => $"run Invoke-BPRecovery -Resume {id} -ConfirmStep {step}",
            (ds, p, s, h) => Procedures.Recovery.Plan(ds, p, s).Steps);

        public static readonly ProcedureKind Reprotect = new ProcedureKind("RP", "reprotect", ErrorIds.ReprotectStepFailed,
            (ds, p, s) => $"reprotect of {ds} ({s} made the SECONDARY of {p})",
            id => $"Invoke-BPReprotect -Resume {id}",
            (id, step) => $"run Invoke-BPReprotect -Resume {id} -ConfirmStep {step}",
            (ds, p, s, h) => Procedures.Reprotect.Plan(ds, p, s).Steps);

        /// <summary>A whole-site switch: it has no steps of its own; each of its stores has its switch run (SW-...).</summary>
        public static readonly ProcedureKind SiteSwitch = new ProcedureKind("SS", "site switch", ErrorIds.SwitchStepFailed,
            (ds, p, s) => $"switch of {ds} from {p} to {s}",
            id => $"Invoke-BPRoleSwitch -Resume {id}",
            (id, step) => $"run Invoke-BPRoleSwitch -Resume {id} -ConfirmStep {step}",
            (ds, p, s, h) => new StepInfo[0]);

        /// <summary>Every kind, for a reader that lists or tells apart the runs of a journal.</summary>
        public static IReadOnlyList<ProcedureKind> All => new[] { Switch, Decommission, Recovery, Reprotect, SiteSwitch };

        private readonly Func<string, string, string, string> _describe;

        private ProcedureKind(string prefix, string noun, string stepFailedErrorId, Func<string, string, string, string> describe, Func<string, string> resume,
            Func<string, string, string> confirm, Func<string, string, string, IReadOnlyDictionary<string, string>, IReadOnlyList<StepInfo>> steps)
        {
            Prefix = prefix; Noun = noun; StepFailedErrorId = stepFailedErrorId; _describe = describe; ResumeAdvice = resume; ConfirmAdvice = confirm; StepsOf = steps;
        }

        /// <summary>The start of its run ids: SW-..., DC-...</summary>
        public string Prefix { get; }
        public string Noun { get; }
        public string StepFailedErrorId { get; }
        /// <summary>How the operator continues a run that stopped.</summary>
        public Func<string, string> ResumeAdvice { get; }
        /// <summary>How the operator confirms an external step done by hand.</summary>
        public Func<string, string, string> ConfirmAdvice { get; }
        /// <summary>The steps of a run of this procedure: data store, primary, secondary, and its header's values.</summary>
        public Func<string, string, string, IReadOnlyDictionary<string, string>, IReadOnlyList<StepInfo>> StepsOf { get; }

        /// <summary>"The switch of DS01 from \A to \B", for the start of a sentence.</summary>
        public string Describe(string dataStore, string primary, string secondary, string article = "The") => article + " " + _describe(dataStore, primary, secondary ?? "");

        /// <summary>The kind of a run from its id (a run id without a known prefix is a switch's, as older labs wrote them).</summary>
        public static ProcedureKind Of(string? runId) =>
            runId == null ? Switch : All.FirstOrDefault(k => runId.StartsWith(k.Prefix + "-", StringComparison.Ordinal)) ?? Switch;
    }

    /// <summary>A run stopped by the operator (Ctrl-C) or a stopped pipeline: its journal says so, and it is continued from there.</summary>
    public sealed class ProcedureInterrupted : OperationCanceledException
    {
        public ProcedureInterrupted(ProcedureReport report) : base(report.Message) { Report = report; }
        /// <summary>The run as far as it got.</summary>
        public ProcedureReport Report { get; }
    }

    /// <summary>Thrown by a step that has nothing to do here (left to the operator, or to another facility): recorded Skipped, and the run goes on.</summary>
    internal sealed class StepSkipped : Exception
    {
        public StepSkipped(string why) : base(why) { }
    }
}
