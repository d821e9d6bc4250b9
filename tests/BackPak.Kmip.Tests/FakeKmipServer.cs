using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using BackPak.Kmip.Transport;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip.Tests
{
    /// <summary>
    /// In-process TLS server on 127.0.0.1 that answers each request with whatever the handler returns
    /// (null closes the connection). Lets transport behaviour be tested without PyKMIP.
    /// </summary>
    internal sealed class FakeKmipServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly X509Certificate2 _certificate;
        private readonly Func<TtlvItem, byte[]?> _handler;
        private readonly List<TcpClient> _clients = new List<TcpClient>();

        public FakeKmipServer(X509Certificate2 certificate, Func<TtlvItem, byte[]?> handler)
        {
            _certificate = certificate;
            _handler = handler;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        /// <summary>Every request received, decoded.</summary>
        public ConcurrentQueue<TtlvItem> Requests { get; } = new ConcurrentQueue<TtlvItem>();

        private async Task AcceptLoop()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception)
                {
                    return; // listener stopped
                }
                lock (_clients)
                    _clients.Add(client);
                _ = Task.Run(() => Serve(client));
            }
        }

        private void Serve(TcpClient client)
        {
            try
            {
                using var ssl = new SslStream(client.GetStream(), false);
                ssl.AuthenticateAsServer(_certificate, clientCertificateRequired: false, SslProtocols.Tls12, checkCertificateRevocation: false);
                while (true)
                {
                    var request = TtlvDecoder.Decode(TtlvFraming.ReadMessage(ssl, KmipTag.RequestMessage, 1 << 20));
                    Requests.Enqueue(request);
                    var response = _handler(request);
                    if (response == null)
                        break;
                    ssl.Write(response);
                    ssl.Flush();
                }
            }
            catch (Exception)
            {
                // The client went away or the handshake failed: both are expected in tests.
            }
            finally
            {
                client.Dispose();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_clients)
            {
                foreach (var client in _clients)
                    client.Dispose();
            }
        }

        public static KmipOperation OperationOf(TtlvItem request) =>
            (KmipOperation)request.Require(KmipTag.BatchItem).Require(KmipTag.Operation).AsEnumeration();

        public static KmipVersion VersionOf(TtlvItem request) =>
            KmipVersion.FromTtlv(request.Require(KmipTag.RequestHeader).Require(KmipTag.ProtocolVersion));

        public static byte[] Response(KmipVersion version, params TtlvItem[] batchItems)
        {
            var items = new List<TtlvItem>
            {
                TtlvItem.Structure(KmipTag.ResponseHeader,
                    version.ToTtlv(),
                    TtlvItem.DateTime(KmipTag.TimeStamp, DateTimeOffset.UtcNow),
                    TtlvItem.Integer(KmipTag.BatchCount, batchItems.Length)),
            };
            items.AddRange(batchItems);
            return TtlvEncoder.Encode(TtlvItem.Structure(KmipTag.ResponseMessage, items));
        }

        public static TtlvItem Success(KmipOperation operation, params TtlvItem[] payload) =>
            TtlvItem.Structure(KmipTag.BatchItem,
                TtlvItem.Enumeration(KmipTag.Operation, (uint)operation),
                TtlvItem.Enumeration(KmipTag.ResultStatus, (uint)KmipResultStatus.Success),
                TtlvItem.Structure(KmipTag.ResponsePayload, payload));

        public static TtlvItem Failure(KmipOperation operation, KmipResultReason reason, string message) =>
            TtlvItem.Structure(KmipTag.BatchItem,
                TtlvItem.Enumeration(KmipTag.Operation, (uint)operation),
                TtlvItem.Enumeration(KmipTag.ResultStatus, (uint)KmipResultStatus.OperationFailed),
                TtlvItem.Enumeration(KmipTag.ResultReason, (uint)reason),
                TtlvItem.TextString(KmipTag.ResultMessage, message));
    }
}
