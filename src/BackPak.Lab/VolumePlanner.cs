using System;
using System.Collections.Generic;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.Lab
{
    /// <summary>Everything the lab writes for one volume, derived from the seed and the volume's index alone.</summary>
    internal sealed class VolumePlan
    {
        public string Label = "";
        public DataStoreSpec Store = null!;
        public VolumeGroupSpec Group = null!;
        public DateTime LastBackup;
        public DateTime Expiration;
        public string CatalogStatus = "";
        public string OwnerUser = "";
        public string Authorization = "";
        public string? CurrentOperation;
        public string? CurrentOperationMode;
        public string? MediaKeyName;
        public List<TapeFilePlan> TapeFiles = new List<TapeFilePlan>();
        public List<(int Seq, string Kind, string Name)> TmfDumps = new List<(int, string, string)>();
        public int DataBytes;
    }

    internal sealed class TapeFilePlan
    {
        public int Seq;
        public string FileId = "";
        public int Generation;
        public string[] DiskFiles = new string[0];
    }

    /// <summary>
    /// Plans volumes deterministically: labels from one stream, every other attribute of volume i from a stream of
    /// its own, so the nodes' writers can run in parallel and still agree on every byte.
    /// </summary>
    internal sealed class VolumePlanner
    {
        /// <summary>The lab clock starts here for every lab, so the same seed gives the same dates.</summary>
        public static readonly DateTime Epoch = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        private static readonly string[] Apps = { "PAYROLL", "ORDERS", "LEDGER", "BILLING", "STOCK", "CLAIMS", "HRMS", "SALES" };
        private static readonly string[] DataVolumes = { "$DATA01", "$DATA02", "$DATA03", "$DATA04" };
        private static readonly string[] PrimaryAuthorizations = { "GGO", "AGO", "OOO", "GGG" };

        private readonly LabTopology _topology;
        private readonly int _seed;
        private readonly bool _encrypted;

        public VolumePlanner(LabTopology topology, int seed, int count, bool encrypted)
        {
            _topology = topology;
            _seed = seed;
            _encrypted = encrypted;
            Labels = MakeLabels(seed, count);
            InLabelOrder = new int[count];
            for (int i = 0; i < count; i++) InLabelOrder[i] = i;
            Array.Sort(InLabelOrder, (a, b) => string.CompareOrdinal(Labels[a], Labels[b]));
        }

        public string[] Labels { get; }

        /// <summary>
        /// Volume indexes sorted by label. Writers insert in this order so every catalog B-tree (keyed by label)
        /// grows by appending, which is several times faster than inserting at random places.
        /// </summary>
        public int[] InLabelOrder { get; }

        private static string[] MakeLabels(int seed, int count)
        {
            const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            var rng = LabRandom.For(seed, 0);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var labels = new string[count];
            var buf = new char[BackPak.Core.Text.Labels.Length];
            for (int i = 0; i < count;)
            {
                for (int k = 0; k < buf.Length; k++) buf[k] = chars[rng.Next(0, chars.Length)];
                var label = new string(buf);
                if (seen.Add(label)) labels[i++] = label; // R1: unique in the enterprise
            }
            return labels;
        }

        public VolumePlan Plan(int index)
        {
            var rng = LabRandom.For(_seed, index + 1L);
            var (store, group) = _topology.Slots[index % _topology.Slots.Length];
            var p = new VolumePlan { Label = Labels[index], Store = store, Group = group, OwnerUser = group.OwnerUser };

            p.LastBackup = Epoch.AddMinutes(-rng.NextLong(60, (long)group.BackupWindowDays * 24 * 60));
            p.LastBackup = p.LastBackup.AddTicks(-(p.LastBackup.Ticks % TimeSpan.TicksPerSecond));
            p.Expiration = p.LastBackup.AddDays(rng.Pick(group.RetentionDays));
            bool expired = p.Expiration <= Epoch;
            // DSM/TC status values other than SCRATCH are not in the recovered pages (Q8): ASSIGNED/RELEASED are inferred.
            p.CatalogStatus = expired ? "RELEASED" : "ASSIGNED";
            p.Authorization = rng.Pick(PrimaryAuthorizations);
            p.DataBytes = rng.Next(256, 1024);

            // Only the local stores have restores in flight at creation (every replicated store starts in step); no backup runs anywhere yet.
            if (!_topology.IsReplicated(store.Name) && rng.Chance(0.03))
            {
                if (rng.Chance(0.7)) { p.CurrentOperation = "LOAD"; p.CurrentOperationMode = "INPUT"; }
                else p.CurrentOperation = "MATERIALIZE";
            }
            if (_encrypted && group.EncryptedWhenLabEncrypted)
                // KeyPerTape: a new key each time the tape is rewritten [TEO p10]; the name format is inferred.
                p.MediaKeyName = "BPK-" + p.Label + "-" + p.LastBackup.ToString("yyyyMMddHHmmss");

            if (group.Kind == CatalogKind.DsmTc)
            {
                int files = rng.Next(1, 6);
                string node = store.Node;
                for (int f = 1; f <= files; f++)
                {
                    string app = rng.Pick(Apps);
                    var tf = new TapeFilePlan { Seq = f, FileId = app + "." + group.Name.Substring(0, 1) + rng.Next(0, 10000).ToString("D4"), Generation = rng.Next(1, 500) };
                    tf.DiskFiles = new string[rng.Next(2, 8)]; // about 13 DISKFILEs a volume: 100,000 volumes hold over a million
                    for (int d = 0; d < tf.DiskFiles.Length; d++)
                        tf.DiskFiles[d] = node + "." + rng.Pick(DataVolumes) + "." + app + ".F" + rng.Next(0, 100000).ToString("D5");
                    p.TapeFiles.Add(tf);
                }
            }
            else if (group.Kind == CatalogKind.Tmf)
            {
                int dumps = rng.Next(1, 4);
                for (int d = 1; d <= dumps; d++)
                {
                    bool audit = rng.Chance(0.6);
                    p.TmfDumps.Add((d, audit ? "AUDIT" : "ONLINE",
                        audit ? "$AUDIT.ZTMFAT.AA" + rng.Next(0, 1000000).ToString("D6") : rng.Pick(DataVolumes) + "." + rng.Pick(Apps) + ".*"));
                }
            }
            return p;
        }
    }
}
