using System;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>The replication links registered in this session (Register-BPReplicationLink), by data store and kind.</summary>
    [Cmdlet(VerbsCommon.Get, "BPReplicationLink")]
    [OutputType(typeof(ReplicationLinkRegistration))]
    public sealed class GetBPReplicationLinkCommand : BPDomainCmdlet
    {
        /// <summary>Store IDs (wildcards allowed); all when not given.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Selection]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string[]? DataStore { get; set; }

        /// <summary>Only links of this kind.</summary>
        [Parameter]
        public ReplicationLinkKind? Kind { get; set; }

        protected override void ProcessBackPakRecord()
        {
            // -Domain narrows to its estate; without it, every estate's links of the session.
            string? location = Domain != null ? Connection.Location : null;
            var links = ReplicationLinkRegistry.All.Where(r => (location == null || r.Location == location) && (Kind == null || r.Kind == Kind)).ToList();
            if (DataStore == null)
            {
                WriteObject(links, true);
                return;
            }
            foreach (var n in DataStore)
            {
                if (Wildcard.IsPattern(n))
                {
                    WriteObject(links.Where(r => Wildcard.Matches(n, r.DataStore)), true);
                    continue;
                }
                string ds = Names.NormalizeDataStore(n);
                var found = links.Where(r => string.Equals(r.DataStore, ds, StringComparison.OrdinalIgnoreCase)).ToList();
                if (found.Count > 0) WriteObject(found, true);
                else WriteBackPakError(new BackPakException(ErrorIds.ReplicationLinkNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No {(Kind == null ? "" : Kind.ToString()!.ToLowerInvariant() + " ")}replication link of {ds} is registered in this session" +
                    (location != null ? $" for {location}" : "") + ": its switch uses the provider's link, or stops for the operator.", ds,
                    "Register-BPReplicationLink registers one; Get-BPReplicationLink with no name lists those registered."));
            }
        }
    }
}
