using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Text;

namespace BackPak.Core.Procedures
{
    /// <summary>
    /// A whole-site switch: several data stores switched from one node to the other as one run. Each store is switched by
    /// its own switch run (SW-..., which names the site run in its header); the site run (SS-...) records which stores it
    /// switches, and its report is read from theirs.
    /// </summary>
    public sealed class SiteSwitchReport
    {
        public string RunId { get; set; } = "";
        /// <summary>The node whose stores were PRIMARY when the run started.</summary>
        public string Primary { get; set; } = "";
        public string Secondary { get; set; } = "";
        public string[] DataStores { get; set; } = new string[0];
        public RunStatus Status { get; set; }
        public DateTime Started { get; set; }
        public DateTime? Ended { get; set; }
        public string? User { get; set; }
        /// <summary>How many stores were switched at once, at most.</summary>
        public int ThrottleLimit { get; set; }
        /// <summary>The run of each store, in the order of <see cref="DataStores"/>; null for a store whose run has not started.</summary>
        public List<RoleSwitchReport?> Stores { get; set; } = new List<RoleSwitchReport?>();
        public string? Message { get; set; }
        public int Resumes { get; set; }
        public string? OperationId { get; set; }
        public string? Location { get; set; }
        public string? Duration => Durations.Text(Ended.HasValue ? Ended - Started : null);
        public double? DurationSeconds => Durations.Seconds(Ended.HasValue ? Ended - Started : null);
        public override string ToString() => $"{RunId} {string.Join(",", DataStores)} {Primary}->{Secondary} {Status}";
    }

    /// <summary>What a site switch returns: its report, and the error of each store whose run failed.</summary>
    public sealed class SiteSwitchOutcome
    {
        public SiteSwitchReport Report { get; init; } = new SiteSwitchReport();
        public IReadOnlyList<BackPakException> Errors { get; init; } = new BackPakException[0];
        /// <summary>True when a store's run was stopped by the operator (Ctrl-C).</summary>
        public bool Interrupted { get; init; }
    }

    /// <summary>
    /// Switches several data stores between the same two nodes as one run (issue: whole-site switch). Every store is
    /// checked before any is touched, then every store's run takes its lock before any step runs, so the whole set is
    /// fenced before the first change: one that cannot start refuses them all, with nothing changed. Stores whose
    /// storage replication is one link run one after another (turning it round for one turns it for all); the others run
    /// side by side, at most <c>throttle</c> at a time. Shared link steps (the key link) are serialized by
    /// <see cref="RoleSwitch.TurnLink"/>. A resume continues every store's run where its journal is and starts those
    /// that never started. Parallelism and the grouping rule are inferred: the manual switches one store at a time.
    /// </summary>
    public static class SiteSwitch
    {
        /// <summary>At most this many stores switch at once unless told otherwise (ForEach-Object -Parallel's default).</summary>
        public const int DefaultThrottleLimit = 5;

        /// <summary>The header value of a store's switch run that names the site run it belongs to.</summary>
        internal const string SiteRunKey = "siteRun";

        private const string StoresKey = "dataStores", ThrottleKey = "throttleLimit";

        /// <summary>
        /// The stores that must run one after another: those whose storage replication is the same link (by kind and
        /// name). Stores with no link of their own are independent. Order follows <paramref name="contexts"/>.
        /// </summary>
        public static IReadOnlyList<IReadOnlyList<string>> Groups(IReadOnlyList<RoleSwitchContext> contexts) =>
            contexts.GroupBy(c => c.StorageLink == null ? "store:" + c.DataStore : "link:" + c.StorageLink.Kind + ":" + c.StorageLink.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => (IReadOnlyList<string>)g.Select(c => c.DataStore).ToList()).ToList();

        /// <summary>The stores a site run switches and its sides, from its header (for a resume given only the run id).</summary>
        public static (IReadOnlyList<string> DataStores, string Primary, string Secondary) Subject(IRunJournalStore journal, string runId)
        {
            var h = Header(journal, ProcedureRunner.RequireRunId(runId));
            return (Split(h.Data![StoresKey]), h.Data["primary"], h.Data["secondary"]);
        }

