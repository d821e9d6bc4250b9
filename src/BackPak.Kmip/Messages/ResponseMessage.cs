using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>One result in a response: status, reason, message and (on success) the Response Payload.</summary>
    public sealed class ResponseBatchItem
    {
        private readonly byte[]? _uniqueBatchItemId;

        public ResponseBatchItem(KmipOperation? operation, byte[]? uniqueBatchItemId, KmipResultStatus resultStatus,
            KmipResultReason? resultReason, string? resultMessage, TtlvItem? payload)
        {
            Operation = operation;
            _uniqueBatchItemId = uniqueBatchItemId;
            ResultStatus = resultStatus;
            ResultReason = resultReason;
            ResultMessage = resultMessage;
            Payload = payload;
        }

        /// <summary>The operation; servers may omit it when they reject the whole request.</summary>
        public KmipOperation? Operation { get; }
        public byte[]? UniqueBatchItemId => _uniqueBatchItemId == null ? null : (byte[])_uniqueBatchItemId.Clone();
        public KmipResultStatus ResultStatus { get; }
        public KmipResultReason? ResultReason { get; }
        public string? ResultMessage { get; }
        public TtlvItem? Payload { get; }
        public bool IsSuccess => ResultStatus == KmipResultStatus.Success;

        internal byte[]? RawId => _uniqueBatchItemId;

        /// <summary>Throws <see cref="KmipOperationException"/> unless the result status is Success.</summary>
        public ResponseBatchItem EnsureSuccess()
        {
            if (!IsSuccess)
                throw new KmipOperationException(Operation, ResultStatus, ResultReason, ResultMessage);
            return this;
        }

        /// <summary>The Response Payload of a successful item; its absence is a malformed response.</summary>
        public TtlvItem RequirePayload()
        {
            EnsureSuccess();
            return Payload ?? throw new KmipDecodeException($"The {(Operation.HasValue ? Operation.Value + " " : "")}response has no Response Payload.");
        }

        internal static ResponseBatchItem FromTtlv(TtlvItem item)
        {
            var operation = item.Find(KmipTag.Operation);
            var id = item.Find(KmipTag.UniqueBatchItemId);
            var reason = item.Find(KmipTag.ResultReason);
            var message = item.Find(KmipTag.ResultMessage);
            var payload = item.Find(KmipTag.ResponsePayload);
            if (payload != null && payload.Type != TtlvType.Structure)
                throw new KmipDecodeException("Response Payload is not a structure.");
            return new ResponseBatchItem(
                operation == null ? (KmipOperation?)null : (KmipOperation)operation.AsEnumeration(),
                id?.AsByteString(),
                (KmipResultStatus)item.Require(KmipTag.ResultStatus).AsEnumeration(),
                reason == null ? (KmipResultReason?)null : (KmipResultReason)reason.AsEnumeration(),
                message?.AsTextString(),
                payload);
        }
    }

    /// <summary>A KMIP 1.x Response Message.</summary>
    public sealed class ResponseMessage
    {
        public ResponseMessage(KmipVersion protocolVersion, DateTimeOffset timeStamp, IReadOnlyList<ResponseBatchItem> batchItems)
        {
            ProtocolVersion = protocolVersion ?? throw new ArgumentNullException(nameof(protocolVersion));
            TimeStamp = timeStamp;
            BatchItems = batchItems ?? throw new ArgumentNullException(nameof(batchItems));
        }

        public KmipVersion ProtocolVersion { get; }
        public DateTimeOffset TimeStamp { get; }
        public int BatchCount => BatchItems.Count;
        public IReadOnlyList<ResponseBatchItem> BatchItems { get; }

        public static ResponseMessage Decode(byte[] data, TtlvDecoderOptions? options = null) =>
            FromTtlv(TtlvDecoder.Decode(data, options));

        public static ResponseMessage FromTtlv(TtlvItem message)
        {
            if (message == null)
                throw new ArgumentNullException(nameof(message));
            if (message.Tag != KmipTag.ResponseMessage || message.Type != TtlvType.Structure)
                throw new KmipDecodeException($"Expected a Response Message structure, got {TtlvItem.TagName(message.Tag)} ({message.Type}).");

            var header = message.Require(KmipTag.ResponseHeader);
            var version = KmipVersion.FromTtlv(header.Require(KmipTag.ProtocolVersion));
            var timeStamp = header.Require(KmipTag.TimeStamp).AsDateTime();
            var batchCount = header.Require(KmipTag.BatchCount).AsInteger();
            var items = message.FindAll(KmipTag.BatchItem).Select(ResponseBatchItem.FromTtlv).ToList();
            if (batchCount != items.Count)
                throw new KmipDecodeException($"Response header declares {batchCount} batch items but the message holds {items.Count}.");
            if (items.Count == 0)
                throw new KmipDecodeException("Response holds no batch item.");
            return new ResponseMessage(version, timeStamp, items);
        }

        /// <summary>
        /// Pairs each request item with its result and throws for the first failure. A server may stop
        /// after a failed item (Batch Error Continuation Option Stop), so later results can be missing.
        /// </summary>
        internal IReadOnlyList<ResponseBatchItem> MatchSuccessful(RequestMessage request)
        {
            // A lone item without operation is how servers reject a whole message (e.g. bad header).
            if (BatchItems.Count == 1 && !BatchItems[0].IsSuccess && request.BatchItems.Count > 1)
                BatchItems[0].EnsureSuccess();

            var results = new List<ResponseBatchItem>();
            for (var i = 0; i < request.BatchItems.Count; i++)
            {
                var requested = request.BatchItems[i];
                var response = request.BatchItems.Count == 1
                    ? (BatchItems.Count == 1 ? BatchItems[0] : null)
                    : BatchItems.FirstOrDefault(r => requested.IdEquals(r.RawId));
                if (response == null)
                    throw new KmipDecodeException($"The response has no result for batch item {i + 1} ({requested.Operation}).");
                response.EnsureSuccess();
                if (response.Operation.HasValue && response.Operation.Value != requested.Operation)
                    throw new KmipDecodeException($"The response answers {response.Operation.Value} where {requested.Operation} was requested.");
                results.Add(response);
            }
            return results;
        }
    }
}
