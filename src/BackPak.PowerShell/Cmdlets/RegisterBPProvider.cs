using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Registers the provider a module holds, after checking it as SecretManagement checks a vault module: the module
    /// imports, holds exactly one provider type (or the one -Name names) with a parameterless constructor, whose name,
    /// domain type and parameters are valid. A module that fails any check is refused and nothing is registered.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "BPProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(RegisteredProvider))]
    public sealed class RegisterBPProviderCommand : BPCmdlet
    {
        /// <summary>Name of an installed module (Get-Module -ListAvailable) or path of its .psd1 or .dll.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string ModuleName { get; set; } = "";

        /// <summary>The provider to register when the module holds several (its Name).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord()
        {
            // A path (relative to the session's folder) or a module name.
            bool isFile = ModuleName.IndexOfAny(new[] { '/', '\\' }) >= 0 || ModuleName.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase) || ModuleName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
            string module = isFile ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(ModuleName) : ModuleName;
            if (isFile && !File.Exists(module))
                throw ProviderRegistry.Invalid(ModuleName, "there is no such file", "Give the path of the module's .psd1 or .dll, or the name of an installed module.");
            var info = ProviderRegistry.Import(module, this);
            var types = ProviderRegistry.ProvidersOf(info);
            if (types.Count == 0)
                throw ProviderRegistry.Invalid(info.Name, $"its module ({info.Path}) holds no provider: a public class implementing {typeof(IBackPakProvider).FullName} with a parameterless constructor",
                    "Check that the module's .psd1 names the provider's assembly (RootModule, NestedModules or RequiredAssemblies).");
            // A module may share an assembly with a built-in provider (the sample LabReadOnly shares the lab's): those are not its own.
            var builtIn = ProviderRegistry.BuiltInProviders().Select(p => p.Name).ToList();
            var providers = types.Select(t => ProviderRegistry.Create(t, info.Name)).Where(p => !builtIn.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            if (providers.Count == 0)
                throw ProviderRegistry.Invalid(info.Name, "its only provider is the built-in one", "Register a module that holds a provider of its own.");
            var chosen = Name == null ? providers : providers.Where(p => string.Equals(p.Name, Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (chosen.Count != 1)
                throw ProviderRegistry.Invalid(info.Name, Name == null
                        ? $"it holds {providers.Count} providers ({string.Join(", ", providers.Select(p => p.Name))})"
                        : $"it holds no provider named '{Name}' (it holds {string.Join(", ", providers.Select(p => p.Name))})",
                    "Say which with -Name.");
            var provider = chosen[0];
            if (ProviderRules.Problem(provider) is { } problem)
                throw ProviderRegistry.Invalid(info.Name, $"its provider {provider.GetType().FullName}: {problem}", "Ask the provider's author; nothing was registered.");
            var existing = ProviderRegistry.Registered().FirstOrDefault(e => string.Equals(e.Name, provider.Name, StringComparison.OrdinalIgnoreCase));
            if (existing != null && !string.Equals(existing.ModulePath, isFile ? module : info.Path, StringComparison.OrdinalIgnoreCase))
                throw ProviderRegistry.Invalid(info.Name, $"a provider named {provider.Name} is already registered from {existing.ModulePath}",
                    $"Unregister it first (Unregister-BPProvider {provider.Name}), or give this provider another name.");
            // The module as the operator named it when it is a file (its .psd1, not the assembly behind it), else as imported.
            string path = isFile ? module : info.Path;
            if (!ShouldProcess($"provider {provider.Name} from {path} (registry {ProviderRegistry.FilePath})", "Register BackPak provider")) return;
            var entry = new ProviderRegistry.Entry { Name = provider.Name, ModulePath = path, TypeName = provider.GetType().FullName!, Registered = DateTime.UtcNow };
            ProviderRegistry.Add(entry);
            WriteVerbose($"Registered provider {provider.Name} ({ProviderRules.CapabilitiesOf(provider.DomainType).Count} capabilities) from {path}.");
            if (PassThru) WriteObject(ProviderRegistry.Info(provider, info.Name, path, false, entry.Registered));
        }
    }
}
