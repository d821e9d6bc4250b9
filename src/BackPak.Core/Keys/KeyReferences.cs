using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Providers;

namespace BackPak.Core.Keys
{
    /// <summary>
    /// Which catalogued volumes use a key, asked of every domain given: their catalogs (a query per key, answered inside
    /// each store) and the keys their volumes' storage images name (read once, at the first question, for the whole
    /// operation). A volume whose image names another key than its catalog entry needs both: a backup writes the image
    /// before the catalog names the new key, and an older catalog entry can come back over a newer image.
    /// </summary>
    public sealed class KeyReferences
    {
        private readonly IReadOnlyList<IDomainReader> _domains;
        private Dictionary<string, List<KeyReference>>? _imageOnly;

        public KeyReferences(IReadOnlyList<IDomainReader> domains)
        {
            _domains = domains ?? throw new ArgumentNullException(nameof(domains));
        }

        /// <summary>How many volumes use the key, by their catalog entry or their storage image.</summary>
        public long Count(string mediaKeyName) =>
            _domains.Sum(d => d.CountVolumes(new VolumeQuery { MediaKeyName = mediaKeyName }))
            + (ImageOnly().TryGetValue(mediaKeyName, out var extra) ? extra.Count : 0);

        /// <summary>Up to <paramref name="max"/> volumes that use the key (all of them when null): catalog entries first, domain by domain, then storage images.</summary>
        public IReadOnlyList<KeyReference> List(string mediaKeyName, int? max = null)
        {
            var list = new List<KeyReference>();
            foreach (var d in _domains)
            {
                foreach (var v in d.GetVolumes(new VolumeQuery { MediaKeyName = mediaKeyName }))
                {
                    if (max.HasValue && list.Count >= max.Value) return list;
                    list.Add(new KeyReference(v.Node, v.Label, v.DataStore));
                }
            }
            if (ImageOnly().TryGetValue(mediaKeyName, out var extra))
                foreach (var r in extra)
                {
                    if (max.HasValue && list.Count >= max.Value) return list;
                    list.Add(r);
                }
            return list;
        }

        /// <summary>Volumes whose storage image names a key their catalog entry does not, by that key.</summary>
        private Dictionary<string, List<KeyReference>> ImageOnly()
        {
            if (_imageOnly != null) return _imageOnly;
            var map = new Dictionary<string, List<KeyReference>>(StringComparer.Ordinal);
            foreach (var d in _domains)
                foreach (var i in KeyManagerScope.Facts(d).GetVolumeImageKeys())
                {
                    if (string.Equals(i.MediaKeyName, i.CatalogMediaKeyName, StringComparison.Ordinal)) continue; // counted by the catalog
                    if (!map.TryGetValue(i.MediaKeyName, out var list)) map[i.MediaKeyName] = list = new List<KeyReference>();
                    list.Add(new KeyReference(i.Node, i.Label, i.DataStore, KeyReferenceSource.StorageImage));
                }
            return _imageOnly = map;
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
