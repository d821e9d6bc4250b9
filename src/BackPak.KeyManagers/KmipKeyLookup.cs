using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using BackPak.Core.Keys;

namespace BackPak.KeyManagers
{
    /// <summary>
    /// Finds keys by Media Key Name on a KMIP server for one operation, choosing between two ways by what each has cost
    /// on this server so far:
    /// <list type="bullet">
    /// <item>by name: a Locate per name and a Get Attributes per key found, each batch in one message. A server that
    /// finds a name by index (HP ESKM) answers this quickly whatever its size.</item>
    /// <item>by list: one Locate with no attribute (every object, bounded by Maximum Items), then Get Attributes for
    /// each object, once for the whole operation. A server that scans every object for every name (PyKMIP) answers
    /// each Locate in time proportional to its size, so when it holds not many more objects than names are asked for,
    /// reading its list once costs less than one batch of names.</item>
    /// </list>
    /// The list is read only when its measured cost (objects x cost of one Get Attributes) is below what asking the
    /// names seen so far one by one has cost; the probing Locate asks for at most that many objects, so a large server
    /// costs one bounded Locate, asked again only each time the number of names doubles. A name the list lacks is
    /// asked by name before it is reported absent, so a key made after the list was read is still found.
    /// </summary>
    internal sealed class KmipKeyLookup : IKeyLookup
    {
        /// <summary>Names located by name first, to measure what a name costs on this server.</summary>
        internal const int MeasuredNames = 5;
        /// <summary>The largest list ever read, whatever the measurements say (bounds the memory and the probe's answer).</summary>
        internal const int MaxListed = 20000;
        private const int ListBatch = 50;

        private readonly KmipKeyManager _keys;
        private readonly Func<int, double, double, int> _listBudget;
        private Dictionary<string, List<EncryptionKey>>? _byName;
        private double _msPerName = -1, _msPerKey = -1;
        private int _namesSeen, _nextProbeAt;

        /// <param name="listBudget">How many objects are worth reading (tests fix it; the measured <see cref="ListBudget"/> otherwise).</param>
        internal KmipKeyLookup(KmipKeyManager keys, Func<int, double, double, int>? listBudget = null)
        {
            _keys = keys;
            _listBudget = listBudget ?? ListBudget;
        }

        /// <summary>How the names were found: for tests and -Verbose.</summary>
        internal bool ReadTheList => _byName != null;
        internal int Probes { get; private set; }

        public IReadOnlyList<IReadOnlyList<EncryptionKey>> Find(IReadOnlyList<string> names)
        {
            if (names == null) throw new ArgumentNullException(nameof(names));
            var result = new IReadOnlyList<EncryptionKey>?[names.Count];
            int start = 0;
            if (_byName == null && _msPerName < 0 && names.Count > 0)
            {
                // Measure: the first few names by name.
                int n = Math.Min(MeasuredNames, names.Count);
                var first = ByName(names.Take(n).ToList(), measure: true);
                for (int i = 0; i < n; i++) result[i] = first[i];
                start = n;
            }
            _namesSeen += names.Count;
            if (_byName == null && start < names.Count && _namesSeen >= _nextProbeAt) TryReadList();

            var rest = Enumerable.Range(start, names.Count - start).ToList();
            if (_byName != null)
            {
                foreach (var i in rest)
                    if (_byName.TryGetValue(names[i], out var keys)) result[i] = keys;
                rest = rest.Where(i => result[i] == null).ToList(); // not in the list: ask by name (made since?)
            }
            if (rest.Count > 0)
            {
                var asked = ByName(rest.Select(i => names[i]).ToList(), measure: false);
                for (int j = 0; j < rest.Count; j++) result[rest[j]] = asked[j];
            }
            return result.Select(r => r ?? new EncryptionKey[0]).ToList();
        }

        private IReadOnlyList<IReadOnlyList<EncryptionKey>> ByName(IReadOnlyList<string> names, bool measure)
        {
            var clock = Stopwatch.StartNew();
            var ids = _keys.LocateMany(names);
            double locate = clock.Elapsed.TotalMilliseconds;
            var all = ids.SelectMany(x => x).ToList();
            clock.Restart();
            var keys = _keys.GetMany(all);
            double get = clock.Elapsed.TotalMilliseconds;
            if (measure)
            {
                _msPerName = locate / Math.Max(1, names.Count);
                if (all.Count > 0) _msPerKey = get / all.Count;
            }
            return BatchKeyLookup.PerName(ids, keys);
        }

        /// <summary>Reads the server's whole list when that costs less than the names seen so far did by name.</summary>
        private void TryReadList()
        {
            int budget = Math.Min(MaxListed, _listBudget(_namesSeen, _msPerName, _msPerKey));
            _nextProbeAt = Math.Max(_namesSeen * 2, _namesSeen + 1);
            if (budget < 1) return;
            Probes++;
            IReadOnlyList<string> ids;
            try
            {
                ids = _keys.LocateAll(budget + 1);
            }
            catch (BackPak.Core.Errors.BackPakException e) when (!e.StopsInvocation)
            {
                _nextProbeAt = int.MaxValue; // the server does not list its objects: by name from now on
                return;
            }
            if (ids.Count > budget) return; // more objects than it is worth reading
            var byName = new Dictionary<string, List<EncryptionKey>>(StringComparer.Ordinal);
            for (int i = 0; i < ids.Count; i += ListBatch)
                foreach (var key in _keys.GetMany(ids.Skip(i).Take(ListBatch).ToList()))
                {
                    if (key == null || key.Name.Length == 0) continue;
                    if (!byName.TryGetValue(key.Name, out var list)) byName[key.Name] = list = new List<EncryptionKey>();
                    list.Add(key);
                }
            _byName = byName;
        }

        /// <summary>
        /// How many objects are worth reading: as many as cost, at <paramref name="msPerKey"/> each, what the names
        /// seen so far cost by name. Without a measured key (every name absent so far) a key is taken to cost a name.
        /// </summary>
        internal static int ListBudget(int namesSeen, double msPerName, double msPerKey)
        {
            if (namesSeen <= 0 || msPerName <= 0) return 0;
            double perKey = msPerKey > 0 ? msPerKey : msPerName;
            double budget = namesSeen * msPerName / perKey;
            return budget >= MaxListed ? MaxListed : (int)Math.Floor(budget);
        }
    }
}
