using System;

namespace BackPak.Core.Providers
{
    /// <summary>One audit record: who did what to which target, when, with what result. Never a secret.</summary>
    public sealed class AuditRecord
    {
        public DateTime At { get; init; } = DateTime.UtcNow;
        public string User { get; init; } = Environment.UserName;
        public string Host { get; init; } = Environment.MachineName;
        /// <summary>The command, e.g. <c>Remove-BPEncryptionKey</c>.</summary>
        public string Action { get; init; } = "";
        public string Target { get; init; } = "";
        public string Result { get; init; } = "";
        public string? Detail { get; init; }
    }

    /// <summary>Where a provider keeps its audit trail (the lab: each node's backpak.db).</summary>
    public interface IAuditLog
    {
        void Append(AuditRecord record);
    }
}
