using System;
using System.Text.RegularExpressions;

namespace BackPak.Core.Model
{
    /// <summary>
    /// Which BackPak domain an object was read from: the provider, where the provider reaches it (a lab folder, a
    /// site's domain address) and the node. Two labs, or two sites, may both have a node \A; their identities differ.
    /// Every object a provider returns carries the identity of its domain, one shared instance per domain, so a piped
    /// object is acted on in the connection it came from and nowhere else.
    /// </summary>
    public sealed class DomainIdentity : IEquatable<DomainIdentity>
    {
        public DomainIdentity(string provider, string location, string node)
        {
            if (string.IsNullOrEmpty(provider)) throw new ArgumentException("A domain identity needs its provider.", nameof(provider));
            if (string.IsNullOrEmpty(location)) throw new ArgumentException("A domain identity needs its location.", nameof(location));
            if (string.IsNullOrEmpty(node)) throw new ArgumentException("A domain identity needs its node.", nameof(node));
            Provider = provider;
            Location = location;
            Node = node;
            // Immutable, so hashed once: identities key the sets of a removal of 100,000 volumes.
            _hash = StringComparer.OrdinalIgnoreCase.GetHashCode(provider) ^ StringComparer.OrdinalIgnoreCase.GetHashCode(node) * 31 ^ location.GetHashCode();
        }

        private readonly int _hash;

        /// <summary>The provider that serves the domain, e.g. <c>Lab</c>.</summary>
        public string Provider { get; }
        /// <summary>Where the provider reaches the domain: a lab folder, a domain address.</summary>
        public string Location { get; }
        /// <summary>The NonStop node of the domain, e.g. <c>\A</c>.</summary>
        public string Node { get; }

        // Provider and node names are case-insensitive; a location is compared exactly (a lab folder on Linux is case-sensitive).
        public bool Equals(DomainIdentity? other) =>
            other != null && (ReferenceEquals(this, other) ||
            string.Equals(Provider, other.Provider, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Node, other.Node, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Location, other.Location, StringComparison.Ordinal));

        public override bool Equals(object? obj) => Equals(obj as DomainIdentity);

        public override int GetHashCode() => _hash;

        public static bool operator ==(DomainIdentity? a, DomainIdentity? b) => a is null ? b is null : a.Equals(b);
        public static bool operator !=(DomainIdentity? a, DomainIdentity? b) => !(a == b);

        /// <summary>The text form, as Export-Csv writes it and <see cref="TryParse"/> reads it back: <c>\A (Lab: /labs/lab1)</c>.</summary>
        public override string ToString() => Node + " (" + Provider + ": " + Location + ")";

        private static readonly Regex TextForm = new Regex(@"^\s*(\\[A-Za-z0-9]+) \(([^:()]+): (.+)\)\s*$", RegexOptions.CultureInvariant);

        /// <summary>Reads the text form back (a column of a CSV made by Export-Csv); false for anything else.</summary>
        public static bool TryParse(string? text, out DomainIdentity? identity)
        {
            identity = null;
            if (text == null) return false;
            var m = TextForm.Match(text);
            if (!m.Success) return false;
            identity = new DomainIdentity(m.Groups[2].Value, m.Groups[3].Value, m.Groups[1].Value);
            return true;
        }
    }
}
