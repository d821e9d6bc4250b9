using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the DSM/TC (TAPEVOLUME, TAPEFILE, DISKFILE) or TMF entries of volumes on a node.</summary>
    /// <remarks>
    /// InputObject is the default set so that piped Volume objects bind to it by value, keeping where they came from;
    /// strings and objects with a Label property (CSV rows) bind to -Label, with Node and Origin, which belong to the
    /// Label set only (see Remove-BPVolume).
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "BPCatalogEntry", DefaultParameterSetName = "InputObject")]
    [OutputType(typeof(CatalogEntry))]
    public sealed class GetBPCatalogEntryCommand : BPDomainCmdlet
    {
        /// <summary>Volume labels; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [SupportsWildcards]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString]
        public string[]? Label { get; set; }

        /// <summary>The node a piped label came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Label")]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Label")]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        /// <summary>Volumes from Get-BPVolume; each is looked up on the node it was read from.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Volume[] InputObject { get; set; } = new Volume[0];

        /// <summary>Only entries of these kinds (e.g. TapeVolume, TapeFile, DiskFile, TmfVolume, TmfDump).</summary>
        [Parameter]
        [Selection]
        public CatalogEntryKind[]? Kind { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var v in InputObject)
                {
                    try { Emit(ConnectionFor(v.Origin, v.Node, "volume", v.Label).Domain, v.Label); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            var domain = ConnectionFor(Origin, Node, "volume", Label).Domain;
            foreach (var l in Label!)
            {
                try
                {
                    var pattern = Labels.ParsePattern(l);
                    if (!pattern.IsWildcard)
                    {
                        if (!Emit(domain, pattern.Text) && domain.CountVolumes(new VolumeQuery { Labels = new[] { pattern } }) == 0)
                            throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                                $"No volume labelled '{pattern.Text}' in the domain of {domain.Node}, and no catalog entry for it there.",
                                l, "Check the label and the node (-Domain).");
                        continue;
                    }
                    // Materialized first: entries are read with the volume stream closed.
                    foreach (var label in domain.GetVolumes(new VolumeQuery { Labels = new[] { pattern } }).Select(v => v.Label).ToList())
                        Emit(domain, label);
                }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        private bool Emit(IDomainReader domain, string label)
        {
            bool any = false;
            foreach (var e in domain.GetCatalogEntries(label))
            {
                any = true;
                if (Kind == null || Kind.Contains(e.Kind)) WriteObject(e);
            }
            return any;
        }
    }
}
