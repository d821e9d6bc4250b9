using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>
    /// A cmdlet that works on data stores named by -DataStore or piped from Get-BPDataStore (or any object with
    /// DataStore/Name and Node properties): each store is acted on in the domain of the node it came from.
    /// </summary>
    public abstract class BPStoreCmdlet : BPDomainCmdlet
    {
        /// <summary>Store IDs of the data stores.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public virtual string[]? DataStore { get; set; }

        /// <summary>The node a piped object came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        /// <summary>The domain and store names of this record; all stores of the domain when none is named and <paramref name="allWhenNone"/>.</summary>
        protected IEnumerable<(IDomainReader Domain, string Store)> Stores(bool allWhenNone)
        {
            var domain = ConnectionFor(Origin, Node, "data store", DataStore).Domain;
            if (DataStore == null)
            {
                if (!allWhenNone)
                    throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.InvalidArgument,
                        "Name a data store with -DataStore.", null, "Get-BPDataStore lists the data stores of the domain.", stopsInvocation: true);
                foreach (var s in domain.GetDataStores()) yield return (domain, s.Name);
                yield break;
            }
            foreach (var n in DataStore) yield return (domain, Names.NormalizeDataStore(n));
        }

        /// <summary>Runs an action per store; a failure of one store is reported and the others go on.</summary>
        protected void ForEachStore(bool allWhenNone, System.Action<IDomainReader, string> action)
        {
            foreach (var (domain, store) in Stores(allWhenNone).ToList())
            {
                try { action(domain, store); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        /// <summary>
        /// Runs an action per store with a capability of its domain's provider, checked for every domain before the first
        /// store is acted on: a provider without it stops the command before anything is done (CapabilityMissing).
        /// </summary>
        protected void ForEachStore<T>(bool allWhenNone, string forWhat, System.Action<IDomainReader, T, string> action) where T : class
        {
            var stores = Stores(allWhenNone).ToList();
            var capable = new Dictionary<IDomainReader, T>();
            foreach (var d in stores.Select(x => x.Domain).Distinct())
                capable[d] = Capabilities.Require<T>(d, forWhat);
            foreach (var (domain, store) in stores)
            {
                try { action(domain, capable[domain], store); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }
    }
}
