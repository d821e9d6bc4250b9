using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Providers;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the providers: the built-in lab and the registered ones, each with what it offers and the parameters it takes.</summary>
    [Cmdlet(VerbsCommon.Get, "BPProvider")]
    [OutputType(typeof(RegisteredProvider))]
    public sealed class GetBPProviderCommand : BPCmdlet
    {
        /// <summary>Names or wildcards of providers.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Selection]
        public string[]? Name { get; set; }

        protected override void ProcessBackPakRecord()
        {
            string modulePath = MyInvocation.MyCommand.Module?.Path ?? typeof(GetBPProviderCommand).Assembly.Location;
            var all = ProviderRegistry.BuiltInProviders().Select(p => ProviderRegistry.Info(p, "BackPak", modulePath, true, null)).ToList();
            foreach (var e in ProviderRegistry.Registered())
            {
                try { all.Add(ProviderRegistry.Info(ProviderRegistry.Find(e.Name, this), System.IO.Path.GetFileNameWithoutExtension(e.ModulePath), e.ModulePath, false, e.Registered)); }
                catch (BackPakException x)
                {
                    // A provider whose module cannot be loaded now is still listed, saying why, so it can be unregistered.
                    WriteBackPakError(new BackPakException(x.ErrorId, x.Category, x.Message, x.Target, x.RecommendedAction));
                    all.Add(new RegisteredProvider { Name = e.Name, ModuleName = System.IO.Path.GetFileNameWithoutExtension(e.ModulePath), ModulePath = e.ModulePath, TypeName = e.TypeName, Description = "cannot be loaded: " + x.Message, Registered = e.Registered });
                }
            }
            WriteNamed(all, Name, p => p.Name, n => n, n =>
            {
                var e = ProviderRegistry.NotFound(n);
                return new BackPakException(e.ErrorId, e.Category, e.Message, e.Target, e.RecommendedAction); // one name not found: the others still listed
            });
        }
    }
}
