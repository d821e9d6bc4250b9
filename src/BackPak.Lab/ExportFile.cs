using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Text;

namespace BackPak.Lab
{
    /// <summary>One volume as Catalog Sync carries it: the BackPak entry and its DSM/TC entries [CS p9, p15].</summary>
    internal sealed class ExportedVolume
    {
        public string Label = "", Group = "", CatalogStatus = "", OwnerNode = "", OwnerUser = "", Authorization = "";
        public long? LastBackup, Expiration, LastUpdate;
        public string? MediaKeyName;
        public bool Locked;
        /// <summary>TAPEVOLUME: VOLCAT, POOL, status, expiration, created (null for a group not on DSM/TC).</summary>
        public (string VolCat, string Pool, string Status, long? Expiration, long? Created)? TapeVolume;
        public List<(int Seq, string FileCat, string FileId, int Generation, long? Expiration, long? Created)> TapeFiles = new List<(int, string, string, int, long?, long?)>();
        public List<(int FileSeq, int DiskSeq, string FileCat, string Name)> DiskFiles = new List<(int, int, string, string)>();
        public int EntryCount => (TapeVolume.HasValue ? 1 : 0) + TapeFiles.Count + DiskFiles.Count;
    }

    /// <summary>
    /// The lab's export file: tab-separated lines, a header and a trailer so that a file cut short is never taken for
    /// a complete export. Written to a temporary name and renamed, so a reader sees the old file or the new one.
    /// <code>
    /// #BPX  1  FULL|UPDATE  store  node  seq  created
    /// V  label  group  status  owner-node  owner-user  auth  last-backup  expiration  key  locked  last-update
    /// T  volcat  pool  status  expiration  created
    /// F  seq  filecat  fileid  generation  expiration  created
    /// D  file-seq  disk-seq  filecat  name
    /// #END  volumes  entries
    /// </code>
    /// (The product's own format is not in the recovered pages; this one is the lab's.)
    /// </summary>
    internal static class ExportFile
    {
        public const string FullName = "FULL.bpx";
        private const string Null = "\\N";

        public static string UpdateName(string label) => "V" + label + ".bpx";

        public sealed class Header
        {
            public string Type = "", Store = "", Node = "";
            public long Seq, Created;
        }

        public sealed class Writer : IDisposable
        {
            private readonly string _path, _temp;
            private readonly StreamWriter _w;
            private int _volumes;
            private long _entries;
            private bool _done;

            public Writer(string path, string type, string store, string node, long seq, long created)
            {
                _path = path;
                _temp = path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                _w = new StreamWriter(new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), new UTF8Encoding(false), 1 << 16);
                Line("#BPX", "1", type, store, node, N(seq), N(created));
            }

            public void Write(ExportedVolume v)
            {
                Line("V", v.Label, v.Group, v.CatalogStatus, v.OwnerNode, v.OwnerUser, v.Authorization, N(v.LastBackup), N(v.Expiration),
                    v.MediaKeyName ?? Null, v.Locked ? "1" : "0", N(v.LastUpdate));
                if (v.TapeVolume is { } t) Line("T", t.VolCat, t.Pool, t.Status, N(t.Expiration), N(t.Created));
                foreach (var f in v.TapeFiles) Line("F", N(f.Seq), f.FileCat, f.FileId, N(f.Generation), N(f.Expiration), N(f.Created));
                foreach (var d in v.DiskFiles) Line("D", N(d.FileSeq), N(d.DiskSeq), d.FileCat, d.Name);
                _volumes++;
                _entries += 1 + v.EntryCount;
            }

            public int Volumes => _volumes;
            public long Entries => _entries;

            /// <summary>Writes the trailer, flushes to disk and puts the file in place.</summary>
            public void Commit()
            {
                LabFaults.IoPoint("export.write");
                Line("#END", N(_volumes), N(_entries));
                _w.Flush();
                ((FileStream)_w.BaseStream).Flush(true);
                _w.Dispose();
                if (File.Exists(_path)) File.Delete(_path);
                File.Move(_temp, _path);
                _done = true;
            }

            public void Dispose()
            {
                if (_done) return;
                _w.Dispose();
                try { File.Delete(_temp); } catch (IOException) { }
            }

