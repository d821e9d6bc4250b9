using System;
using System.Collections.Generic;
using BackPak.Kmip.Ttlv;

namespace BackPak.Kmip
{
    /// <summary>KMIP 1.x attribute names (attributes are identified by text in 1.x).</summary>
    public static class KmipAttributeNames
    {
        public const string UniqueIdentifier = "Unique Identifier";
        public const string Name = "Name";
        public const string ObjectType = "Object Type";
        public const string CryptographicAlgorithm = "Cryptographic Algorithm";
        public const string CryptographicLength = "Cryptographic Length";
        public const string CryptographicUsageMask = "Cryptographic Usage Mask";
        public const string State = "State";
        public const string InitialDate = "Initial Date";
        public const string ActivationDate = "Activation Date";
        public const string DeactivationDate = "Deactivation Date";
        public const string DestroyDate = "Destroy Date";

        /// <summary>What <see cref="KmipClient.GetAttributes(string)"/> asks for by default.</summary>
        public static IReadOnlyList<string> KeyInfo { get; } = Array.AsReadOnly(new[]
        {
            UniqueIdentifier, ObjectType, Name, State, CryptographicAlgorithm, CryptographicLength,
            InitialDate, ActivationDate, DeactivationDate, DestroyDate,
        });
    }

    /// <summary>A KMIP 1.x Attribute structure: name, optional index, value.</summary>
    public sealed class KmipAttribute
    {
        public KmipAttribute(string name, TtlvItem value, int? index = null)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Value = value ?? throw new ArgumentNullException(nameof(value));
            if (value.Tag != KmipTag.AttributeValue)
                throw new ArgumentException("An attribute value must carry the Attribute Value tag.", nameof(value));
            Index = index;
        }

        public string Name { get; }
        public int? Index { get; }

        /// <summary>The Attribute Value item; its type depends on the attribute.</summary>
        public TtlvItem Value { get; }

        /// <summary>The Name attribute: a structure of Name Value and Name Type.</summary>
        public static KmipAttribute ForName(string name, KmipNameType type = KmipNameType.UninterpretedTextString) =>
            new KmipAttribute(KmipAttributeNames.Name, TtlvItem.Structure(KmipTag.AttributeValue,
                TtlvItem.TextString(KmipTag.NameValue, name ?? throw new ArgumentNullException(nameof(name))),
                TtlvItem.Enumeration(KmipTag.NameType, (uint)type)));

        public TtlvItem ToTtlv()
        {
            var name = TtlvItem.TextString(KmipTag.AttributeName, Name);
            return Index.HasValue
                ? TtlvItem.Structure(KmipTag.Attribute, name, TtlvItem.Integer(KmipTag.AttributeIndex, Index.Value), Value)
                : TtlvItem.Structure(KmipTag.Attribute, name, Value);
        }

        public static KmipAttribute FromTtlv(TtlvItem item)
        {
            if (item.Type != TtlvType.Structure)
                throw new KmipDecodeException("Attribute is not a structure.");
            var index = item.Find(KmipTag.AttributeIndex);
            return new KmipAttribute(
                item.Require(KmipTag.AttributeName).AsTextString(),
                item.Require(KmipTag.AttributeValue),
                index?.AsInteger());
        }
    }
}
