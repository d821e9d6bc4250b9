using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Removal;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Deletes volumes as the BackPak GUI "Volume" page does [CS p41]: the backup data in storage, the DSM/TC or TMF
    /// entries, and the BackPak catalog entry, through an intent journal.
    /// </summary>
    /// <remarks>
    /// Two parameter sets, as Stop-Process has (InputObject / Id): Volume objects bind by value to -InputObject and
    /// are removed where they were read; anything else that has a label — a string, a CSV row, an object with a Label
    /// property — binds to -Label, with its DataStore, Node and Origin by property name. Node and Origin belong to the
    /// Label set only, so an object with Label and Node never lands in the InputObject set.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "BPVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "InputObject")]
    [OutputType(typeof(VolumeRemovalResult))]
    public sealed class RemoveBPVolumeCommand : BPRemovalCmdlet
    {
        /// <summary>Labels; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [SupportsWildcards]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString] // so that an empty list is EmptySelection, not a binding error
        public string[]? Label { get; set; }

        /// <summary>Only volumes of this data store (with -Label).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public string? DataStore { get; set; }

        /// <summary>The node a piped label came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Label")]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Label")]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        /// <summary>Volumes from Get-BPVolume; each is removed in the domain it was read from.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Volume[] InputObject { get; set; } = new Volume[0];

        // Collected over the whole pipeline: one plan, one confirmation, batched removal. Nothing is looked up or
        // removed before EndProcessing, so a piped object that contradicts -Domain stops the command with nothing done.
        private readonly List<(IDomainReader Domain, Volume Volume)> _targets = new List<(IDomainReader, Volume)>();
        private readonly HashSet<(DomainIdentity, string)> _seen = new HashSet<(DomainIdentity, string)>();
        private readonly Dictionary<(IDomainReader Domain, string? Store), List<LabelPattern>> _asked =
            new Dictionary<(IDomainReader, string?), List<LabelPattern>>();

        /// <summary>Labels asked in one query at most (an OR of equalities and globs in the provider's store).</summary>
        private const int PatternsPerQuery = 200;

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var v in InputObject)
                {
                    try { Add(ConnectionFor(v.Origin, v.Node, "volume", v.Label).Domain, v); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            var labels = Label!;
            var domain = ConnectionFor(Origin, Node, "volume", labels).Domain;
            string? store = DataStore == null ? null : Names.NormalizeDataStore(DataStore);
            if (!_asked.TryGetValue((domain, store), out var patterns)) _asked[(domain, store)] = patterns = new List<LabelPattern>();
            foreach (var l in labels)
            {
                try { patterns.Add(Labels.ParsePattern(l)); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        private void Add(IDomainReader domain, Volume v)
        {
            if (_seen.Add((domain.Identity, v.Label))) _targets.Add((domain, v));
        }

        protected override void EndBackPak()
        {
            // Refused as a whole before anything is read or removed: patterns that match every label of a domain
            // remove every store's volumes at once, which only naming the store may ask for.
            foreach (var asked in _asked.Where(a => a.Key.Store == null && Labels.MatchesEveryLabel(a.Value)))
                throw new BackPakException(ErrorIds.WildcardSelectsEveryVolume, BackPakErrorCategory.InvalidArgument,
                    $"-Label {string.Join(", ", asked.Value.Where(p => p.IsWildcard))} matches every label on {asked.Key.Domain.Node}, " +
                    "across all of its data stores. Removing a whole store's volumes needs that store to be named: nothing was removed.",
                    string.Join(",", asked.Value), "Add -DataStore <store> (every volume of that store is then meant), or give narrower labels.",
                    stopsInvocation: true);
            // A provider that cannot remove volumes stops the command before a single volume is looked up.
            foreach (var d in _asked.Keys.Select(k => k.Domain).Concat(_targets.Select(t => t.Domain)).Distinct())
                Capabilities.Require<IVolumeRemover>(d, "volume removal");
            foreach (var asked in _asked) Resolve(asked.Key.Domain, asked.Key.Store, asked.Value);
            if (_targets.Count == 0) return;

            var options = Options();
            var plans = new List<(IDomainReader Domain, VolumeRemovalPlan Plan)>();
            foreach (var group in _targets.GroupBy(t => t.Domain))
                foreach (var p in Capabilities.Require<IVolumeRemover>(group.Key, "volume removal").PlanVolumeRemoval(group.Select(t => t.Volume).ToList(), options, countParts: WillPrompt))
                {
                    if (p.Refusal != null) WriteBackPakError(p.Refusal, p.Volume, group.Key as IAuditSink); // refused up front: never in the prompt
                    else plans.Add((group.Key, p));
                }
            if (plans.Count == 0) return;

            var targets = plans.Select(x => $"{x.Plan.Volume.Label} ({x.Plan.Volume.DataStore} on {x.Plan.Volume.Node}, {x.Plan.Volume.DomainAccess.ToString().ToUpperInvariant()}): " +
                $"{Plural(x.Plan.StorageFiles, "storage file", "storage files")}, {Plural(x.Plan.CatalogEntries, "catalog entry", "catalog entries")}" +
                (x.Plan.Volume.IsExpired ? "" : ", NOT EXPIRED"));
            var stores = string.Join(", ", plans.Select(x => x.Plan.Volume.DataStore + " on " + x.Plan.Volume.Node).Distinct());
            string summary = WillPrompt ? $"{Totals(plans.Select(x => x.Plan).ToList())} of {stores}" : $"{Plural(plans.Count, "volume", "volumes")} of {stores}";
            if (!ConfirmRemoval(targets, "Remove volume: storage data, DSM/TC or TMF entries, BackPak entry", summary)) return;

            foreach (var group in plans.GroupBy(x => x.Domain))
                RunVolumeRemoval(group.Key, group.Select(x => x.Plan.Volume.Label).ToList(), "Remove-BPVolume");
        }

        /// <summary>The volumes the labels asked of one domain (and store) name, read in a few queries; exact labels not found are errors.</summary>
        private void Resolve(IDomainReader domain, string? store, List<LabelPattern> patterns)
        {
            var distinct = patterns.GroupBy(p => p.Text).Select(g => g.First()).ToList();
            var exact = new HashSet<string>(distinct.Where(p => !p.IsWildcard).Select(p => p.Text));
            try
            {
                for (int i = 0; i < distinct.Count; i += PatternsPerQuery)
                    foreach (var v in domain.GetVolumes(new VolumeQuery { Labels = distinct.Skip(i).Take(PatternsPerQuery).ToList(), DataStore = store }))
                    {
                        exact.Remove(v.Label);
                        Add(domain, v);
                    }
            }
            catch (BackPakException e)
            {
                WriteBackPakError(e);
                return;
            }
            foreach (var missing in exact)
                WriteBackPakError(new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No volume labelled '{missing}' in the domain of {domain.Node}" + (store != null ? " in data store " + store : "") + ".",
                    missing, "Check the label and -Domain; a volume already removed is not an error when piped from Get-BPVolume."));
        }
    }
}
