@{
    Synopsis    = 'Connects to a key manager (a KMIP server such as HP ESKM, or the lab key store) and makes it the default for the session.'
    Description = @'
Connect-BPKeyManager opens a connection to the key manager that holds the encryption keys of BackBox volumes and returns it. The newest connection is the default: Get-BPEncryptionKey and Remove-BPEncryptionKey use it unless -KeyManager names another.

A real key server is reached over KMIP 1.x with mutual TLS: the module presents a client certificate (-Certificate, or a .pfx file with -CertificatePath and -CertificatePassword) and accepts the server only if its certificate chains to the root given with -TrustedRootCertificate and carries the endpoint's host name (or -ServerName). This validation is always on; no parameter turns it off. The protocol version is negotiated (KMIP 1.4 down to 1.0).

With -Lab and -Node, the connection is to the key store of the site the node sits in, in a lab made by New-BPLab; it follows the same rules as a KMIP server (an Active key must be revoked before it is destroyed).

-BackPakId ties the connection to the domains it serves: the domains whose Key Manager definition has that id (both sides of a replicated data store define the same id, CS p6). Reading keys works without it, but Remove-BPEncryptionKey destroys nothing through a connection without an id (KeyManagerIdUnknown), nor while a side of a replicated store of those domains is not connected (KeyDomainsNotConnected). The lab's key store takes the id its node defines (KM01) when -BackPakId is not given.

-TimeoutSeconds bounds the connection as a whole (TCP connect and TLS handshake) and then each request as a whole, from sending it to the last byte of the answer: a key server that stalls or answers a byte at a time is stopped at the deadline.

The examples run in a folder that holds a lab made with New-BPLab -Path ./lab -Encrypted and the repository's tests/kmip scripts, which start a throwaway PyKMIP server on 127.0.0.1 with its own CA and client certificate; connect to HP ESKM the same way with its endpoint, your client certificate and its root CA.

A server that is not trusted raises KeyManagerUntrusted; a client certificate the server refuses (or none, or one from another CA) raises KeyManagerAuthenticationFailed; a .pfx file that cannot be opened (wrong password, not a PKCS#12 file) raises ClientCertificateInvalid before anything is sent; a server that does not answer in time raises KeyManagerUnreachable. All are terminating and leave the existing connections as they were.
'@
    Parameters  = @{
        Endpoint               = 'The KMIP server as host:port, such as eskm01.example.com:5696. The port is 5696 when left out; an IPv6 address is written [::1]:5696.'
        Certificate            = 'The client certificate, with its private key, as an X509Certificate2 (for example from Get-PfxCertificate or the certificate store).'
        CertificatePath        = 'A PKCS#12 (.pfx or .p12) file holding the client certificate and its private key.'
        CertificatePassword    = 'The password of the .pfx file, as a SecureString (Read-Host -AsSecureString). It is never written to output, logs or the audit trail.'
        TrustedRootCertificate = 'The root CA certificate the key server''s certificate must chain to. Only this root is trusted for this connection, not the system store. A path to its file (.crt, .pem or .cer; PEM or DER) may be given instead, resolved against the current location.'
        ServerName             = 'The name the server certificate must carry when it differs from the endpoint''s host (for example when connecting by IP address). It changes the name checked; it never disables the check.'
        TimeoutSeconds         = 'Seconds the connection may take in all (TCP connect and TLS handshake), and then each request in full, from sending it to the last byte of the answer (default 15). These are overall deadlines: a key server that answers a byte at a time is stopped too, with KeyManagerUnreachable, and the connection is closed.'
        Lab                    = 'Folder of a lab made by New-BPLab: connect to its key store instead of a KMIP server.'
        Node                   = 'The lab node whose site''s key store to use, such as \A. Tab completion offers the nodes of the lab.'
        BackPakId              = 'The Key Manager id BackPak knows this key server by (both sides of a replicated data store use the same id, CS p6). For the lab, the node''s configured id (KM01) when not given.'
    }
    Outputs     = 'BackPak.Core.Keys.KeyManagerConnection: endpoint, BackPak id, provider, protocol version, when it was made, and whether it is the default.'
    Examples    = @(
        @{
            Title   = 'Connect to a KMIP server with a client certificate file and the Key Manager id of its domains'
            Code    = @'
Connect-BPKeyManager -Endpoint $eskm.Endpoint -CertificatePath $eskm.ClientCertificate -CertificatePassword $eskmPassword -TrustedRootCertificate $eskmRoot -BackPakId KM01
'@
            Remarks = 'The server must present a certificate issued by that root for the endpoint''s host; the connection negotiates the newest KMIP version both sides speak. For HP ESKM, ./eskm.psd1 holds for example Endpoint = ''eskm01.example.com:5696'', ClientCertificate = ''./backpak-client.pfx'' and TrustedRoot = ''./eskm-root-ca.crt''.'
        }
        @{
            Title   = 'Connect with a certificate object, by IP address with the name the server certificate carries'
            Code    = @'
$client = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($eskm.ClientCertificate, $eskmPassword)
Connect-BPKeyManager -Endpoint $eskm.Endpoint -Certificate $client -TrustedRootCertificate $eskmRoot -ServerName localhost -BackPakId KM01 -TimeoutSeconds 10
'@
            Remarks = '-ServerName says which name the server certificate must carry (the test server''s carries 127.0.0.1 and localhost); it never turns the check off. A certificate from the store (Get-Item Cert:\CurrentUser\My\<thumbprint>, on Windows) is given the same way.'
        }
        @{
            Title   = 'Connect to the key store of a lab'
            Code    = "Connect-BPKeyManager -Lab ./lab -Node '\A'"
            Remarks = 'The key store of SITEA, where \A sits, with the Key Manager id \A defines (KM01), which \B defines too. Rehearse key deletion here before doing it on the real key server.'
        }
    )
    Links       = @('Get-BPKeyManager', 'Disconnect-BPKeyManager', 'Get-BPEncryptionKey', 'Remove-BPEncryptionKey')
    Setup       = @('Lab', 'Eskm')
}