            private void Line(params string[] fields)
            {
                for (int i = 0; i < fields.Length; i++)
                {
                    if (i > 0) _w.Write('\t');
                    string f = fields[i];
                    if (f.IndexOfAny(new[] { '\t', '\n', '\r' }) >= 0) throw new FormatException("A catalog value holds a tab or a line break: " + f);
                    _w.Write(f);
                }
                _w.Write('\n');
            }
        }

        /// <summary>
        /// Reads a complete export file, or throws ExportFileInvalid naming the line (missing, cut short, damaged, or a
        /// field the product's rules refuse). Every field is checked as it is read: labels (R1), node, user, catalog,
        /// pool, tape file and disk file names (the Guardian rules), numbers and their ranges, the record order and
        /// the trailer's counts. An import applies what it reads inside one transaction per store, so the first
        /// refusal rolls back everything: nothing of the import is applied.
        /// </summary>
        public static IEnumerable<ExportedVolume> Read(string path, Action<Header> onHeader)
        {
            if (Directory.Exists(path)) throw Invalid(path, 0, "it is a folder, not a file");
            if (!File.Exists(path)) throw Invalid(path, 0, "it does not exist");
            StreamReader r;
            try { r = new StreamReader(path, new UTF8Encoding(false, true), false, 1 << 16); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw Invalid(path, 0, "it cannot be read: " + e.Message); }
            using (r)
            {
                int n = 1;
                string? line = ReadLine(r, path, n);
                var h = ParseHeader(line, path);
                onHeader(h);
                ExportedVolume? v = null;
                var labels = new HashSet<string>(StringComparer.Ordinal);
                var fileSeqs = new HashSet<int>();
                int volumes = 0;
                long entries = 0;
                while ((line = ReadLine(r, path, ++n)) != null)
                {
                    var f = line.Split('\t');
                    var at = new Fields(path, n, f);
                    switch (f[0])
                    {
                        case "V":
                            if (v != null) yield return v;
                            at.Count(12);
                            v = new ExportedVolume
                            {
                                Label = at.Label(1), Group = at.Group(2), CatalogStatus = at.Status(3, "catalog status"), OwnerNode = at.Node(4, "owner node"),
                                OwnerUser = at.User(5), Authorization = at.Authorization(6), LastBackup = at.Time(7, "last backup", true),
                                Expiration = at.Time(8, "expiration", true), MediaKeyName = at.KeyName(9), Locked = at.Flag(10, "lock"),
                                LastUpdate = at.Time(11, "last update", true),
                            };
                            if (!labels.Add(v.Label)) throw at.Bad(1, "volume " + v.Label + " comes twice in the file");
                            fileSeqs.Clear();
                            volumes++;
                            entries++;
                            break;
                        case "T":
                            at.Count(6);
                            var tv = Current(v, at);
                            if (tv.TapeVolume.HasValue) throw at.Bad(0, "volume " + tv.Label + " has a second TAPEVOLUME");
                            tv.TapeVolume = (at.Catalog(1, "VOLCAT"), at.Pool(2), at.Status(3, "TAPEVOLUME status"), at.Time(4, "expiration", true), at.Time(5, "creation time", true));
                            entries++;
                            break;
                        case "F":
                            at.Count(7);
                            var fv = Current(v, at);
                            int seq = at.Sequence(1, "file sequence");
                            if (!fileSeqs.Add(seq)) throw at.Bad(1, $"TAPEFILE {seq} of volume {fv.Label} comes twice");
                            fv.TapeFiles.Add((seq, at.Catalog(2, "FILECAT"), at.FileId(3), at.Generation(4), at.Time(5, "expiration", true), at.Time(6, "creation time", true)));
                            entries++;
                            break;
                        case "D":
                            at.Count(5);
                            var dv = Current(v, at);
                            int fseq = at.Sequence(1, "file sequence");
                            if (!fileSeqs.Contains(fseq)) throw at.Bad(1, $"the DISKFILE belongs to TAPEFILE {fseq}, which volume {dv.Label} does not have");
                            dv.DiskFiles.Add((fseq, at.Sequence(2, "disk file sequence"), at.Catalog(3, "FILECAT"), at.DiskFile(4)));
                            entries++;
                            break;
                        case "#END":
                            at.Count(3);
                            if (at.Number(1, "volume count", 0, int.MaxValue) != volumes || at.Number(2, "entry count", 0, long.MaxValue) != entries)
                                throw at.Bad(0, $"its trailer counts do not match its content ({volumes} volume(s), {entries} entr(y/ies))");
                            if (ReadLine(r, path, n + 1) != null) throw Invalid(path, n + 1, "something follows the trailer");
                            if (v != null) yield return v;
                            yield break;
                        default:
                            throw at.Bad(0, "it holds an unknown record '" + Clip(f[0]) + "'");
                    }
                }
                throw Invalid(path, n, "it was cut short (no trailer)");
            }
        }

