using System;

namespace BackPak.Kmip
{
    // Values are the KMIP 1.x Enumeration numbers. Values a server sends that are not
    // listed here are kept as the raw number inside the enum (e.g. (KmipResultReason)0x8000_0001).

    public enum KmipOperation : uint
    {
        Create = 0x01,
        CreateKeyPair = 0x02,
        Register = 0x03,
        ReKey = 0x04,
        DeriveKey = 0x05,
        Certify = 0x06,
        ReCertify = 0x07,
        Locate = 0x08,
        Check = 0x09,
        Get = 0x0A,
        GetAttributes = 0x0B,
        GetAttributeList = 0x0C,
        AddAttribute = 0x0D,
        ModifyAttribute = 0x0E,
        DeleteAttribute = 0x0F,
        ObtainLease = 0x10,
        GetUsageAllocation = 0x11,
        Activate = 0x12,
        Revoke = 0x13,
        Destroy = 0x14,
        Archive = 0x15,
        Recover = 0x16,
        Validate = 0x17,
        Query = 0x18,
        Cancel = 0x19,
        Poll = 0x1A,
        Notify = 0x1B,
        Put = 0x1C,
        ReKeyKeyPair = 0x1D,
        DiscoverVersions = 0x1E,
        Encrypt = 0x1F,
        Decrypt = 0x20,
        Sign = 0x21,
        SignatureVerify = 0x22,
        Mac = 0x23,
        MacVerify = 0x24,
        RngRetrieve = 0x25,
        RngSeed = 0x26,
        Hash = 0x27,
        CreateSplitKey = 0x28,
        JoinSplitKey = 0x29,
    }

    public enum KmipResultStatus : uint
    {
        Success = 0x00,
        OperationFailed = 0x01,
        OperationPending = 0x02,
        OperationUndone = 0x03,
    }

    public enum KmipResultReason : uint
    {
        ItemNotFound = 0x01,
        ResponseTooLarge = 0x02,
        AuthenticationNotSuccessful = 0x03,
        InvalidMessage = 0x04,
        OperationNotSupported = 0x05,
        MissingData = 0x06,
        InvalidField = 0x07,
        FeatureNotSupported = 0x08,
        OperationCanceledByRequester = 0x09,
        CryptographicFailure = 0x0A,
        IllegalOperation = 0x0B,
        PermissionDenied = 0x0C,
        ObjectArchived = 0x0D,
        IndexOutOfBounds = 0x0E,
        ApplicationNamespaceNotSupported = 0x0F,
        KeyFormatTypeNotSupported = 0x10,
        KeyCompressionTypeNotSupported = 0x11,
        EncodingOptionError = 0x12,
        KeyValueNotPresent = 0x13,
        AttestationRequired = 0x14,
        AttestationFailed = 0x15,
        Sensitive = 0x16,
        NotExtractable = 0x17,
        ObjectAlreadyExists = 0x18,
        GeneralFailure = 0x100,
    }

    public enum KmipObjectType : uint
    {
        Certificate = 0x01,
        SymmetricKey = 0x02,
        PublicKey = 0x03,
        PrivateKey = 0x04,
        SplitKey = 0x05,
        Template = 0x06,
        SecretData = 0x07,
        OpaqueObject = 0x08,
        PgpKey = 0x09,
    }

    /// <summary>Object state. <see cref="Unknown"/> stands for a value outside KMIP 1.x; the raw number is kept separately.</summary>
    public enum KmipState : uint
    {
        Unknown = 0x00,
        PreActive = 0x01,
        Active = 0x02,
        Deactivated = 0x03,
        Compromised = 0x04,
        Destroyed = 0x05,
        DestroyedCompromised = 0x06,
    }

    public enum KmipRevocationReasonCode : uint
    {
        Unspecified = 0x01,
        KeyCompromise = 0x02,
        CACompromise = 0x03,
        AffiliationChanged = 0x04,
        Superseded = 0x05,
        CessationOfOperation = 0x06,
        PrivilegeWithdrawn = 0x07,
    }

    public enum KmipNameType : uint
    {
        UninterpretedTextString = 0x01,
        Uri = 0x02,
    }

    public enum KmipQueryFunction : uint
    {
        QueryOperations = 0x01,
        QueryObjects = 0x02,
        QueryServerInformation = 0x03,
        QueryApplicationNamespaces = 0x04,
        QueryExtensionList = 0x05,
        QueryExtensionMap = 0x06,
    }

    public enum KmipCryptographicAlgorithm : uint
    {
        Des = 0x01,
        TripleDes = 0x02,
        Aes = 0x03,
        Rsa = 0x04,
        Dsa = 0x05,
        Ecdsa = 0x06,
        HmacSha1 = 0x07,
        HmacSha224 = 0x08,
        HmacSha256 = 0x09,
        HmacSha384 = 0x0A,
        HmacSha512 = 0x0B,
        HmacMd5 = 0x0C,
        Dh = 0x0D,
        Ecdh = 0x0E,
        Ecmqv = 0x0F,
        Blowfish = 0x10,
        Camellia = 0x11,
        Cast5 = 0x12,
        Idea = 0x13,
        Mars = 0x14,
        Rc2 = 0x15,
        Rc4 = 0x16,
        Rc5 = 0x17,
        Skipjack = 0x18,
        Twofish = 0x19,
    }

    public enum KmipBatchErrorContinuationOption : uint
    {
        Continue = 0x01,
        Stop = 0x02,
        Undo = 0x03,
    }

    /// <summary>Cryptographic Usage Mask bits (an Integer, not an Enumeration, in TTLV).</summary>
    [Flags]
    public enum KmipCryptographicUsageMask
    {
        None = 0,
        Sign = 0x01,
        Verify = 0x02,
        Encrypt = 0x04,
        Decrypt = 0x08,
        WrapKey = 0x10,
        UnwrapKey = 0x20,
        Export = 0x40,
        MacGenerate = 0x80,
        MacVerify = 0x100,
        DeriveKey = 0x200,
        ContentCommitment = 0x400,
        KeyAgreement = 0x800,
        CertificateSign = 0x1000,
        CrlSign = 0x2000,
        GenerateCryptogram = 0x4000,
        ValidateCryptogram = 0x8000,
        TranslateEncrypt = 0x10000,
        TranslateDecrypt = 0x20000,
        TranslateWrap = 0x40000,
        TranslateUnwrap = 0x80000,
    }
}
