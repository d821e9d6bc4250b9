using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using BackPak.Core.Errors;

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

        /// <summary>Reads a complete export file, or throws ExportFileInvalid (missing, cut short, damaged).</summary>
        public static IEnumerable<ExportedVolume> Read(string path, Action<Header> onHeader)
        {
            if (!File.Exists(path)) throw Invalid(path, "it does not exist");
            using var r = new StreamReader(path, Encoding.UTF8, false, 1 << 16);
            string? line = r.ReadLine();
            var h = line?.Split('\t');
            if (h == null || h.Length != 7 || h[0] != "#BPX" || h[1] != "1") throw Invalid(path, "it has no export header");
            onHeader(new Header { Type = h[2], Store = h[3], Node = h[4], Seq = L(h[5])!.Value, Created = L(h[6])!.Value });
            ExportedVolume? v = null;
            int volumes = 0;
            while ((line = r.ReadLine()) != null)
            {
                var f = line.Split('\t');
                switch (f[0])
                {
                    case "V":
                        if (v != null) yield return v;
                        Need(f, 12, path);
                        v = new ExportedVolume
                        {
                            Label = f[1], Group = f[2], CatalogStatus = f[3], OwnerNode = f[4], OwnerUser = f[5], Authorization = f[6],
                            LastBackup = L(f[7]), Expiration = L(f[8]), MediaKeyName = f[9] == Null ? null : f[9], Locked = f[10] == "1", LastUpdate = L(f[11]),
                        };
                        volumes++;
                        break;
                    case "T":
                        Need(f, 6, path);
                        Current(v, path).TapeVolume = (f[1], f[2], f[3], L(f[4]), L(f[5]));
                        break;
                    case "F":
                        Need(f, 7, path);
                        Current(v, path).TapeFiles.Add(((int)L(f[1])!.Value, f[2], f[3], (int)L(f[4])!.Value, L(f[5]), L(f[6])));
                        break;
                    case "D":
                        Need(f, 5, path);
                        Current(v, path).DiskFiles.Add(((int)L(f[1])!.Value, (int)L(f[2])!.Value, f[3], f[4]));
                        break;
                    case "#END":
                        Need(f, 3, path);
                        if (L(f[1]) != volumes) throw Invalid(path, "its trailer does not match its content");
                        if (v != null) yield return v;
                        yield break;
                    default:
                        throw Invalid(path, "it holds an unknown record '" + f[0] + "'");
                }
            }
            throw Invalid(path, "it was cut short (no trailer)");
        }

        public static Header? ReadHeader(string path)
        {
            try
            {
                using var r = new StreamReader(path, Encoding.UTF8);
                var h = r.ReadLine()?.Split('\t');
                if (h == null || h.Length != 7 || h[0] != "#BPX") return null;
                return new Header { Type = h[2], Store = h[3], Node = h[4], Seq = L(h[5])!.Value, Created = L(h[6])!.Value };
            }
            catch (Exception e) when (e is IOException || e is FormatException) { return null; }
        }

        private static ExportedVolume Current(ExportedVolume? v, string path) => v ?? throw Invalid(path, "an entry comes before its volume");

        private static void Need(string[] f, int n, string path)
        {
            if (f.Length != n) throw Invalid(path, $"a '{f[0]}' record has {f.Length} fields instead of {n}");
        }

        private static string N(long? v) => v.HasValue ? v.Value.ToString(CultureInfo.InvariantCulture) : Null;
        private static long? L(string s) => s == Null ? (long?)null : long.Parse(s, CultureInfo.InvariantCulture);

        private static BackPakException Invalid(string path, string why) =>
            new BackPakException(ErrorIds.ExportFileInvalid, BackPakErrorCategory.InvalidData,
                $"The export file {Path.GetFileName(path)} in the staging area cannot be imported: {why}.", path,
                "Run a FULL export on the primary side (Start-BPCatalogExport -Type Full), then import again.");
    }
}
