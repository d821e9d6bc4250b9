using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Providers;

namespace BackPak.Core.Keys
{
    /// <summary>Which catalogued volumes use a key: asked of every domain given, inside their stores.</summary>
    public static class KeyReferences
    {
        public static long Count(IEnumerable<IBackPakDomain> domains, string mediaKeyName) =>
            domains.Sum(d => d.CountVolumes(new VolumeQuery { MediaKeyName = mediaKeyName }));

        /// <summary>Up to <paramref name="max"/> referencing volumes, domain by domain (all of them when null).</summary>
        public static IReadOnlyList<KeyReference> List(IEnumerable<IBackPakDomain> domains, string mediaKeyName, int? max = null)
        {
            var list = new List<KeyReference>();
            foreach (var d in domains)
            {
                foreach (var v in d.GetVolumes(new VolumeQuery { MediaKeyName = mediaKeyName }))
                {
                    if (max.HasValue && list.Count >= max.Value) return list;
                    list.Add(new KeyReference(v.Node, v.Label, v.DataStore));
                }
            }
            return list;
        }

        /// <summary>The keys a key manager holds under a Media Key Name (destroyed ones included when it still lists them).</summary>
        public static IReadOnlyList<EncryptionKey> Find(IKeyManager keys, string mediaKeyName)
        {
            var found = new List<EncryptionKey>();
            foreach (var id in keys.Locate(mediaKeyName))
            {
                var k = keys.Get(id);
                if (k != null) found.Add(k);
            }
            return found;
        }
    }
}
