using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the DSM/TC (TAPEVOLUME, TAPEFILE, DISKFILE) or TMF entries of volumes on a node.</summary>
    [Cmdlet(VerbsCommon.Get, "BPCatalogEntry", DefaultParameterSetName = "InputObject")]
    // InputObject is the default set so that piped Volume objects bind to it (keeping their node) rather than
    // to -Label by property name, which would look them up in the default domain.
    [OutputType(typeof(CatalogEntry))]
    public sealed class GetBPCatalogEntryCommand : BPDomainCmdlet
    {
        /// <summary>Volume labels; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [SupportsWildcards]
        public string[] Label { get; set; } = new string[0];

        /// <summary>Volumes from Get-BPVolume; each is looked up on the node it was read from.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Volume[] InputObject { get; set; } = new Volume[0];

        /// <summary>Only entries of these kinds (e.g. TapeVolume, TapeFile, DiskFile, TmfVolume, TmfDump).</summary>
        [Parameter]
        public CatalogEntryKind[]? Kind { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var v in InputObject)
                {
                    try { Emit(DomainOf(v.Node), v.Label); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            foreach (var l in Label)
            {
                try
                {
                    var pattern = Labels.ParsePattern(l);
                    if (!pattern.IsWildcard)
                    {
                        if (!Emit(BackPak, pattern.Text) && BackPak.CountVolumes(new VolumeQuery { Labels = new[] { pattern } }) == 0)
                            throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                                $"No volume labelled '{pattern.Text}' in the domain of {BackPak.Node}, and no catalog entry for it there.",
                                l, "Check the label and the node (-Domain).");
                        continue;
                    }
                    // Materialized first: entries are read with the volume stream closed.
                    foreach (var label in BackPak.GetVolumes(new VolumeQuery { Labels = new[] { pattern } }).Select(v => v.Label).ToList())
                        Emit(BackPak, label);
                }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        private bool Emit(IBackPakDomain domain, string label)
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
