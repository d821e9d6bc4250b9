using System;
using System.Collections.Generic;
using System.Threading;
using BackPak.Core.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Procedures
{
    /// <summary>What a step does: checks a precondition, waits for a state, changes something, or needs a facility outside BackPak.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum StepKind
    {
        Check,
        Wait,
        Action,
        /// <summary>Done by a facility outside BackPak (storage or key-server replication): called through IReplicationLink, or confirmed by the operator.</summary>
        External,
        /// <summary>
        /// Done by the operator where the provider cannot do it (a BackPak GUI page, TACL, the storage's tools): the run
        /// waits for -ConfirmStep, then checks it with a read where one exists.
        /// </summary>
        Operator,
    }

    [JsonConverter(typeof(StringEnumConverter))]

    public enum StepStatus
    {
        Unknown = 0,
        Pending,
        Running,
        Done,
        /// <summary>Already in its end state when the run came to it (a resumed run, or a state set by hand).</summary>
        AlreadyDone,
        Failed,
        /// <summary>An external step with no facility to call: the operator does it, then resumes the run with -ConfirmStep.</summary>
        AwaitingOperator,
        Skipped,
        /// <summary>Stopped by the operator (Ctrl-C) or by a stopped pipeline while it ran; -Resume redoes it.</summary>
        Interrupted,
    }

    [JsonConverter(typeof(StringEnumConverter))]

    public enum RunStatus
    {
        Unknown = 0,
        Running,
        Completed,
        Failed,
        AwaitingOperator,
        /// <summary>The process running it stopped before the end (killed, Ctrl-C); -Resume continues it.</summary>
        Interrupted,
        /// <summary>Given up by the operator (Stop-BPRoleSwitchRun): its lock is released and it cannot be resumed.</summary>
        Abandoned,
        /// <summary>Its journal cannot be read whole (cut, emptied, overwritten, deleted): it cannot be resumed; Stop-BPRoleSwitchRun releases it.</summary>
        Damaged,
    }

    /// <summary>One step of a procedure as a plan shows it.</summary>
    public sealed class StepInfo
    {
        public int Number { get; init; }
        public string Id { get; init; } = "";
        public string Title { get; init; } = "";
        public string Node { get; init; } = "";
        public StepKind Kind { get; init; }
        /// <summary>The manual page the step comes from (e.g. "CS p41", "CS p42 (step 2)"), or "inferred".</summary>
        public string Source { get; init; } = "";
        public bool Inferred => Source.StartsWith("inferred", StringComparison.OrdinalIgnoreCase);
        /// <summary>
        /// For a step that checks or reverses replication, in a plan made for two connected domains: the link that does it
        /// (a script registered for the data store, the provider's link) or "none" when the operator does it by hand.
        /// </summary>
        public string? Facility { get; init; }
        public override string ToString() => $"{Number}. {Id} ({Node}, {Kind}, {Source})";
    }

    /// <summary>How one step of a run went.</summary>
    public sealed class StepReport
    {
        public int Number { get; init; }
        public string Id { get; init; } = "";
        public string Title { get; init; } = "";
        public string Node { get; init; } = "";
        public StepKind Kind { get; init; }
        public string Source { get; init; } = "";
        /// <summary>
        /// For a step that checks or reverses replication: the link it used when it last ran (as <see cref="StepInfo.Facility"/>
        /// names it), from the run's journal; for a step not run yet, the link the run would use. Null for a run whose
        /// journal does not record it (one started by an older version of the module).
        /// </summary>
        public string? Facility { get; set; }
        public StepStatus Status { get; set; } = StepStatus.Pending;
        public DateTime? Started { get; set; }
        public DateTime? Ended { get; set; }
        public string? Message { get; set; }
        /// <summary>How long it took, as text (<c>[d.]hh:mm:ss[.fff]</c>), or null while it runs; a TimeSpan would spread into 15 fields in JSON.</summary>
        public string? Duration => Durations.Text(Started.HasValue && Ended.HasValue ? Ended - Started : null);
        public double? DurationSeconds => Durations.Seconds(Started.HasValue && Ended.HasValue ? Ended - Started : null);
    }

    /// <summary>
    /// A run of a procedure (a switch of roles, a decommission): its steps, their status and times, and how it ended.
    /// The runner (<see cref="ProcedureRunner"/>) fills it from what it does and from the journal.
    /// </summary>
    public abstract class ProcedureReport
    {
        public string RunId { get; set; } = "";
        public string DataStore { get; set; } = "";
        /// <summary>The node of the PRIMARY side (for a decommission: the node whose store is removed first).</summary>
        public string Primary { get; set; } = "";
        /// <summary>The node of the SECONDARY side; empty when the procedure has none.</summary>
        public string Secondary { get; set; } = "";
        public RunStatus Status { get; set; }
        public DateTime Started { get; set; }
        public DateTime? Ended { get; set; }
        public string? User { get; set; }
        public List<StepReport> Steps { get; set; } = new List<StepReport>();
        public string? FailedStep { get; set; }
        public string? Message { get; set; }
        public int Resumes { get; set; }
        /// <summary>Why the run was abandoned (Stop-BPRoleSwitchRun -Reason), or null.</summary>
        public string? Reason { get; set; }
        /// <summary>
        /// The operation (one command) that ran, resumed or abandoned the run and made this report: its audit records
        /// carry the same id. Null for a report read back from a journal (Get-BPRoleSwitchRun).
        /// </summary>
        public string? OperationId { get; set; }
        /// <summary>Where the run's journal lives (a lab folder): the run is resumed or stopped there.</summary>
        public string? Location { get; set; }
        /// <summary>How long it took, as text (<c>[d.]hh:mm:ss[.fff]</c>), or null while it runs; a TimeSpan would spread into 15 fields in JSON.</summary>
        public string? Duration => Durations.Text(Ended.HasValue ? Ended - Started : null);
        public double? DurationSeconds => Durations.Seconds(Ended.HasValue ? Ended - Started : null);
    }

    /// <summary>What every procedure's context gives the runner: its data store, its sides, its journal, who runs it, and Ctrl-C.</summary>
    public interface IProcedureContext
    {
        string DataStore { get; }
        string PrimaryNode { get; }
        /// <summary>Empty when the procedure has no second side.</summary>
        string SecondaryNode { get; }
        IRunJournalStore Journal { get; }
        string User { get; }
        CancellationToken Cancel { get; }
    }

    /// <summary>One step of a procedure for the runner: what it is, how it is done, and how its end state is checked.</summary>
    public sealed class ProcedureStep<TContext>
    {
        public ProcedureStep(StepInfo info, Func<TContext, Dictionary<string, string>, string> run, Func<TContext, Dictionary<string, string>, bool> isDone)
        {
            Info = info; Run = run; IsDone = isDone;
        }

        public StepInfo Info { get; }
        /// <summary>Does the step (idempotent) with the run's recorded values; returns a message for the report.</summary>
        public Func<TContext, Dictionary<string, string>, string> Run { get; }
        /// <summary>True when the step's end state already holds.</summary>
        public Func<TContext, Dictionary<string, string>, bool> IsDone { get; }
        /// <summary>
        /// For a step the operator does: checks, by a read, that it was done once the operator confirms it, and says
        /// what it saw; throws when it was not (the step then stays the operator's). Null: nothing can read it.
        /// </summary>
        public Func<TContext, Dictionary<string, string>, string>? Verify { get; init; }
    }

    /// <summary>One record of a run journal (JSON lines): the run header, or a step event.</summary>
    public sealed class JournalRecord
    {
        public DateTime At { get; set; }
        /// <summary>"run" (header), "step", "end".</summary>
        public string Type { get; set; } = "";
        public string? Step { get; set; }
        public string? Status { get; set; }
        public string? Message { get; set; }
        public Dictionary<string, string>? Data { get; set; }
    }

    /// <summary>
    /// The lock an unfinished run holds on its subject (one active run per data store). It is also the fence: while it
    /// exists, every other change of the data store on either side is refused (<see cref="StoreFence"/>). It names the
    /// run and its sides, so a run whose journal is lost can still be reported and released.
    /// </summary>
    public sealed class RunLock
    {
        public string Subject { get; init; } = "";
        public string RunId { get; init; } = "";
        public string DataStore { get; init; } = "";
        public string Primary { get; init; } = "";
        public string Secondary { get; init; } = "";
        public DateTime Created { get; init; }
        /// <summary>The process running the run now, or null when none does (interrupted, failed, waiting for the operator).</summary>
        public ProcessOwner? Owner { get; init; }
        /// <summary>Why the lock itself cannot be read, or null.</summary>
        public string? Damage { get; init; }

        public RunLock WithOwner(ProcessOwner? owner) => new RunLock
        {
            Subject = Subject, RunId = RunId, DataStore = DataStore, Primary = Primary, Secondary = Secondary, Created = Created, Owner = owner, Damage = Damage,
        };
    }

    /// <summary>A journal as read: its records, and the lines that could not be read (1-based). Core judges what that means.</summary>
    public sealed class JournalContent
    {
        public bool Exists { get; init; }
        public long Length { get; init; }
        public IReadOnlyList<JournalRecord> Records { get; init; } = new JournalRecord[0];
        public IReadOnlyList<int> UnreadableLines { get; init; } = new int[0];
        public int Lines { get; init; }
    }

    /// <summary>Where run journals live. The lab keeps them in its folder; a real site would keep them where its operators can read them.</summary>
    public interface IRunJournalStore
    {
        /// <summary>Where the journals are (a lab folder): a run is resumed or stopped where it was started.</summary>
        string Location { get; }
        /// <summary>
        /// The clock runs are stamped with: the estate's (in a lab, the lab's clock), the one its domains stamp audit
        /// records with, so a run report and the audit of the same change agree.
        /// </summary>
        DateTime Now { get; }
        /// <summary>Appends one record; it is on disk (flushed) when this returns. Creates the journal with its first record.</summary>
        void Append(string runId, JournalRecord record);
        JournalContent Read(string runId);
        /// <summary>Runs with a journal or a lock.</summary>
        IReadOnlyList<string> RunIds();
        /// <summary>The lock on a subject, or null.</summary>
        RunLock? ActiveRun(string subject);
        /// <summary>Every lock held.</summary>
        IReadOnlyList<RunLock> ActiveRuns();
        /// <summary>
        /// Reads the lock of a subject, lets <paramref name="change"/> decide (it may throw to refuse) and stores what
        /// it returns (null removes the lock), atomically with respect to every other update of that lock, in any process.
        /// </summary>
        RunLock? UpdateLock(string subject, Func<RunLock?, RunLock?> change);
    }
}
