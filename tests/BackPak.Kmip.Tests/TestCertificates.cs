using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BackPak.Kmip.Tests
{
    /// <summary>Throwaway RSA-2048 PKI for tests: a CA and the server/client certificates it issues.</summary>
    internal sealed class TestCertificateAuthority : IDisposable
    {
        private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

        private readonly RSA _key;

        public TestCertificateAuthority(string name)
        {
            _key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        }

        /// <summary>The CA certificate (with private key).</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>The CA certificate without its key, as a client would be given it.</summary>
        public X509Certificate2 PublicCertificate => X509CertificateLoader.LoadCertificate(Certificate.RawData);

        public X509Certificate2 IssueServer(string commonName, params string[] dnsNamesAndIps) =>
            Issue(commonName, ServerAuth, dnsNamesAndIps);

        public X509Certificate2 IssueClient(string commonName, string extendedKeyUsage = ClientAuth) =>
            Issue(commonName, extendedKeyUsage, Array.Empty<string>());

        public static string ServerAuthOid => ServerAuth;

        private X509Certificate2 Issue(string commonName, string extendedKeyUsage, string[] subjectAlternativeNames)
        {
            // Not disposed: the returned certificate keeps using this key.
            var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(extendedKeyUsage) }, false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
            if (subjectAlternativeNames.Length > 0)
            {
                var san = new SubjectAlternativeNameBuilder();
                foreach (var name in subjectAlternativeNames)
                {
                    if (IPAddress.TryParse(name, out var ip))
                        san.AddIpAddress(ip);
                    else
                        san.AddDnsName(name);
                }
                request.CertificateExtensions.Add(san.Build());
            }

            var serial = new byte[16];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
            using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
            return issued.CopyWithPrivateKey(key);
        }

        public static string KeyPem(X509Certificate2 certificate)
        {
            using var rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("No RSA private key.");
            return rsa.ExportPkcs8PrivateKeyPem();
        }

        public void Dispose()
        {
            Certificate.Dispose();
            _key.Dispose();
        }
    }
}
