using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace BackPak.Kmip.Tests
{
    [Collection(PyKmipCollection.Name)]
    public class PyKmipIntegrationTests
    {
        private readonly PyKmipServerFixture _server;

        public PyKmipIntegrationTests(PyKmipServerFixture server) => _server = server;

        private static string UniqueName() => "backpak-test-" + Guid.NewGuid().ToString("N");

        [Fact]
        public void Negotiates_a_1x_version()
        {
            using var client = _server.Connect();
            Assert.Equal(1, client.ProtocolVersion.Major);
            Assert.Equal(KmipVersion.V1_4, client.ProtocolVersion); // PyKMIP 0.10 speaks up to 1.4 (and 2.0, which is not offered)
            var versions = client.DiscoverVersions();
            Assert.Contains(KmipVersion.V1_2, versions);
            Assert.All(versions, v => Assert.Equal(1, v.Major));
        }

        [Fact]
        public void Query_lists_the_supported_operations()
        {
            using var client = _server.Connect();
            var query = client.Query();
            Assert.Contains(KmipOperation.Locate, query.Operations);
            Assert.Contains(KmipOperation.Destroy, query.Operations);
            Assert.Contains("PyKMIP", query.VendorIdentification);
        }

        [Fact]
        public void Key_lifecycle_create_locate_revoke_destroy()
        {
            var name = UniqueName();
            string uid;
            using (var client = _server.Connect())
            {
                uid = client.CreateSymmetricKey(name);
                Assert.Equal(KmipState.PreActive, client.GetAttributes(uid).State);
                client.Activate(uid);

                Assert.Equal(new[] { uid }, client.Locate(name));
                var info = client.GetAttributes(uid);
                Assert.Equal(uid, info.UniqueIdentifier);
                Assert.Equal(KmipState.Active, info.State);
                Assert.Equal(new[] { name }, info.Names);
                Assert.Equal(KmipObjectType.SymmetricKey, info.ObjectType);
                Assert.Equal(KmipCryptographicAlgorithm.Aes, info.CryptographicAlgorithm);
                Assert.Equal(256, info.CryptographicLength);
                Assert.NotNull(info.InitialDate);

                client.Revoke(uid, KmipRevocationReasonCode.CessationOfOperation, "rotated by test");
                Assert.Equal(KmipState.Deactivated, client.GetAttributes(uid).State);
                client.Destroy(uid);
            }

            // A separate connection proves the server state, not a client-side cache.
            using (var verifier = _server.Connect())
            {
                Assert.Empty(verifier.Locate(name));
                try
                {
                    Assert.Equal(KmipState.Destroyed, verifier.GetAttributes(uid).State);
                }
                catch (KmipOperationException ex)
                {
                    Assert.Equal(KmipResultReason.ItemNotFound, ex.ResultReason);
                }
            }
        }

        [Fact]
        public void Revoke_and_destroy_in_one_batched_message()
        {
            var name = UniqueName();
            using var client = _server.Connect();
            var uid = client.CreateSymmetricKey(name);
            client.Activate(uid);

            client.RevokeAndDestroy(uid, KmipRevocationReasonCode.Superseded);

            Assert.Empty(client.Locate(name));
        }

        [Fact]
        public void Destroying_an_active_key_without_revoking_fails()
        {
            var name = UniqueName();
            using var client = _server.Connect();
            var uid = client.CreateSymmetricKey(name);
            client.Activate(uid);

            var ex = Assert.Throws<KmipOperationException>(() => client.Destroy(uid));
            Assert.Equal(KmipOperation.Destroy, ex.Operation);
            Assert.Equal(KmipResultReason.PermissionDenied, ex.ResultReason);
            Assert.False(string.IsNullOrEmpty(ex.ResultMessage));

            // The connection stays usable after an operation failure; the key is still there.
            Assert.Equal(KmipState.Active, client.GetAttributes(uid).State);
            client.RevokeAndDestroy(uid, KmipRevocationReasonCode.CessationOfOperation);
        }

        [Fact]
        public void Batch_stops_at_the_first_failed_item()
        {
            var name = UniqueName();
            using var client = _server.Connect();
            var uid = client.CreateSymmetricKey(name);
            client.Activate(uid);

            // Destroy fails (active), so the server must not run the Revoke after it.
            var ex = Assert.Throws<KmipOperationException>(() => client.Execute(
                KmipRequests.Destroy(uid), KmipRequests.Revoke(uid, KmipRevocationReasonCode.CessationOfOperation)));
            Assert.Equal(KmipOperation.Destroy, ex.Operation);
            Assert.Equal(KmipState.Active, client.GetAttributes(uid).State);
            client.RevokeAndDestroy(uid, KmipRevocationReasonCode.CessationOfOperation);
        }

        [Fact]
        public void Unknown_key_is_item_not_found()
        {
            using var client = _server.Connect();
            var ex = Assert.Throws<KmipOperationException>(() => client.GetAttributes("999999999"));
            Assert.Equal(KmipResultReason.ItemNotFound, ex.ResultReason);
        }

        [Fact]
        public void One_connection_serves_many_requests()
        {
            using var client = _server.Connect();
            var name = UniqueName();
            for (var i = 0; i < 25; i++)
                Assert.Empty(client.Locate(name));
        }

        [Fact]
        public void Client_certificate_from_pfx_file_with_secure_string_password()
        {
            var path = Path.Combine(_server.Directory, "client.pfx");
            File.WriteAllBytes(path, _server.ClientCertificate.Export(X509ContentType.Pkcs12, "pfx-secret"));
            using var password = new SecureString();
            foreach (var c in "pfx-secret")
                password.AppendChar(c);

            using var client = _server.Connect(o =>
            {
                o.ClientCertificate = null;
                o.ClientCertificatePath = path;
                o.ClientCertificatePassword = password;
            });
            Assert.Equal(1, client.ProtocolVersion.Major);
        }

        [Fact]
        public void Server_certificate_issued_by_another_ca_is_refused()
        {
            var ex = Assert.Throws<KmipAuthenticationException>(() =>
                _server.Connect(o => o.TrustedRootCertificate = _server.OtherCa.PublicCertificate));
            Assert.Equal(KmipAuthenticationFailure.ServerCertificateUntrusted, ex.Failure);
        }

        [Fact]
        public void Server_name_is_checked_against_the_certificate()
        {
            var ex = Assert.Throws<KmipAuthenticationException>(() => _server.Connect(o => o.ExpectedServerName = "kmip.example.invalid"));
            Assert.Equal(KmipAuthenticationFailure.ServerNameMismatch, ex.Failure);

            using var client = _server.Connect(o => o.Host = "localhost");
            Assert.Equal(1, client.ProtocolVersion.Major);
        }

        [Fact]
        public void Connecting_without_a_client_certificate_fails_authentication()
        {
            var ex = Assert.Throws<KmipAuthenticationException>(() => _server.Connect(o => o.ClientCertificate = null));
            Assert.Equal(KmipAuthenticationFailure.HandshakeFailed, ex.Failure);
        }

        [Fact]
        public void Client_certificate_from_an_unknown_ca_fails_authentication()
        {
            var ex = Assert.Throws<KmipAuthenticationException>(() =>
                _server.Connect(o => o.ClientCertificate = _server.ClientCertificateFromOtherCa));
            Assert.Equal(KmipAuthenticationFailure.HandshakeFailed, ex.Failure);
        }

        [Fact]
        public void Client_certificate_without_client_auth_usage_is_rejected()
        {
            var ex = Assert.Throws<KmipAuthenticationException>(() =>
                _server.Connect(o => o.ClientCertificate = _server.ClientCertificateWithoutClientAuth));
            Assert.True(ex.Failure == KmipAuthenticationFailure.HandshakeFailed, ex.Failure + ": " + ex.Message);
        }
    }
}
