using System;

namespace BackPak.Kmip
{
    /// <summary>Base type of every error this library raises. Messages never contain key material or secrets.</summary>
    public class KmipException : Exception
    {
        public KmipException(string message) : base(message) { }
        public KmipException(string message, Exception? inner) : base(message, inner) { }
    }

    /// <summary>Bytes received are not a well-formed KMIP TTLV message (or not the message expected).</summary>
    public class KmipDecodeException : KmipException
    {
        public KmipDecodeException(string message) : base(message) { }
        public KmipDecodeException(string message, Exception? inner) : base(message, inner) { }
    }

    /// <summary>A message declares a size above the configured maximum; it was not read.</summary>
    public class KmipMessageTooLargeException : KmipException
    {
        public KmipMessageTooLargeException(long declaredSize, int maximumSize)
            : base($"KMIP message of {declaredSize} bytes exceeds the maximum message size of {maximumSize} bytes.")
        {
            DeclaredSize = declaredSize;
            MaximumSize = maximumSize;
        }

        public long DeclaredSize { get; }
        public int MaximumSize { get; }
    }

    /// <summary>The TCP connection could not be made, broke, or was closed.</summary>
    public class KmipConnectionException : KmipException
    {
        public KmipConnectionException(string message) : base(message) { }
        public KmipConnectionException(string message, Exception? inner) : base(message, inner) { }
    }

    /// <summary>Connecting, sending or receiving took longer than the configured timeout.</summary>
    public class KmipTimeoutException : KmipConnectionException
    {
        public KmipTimeoutException(string message) : base(message) { }
        public KmipTimeoutException(string message, Exception? inner) : base(message, inner) { }
    }

    public enum KmipAuthenticationFailure
    {
        /// <summary>The TLS handshake failed, e.g. the server rejected (or required) the client certificate.</summary>
        HandshakeFailed,
        /// <summary>The server certificate does not chain to the trusted root given in the options.</summary>
        ServerCertificateUntrusted,
        /// <summary>The server certificate is not issued to the expected server name.</summary>
        ServerNameMismatch,
        /// <summary>The server presented no certificate.</summary>
        ServerCertificateMissing,
        /// <summary>The client certificate could not be loaded or has no private key.</summary>
        ClientCertificateInvalid,
        /// <summary>The TLS session was set up but the server answered Authentication Not Successful.</summary>
        ClientRejected,
    }

    /// <summary>TLS authentication failed in either direction.</summary>
    public class KmipAuthenticationException : KmipException
    {
        public KmipAuthenticationException(KmipAuthenticationFailure failure, string message, Exception? inner = null)
            : base(message, inner)
        {
            Failure = failure;
        }

        public KmipAuthenticationFailure Failure { get; }
    }

    /// <summary>The server answered a batch item with a result status other than Success.</summary>
    public class KmipOperationException : KmipException
    {
        public KmipOperationException(KmipOperation? operation, KmipResultStatus resultStatus, KmipResultReason? resultReason, string? resultMessage)
            : base(Describe(operation, resultStatus, resultReason, resultMessage))
        {
            Operation = operation;
            ResultStatus = resultStatus;
            ResultReason = resultReason;
            ResultMessage = resultMessage;
        }

        /// <summary>The operation echoed by the server; null when the server rejected the whole message.</summary>
        public KmipOperation? Operation { get; }
        public KmipResultStatus ResultStatus { get; }
        /// <summary>Result reason; values unknown to this library keep their raw number.</summary>
        public KmipResultReason? ResultReason { get; }
        public string? ResultMessage { get; }

        private static string Describe(KmipOperation? operation, KmipResultStatus status, KmipResultReason? reason, string? message)
        {
            var text = $"KMIP {(operation.HasValue ? operation.Value.ToString() : "request")} failed: {status}";
            if (reason.HasValue)
                text += $" ({reason.Value})";
            if (!string.IsNullOrEmpty(message))
                text += ": " + message;
            return text;
        }
    }
}
