using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using BackPak.Kmip.Transport;
using BackPak.Kmip.Ttlv;
using Xunit;

namespace BackPak.Kmip.Tests
{
    public sealed class TransportPki : IDisposable
    {
        internal TestCertificateAuthority Ca { get; } = new TestCertificateAuthority("BackPak Fake KMIP CA");
        internal TestCertificateAuthority OtherCa { get; } = new TestCertificateAuthority("BackPak Other CA");
        // Same name as Ca, different key: a root that merely looks right must not be trusted.
        internal TestCertificateAuthority ImpostorCa { get; } = new TestCertificateAuthority("BackPak Fake KMIP CA");
        public X509Certificate2 ServerForLocalhostOnly { get; }
        public X509Certificate2 Client { get; }

        public TransportPki()
        {
            ServerForLocalhostOnly = Ca.IssueServer("localhost", "localhost");
            Client = Ca.IssueClient("fake-client");
        }

        public void Dispose()
        {
            ServerForLocalhostOnly.Dispose();
            Client.Dispose();
            Ca.Dispose();
            OtherCa.Dispose();
            ImpostorCa.Dispose();
        }
    }

    public class TransportTests : IClassFixture<TransportPki>
    {
        private readonly TransportPki _pki;

        public TransportTests(TransportPki pki) => _pki = pki;

        private KmipClientOptions Options(int port, Action<KmipClientOptions>? change = null)
        {
            var options = new KmipClientOptions
            {
                Host = "localhost",
                Port = port,
                ClientCertificate = _pki.Client,
                TrustedRootCertificate = _pki.Ca.PublicCertificate,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                ReadTimeout = TimeSpan.FromSeconds(5),
                WriteTimeout = TimeSpan.FromSeconds(5),
            };
            change?.Invoke(options);
            return options;
        }

        private static byte[] VersionsResponse(params KmipVersion[] versions) =>
            FakeKmipServer.Response(KmipVersion.V1_4,
                FakeKmipServer.Success(KmipOperation.DiscoverVersions, versions.Select(v => v.ToTtlv()).ToArray()));

        private FakeKmipServer Server(Func<TtlvItem, byte[]?> handler) => new FakeKmipServer(_pki.ServerForLocalhostOnly, handler);

