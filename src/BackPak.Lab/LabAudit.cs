using BackPak.Core.Errors;
using BackPak.Core.Providers;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>The domain's audit trail: the audit table of the node's backpak.db.</summary>
    public sealed partial class LabDomain : IAuditLog
    {
        public void Append(AuditRecord record)
        {
            try
            {
                using var c = OpenBackPak();
                LabDb.Exec(c, "INSERT INTO audit(at, user, host, action, target, result, detail) VALUES (@at, @u, @h, @a, @t, @r, @d)",
                    ("@at", LabDb.ToUnixMs(record.At)), ("@u", record.User), ("@h", record.Host), ("@a", record.Action),
                    ("@t", record.Target), ("@r", record.Result), ("@d", record.Detail));
            }
            catch (SqliteException e)
            {
                throw new BackPakException(ErrorIds.CatalogStoreUnavailable, BackPakErrorCategory.ResourceUnavailable,
                    $"The audit record of the domain on {Node} could not be written: {e.Message}", Node,
                    "Run the command again; if it persists, the lab's stores are damaged: recreate the lab with New-BPLab -Force.",
                    stopsInvocation: true, inner: e);
            }
        }
    }
}
