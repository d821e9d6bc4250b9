using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;
using BackPak.NonStop.Provider;
using Xunit;

namespace BackPak.NonStop.Tests
{
    /// <summary>The NonStop provider through a real sshd and the simulator: reads, pushed-down filters, errors.</summary>
    public sealed class ProviderTests : IClassFixture<ProviderSite>, IDisposable
    {
        private readonly ProviderSite _site;
        private SimulatorServer S => _site.Server;

        public ProviderTests(ProviderSite site)
        {
            _site = site;
            S.ClearFaults();
        }

        public void Dispose() => S.ClearFaults();

        private static LabelPattern[] P(params string[] p) => p.Select(Labels.ParsePattern).ToArray();
        private static List<string> Names(IEnumerable<Volume> v) => v.Select(x => x.Label).ToList();

        private static IEnumerable<string> Range(string prefix, int n) => Enumerable.Range(0, n).Select(i => prefix + i.ToString("D4"));

        // The commands the simulator received after a given count (its log is written before anything is done).
        private List<string> CommandsSince(int before) =>
            File.ReadLines(S.CommandLog).Where(l => l.Contains("\"command\"")).Skip(before).ToList();

        [Fact]
        public void Lists_the_described_stores_groups_and_volumes_in_label_order_on_one_session()
        {
            using var d = _site.Connect();
            Assert.Equal("NonStop", d.Provider);
            Assert.Equal("\\A", d.Node);
            Assert.Equal($"127.0.0.1:{S.Port}", d.Location);

            var stores = d.GetDataStores();
            Assert.Equal(new[] { "DS01", "DS02" }, stores.Select(s => s.Name));
            Assert.Equal(25 + 4 + 3, stores[0].VolumeCount);
            Assert.Equal(5, stores[1].VolumeCount);
            Assert.Equal(DomainAccess.Secondary, stores[1].DomainAccess);
            Assert.Equal(DataStoreStatus.Unknown, stores[0].Status);
            Assert.All(stores, s => Assert.Same(d.Identity, s.Origin));

            var groups = d.GetVolumeGroups("DS01");
            Assert.Equal(new[] { "VG01", "VG02", "VG04" }, groups.Select(g => g.Name));
            Assert.Equal(new long[] { 25, 3, 4 }, groups.Select(g => g.VolumeCount));
            Assert.Equal("\\A.VC1", groups[0].VolumeCatalog);
            Assert.Equal(CatalogKind.Tmf, groups[1].CatalogKind);
            Assert.Equal("\\A", groups[1].TmfNode);

            var all = d.GetVolumes(new VolumeQuery()).ToList();
            var expected = Range("AA", 25).Concat(Range("AB", 4)).Concat(Range("SC", 5)).Concat(Range("TM", 3)).ToList();
            Assert.Equal(expected, Names(all)); // merged from three reports in label order; ZZ (pool OTHER) is not BackPak's
            Assert.All(all, v => { Assert.Equal("\\A", v.Node); Assert.Same(d.Identity, v.Origin); });
            Assert.Equal(Range("AB", 4).Concat(Range("SC", 5)), Names(all.Where(v => v.IsExpired)));
            Assert.Equal("RELEASED", all.First(v => v.Label == "AB0000").CatalogStatus);
            Assert.Equal("VG02", all.First(v => v.Label == "TM0001").VolumeGroup);
            Assert.Equal(1, d.SessionsOpened);
        }

