using System.Collections.Generic;
using BackPak.Core.Model;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Where a domain's audit trail is kept, when its provider offers a place (the lab's catalog store). The module
    /// decides what is recorded (<see cref="Audit.Operation"/>); the sink stores and reads it back. A provider without
    /// one is legal: nothing is recorded there, and Get-BPAuditRecord says the provider keeps no trail.
    /// </summary>
    public interface IAuditSink
    {
        /// <summary>The domain whose trail this is: an operation records its Start once per domain.</summary>
        DomainIdentity Identity { get; }

        /// <summary>
        /// Appends an audit record (never put a secret in it), stamped for the current operation
        /// (<see cref="Audit.Operation.StampCurrent"/>): its Start record first when it is the operation's first here.
        /// </summary>
        void Audit(Audit.AuditEntry entry);

        /// <summary>
        /// Every audit record, newest first, or only those of one operation; actions under their current names
        /// (<see cref="Audit.AuditActions.Current"/>). <see cref="Audit.AuditTrail.Find"/> selects among them.
        /// </summary>
        IEnumerable<AuditRecord> GetAuditRecords(string? operationId = null);
    }
}
