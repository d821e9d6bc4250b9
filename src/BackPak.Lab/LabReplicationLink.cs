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
    /// <summary>A replication facility of the lab (storage or key server) between two sites, held in lab.db.</summary>
    internal sealed class LabReplicationLink : IReplicationLink, BackPak.Core.Providers.IReplicaCleanup
    {
        private readonly Lab _lab;
        public LabReplicationLink(Lab lab, string name) { _lab = lab; Name = name; }

        public string Name { get; }
        public string Kind => Row().Kind;
        public string Source => Row().Source;
        public string Target => Row().Target;
        /// <summary>False too while either site is lost with its node (the lab's NodeLost fault): nothing replicates then.</summary>
        public bool Healthy
        {
            get
            {
                var r = Row();
                return r.Healthy && !_lab.IsSiteLost(r.Source) && !_lab.IsSiteLost(r.Target);
            }
        }
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
