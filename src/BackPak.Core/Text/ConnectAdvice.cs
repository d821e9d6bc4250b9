using System;

namespace BackPak.Core.Text
{
    /// <summary>
    /// How advice tells the operator to connect a domain: in the form its provider is connected with. The short form
    /// (<c>Connect-BPDomain -Lab &lt;folder&gt;</c>) is for the provider it stands for; any other provider is connected with
    /// <c>Connect-BPDomain -Provider &lt;name&gt; -Node &lt;node&gt;</c> and that provider's own parameters.
    /// </summary>
    public static class ConnectAdvice
    {
        /// <summary>The provider that Connect-BPDomain's short form (-Lab &lt;folder&gt;) connects through.</summary>
        public const string ShortFormProvider = "Lab";

        /// <param name="provider">The provider of the domain to connect (null: not known, the short form is shown).</param>
        /// <param name="location">Where that provider reaches the domain (a folder for the short form), or null when not known.</param>
        public static string Command(string? provider, string? location, string node) =>
            provider == null && location == null
                // Nothing says which: both forms, so an operator of a real site is not sent to the lab.
                ? $"Connect-BPDomain -Lab <folder> -Node '{node}' for a lab, or Connect-BPDomain -Provider <name> -Node '{node}' -Parameters @{{...}} for a real site (Get-BPProvider lists the providers)"
            : provider == null || string.Equals(provider, ShortFormProvider, StringComparison.OrdinalIgnoreCase)
                ? $"Connect-BPDomain -Lab {(location != null ? "'" + location + "'" : "<folder>")} -Node '{node}'"
                : $"Connect-BPDomain -Provider {provider} -Node '{node}'" + (location != null ? $" with the -Parameters that reach {location}" : " with its -Parameters");
    }
}