        [Fact]
        public void Filters_go_to_the_command_where_it_takes_them_and_the_rest_is_filtered_here()
        {
            using var d = _site.Connect();
            var cases = new (VolumeQuery Query, string[] Labels, string[] Sent)[]
            {
                (new VolumeQuery { DataStore = "DS02" }, Range("SC", 5).ToArray(), new[] { "INFO TAPEVOLUME *, VOLCAT \\A.VC2, POOL POOL2, DETAIL" }),
                (new VolumeQuery { DataStore = "DS01", VolumeGroup = "VG04" }, Range("AB", 4).ToArray(), new[] { "INFO TAPEVOLUME *, VOLCAT VC1, POOL POOL3, DETAIL" }),
                (new VolumeQuery { Labels = P("AA001*") }, Enumerable.Range(10, 10).Select(i => "AA00" + i).ToArray(),
                    new[] { "INFO TAPEVOLUME AA001*, VOLCAT VC1, DETAIL", "INFO TAPEVOLUME AA001*, VOLCAT \\A.VC2, POOL POOL2, DETAIL", "TMFCOM INFO TAPEMEDIA AA001*" }),
                (new VolumeQuery { Labels = P("AA0003"), DataStore = "DS01" }, new[] { "AA0003" }, new[] { "INFO TAPEVOLUME AA000*, VOLCAT VC1, DETAIL", "TMFCOM INFO TAPEMEDIA AA000*" }),
                (new VolumeQuery { Labels = P("AA0001", "AB0002"), VolumeGroup = "VG01" }, new[] { "AA0001" }, new[] { "INFO TAPEVOLUME A*, VOLCAT VC1, POOL POOL1, DETAIL" }),
                (new VolumeQuery { Labels = P("A[AB]000?"), DataStore = "DS01", Expired = true }, Range("AB", 4).ToArray(), new[] { "INFO TAPEVOLUME A*, VOLCAT VC1, DETAIL", "TMFCOM INFO TAPEMEDIA A*" }),
                (new VolumeQuery { Expired = false, DataStore = "DS02" }, new string[0], new[] { "INFO TAPEVOLUME *, VOLCAT \\A.VC2, POOL POOL2, DETAIL" }),
            };
            foreach (var (q, labels, sent) in cases)
            {
                int before = S.CommandsReceived;
                Assert.Equal(labels, Names(d.GetVolumes(q)));
                var log = CommandsSince(before);
                Assert.Equal(sent.Length, log.Count);
                foreach (var s in sent) Assert.Contains(log, l => l.Contains(s.Replace("\\", "\\\\")));
                Assert.Equal(labels.Length, d.CountVolumes(q));
            }
        }

        [Fact]
        public void Catalog_entries_come_from_MEDIACOM_and_TMFCOM()
        {
            using var d = _site.Connect();
            var tape = d.GetCatalogEntries("aa0003").ToList();
            Assert.Equal(new[] { CatalogEntryKind.TapeVolume, CatalogEntryKind.TapeFile }, tape.Select(e => e.Kind));
            Assert.Equal("\\A.VC1", tape[0].CatalogName);
            Assert.Equal("POOL1", tape[0].Pool);
            Assert.Equal("ASSIGNED", tape[0].Status);
            Assert.Equal("DS01-AA0003", tape[1].Name);
            Assert.Equal("\\A.FC1", tape[1].CatalogName);
            Assert.Equal(1, tape[1].Generation);
            Assert.Equal(1, tape[1].Sequence);
            Assert.Equal(new DateTime(2031, 12, 31, 0, 0, 0, DateTimeKind.Utc), tape[1].Expiration);
            Assert.All(tape, e => { Assert.Equal("AA0003", e.Label); Assert.Same(d.Identity, e.Origin); });

            var tmf = Assert.Single(d.GetCatalogEntries("TM0001"));
            Assert.Equal(CatalogEntryKind.TmfVolume, tmf.Kind);
            Assert.Equal("\\A", tmf.CatalogName);
            Assert.Empty(d.GetCatalogEntries("ZZ9999"));
            Assert.Empty(d.GetCatalogEntries("ZZ0001")); // in VC1, but in a pool no volume group names
            Assert.Equal(ErrorIds.InvalidLabel, Assert.Throws<BackPakException>(() => d.GetCatalogEntries("AA'; X")).ErrorId);
        }

