using System;
using System.Collections.Generic;

namespace BackPak.Core.Procedures
{
    /// <summary>What a step does: checks a precondition, waits for a state, changes something, or needs a facility outside BackPak.</summary>
    public enum StepKind
    {
        Check,
        Wait,
        Action,
        /// <summary>Done by a facility outside BackPak (storage or key-server replication): called through IReplicationLink, or confirmed by the operator.</summary>
        External,
    }

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
    }

    public enum RunStatus
    {
        Unknown = 0,
        Running,
        Completed,
        Failed,
        AwaitingOperator,
        /// <summary>The process running it stopped before the end (killed); -Resume continues it.</summary>
        Interrupted,
    }

    /// <summary>One step of a procedure as a plan shows it.</summary>
    public sealed class StepInfo
    {
        public int Number { get; init; }
        public string Id { get; init; } = "";
        public string Title { get; init; } = "";
        public string Node { get; init; } = "";
        public StepKind Kind { get; init; }
        /// <summary>The manual page the step comes from (e.g. "CS p41", "seed"), or "inferred".</summary>
        public string Source { get; init; } = "";
        public bool Inferred => Source.StartsWith("inferred", StringComparison.OrdinalIgnoreCase);
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
        public StepStatus Status { get; set; } = StepStatus.Pending;
        public DateTime? Started { get; set; }
        public DateTime? Ended { get; set; }
        public string? Message { get; set; }
        public TimeSpan? Duration => Started.HasValue && Ended.HasValue ? Ended - Started : null;
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

    /// <summary>Where run journals live. The lab keeps them in its folder; a real site would keep them where its operators can read them.</summary>
    public interface IRunJournalStore
    {
        /// <summary>Creates the journal of a new run and takes the procedure's lock on its subject (one active run per data store).</summary>
        void Begin(string runId, string subject, JournalRecord header);
        void Append(string runId, JournalRecord record);
        IReadOnlyList<JournalRecord> Read(string runId);
        IReadOnlyList<string> RunIds();
        /// <summary>The run holding the lock on a subject, if its process still lives (or it waits for the operator).</summary>
        string? ActiveRun(string subject);
        /// <summary>Takes the lock again to resume a run (refused while another live process holds it).</summary>
        void Reacquire(string runId, string subject);
        void Release(string runId, string subject);
    }
}
