using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Kmip;
using BackPak.Kmip.Tests;
using Xunit;

namespace BackPak.KeyManagers.Tests
{
    /// <summary>KmipKeyManager and KeyRemoval against a real PyKMIP server on 127.0.0.1 with mutual TLS.</summary>
    [Collection(PyKmipCollection.Name)]
    public class PyKmipKeyManagerTests
    {
        private readonly PyKmipServerFixture _server;

        public PyKmipKeyManagerTests(PyKmipServerFixture server) => _server = server;

        private static string UniqueName() => "BPK-TEST-" + Guid.NewGuid().ToString("N").Substring(0, 12).ToUpperInvariant();

        private KmipKeyManager Connect(Action<KmipClientOptions>? change = null) => KmipKeyManager.Connect(_server.Options(change));

        /// <summary>Creates an AES key on the server through a separate client, Active unless told otherwise.</summary>
        private string CreateKey(string name, bool activate = true)
        {
            using var client = _server.Connect();
            var id = client.CreateSymmetricKey(name);
            if (activate) client.Activate(id);
            return id;
        }

        /// <summary>What a separate KMIP connection sees of a key: its state, or null when the server no longer has it.</summary>
        private KmipState? ServerState(string name, string id)
        {
            using var verifier = _server.Connect();
            if (!verifier.Locate(name).Contains(id)) return null;
            try { return verifier.GetAttributes(id).State; }
            catch (KmipOperationException e) when (e.ResultReason == KmipResultReason.ItemNotFound) { return null; }
        }

        [Fact]
        public void Connects_with_a_negotiated_version_and_reads_a_key()
        {
            var name = UniqueName();
            var id = CreateKey(name);
            using var keys = Connect();
            Assert.Equal("KMIP", keys.Provider);
            Assert.Equal("127.0.0.1:" + _server.Port, keys.Endpoint);
            Assert.Equal("1.4", keys.ProtocolVersion);

            Assert.Equal(new[] { id }, keys.Locate(name));
            Assert.Contains(id, keys.Locate(null));
            var k = keys.Get(id)!;
            Assert.Equal(name, k.Name);
            Assert.Equal(id, k.UniqueId);
            Assert.Equal(KeyState.Active, k.State);
            Assert.Equal("AES", k.Algorithm);
            Assert.Equal(256, k.Length);
            Assert.NotNull(k.Created);
            Assert.Null(keys.Get("999999999"));
        }

        [Fact]
        public void Keys_created_on_the_server_are_revoked_and_destroyed_and_a_separate_connection_proves_it()
        {
            using var lab = new TestLab();
            var names = Enumerable.Range(0, 3).Select(_ => UniqueName()).ToArray();
            var ids = names.Select(n => CreateKey(n)).ToArray();
            var preActive = UniqueName();
            var preActiveId = CreateKey(preActive, activate: false);

            using (var keys = Connect())
            {
                var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains, lab.A);
                foreach (var name in names.Concat(new[] { preActive }))
                {
                    var plan = Assert.Single(removal.Plan(name));
                    var result = removal.Remove(plan, out var failure);
                    Assert.Null(failure);
                    Assert.True(result.Destroyed);
                    Assert.Equal(name != preActive, result.Revoked);
                }
            }

            for (int i = 0; i < names.Length; i++) Assert.Null(ServerState(names[i], ids[i]));
            Assert.Null(ServerState(preActive, preActiveId));
            Assert.Equal(4, lab.AuditResults(@"\A").Count(r => r.Contains("|Destroyed|")));
        }

        [Fact]
        public void Several_names_and_ids_are_read_in_one_message_each()
        {
            var names = Enumerable.Range(0, 3).Select(_ => UniqueName()).ToArray();
            var ids = names.Select(n => CreateKey(n)).ToArray();
            using var keys = Connect();
            var located = keys.LocateMany(new[] { names[0], "BPK-ABSENT-" + Guid.NewGuid().ToString("N"), names[1], names[2] });
            Assert.Equal(new[] { ids[0] }, located[0]);
            Assert.Empty(located[1]);
            Assert.Equal(new[] { ids[1] }, located[2]);
            Assert.Equal(new[] { ids[2] }, located[3]);

            var read = keys.GetMany(new[] { ids[2], "999999999", ids[0] });
            Assert.Equal(names[2], read[0]!.Name);
            Assert.Null(read[1]);
            Assert.Equal(KeyState.Active, read[2]!.State);
            foreach (var id in ids) keys.RevokeAndDestroy(id, KeyRevocationReason.CessationOfOperation);
            Assert.All(keys.LocateMany(names), Assert.Empty);
        }

        [Fact]
        public void A_key_a_catalogued_volume_uses_survives_on_the_server()
        {
            using var lab = new TestLab();
            var v = lab.Volume(lab.A, "DS02");
            var id = CreateKey(v.MediaKeyName!);
            using (var keys = Connect())
            {
                var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
                var plan = removal.Plan(v.MediaKeyName!).Single(p => p.Key?.UniqueId == id);
                removal.Remove(plan, out var failure);
                Assert.Equal(ErrorIds.KeyStillReferenced, failure?.ErrorId);
            }
            Assert.Equal(KmipState.Active, ServerState(v.MediaKeyName!, id));

            // Once the volume is gone from the catalogs, the same key can be removed.
            lab.DeleteVolume(@"\A", v.Label);
            using (var keys = Connect())
            {
                var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
                var result = removal.Remove(removal.Plan(v.MediaKeyName!).Single(p => p.Key?.UniqueId == id), out var failure);
                Assert.Null(failure);
                Assert.True(result.Destroyed);
            }
            Assert.Null(ServerState(v.MediaKeyName!, id));
        }