        [Fact]
        public void Catalog_entries_can_be_read_while_volumes_stream()
        {
            using var d = _site.Connect();
            var seen = new List<int>();
            foreach (var v in d.GetVolumes(new VolumeQuery { DataStore = "DS01" }).Take(3))
                seen.Add(d.GetCatalogEntries(v.Label).Count());
            Assert.Equal(new[] { 2, 2, 2 }, seen);
            Assert.Equal(1, d.SessionsOpened);
        }

        [Fact]
        public void Unknown_names_fail_before_anything_is_sent()
        {
            using var d = _site.Connect();
            int before = S.CommandsReceived;
            Assert.Equal(ErrorIds.DataStoreNotFound, Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { DataStore = "NOSUCH" })).ErrorId);
            Assert.Equal(ErrorIds.VolumeGroupNotFound, Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { DataStore = "DS02", VolumeGroup = "VG01" })).ErrorId);
            Assert.Equal(ErrorIds.DataStoreNotFound, Assert.Throws<BackPakException>(() => d.GetVolumeGroups("NOSUCH")).ErrorId);
            Assert.Empty(d.GetDataStores("NOSUCH"));
            Assert.Equal(before, S.CommandsReceived);
        }

        [Fact]
        public void It_offers_reading_and_a_run_journal_alone_so_a_removal_is_refused_before_anything_is_sent()
        {
            using var d = _site.Connect();
            Assert.False(typeof(IVolumeRemover).IsAssignableFrom(d.GetType()));
            Assert.Equal(new[] { "reading", "a run journal" }, ProviderRules.CapabilitiesOf(new NonStopProvider().DomainType));
            Assert.Null(ProviderRules.Problem(new NonStopProvider()));
            int before = S.CommandsReceived;
            Assert.Equal(ErrorIds.CapabilityMissing, Assert.Throws<BackPakException>(() => Capabilities.Require<IVolumeRemover>(d, "volume removal")).ErrorId);
            Assert.Equal(before, S.CommandsReceived);
        }

        [Fact]
        public void A_changed_host_key_an_unknown_host_and_a_refused_key_fail_at_connection_with_nothing_sent()
        {
            string other = Path.Combine(S.Dir, "other_host_key");
            if (!File.Exists(other)) SimulatorServer.Shell("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other);
            string wrongHosts = Path.Combine(S.Dir, "wrong_known_hosts");
            File.WriteAllText(wrongHosts, $"[127.0.0.1]:{S.Port} " + string.Join(" ", File.ReadAllText(other + ".pub").Split(' ').Take(2)) + "\n");
            string emptyHosts = Path.Combine(S.Dir, "empty_known_hosts");
            File.WriteAllText(emptyHosts, "");
            string stranger = Path.Combine(S.Dir, "stranger_key");
            if (!File.Exists(stranger)) SimulatorServer.Shell("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger);

            int before = S.CommandsReceived;
            Assert.Equal(ErrorIds.NonStopHostKeyMismatch, Assert.Throws<BackPakException>(() => _site.Connect(_site.Write("mismatch.psd1", knownHosts: wrongHosts))).ErrorId);
            Assert.Equal(ErrorIds.NonStopHostKeyUnknown, Assert.Throws<BackPakException>(() => _site.Connect(_site.Write("unknown.psd1", knownHosts: emptyHosts))).ErrorId);
            Assert.Equal(ErrorIds.NonStopAuthenticationFailed, Assert.Throws<BackPakException>(() => _site.Connect(_site.Write("stranger.psd1", identityFile: stranger))).ErrorId);
            // The IdentityFile parameter replaces the description's key.
            Assert.Equal(ErrorIds.NonStopAuthenticationFailed, Assert.Throws<BackPakException>(() => _site.Connect(more: new Dictionary<string, object?> { ["IdentityFile"] = stranger })).ErrorId);
            var e = Assert.Throws<BackPakException>(() => _site.Connect(_site.Write("password.psd1", authentication: "Password")));
            Assert.Equal(ErrorIds.NonStopAuthenticationFailed, e.ErrorId);
            Assert.Contains("-Credential", e.RecommendedAction);
            Assert.Equal(before, S.CommandsReceived);
        }

        [Fact]
        public void A_description_the_provider_cannot_use_is_refused_with_its_ErrorId()
        {
            Assert.Equal(ErrorIds.SiteDescriptionNotFound, Assert.Throws<BackPakException>(() => _site.Connect(Path.Combine(S.Dir, "nosuch.psd1"))).ErrorId);
            string twoTmf = _site.Write("two-tmf.psd1", extraGroup: "@{ Name = 'VG05'; Catalog = 'Tmf' }");
            Assert.Equal(ErrorIds.SiteDescriptionInvalid, Assert.Throws<BackPakException>(() => _site.Connect(twoTmf)).ErrorId);
            string shared = _site.Write("shared.psd1", extraGroup: "@{ Name = 'VG05'; Catalog = 'DsmTc'; VolumeCatalog = '\\A.VC1'; Pool = 'POOL1' }");
            Assert.Contains("cannot be told apart", Assert.Throws<BackPakException>(() => _site.Connect(shared)).Message);
            var provider = new NonStopProvider();
            var x = Assert.Throws<BackPakException>(() => provider.Connect(new ProviderConnectRequest
            {
                Node = "\\Q", Parameters = new Dictionary<string, object?> { ["SiteDescription"] = _site.SitePath },
            }));
            Assert.Equal(ErrorIds.NodeNotFound, x.ErrorId);
            Assert.Contains("\\A", x.Message);
        }

        [Fact]
        public void A_dropped_session_a_slow_node_and_malformed_reports_have_their_ErrorIds_and_the_next_read_works()
        {
            using var d = _site.Connect();
            S.Fault("drop-after", "30", "INFO TAPEVOLUME");
            Assert.Equal(ErrorIds.NonStopSessionDropped, Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { DataStore = "DS01" }).ToList()).ErrorId);
            S.ClearFaults();
            Assert.Equal(5, d.GetVolumes(new VolumeQuery { DataStore = "DS02" }).Count());
            Assert.Equal(2, d.SessionsOpened);

            foreach (var kind in new[] { "truncate", "garble", "noname" })
            {
                S.Fault("malformed", kind, "INFO TAPEVOLUME");
                // VG01's tapes hold files, so a garbled report has a generation that is not a number.
                var e = Assert.Throws<BackPakException>(() => d.GetVolumes(new VolumeQuery { VolumeGroup = "VG01" }).ToList());
                Assert.True(e.ErrorId == ErrorIds.NonStopReportMalformed, kind + ": " + e.ErrorId + " " + e.Message);
                S.ClearFaults();
            }

            using var slow = _site.Connect(_site.Write("slow.psd1", commandTimeout: 1));
            S.Fault("slow", "3", "INFO TAPEVOLUME");
            Assert.Equal(ErrorIds.NonStopCommandTimeout, Assert.Throws<BackPakException>(() => slow.GetVolumes(new VolumeQuery { DataStore = "DS02" }).ToList()).ErrorId);
            S.ClearFaults();
            Assert.Equal(5, slow.GetVolumes(new VolumeQuery { DataStore = "DS02" }).Count());
        }

        [Fact]
        public void The_pushed_pattern_is_the_shared_literal_start_of_the_patterns()
        {
            Assert.Equal("*", VolumeReads.Pushed(new LabelPattern[0]));
            Assert.Equal("AB*", VolumeReads.Pushed(P("AB*")));
            Assert.Equal("AB12??", VolumeReads.Pushed(P("AB12??")));
            Assert.Equal("AB123*", VolumeReads.Pushed(P("AB1234")));
            Assert.Equal("AB*", VolumeReads.Pushed(P("AB1234", "AB99*")));
            Assert.Equal("A*", VolumeReads.Pushed(P("A[BC]1234")));
            Assert.Equal("*", VolumeReads.Pushed(P("AB1234", "CD5678")));
            Assert.Equal("A*B*C*", VolumeReads.Pushed(P("A*B*C*")));
            Assert.Equal("A*", VolumeReads.Pushed(P("A*B*C*D")));
        }
    }
}
