using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>Builds the request batch items (operation + Request Payload) of the operations this library supports.</summary>
    public static class KmipRequests
    {
        /// <summary>Discover Versions listing the versions the client offers (defaults to <see cref="KmipVersion.Supported"/>).</summary>
        public static RequestBatchItem DiscoverVersions(IEnumerable<KmipVersion>? offered = null) =>
            Item(KmipOperation.DiscoverVersions, (offered ?? KmipVersion.Supported).Select(v => v.ToTtlv()));

        public static RequestBatchItem Query(params KmipQueryFunction[] functions)
        {
            if (functions == null || functions.Length == 0)
                throw new ArgumentException("Query needs at least one query function.", nameof(functions));
            return Item(KmipOperation.Query, functions.Select(f => TtlvItem.Enumeration(KmipTag.QueryFunction, (uint)f)));
        }

        /// <summary>Locate objects whose Name attribute equals <paramref name="name"/>.</summary>
        public static RequestBatchItem LocateByName(string name, int? maximumItems = null)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A name is required.", nameof(name));
            var fields = new List<TtlvItem>();
            if (maximumItems.HasValue)
                fields.Add(TtlvItem.Integer(KmipTag.MaximumItems, maximumItems.Value));
            fields.Add(KmipAttribute.ForName(name).ToTtlv());
            return Item(KmipOperation.Locate, fields);
        }

        /// <summary>Locate with no attribute: every object the client may see, up to <paramref name="maximumItems"/> when given.</summary>
        public static RequestBatchItem LocateAll(int? maximumItems = null)
        {
            var fields = new List<TtlvItem>();
            if (maximumItems.HasValue)
            {
                if (maximumItems.Value < 1) throw new ArgumentOutOfRangeException(nameof(maximumItems), "Maximum Items must be positive.");
                fields.Add(TtlvItem.Integer(KmipTag.MaximumItems, maximumItems.Value));
            }
            return Item(KmipOperation.Locate, fields);
        }

        /// <summary>Get Attributes; null <paramref name="attributeNames"/> asks for <see cref="KmipAttributeNames.KeyInfo"/>.</summary>
        public static RequestBatchItem GetAttributes(string uniqueIdentifier, IEnumerable<string>? attributeNames = null)
        {
            var fields = new List<TtlvItem> { Uid(uniqueIdentifier) };
            fields.AddRange((attributeNames ?? KmipAttributeNames.KeyInfo).Select(n => TtlvItem.TextString(KmipTag.AttributeName, n)));
            return Item(KmipOperation.GetAttributes, fields);
        }

        public static RequestBatchItem Revoke(string uniqueIdentifier, KmipRevocationReasonCode reason, string? message = null,
            DateTimeOffset? compromiseOccurrenceDate = null)
        {
            var reasonFields = new List<TtlvItem> { TtlvItem.Enumeration(KmipTag.RevocationReasonCode, (uint)reason) };
            if (message != null)
                reasonFields.Add(TtlvItem.TextString(KmipTag.RevocationMessage, message));
            var fields = new List<TtlvItem> { Uid(uniqueIdentifier), TtlvItem.Structure(KmipTag.RevocationReason, reasonFields) };
            if (compromiseOccurrenceDate.HasValue)
                fields.Add(TtlvItem.DateTime(KmipTag.CompromiseOccurrenceDate, compromiseOccurrenceDate.Value));
            return Item(KmipOperation.Revoke, fields);
        }

        public static RequestBatchItem Destroy(string uniqueIdentifier) => Item(KmipOperation.Destroy, new[] { Uid(uniqueIdentifier) });

        public static RequestBatchItem Activate(string uniqueIdentifier) => Item(KmipOperation.Activate, new[] { Uid(uniqueIdentifier) });

        /// <summary>Create an AES key with a Name; attributes in the order PyKMIP's client sends them.</summary>
        public static RequestBatchItem CreateSymmetricKey(string name, int lengthInBits = 256,
            KmipCryptographicUsageMask usage = KmipCryptographicUsageMask.Encrypt | KmipCryptographicUsageMask.Decrypt)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A name is required.", nameof(name));
            var attributes = new[]
            {
                new KmipAttribute(KmipAttributeNames.CryptographicAlgorithm,
                    TtlvItem.Enumeration(KmipTag.AttributeValue, (uint)KmipCryptographicAlgorithm.Aes)),
                new KmipAttribute(KmipAttributeNames.CryptographicLength, TtlvItem.Integer(KmipTag.AttributeValue, lengthInBits)),
                new KmipAttribute(KmipAttributeNames.CryptographicUsageMask, TtlvItem.Integer(KmipTag.AttributeValue, (int)usage)),
                KmipAttribute.ForName(name),
            };
            return Item(KmipOperation.Create, new[]
            {
                TtlvItem.Enumeration(KmipTag.ObjectType, (uint)KmipObjectType.SymmetricKey),
                TtlvItem.Structure(KmipTag.TemplateAttribute, attributes.Select(a => a.ToTtlv())),
            });
        }

        private static TtlvItem Uid(string uniqueIdentifier)
        {
            if (string.IsNullOrEmpty(uniqueIdentifier))
                throw new ArgumentException("A unique identifier is required.", nameof(uniqueIdentifier));
            return TtlvItem.TextString(KmipTag.UniqueIdentifier, uniqueIdentifier);
        }

        private static RequestBatchItem Item(KmipOperation operation, IEnumerable<TtlvItem> payload) =>
            new RequestBatchItem(operation, TtlvItem.Structure(KmipTag.RequestPayload, payload));
    }
}
