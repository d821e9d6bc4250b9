using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Kmip;
using BackPak.Kmip.Ttlv;

namespace BackPak.KeyManagers
{
    /// <summary>
    /// A KMIP 1.x key server (HP ESKM, PyKMIP, ...) behind the key-manager contract, over one mutually
    /// authenticated TLS connection. KMIP failures become BackPak errors with stable ErrorIds.
    /// </summary>
    public sealed class KmipKeyManager : IKeyManager, IKeyManagerBatch
    {
        private readonly KmipClient _client;

        private KmipKeyManager(KmipClient client, string endpoint)
        {
            _client = client;
            Endpoint = endpoint;
        }

        public string Provider => "KMIP";
        public string Endpoint { get; }
        public string? ProtocolVersion => _client.ProtocolVersion.ToString();

        /// <summary>The KMIP client, for callers that need a protocol operation the contract does not have.</summary>
        public KmipClient Client => _client;

        /// <summary>Connects (TLS with the server validated against the options' trusted root, then version negotiation).</summary>
        public static KmipKeyManager Connect(KmipClientOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var endpoint = options.Host + ":" + options.Port;
            try
            {
                return new KmipKeyManager(KmipClient.Connect(options), endpoint);
            }
            catch (ArgumentException e)
            {
                throw new BackPakException(ErrorIds.KeyManagerEndpointInvalid, BackPakErrorCategory.InvalidArgument,
                    $"The key manager connection settings are not valid: {e.Message}", endpoint,
                    "Give -Endpoint as host:port, a client certificate and the trusted root certificate.", stopsInvocation: true, inner: e);
            }
            catch (KmipException e)
            {
                throw Map(e, endpoint, "connect to");
            }
        }

