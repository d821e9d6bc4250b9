using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackPak.Core.Model;

namespace BackPak.Lab
{
    /// <summary>What key removal asks of a domain beyond its catalog: who the other side of a replicated store is, and
    /// which key each volume's storage image names.</summary>
    public sealed partial class LabDomain
    {
        private static readonly byte[] MediaKeyNameField = Encoding.ASCII.GetBytes("MEDIAKEYNAME=");

        /// <summary>
        /// A lab is one estate: the other side of a store is the store with the same Store ID (primary_store_id) in
        /// another node's domain. A real site's provider reads it from its site description instead.
        /// </summary>
        public IReadOnlyList<ReplicationPartner> GetReplicationPartners() => Guard(() =>
        {
            var mine = ReadDataStores(null);
            var list = new List<ReplicationPartner>();
            foreach (var other in _lab.Nodes.Where(n => !string.Equals(n, Node, StringComparison.OrdinalIgnoreCase)))
            {
                using var c = LabDb.Open(LabLayout.BackPakDb(_lab.Root, other), readOnly: true);
                foreach (var s in mine)
                {
                    using var cmd = c.CreateCommand();
                    cmd.CommandText = "SELECT name FROM data_store WHERE primary_store_id = @p COLLATE NOCASE ORDER BY name";
                    cmd.Parameters.AddWithValue("@p", s.PrimaryStoreId);
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                        list.Add(new ReplicationPartner
                        {
                            DataStore = s.Name, Node = Node, DomainAccess = s.DomainAccess, PartnerNode = other, PartnerDataStore = r.GetString(0),
                        });
                }
            }
            return (IReadOnlyList<ReplicationPartner>)list;
        });

        /// <summary>Reads the LB&lt;label&gt;.IND image of every catalogued volume in its store's storage folder.</summary>
        public IReadOnlyList<VolumeImageKey> GetVolumeImageKeys() => Guard(() =>
        {
            var dirs = StorageDirs();
            var list = new List<VolumeImageKey>();
            using var c = OpenBackPak(readOnly: true);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT label, data_store, media_key_name FROM volume ORDER BY data_store, label";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                string label = r.GetString(0), store = r.GetString(1);
                if (!dirs.TryGetValue(store, out var dir)) continue;
                var key = ImageKey(LabLayout.IndexFile(dir, label));
                if (key == null) continue;
                list.Add(new VolumeImageKey
                {
                    Node = Node, Label = label, DataStore = store, MediaKeyName = key, CatalogMediaKeyName = r.IsDBNull(2) ? null : r.GetString(2),
                });
            }
            return (IReadOnlyList<VolumeImageKey>)list;
        });

        /// <summary>The MEDIAKEYNAME= line of a volume index image, or null (no image, or a clear volume).</summary>
        private static string? ImageKey(string indexFile)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(indexFile); }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
            for (int i = 0; i + MediaKeyNameField.Length <= bytes.Length; i++)
            {
                if (i > 0 && bytes[i - 1] != (byte)'\n') continue;
                int k = 0;
                while (k < MediaKeyNameField.Length && bytes[i + k] == MediaKeyNameField[k]) k++;
                if (k < MediaKeyNameField.Length) continue;
                int start = i + k, end = start;
                while (end < bytes.Length && bytes[end] != (byte)'\n' && bytes[end] != (byte)'\r') end++;
                return end > start ? Encoding.ASCII.GetString(bytes, start, end - start) : null;
            }
            return null;
        }
    }
}
