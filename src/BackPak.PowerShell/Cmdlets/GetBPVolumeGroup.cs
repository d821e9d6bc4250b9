using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the volume groups of a domain, with the tape catalog each is linked to.</summary>
    [Cmdlet(VerbsCommon.Get, "BPVolumeGroup", DefaultParameterSetName = "Name")]
    [OutputType(typeof(VolumeGroup))]
    public sealed class GetBPVolumeGroupCommand : BPDomainCmdlet
    {
        /// <summary>Volume group names; wildcards allowed.</summary>
        [Parameter(Position = 0, ParameterSetName = "Name")]
        [ArgumentCompleter(typeof(VolumeGroupCompleter))]
        [SupportsWildcards]
        [Selection]
        public string[]? Name { get; set; }

        /// <summary>Only the groups of this data store.</summary>
        [Parameter(ParameterSetName = "Name", ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public string? DataStore { get; set; }

        /// <summary>The node a piped object came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Name")]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Name")]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        /// <summary>Data stores from Get-BPDataStore: their volume groups.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public DataStore[]? InputObject { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (InputObject != null)
            {
                foreach (var s in InputObject)
                {
                    try { WriteObject(ConnectionFor(s.Origin, s.Node, "data store", s.Name).Domain.GetVolumeGroups(s.Name), true); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            var domain = ConnectionFor(Origin, Node, "data store", DataStore).Domain;
            string? store = DataStore == null ? null : Names.NormalizeDataStore(DataStore);
            WriteNamed(domain.GetVolumeGroups(store), Name, g => g.Name, Names.NormalizeVolumeGroup, n => new BackPakException(
                ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Volume group '{n}' does not exist in the domain of {domain.Node}" + (store != null ? $" for data store '{store}'." : "."), n,
                "Get-BPVolumeGroup with no name lists the volume groups of the domain."));
        }
    }
}