        /// <summary>Parses 'host:port' (port defaults to 5696; IPv6 as '[::1]:5696').</summary>
        public static (string Host, int Port) ParseEndpoint(string endpoint)
        {
            string text = (endpoint ?? "").Trim();
            string host = text;
            string? portText = null;
            if (text.StartsWith("[", StringComparison.Ordinal))
            {
                int close = text.IndexOf(']');
                if (close < 0) throw InvalidEndpoint(endpoint!, "the '[' of an IPv6 address is not closed");
                host = text.Substring(1, close - 1);
                var rest = text.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':') throw InvalidEndpoint(endpoint!, "only ':port' may follow ']'");
                    portText = rest.Substring(1);
                }
            }
            else if (text.Count(ch => ch == ':') == 1)
            {
                int colon = text.IndexOf(':');
                host = text.Substring(0, colon);
                portText = text.Substring(colon + 1);
            }
            int port = KmipClientOptions.DefaultPort;
            if (portText != null && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535))
                throw InvalidEndpoint(endpoint!, $"'{portText}' is not a port number (1-65535)");
            if (host.Length == 0 || host.IndexOfAny(new[] { ' ', '/', '\\', '@' }) >= 0)
                throw InvalidEndpoint(endpoint!, "the host is empty or holds characters a host name cannot have");
            return (host, port);
        }

        private static BackPakException InvalidEndpoint(string endpoint, string why) =>
            new BackPakException(ErrorIds.KeyManagerEndpointInvalid, BackPakErrorCategory.InvalidArgument,
                $"'{endpoint}' is not a key manager endpoint: {why}.", endpoint ?? "",
                "Give -Endpoint as host:port, for example 'eskm01.example.com:5696'.", stopsInvocation: true);

        public IReadOnlyList<string> Locate(string? name) => Call("locate keys on", () =>
            name == null
                ? KmipResponses.Locate(_client.Execute(new RequestBatchItem(KmipOperation.Locate,
                    TtlvItem.Structure(KmipTag.RequestPayload, new TtlvItem[0])))[0].RequirePayload())
                : _client.Locate(name));

        public EncryptionKey? Get(string uniqueId)
        {
            KmipKeyInfo info;
            try
            {
                info = Call("read key " + uniqueId + " on", () => _client.GetAttributes(uniqueId));
            }
            catch (BackPakException e) when (e.ErrorId == ErrorIds.KeyNotFound)
            {
                return null;
            }
            return ToKey(info);
        }

        /// <summary>Ids of every object the server lets this client see, at most <paramref name="maximumItems"/>.</summary>
        public IReadOnlyList<string> LocateAll(int maximumItems) => Call("list the keys of", () => _client.LocateAll(maximumItems));

        /// <summary>A lookup for one operation that reads the server's key list once when that is cheaper than asking name by name.</summary>
        public IKeyLookup BeginLookup() => new KmipKeyLookup(this);

        /// <summary>One Locate batch item per name in one message: a round trip (and a server message) per chunk, not per key.</summary>
        public IReadOnlyList<IReadOnlyList<string>> LocateMany(IReadOnlyList<string> names) =>
            Batch("locate keys on", names.Select(n => KmipRequests.LocateByName(n)).ToList(),
                (item, i) => KmipResponses.Locate(item.RequirePayload()));

        /// <summary>One Get Attributes batch item per id in one message; ids the server does not have give null.</summary>
        public IReadOnlyList<EncryptionKey?> GetMany(IReadOnlyList<string> uniqueIds) =>
            Batch("read keys on", uniqueIds.Select(id => KmipRequests.GetAttributes(id)).ToList(),
                (item, i) => item.ResultReason == KmipResultReason.ItemNotFound && !item.IsSuccess
                    ? null
                    : ToKey(KmipResponses.GetAttributes(item.RequirePayload())));

        private IReadOnlyList<T> Batch<T>(string what, IReadOnlyList<RequestBatchItem> requests, Func<ResponseBatchItem, int, T> read)
        {
            if (requests.Count == 0) return new T[0];
            // Explicit ids (the position) match each answer to its request; Continue: one failed item does not stop the rest.
            var items = requests.Select((r, i) => new RequestBatchItem(r.Operation, r.Payload, Id(i))).ToArray();
            return Call(what, () =>
            {
                var response = _client.Send(new RequestMessage(_client.ProtocolVersion, items)
                {
                    BatchErrorContinuationOption = KmipBatchErrorContinuationOption.Continue,
                });
                // A lone failed item without an operation is how a server rejects the whole message.
                if (response.BatchItems.Count == 1 && items.Length > 1 && !response.BatchItems[0].IsSuccess)
                    response.BatchItems[0].EnsureSuccess();
                var byId = new Dictionary<int, ResponseBatchItem>();
                foreach (var r in response.BatchItems)
                {
                    var id = r.UniqueBatchItemId;
                    if (id != null && id.Length == 4) byId[(id[0] << 24) | (id[1] << 16) | (id[2] << 8) | id[3]] = r;
                }
                var results = new List<T>(items.Length);
                for (int i = 0; i < items.Length; i++)
                {
                    if (!byId.TryGetValue(i, out var item))
                        throw new KmipDecodeException($"The response has no result for batch item {i + 1} ({items[i].Operation}).");
                    results.Add(read(item, i)); // throws for a failed item the reader does not accept

                }
                return (IReadOnlyList<T>)results;
            });
        }

        private static byte[] Id(int i) => new[] { (byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i };

        private EncryptionKey ToKey(KmipKeyInfo info)
        {
            return new EncryptionKey
            {
                Name = info.Names.FirstOrDefault() ?? "",
                UniqueId = info.UniqueIdentifier,
                State = ToState(info.State),
                RawState = info.RawState?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Algorithm = info.CryptographicAlgorithm?.ToString().ToUpperInvariant(),
                Length = info.CryptographicLength,
                Created = info.InitialDate?.UtcDateTime,
                Activated = info.ActivationDate?.UtcDateTime,
                Deactivated = info.DeactivationDate?.UtcDateTime,
                Destroyed = info.DestroyDate?.UtcDateTime,
                KeyManager = Endpoint,
            };
        }

        public void Revoke(string uniqueId, KeyRevocationReason reason)
        {
            bool compromise = reason == KeyRevocationReason.KeyCompromise || reason == KeyRevocationReason.CACompromise;
            Call("revoke key " + uniqueId + " on", () =>
            {
                // KMIP asks for the compromise date with a compromise reason; "now" is the latest it can be.
                _client.Revoke(uniqueId, (KmipRevocationReasonCode)(uint)reason, null, compromise ? DateTimeOffset.UtcNow : (DateTimeOffset?)null);
                return 0;
            });
        }

        /// <summary>Revoke and Destroy as two batch items of one message: one round trip instead of two.</summary>
        public void RevokeAndDestroy(string uniqueId, KeyRevocationReason reason)
        {
            bool compromise = reason == KeyRevocationReason.KeyCompromise || reason == KeyRevocationReason.CACompromise;
            Call("revoke and destroy key " + uniqueId + " on", () => _client.Execute(
                KmipRequests.Revoke(uniqueId, (KmipRevocationReasonCode)(uint)reason, null, compromise ? DateTimeOffset.UtcNow : (DateTimeOffset?)null),
                KmipRequests.Destroy(uniqueId)));
        }

        public void Destroy(string uniqueId) => Call("destroy key " + uniqueId + " on", () => { _client.Destroy(uniqueId); return 0; });

        public void Dispose() => _client.Dispose();

        private T Call<T>(string what, Func<T> f)
        {
            try
            {
                return f();
            }
            catch (KmipException e)
            {
                throw Map(e, Endpoint, what);
            }
        }

        private static KeyState ToState(KmipState s) => s switch
        {
            KmipState.PreActive => KeyState.PreActive,
            KmipState.Active => KeyState.Active,
            KmipState.Deactivated => KeyState.Deactivated,
            KmipState.Compromised => KeyState.Compromised,
            KmipState.Destroyed => KeyState.Destroyed,
            KmipState.DestroyedCompromised => KeyState.DestroyedCompromised,
            _ => KeyState.Unknown,
        };

        /// <summary>
        /// The KMIP library's message names the endpoint too ("Could not connect to host:port: Connection refused"), so the
        /// part the operator already read in front of it is left out rather than said twice.
        /// </summary>
        private static string Cause(string message, string endpoint)
        {
            string said = "Could not connect to " + endpoint + ": ";
            return message.StartsWith(said, StringComparison.Ordinal) ? message.Substring(said.Length) : message;
        }

        /// <summary>The BackPak error for a KMIP failure. Messages name the endpoint and the key id, never secrets.</summary>
        public static BackPakException Map(KmipException e, string endpoint, string what)
        {
            switch (e)
            {
                case KmipAuthenticationException a when a.Failure == KmipAuthenticationFailure.ServerCertificateUntrusted
                                                     || a.Failure == KmipAuthenticationFailure.ServerNameMismatch
                                                     || a.Failure == KmipAuthenticationFailure.ServerCertificateMissing:
                    return new BackPakException(ErrorIds.KeyManagerUntrusted, BackPakErrorCategory.SecurityError,
                        $"Could not {what} {endpoint}: the server is not trusted. {a.Message}", endpoint,
                        "Give -TrustedRootCertificate the root CA certificate that issued the key server's certificate, and an endpoint name the certificate carries. Validation cannot be turned off.",
                        stopsInvocation: true, inner: e);
                case KmipAuthenticationException a when a.Failure == KmipAuthenticationFailure.ClientCertificateInvalid:
                    return new BackPakException(ErrorIds.ClientCertificateInvalid, BackPakErrorCategory.InvalidArgument,
                        $"Could not {what} {endpoint}: the client certificate cannot be used, so nothing was sent to the key server. {a.Message}", endpoint,
                        "Give the .pfx file's password (-CertificatePassword (Read-Host -AsSecureString)), or a certificate that holds its private key.",
                        stopsInvocation: true, inner: e);
                case KmipAuthenticationException a:
                    return new BackPakException(ErrorIds.KeyManagerAuthenticationFailed, BackPakErrorCategory.SecurityError,
                        $"Could not {what} {endpoint}: the key server did not accept this client ({a.Failure}). {a.Message}", endpoint,
                        "Give a client certificate (with its private key) that the key server trusts, for example -CertificatePath client.pfx -CertificatePassword (Read-Host -AsSecureString).",
                        stopsInvocation: true, inner: e);
                case KmipConnectionException c:
                    return new BackPakException(ErrorIds.KeyManagerUnreachable, c is KmipTimeoutException ? BackPakErrorCategory.OperationTimeout : BackPakErrorCategory.ConnectionError,
                        $"Could not {what} {endpoint}: {Cause(c.Message, endpoint)}", endpoint,
                        "Check that the key server runs and that host and port are right; then connect again with Connect-BPKeyManager.",
                        stopsInvocation: true, inner: e);
                case KmipOperationException o when o.ResultReason == KmipResultReason.ItemNotFound:
                    return new BackPakException(ErrorIds.KeyNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"Could not {what} {endpoint}: the key server has no such key. {o.ResultMessage}", endpoint,
                        "Get-BPEncryptionKey -Name <Media Key Name> shows the keys of a name.", inner: e);
                case KmipOperationException o when o.ResultReason == KmipResultReason.AuthenticationNotSuccessful:
                    return new BackPakException(ErrorIds.KeyManagerAuthenticationFailed, BackPakErrorCategory.SecurityError,
                        $"Could not {what} {endpoint}: the key server did not accept this client. {o.ResultMessage}", endpoint,
                        "Use a client certificate the key server trusts.", stopsInvocation: true, inner: e);
                case KmipOperationException o:
                    return new BackPakException(ErrorIds.KeyOperationFailed, BackPakErrorCategory.InvalidOperation,
                        $"Could not {what} {endpoint}: {o.Message}", endpoint,
                        "Get-BPEncryptionKey shows the key's state; the key server's log says more.", inner: e);
                default:
                    // Malformed or oversized responses: the connection cannot be trusted any more.
                    return new BackPakException(ErrorIds.KeyManagerUnreachable, BackPakErrorCategory.ConnectionError,
                        $"Could not {what} {endpoint}: {e.Message}", endpoint,
                        "Connect again with Connect-BPKeyManager; if it persists, check the key server.", stopsInvocation: true, inner: e);
            }
        }
    }
}
