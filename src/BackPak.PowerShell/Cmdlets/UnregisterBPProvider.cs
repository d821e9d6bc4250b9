using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Removes a provider from the registry. Connections already open through it stay open; new ones are refused.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "BPProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RegisteredProvider))]
    public sealed class UnregisterBPProviderCommand : BPCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "";

        /// <summary>Returns the provider as it was registered.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (ProviderRegistry.BuiltInProviders().Any(p => string.Equals(p.Name, Name, StringComparison.OrdinalIgnoreCase)))
                throw ProviderRegistry.Invalid(Name, "it is built into the module and cannot be unregistered", "Unregister only providers registered with Register-BPProvider.");
            var e = ProviderRegistry.Registered().FirstOrDefault(x => string.Equals(x.Name, Name, StringComparison.OrdinalIgnoreCase)) ?? throw ProviderRegistry.NotFound(Name);
            if (!ShouldProcess($"provider {e.Name} from {e.ModulePath}", "Unregister BackPak provider")) return;
            ProviderRegistry.Remove(e.Name);
            WriteVerbose($"Unregistered provider {e.Name}.");
            if (PassThru)
                WriteObject(new RegisteredProvider { Name = e.Name, ModuleName = System.IO.Path.GetFileNameWithoutExtension(e.ModulePath), ModulePath = e.ModulePath, TypeName = e.TypeName, Registered = e.Registered });
        }
    }
}
