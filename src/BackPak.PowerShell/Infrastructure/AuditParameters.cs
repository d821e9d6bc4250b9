using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using BackPak.Core.Model;

namespace BackPak.PowerShell
{
    /// <summary>
    /// How an invocation was called, for its Start record: the parameters given and their plain values. Never a secret:
    /// a SecureString, a credential, a certificate or any parameter whose name says password or key material is named
    /// without its value.
    /// </summary>
    internal static class AuditParameters
    {
        private const int MaxItems = 10;
        private const int MaxLength = 400;

        public static string? Describe(IDictionary<string, object> bound)
        {
            if (bound.Count == 0) return null;
            var parts = new List<string>();
            foreach (var kv in bound)
            {
                string? value = Value(kv.Key, kv.Value);
                parts.Add(value == null ? "-" + kv.Key
                    : value.Length == 0 ? "-" + kv.Key + " <given>"
                    : value[0] == ':' ? "-" + kv.Key + value // a switch turned off reads as typed: -Confirm:$false
                    : "-" + kv.Key + " " + value);
            }
            string text = string.Join(" ", parts);
            return text.Length <= MaxLength ? text : text.Substring(0, MaxLength) + "…";
        }

        /// <summary>Null for a switch that is on (its name says it), "" for a value that is not shown, else the value as text.</summary>
        private static string? Value(string name, object? v)
        {
            if (v is PSObject p) v = p.BaseObject;
            if (IsSecretName(name)) return "";
            switch (v)
            {
                case null: return "$null";
                case SwitchParameter sw: return sw.IsPresent ? null : ":$false";
                case bool b: return b ? "$true" : "$false";
                case SecureString _: case PSCredential _: case System.Security.Cryptography.X509Certificates.X509Certificate _: case byte[] _:
                    return "";
                case string s: return Quote(s);
                case DomainConnection c: return Quote(c.Node);
                case Enum _: case int _: case long _: case double _: case TimeSpan _: return Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture);
                case IEnumerable list:
                    var items = list.Cast<object?>().Take(MaxItems + 1).Select(i => Value("", i) ?? "").ToList();
                    if (items.Any(i => i.Length == 0)) return "";
                    return string.Join(",", items.Take(MaxItems)) + (items.Count > MaxItems ? ",…" : "");
                default: return ""; // an object piped or passed whole: named, not shown
            }
        }

        private static bool IsSecretName(string name) =>
            name.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("Secret", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("Credential", StringComparison.OrdinalIgnoreCase) >= 0;

        private static string Quote(string s) => s.IndexOfAny(new[] { ' ', '\'', '"', '$', '\\', ';' }) >= 0 ? "'" + s.Replace("'", "''") + "'" : s;
    }
}