        /// <summary>Starts (or resumes) a site switch. Every context must be of the same two nodes and one journal.</summary>
        public static SiteSwitchOutcome Run(IReadOnlyList<RoleSwitchContext> contexts, string? resumeRunId, string? confirmStep, int throttle,
            Action<string, StepReport, int, int>? progress)
        {
            if (contexts.Count == 0) throw new ArgumentException("no data store", nameof(contexts));
            var journal = contexts[0].Journal;
            string p = contexts[0].Primary.Node, s = contexts[0].Secondary.Node;
            var dup = contexts.GroupBy(c => c.DataStore, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (dup != null)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"{dup.Key} is named more than once: a site switch switches each data store once.", dup.Key,
                    "Give each data store once (Get-BPDataStore on one node lists each once).", stopsInvocation: true);
            if (contexts.Any(c => c.Primary.Node != p || c.Secondary.Node != s || c.Journal.Location != journal.Location))
                throw new ArgumentException("the stores of a site switch have the same two sides", nameof(contexts));
            if (throttle < 1) throttle = 1;

            string runId;
            var previous = new Dictionary<string, RunFacts>(StringComparer.OrdinalIgnoreCase);
            if (resumeRunId != null)
            {
                runId = ProcedureRunner.RequireRunId(resumeRunId);
                var header = Header(journal, runId);
                var stores = Split(header.Data![StoresKey]);
                if (!stores.SequenceEqual(contexts.Select(c => c.DataStore), StringComparer.OrdinalIgnoreCase))
                    throw new ArgumentException("a resume switches the stores of the run", nameof(contexts));
                var end = journal.Read(runId).Records.LastOrDefault(r => r.Type == "end");
                if (end != null && end.Status == nameof(RunStatus.Completed))
                    throw new BackPakException(ErrorIds.SwitchRunCompleted, BackPakErrorCategory.InvalidOperation,
                        $"Run {runId} is already completed.", runId, "Nothing to resume; Get-BPRoleSwitchRun shows its report.", stopsInvocation: true);
                if (end != null)
                    throw new BackPakException(ErrorIds.SwitchRunAbandoned, BackPakErrorCategory.InvalidOperation,
                        $"Run {runId} was abandoned ({end.Message}): it cannot be resumed.", runId,
                        $"Start a new switch of the stores: Invoke-BPRoleSwitch -DataStore {string.Join(", ", stores)} -Primary '{p}' -Secondary '{s}'.", stopsInvocation: true);
                foreach (var kv in Children(journal, runId)) previous[kv.Key] = kv.Value;
                // -ConfirmStep goes to the stores waiting at that step; when none waits there, the first unfinished
                // store's run says why (StepNotAwaitingOperator), before anything is written.
                if (confirmStep != null)
                {
                    var unfinished = previous.Values.Where(f => f.Status != RunStatus.Completed && f.Status != RunStatus.Abandoned).ToList();
                    if (!unfinished.Any(f => f.Awaits(confirmStep)))
                        ProcedureRunner.RequireConfirmable(journal, unfinished.FirstOrDefault()?.DataStore ?? contexts[0].DataStore, unfinished.FirstOrDefault()?.RunId, confirmStep);
                }
                var resumed = new JournalRecord { At = journal.Now, Type = "resume", Message = confirmStep != null ? "operator confirmed " + confirmStep : null };
                journal.Append(runId, resumed);
            }
            else
            {
                // Every store is checked before any run is written: one that cannot start refuses the whole site.
                var refusals = new List<(string DataStore, BackPakException Error)>();
                foreach (var c in contexts)
                {
                    try { RoleSwitch.RequireCanStart(c); }
                    catch (BackPakException e) { refusals.Add((c.DataStore, e)); }
                }
                if (refusals.Count > 0) throw Refused(contexts, p, s, refusals);
                runId = ProcedureKind.SiteSwitch.Prefix + "-" + journal.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
                journal.Append(runId, new JournalRecord
                {
                    At = journal.Now, Type = "run", Status = nameof(RunStatus.Running),
                    Data = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["runId"] = runId, ["user"] = contexts[0].User, [StoresKey] = string.Join(",", contexts.Select(c => c.DataStore)),
                        ["primary"] = p, ["secondary"] = s, [ThrottleKey] = throttle.ToString(CultureInfo.InvariantCulture),
                    },
                });
            }

