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
        [Selection]
        public string[]? Name { get; set; }

        /// <summary>The node a piped object came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        protected override void ProcessBackPakRecord()
        {
            // A piped volume or status names its store by the DataStore property: read where it came from.
            var domain = ConnectionFor(Origin, Node, "data store", Name).Domain;
            WriteNamed(domain.GetDataStores(), Name, s => s.Name, Names.NormalizeDataStore, n => new BackPakException(
                ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                $"Data store '{n}' does not exist in the domain of {domain.Node}.", n,
                "Get-BPDataStore with no name lists the data stores of the domain."));
        }
    }
}
