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
    /// Removes data stores from the configuration [CS p41]; with -Recurse, in the manual's order: volumes, then
    /// volume groups, then the data store (R14).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "BPDataStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Name")]
    [OutputType(typeof(DecommissionResult), typeof(VolumeRemovalResult))]
    public sealed class RemoveBPDataStoreCommand : BPRemovalCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString] // so that an empty list is EmptySelection, not a binding error
        public string[]? Name { get; set; }

        /// <summary>Data stores from Get-BPDataStore.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public DataStore[] InputObject { get; set; } = new DataStore[0];

        /// <summary>Remove the store's volumes and volume groups first, as one journaled run.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        private readonly List<(IBackPakDomain Domain, DataStore Store)> _targets = new List<(IBackPakDomain, DataStore)>();

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var s in InputObject)
                {
                    try { _targets.Add((ConnectionFor(s.Origin, s.Node, "data store", s.Name).Domain, s)); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            foreach (var n in Name!)
            {
                string exact = Names.NormalizeDataStore(n);
                var s = BackPak.GetDataStores(exact).FirstOrDefault();
                if (s != null) _targets.Add((BackPak, s));
                else WriteBackPakError(new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{n}' does not exist in the domain of {BackPak.Node}.", n, "Get-BPDataStore lists the data stores of the domain."));
            }
        }

        protected override void EndBackPak()
        {
            foreach (var (domain, store) in _targets)
            {
                try { RemoveOne(domain, store); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        private void RemoveOne(IBackPakDomain domain, DataStore store)
        {
            var options = Options();
            var plan = Decommission.Plan(domain, store.Name, null, options);
            if ((plan.Volumes.Count > 0 || plan.VolumeGroups.Count > 0) && !Recurse)
                throw new BackPakException(ErrorIds.DataStoreNotEmpty, BackPakErrorCategory.InvalidOperation,
                    $"Data store '{store.Name}' on {domain.Node} still has {plan.Volumes.Count} volume(s) and {plan.VolumeGroups.Count} volume group(s); " +
                    "the manual's order is volumes, then volume groups, then the data store (R14).",
                    store.Name, "Remove them first, or add -Recurse to do all three in that order.");
            foreach (var r in plan.Volumes.Where(v => v.Refusal != null)) WriteBackPakError(r.Refusal!);
            var targets = plan.Volumes.Where(v => v.Refusal == null).Select(v => $"{v.Volume.Label} ({store.Name}/{v.Volume.VolumeGroup} on {domain.Node})")
                .Concat(plan.VolumeGroups.Select(g => $"volume group {g} of {store.Name} on {domain.Node}"))
                .Append($"data store {store.Name} on {domain.Node} ({store.DomainAccess.ToString().ToUpperInvariant()})");
            if (!ConfirmRemoval(targets, "Remove data store" + (Recurse ? " with its volumes and volume groups" : ""), plan.Describe())) return;
            var result = Decommission.Run(domain, plan, options, ReportVolume);
            WriteVerbose($"Data store {store.Name} on {domain.Node} removed: {result.VolumesRemoved} volume(s), {result.VolumeGroupsRemoved.Count} volume group(s).");
            if (PassThru) WriteObject(result);
        }
    }
}