            // Stores that start now pass one gate: each takes its lock, then waits until every other has taken its own
            // (or failed to); one failure and all of them give up, unchanged.
            var starting = contexts.Where(c => !previous.ContainsKey(c.DataStore)).ToList();
            var gate = new StartGate(starting.Count);
            var slots = new SemaphoreSlim(throttle, throttle);
            var groupOf = new Dictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
            foreach (var g in Groups(contexts)) { var one = new SemaphoreSlim(1, 1); foreach (var ds in g) groupOf[ds] = one; }

            var results = new Dictionary<string, (RoleSwitchReport? Report, BackPakException? Error, bool Interrupted)>(StringComparer.OrdinalIgnoreCase);
            var threads = new List<Thread>();
            ExceptionDispatchInfo? unexpected = null;
            foreach (var c in contexts)
            {
                var ctx = c;
                previous.TryGetValue(ctx.DataStore, out var before);
                var t = new Thread(() =>
                {
                    try
                    {
                        var result = RunStore(ctx, runId, before, confirmStep, gate, slots, groupOf[ctx.DataStore], progress);
                        lock (results) results[ctx.DataStore] = result;
                    }
                    catch (Exception e)
                    {
                        // Not a failure of the store's run (those are in its result): a fault of the process. It reaches
                        // the caller once every store's run has stopped, as it would from a run of one store.
                        lock (results) unexpected ??= ExceptionDispatchInfo.Capture(e);
                    }
                }) { IsBackground = true, Name = "BackPak switch " + ctx.DataStore };
                threads.Add(t);
            }
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            unexpected?.Throw();

            if (gate.Refusals.Count > 0)
            {
                // Nothing changed: every store that had started gave up before its first step.
                var refused = Refused(contexts, p, s, gate.Refusals);
                if (resumeRunId == null)
                    journal.Append(runId, new JournalRecord { At = journal.Now, Type = "end", Status = nameof(RunStatus.Abandoned), Message = "not started: " + refused.Message });
                throw refused;
            }

            var report = Report(journal, runId)!;
            report.OperationId = Audit.Operation.CurrentId;
            // What the runs returned is fresher than their journals for the stores that just ran (their messages).
            for (int i = 0; i < report.DataStores.Length; i++)
                if (results.TryGetValue(report.DataStores[i], out var r) && r.Report != null)
                {
                    r.Report.Location = journal.Location;
                    report.Stores[i] = r.Report;
                }
            Summarize(report);
            if (report.Status == RunStatus.Completed && !journal.Read(runId).Records.Any(x => x.Type == "end"))
            {
                report.Ended = journal.Now;
                journal.Append(runId, new JournalRecord { At = report.Ended.Value, Type = "end", Status = nameof(RunStatus.Completed) });
            }
            return new SiteSwitchOutcome
            {
                Report = report,
                Errors = results.Values.Where(x => x.Error != null).Select(x => x.Error!).ToList(),
                Interrupted = results.Values.Any(x => x.Interrupted),
            };
        }

        private static (RoleSwitchReport? Report, BackPakException? Error, bool Interrupted) RunStore(RoleSwitchContext c, string siteRun, RunFacts? before,
            string? confirmStep, StartGate gate, SemaphoreSlim slots, SemaphoreSlim group, Action<string, StepReport, int, int>? progress)
        {
            bool holding = false;
            Action<StepReport, int, int>? each = progress == null ? null : (step, i, n) => progress(c.DataStore, step, i, n);
            void Acquire()
            {
                // Group before slot, always: a store waiting for its group holds no slot another store needs.
                group.Wait(c.Cancel);
                try { slots.Wait(c.Cancel); }
                catch { group.Release(); throw; }
                holding = true;
            }
            try
            {
                if (before != null)
                {
                    if (before.Status == RunStatus.Completed || before.Status == RunStatus.Abandoned) return (null, null, false);
                    Acquire();
                    string? confirm = confirmStep != null && before.Awaits(confirmStep) ? confirmStep : null;
                    return (ProcedureRunner.RunSwitch(c, before.RunId, confirm, each, siteRun, null), null, false);
                }
                bool arrived = false;
                try
                {
                    return (ProcedureRunner.RunSwitch(c, null, null, each, siteRun, runId =>
                    {
                        arrived = true;
                        var refusal = gate.Arrive();
                        if (refusal != null) return refusal;
                        Acquire();
                        return null;
                    }), null, false);
                }
                catch (BackPakException e) when (!arrived)
                {
                    gate.Fail(c.DataStore, e);
                    return (null, null, false);
                }
                catch (Exception e) when (!arrived && !(e is OperationCanceledException))
                {
                    // The process fails under this store before it reached the gate: the others must not wait for it.
                    gate.Fail(c.DataStore, new BackPakException(ErrorIds.UnexpectedError, BackPakErrorCategory.InvalidOperation, $"{c.DataStore}: {e.Message}", c.DataStore, stopsInvocation: true));
                    throw;
                }
                catch (OperationCanceledException) when (!arrived)
                {
                    gate.Fail(c.DataStore, new BackPakException(ErrorIds.SwitchPreconditionFailed, BackPakErrorCategory.InvalidOperation,
                        $"{c.DataStore}: stopped by the operator before its run took its lock.", c.DataStore, stopsInvocation: true));
                    return (null, null, true);
                }
            }
            catch (ProcedureInterrupted e) { return (e.Report as RoleSwitchReport, null, true); }
            catch (OperationCanceledException) { return (null, null, true); }
            catch (BackPakException e) when (gate.IsRefusal(e)) { return (null, null, false); }
            catch (BackPakException e) { return (e.Target as RoleSwitchReport, e, false); }
            finally
            {
                if (holding) { slots.Release(); group.Release(); }
            }
        }