        [Fact]
        public void Negotiates_the_highest_common_version()
        {
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_1, KmipVersion.V1_0));
            using var client = KmipClient.Connect(Options(server.Port));
            Assert.Equal(KmipVersion.V1_1, client.ProtocolVersion);
            Assert.True(server.Requests.TryPeek(out var first));
            Assert.Equal(KmipOperation.DiscoverVersions, FakeKmipServer.OperationOf(first!));
        }

        [Fact]
        public void Falls_back_when_the_server_rejects_discover_versions()
        {
            using var server = Server(request => FakeKmipServer.OperationOf(request) == KmipOperation.DiscoverVersions
                ? FakeKmipServer.Response(KmipVersion.V1_0, FakeKmipServer.Failure(KmipOperation.DiscoverVersions, KmipResultReason.OperationNotSupported, "no"))
                : FakeKmipServer.Response(KmipVersion.V1_0, FakeKmipServer.Success(KmipOperation.Locate)));
            using var client = KmipClient.Connect(Options(server.Port, o => o.FallbackProtocolVersion = KmipVersion.V1_2));
            Assert.Equal(KmipVersion.V1_2, client.ProtocolVersion);

            Assert.Empty(client.Locate("k"));
            Assert.Equal(KmipVersion.V1_2, FakeKmipServer.VersionOf(server.Requests.Last()));
        }

        [Fact]
        public void Fails_when_no_version_is_common()
        {
            using var server = Server(_ => VersionsResponse(new KmipVersion(2, 0)));
            var ex = Assert.Throws<KmipException>(() => KmipClient.Connect(Options(server.Port)));
            Assert.Contains("2.0", ex.Message);
        }

        [Fact]
        public void Fixed_version_skips_negotiation()
        {
            using var server = Server(_ => FakeKmipServer.Response(KmipVersion.V1_0, FakeKmipServer.Success(KmipOperation.Locate)));
            using var client = KmipClient.Connect(Options(server.Port, o => o.ProtocolVersion = KmipVersion.V1_0));
            client.Locate("k");
            Assert.Single(server.Requests);
            Assert.Equal(KmipOperation.Locate, FakeKmipServer.OperationOf(server.Requests.Single()));
        }

        [Fact]
        public void Server_refusing_the_client_during_negotiation_is_an_authentication_error()
        {
            using var server = Server(_ => FakeKmipServer.Response(KmipVersion.V1_0,
                FakeKmipServer.Failure(KmipOperation.DiscoverVersions, KmipResultReason.AuthenticationNotSuccessful, "who are you")));
            var ex = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(server.Port)));
            Assert.Equal(KmipAuthenticationFailure.ClientRejected, ex.Failure);
        }

        [Fact]
        public void Many_requests_share_one_connection()
        {
            using var server = Server(request => FakeKmipServer.OperationOf(request) == KmipOperation.DiscoverVersions
                ? VersionsResponse(KmipVersion.V1_2)
                : FakeKmipServer.Response(KmipVersion.V1_2, FakeKmipServer.Success(KmipOperation.Locate,
                    TtlvItem.TextString(KmipTag.UniqueIdentifier, "1"))));
            using var client = KmipClient.Connect(Options(server.Port));
            for (var i = 0; i < 50; i++)
                Assert.Equal(new[] { "1" }, client.Locate("k"));
            Assert.Equal(51, server.Requests.Count);
            Assert.True(client.IsConnected);
            client.Dispose();
            Assert.False(client.IsConnected);
            Assert.Throws<ObjectDisposedException>(() => client.Locate("k"));
        }

        [Fact]
        public void Oversized_response_is_refused_and_breaks_the_connection()
        {
            var huge = Hex.Parse("42 00 7B | 01 | 04 00 00 00"); // declares 64 MiB
            using var server = Server(request => FakeKmipServer.OperationOf(request) == KmipOperation.DiscoverVersions
                ? VersionsResponse(KmipVersion.V1_2)
                : huge);
            using var client = KmipClient.Connect(Options(server.Port, o => o.MaxMessageSize = 1 << 20));
            var ex = Assert.Throws<KmipMessageTooLargeException>(() => client.Locate("k"));
            Assert.Equal(64L * 1024 * 1024 + 8, ex.DeclaredSize);
            Assert.False(client.IsConnected);
            Assert.Throws<KmipConnectionException>(() => client.Locate("k"));
        }

        [Fact]
        public void Malformed_response_is_a_decode_error()
        {
            using var server = Server(_ => Hex.Parse("42 00 7B | 01 | 00 00 00 10 | 42 00 0D | 02 | 00 00 00 04 | 00 00 00 01 00 00 00 00 | 42 00 0D | 02 | 00 00 00 08 | 00 00 00 00 00 00 00 00"));
            Assert.Throws<KmipDecodeException>(() => KmipClient.Connect(Options(server.Port)));
        }

        [Fact]
        public void Server_closing_the_connection_is_a_connection_error()
        {
            using var server = Server(_ => null);
            Assert.Throws<KmipConnectionException>(() => KmipClient.Connect(Options(server.Port)));
        }

        [Fact]
        public void Silent_server_times_out()
        {
            using var server = Server(request => { System.Threading.Thread.Sleep(5000); return null; });
            var stopwatch = Stopwatch.StartNew();
            Assert.Throws<KmipTimeoutException>(() => KmipClient.Connect(Options(server.Port, o => o.ReadTimeout = TimeSpan.FromMilliseconds(500))));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
        }

        /// <summary>Runs a connect on another thread so that a client without a deadline fails the test instead of hanging it.</summary>
        private static Exception? ConnectWithin(TimeSpan limit, KmipClientOptions options, out TimeSpan took)
        {
            var stopwatch = Stopwatch.StartNew();
            var attempt = System.Threading.Tasks.Task.Run(() => KmipClient.Connect(options).Dispose());
            try { attempt.Wait(limit + TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            took = stopwatch.Elapsed;
            Assert.True(took < limit, $"the connect took {took}, more than {limit}: no overall deadline");
            return attempt.Exception?.InnerException;
        }

        [Fact]
        public void A_server_that_trickles_its_answer_is_stopped_at_the_request_deadline()
        {
            // One byte every 100 ms: no single read ever waits a whole second, but the answer would take over ten.
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_4));
            server.TrickleResponses = TimeSpan.FromMilliseconds(100);
            var e = ConnectWithin(TimeSpan.FromSeconds(6), Options(server.Port, o => o.ReadTimeout = TimeSpan.FromSeconds(1)), out var took);
            var timeout = Assert.IsType<KmipTimeoutException>(e);
            Assert.Contains("within 1 s", timeout.Message);
            Assert.True(took >= TimeSpan.FromSeconds(0.9), $"gave up after {took}, before the deadline");
        }

        [Fact]
        public void A_server_that_trickles_its_tls_handshake_is_stopped_at_the_connect_deadline()
        {
            // The handshake would take minutes at this pace. The deadline is 3 s, not 1 s: on a loaded test machine the
            // TCP connect alone once took over a second, and the test then saw the connect phase's timeout instead.
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_4));
            server.TrickleHandshake = TimeSpan.FromMilliseconds(100);
            var e = ConnectWithin(TimeSpan.FromSeconds(9), Options(server.Port, o =>
            {
                o.ConnectTimeout = TimeSpan.FromSeconds(3);
                o.ReadTimeout = TimeSpan.FromSeconds(20);
            }), out var took);
            var timeout = Assert.IsType<KmipTimeoutException>(e);
            Assert.Contains("3 s", timeout.Message);
            Assert.True(took >= TimeSpan.FromSeconds(2.9), $"gave up after {took}, before the deadline");
        }

        [Fact]
        public void Answers_inside_their_deadline_leave_the_connection_usable_and_one_past_it_closes_it()
        {
            int n = 0;
            using var server = Server(request => System.Threading.Interlocked.Increment(ref n) switch
            {
                3 => SlowVersions(1500),
                _ => SlowVersions(300),
            });
            using var client = KmipClient.Connect(Options(server.Port, o => o.ReadTimeout = TimeSpan.FromSeconds(1)));
            Assert.NotEmpty(client.DiscoverVersions()); // 0.3 s each: the deadline is per request, not per connection
            Assert.True(client.IsConnected);
            Assert.Throws<KmipTimeoutException>(() => client.DiscoverVersions());
            Assert.False(client.IsConnected);
            Assert.Throws<KmipConnectionException>(() => client.DiscoverVersions());
        }

        private static byte[] SlowVersions(int milliseconds)
        {
            System.Threading.Thread.Sleep(milliseconds);
            return VersionsResponse(KmipVersion.V1_4);
        }

        [Fact]
        public void A_server_that_refuses_the_client_certificate_after_a_tls13_handshake_is_an_authentication_failure()
        {
            // With TLS 1.3 the client has finished its handshake before the server checks the client certificate:
            // the refusal arrives as an alert on the first read, not during the handshake.
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_4));
            server.RejectClientCertificates = System.Security.Authentication.SslProtocols.Tls13;
            var e = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(server.Port)));
            Assert.Equal(KmipAuthenticationFailure.HandshakeFailed, e.Failure);
        }

        [Theory]
        [InlineData("wrong", "the password is wrong")]
        [InlineData(null, "protected by a password and none was given")]
        public void A_pfx_that_cannot_be_opened_is_named_with_the_reason_and_nothing_is_sent(string? password, string reason)
        {
            var path = Path.Combine(Path.GetTempPath(), "backpak-pfx-" + Guid.NewGuid().ToString("N") + ".pfx");
            File.WriteAllBytes(path, _pki.Client.Export(X509ContentType.Pkcs12, "right"));
            try
            {
                using var server = Server(_ => VersionsResponse(KmipVersion.V1_4));
                var e = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(server.Port, o =>
                {
                    o.ClientCertificate = null;
                    o.ClientCertificatePath = path;
                    o.ClientCertificatePasswordText = password;
                })));
                Assert.Equal(KmipAuthenticationFailure.ClientCertificateInvalid, e.Failure);
                Assert.Contains(reason, e.Message);
                Assert.DoesNotContain("right", e.Message);
                Assert.Empty(server.Requests);
            }
            finally { File.Delete(path); }
        }

        [Fact]
        public void A_file_that_is_not_a_pfx_is_named_as_such()
        {
            var path = Path.Combine(Path.GetTempPath(), "backpak-pfx-" + Guid.NewGuid().ToString("N") + ".pfx");
            File.WriteAllText(path, "not a certificate");
            try
            {
                var e = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(1, o =>
                {
                    o.ClientCertificate = null;
                    o.ClientCertificatePath = path;
                    o.ClientCertificatePasswordText = "x";
                })));
                Assert.Contains("not a PKCS#12", e.Message);
            }
            finally { File.Delete(path); }
        }

        [Fact]
        public void Handshake_with_a_peer_that_never_answers_times_out()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0); // never accepts: the kernel completes the TCP handshake only
            listener.Start();
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var stopwatch = Stopwatch.StartNew();
                Assert.Throws<KmipTimeoutException>(() => KmipClient.Connect(Options(port, o => o.ReadTimeout = TimeSpan.FromMilliseconds(500))));
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public void Connect_times_out_when_the_listener_backlog_is_full()
        {
            // Linux drops SYNs once a listener's accept queue is full, so further connects hang like a black hole.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(1);
            var fillers = new System.Collections.Generic.List<TcpClient>();
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                for (var i = 0; i < 4; i++)
                {
                    var filler = new TcpClient();
                    fillers.Add(filler);
                    _ = filler.ConnectAsync(IPAddress.Loopback, port).ContinueWith(t => t.Exception);
                }
                System.Threading.Thread.Sleep(200);
                var stopwatch = Stopwatch.StartNew();
                Assert.Throws<KmipTimeoutException>(() => KmipClient.Connect(Options(port, o => o.ConnectTimeout = TimeSpan.FromMilliseconds(500))));
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
            }
            finally
            {
                fillers.ForEach(f => f.Dispose());
                listener.Stop();
            }
        }

        [Fact]
        public void Refused_connection_is_a_connection_error()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var ex = Assert.Throws<KmipConnectionException>(() => KmipClient.Connect(Options(port)));
            Assert.IsNotType<KmipTimeoutException>(ex);
        }

        [Fact]
        public void Server_certificate_from_another_ca_is_refused()
        {
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_2));
            var ex = Assert.Throws<KmipAuthenticationException>(() =>
                KmipClient.Connect(Options(server.Port, o => o.TrustedRootCertificate = _pki.OtherCa.PublicCertificate)));
            Assert.Equal(KmipAuthenticationFailure.ServerCertificateUntrusted, ex.Failure);
            Assert.Empty(server.Requests);
        }

        [Fact]
        public void Root_with_the_right_name_but_another_key_is_refused()
        {
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_2));
            var ex = Assert.Throws<KmipAuthenticationException>(() =>
                KmipClient.Connect(Options(server.Port, o => o.TrustedRootCertificate = _pki.ImpostorCa.PublicCertificate)));
            Assert.Equal(KmipAuthenticationFailure.ServerCertificateUntrusted, ex.Failure);
        }

        [Fact]
        public void Host_name_must_match_the_server_certificate_unless_overridden()
        {
            using var server = Server(_ => VersionsResponse(KmipVersion.V1_2));
            var ex = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(server.Port, o => o.Host = "127.0.0.1")));
            Assert.Equal(KmipAuthenticationFailure.ServerNameMismatch, ex.Failure);

            using var client = KmipClient.Connect(Options(server.Port, o => { o.Host = "127.0.0.1"; o.ExpectedServerName = "localhost"; }));
            Assert.Equal(KmipVersion.V1_2, client.ProtocolVersion);
        }

        [Fact]
        public void Client_certificate_without_private_key_is_refused_before_connecting()
        {
            using var publicOnly = X509CertificateLoader.LoadCertificate(_pki.Client.RawData);
            var ex = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(1, o => o.ClientCertificate = publicOnly)));
            Assert.Equal(KmipAuthenticationFailure.ClientCertificateInvalid, ex.Failure);
        }

        [Fact]
        public void Wrong_pfx_password_is_reported_without_the_password()
        {
            var path = Path.Combine(Path.GetTempPath(), $"backpak-kmip-{Guid.NewGuid():N}.pfx");
            File.WriteAllBytes(path, _pki.Client.Export(X509ContentType.Pkcs12, "right-password"));
            try
            {
                var ex = Assert.Throws<KmipAuthenticationException>(() => KmipClient.Connect(Options(1, o =>
                {
                    o.ClientCertificate = null;
                    o.ClientCertificatePath = path;
                    o.ClientCertificatePasswordText = "wrong-password-123";
                })));
                Assert.Equal(KmipAuthenticationFailure.ClientCertificateInvalid, ex.Failure);
                Assert.DoesNotContain("wrong-password-123", ex.ToString());
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void Options_are_validated()
        {
            Assert.Throws<ArgumentException>(() => KmipClient.Connect(Options(5696, o => o.TrustedRootCertificate = null)));
            Assert.Throws<ArgumentException>(() => KmipClient.Connect(Options(5696, o => o.Host = "")));
            Assert.Throws<ArgumentException>(() => KmipClient.Connect(Options(0)));
            Assert.Throws<ArgumentException>(() => KmipClient.Connect(Options(5696, o => o.ClientCertificatePath = "x.pfx")));
            Assert.Throws<ArgumentException>(() => KmipClient.Connect(Options(5696, o => o.ReadTimeout = TimeSpan.Zero)));
        }

        [Fact]
        public void Framing_refuses_an_oversized_declared_length_before_reading_it()
        {
            var stream = new MemoryStream(Hex.Parse("42 00 7B | 01 | 7F FF FF F8"));
            var ex = Assert.Throws<KmipMessageTooLargeException>(() => TtlvFraming.ReadMessage(stream, KmipTag.ResponseMessage, 4096));
            Assert.Equal(0x7FFFFFF8L + 8, ex.DeclaredSize);
        }

        [Fact]
        public void Framing_reports_truncation_and_wrong_message_type()
        {
            var valid = Golden.Get("response_locate");
            Assert.Equal(valid, TtlvFraming.ReadMessage(new MemoryStream(valid), KmipTag.ResponseMessage, 4096));
            Assert.Throws<KmipConnectionException>(() =>
                TtlvFraming.ReadMessage(new MemoryStream(valid.Take(valid.Length - 3).ToArray()), KmipTag.ResponseMessage, 4096));
            Assert.Throws<KmipConnectionException>(() => TtlvFraming.ReadMessage(new MemoryStream(new byte[0]), KmipTag.ResponseMessage, 4096));
            Assert.Throws<KmipDecodeException>(() =>
                TtlvFraming.ReadMessage(new MemoryStream(Golden.Get("request_destroy")), KmipTag.ResponseMessage, 4096));
        }
    }
}
