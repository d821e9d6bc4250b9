using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// What a provider must be to be registered (checked once, at Register-BPProvider, so that a broken module is refused
    /// then and not at the first connection), and how a connection's parameters are checked against its list.
    /// </summary>
    public static class ProviderRules
    {
        /// <summary>Why this provider cannot be registered, or null.</summary>
        public static string? Problem(IBackPakProvider p)
        {
            string name = p.Name ?? "";
            if (name.Length == 0 || name.Length > 32 || !char.IsLetter(name[0]) || !name.All(c => c < 128 && char.IsLetterOrDigit(c)))
                return $"its Name '{name}' is not 1 to 32 letters or digits, the first a letter";
            if (p.DomainType == null || !typeof(IDomainReader).IsAssignableFrom(p.DomainType))
                return $"its DomainType ({p.DomainType?.FullName ?? "none"}) does not implement {nameof(IDomainReader)}, the one capability every provider has";
            var parameters = p.Parameters ?? new ProviderParameter[0];
            var twice = parameters.GroupBy(x => x.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1 || g.Key.Length == 0);
            if (twice != null) return $"its parameter '{twice.Key}' is {(twice.Key.Length == 0 ? "unnamed" : "declared twice")}";
            if (parameters.Any(x => string.Equals(x.Name, "Node", StringComparison.OrdinalIgnoreCase) || string.Equals(x.Name, "Credential", StringComparison.OrdinalIgnoreCase)))
                return "it declares Node or Credential among its parameters: Connect-BPDomain gives those itself";
            return null;
        }

        /// <summary>The capabilities a domain type offers, in the operator's words; reading first.</summary>
        public static IReadOnlyList<string> CapabilitiesOf(Type domainType) =>
            new[] { "reading" }.Concat(Capabilities.KnownTypes.Where(t => t.IsAssignableFrom(domainType)).Select(Capabilities.NameOf)).ToList();

        /// <summary>
        /// The parameters checked against the provider's list: an unknown name or a missing mandatory one is
        /// ProviderParameterInvalid, listing what the provider takes. Names come back as the provider spells them.
        /// </summary>
        public static Dictionary<string, object?> Check(IBackPakProvider p, IReadOnlyDictionary<string, object?> given)
        {
            var list = p.Parameters ?? new ProviderParameter[0];
            string takes = list.Count == 0 ? "no parameters" : string.Join(", ", list.Select(x => x.ToString()));
            var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in given)
            {
                var decl = list.FirstOrDefault(x => string.Equals(x.Name, kv.Key, StringComparison.OrdinalIgnoreCase));
                if (decl == null) throw Invalid(p, $"it takes no parameter '{kv.Key}'", takes);
                result[decl.Name] = kv.Value;
            }
            foreach (var m in list.Where(x => x.Mandatory))
                if (!result.TryGetValue(m.Name, out var v) || v == null || (v is string s && s.Length == 0))
                    throw Invalid(p, $"its parameter '{m.Name}' is mandatory ({m.Description})", takes);
            return result;
        }

        private static BackPakException Invalid(IBackPakProvider p, string why, string takes) =>
            new BackPakException(ErrorIds.ProviderParameterInvalid, BackPakErrorCategory.InvalidArgument,
                $"The {p.Name} provider cannot connect with these parameters: {why}. It takes {takes}. Nothing was connected.", p.Name,
                $"Give them with -Parameters @{{ Name = value }}; Get-BPProvider {p.Name} | Select-Object -ExpandProperty Parameters lists them.", stopsInvocation: true);
    }
}
