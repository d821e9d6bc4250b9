using BackPak.Core.Model;
using BackPak.Core.Sync;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Changing a data store's settings (domain access, status, export and import settings). Which values are valid is
    /// Core's: the provider checks a change with Core's rules before it writes anything.
    /// </summary>
    public interface IDataStoreSettings
    {
        /// <summary>Changes data store settings and returns the store as it is now.</summary>
        DataStore SetDataStore(string name, DataStoreSettings settings, string user);
    }
}
