using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>Parses the Response Payloads of the operations this library supports.</summary>
    public static class KmipResponses
    {
        public static IReadOnlyList<KmipVersion> DiscoverVersions(TtlvItem payload) =>
            Check(payload).FindAll(KmipTag.ProtocolVersion).Select(KmipVersion.FromTtlv).ToList();

        public static KmipQueryResult Query(TtlvItem payload)
        {
            Check(payload);
            return new KmipQueryResult(
                payload.FindAll(KmipTag.Operation).Select(i => (KmipOperation)i.AsEnumeration()).ToList(),
                payload.FindAll(KmipTag.ObjectType).Select(i => (KmipObjectType)i.AsEnumeration()).ToList(),
                payload.Find(KmipTag.VendorIdentification)?.AsTextString());
        }

        public static IReadOnlyList<string> Locate(TtlvItem payload) =>
            Check(payload).FindAll(KmipTag.UniqueIdentifier).Select(i => i.AsTextString()).ToList();

        /// <summary>The Unique Identifier that Create, Activate, Revoke and Destroy echo back.</summary>
        public static string UniqueIdentifier(TtlvItem payload) =>
            Check(payload).Require(KmipTag.UniqueIdentifier).AsTextString();

        public static KmipKeyInfo GetAttributes(TtlvItem payload)
        {
            Check(payload);
            var attributes = payload.FindAll(KmipTag.Attribute).Select(KmipAttribute.FromTtlv).ToList();
            var info = new KmipKeyInfo(payload.Require(KmipTag.UniqueIdentifier).AsTextString(), attributes);
            var names = new List<string>();
            foreach (var attribute in attributes)
            {
                var value = attribute.Value;
                switch (attribute.Name)
                {
                    case KmipAttributeNames.Name:
                        names.Add(value.Require(KmipTag.NameValue).AsTextString());
                        break;
                    case KmipAttributeNames.ObjectType:
                        info.ObjectType = (KmipObjectType)value.AsEnumeration();
                        break;
                    case KmipAttributeNames.State:
                        var raw = value.AsEnumeration();
                        info.RawState = raw;
                        info.State = raw != 0 && Enum.IsDefined(typeof(KmipState), raw) ? (KmipState)raw : KmipState.Unknown;
                        break;
                    case KmipAttributeNames.CryptographicAlgorithm:
                        info.CryptographicAlgorithm = (KmipCryptographicAlgorithm)value.AsEnumeration();
                        break;
                    case KmipAttributeNames.CryptographicLength:
                        info.CryptographicLength = value.AsInteger();
                        break;
                    case KmipAttributeNames.InitialDate:
                        info.InitialDate = value.AsDateTime();
                        break;
                    case KmipAttributeNames.ActivationDate:
                        info.ActivationDate = value.AsDateTime();
                        break;
                    case KmipAttributeNames.DeactivationDate:
                        info.DeactivationDate = value.AsDateTime();
                        break;
                    case KmipAttributeNames.DestroyDate:
                        info.DestroyDate = value.AsDateTime();
                        break;
                }
            }
            info.Names = names;
            return info;
        }

        private static TtlvItem Check(TtlvItem payload)
        {
            if (payload == null)
                throw new ArgumentNullException(nameof(payload));
            if (payload.Tag != KmipTag.ResponsePayload || payload.Type != TtlvType.Structure)
                throw new KmipDecodeException($"Expected a Response Payload structure, got {TtlvItem.TagName(payload.Tag)} ({payload.Type}).");
            return payload;
        }
    }
}
