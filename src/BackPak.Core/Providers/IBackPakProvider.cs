using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// A provider: what opens the domains of one kind of site (the lab, a NonStop site over SSH). It lives in a .NET
    /// assembly of its own PowerShell module, is registered with Register-BPProvider -ModuleName (checked then, as
    /// SecretManagement checks a vault module), and is used by Connect-BPDomain -Provider &lt;name&gt; with its own parameters.
    /// A provider type has a public parameterless constructor.
    /// </summary>
    public interface IBackPakProvider
    {
        /// <summary>The provider's name, as Connect-BPDomain -Provider takes it: letters and digits, the first a letter.</summary>
        string Name { get; }
        /// <summary>One line for Get-BPProvider: what kind of site it reaches.</summary>
        string Description { get; }
        /// <summary>The parameters Connect-BPDomain -Parameters takes for it (besides -Node and -Credential).</summary>
        IReadOnlyList<ProviderParameter> Parameters { get; }
        /// <summary>The type of its domains: the capability contracts it implements are what the provider offers.</summary>
        Type DomainType { get; }
        /// <summary>Opens the domain of a node. Errors are BackPak errors with their ErrorIds.</summary>
        IDomainReader Connect(ProviderConnectRequest request);
    }

    /// <summary>One parameter a provider takes at connection.</summary>
    public sealed class ProviderParameter
    {
        public string Name { get; init; } = "";
        public Type Type { get; init; } = typeof(string);
        public bool Mandatory { get; init; }
        public string Description { get; init; } = "";
        /// <summary>A file system path: the module resolves it against the session's current folder first.</summary>
        public bool IsPath { get; init; }
        public override string ToString() => (Mandatory ? "" : "[") + Name + " <" + Type.Name + ">" + (Mandatory ? "" : "]");
    }

    /// <summary>What Connect-BPDomain gives a provider: the node, the provider's own parameters (checked against its list), a credential.</summary>
    public sealed class ProviderConnectRequest
    {
        public string Node { get; init; } = "";
        public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();
        public NetworkCredential? Credential { get; init; }

        /// <summary>A parameter's value, or null when it was not given.</summary>
        public object? Get(string name) =>
            Parameters.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>What Get-BPProvider shows of a provider: where it comes from and what it offers.</summary>
    public sealed class RegisteredProvider
    {
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        /// <summary>The module it was registered from (BackPak for the built-in lab).</summary>
        public string ModuleName { get; init; } = "";
        public string ModulePath { get; init; } = "";
        public string TypeName { get; init; } = "";
        public bool BuiltIn { get; init; }
        /// <summary>The capabilities its domains offer, in the operator's words (reading always first).</summary>
        public IReadOnlyList<string> Capabilities { get; init; } = new string[0];
        public IReadOnlyList<ProviderParameter> Parameters { get; init; } = new ProviderParameter[0];
        public DateTime? Registered { get; init; }
        public override string ToString() => Name;
    }
}
