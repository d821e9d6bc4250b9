using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Compare;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Puts two domains side by side, volume by volume and entry by entry, as Compare-Object puts two lists: the two
    /// sides of a replicated data store, or a real site and a lab made from its description, checked before a change.
    /// Core's DomainComparison decides what is a difference; this cmdlet only scopes, streams and reports progress.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "BPDomain")]
    [OutputType(typeof(DomainDifference))]
    public sealed class CompareBPDomainCommand : BPCmdlet
    {
        /// <summary>The domain compared against (its side is &lt;=): a connection or the node name of one.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection ReferenceDomain { get; set; } = null!;

        /// <summary>The domain compared with it (its side is =&gt;).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection DifferenceDomain { get; set; } = null!;

        [Parameter]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public string? DataStore { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(VolumeGroupCompleter))]
        [Selection]
        public string? VolumeGroup { get; set; }

        /// <summary>Labels; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [Selection]
        public string[]? Label { get; set; }

        /// <summary>Also the volumes and entries that are alike on both sides (==).</summary>
        [Parameter]
        public SwitchParameter IncludeEqual { get; set; }

        /// <summary>Only catalog entries of these kinds (e.g. TapeVolume, TapeFile, DiskFile for a replicated store, whose TMF entries stay at the primary).</summary>
        [Parameter]
        [Selection]
        public CatalogEntryKind[]? CatalogEntryKind { get; set; }

        /// <summary>Volumes only: the DSM/TC and TMF entries are not read (one read per volume and side less).</summary>
        [Parameter]
        public SwitchParameter ExcludeCatalogEntry { get; set; }

        protected override DateTime OperationClock() => ClockOf(ReferenceDomain);

        protected override void EndBackPak()
        {
            var reference = DomainSessions.RequireOpen(ReferenceDomain);
            var difference = DomainSessions.RequireOpen(DifferenceDomain);
            // Every label is checked before anything is read: a malformed one stops the comparison (a smaller scope
            // would report the volumes it leaves out as nothing, which reads as "in step").
            var patterns = (Label ?? new string[0]).Select(Labels.ParsePattern).ToList();
            var query = new VolumeQuery
            {
                Labels = patterns,
                DataStore = DataStore == null ? null : Names.NormalizeDataStore(DataStore),
                VolumeGroup = VolumeGroup == null ? null : Names.NormalizeVolumeGroup(VolumeGroup),
            };
            var exact = new HashSet<string>(patterns.Where(p => !p.IsWildcard).Select(p => p.Text), StringComparer.Ordinal);
            string activity = $"Comparing {reference.Identity} with {difference.Identity}";
            var progress = new ProgressRecord(6, activity, "Reading both sides");
            WriteProgress(progress);
            long differences = 0;
            foreach (var d in DomainComparison.Compare(reference.Domain, difference.Domain, query, IncludeEqual, !ExcludeCatalogEntry,
                         seen => { progress.StatusDescription = $"{seen} volume(s) compared, {differences} difference(s)"; WriteProgress(progress); },
                         CatalogEntryKind))
            {
                exact.Remove(d.Label);
                if (d.SideIndicator != DomainDifference.Equal) differences++;
                WriteObject(d);
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            // With -IncludeEqual every volume of either side is reported, so an exact label not reported is on neither;
            // without it, a label in step is not reported, so each one left is looked up once to tell the two apart.
            foreach (var label in exact)
            {
                var one = new VolumeQuery { Labels = new[] { Labels.ParsePattern(label) }, DataStore = query.DataStore, VolumeGroup = query.VolumeGroup };
                if (!IncludeEqual && (reference.Domain.CountVolumes(one) > 0 || difference.Domain.CountVolumes(one) > 0)) continue;
                WriteBackPakError(new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No volume labelled '{label}' in the domain of {reference.Node} or of {difference.Node}" +
                    (query.DataStore != null ? $" (data store {query.DataStore})" : "") + ".", label,
                    "Check the label; Get-BPVolume with a wildcard such as 'AB*' lists similar labels."));
            }
        }
    }
}
