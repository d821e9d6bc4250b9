using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using BackPak.Core.Errors;
using BackPak.Core.Providers;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The providers the module knows: the built-in lab, and those registered with Register-BPProvider, kept per user in a
    /// small file (as SecretManagement keeps its vault registry): name, module path, provider type. A registered provider's
    /// module is imported when it is first used; nothing of it is trusted before Register-BPProvider has checked it.
    /// </summary>
    internal static class ProviderRegistry
    {
        /// <summary>The built-in providers, by assembly and type name: the lab is one provider among others, not a type the cmdlets name.</summary>
        private static readonly (string Assembly, string Type)[] BuiltIn = { ("BackPak.Lab", "BackPak.Lab.LabProvider"), ("BackPak.NonStop", "BackPak.NonStop.Provider.NonStopProvider") };

        /// <summary>Overrides where the registry is kept (tests, or a shared file for a team of operators).</summary>
        public const string PathVariable = "BACKPAK_PROVIDER_REGISTRY";

        internal sealed class Entry
        {
            public string Name = "";
            public string ModulePath = "";
            public string TypeName = "";
            public DateTime Registered;
        }

        public static string FilePath =>
            Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } p ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "BackPak", "providers.tsv");

        public static IReadOnlyList<IBackPakProvider> BuiltInProviders()
        {
            var list = new List<IBackPakProvider>();
            foreach (var (assembly, type) in BuiltIn)
            {
                // The module's own assemblies are loaded beside it (RequiredAssemblies): found there first, else loaded by name.
                var a = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(x => x.GetName().Name == assembly);
                try { a ??= Assembly.Load(new AssemblyName(assembly)); }
                catch (IOException) { continue; }
                if (a.GetType(type, throwOnError: false) is { } t) list.Add((IBackPakProvider)Activator.CreateInstance(t)!);
            }
            return list;
        }

        public static IReadOnlyList<Entry> Registered()
        {
            var path = FilePath;
            if (!File.Exists(path)) return new Entry[0];
            var list = new List<Entry>();
            foreach (var line in File.ReadAllLines(path))
            {
                var f = line.Split('\t');
                if (f.Length < 4 || line.StartsWith("#", StringComparison.Ordinal)) continue;
                list.Add(new Entry
                {
                    Name = f[0], ModulePath = f[1], TypeName = f[2],
                    Registered = DateTime.TryParse(f[3], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : DateTime.MinValue,
                });
            }
            return list;
        }

        private static void Save(IReadOnlyList<Entry> entries)
        {
            var path = FilePath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllLines(tmp, new[] { "# BackPak providers registered with Register-BPProvider: name, module, provider type, registered (UTC)" }
                .Concat(entries.Select(e => string.Join("\t", e.Name, e.ModulePath, e.TypeName, e.Registered.ToString("o", CultureInfo.InvariantCulture)))));
            // Replaced whole, never half written.
            if (File.Exists(path)) File.Replace(tmp, path, null); else File.Move(tmp, path);
        }

        public static void Add(Entry e)
        {
            var all = Registered().Where(x => !string.Equals(x.Name, e.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            all.Add(e);
            Save(all);
        }

        public static void Remove(string name) => Save(Registered().Where(x => !string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)).ToList());

        /// <summary>The provider of a name: built-in, or registered (its module imported now if it is not yet).</summary>
        public static IBackPakProvider Find(string name, PSCmdlet cmdlet)
        {
            var builtIn = BuiltInProviders().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (builtIn != null) return builtIn;
            var e = Registered().FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw NotFound(name);
            var found = ProvidersOf(Import(e.ModulePath, cmdlet)).FirstOrDefault(t => t.FullName == e.TypeName)
                ?? throw Invalid(e.Name, $"its module {e.ModulePath} no longer holds the provider type {e.TypeName}", "Register it again: Register-BPProvider -ModuleName <module>.");
            return Create(found, e.Name);
        }

        /// <summary>Imports a module (by name or path) into the session and returns it.</summary>
        public static PSModuleInfo Import(string module, PSCmdlet cmdlet)
        {
            try
            {
                var result = cmdlet.InvokeCommand.InvokeScript("param($m) Import-Module -Name $m -PassThru -Global -ErrorAction Stop", false, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, module);
                return result.Select(o => o.BaseObject).OfType<PSModuleInfo>().LastOrDefault()
                    ?? throw Invalid(module, "it is not a module that can be imported", "Give the name or path of a PowerShell module (a .psd1 or a .dll).");
            }
            catch (RuntimeException e) when (!(e is PipelineStoppedException))
            {
                throw Invalid(module, "it cannot be imported (" + e.Message + ")", "Give the name of an installed module (Get-Module -ListAvailable) or the path of its .psd1.");
            }
        }

        /// <summary>The provider types a module's assemblies hold: public, concrete, with a parameterless constructor.</summary>
        public static IReadOnlyList<Type> ProvidersOf(PSModuleInfo module)
        {
            var assemblies = new List<Assembly>();
            void Add(PSModuleInfo m)
            {
                if (m.ImplementingAssembly != null) assemblies.Add(m.ImplementingAssembly);
                foreach (var n in m.NestedModules) Add(n);
            }
            Add(module);
            // Required assemblies of the module, loaded by its import, found by their file in the module's folder.
            string baseDir = Path.GetFullPath(module.ModuleBase);
            foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
            {
                string loc;
                try { loc = a.IsDynamic ? "" : a.Location; } catch (NotSupportedException) { continue; }
                if (loc.Length > 0 && module.RequiredAssemblies.Any(r => string.Equals(Path.GetFileNameWithoutExtension(r), a.GetName().Name, StringComparison.OrdinalIgnoreCase))
                    && Path.GetFullPath(loc).StartsWith(baseDir, StringComparison.OrdinalIgnoreCase))
                    assemblies.Add(a);
            }
            return assemblies.Distinct().SelectMany(Types)
                .Where(t => t.IsPublic && !t.IsAbstract && typeof(IBackPakProvider).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
                .Distinct().ToList();
        }

        private static IEnumerable<Type> Types(Assembly a)
        {
            try { return a.GetTypes(); }
            catch (ReflectionTypeLoadException e) { return e.Types.Where(t => t != null)!; }
        }

        public static IBackPakProvider Create(Type t, string what)
        {
            try { return (IBackPakProvider)Activator.CreateInstance(t)!; }
            catch (TargetInvocationException e)
            {
                throw Invalid(what, $"its provider type {t.FullName} failed to start ({e.InnerException?.Message ?? e.Message})", "Ask the provider's author; nothing was registered or connected.");
            }
        }

        public static RegisteredProvider Info(IBackPakProvider p, string moduleName, string modulePath, bool builtIn, DateTime? registered) => new RegisteredProvider
        {
            Name = p.Name, Description = p.Description, ModuleName = moduleName, ModulePath = modulePath, TypeName = p.GetType().FullName ?? "",
            BuiltIn = builtIn, Capabilities = ProviderRules.CapabilitiesOf(p.DomainType), Parameters = p.Parameters, Registered = registered,
        };

        public static BackPakException NotFound(string name) => new BackPakException(ErrorIds.ProviderNotFound, BackPakErrorCategory.ObjectNotFound,
            $"No provider named '{name}' is registered; the providers are {string.Join(", ", BuiltInProviders().Select(p => p.Name).Concat(Registered().Select(e => e.Name)))}.", name,
            "Get-BPProvider lists them; register a provider's module with Register-BPProvider -ModuleName <module>.", stopsInvocation: true);

        public static BackPakException Invalid(string what, string why, string action) => new BackPakException(ErrorIds.ProviderInvalid, BackPakErrorCategory.InvalidArgument,
            $"{what} cannot be used as a BackPak provider: {why}. Nothing was registered or connected.", what, action, stopsInvocation: true);
    }
}
