using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using Newtonsoft.Json;

namespace BackPak.Lab
{
    /// <summary>
    /// Run journals of the lab: <c>runs/&lt;run id&gt;.jsonl</c>, one JSON record per line, flushed to disk per record;
    /// and a lock file per subject (<c>runs/&lt;subject&gt;.lock</c>, created exclusively) holding the active run id.
    /// </summary>
    internal sealed class LabRunJournal : IRunJournalStore
    {
        private readonly string _dir;
        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore, DateTimeZoneHandling = DateTimeZoneHandling.Utc, Formatting = Formatting.None,
        };

        public LabRunJournal(string labRoot)
        {
            _dir = Path.Combine(labRoot, "runs");
        }

        public void Begin(string runId, string subject, JournalRecord header)
        {
            Directory.CreateDirectory(_dir);
            try
            {
                using var f = new FileStream(LockPath(subject), FileMode.CreateNew, FileAccess.Write);
                var bytes = Encoding.UTF8.GetBytes(runId);
                f.Write(bytes, 0, bytes.Length);
                f.Flush(true);
            }
            catch (IOException) when (File.Exists(LockPath(subject)))
            {
                throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                    $"Run {File.ReadAllText(LockPath(subject))} on {subject} is not finished.", subject, "Resume it with -Resume.", stopsInvocation: true);
            }
            Append(runId, header);
        }

        public void Append(string runId, JournalRecord record)
        {
            Directory.CreateDirectory(_dir);
            var line = JsonConvert.SerializeObject(record, Json) + "\n";
            using (var f = new FileStream(RunPath(runId), FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                f.Write(bytes, 0, bytes.Length);
                f.Flush(true); // a record is on disk before the step it announces goes on
            }
            LabFaults.CrashPoint("switch." + (record.Step ?? record.Type) + "." + (record.Status ?? "").ToLowerInvariant());
        }

        public IReadOnlyList<JournalRecord> Read(string runId)
        {
            if (!File.Exists(RunPath(runId))) return new JournalRecord[0];
            var list = new List<JournalRecord>();
            foreach (var line in File.ReadAllLines(RunPath(runId)))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                try { list.Add(JsonConvert.DeserializeObject<JournalRecord>(line, Json)!); }
                catch (JsonException) { break; } // a line cut by a crash ends the journal
            }
            return list;
        }

        public IReadOnlyList<string> RunIds() =>
            Directory.Exists(_dir)
                ? Directory.GetFiles(_dir, "*.jsonl").Select(f => Path.GetFileNameWithoutExtension(f)!).OrderBy(x => x, StringComparer.Ordinal).ToList()
                : new List<string>();

        public string? ActiveRun(string subject) => File.Exists(LockPath(subject)) ? File.ReadAllText(LockPath(subject)).Trim() : null;

        public void Reacquire(string runId, string subject)
        {
            var active = ActiveRun(subject);
            if (active != null && active != runId)
                throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                    $"Run {active} on {subject} is not finished; run {runId} cannot take its place.", subject, "Resume run " + active + ".", stopsInvocation: true);
            if (active == null) File.WriteAllText(LockPath(subject), runId);
        }

        public void Release(string runId, string subject)
        {
            if (ActiveRun(subject) == runId) File.Delete(LockPath(subject));
        }

        private string RunPath(string runId) => Path.Combine(_dir, runId + ".jsonl");
        private string LockPath(string subject) => Path.Combine(_dir, subject + ".lock");
    }

    /// <summary>A replication facility of the lab (storage or key server) between two sites, held in lab.db.</summary>
    internal sealed class LabReplicationLink : IReplicationLink
    {
        private readonly Lab _lab;
        public LabReplicationLink(Lab lab, string name) { _lab = lab; Name = name; }

        public string Name { get; }
        public string Kind => Row().Kind;
        public string Source => Row().Source;
        public string Target => Row().Target;
        public bool Healthy => Row().Healthy;
        /// <summary>The lab replicates synchronously while healthy: a healthy link has caught up.</summary>
        public bool CaughtUp => Healthy;

        public void Reverse()
        {
            using var c = LabDb.Open(LabLayout.LabDb(_lab.Root));
            LabDb.Exec(c, "UPDATE replication_link SET source_site = target_site, target_site = source_site, last_sync = @t WHERE name = @n",
                ("@t", LabDb.ToUnixMs(_lab.Now)), ("@n", Name));
        }

        private (string Kind, string Source, string Target, bool Healthy) Row()
        {
            using var c = LabDb.Open(LabLayout.LabDb(_lab.Root), readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT kind, source_site, target_site, healthy FROM replication_link WHERE name = @n";
            cmd.Parameters.AddWithValue("@n", Name);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) throw new InvalidOperationException("No replication link " + Name + " in the lab.");
            return (r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3) != 0);
        }
    }
}
