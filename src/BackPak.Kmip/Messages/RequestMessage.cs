using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>One operation in a request: Operation, optional Unique Batch Item ID, Request Payload.</summary>
    public sealed class RequestBatchItem
    {
        private readonly byte[]? _uniqueBatchItemId;

        /// <param name="operation">The operation to perform.</param>
        /// <param name="payload">The Request Payload structure (tag RequestPayload).</param>
        /// <param name="uniqueBatchItemId">Optional ID; one is assigned automatically when a message has several items.</param>
        public RequestBatchItem(KmipOperation operation, TtlvItem payload, byte[]? uniqueBatchItemId = null)
        {
            if (payload == null)
                throw new ArgumentNullException(nameof(payload));
            if (payload.Tag != KmipTag.RequestPayload || payload.Type != TtlvType.Structure)
                throw new ArgumentException("The payload must be a Request Payload structure.", nameof(payload));
            Operation = operation;
            Payload = payload;
            _uniqueBatchItemId = uniqueBatchItemId == null ? null : (byte[])uniqueBatchItemId.Clone();
        }

        public KmipOperation Operation { get; }
        public TtlvItem Payload { get; }
        public byte[]? UniqueBatchItemId => _uniqueBatchItemId == null ? null : (byte[])_uniqueBatchItemId.Clone();

        internal bool HasId => _uniqueBatchItemId != null;

        internal bool IdEquals(byte[]? other) =>
            _uniqueBatchItemId == null ? other == null : other != null && _uniqueBatchItemId.SequenceEqual(other);

        internal RequestBatchItem WithId(byte[] id) => new RequestBatchItem(Operation, Payload, id);

        public TtlvItem ToTtlv()
        {
            var fields = new List<TtlvItem> { TtlvItem.Enumeration(KmipTag.Operation, (uint)Operation) };
            if (_uniqueBatchItemId != null)
                fields.Add(TtlvItem.ByteString(KmipTag.UniqueBatchItemId, _uniqueBatchItemId));
            fields.Add(Payload);
            return TtlvItem.Structure(KmipTag.BatchItem, fields);
        }
    }

    /// <summary>A KMIP 1.x Request Message: header plus one or more batch items.</summary>
    public sealed class RequestMessage
    {
        public RequestMessage(KmipVersion protocolVersion, params RequestBatchItem[] batchItems)
            : this(protocolVersion, (IEnumerable<RequestBatchItem>)batchItems)
        {
        }

        /// <remarks>
        /// KMIP requires a Unique Batch Item ID on every item when there is more than one; items
        /// without one get their 1-based position as a 4-byte big-endian ID.
        /// </remarks>
        public RequestMessage(KmipVersion protocolVersion, IEnumerable<RequestBatchItem> batchItems)
        {
            ProtocolVersion = protocolVersion ?? throw new ArgumentNullException(nameof(protocolVersion));
            var items = (batchItems ?? throw new ArgumentNullException(nameof(batchItems))).ToList();
            if (items.Count == 0)
                throw new ArgumentException("A request needs at least one batch item.", nameof(batchItems));
            if (items.Count > 1)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    if (!items[i].HasId)
                        items[i] = items[i].WithId(new[] { (byte)((i + 1) >> 24), (byte)((i + 1) >> 16), (byte)((i + 1) >> 8), (byte)(i + 1) });
                }
            }
            BatchItems = items;
        }

        public KmipVersion ProtocolVersion { get; }

        /// <summary>Optional Maximum Response Size header field, in bytes.</summary>
        public int? MaximumResponseSize { get; set; }

        /// <summary>Optional Batch Error Continuation Option header field (servers default to Stop).</summary>
        public KmipBatchErrorContinuationOption? BatchErrorContinuationOption { get; set; }

        public IReadOnlyList<RequestBatchItem> BatchItems { get; }

        public TtlvItem ToTtlv()
        {
            // Header fields in the order KMIP 1.x defines them.
            var header = new List<TtlvItem> { ProtocolVersion.ToTtlv() };
            if (MaximumResponseSize.HasValue)
                header.Add(TtlvItem.Integer(KmipTag.MaximumResponseSize, MaximumResponseSize.Value));
            if (BatchErrorContinuationOption.HasValue)
                header.Add(TtlvItem.Enumeration(KmipTag.BatchErrorContinuationOption, (uint)BatchErrorContinuationOption.Value));
            header.Add(TtlvItem.Integer(KmipTag.BatchCount, BatchItems.Count));

            var message = new List<TtlvItem> { TtlvItem.Structure(KmipTag.RequestHeader, header) };
            message.AddRange(BatchItems.Select(item => item.ToTtlv()));
            return TtlvItem.Structure(KmipTag.RequestMessage, message);
        }

        public byte[] Encode() => TtlvEncoder.Encode(ToTtlv());
    }
}
