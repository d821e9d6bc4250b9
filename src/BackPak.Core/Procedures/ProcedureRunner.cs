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
    /// </summary>
    public static class ProcedureRunner
    {
        public static RoleSwitchReport RunSwitch(RoleSwitchContext c, string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress)
        {
            string subject = "switch-" + c.DataStore;
            string p = c.Primary.Node, s = c.Secondary.Node;
            var steps = RoleSwitch.Definition(c.DataStore, p, s);
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            var done = new HashSet<string>(StringComparer.Ordinal);
            var interrupted = new HashSet<string>(StringComparer.Ordinal); // started, never finished: killed or failed
            string? awaiting = null;
            RoleSwitchReport report;
            string runId;

            if (resumeRunId != null)
            {
                runId = resumeRunId;
                var records = c.Journal.Read(runId);
                var header = records.FirstOrDefault(r => r.Type == "run") ?? throw NoRun(runId);
                if (header.Data == null || header.Data["dataStore"] != c.DataStore || header.Data["primary"] != p || header.Data["secondary"] != s)
                    throw new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.InvalidArgument,
                        $"Run {runId} switches {header.Data?["dataStore"]} from {header.Data?["primary"]} to {header.Data?["secondary"]}, not {c.DataStore} from {p} to {s}.",
                        runId, "Resume it with the data store and nodes it was started with (Get-BPRoleSwitchRun shows them).", stopsInvocation: true);
                if (records.Any(r => r.Type == "end" && r.Status == RunStatus.Completed.ToString()))
                    throw new BackPakException(ErrorIds.SwitchRunCompleted, BackPakErrorCategory.InvalidOperation,
                        $"Run {runId} is already completed.", runId, "Nothing to resume; Get-BPRoleSwitchRun shows its report.", stopsInvocation: true);
                c.Journal.Reacquire(runId, subject);
                foreach (var r in records)
                {
                    if (r.Data != null) foreach (var kv in r.Data) data[kv.Key] = kv.Value;
                    if (r.Type == "step" && r.Step != null)
                    {
                        if (r.Status == StepStatus.Done.ToString() || r.Status == StepStatus.AlreadyDone.ToString()) { done.Add(r.Step); interrupted.Remove(r.Step); }
                        else if (r.Status == StepStatus.Running.ToString() || r.Status == StepStatus.Failed.ToString()) interrupted.Add(r.Step);
                        awaiting = r.Status == StepStatus.AwaitingOperator.ToString() ? r.Step : awaiting == r.Step ? null : awaiting;
                    }
                }
                report = Rebuild(runId, c, header, steps.Select(x => x.Info), records);
                report.Resumes++;
                var resumed = Record("resume", null, null, confirmStep != null ? "operator confirmed " + confirmStep : null);
                resumed.Data = new Dictionary<string, string> { ["pid"] = System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture) };
                c.Journal.Append(runId, resumed);
            }
            else
            {
                var active = c.Journal.ActiveRun(subject);
                if (active != null)
                    throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                        $"Run {active} of a switch of {c.DataStore} is not finished: another run on the same data store is refused.", active,
                        $"Resume it: Invoke-BPRoleSwitch -DataStore {c.DataStore} -Primary '{p}' -Secondary '{s}' -Resume {active}.", stopsInvocation: true);
                runId = "SW-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
                var header = Record("run", null, RunStatus.Running.ToString(), null);
                header.Data = new Dictionary<string, string>
                {
                    ["dataStore"] = c.DataStore, ["primary"] = p, ["secondary"] = s, ["user"] = c.User,
                    ["pid"] = System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture),
                };
                c.Journal.Begin(runId, subject, header);
                report = new RoleSwitchReport
                {
                    RunId = runId, DataStore = c.DataStore, Primary = p, Secondary = s, Started = header.At, User = c.User, Status = RunStatus.Running,
                    Steps = steps.Select(x => NewStep(x.Info)).ToList(),
                };
            }

            report.Status = RunStatus.Running;
            report.FailedStep = null;
            report.Message = null;
            for (int i = 0; i < steps.Count; i++)
            {
                var (info, run, isDone, _) = steps[i];
                var sr = report.Steps[i];
                progress?.Invoke(sr, i, steps.Count);
                if (awaiting == info.Id && confirmStep != null && string.Equals(confirmStep, info.Id, StringComparison.OrdinalIgnoreCase))
                {
                    Finish(c, runId, sr, StepStatus.Done, "confirmed by the operator", data);
                    done.Add(info.Id);
                    continue;
                }
                if (done.Contains(info.Id)) continue; // done in an earlier attempt: the journal says so, and later steps may have moved on
                if (interrupted.Contains(info.Id) && info.Kind != StepKind.Check && SafeIsDone(isDone, c, data))
                {
                    // The interrupted step had finished its work before the process died: verified, not redone.
                    Finish(c, runId, sr, StepStatus.AlreadyDone, "its end state already holds", data);
                    done.Add(info.Id);
                    continue;
                }
                sr.Status = StepStatus.Running;
                sr.Started = DateTime.UtcNow;
                sr.Ended = null;
                c.Journal.Append(runId, Record("step", info.Id, StepStatus.Running.ToString(), null));
                try
                {
                    string message = run(c, data);
                    Finish(c, runId, sr, StepStatus.Done, message, data);
                }
                catch (RoleSwitch.AwaitOperator e)
                {
                    sr.Status = StepStatus.AwaitingOperator;
                    sr.Message = e.Message;
                    c.Journal.Append(runId, Record("step", info.Id, StepStatus.AwaitingOperator.ToString(), e.Message));
                    report.Status = RunStatus.AwaitingOperator;
                    report.Message = $"Step {info.Number} ({info.Id}) waits for the operator: {e.Message} Then run Invoke-BPRoleSwitch -Resume {runId} -ConfirmStep {info.Id}.";
                    return report;
                }
                catch (Exception e) when (e is BackPakException || e is InvalidOperationException || e is System.IO.IOException || e is OperationCanceledException)
                {
                    sr.Status = StepStatus.Failed;
                    sr.Ended = DateTime.UtcNow;
                    sr.Message = e.Message;
                    c.Journal.Append(runId, Record("step", info.Id, StepStatus.Failed.ToString(), e.Message));
                    report.Status = RunStatus.Failed;
                    report.FailedStep = info.Id;
                    report.Message = $"Step {info.Number} ({info.Id}) failed: {e.Message}";
                    throw new BackPakException(ErrorIds.SwitchStepFailed, BackPakErrorCategory.InvalidResult,
                        $"The switch of {c.DataStore} from {p} to {s} stopped at step {info.Number} ({info.Id}), run {runId}: {e.Message}", report,
                        $"Fix the cause, then continue: Invoke-BPRoleSwitch -DataStore {c.DataStore} -Primary '{p}' -Secondary '{s}' -Resume {runId}.",
                        stopsInvocation: true, inner: e);
                }
            }
            report.Status = RunStatus.Completed;
            report.Ended = DateTime.UtcNow;
            c.Journal.Append(runId, Record("end", null, RunStatus.Completed.ToString(), null));
            c.Journal.Release(runId, subject);
            return report;
        }

        /// <summary>The report of a run from its journal alone (Get-BPRoleSwitchRun).</summary>
        public static RoleSwitchReport Report(string runId, IReadOnlyList<JournalRecord> records, Func<string, bool> ownerAlive)
        {
            var header = records.FirstOrDefault(r => r.Type == "run") ?? throw NoRun(runId);
            var d = header.Data ?? new Dictionary<string, string>();
            var steps = RoleSwitch.Plan(d["dataStore"], d["primary"], d["secondary"]).Steps;
            var report = Rebuild(runId, null, header, steps, records);
            if (report.Status == RunStatus.Running && !ownerAlive(runId)) report.Status = RunStatus.Interrupted;
            return report;
        }

        private static RoleSwitchReport Rebuild(string runId, RoleSwitchContext? c, JournalRecord header, IEnumerable<StepInfo> steps, IReadOnlyList<JournalRecord> records)
        {
            var d = header.Data ?? new Dictionary<string, string>();
            var report = new RoleSwitchReport
            {
                RunId = runId, DataStore = d["dataStore"], Primary = d["primary"], Secondary = d["secondary"], Started = header.At,
                User = d.TryGetValue("user", out var u) ? u : null, Status = RunStatus.Running, Steps = steps.Select(NewStep).ToList(),
            };
            foreach (var r in records)
            {
                if (r.Type == "resume") report.Resumes++;
                if (r.Type == "end") { report.Status = RunStatus.Completed; report.Ended = r.At; }
                if (r.Type != "step" || r.Step == null) continue;
                var sr = report.Steps.FirstOrDefault(x => x.Id == r.Step);
                if (sr == null) continue;
                var st = Enum.TryParse<StepStatus>(r.Status, out var v) ? v : StepStatus.Unknown;
                if (st == StepStatus.Running) { sr.Started = r.At; sr.Ended = null; }
                else sr.Ended = r.At;
                sr.Status = st;
                sr.Message = r.Message ?? sr.Message;
                if (st == StepStatus.Failed) { report.Status = RunStatus.Failed; report.FailedStep = sr.Id; report.Message = r.Message; }
                if (st == StepStatus.AwaitingOperator) { report.Status = RunStatus.AwaitingOperator; report.Message = r.Message; }
                if (st == StepStatus.Done || st == StepStatus.AlreadyDone) { if (report.Status != RunStatus.Completed) report.Status = RunStatus.Running; }
            }
            return report;
        }

        private static void Finish(RoleSwitchContext c, string runId, StepReport sr, StepStatus status, string message, Dictionary<string, string> data)
        {
            sr.Status = status;
            sr.Message = message;
            sr.Started ??= DateTime.UtcNow;
            sr.Ended = DateTime.UtcNow;
            var rec = Record("step", sr.Id, status.ToString(), message);
            rec.Data = new Dictionary<string, string>(data);
            c.Journal.Append(runId, rec);
        }

        private static bool SafeIsDone(Func<RoleSwitchContext, Dictionary<string, string>, bool> isDone, RoleSwitchContext c, Dictionary<string, string> data)
        {
            try { return isDone(c, data); }
            catch (BackPakException) { return false; }
        }

        private static StepReport NewStep(StepInfo i) => new StepReport { Number = i.Number, Id = i.Id, Title = i.Title, Node = i.Node, Kind = i.Kind, Source = i.Source };

        private static JournalRecord Record(string type, string? step, string? status, string? message) =>
            new JournalRecord { At = DateTime.UtcNow, Type = type, Step = step, Status = status, Message = message };

        private static BackPakException NoRun(string runId) => new BackPakException(ErrorIds.SwitchRunNotFound, BackPakErrorCategory.ObjectNotFound,
            $"No switch run {runId} in the journal.", runId, "Get-BPRoleSwitchRun lists the runs.", stopsInvocation: true);
    }
}
