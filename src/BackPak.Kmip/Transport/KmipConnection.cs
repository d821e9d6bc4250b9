using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BackPak.Kmip.Transport
{
    /// <summary>One mutually authenticated TLS connection carrying request/response exchanges.</summary>
    internal sealed class KmipConnection : IDisposable
    {
        // SslProtocols.Tls13 is missing from netstandard2.0 but understood by the runtimes that support it.
        private const SslProtocols Tls13 = (SslProtocols)0x3000;

        private readonly TcpClient _tcp;
        private readonly SslStream _ssl;
        private readonly X509Certificate2? _ownedClientCertificate;
        private readonly int _maxMessageSize;
        private readonly string _endpoint;
        private readonly TimeSpan _requestTimeout;

        private KmipConnection(TcpClient tcp, SslStream ssl, X509Certificate2? ownedClientCertificate, int maxMessageSize, string endpoint, TimeSpan requestTimeout)
        {
            _tcp = tcp;
            _ssl = ssl;
            _ownedClientCertificate = ownedClientCertificate;
            _maxMessageSize = maxMessageSize;
            _endpoint = endpoint;
            _requestTimeout = requestTimeout;
        }

        public bool IsBroken { get; private set; }

        /// <summary>Whether an answer has been read: before the first one, a TLS 1.3 session that closes is a refused client certificate.</summary>
        private bool _answered;

        public static KmipConnection Open(KmipClientOptions options)
        {
            var endpoint = $"{options.Host}:{options.Port}";
            var ownedCertificate = options.ClientCertificatePath != null ? LoadClientCertificate(options) : null;
            var clientCertificate = ownedCertificate ?? options.ClientCertificate;
            if (clientCertificate != null && !clientCertificate.HasPrivateKey)
            {
                ownedCertificate?.Dispose();
                throw new KmipAuthenticationException(KmipAuthenticationFailure.ClientCertificateInvalid,
                    $"The client certificate '{clientCertificate.Subject}' has no private key.");
            }

            TcpClient? tcp = null;
            SslStream? ssl = null;
            // One deadline for the TCP connect and the TLS handshake together: a server that trickles its handshake
            // a byte at a time never trips a per-read timeout, so the connection is closed under it instead.
            var started = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                tcp = ConnectTcp(options, endpoint);
                var expectedName = options.ExpectedServerName ?? options.Host;
                var validator = new ServerCertificateValidator(options.TrustedRootCertificate!, expectedName);
                ssl = new SslStream(tcp.GetStream(), false, validator.Validate, (sender, host, local, remote, issuers) => clientCertificate);
                var clientCertificates = new X509CertificateCollection();
                if (clientCertificate != null)
                    clientCertificates.Add(clientCertificate);
                var remaining = options.ConnectTimeout - started.Elapsed;
                var connected = tcp;
                using (var deadline = new Deadline(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), () => connected.Close()))
                {
                    try
                    {
                        ssl.AuthenticateAsClient(expectedName, clientCertificates, EnabledProtocols(), checkCertificateRevocation: false);
                    }
                    catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is ObjectDisposedException || ex is SocketException)
                    {
                        if (validator.Failure.HasValue)
                            throw new KmipAuthenticationException(validator.Failure.Value, validator.FailureMessage!, ex);
                        if (deadline.Expired)
                            throw new KmipTimeoutException(
                                $"The connection to {endpoint} and its TLS handshake did not complete within {Seconds(options.ConnectTimeout)} s; the connection is closed.", ex);
                        if (IsTimeout(ex))
                            throw new KmipTimeoutException($"The TLS handshake with {endpoint} timed out.", ex);
                        // A server that refuses the client certificate aborts the handshake, often by just closing.
                        throw new KmipAuthenticationException(KmipAuthenticationFailure.HandshakeFailed,
                            $"The TLS handshake with {endpoint} failed (the server may have rejected the client certificate): {Describe(ex)}", ex);
                    }
                }
                return new KmipConnection(tcp, ssl, ownedCertificate, options.MaxMessageSize, endpoint, options.ReadTimeout);
            }
            catch
            {
                ssl?.Dispose();
                tcp?.Dispose();
                ownedCertificate?.Dispose();
                throw;
            }
        }

        /// <summary>Sends one encoded request and returns the whole encoded response.</summary>
        public byte[] Exchange(byte[] request)
        {
            if (IsBroken)
                throw new KmipConnectionException($"The connection to {_endpoint} is no longer usable after an earlier error.");
            // The whole exchange (request written, answer read to its last byte) has one deadline; socket timeouts
            // bound each read only, which a server answering a byte at a time never trips.
            using var deadline = new Deadline(_requestTimeout, () => _tcp.Close());
            try
            {
                _ssl.Write(request, 0, request.Length);
                _ssl.Flush();
                var response = TtlvFraming.ReadMessage(_ssl, KmipTag.ResponseMessage, _maxMessageSize);
                _answered = true;
                return response;
            }
            catch (Exception ex)
            {
                // Whatever broke mid-exchange, the stream can no longer be trusted to be at a message boundary.
                IsBroken = true;
                if (deadline.Expired)
                    throw new KmipTimeoutException(
                        $"{_endpoint} did not answer in full within {Seconds(_requestTimeout)} s; the connection is closed.", ex);
                if (!_answered && _ssl.SslProtocol == Tls13
                    && (ex is KmipConnectionException || ex is IOException || ex is SocketException || FindInner<AuthenticationException>(ex) != null))
                    // TLS 1.3: the client's handshake ends before the server has checked the client certificate, so a
                    // refusal arrives as an alert (seen as a closed connection) on the first read.
                    throw new KmipAuthenticationException(KmipAuthenticationFailure.HandshakeFailed,
                        $"The server {_endpoint} closed the TLS 1.3 session right after the handshake, before answering anything: " +
                        $"that is how a TLS 1.3 server refuses a client certificate ({Describe(ex)}).", ex);
                if (ex is KmipException)
                    throw;
                if (IsTimeout(ex))
                    throw new KmipTimeoutException($"No response from {_endpoint} within the timeout.", ex);
                if (FindInner<AuthenticationException>(ex) != null)
                    throw new KmipAuthenticationException(KmipAuthenticationFailure.HandshakeFailed,
                        $"The server {_endpoint} ended the TLS session: {Describe(ex)}", ex);
                if (ex is IOException || ex is ObjectDisposedException || ex is SocketException)
                    throw new KmipConnectionException($"The connection to {_endpoint} failed: {Describe(ex)}", ex);
                throw;
            }
        }

        public void Dispose()
        {
            IsBroken = true;
            _ssl.Dispose();
            _tcp.Dispose();
            _ownedClientCertificate?.Dispose();
        }

        private static TcpClient ConnectTcp(KmipClientOptions options, string endpoint)
        {
            var tcp = new TcpClient { NoDelay = true };
            try
            {
                var connect = tcp.ConnectAsync(options.Host, options.Port);
                bool completed;
                try
                {
                    completed = connect.Wait(options.ConnectTimeout);
                }
                catch (AggregateException ex)
                {
                    var inner = ex.InnerException ?? ex;
                    throw new KmipConnectionException($"Could not connect to {endpoint}: {inner.Message}", inner);
                }
                if (!completed)
                {
                    // Observe the abandoned attempt's eventual failure so it is not reported as unobserved.
                    connect.ContinueWith(t => t.Exception, System.Threading.Tasks.TaskContinuationOptions.OnlyOnFaulted);
                    throw new KmipTimeoutException($"Connecting to {endpoint} timed out after {options.ConnectTimeout.TotalSeconds:0.#} s.");
                }
                tcp.ReceiveTimeout = (int)options.ReadTimeout.TotalMilliseconds;
                tcp.SendTimeout = (int)options.WriteTimeout.TotalMilliseconds;
                return tcp;
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
        }

        private static X509Certificate2 LoadClientCertificate(KmipClientOptions options)
        {
            var path = options.ClientCertificatePath!;
            // Windows' TLS stack cannot use ephemeral keys, so keys are stored normally (and removed on dispose).
            const X509KeyStorageFlags flags = X509KeyStorageFlags.DefaultKeySet;
            try
            {
                return options.ClientCertificatePassword != null
                    ? new X509Certificate2(path, options.ClientCertificatePassword, flags)
                    : new X509Certificate2(path, options.ClientCertificatePasswordText, flags);
            }
            catch (CryptographicException ex)
            {
                // The message names the file only; the password must never appear in it. Nothing was sent anywhere yet.
                string why;
                if (!File.Exists(path)) why = "the file does not exist";
                else
                {
                    X509ContentType type;
                    try { type = X509Certificate2.GetCertContentType(path); }
                    catch (CryptographicException) { type = X509ContentType.Unknown; }
                    why = type == X509ContentType.Pkcs12
                        ? (options.ClientCertificatePassword == null && options.ClientCertificatePasswordText == null
                            ? "it is protected by a password and none was given"
                            : "the password is wrong")
                        : "it is not a PKCS#12 (.pfx/.p12) file";
                }
                throw new KmipAuthenticationException(KmipAuthenticationFailure.ClientCertificateInvalid,
                    $"The client certificate file '{path}' could not be opened: {why}.", ex);
            }
        }

        private static SslProtocols EnabledProtocols()
        {
            // TLS 1.3 only where the runtime is .NET (Core); .NET Framework's SChannel may refuse the flag.
            var isNetFramework = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
            return isNetFramework || !Enum.IsDefined(typeof(SslProtocols), Tls13) ? SslProtocols.Tls12 : SslProtocols.Tls12 | Tls13;
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// Calls <c>abort</c> (closing the socket, which makes a blocked read or write fail) unless disposed before the
        /// time is up. <see cref="Expired"/> tells the caller that the failure it sees is the deadline's doing.
        /// </summary>
        private sealed class Deadline : IDisposable
        {
            private readonly object _sync = new object();
            private readonly System.Threading.Timer _timer;
            private readonly Action _abort;
            private bool _done;

            public Deadline(TimeSpan after, Action abort)
            {
                _abort = abort;
                _timer = new System.Threading.Timer(_ => Fire(), null, after, System.Threading.Timeout.InfiniteTimeSpan);
            }

            public bool Expired { get; private set; }

            private void Fire()
            {
                lock (_sync)
                {
                    if (_done) return;
                    Expired = true;
                }
                try { _abort(); } catch (Exception) { /* already closed */ }
            }

            public void Dispose()
            {
                lock (_sync) _done = true;
                _timer.Dispose();
            }
        }

        private static bool IsTimeout(Exception ex)
        {
            var socket = FindInner<SocketException>(ex);
            return socket != null && socket.SocketErrorCode == SocketError.TimedOut;
        }

        private static T? FindInner<T>(Exception ex) where T : Exception
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is T match)
                    return match;
            }
            return null;
        }

        private static string Describe(Exception ex)
        {
            var text = ex.Message;
            for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
                text += " -> " + inner.Message;
            return text;
        }
    }
}
