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
        public string[]? Name { get; set; }

        /// <summary>Only the groups of this data store.</summary>
        [Parameter(ParameterSetName = "Name", ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string? DataStore { get; set; }

        /// <summary>Data stores from Get-BPDataStore: their volume groups.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public DataStore[]? InputObject { get; set; }

        protected override void ProcessBackPakRecord()
        {
            if (InputObject != null)
            {
                foreach (var s in InputObject)
                {
                    try { WriteObject(DomainOf(s.Node).GetVolumeGroups(s.Name), true); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            string? store = DataStore == null ? null : Names.NormalizeDataStore(DataStore);
            WriteNamed(BackPak.GetVolumeGroups(store), Name, g => g.Name, Names.NormalizeVolumeGroup, n => new BackPakException(
                ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Volume group '{n}' does not exist in the domain of {BackPak.Node}" + (store != null ? $" for data store '{store}'." : "."), n,
                "Get-BPVolumeGroup with no name lists the volume groups of the domain."));
        }
    }
}