        [Fact]
        public void A_name_the_server_does_not_have_is_already_absent()
        {
            using var lab = new TestLab();
            using var keys = Connect();
            var removal = new KeyRemoval(keys, TestLab.KeyManagerId, lab.Domains);
            var plan = Assert.Single(removal.Plan(UniqueName()));
            var result = removal.Remove(plan, out var failure);
            Assert.Null(failure);
            Assert.True(result.AlreadyAbsent);
        }

        [Fact]
        public void Destroying_an_active_key_directly_is_refused_by_the_server_as_a_per_key_failure()
        {
            var name = UniqueName();
            var id = CreateKey(name);
            using var keys = Connect();
            var e = Assert.Throws<BackPakException>(() => keys.Destroy(id));
            Assert.Equal(ErrorIds.KeyOperationFailed, e.ErrorId);
            Assert.False(e.StopsInvocation);
            Assert.Equal(KmipState.Active, ServerState(name, id));
            keys.Revoke(id, KeyRevocationReason.CessationOfOperation);
            keys.Destroy(id);
        }

        [Fact]
        public void A_server_certificate_from_another_ca_is_refused_as_untrusted()
        {
            var e = Assert.Throws<BackPakException>(() => Connect(o => o.TrustedRootCertificate = _server.OtherCa.PublicCertificate));
            Assert.Equal(ErrorIds.KeyManagerUntrusted, e.ErrorId);
            Assert.Equal(BackPakErrorCategory.SecurityError, e.Category);
            Assert.True(e.StopsInvocation);
        }

        [Fact]
        public void A_server_name_the_certificate_does_not_carry_is_refused_as_untrusted()
        {
            var e = Assert.Throws<BackPakException>(() => Connect(o => o.ExpectedServerName = "eskm.example.invalid"));
            Assert.Equal(ErrorIds.KeyManagerUntrusted, e.ErrorId);
        }

        [Fact]
        public void A_connection_without_a_client_certificate_fails_authentication()
        {
            var e = Assert.Throws<BackPakException>(() => Connect(o => o.ClientCertificate = null));
            Assert.Equal(ErrorIds.KeyManagerAuthenticationFailed, e.ErrorId);
            Assert.True(e.StopsInvocation);
        }

        [Fact]
        public void A_client_certificate_from_an_unknown_ca_fails_authentication()
        {
            var e = Assert.Throws<BackPakException>(() => Connect(o => o.ClientCertificate = _server.ClientCertificateFromOtherCa));
            Assert.Equal(ErrorIds.KeyManagerAuthenticationFailed, e.ErrorId);
        }

        [Fact]
        public void A_pfx_with_a_wrong_password_says_so_before_connecting_and_the_message_holds_no_password()
        {
            var path = Path.Combine(_server.Directory, "keytest-client.pfx");
            File.WriteAllBytes(path, _server.ClientCertificate.Export(X509ContentType.Pkcs12, "right-secret"));
            using var wrong = new SecureString();
            foreach (var c in "wrong-secret") wrong.AppendChar(c);
            var e = Assert.Throws<BackPakException>(() => Connect(o =>
            {
                o.ClientCertificate = null;
                o.ClientCertificatePath = path;
                o.ClientCertificatePassword = wrong;
            }));
            Assert.Equal(ErrorIds.ClientCertificateInvalid, e.ErrorId);
            Assert.Equal(BackPakErrorCategory.InvalidArgument, e.Category);
            Assert.Contains("the password is wrong", e.Message);
            Assert.DoesNotContain("did not accept", e.Message);
            Assert.DoesNotContain("secret", e.Message);

            using var right = new SecureString();
            foreach (var c in "right-secret") right.AppendChar(c);
            using var keys = Connect(o =>
            {
                o.ClientCertificate = null;
                o.ClientCertificatePath = path;
                o.ClientCertificatePassword = right;
            });
            Assert.Equal("1.4", keys.ProtocolVersion);
        }

        [Fact]
        public void A_port_where_nothing_listens_is_unreachable()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var e = Assert.Throws<BackPakException>(() => Connect(o => o.Port = port));
            Assert.Equal(ErrorIds.KeyManagerUnreachable, e.ErrorId);
            Assert.True(e.StopsInvocation);
            // The endpoint is named once: the library's own "Could not connect to ..." is not said a second time.
            Assert.StartsWith($"Could not connect to 127.0.0.1:{port}: ", e.Message);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(e.Message, System.Text.RegularExpressions.Regex.Escape($"127.0.0.1:{port}")));
        }

        [Theory]
        [InlineData("eskm01.example.com:5696", "eskm01.example.com", 5696)]
        [InlineData("eskm01.example.com", "eskm01.example.com", 5696)]
        [InlineData("127.0.0.1:15696", "127.0.0.1", 15696)]
        [InlineData("[::1]:5697", "::1", 5697)]
        [InlineData("[::1]", "::1", 5696)]
        public void Endpoints_parse(string text, string host, int port)
        {
            Assert.Equal((host, port), KmipKeyManager.ParseEndpoint(text));
        }

        [Theory]
        [InlineData("host:0")]
        [InlineData("host:65536")]
        [InlineData("host:abc")]
        [InlineData(":5696")]
        [InlineData("[::1")]
        [InlineData("a b:5696")]
        public void Bad_endpoints_are_refused(string text)
        {
            var e = Assert.Throws<BackPakException>(() => KmipKeyManager.ParseEndpoint(text));
            Assert.Equal(ErrorIds.KeyManagerEndpointInvalid, e.ErrorId);
        }
    }
}
