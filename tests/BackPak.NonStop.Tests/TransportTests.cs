using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Reports;
using BackPak.NonStop.Transport;
using Xunit;

namespace BackPak.NonStop.Tests
{
    /// <summary>Transport, commands and parsers through the real sshd and the simulator.</summary>
    [Collection("nonstop-server")]
    public sealed class TransportTests : IDisposable
    {
        private readonly SimulatorServer _s;

        public TransportTests(SimulatorServer server)
        {
            _s = server;
            _s.ClearFaults();
        }

        public void Dispose() => _s.ClearFaults();

        private static CommandContext Ctx(NonStopCommand c) => new CommandContext("\\A", c);

        [Fact]
        public void Lists_volumes_through_ssh_and_parses_them_as_they_stream()
        {
            using var session = _s.Open();
            var cmd = NonStopCommands.InfoTapeVolumes("AA*", "VC1", "POOL1");
            var d = new ReportDiagnostics();
            var v = MediacomReports.TapeVolumes(session.Run(cmd), Ctx(cmd), d).ToList();
            Assert.Equal(25, v.Count(x => x.TapeName.StartsWith("AA", StringComparison.Ordinal)));
            Assert.All(v, x => Assert.True(x.IsWellFormed));
            Assert.Equal("\\A.VC1", v[0].VolumeCatalog);
            Assert.Equal(DsmTapeStatus.Assigned, v[0].Status);
            Assert.Equal("DS01-" + v[0].TapeName, v[0].Files.Single().TapeFileId);
            Assert.Equal(0, session.LastOutcome!.ExitStatus);
            Assert.Equal(d.LinesRead, session.LastOutcome.Lines);
        }

        [Fact]
        public void One_session_serves_every_command_to_a_node()
        {
            string before = _s.SshdLog;
            using var pool = new NonStopSessions();
            pool.Add(_s.Endpoint(), SshCredential.KeyFile(_s.ClientKey));
            for (int i = 0; i < 5; i++)
            {
                var cmd = NonStopCommands.InfoTmfTapeMedia("TM*");
                Assert.Equal(3, TmfReports.TapeMedia(pool.Run("\\A", cmd), Ctx(cmd), new ReportDiagnostics()).Count());
            }
            Assert.Equal(1, pool.SessionsOpened);
            Assert.Equal(5, pool.For("\\A").CommandsStarted);
            string added = _s.SshdLog.Substring(before.Length);
            Assert.Equal(1, CountOf(added, "Accepted publickey"));
        }

        [Fact]
        public void Both_command_forms_reach_the_same_programs()
        {
            foreach (var form in new[] { CommandForm.OssShell, CommandForm.Tacl })
            {
                using var session = _s.Open(form: form);
                var cmd = NonStopCommands.InfoTapeFiles("DS01-AA000*", "FC1");
                Assert.Equal(10, MediacomReports.TapeFiles(session.Run(cmd), Ctx(cmd), new ReportDiagnostics()).Count());
            }
        }

        [Fact]
        public void A_host_key_the_known_hosts_file_does_not_list_is_refused_before_anything_is_sent()
        {
            string empty = Path.Combine(_s.Dir, "empty_known_hosts");
            File.WriteAllText(empty, "");
            int before = _s.CommandsReceived;
            var e = Assert.Throws<BackPakException>(() => _s.Open(HostKeyTrust.KnownHostsFile(empty)));
            Assert.Equal(ErrorIds.NonStopHostKeyUnknown, e.ErrorId);
            Assert.Contains("SHA256:", e.Message);
            Assert.Equal(before, _s.CommandsReceived);
        }

