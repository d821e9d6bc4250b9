using System;
using System.Linq;
using BackPak.Core.Keys;
using BackPak.Kmip.Tests;
using Xunit;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>
    /// The KMIP lookup reads a server's key list once only when that costs less than asking name by name, and finds
    /// the same keys either way (PyKMIP on 127.0.0.1). The choice is fixed here through the budget, so that both ways
    /// are exercised whatever this machine's timings.
    /// </summary>
    [Collection(PyKmipCollection.Name)]
    public class KmipKeyLookupTests
    {
        private readonly PyKmipServerFixture _server;

        public KmipKeyLookupTests(PyKmipServerFixture server) => _server = server;

        private string[] CreateKeys(int count, string stem)
        {
            using var client = _server.Connect();
            var names = Enumerable.Range(1, count).Select(i => $"{stem}-{i}").ToArray();
            foreach (var n in names) client.Activate(client.CreateSymmetricKey(n));
            return names;
        }

        private static string Stem() => "BPK-LOOKUP-" + Guid.NewGuid().ToString("N").Substring(0, 8).ToUpperInvariant();

        [Theory]
        [InlineData(25, 74.0, 3.0, 616)]   // PyKMIP with a few hundred objects: a name costs a scan, a key a lookup
        [InlineData(25, 3.0, 2.0, 37)]     // an indexed server: a name costs little more than a key
        [InlineData(25, 10.0, -1.0, 25)]   // no key measured yet (every name absent): a key taken to cost a name
        [InlineData(0, 10.0, 1.0, 0)]
        [InlineData(100000, 100.0, 1.0, KmipKeyLookup.MaxListed)]
        public void The_list_is_worth_reading_up_to_what_the_names_cost_by_name(int names, double msPerName, double msPerKey, int expected)
        {
            Assert.Equal(expected, KmipKeyLookup.ListBudget(names, msPerName, msPerKey));
        }

        [Fact]
        public void Reading_the_list_finds_the_same_keys_as_asking_by_name_and_a_key_made_afterwards_too()
        {
            var stem = Stem();
            var names = CreateKeys(12, stem);
            var asked = names.Concat(new[] { stem + "-ABSENT" }).ToList();
            using var keys = KmipKeyManager.Connect(_server.Options());

            var byName = new KmipKeyLookup(keys, (n, name, key) => 0);
            var expected = byName.Find(asked);
            Assert.False(byName.ReadTheList);
            Assert.Equal(0, byName.Probes);

            var byList = new KmipKeyLookup(keys, (n, name, key) => KmipKeyLookup.MaxListed);
            var first = byList.Find(asked);
            Assert.True(byList.ReadTheList);
            Assert.Equal(1, byList.Probes);
            Assert.Equal(expected.Select(k => string.Join(",", k.Select(x => x.UniqueId + ":" + x.State))),
                first.Select(k => string.Join(",", k.Select(x => x.UniqueId + ":" + x.State))));
            Assert.Empty(first[names.Length]);

            // Made after the list was read: not in it, so asked by name before it would be called absent.
            var later = CreateKeys(1, stem + "-LATER").Single();
            var again = byList.Find(new[] { later, names[0] });
            Assert.Single(again[0]);
            Assert.Equal(later, again[0][0].Name);
            Assert.Equal(expected[0][0].UniqueId, Assert.Single(again[1]).UniqueId);
            Assert.Equal(1, byList.Probes);
        }

        [Fact]
        public void A_server_holding_more_objects_than_worth_reading_is_asked_by_name_and_probed_again_only_when_the_names_double()
        {
            var stem = Stem();
            var names = CreateKeys(8, stem);
            using var keys = KmipKeyManager.Connect(_server.Options());
            // Worth reading 2 objects: the server holds at least the 8 just made, so the probe (Maximum Items 3) says no.
            var lookup = new KmipKeyLookup(keys, (n, name, key) => 2);
            var found = lookup.Find(names.Take(6).ToList());
            Assert.False(lookup.ReadTheList);
            Assert.Equal(1, lookup.Probes);
            Assert.All(found, k => Assert.Single(k));
            lookup.Find(names.Skip(6).Take(1).ToList());   // 7 names seen: under twice 6, no new probe
            Assert.Equal(1, lookup.Probes);
            lookup.Find(names.Concat(names).Skip(7).Take(6).ToList()); // 13: probed again
            Assert.Equal(2, lookup.Probes);
            Assert.False(lookup.ReadTheList);
        }
    }
}
