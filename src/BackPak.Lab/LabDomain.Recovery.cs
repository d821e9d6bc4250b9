using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using Newtonsoft.Json;

namespace BackPak.Lab
{
    /// <summary>
    /// What a recovery test asks of the lab (<see cref="IRecoverySite"/>, <see cref="IRecoveryTestRecords"/>): the
    /// images of a store's storage read back, the key server of the node's site, and the signed-off records of the
    /// tests, one JSON file each in the lab's recovery-tests folder, written to a temporary file and renamed.
    /// </summary>
    public sealed partial class LabDomain : IRecoverySite, IRecoveryTestRecords
    {
        public VolumeImage? GetVolumeImage(string storagePath, string label, int headBytes) => Guard(() =>
        {
            RequireReachable();
            string dir = LabLayout.StorageDirFromUnc(_lab.Root, storagePath);
            string ind = LabLayout.IndexFile(dir, label), dat = LabLayout.DataFile(dir, label);
            bool hasInd = File.Exists(ind), hasDat = File.Exists(dat);
            if (!hasInd && !hasDat) return null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            string? problem = null;
            if (hasInd)
            {
                var lines = File.ReadAllText(ind, Encoding.ASCII).Split('\n');
                if (lines.Length == 0 || lines[0].TrimEnd('\r') != "BACKPAK VIRTUAL TAPE INDEX") problem = "its index is not a BackPak tape index";
                foreach (var line in lines.Skip(1))
                {
                    int eq = line.IndexOf('=');
                    if (eq > 0) fields[line.Substring(0, eq)] = line.Substring(eq + 1).TrimEnd('\r');
                }
            }
            long? bytes = null;
            var head = new byte[0];
            if (hasDat)
            {
                using var f = new FileStream(dat, FileMode.Open, FileAccess.Read, FileShare.Read);
                bytes = f.Length;
                if (headBytes > 0)
                {
                    var buffer = new byte[(int)Math.Min(headBytes, f.Length)];
                    int read = 0, n;
                    while (read < buffer.Length && (n = f.Read(buffer, read, buffer.Length - read)) > 0) read += n;
                    head = read == buffer.Length ? buffer : buffer.Take(read).ToArray();
                }
            }
            return new VolumeImage
            {
                Label = label, IndexPresent = hasInd, DataPresent = hasDat, DataBytes = bytes, Head = head, Problem = problem,
                IndexLabel = problem == null && fields.TryGetValue("LABEL", out var l) ? l : null,
                Timestamp = fields.TryGetValue("TIMESTAMP", out var t) && DateTime.TryParseExact(t, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts) ? ts : (DateTime?)null,
                RecordedBytes = fields.TryGetValue("BYTES", out var b) && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var rb) ? rb : (long?)null,
                MediaKeyName = fields.TryGetValue("MEDIAKEYNAME", out var k) && k.Length > 0 ? k : null,
            };
        });

        /// <summary>The key server of the site this node sits in, as its domain reaches it.</summary>
        public IKeyManager? OpenKeyServer() => _lab.OpenKeyStore(Node);

        private string RecordsDir => Path.Combine(_lab.Root, "recovery-tests");

        public void SaveRecoveryTest(RecoveryTestRecord record)
        {
            if (!RecoveryTest.IsRecordId(record.Id))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{record.Id}' is not the Id of a recovery test record.", record.Id, "Records are made by Test-BPRecovery -Save.");
            string file = Path.Combine(RecordsDir, record.Id + ".json");
            string temp = file + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                Directory.CreateDirectory(RecordsDir);
                if (File.Exists(file)) throw new IOException($"a record {record.Id} is already kept");
                LabFaults.IoPoint("recovery.save");
                using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    var bytes = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(record, Formatting.Indented));
                    f.Write(bytes, 0, bytes.Length);
                    f.Flush(true);
                }
                File.Move(temp, file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { }
                throw new BackPakException(ErrorIds.RecoveryTestRecordFailed, BackPakErrorCategory.WriteError,
                    $"The record of the recovery test of {record.DataStore} at {record.Node} could not be written in {RecordsDir}: {e.Message}. Nothing of it was kept.",
                    record.Id, "Fix the cause (disk space, permissions), then run Test-BPRecovery -Save again.", stopsInvocation: true, inner: e);
            }
        }

        public IReadOnlyList<RecoveryTestRecord> GetRecoveryTests()
        {
            var list = new List<RecoveryTestRecord>();
            if (!Directory.Exists(RecordsDir)) return list;
            foreach (var file in Directory.EnumerateFiles(RecordsDir, "RT-*.json").OrderBy(f => f, StringComparer.Ordinal))
            {
                try
                {
                    var r = JsonConvert.DeserializeObject<RecoveryTestRecord>(File.ReadAllText(file, Encoding.UTF8));
                    if (r == null || !RecoveryTest.IsRecordId(r.Id)) throw new JsonException("it holds no recovery test record");
                    list.Add(r);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is JsonException)
                {
                    throw new BackPakException(ErrorIds.RecoveryTestRecordFailed, BackPakErrorCategory.InvalidData,
                        $"The recovery test record {Path.GetFileName(file)} in {RecordsDir} cannot be read: {e.Message}", file,
                        "Records are never changed once written: restore the file from a backup, or move it away to list the others.", stopsInvocation: true, inner: e);
                }
            }
            return list;
        }
    }
}
