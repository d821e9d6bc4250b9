using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>
    /// How to reach and authenticate to a KMIP server. Server certificate validation is always on:
    /// the server must present a certificate that chains to <see cref="TrustedRootCertificate"/> and
    /// is issued to <see cref="ExpectedServerName"/> (or <see cref="Host"/>).
    /// </summary>
    public sealed class KmipClientOptions
    {
        public const int DefaultPort = 5696;

        public string Host { get; set; } = "";
        public int Port { get; set; } = DefaultPort;

        /// <summary>Client certificate with private key. Mutually exclusive with <see cref="ClientCertificatePath"/>.</summary>
        public X509Certificate2? ClientCertificate { get; set; }

        /// <summary>PKCS#12 (.pfx/.p12) file holding the client certificate and its private key.</summary>
        public string? ClientCertificatePath { get; set; }

        /// <summary>Password of <see cref="ClientCertificatePath"/>.</summary>
        public SecureString? ClientCertificatePassword { get; set; }

        /// <summary>Password of <see cref="ClientCertificatePath"/> as plain text (prefer <see cref="ClientCertificatePassword"/>).</summary>
        public string? ClientCertificatePasswordText { get; set; }

        /// <summary>The only root the server certificate may chain to. Required.</summary>
        public X509Certificate2? TrustedRootCertificate { get; set; }

        /// <summary>Name the server certificate must be issued to, when it differs from <see cref="Host"/> (e.g. connecting by IP).</summary>
        public string? ExpectedServerName { get; set; }

        /// <summary>The longest the TCP connect and the TLS handshake may take together (an overall deadline, not per read).</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>
        /// The longest one request may take, from sending it to the last byte of its answer (an overall deadline: a
        /// server answering a byte at a time is stopped too). When it passes the connection is closed. Also bounds
        /// each single read of the handshake.
        /// </summary>
        public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>The longest a single write may block.</summary>
        public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Largest response accepted, in bytes; larger ones are refused before they are read.</summary>
        public int MaxMessageSize { get; set; } = TtlvDecoderOptions.DefaultMaxMessageSize;

        /// <summary>Use this version and skip negotiation. Null (default): negotiate with Discover Versions.</summary>
        public KmipVersion? ProtocolVersion { get; set; }

        /// <summary>Version used when the server rejects Discover Versions (KMIP 1.0 servers do not have it).</summary>
        public KmipVersion FallbackProtocolVersion { get; set; } = KmipVersion.V1_0;

        internal void Validate()
        {
            if (string.IsNullOrWhiteSpace(Host))
                throw new ArgumentException("Host is required.", nameof(Host));
            if (Port <= 0 || Port > 65535)
                throw new ArgumentException("Port must be between 1 and 65535.", nameof(Port));
            if (TrustedRootCertificate == null)
                throw new ArgumentException("TrustedRootCertificate is required: the server certificate is always validated.", nameof(TrustedRootCertificate));
            if (ClientCertificate != null && ClientCertificatePath != null)
                throw new ArgumentException("Give either ClientCertificate or ClientCertificatePath, not both.", nameof(ClientCertificatePath));
            if (ClientCertificatePassword != null && ClientCertificatePasswordText != null)
                throw new ArgumentException("Give either ClientCertificatePassword or ClientCertificatePasswordText, not both.", nameof(ClientCertificatePasswordText));
            if (MaxMessageSize < 64)
                throw new ArgumentException("MaxMessageSize is too small.", nameof(MaxMessageSize));
            CheckTimeout(ConnectTimeout, nameof(ConnectTimeout));
            CheckTimeout(ReadTimeout, nameof(ReadTimeout));
            CheckTimeout(WriteTimeout, nameof(WriteTimeout));
            if (FallbackProtocolVersion == null)
                throw new ArgumentException("FallbackProtocolVersion is required.", nameof(FallbackProtocolVersion));
        }

        private static void CheckTimeout(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
                throw new ArgumentException($"{name} must be positive.", name);
        }
    }
}
