using System.Collections.Generic;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// A provider that can tell, before any domain is connected, which nodes its parameters reach (the nodes of a lab
    /// folder), so that -Node can be completed. Optional, on the provider (not the domain); read for completion only.
    /// </summary>
    public interface IProviderNodes
    {
        /// <summary>The nodes reached with these provider parameters; empty when they name none.</summary>
        IReadOnlyList<string> ListNodes(IReadOnlyDictionary<string, object?> parameters);
    }
}
