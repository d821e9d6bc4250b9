using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Providers;
using BackPak.KeyManagers;
using BackPak.Kmip;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Connects to a key manager (a KMIP server such as HP ESKM, or the lab's key store) and makes it the default.
    /// The server certificate is always validated against the given root; there is no switch to turn that off.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "BPKeyManager", DefaultParameterSetName = CertificateSet)]
    [OutputType(typeof(KeyManagerConnection))]
    public sealed class ConnectBPKeyManagerCommand : BPCmdlet
    {
        private const string CertificateSet = "Certificate";
        private const string PfxSet = "CertificatePath";
        private const string LabSet = "Lab";

        /// <summary>The KMIP server as host:port (port 5696 when left out).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PfxSet)]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = "";

        /// <summary>The client certificate, with its private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        public X509Certificate2? Certificate { get; set; }

        /// <summary>A PKCS#12 (.pfx) file holding the client certificate and its private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PfxSet)]
        [ValidateNotNullOrEmpty]
        public string CertificatePath { get; set; } = "";

        /// <summary>The password of the .pfx file.</summary>
        [Parameter(ParameterSetName = PfxSet)]
        public SecureString? CertificatePassword { get; set; }

        /// <summary>The root CA certificate the key server's certificate must chain to.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = PfxSet)]
        [ValidateNotNull]
        [TrustedRootTransformation]
        public X509Certificate2? TrustedRootCertificate { get; set; }

        /// <summary>The name the server certificate must carry when it differs from the endpoint's host.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <summary>Seconds the connection (TCP and TLS handshake) may take in all, and each request to the key server in full.</summary>
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [ValidateRange(1, 600)]
        public int TimeoutSeconds { get; set; } = 15;

        /// <summary>Folder of a lab made by New-BPLab.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LabSet)]
        [ValidateNotNullOrEmpty]
        public string Lab { get; set; } = "";

        /// <summary>The node whose site's key store to use.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LabSet)]
        [ArgumentCompleter(typeof(ProviderNodeCompleter))]
        [ValidateNotNullOrEmpty]
        public string Node { get; set; } = "";

        /// <summary>The Key Manager id BackPak knows this key server by.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BackPakId { get; set; }

        protected override void ProcessBackPakRecord()
        {
            KeyManagerConnection connection;
            if (ParameterSetName == LabSet)
            {
                var path = FileSystemPath(Lab, nameof(Lab), ErrorIds.LabPathInvalid);
                // The lab's key store, reached through the lab provider (found by name, as Connect-BPDomain -Lab finds it).
                var lab = ProviderRegistry.Find("Lab", this) as IProviderKeyManager
                    ?? throw ProviderRegistry.Invalid("Lab", "it holds no key store", "Connect to the key server with -Endpoint instead.");
                var store = lab.OpenKeyManager(new ProviderConnectRequest
                {
                    Node = Node,
                    Parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Path"] = path },
                }, out var labId);
                connection = new KeyManagerConnection(store, BackPakId ?? labId, DateTime.UtcNow);
            }
            else
            {
                var (host, port) = KmipKeyManager.ParseEndpoint(Endpoint);
                var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
                var options = new KmipClientOptions
                {
                    Host = host,
                    Port = port,
                    TrustedRootCertificate = TrustedRootCertificate,
                    ExpectedServerName = ServerName,
                    ConnectTimeout = timeout,
                    ReadTimeout = timeout,
                    WriteTimeout = timeout,
                };
                if (ParameterSetName == PfxSet)
                {
                    options.ClientCertificatePath = FileSystemPath(CertificatePath, nameof(CertificatePath), ErrorIds.ClientCertificateInvalid);
                    options.ClientCertificatePassword = CertificatePassword;
                }
                else
                {
                    options.ClientCertificate = Certificate;
                }
                WriteVerbose($"Connecting to the KMIP server {host}:{port} (mutual TLS, server validated against '{TrustedRootCertificate!.Subject}').");
                connection = new KeyManagerConnection(KmipKeyManager.Connect(options), BackPakId, DateTime.UtcNow);
            }
            KeyManagerSessions.Add(connection);
            WriteVerbose($"Connected to the key manager {connection.Endpoint} ({connection.Provider}" +
                (connection.ProtocolVersion != null ? " " + connection.ProtocolVersion : "") + "); it is now the default.");
            WriteObject(connection);
        }
    }
}
