using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Kmip.Transport;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>
    /// A KMIP 1.x client over one mutually authenticated TLS connection, reused for every request.
    /// Calls are synchronous and serialized; failures surface as <see cref="KmipException"/> subtypes.
    /// </summary>
    public sealed class KmipClient : IDisposable
    {
        private readonly object _sync = new object();
        private readonly KmipConnection _connection;
        private readonly int _maxMessageSize;
        private readonly KmipVersion _fallbackVersion;
        private readonly TtlvDecoderOptions _decoderOptions;
        private bool _disposed;

        private KmipClient(KmipConnection connection, KmipClientOptions options)
        {
            _connection = connection;
            // Copied so later changes to the (mutable) options object do not affect a live client.
            _maxMessageSize = options.MaxMessageSize;
            _fallbackVersion = options.FallbackProtocolVersion;
            _decoderOptions = new TtlvDecoderOptions { MaxMessageSize = _maxMessageSize };
            ProtocolVersion = options.ProtocolVersion ?? KmipVersion.Supported[0];
        }

        /// <summary>False once disposed or after a transport failure (timeout, broken or oversized message); connect again then.</summary>
        public bool IsConnected
        {
            get
            {
                lock (_sync)
                    return !_disposed && !_connection.IsBroken;
            }
        }

        /// <summary>The protocol version used in request headers (negotiated unless fixed in the options).</summary>
        public KmipVersion ProtocolVersion { get; private set; }

        /// <summary>Connects, authenticates and (unless a version is fixed) negotiates the protocol version.</summary>
        public static KmipClient Connect(KmipClientOptions options)
        {
            if (options == null)
                throw new ArgumentNullException(nameof(options));
            options.Validate();
            var client = new KmipClient(KmipConnection.Open(options), options);
            try
            {
                if (options.ProtocolVersion == null)
                    client.NegotiateVersion();
                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        private void NegotiateVersion()
        {
            IReadOnlyList<KmipVersion> serverVersions;
            try
            {
                serverVersions = DiscoverVersions(KmipVersion.Supported);
            }
            catch (KmipOperationException ex) when (ex.ResultReason == KmipResultReason.AuthenticationNotSuccessful)
            {
                // Servers may accept the TLS session and refuse the client per request (e.g. certificate usage).
                throw new KmipAuthenticationException(KmipAuthenticationFailure.ClientRejected,
                    $"The server refused to authenticate this client: {ex.ResultMessage}", ex);
            }
            catch (KmipOperationException)
            {
                // KMIP 1.0 has no Discover Versions; such servers (and some others) reject it.
                ProtocolVersion = _fallbackVersion;
                return;
            }
            ProtocolVersion = KmipVersion.Supported.FirstOrDefault(serverVersions.Contains)
                ?? throw new KmipException(
                    $"The server supports no KMIP version this client speaks (server: {string.Join(", ", serverVersions)}).");
        }

        /// <summary>Versions the server supports among <paramref name="offered"/> (default: all this client speaks), server's preference first.</summary>
        public IReadOnlyList<KmipVersion> DiscoverVersions(IEnumerable<KmipVersion>? offered = null) =>
            KmipResponses.DiscoverVersions(ExecuteOne(KmipRequests.DiscoverVersions(offered)));

        /// <summary>Query; by default asks for operations, object types and server information.</summary>
        public KmipQueryResult Query(params KmipQueryFunction[] functions)
        {
            if (functions == null || functions.Length == 0)
                functions = new[] { KmipQueryFunction.QueryOperations, KmipQueryFunction.QueryObjects, KmipQueryFunction.QueryServerInformation };
            return KmipResponses.Query(ExecuteOne(KmipRequests.Query(functions)));
        }

        /// <summary>Unique identifiers of the objects whose Name is <paramref name="name"/>.</summary>
        public IReadOnlyList<string> Locate(string name, int? maximumItems = null) =>
            KmipResponses.Locate(ExecuteOne(KmipRequests.LocateByName(name, maximumItems)));

        /// <summary>Unique identifiers of every object the client may see, up to <paramref name="maximumItems"/> when given.</summary>
        public IReadOnlyList<string> LocateAll(int? maximumItems = null) =>
            KmipResponses.Locate(ExecuteOne(KmipRequests.LocateAll(maximumItems)));

        public KmipKeyInfo GetAttributes(string uniqueIdentifier) => GetAttributes(uniqueIdentifier, null);

        public KmipKeyInfo GetAttributes(string uniqueIdentifier, IEnumerable<string>? attributeNames) =>
            KmipResponses.GetAttributes(ExecuteOne(KmipRequests.GetAttributes(uniqueIdentifier, attributeNames)));

        public void Revoke(string uniqueIdentifier, KmipRevocationReasonCode reason, string? message = null,
            DateTimeOffset? compromiseOccurrenceDate = null) =>
            ExecuteOne(KmipRequests.Revoke(uniqueIdentifier, reason, message, compromiseOccurrenceDate));

        public void Destroy(string uniqueIdentifier) => ExecuteOne(KmipRequests.Destroy(uniqueIdentifier));

        /// <summary>Revoke then Destroy in one request message (two batch items; the server stops at the first failure).</summary>
        public void RevokeAndDestroy(string uniqueIdentifier, KmipRevocationReasonCode reason, string? message = null) =>
            Execute(KmipRequests.Revoke(uniqueIdentifier, reason, message), KmipRequests.Destroy(uniqueIdentifier));

        /// <summary>Creates an AES key named <paramref name="name"/> (usage Encrypt|Decrypt); returns its unique identifier.</summary>
        public string CreateSymmetricKey(string name, int lengthInBits = 256) =>
            KmipResponses.UniqueIdentifier(ExecuteOne(KmipRequests.CreateSymmetricKey(name, lengthInBits)));

        public void Activate(string uniqueIdentifier) => ExecuteOne(KmipRequests.Activate(uniqueIdentifier));

        /// <summary>
        /// Sends the items as one request message and returns their results in request order.
        /// Throws <see cref="KmipOperationException"/> for the first failed item.
        /// </summary>
        public IReadOnlyList<ResponseBatchItem> Execute(params RequestBatchItem[] batchItems)
        {
            var request = new RequestMessage(ProtocolVersion, batchItems) { MaximumResponseSize = _maxMessageSize };
            return Send(request).MatchSuccessful(request);
        }

        /// <summary>Sends a request message as is and returns the response without checking result statuses.</summary>
        public ResponseMessage Send(RequestMessage request)
        {
            if (request == null)
                throw new ArgumentNullException(nameof(request));
            var encoded = request.Encode();
            byte[] response;
            lock (_sync)
            {
                if (_disposed)
                    throw new ObjectDisposedException(nameof(KmipClient));
                response = _connection.Exchange(encoded);
            }
            return ResponseMessage.Decode(response, _decoderOptions);
        }

        private TtlvItem ExecuteOne(RequestBatchItem item) => Execute(item)[0].RequirePayload();

        public void Dispose()
        {
            lock (_sync)
            {
                if (_disposed)
                    return;
                _disposed = true;
                _connection.Dispose();
            }
        }
    }
}
