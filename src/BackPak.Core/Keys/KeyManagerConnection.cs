using System;

namespace BackPak.Core.Keys
{
    /// <summary>A connection to a key manager: what Connect-BPKeyManager returns and -KeyManager takes.</summary>
    public sealed class KeyManagerConnection
    {
        public KeyManagerConnection(IKeyManager keyManager, string? backPakId, DateTime connectedAt)
        {
            KeyManager = keyManager ?? throw new ArgumentNullException(nameof(keyManager));
            BackPakId = backPakId;
            ConnectedAt = connectedAt;
        }

        public string Endpoint => KeyManager.Endpoint;
        /// <summary>The Key Manager id BackPak knows this key server by (the same on both sides of a replicated store, R15).</summary>
        public string? BackPakId { get; }
        public string Provider => KeyManager.Provider;
        public string? ProtocolVersion => KeyManager.ProtocolVersion;
        public DateTime ConnectedAt { get; }
        /// <summary>Whether key cmdlets use this connection when -KeyManager is not given.</summary>
        public bool IsDefault { get; set; }
        public bool IsOpen { get; private set; } = true;

        /// <summary>The implementation behind the connection.</summary>
        public IKeyManager KeyManager { get; }

        public void Close()
        {
            if (!IsOpen) return;
            IsOpen = false;
            IsDefault = false;
            KeyManager.Dispose();
        }

        public override string ToString() => Endpoint + " (" + Provider + (BackPakId != null ? ", " + BackPakId : "") + ")";
    }
}
