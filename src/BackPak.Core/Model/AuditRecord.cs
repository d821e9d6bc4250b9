using System;
using System.Globalization;

namespace BackPak.Core.Model
{
    /// <summary>
    /// One record of the audit trail: who, when (the domain's clock, UTC), on which node, in which operation (one cmdlet
    /// invocation), what kind of record (its start, a change, a refusal, its end), what, on what, with what result.
    /// Never a secret.
    /// </summary>
    public sealed class AuditRecord
    {
        /// <summary>Made by a provider, which stamps every object with the identity of its domain.</summary>
        public AuditRecord(DomainIdentity origin) { Origin = origin ?? throw new ArgumentNullException(nameof(origin)); }

        public long Id { get; init; }
        /// <summary>When, by the domain's clock (the lab's clock in a lab), in UTC.</summary>
        public DateTime At { get; init; }
        public string Node { get; init; } = "";
        public string User { get; init; } = "";
        public string Host { get; init; } = "";
        /// <summary>The invocation that wrote it, e.g. 20261101-002233-3FA9C1; empty for records older than operation ids.</summary>
        public string OperationId { get; init; } = "";
        public AuditKind Kind { get; init; }
        /// <summary>A cmdlet-style name: the command of a Start or End record, the change of a Change record (Remove-BPVolume).</summary>
        public string Action { get; init; } = "";
        /// <summary>What it is about, hierarchical: a data store (DS02), a volume of it (DS02/AB1234), a group (DS02/GRP1).</summary>
        public string Target { get; init; } = "";
        public string Result { get; init; } = "";
        /// <summary>The ErrorId of a refusal (or of the error a failed operation ended with).</summary>
        public string? ErrorId { get; init; }
        public string? Detail { get; init; }

        /// <summary>The domain this object was read from; a piped object is acted on there.</summary>
        public DomainIdentity Origin { get; }

        /// <summary>A time as audit text shows it: ISO 8601 in UTC, to the second (2026-11-01T00:22:33Z).</summary>
        public static string IsoTime(DateTime t) =>
            (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public override string ToString() => $"{IsoTime(At)} {Kind} {Action} {Target}: {Result}";
    }
}
