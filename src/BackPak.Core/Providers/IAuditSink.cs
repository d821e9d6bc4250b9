using System.Collections.Generic;
using BackPak.Core.Model;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Where a domain's audit trail is kept, when its provider offers a place (the lab's catalog store). The module
    /// decides what is recorded; the sink stores and reads it back. A provider without one is legal: nothing is recorded
    /// there, and Get-BPAuditRecord says the provider keeps no trail.
    /// </summary>
    public interface IAuditSink
    {
        /// <summary>Appends an audit record (never put a secret in it).</summary>
        void Audit(string action, string target, string result, string? detail, string user);

        /// <summary>Audit records, newest first.</summary>
        IReadOnlyList<AuditRecord> GetAuditRecords(string? action = null, string? target = null, int last = 100);
    }
}