        [Fact]
        public void A_different_host_key_for_the_host_is_a_mismatch()
        {
            string other = Path.Combine(_s.Dir, "other_host_key");
            if (!File.Exists(other)) SimulatorServer.Shell("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other);
            string pub = File.ReadAllText(other + ".pub").Split(' ').Take(2).Aggregate((a, b) => a + " " + b);
            string wrong = Path.Combine(_s.Dir, "wrong_known_hosts");
            File.WriteAllText(wrong, $"[127.0.0.1]:{_s.Port} {pub}\n");
            int before = _s.CommandsReceived;
            var e = Assert.Throws<BackPakException>(() => _s.Open(HostKeyTrust.KnownHostsFile(wrong)));
            Assert.Equal(ErrorIds.NonStopHostKeyMismatch, e.ErrorId);
            Assert.Equal(before, _s.CommandsReceived);
        }

        [Fact]
        public void A_pinned_fingerprint_is_checked_too()
        {
            string fp = SimulatorServer.Shell("ssh-keygen", "-lf", Path.Combine(_s.Dir, "ssh_host_ed25519_key.pub")).Output.Split(' ')[1];
            using (var ok = _s.Open(HostKeyTrust.PinnedSha256(fp)))
                Assert.True(ok.IsUsable);
            var e = Assert.Throws<BackPakException>(() => _s.Open(HostKeyTrust.PinnedSha256("SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('='))));
            Assert.Equal(ErrorIds.NonStopHostKeyMismatch, e.ErrorId);
        }

        [Fact]
        public void A_hashed_known_hosts_entry_is_recognised()
        {
            string hashed = Path.Combine(_s.Dir, "hashed_known_hosts");
            File.Copy(_s.KnownHosts, hashed, true);
            SimulatorServer.Shell("ssh-keygen", "-H", "-f", hashed);
            Assert.StartsWith("|1|", File.ReadAllText(hashed));
            using var s = _s.Open(HostKeyTrust.KnownHostsFile(hashed));
            Assert.True(s.IsUsable);
        }

        [Fact]
        public void A_key_the_server_does_not_accept_is_refused()
        {
            string stranger = Path.Combine(_s.Dir, "stranger_key");
            if (!File.Exists(stranger)) SimulatorServer.Shell("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger);
            int before = _s.CommandsReceived;
            var e = Assert.Throws<BackPakException>(() => NonStopSession.Open(_s.Endpoint(), SshCredential.KeyFile(stranger)));
            Assert.Equal(ErrorIds.NonStopAuthenticationFailed, e.ErrorId);
            var p = Assert.Throws<BackPakException>(() => NonStopSession.Open(_s.Endpoint(), SshCredential.Password("not-the-password")));
            Assert.Equal(ErrorIds.NonStopAuthenticationFailed, p.ErrorId);
            Assert.DoesNotContain("not-the-password", p.Message);
            Assert.Equal(before, _s.CommandsReceived);
        }

        [Fact]
        public void Nothing_listening_is_unreachable()
        {
            var ep = new NodeEndpoint("\\A", "127.0.0.1", 1, _s.User, HostKeyTrust.KnownHostsFile(_s.KnownHosts), timeouts: new NonStopTimeouts(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));
            Assert.Equal(ErrorIds.NonStopUnreachable, Assert.Throws<BackPakException>(() => NonStopSession.Open(ep, SshCredential.KeyFile(_s.ClientKey))).ErrorId);
        }

        [Fact]
        public void A_session_dropped_mid_report_is_detected_and_the_next_command_reconnects()
        {
            using var pool = new NonStopSessions();
            pool.Add(_s.Endpoint(), SshCredential.KeyFile(_s.ClientKey));
            var cmd = NonStopCommands.InfoTapeVolumes("AA*", "VC1");
            Assert.Equal(25, MediacomReports.TapeVolumes(pool.Run("\\A", cmd), Ctx(cmd), new ReportDiagnostics()).Count());
            _s.Fault("drop-after", "40", "INFO TAPEVOLUME");
            int yielded = 0;
            var e = Assert.Throws<BackPakException>(() => { foreach (var _ in MediacomReports.TapeVolumes(pool.Run("\\A", cmd), Ctx(cmd), new ReportDiagnostics())) yielded++; });
            Assert.Equal(ErrorIds.NonStopSessionDropped, e.ErrorId);
            Assert.InRange(yielded, 1, 3);
            Assert.Contains("not used", e.Message);
            _s.ClearFaults();
            Assert.Equal(25, MediacomReports.TapeVolumes(pool.Run("\\A", cmd), Ctx(cmd), new ReportDiagnostics()).Count());
            Assert.Equal(2, pool.SessionsOpened);
        }

        [Fact]
        public void A_change_lost_with_its_session_changes_nothing_and_says_to_read_again()
        {
            string before = _s.Dump();
            _s.Fault("drop-after", "0", "DELETE TAPEVOLUME");
            using var session = _s.Open();
            var cmd = NonStopCommands.DeleteTapeVolume("SC0001", "VC2", "POOL2");
            var e = Assert.Throws<BackPakException>(() => MediacomReports.Change(session.Run(cmd), Ctx(cmd), new ReportDiagnostics()));
            Assert.Equal(ErrorIds.NonStopSessionDropped, e.ErrorId);
            Assert.Contains("may or may not", e.Message);
            Assert.False(session.IsUsable);
            Assert.Equal(before, _s.Dump());
        }

        [Fact]
        public void A_slow_node_times_out_and_a_change_it_had_not_begun_is_not_made()
        {
            string before = _s.Dump();
            _s.Fault("slow", "4", "DELETE TAPEVOLUME");
            using var session = _s.Open(timeouts: new NonStopTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
            var cmd = NonStopCommands.DeleteTapeVolume("SC0002", "VC2", "POOL2");
            var watch = Stopwatch.StartNew();
            var e = Assert.Throws<BackPakException>(() => MediacomReports.Change(session.Run(cmd), Ctx(cmd), new ReportDiagnostics()));
            Assert.Equal(ErrorIds.NonStopCommandTimeout, e.ErrorId);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3.5), $"the timeout took {watch.Elapsed}");
            Assert.False(session.IsUsable);
            // The simulator finishes its delay, finds nobody listening and gives up: the volume is still there.
            for (int i = 0; i < 100 && !File.ReadAllText(_s.CommandLog).Contains("\"abandoned\": \"gtacl -c 'MEDIACOM DELETE TAPEVOLUME SC0002"); i++) Thread.Sleep(100);
            Assert.Contains("\"abandoned\"", File.ReadAllText(_s.CommandLog));
            Assert.Equal(before, _s.Dump());
        }

        [Fact]
        public void A_reader_slower_than_the_command_timeout_is_not_a_slow_node()
        {
            // The node answers at once; the caller reads one line, then works longer than the limit before reading on.
            using var session = _s.Open(timeouts: new NonStopTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
            var cmd = NonStopCommands.InfoTapeVolumes("AA*", "VC1", "POOL1");
            int expected = MediacomReports.TapeVolumes(session.Run(cmd), Ctx(cmd), new ReportDiagnostics()).Count();
            var lines = session.Run(cmd).GetEnumerator();
            Assert.True(lines.MoveNext());
            Thread.Sleep(TimeSpan.FromSeconds(2.5));
            var rest = new System.Collections.Generic.List<string> { lines.Current };
            while (lines.MoveNext()) rest.Add(lines.Current);
            lines.Dispose();
            Assert.Equal(expected, MediacomReports.TapeVolumes(rest, Ctx(cmd), new ReportDiagnostics()).Count());
            Assert.True(session.IsUsable);
            Assert.Equal(0, session.LastOutcome!.ExitStatus);
        }

        [Fact]
        public void The_overall_deadline_shortens_the_command_timeout()
        {
            _s.Fault("slow", "3", "INFO TAPEFILE");
            using var session = _s.Open();
            var cmd = NonStopCommands.InfoTapeFiles("*", "FC1");
            var watch = Stopwatch.StartNew();
            var e = Assert.Throws<BackPakException>(() => MediacomReports.TapeFiles(session.Run(cmd, DateTimeOffset.UtcNow.AddSeconds(1)), Ctx(cmd), new ReportDiagnostics()).ToList());
            Assert.Equal(ErrorIds.NonStopCommandTimeout, e.ErrorId);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5));
            var late = Assert.Throws<BackPakException>(() => session.Run(cmd, DateTimeOffset.UtcNow.AddSeconds(-1)).ToList());
            Assert.Equal(ErrorIds.NonStopCommandTimeout, late.ErrorId);
        }

        [Theory]
        [InlineData("truncate", "closing line")]
        [InlineData("noname", "declares")]
        public void Malformed_reports_fail_with_a_clear_error(string kind, string expected)
        {
            _s.Fault("malformed", kind, "INFO TAPEVOLUME");
            using var session = _s.Open();
            var cmd = NonStopCommands.InfoTapeVolumes("AA000*", "VC1");
            var e = Assert.Throws<BackPakException>(() => MediacomReports.TapeVolumes(session.Run(cmd), Ctx(cmd), new ReportDiagnostics()).ToList());
            Assert.Equal(ErrorIds.NonStopReportMalformed, e.ErrorId);
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void A_garbled_report_keeps_what_it_does_not_know_or_fails_in_strict_mode()
        {
            _s.Fault("malformed", "garble", "INFO TAPEVOLUME");
            using var session = _s.Open();
            var cmd = NonStopCommands.InfoTapeVolumes("AA000*", "VC1");
            var d = new ReportDiagnostics();
            var v = MediacomReports.TapeVolumes(session.Run(cmd), Ctx(cmd), d).ToList();
            Assert.Equal(10, v.Count);
            Assert.Equal("Retention Class     7 YEARS", Assert.Single(d.UnknownLines).Text);
            Assert.Equal(10, d.ProblemCount); // every Generation 'ONE'
            Assert.All(v, x => Assert.False(x.IsWellFormed));
            var e = Assert.Throws<BackPakException>(() => MediacomReports.TapeVolumes(session.Run(cmd), Ctx(cmd), new ReportDiagnostics(), ReportStrictness.Strict).ToList());
            Assert.Equal(ErrorIds.NonStopReportMalformed, e.ErrorId);
        }

        [Fact]
        public void Program_errors_become_typed_errors_and_the_session_stays_usable()
        {
            using var session = _s.Open();
            var bad = NonStopCommands.InfoDiskFiles("\\NODEP.$*.*.*", "FC1");
            var e = Assert.Throws<NonStopCommandException>(() => MediacomReports.DiskFiles(session.Run(bad), Ctx(bad), new ReportDiagnostics()).ToList());
            Assert.Equal(5048, e.ErrorNumber);
            Assert.True(session.IsUsable);
            var good = NonStopCommands.InfoDiskFiles("\\A.$*.*.FAA000*", "FC1");
            Assert.Equal(20, MediacomReports.DiskFiles(session.Run(good), Ctx(good), new ReportDiagnostics()).Count());
        }

        [Fact]
        public void Deletion_follows_the_documented_order_and_MEDIACOM_refuses_an_assigned_tape()
        {
            using var session = _s.Open();
            var ctx = Ctx(NonStopCommands.DeleteTapeVolume("AA0024", "VC1", "POOL1"));
            var refused = Assert.Throws<NonStopCommandException>(() => MediacomReports.Change(session.Run(NonStopCommands.DeleteTapeVolume("AA0024", "VC1", "POOL1")), ctx, new ReportDiagnostics()));
            Assert.Contains("ASSIGNED", refused.ErrorText);

            // DSM/TC Catalog Management p146: DELETE TAPEFILE, the tape becomes SCRATCH (p144), then DELETE TAPEVOLUME.
            var c1 = MediacomReports.Change(session.Run(NonStopCommands.DeleteTapeFile("DS01-AA0024", "FC1", 1, 0)), ctx, new ReportDiagnostics());
            Assert.Equal("tape file", c1.ObjectType);
            var info = NonStopCommands.InfoTapeVolumes("AA0024", "VC1");
            Assert.Equal(DsmTapeStatus.Scratch, MediacomReports.TapeVolumes(session.Run(info), Ctx(info), new ReportDiagnostics()).Single().Status);
            var c2 = MediacomReports.Change(session.Run(NonStopCommands.DeleteTapeVolume("AA0024", "VC1", "POOL1")), ctx, new ReportDiagnostics());
            Assert.Equal((1, "tape volume", "deleted"), (c2.Count, c2.ObjectType, c2.Verb));
            var gone = Assert.Throws<NonStopCommandException>(() => MediacomReports.TapeVolumes(session.Run(info), Ctx(info), new ReportDiagnostics()).ToList());
            Assert.Contains("not found", gone.ErrorText);
        }

        [Fact]
        public void A_catalog_import_runs_the_BackPak_macro()
        {
            using var session = _s.Open();
            var cmd = NonStopCommands.ImportCatalog("$SYSTEM.BBOX", "DS02", ImportType.Full, catalogFiles: false);
            var o = MacroReports.Run(session.Run(cmd), Ctx(cmd), new ReportDiagnostics());
            Assert.Contains("FULL import of data store DS02", o.Messages.Single());
            Assert.Contains("\"DS02\", \"FULL\", \"NO\"", _s.Dump());
            var primary = NonStopCommands.ImportCatalog("$SYSTEM.BBOX", "DS01", ImportType.Update, true);
            Assert.Contains("needs SECONDARY", Assert.Throws<NonStopCommandException>(() => MacroReports.Run(session.Run(primary), Ctx(primary), new ReportDiagnostics())).ErrorText);
        }

        [Fact]
        public void Injection_attempts_are_refused_with_an_open_session_and_nothing_reaches_the_node()
        {
            using var session = _s.Open();
            var probe = NonStopCommands.InfoTmfTapeMedia("TM*");
            TmfReports.TapeMedia(session.Run(probe), Ctx(probe), new ReportDiagnostics()).ToList();
            int before = _s.CommandsReceived;
            int refused = 0;
            foreach (object[] row in NameAndInjectionTests.EveryTemplateArgument())
            {
                var make = (Func<string, NonStopCommand>)row[1];
                try
                {
                    var c = make((string)row[2]);
                    session.Run(c).ToList(); // never reached: the template refuses first
                }
                catch (BackPakException e) when (e.ErrorId == ErrorIds.InvalidNonStopName) { refused++; }
            }
            Assert.Equal(NameAndInjectionTests.EveryTemplateArgument().Count(), refused);
            Assert.Equal(before, _s.CommandsReceived);
            Assert.True(session.IsUsable);
        }

        private static int CountOf(string text, string what)
        {
            int n = 0, i = 0;
            while ((i = text.IndexOf(what, i, StringComparison.Ordinal)) >= 0) { n++; i += what.Length; }
            return n;
        }
    }
}
