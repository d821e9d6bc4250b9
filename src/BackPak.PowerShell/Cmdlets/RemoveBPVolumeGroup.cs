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
    /// <summary>Removes volume groups from the configuration [CS p41]; with -Recurse, their volumes first.</summary>
    [Cmdlet(VerbsCommon.Remove, "BPVolumeGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Name")]
    [OutputType(typeof(DecommissionResult), typeof(VolumeRemovalResult))]
    public sealed class RemoveBPVolumeGroupCommand : BPRemovalCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
        [ArgumentCompleter(typeof(VolumeGroupCompleter))]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString] // so that an empty list is EmptySelection, not a binding error
        public string[]? Name { get; set; }

        /// <summary>Volume groups from Get-BPVolumeGroup.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public VolumeGroup[] InputObject { get; set; } = new VolumeGroup[0];

        /// <summary>Remove the group's volumes first (storage, DSM/TC or TMF, BackPak), as one journaled run.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        private readonly List<(IDomainReader Domain, VolumeGroup Group)> _targets = new List<(IDomainReader, VolumeGroup)>();

        protected override void ProcessBackPakRecord()
        {
            if (ParameterSetName == "InputObject")
            {
                foreach (var g in InputObject)
                {
                    try { _targets.Add((ConnectionFor(g.Origin, g.Node, "volume group", g.Name).Domain, g)); }
                    catch (BackPakException e) { WriteBackPakError(e); }
                }
                return;
            }
            var groups = BackPak.GetVolumeGroups();
            foreach (var n in Name!)
            {
                string exact = Names.NormalizeVolumeGroup(n);
                var g = groups.FirstOrDefault(x => string.Equals(x.Name, exact, System.StringComparison.OrdinalIgnoreCase));
                if (g != null) _targets.Add((BackPak, g));
                else WriteBackPakError(new BackPakException(ErrorIds.VolumeGroupNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Volume group '{n}' does not exist in the domain of {BackPak.Node}.", n, "Get-BPVolumeGroup lists the volume groups of the domain."));
            }
        }

        protected override void EndBackPak()
        {
            // Every provider involved must be able to remove groups (and their volumes) before the first one goes.
            foreach (var d in _targets.Select(t => t.Domain).Distinct())
            {
                Capabilities.Require<IStoreRemover>(d, "volume group removal");
                if (Recurse) Capabilities.Require<IVolumeRemover>(d, "volume group removal with its volumes");
            }
            foreach (var (domain, group) in _targets)
            {
                try { RemoveOne(domain, group); }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }

        private void RemoveOne(IDomainReader domain, VolumeGroup group)
        {
            var options = Options();
            var plan = Decommission.Plan(domain, group.DataStore, group.Name, options);
            if (plan.Volumes.Count > 0 && !Recurse)
                throw new BackPakException(ErrorIds.VolumeGroupNotEmpty, BackPakErrorCategory.InvalidOperation,
                    $"Volume group '{group.Name}' of data store {group.DataStore} on {domain.Node} still has {plan.Volumes.Count} volume(s); the manual's order is volumes first (BackPak manual, Catalog Sync option p. 41).",
                    group.Name, "Remove its volumes (Get-BPVolume -VolumeGroup " + group.Name + " | Remove-BPVolume), or add -Recurse.");
            foreach (var r in plan.Volumes.Where(v => v.Refusal != null)) WriteBackPakError(r.Refusal!, r.Volume); // each refusal once
            var targets = plan.Volumes.Where(v => v.Refusal == null).Select(v => $"{v.Volume.Label} ({group.DataStore}/{group.Name} on {domain.Node})").Append($"volume group {group.Name} of {group.DataStore} on {domain.Node}");
            if (plan.Refused > 0 && WhatIfActive) targets = new string[0]; // nothing would go: the summary says why
            if (plan.Refused == 0 && !ConfirmRemoval(targets, "Remove volume group" + (Recurse ? " with its volumes" : ""), plan.Describe())) return;
            if (plan.Refused > 0 && WhatIfActive) { ShouldProcess(plan.Describe(), "Remove volume group with its volumes"); return; }
            DecommissionResult result;
            try { result = Decommission.Run(domain, plan, options, ReportVolume); }
            catch (BackPakException e) when (e.Target is DecommissionResult refused)
            {
                if (PassThru) WriteObject(refused); // the summary, even when nothing was done
                throw;
            }
            if (!result.Completed)
            {
                if (PassThru) WriteObject(result);
                throw new BackPakException(ErrorIds.DecommissionRefused, BackPakErrorCategory.InvalidOperation, result.Message!, result,
                    "Deal with the volumes reported above, then run the same command again: it goes on from there.");
            }
            WriteVerbose($"Volume group {group.Name} of {group.DataStore} on {domain.Node} removed ({result.VolumesRemoved} volume(s) removed).");
            if (PassThru) WriteObject(result);
        }
    }
}
