using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Procedures;

namespace BackPak.FakeProvider
{
    /// <summary>Run journals and locks in memory, for one estate (both sides share it, as a site's would be shared).</summary>
    public sealed class FakeRunJournal : IRunJournalStore
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, List<JournalRecord>> _runs = new Dictionary<string, List<JournalRecord>>(StringComparer.Ordinal);
        private readonly Dictionary<string, RunLock> _locks = new Dictionary<string, RunLock>(StringComparer.Ordinal);

        private readonly Func<DateTime> _clock;

        public FakeRunJournal(string location, Func<DateTime>? clock = null) { Location = location; _clock = clock ?? (() => DateTime.UtcNow); }

        public string Location { get; }

        public DateTime Now => _clock();

        public void Append(string runId, JournalRecord record)
        {
            lock (_gate)
            {
                if (!_runs.TryGetValue(runId, out var list)) _runs[runId] = list = new List<JournalRecord>();
                list.Add(Copy(record));
            }
        }

        public JournalContent Read(string runId)
        {
            lock (_gate)
            {
                if (!_runs.TryGetValue(runId, out var list)) return new JournalContent { Exists = false };
                return new JournalContent { Exists = true, Length = list.Count, Records = list.Select(Copy).ToList(), Lines = list.Count };
            }
        }

        public IReadOnlyList<string> RunIds()
        {
            lock (_gate) return _runs.Keys.Union(_locks.Values.Select(l => l.RunId)).Where(id => id.Length > 0).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToList();
        }

        public RunLock? ActiveRun(string subject)
        {
            lock (_gate) return _locks.TryGetValue(subject, out var l) ? l : null;
        }

        public IReadOnlyList<RunLock> ActiveRuns()
        {
            lock (_gate) return _locks.Values.ToList();
        }

        public RunLock? UpdateLock(string subject, Func<RunLock?, RunLock?> change)
        {
            lock (_gate)
            {
                _locks.TryGetValue(subject, out var now);
                var next = change(now);
                if (next == null) _locks.Remove(subject); else _locks[subject] = next;
                return next;
            }
        }

        private static JournalRecord Copy(JournalRecord r) => new JournalRecord
        {
            At = r.At, Type = r.Type, Step = r.Step, Status = r.Status, Message = r.Message,
            Data = r.Data == null ? null : new Dictionary<string, string>(r.Data, StringComparer.Ordinal),
        };
    }
}
