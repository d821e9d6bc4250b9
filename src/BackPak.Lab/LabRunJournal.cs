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
    /// a lock per subject (<c>runs/&lt;subject&gt;.lock</c>, JSON: the run, its sides and its owner), always replaced
    /// whole (written aside, then renamed over); and beside it <c>&lt;subject&gt;.mutex</c>, held open exclusively for
    /// the few milliseconds a lock is read and rewritten, so two processes never both take a run (the system releases
    /// it when a process dies, even killed).
    /// </summary>
    internal sealed class LabRunJournal : IRunJournalStore
    {
        private readonly string _dir;
        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore, DateTimeZoneHandling = DateTimeZoneHandling.Utc, Formatting = Formatting.None,
        };

        private readonly Func<DateTime> _clock;

        public LabRunJournal(string labRoot, Func<DateTime> clock)
        {
            Location = labRoot;
            _dir = Path.Combine(labRoot, "runs");
            _clock = clock;
        }

        public string Location { get; }

        /// <summary>The lab's clock, the one its audit records carry.</summary>
        public DateTime Now => _clock();

        public void Append(string runId, JournalRecord record)
        {
            Directory.CreateDirectory(_dir);
            var line = JsonConvert.SerializeObject(record, Json) + "\n";
            using (var f = new FileStream(RunPath(runId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
            {
                // After a cut line (a damaged journal that is being abandoned), a record starts on a line of its own.
                if (f.Length > 0)
                {
                    f.Seek(-1, SeekOrigin.End);
                    if (f.ReadByte() != '\n') line = "\n" + line;
                }
                f.Seek(0, SeekOrigin.End);
                var bytes = Encoding.UTF8.GetBytes(line);
                f.Write(bytes, 0, bytes.Length);
                f.Flush(true); // a record is on disk before the step it announces goes on
            }
            LabFaults.CrashPoint((ProcedureKind.Of(runId) == ProcedureKind.Decommission ? "decommission." : "switch.") + (record.Step ?? record.Type) + "." + (record.Status ?? "").ToLowerInvariant());
        }

        public JournalContent Read(string runId)
        {
            string path = RunPath(runId);
            if (!File.Exists(path)) return new JournalContent { Exists = false };
            byte[] bytes;
            int attempt = 0;
            while (true)
            {
                try { bytes = File.ReadAllBytes(path); break; }
                catch (FileNotFoundException) { return new JournalContent { Exists = false }; }
                catch (IOException) when (++attempt < 5) { System.Threading.Thread.Sleep(20); } // being appended to (Windows share modes)
            }
            var text = Encoding.UTF8.GetString(bytes);
            var lines = text.Split('\n');
            var records = new List<JournalRecord>();
            var unreadable = new List<int>();
            int count = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                // The text after the last newline is a line only if something is there (a record always ends with one).
                if (i == lines.Length - 1 && lines[i].Length == 0) break;
                count++;
                if (string.IsNullOrWhiteSpace(lines[i])) { unreadable.Add(i + 1); continue; }
                try
                {
                    var r = JsonConvert.DeserializeObject<JournalRecord>(lines[i], Json);
                    if (r == null || string.IsNullOrEmpty(r.Type) || (i == lines.Length - 1)) unreadable.Add(i + 1); // a last line with no newline was cut
                    else records.Add(r);
                }
                catch (JsonException) { unreadable.Add(i + 1); }
            }
            return new JournalContent { Exists = true, Length = bytes.Length, Records = records, UnreadableLines = unreadable, Lines = count };
        }

        public IReadOnlyList<string> RunIds()
        {
            if (!Directory.Exists(_dir)) return new List<string>();
            return Directory.GetFiles(_dir, "*.jsonl").Select(f => Path.GetFileNameWithoutExtension(f)!)
                .Concat(ActiveRuns().Select(l => l.RunId).Where(id => id.Length > 0))
                .Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToList();
        }

        public RunLock? ActiveRun(string subject) => ReadLock(subject);

        public IReadOnlyList<RunLock> ActiveRuns() =>
            Directory.Exists(_dir)
                ? Directory.GetFiles(_dir, "*.lock").Select(f => ReadLock(Path.GetFileNameWithoutExtension(f)!)).Where(l => l != null).Select(l => l!).ToList()
                : new List<RunLock>();

        public RunLock? UpdateLock(string subject, Func<RunLock?, RunLock?> change)
        {
            Directory.CreateDirectory(_dir);
            using var mutex = TakeMutex(subject);
            var current = ReadLock(subject);
            var next = change(current);
            string path = LockPath(subject);
            if (next == null)
            {
                if (File.Exists(path)) File.Delete(path);
                return null;
            }
            var dto = new LockFile
            {
                Subject = subject, RunId = next.RunId, DataStore = next.DataStore, Primary = next.Primary, Secondary = next.Secondary, Created = next.Created,
                OwnerHost = next.Owner?.Host, OwnerPid = next.Owner?.Pid, OwnerStart = next.Owner?.StartMs,
            };
            string temp = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(dto, Json));
                f.Write(bytes, 0, bytes.Length);
                f.Flush(true);
            }
            if (File.Exists(path)) File.Replace(temp, path, null);
            else File.Move(temp, path);
            return ReadLock(subject);
        }

        /// <summary>The subject's mutex: held by one process at a time, for the moment of a lock update.</summary>
        private FileStream TakeMutex(string subject)
        {
            var deadline = DateTime.UtcNow.AddSeconds(LabDb.BusyTimeoutSeconds);
            while (true)
            {
                try { return new FileStream(LabLayout.Under(_dir, subject + ".mutex"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
                catch (IOException) when (DateTime.UtcNow < deadline) { System.Threading.Thread.Sleep(5); }
                catch (IOException e)
                {
                    throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                        $"The lock of {subject} in {_dir} stayed busy for {LabDb.BusyTimeoutSeconds} s: {e.Message}", subject,
                        "Another process is updating it; run the command again.", stopsInvocation: true, inner: e);
                }
            }
        }

        private RunLock? ReadLock(string subject)
        {
            string path = LockPath(subject);
            if (!File.Exists(path)) return null; // the common case, without an exception
            string text;
            try { text = File.ReadAllText(path); }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
            LockFile? dto = null;
            try { dto = JsonConvert.DeserializeObject<LockFile>(text, Json); }
            catch (JsonException) { }
            if (dto == null || string.IsNullOrEmpty(dto.RunId))
            {
                // An older lab wrote the bare run id.
                string id = text.Trim();
                bool bare = id.StartsWith("SW-", StringComparison.Ordinal) && id.All(ch => char.IsLetterOrDigit(ch) || ch == '-');
                return new RunLock { Subject = subject, RunId = bare ? id : "", Damage = bare ? null : (text.Length == 0 ? "the lock is empty" : "the lock is not readable") };
            }
            return new RunLock
            {
                Subject = subject, RunId = dto.RunId!, DataStore = dto.DataStore ?? "", Primary = dto.Primary ?? "", Secondary = dto.Secondary ?? "", Created = dto.Created,
                Owner = dto.OwnerHost != null && dto.OwnerPid.HasValue && dto.OwnerStart.HasValue ? new ProcessOwner(dto.OwnerHost, dto.OwnerPid.Value, dto.OwnerStart.Value) : null,
            };
        }

        private sealed class LockFile
        {
            public string? Subject { get; set; }
            public string? RunId { get; set; }
            public string? DataStore { get; set; }
            public string? Primary { get; set; }
            public string? Secondary { get; set; }
            public DateTime Created { get; set; }
            public string? OwnerHost { get; set; }
            public int? OwnerPid { get; set; }
            public long? OwnerStart { get; set; }
        }

        // Run ids are checked by Core and subjects are store names; the journal's folder is never left all the same.
        private string RunPath(string runId) => LabLayout.Under(_dir, runId + ".jsonl");
        private string LockPath(string subject) => LabLayout.Under(_dir, subject + ".lock");
    }

    /// <summary>A replication facility of the lab (storage or key server) between two sites, held in lab.db.</summary>
    internal sealed class LabReplicationLink : IReplicationLink, BackPak.Core.Providers.IReplicaCleanup
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

        public string ReplicaSite => Row().Target;

        /// <summary>Deletes the images the link replicated of a store at its target site (the store's folder there).</summary>
        public int RemoveReplica(string dataStore)
        {
            string dir = LabLayout.StorageDir(_lab.Root, Row().Target, dataStore);
            if (!Directory.Exists(dir)) return 0;
            int n = 0;
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                File.Delete(f);
                n++;
            }
            try { if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir); }
            catch (IOException) { }
            return n;
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