        /// <summary>The report of a site run from its journal and its stores' journals, or null when there is no such run.</summary>
        public static SiteSwitchReport? Report(IRunJournalStore journal, string runId)
        {
            runId = ProcedureRunner.RequireRunId(runId);
            if (ProcedureKind.Of(runId) != ProcedureKind.SiteSwitch) return null;
            var content = journal.Read(runId);
            var header = HeaderOf(content);
            if (header == null) return null;
            var stores = Split(header.Data![StoresKey]);
            var children = Children(journal, runId);
            var report = new SiteSwitchReport
            {
                RunId = runId, Primary = header.Data["primary"], Secondary = header.Data["secondary"], DataStores = stores.ToArray(),
                Started = header.At, User = header.Data.TryGetValue("user", out var u) ? u : null, Location = journal.Location,
                ThrottleLimit = header.Data.TryGetValue(ThrottleKey, out var t) && int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : DefaultThrottleLimit,
                Resumes = content.Records.Count(r => r.Type == "resume"),
                Stores = stores.Select(ds => children.TryGetValue(ds, out var f) ? ProcedureRunner.Report(journal, f.RunId) : null).ToList(),
            };
            var end = content.Records.LastOrDefault(r => r.Type == "end");
            Summarize(report);
            if (end != null)
            {
                report.Ended = end.At;
                if (end.Status == nameof(RunStatus.Abandoned)) { report.Status = RunStatus.Abandoned; report.Message = end.Message; }
            }
            return report;
        }

