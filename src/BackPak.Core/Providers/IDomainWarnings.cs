using System.Collections.Generic;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// What a provider found when it opened a domain that the operator must hear of before working on it: a recovery
    /// it could not finish, an estate that does not agree with itself. Connect-BPDomain writes each as a warning and
    /// acts on none. Optional: a provider with nothing to report does not implement it.
    /// </summary>
    public interface IDomainWarnings
    {
        /// <summary>One operator-facing sentence each, naming the place and the way out.</summary>
        IReadOnlyList<string> OpenWarnings { get; }
    }
}
