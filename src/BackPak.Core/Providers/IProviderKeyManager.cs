using BackPak.Core.Keys;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// A provider that holds the keys of its sites itself (the lab's key store) and so can open the key manager a
    /// node's domain reaches without a KMIP server: Connect-BPKeyManager -Lab. Optional, on the provider.
    /// </summary>
    public interface IProviderKeyManager
    {
        /// <summary>
        /// Opens the key manager of the node named by the request, with the Key Manager id the node's domain knows it by
        /// (null when the domain defines none).
        /// </summary>
        IKeyManager OpenKeyManager(ProviderConnectRequest request, out string? backPakId);
    }
}
