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

        /// <summary>When set, the TLS handshake's bytes are written one at a time with this pause between them.</summary>
        public TimeSpan? TrickleHandshake { get; set; }
        /// <summary>When set, each response is written one byte at a time with this pause between them.</summary>
        public TimeSpan? TrickleResponses { get; set; }
        /// <summary>When set, the server asks for a client certificate, runs only these TLS versions and refuses every client certificate.</summary>
        public SslProtocols? RejectClientCertificates { get; set; }

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
                var trickle = new TrickleStream(client.GetStream()) { Pause = TrickleHandshake };
                using var ssl = RejectClientCertificates is { } versions
                    ? new SslStream(trickle, false, (sender, certificate, chain, errors) => false)
                    : new SslStream(trickle, false);
                ssl.AuthenticateAsServer(_certificate, clientCertificateRequired: RejectClientCertificates != null,
                    RejectClientCertificates ?? SslProtocols.Tls12, checkCertificateRevocation: false);
                trickle.Pause = TrickleResponses;
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

        /// <summary>Passes reads through; writes one byte at a time with a pause between bytes when <see cref="Pause"/> is set.</summary>
        private sealed class TrickleStream : System.IO.Stream
        {
            private readonly System.IO.Stream _inner;
            public TrickleStream(System.IO.Stream inner) => _inner = inner;
            public TimeSpan? Pause { get; set; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() => _inner.Flush();
            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
            public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count)
            {
                if (Pause is not { } pause)
                {
                    _inner.Write(buffer, offset, count);
                    return;
                }
                for (int i = 0; i < count; i++)
                {
                    _inner.Write(buffer, offset + i, 1);
                    _inner.Flush();
                    System.Threading.Thread.Sleep(pause);
                }
            }
            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
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
