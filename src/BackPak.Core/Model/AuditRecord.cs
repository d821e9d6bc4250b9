using System;

namespace BackPak.Core.Model
{
    /// <summary>One change made through the module: who, when, what, on what, with what result. Never a secret.</summary>
    public sealed class AuditRecord
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public AuditRecord(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public long Id { get; init; }
        public DateTime At { get; init; }
        public string Node { get; init; } = "";
        public string User { get; init; } = "";
        public string Host { get; init; } = "";
        public string Action { get; init; } = "";
        public string Target { get; init; } = "";
        public string Result { get; init; } = "";
        public string? Detail { get; init; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        public override string ToString() => $"{At:u} {Action} {Target}: {Result}";
    }
}