        /// <summary>
        /// Gives a site run up (Stop-BPRoleSwitchRun): every store's unfinished run is abandoned (its store released; a run
        /// whose process lives refuses, and the site run stays as it was for the stores not yet given up), then the site
        /// run is ended. Returns the site report and each abandoned store's report.
        /// </summary>
        public static (SiteSwitchReport Report, IReadOnlyList<RoleSwitchReport> Abandoned) Abandon(IRunJournalStore journal, string runId, string reason, string user,
            Func<string, string, string, IReadOnlyList<RoleSwitchSide>> sides)
        {
            runId = ProcedureRunner.RequireRunId(runId);
            Header(journal, runId);
            var before = Report(journal, runId)!;
            if (before.Status == RunStatus.Completed)
                throw new BackPakException(ErrorIds.SwitchRunCompleted, BackPakErrorCategory.InvalidOperation, $"Run {runId} is already completed.", runId,
                    "Nothing to abandon; Get-BPRoleSwitchRun shows its report.", stopsInvocation: true);
            if (journal.Read(runId).Records.Any(r => r.Type == "end"))
                throw new BackPakException(ErrorIds.SwitchRunAbandoned, BackPakErrorCategory.InvalidOperation, $"Run {runId} is already ended ({before.Message}).", runId,
                    "Nothing to abandon; Get-BPRoleSwitchRun shows its report.", stopsInvocation: true);
            var abandoned = new List<RoleSwitchReport>();
            foreach (var store in before.Stores)
                if (store != null && store.Status != RunStatus.Completed && store.Status != RunStatus.Abandoned)
                    abandoned.Add(ProcedureRunner.Abandon(journal, store.RunId, reason, user, sides));
            var end = new JournalRecord { At = journal.Now, Type = "end", Status = nameof(RunStatus.Abandoned), Message = reason };
            end.Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = user };
            journal.Append(runId, end);
            var report = Report(journal, runId)!;
            report.OperationId = Audit.Operation.CurrentId;
            var done = report.DataStores.Zip(report.Stores, (ds, x) => (ds, x)).Where(z => z.x?.Status == RunStatus.Completed).Select(z => z.ds).ToList();
            report.Message = $"Site run {runId} is abandoned ({reason})." +
                (done.Count > 0 ? $" Already switched to {report.Secondary}: {string.Join(", ", done)}." : "") +
                (abandoned.Count > 0 ? " Given up: " + string.Join(" ", abandoned.Select(a => a.Message)) : "");
            return (report, abandoned);
        }

        /// <summary>Every site run of a journal store, oldest first.</summary>
        public static IReadOnlyList<SiteSwitchReport> Reports(IRunJournalStore journal) =>
            journal.RunIds().Where(id => ProcedureKind.Of(id) == ProcedureKind.SiteSwitch).Select(id => Report(journal, id))
                .Where(r => r != null).Select(r => r!).OrderBy(r => r.Started).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();

        /// <summary>The status of the whole from its stores': completed only when every store is; a failure or a stop first.</summary>
        private static void Summarize(SiteSwitchReport r)
        {
            var known = r.Stores.Select(x => x?.Status ?? RunStatus.Interrupted).ToList();
            r.Status = known.All(x => x == RunStatus.Completed) ? RunStatus.Completed
                : known.Any(x => x == RunStatus.Failed || x == RunStatus.Damaged) ? RunStatus.Failed
                : known.Any(x => x == RunStatus.Interrupted || x == RunStatus.Unknown) ? RunStatus.Interrupted
                : known.Any(x => x == RunStatus.AwaitingOperator) ? RunStatus.AwaitingOperator
                : known.Any(x => x == RunStatus.Running) ? RunStatus.Running
                : RunStatus.Abandoned;
            if (r.Status == RunStatus.Completed)
            {
                r.Ended = r.Stores.Max(x => x!.Ended);
                r.Message = $"{r.DataStores.Length} data stores switched from {r.Primary} to {r.Secondary}.";
                return;
            }
            var open = r.DataStores.Zip(r.Stores, (ds, x) => (ds, x)).Where(z => z.x?.Status != RunStatus.Completed)
                .Select(z => z.x == null ? $"{z.ds}: not started" : $"{z.ds} ({z.x.RunId}): {z.x.Status}" + (z.x.Message != null ? " - " + z.x.Message.TrimEnd('.') : "")).ToList();
            string advice = r.Status == RunStatus.Abandoned
                ? " A store whose run was abandoned is switched on its own: Invoke-BPRoleSwitch -DataStore <store> -Primary ... -Secondary ...."
                : $" Continue the whole site: Invoke-BPRoleSwitch -Resume {r.RunId}" + (r.Status == RunStatus.AwaitingOperator ? " -ConfirmStep <step>" : "") + ".";
            r.Message = $"{r.DataStores.Length - open.Count} of {r.DataStores.Length} data stores switched; " + string.Join("; ", open) + "." + advice;
        }

        private static JournalRecord Header(IRunJournalStore journal, string runId)
        {
            if (ProcedureKind.Of(runId) != ProcedureKind.SiteSwitch)
                throw new ArgumentException("not a site run", nameof(runId));
            var content = journal.Read(runId);
            var header = HeaderOf(content);
            if (header == null)
                throw new BackPakException(ErrorIds.SwitchRunNotFound, content.Exists ? BackPakErrorCategory.InvalidData : BackPakErrorCategory.ObjectNotFound,
                    content.Exists ? $"The journal of site run {runId} in {journal.Location} does not begin with its header: it cannot be resumed."
                        : $"No site switch run {runId} in the journals of {journal.Location}.",
                    runId, "Get-BPRoleSwitchRun lists the runs; each store's own run (SW-...) can be resumed or stopped on its own.", stopsInvocation: true);
            return header;
        }

        /// <summary>A site run's header, when its journal has one that says what it switches; else null.</summary>
        private static JournalRecord? HeaderOf(JournalContent content)
        {
            var header = content.Records.FirstOrDefault(r => r.Type == "run");
            return content.Exists && header?.Data != null && header.Data.ContainsKey(StoresKey) && header.Data.ContainsKey("primary") && header.Data.ContainsKey("secondary")
                ? header : null;
        }

        /// <summary>A store's switch run that belongs to a site run, as far as the site needs it.</summary>
        private sealed class RunFacts
        {
            public string RunId = "", DataStore = "";
            public RunStatus Status;
            /// <summary>The step the run waits at for the operator, or null.</summary>
            public string? Awaiting;
            public bool Awaits(string step) => Status == RunStatus.AwaitingOperator && string.Equals(Awaiting, step, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The switch run of each store of a site run (the newest, should there be two), found by the site run id in their headers.</summary>
        private static Dictionary<string, RunFacts> Children(IRunJournalStore journal, string siteRun)
        {
            var found = new Dictionary<string, RunFacts>(StringComparer.OrdinalIgnoreCase);
            foreach (var id in journal.RunIds().Where(id => ProcedureKind.Of(id) == ProcedureKind.Switch).OrderBy(id => id, StringComparer.Ordinal))
            {
                var header = journal.Read(id).Records.FirstOrDefault(r => r.Type == "run");
                if (header?.Data == null || !header.Data.TryGetValue(SiteRunKey, out var site) || site != siteRun || !header.Data.TryGetValue("dataStore", out var ds)) continue;
                var report = ProcedureRunner.Report(journal, id);
                // A store that was refused at the gate ended "not started": it is started again by a resume.
                if (report == null || (report.Status == RunStatus.Abandoned && report.Steps.All(x => x.Started == null) && (report.Reason ?? "").StartsWith("not started", StringComparison.Ordinal))) continue;
                found[ds] = new RunFacts
                {
                    RunId = id, DataStore = ds, Status = report.Status,
                    Awaiting = report.Steps.FirstOrDefault(x => x.Status == StepStatus.AwaitingOperator)?.Id,
                };
            }
            return found;
        }

        private static IReadOnlyList<string> Split(string stores) => stores.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);

        private static BackPakException Refused(IReadOnlyList<RoleSwitchContext> contexts, string p, string s, IReadOnlyList<(string DataStore, BackPakException Error)> refusals)
        {
            var first = refusals[0].Error;
            return new BackPakException(ErrorIds.SiteSwitchRefused, BackPakErrorCategory.InvalidOperation,
                $"The switch of {string.Join(", ", contexts.Select(c => c.DataStore))} from {p} to {s} was refused: " +
                string.Join(" ", refusals.Select(r => r.DataStore + ": " + r.Error.Message)) + " No data store was changed.",
                refusals.Select(r => r.DataStore).ToArray(),
                (refusals.Count == 1 ? first.RecommendedAction + " " : "") + "Fix what each store needs, or leave it out of the list, then start the switch again.",
                stopsInvocation: true, inner: first);
        }

        /// <summary>
        /// Where the stores that start together meet once each has taken its lock: none goes on until all have (or one
        /// could not), so a refusal of one leaves every other unchanged.
        /// </summary>
        private sealed class StartGate
        {
            private readonly int _count;
            private int _arrived;
            private readonly List<(string, BackPakException)> _refusals = new List<(string, BackPakException)>();
            private readonly HashSet<BackPakException> _given = new HashSet<BackPakException>();

            public StartGate(int count) { _count = count; }

            public IReadOnlyList<(string DataStore, BackPakException Error)> Refusals { get { lock (this) return _refusals.ToList(); } }

            public void Fail(string dataStore, BackPakException e)
            {
                lock (this) { _refusals.Add((dataStore, e)); Monitor.PulseAll(this); }
            }

            /// <summary>Waits for all; returns the refusal to give up with when another store failed, else null.</summary>
            public BackPakException? Arrive()
            {
                lock (this)
                {
                    _arrived++;
                    Monitor.PulseAll(this);
                    while (_arrived + _refusals.Count < _count) Monitor.Wait(this);
                    if (_refusals.Count == 0) return null;
                    var e = new BackPakException(ErrorIds.SiteSwitchRefused, BackPakErrorCategory.InvalidOperation,
                        "another data store of the site switch could not start: " + string.Join("; ", _refusals.Select(r => r.Item1)), null, stopsInvocation: true);
                    _given.Add(e);
                    return e;
                }
            }

            public bool IsRefusal(BackPakException e) { lock (this) return _given.Contains(e); }
        }
    }
}
