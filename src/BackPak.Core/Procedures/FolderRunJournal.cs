using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using Newtonsoft.Json;

namespace BackPak.Core.Procedures
{
    /// <summary>
    /// Run journals kept in a folder: <c>&lt;run id&gt;.jsonl</c>, one JSON record per line, flushed to disk per record;
    /// a lock per subject (<c>&lt;subject&gt;.lock</c>, JSON: the run, its sides and its owner), always replaced
    /// whole (written aside, then renamed over); and beside it <c>&lt;subject&gt;.mutex</c>, held open exclusively for
    /// the few milliseconds a lock is read and rewritten, so two processes never both take a run (the system releases
    /// it when a process dies, even killed). The lab keeps its runs in one (its <c>runs</c> folder); a provider for a real
    /// site keeps them on the operator's machine, since the site's nodes hold no such store the module could write.
    /// </summary>
    public sealed class FolderRunJournal : IRunJournalStore
    {
        private readonly string _dir;
        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore, DateTimeZoneHandling = DateTimeZoneHandling.Utc, Formatting = Formatting.None,
        };

        private readonly Func<DateTime> _clock;
        private readonly Action<string>? _recorded;

        /// <summary>How long a lock update waits for another process holding the subject's mutex.</summary>
        public const int BusyTimeoutSeconds = 30;

        /// <param name="location">Where the runs are, as reports show it (a lab folder, a site description).</param>
        /// <param name="directory">The folder the journals and locks are kept in; created with the first record.</param>
        /// <param name="clock">The clock runs are stamped with (the estate's).</param>
        /// <param name="recorded">Told the kind, step and status of each record once it is on disk (the lab's crash points).</param>
        public FolderRunJournal(string location, string directory, Func<DateTime> clock, Action<string>? recorded = null)
        {
            Location = location;
            _dir = Path.GetFullPath(directory);
            _clock = clock;
            _recorded = recorded;
        }

        public string Location { get; }

        /// <summary>The estate's clock, the one its audit records carry.</summary>
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
            _recorded?.Invoke((ProcedureKind.Of(runId) == ProcedureKind.Switch ? "switch." : ProcedureKind.Of(runId).Noun + ".") + (record.Step ?? record.Type) + "." + (record.Status ?? "").ToLowerInvariant());
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
            var deadline = DateTime.UtcNow.AddSeconds(BusyTimeoutSeconds);
            while (true)
            {
                try { return new FileStream(Under(subject + ".mutex"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
                catch (IOException) when (DateTime.UtcNow < deadline) { System.Threading.Thread.Sleep(5); }
                catch (IOException e)
                {
                    throw new BackPakException(ErrorIds.SwitchInProgress, BackPakErrorCategory.ResourceBusy,
                        $"The lock of {subject} in {_dir} stayed busy for {BusyTimeoutSeconds} s: {e.Message}", subject,
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
        private string RunPath(string runId) => Under(runId + ".jsonl");
        private string LockPath(string subject) => Under(subject + ".lock");

        private string Under(string name)
        {
            if (name.IndexOfAny(new[] { '/', '\\', ':', '\0' }) >= 0 || name.StartsWith(".", StringComparison.Ordinal))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{name}' is not a name of one file, so it is not turned into a file of the run journal folder {_dir}: it could lead outside it.", name,
                    "Use names made of letters and digits; nothing was changed.");
            return Path.Combine(_dir, name);
        }
    }
}
