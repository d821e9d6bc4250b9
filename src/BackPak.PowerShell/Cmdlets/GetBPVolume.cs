using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Streaming;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Streams volumes from the BackPak catalog. Every filter is answered by the provider inside its store, so
    /// asking for a few labels out of 100,000 reads only those.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BPVolume", DefaultParameterSetName = "All")]
    [OutputType(typeof(Volume))]
    public sealed class GetBPVolumeCommand : BPDomainCmdlet
    {
        /// <summary>Labels; wildcards allowed (e.g. 'AB1*').</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Selection]
        public string[]? Label { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public string? DataStore { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VolumeGroupCompleter))]
        [Selection]
        public string? VolumeGroup { get; set; }

        /// <summary>The node a piped object came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        /// <summary>Only volumes whose data has expired (they may be deleted, R13).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Expired")]
        public SwitchParameter Expired { get; set; }

        /// <summary>Only volumes that still hold non-expired data.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "NotExpired")]
        public SwitchParameter NotExpired { get; set; }

        /// <summary>Only encrypted volumes (those with a Media Key Name); -Encrypted:$false for clear volumes only.</summary>
        [Parameter]
        public SwitchParameter Encrypted { get; set; }

        /// <summary>Only volumes whose key has this Media Key Name.</summary>
        [Parameter]
        [Selection]
        public string? MediaKeyName { get; set; }

        protected override void ProcessBackPakRecord()
        {
            // A piped object (a data store, a volume group, a CSV row) is read where it came from.
            var domain = ConnectionFor(Origin, Node, Label != null ? "label" : "data store", (object?)Label ?? DataStore).Domain;
            var patterns = new List<LabelPattern>();
            foreach (var l in Label ?? new string[0])
            {
                try { patterns.Add(Labels.ParsePattern(l)); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
            if (Label != null && patterns.Count == 0) return; // every label given was malformed: nothing to ask

            var query = new VolumeQuery
            {
                Labels = patterns,
                DataStore = DataStore == null ? null : Names.NormalizeDataStore(DataStore),
                VolumeGroup = VolumeGroup == null ? null : Names.NormalizeVolumeGroup(VolumeGroup),
                Expired = Expired ? true : NotExpired ? false : (bool?)null,
                Encrypted = IsGiven(nameof(Encrypted)) ? Encrypted.IsPresent : (bool?)null,
                MediaKeyName = MediaKeyName,
            };
            var exact = new HashSet<string>(patterns.Where(p => !p.IsWildcard).Select(p => p.Text), StringComparer.Ordinal);
            foreach (var v in ReadAhead.Of(domain.GetVolumes(query)))
            {
                exact.Remove(v.Label);
                WriteObject(v);
            }
            // Like Get-Process -Name: an exact name that matched nothing is an error, a wildcard is not.
            foreach (var missing in exact)
                WriteBackPakError(new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No volume labelled '{missing}' in the domain of {domain.Node}" + Scope(query) + ".", missing,
                    "Check the label; Get-BPVolume with a wildcard such as 'AB*' lists similar labels."));
        }

        private static string Scope(VolumeQuery q)
        {
            var parts = new List<string>();
            if (q.DataStore != null) parts.Add("data store " + q.DataStore);
            if (q.VolumeGroup != null) parts.Add("volume group " + q.VolumeGroup);
            if (q.Expired == true) parts.Add("expired");
            if (q.Expired == false) parts.Add("not expired");
            if (q.Encrypted.HasValue) parts.Add(q.Encrypted.Value ? "encrypted" : "not encrypted");
            return parts.Count == 0 ? "" : " (" + string.Join(", ", parts) + ")";
        }
    }
}