        /// <summary>The header of a staging file, or null with the ExportFileInvalid error that says why it cannot be read.</summary>
        public static Header? ReadHeader(string path, out BackPakException? problem)
        {
            problem = null;
            try
            {
                using var r = new StreamReader(path, new UTF8Encoding(false, true));
                return ParseHeader(ReadLine(r, path, 1), path);
            }
            catch (BackPakException e) { problem = e; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { problem = Invalid(path, 0, "it cannot be read: " + e.Message); }
            return null;
        }

        public static Header? ReadHeader(string path) => ReadHeader(path, out _);

        private static Header ParseHeader(string? line, string path)
        {
            var h = line?.Split('\t');
            if (h == null || h.Length != 7 || h[0] != "#BPX") throw Invalid(path, 1, "it has no export header");
            var at = new Fields(path, 1, h);
            if (h[1] != "1") throw at.Bad(1, $"its format version '{Clip(h[1])}' is not 1");
            if (h[2] != "FULL" && h[2] != "UPDATE") throw at.Bad(2, $"its type '{Clip(h[2])}' is neither FULL nor UPDATE");
            if (!Names.IsValid(h[3]) || HasLowerCase(h[3])) throw at.Bad(3, $"'{Clip(h[3])}' is not a data store name");
            return new Header
            {
                Type = h[2], Store = h[3], Node = at.Node(4, "node"),
                Seq = at.Number(5, "export sequence", 1, long.MaxValue), Created = at.Time(6, "creation time", false)!.Value,
            };
        }

        private static string? ReadLine(StreamReader r, string path, int n)
        {
            try { return r.ReadLine(); }
            catch (DecoderFallbackException) { throw Invalid(path, n, "it is not UTF-8 text"); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw Invalid(path, n, "it cannot be read: " + e.Message); }
        }

        private static ExportedVolume Current(ExportedVolume? v, Fields at) => v ?? throw at.Bad(0, "an entry comes before its volume");

        /// <summary>The fields of one line and the rule each must meet; a refusal names the line and the field.</summary>
        private readonly struct Fields
        {
            private readonly string _path;
            private readonly int _line;
            private readonly string[] _f;

            public Fields(string path, int line, string[] f) { _path = path; _line = line; _f = f; }

            public void Count(int n)
            {
                if (_f.Length != n) throw Bad(0, $"a '{Clip(_f[0])}' record has {_f.Length} fields instead of {n}");
            }

            public BackPakException Bad(int field, string why) => Invalid(_path, _line, (field > 0 ? $"field {field + 1}: " : "") + why);

            private string Text(int i) => _f[i];

            public string Label(int i) => Labels.IsValid(Text(i)) ? Text(i) : throw Bad(i, $"'{Clip(Text(i))}' is not a volume label (six letters or digits)");

            public string Group(int i) => Names.IsValid(Text(i)) && !HasLowerCase(Text(i)) ? Text(i) : throw Bad(i, $"'{Clip(Text(i))}' is not a volume group name");

            public string Node(int i, string what) => Guardian.IsNode(Text(i)) ? Text(i) : throw Bad(i, $"the {what} '{Clip(Text(i))}' is not a NonStop node name");

            public string User(int i) => Guardian.IsUser(Text(i)) ? Text(i) : throw Bad(i, $"the owner '{Clip(Text(i))}' is not a Guardian user (GROUP.USER)");

            /// <summary>Read, write and control codes: three of A-Z, '?' (saved with the data) or '.' (disabled) [BB p166/164].</summary>
            public string Authorization(int i)
            {
                string t = Text(i);
                bool ok = t.Length == 3;
                foreach (char c in t) ok &= Guardian.IsLetter(c) || c == '?' || c == '.';
                return ok ? t : throw Bad(i, $"the authorization '{Clip(t)}' is not three access codes");
            }

            /// <summary>A catalog status word (ASSIGNED, RELEASED, SCRATCH...): 1 to 16 letters, inferred (Q8).</summary>
            public string Status(int i, string what)
            {
                string t = Text(i);
                bool ok = t.Length >= 1 && t.Length <= 16;
                foreach (char c in t) ok &= Guardian.IsLetter(c);
                return ok ? t : throw Bad(i, $"the {what} '{Clip(t)}' is not a status word");
            }

            public string Catalog(int i, string what) => Guardian.IsCatalog(Text(i)) ? Text(i) : throw Bad(i, $"'{Clip(Text(i))}' is not a DSM/TC {what} name");

            public string Pool(int i) => Guardian.IsCatalogName(Text(i)) ? Text(i) : throw Bad(i, $"'{Clip(Text(i))}' is not a DSM/TC pool name");

            public string FileId(int i) => Guardian.IsTapeFileId(Text(i)) ? Text(i) : throw Bad(i, $"'{Clip(Text(i))}' is not a tape file id");

            public string DiskFile(int i) => Guardian.IsDiskFile(Text(i)) ? Text(i) : throw Bad(i, $"'{Clip(Text(i))}' is not a Guardian disk file name");

            /// <summary>A Media Key Name, or none: 1 to 64 letters, digits, '-', '_' or '.' (the form BackPak gives them is not in the stored pages; inferred).</summary>
            public string? KeyName(int i)
            {
                string t = Text(i);
                if (t == Null) return null;
                bool ok = t.Length >= 1 && t.Length <= 64;
                foreach (char c in t) ok &= Guardian.IsAlnum(c) || c == '-' || c == '_' || c == '.';
                return ok ? t : throw Bad(i, $"'{Clip(t)}' is not a Media Key Name");
            }

            public bool Flag(int i, string what) => Text(i) == "1" ? true : Text(i) == "0" ? false : throw Bad(i, $"the {what} flag '{Clip(Text(i))}' is neither 0 nor 1");

            public int Sequence(int i, string what) => (int)Number(i, what, 1, Guardian.MaxGeneration);

            public int Generation(int i) => (int)Number(i, "generation", 1, Guardian.MaxGeneration);

            /// <summary>A time: milliseconds since 1970 within the years 1970 to 9999, or none where <paramref name="optional"/>.</summary>
            public long? Time(int i, string what, bool optional)
            {
                if (Text(i) == Null)
                    return optional ? (long?)null : throw Bad(i, $"the {what} is missing");
                return Number(i, what, 0, MaxTime);
            }

            public long Number(int i, string what, long min, long max)
            {
                string t = Text(i);
                if (t == Null) throw Bad(i, $"the {what} is missing");
                bool digits = t.Length >= 1;
                foreach (char c in t) digits &= c >= '0' && c <= '9';
                if (!digits) throw Bad(i, $"the {what} '{Clip(t)}' is not a whole number");
                if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
                    throw Bad(i, $"the {what} {Clip(t)} is out of range ({min} to {max})");
                return value;
            }
        }

        /// <summary>Names are exported upper-case: a lower-case letter means the file was not written by an export.</summary>
        private static bool HasLowerCase(string t)
        {
            foreach (char c in t) if (c >= 'a' && c <= 'z') return true;
            return false;
        }

        /// <summary>The last millisecond of the year 9999: a later time cannot be a date.</summary>
        private const long MaxTime = 253402300799999L;

        /// <summary>A field as a message shows it: short, and without control characters.</summary>
        private static string Clip(string text)
        {
            var sb = new StringBuilder();
            foreach (char c in text.Length > 40 ? text.Substring(0, 40) : text) sb.Append(c < 0x20 || c == 0x7F ? '?' : c);
            return text.Length > 40 ? sb + "..." : sb.ToString();
        }

        private static string N(long? v) => v.HasValue ? v.Value.ToString(CultureInfo.InvariantCulture) : Null;
        private static BackPakException Invalid(string path, int line, string why) =>
            new BackPakException(ErrorIds.ExportFileInvalid, BackPakErrorCategory.InvalidData,
                $"The export file {Path.GetFileName(path)} in the staging area cannot be imported: " + (line > 0 ? $"line {line}: " : "") + why + ". Nothing of it was applied.", path,
                "Run a FULL export on the primary side (Start-BPCatalogExport -Type Full), then import again.");
    }
}
