using System;

namespace BackPak.Core.Model
{
    /// <summary>One change made through the module: who, when, what, on what, with what result. Never a secret.</summary>
    public sealed class AuditRecord
    {
        public long Id { get; init; }
        public DateTime At { get; init; }
        public string Node { get; init; } = "";
        public string User { get; init; } = "";
        public string Host { get; init; } = "";
        public string Action { get; init; } = "";
        public string Target { get; init; } = "";
        public string Result { get; init; } = "";
        public string? Detail { get; init; }

        public override string ToString() => $"{At:u} {Action} {Target}: {Result}";
    }
}
