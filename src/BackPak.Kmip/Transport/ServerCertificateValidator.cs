using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BackPak.Kmip.Transport
{
    /// <summary>
    /// Accepts a server certificate only if it chains to one given root (and nothing else) and the
    /// platform found its name to match. Records why it refused so the handshake error can say so.
    /// </summary>
    internal sealed class ServerCertificateValidator
    {
        private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

        private readonly X509Certificate2 _trustedRoot;
        private readonly string _expectedName;

        public ServerCertificateValidator(X509Certificate2 trustedRoot, string expectedName)
        {
            _trustedRoot = trustedRoot;
            _expectedName = expectedName;
        }

        public KmipAuthenticationFailure? Failure { get; private set; }
        public string? FailureMessage { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? platformChain, SslPolicyErrors errors)
        {
            if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
                return Fail(KmipAuthenticationFailure.ServerCertificateMissing, "The server presented no certificate.");

            using (var server = new X509Certificate2(certificate))
            {
                // The platform's chain result is ignored (it trusts the system store); the name check is kept.
                if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    return Fail(KmipAuthenticationFailure.ServerNameMismatch,
                        $"The server certificate '{server.Subject}' is not issued to '{_expectedName}'.");

                var problem = CheckChain(server, platformChain);
                return problem == null || Fail(KmipAuthenticationFailure.ServerCertificateUntrusted,
                    $"The server certificate '{server.Subject}' is not trusted: {problem}");
            }
        }

        /// <summary>Null when <paramref name="server"/> chains to the trusted root; else the reason.</summary>
        internal string? CheckChain(X509Certificate2 server, X509Chain? platformChain)
        {
            using (var chain = new X509Chain())
            {
                var policy = chain.ChainPolicy;
                // netstandard2.0 has no custom trust store: the root goes into ExtraStore, "unknown CA" is
                // tolerated, and the root actually reached is compared with the given one below.
                policy.ExtraStore.Add(_trustedRoot);
                if (platformChain != null)
                {
                    foreach (var element in platformChain.ChainElements.Cast<X509ChainElement>().Skip(1))
                        policy.ExtraStore.Add(element.Certificate);
                }
                policy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                // Trust is pinned to one private root; such CAs rarely publish revocation lists.
                policy.RevocationMode = X509RevocationMode.NoCheck;
                policy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
                chain.Build(server);

                var elements = chain.ChainElements;
                var root = elements[elements.Count - 1].Certificate;
                if (!root.RawData.SequenceEqual(_trustedRoot.RawData))
                    return $"it does not chain to the trusted root '{_trustedRoot.Subject}' (thumbprint {_trustedRoot.Thumbprint}).";

                var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
                // UntrustedRoot only says the given root is not in the system store, which is expected.
                flags &= ~X509ChainStatusFlags.UntrustedRoot;
                if (flags != X509ChainStatusFlags.NoError)
                    return $"chain validation failed ({flags}).";
                return null;
            }
        }

        private bool Fail(KmipAuthenticationFailure failure, string message)
        {
            Failure = failure;
            FailureMessage = message;
            return false;
        }
    }
}
