using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Connects to the BackPak domain of a node through a provider and makes it the default for the session:
    /// -Provider &lt;name&gt; -Parameters @{...} for any provider (Get-BPProvider lists them), -Lab &lt;folder&gt; as the short
    /// form of the built-in lab's.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "BPDomain", DefaultParameterSetName = "Lab")]
    [OutputType(typeof(DomainConnection))]
    public sealed class ConnectBPDomainCommand : BPCmdlet
    {
        /// <summary>Folder of a lab made by New-BPLab.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Lab", ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string Lab { get; set; } = "";

        /// <summary>The provider to connect through (Get-BPProvider lists them).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Provider")]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Provider { get; set; } = "";

        /// <summary>NonStop node of the domain, e.g. '\A'.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Lab")]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Provider")]
        [ArgumentCompleter(typeof(ProviderNodeCompleter))]
        [ValidateNotNullOrEmpty]
        public string Node { get; set; } = "";

        /// <summary>The provider's own parameters, e.g. @{ Path = './lab' } for the lab.</summary>
        [Parameter(ParameterSetName = "Provider")]
        public Hashtable? Parameters { get; set; }

        /// <summary>A credential for a provider that signs in to its site (never written anywhere by the module).</summary>
        [Parameter(ParameterSetName = "Provider")]
        [Credential]
        public PSCredential? Credential { get; set; }

        protected override void ProcessBackPakRecord()
        {
            IBackPakProvider provider;
            Dictionary<string, object?> given;
            if (ParameterSetName == "Lab")
            {
                provider = ProviderRegistry.Find("Lab", this);
                given = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Path"] = FileSystemPath(Lab, nameof(Lab), ErrorIds.LabPathInvalid) };
            }
            else
            {
                provider = ProviderRegistry.Find(Provider, this);
                given = ProviderRules.Check(provider, (Parameters ?? new Hashtable()).Cast<DictionaryEntry>()
                    .ToDictionary(e => e.Key.ToString()!, e => (object?)(e.Value is PSObject p ? p.BaseObject : e.Value), StringComparer.OrdinalIgnoreCase));
                // Paths are resolved here, as PowerShell resolves them (the session's folder, ~, drives), so the provider gets full paths.
                foreach (var p in provider.Parameters.Where(x => x.IsPath && given.ContainsKey(x.Name)).ToList())
                    given[p.Name] = FileSystemPath(Convert.ToString(given[p.Name], System.Globalization.CultureInfo.InvariantCulture)!, p.Name, ErrorIds.ProviderParameterInvalid);
            }
            var domain = provider.Connect(new ProviderConnectRequest { Node = Node, Parameters = given, Credential = Credential?.GetNetworkCredential() });
            var connection = new DomainConnection(domain, DateTime.UtcNow);
            DomainSessions.Add(connection);
            // What the provider found on opening and could not put right (an interrupted import it could not
            // finish, an estate that does not agree with itself): said, never acted on, and the connection stands.
            if (domain is IDomainWarnings found)
                foreach (var w in found.OpenWarnings) WriteWarning(w);
            WriteVerbose($"Connected to domain {connection.DomainId} on {connection.Node} through the {connection.Provider} provider ({connection.Location}); it is now the default.");
            WriteObject(connection);
        }
    }
}
