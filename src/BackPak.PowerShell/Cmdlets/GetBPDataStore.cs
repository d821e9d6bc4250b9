using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the data stores of a domain.</summary>
    [Cmdlet(VerbsCommon.Get, "BPDataStore")]
    [OutputType(typeof(DataStore))]
    public sealed class GetBPDataStoreCommand : BPDomainCmdlet
    {
        /// <summary>Store IDs; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DataStore")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        protected override void ProcessBackPakRecord() =>
            WriteNamed(BackPak.GetDataStores(), Name, s => s.Name, Names.NormalizeDataStore, n => new BackPakException(
                ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Data store '{n}' does not exist in the domain of {BackPak.Node}.", n,
                "Get-BPDataStore with no name lists the data stores of the domain."));
    }
}
