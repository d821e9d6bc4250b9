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
    [Cmdlet(VerbsCommon.Remove, "BPVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "InputObject")]
    [OutputType(typeof(VolumeRemovalResult))]
    public sealed class RemoveBPVolumeCommand : BPRemovalCmdlet
    {
        /// <summary>Labels; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Label")]
        [SupportsWildcards]
        public string[] Label { get; set; } = new string[0];

        /// <summary>Only volumes of this data store (with -Label).</summary>
        [Parameter(ParameterSetName = "Label")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string? DataStore { get; set; }

        /// <summary>Volumes from Get-BPVolume; each is removed in the domain it was read from.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Volume[] InputObject { get; set; } = new Volume[0];

        // Collected over the whole pipeline: one plan, one confirmation, batched removal.
        private readonly List<(IBackPakDomain Domain, Volume Volume)> _targets = new List<(IBackPakDomain, Volume)>();
        private readonly HashSet<string> _seen = new HashSet<string>();

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var v in InputObject)
                {
                    try { Add(DomainOf(v.Node), v); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            var patterns = new List<LabelPattern>();
            foreach (var l in Label)
            {
                try { patterns.Add(Labels.ParsePattern(l)); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
            if (patterns.Count == 0) return;
            var query = new VolumeQuery { Labels = patterns, DataStore = DataStore == null ? null : Names.NormalizeDataStore(DataStore) };
            var exact = new HashSet<string>(patterns.Where(p => !p.IsWildcard).Select(p => p.Text));
            foreach (var v in BackPak.GetVolumes(query))
            {
                exact.Remove(v.Label);
                Add(BackPak, v);
            }
            foreach (var missing in exact)
                WriteBackPakError(new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"No volume labelled '{missing}' in the domain of {BackPak.Node}" + (query.DataStore != null ? " in data store " + query.DataStore : "") + ".",
                    missing, "Check the label and -Domain; a volume already removed is not an error when piped from Get-BPVolume."));
        }

        private void Add(IBackPakDomain domain, Volume v)
        {
            if (_seen.Add(domain.Node + "|" + domain.Location + "|" + v.Label)) _targets.Add((domain, v));
        }

        protected override void EndBackPak()
        {
            if (_targets.Count == 0) return;
            var options = Options();
            var plans = new List<(IBackPakDomain Domain, VolumeRemovalPlan Plan)>();
            foreach (var group in _targets.GroupBy(t => t.Domain))
                foreach (var p in group.Key.PlanVolumeRemoval(group.Select(t => t.Volume).ToList(), options, countParts: WillPrompt))
                {
                    if (p.Refusal != null) WriteBackPakError(p.Refusal); // refused up front: never in the prompt
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
    }
}
