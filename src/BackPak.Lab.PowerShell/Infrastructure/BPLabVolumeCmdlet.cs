using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Text;
using BackPak.Lab;

namespace BackPak.PowerShell
{
    /// <summary>
    /// What the lab cmdlets that start or end an operation on volumes share (Start-/Stop-BPLabBackup,
    /// Stop-BPLabRestore): the same parameters, -DataStore, -Label and -InputObject, read the same way. A label is
    /// acted on in the domain of its piped Origin or Node, else -Domain or the default; -DataStore given beside labels
    /// must be their store. Every item's domain is settled (a contradiction stops the command) before anything is done.
    /// The parameters are declared by Start-BPLabBackup (its -DataStore comes first) and by BPLabUnloadCmdlet for the
    /// Stop cmdlets; the reading is here.
    /// </summary>
    public abstract class BPLabVolumeCmdlet : BPDomainCmdlet
    {
        protected abstract string[]? LabelValue { get; }
        protected abstract string[]? DataStoreValue { get; }
        protected abstract Volume[]? InputObjectValue { get; }
        protected abstract string? NodeValue { get; }
        protected abstract DomainIdentity? OriginValue { get; }

        /// <summary>
        /// For the cmdlets that end an operation: which volumes have it in flight, and its name for messages. With a
        /// data store alone, those volumes of the store are the items. Null: a data store alone is not a selection of volumes.
        /// </summary>
        protected virtual (Func<Volume, bool> InFlight, string Name)? OperationEnded => null;

        /// <summary>One item: the lab domain, and a label (null: the cmdlet chooses a volume of <paramref name="Store"/>).</summary>
        protected readonly struct Target
        {
            public Target(LabDomain lab, string? store, string? label) { Lab = lab; Store = store; Label = label; }
            public LabDomain Lab { get; }
            public string? Store { get; }
            public string? Label { get; }
            public string Describe => Label != null ? $"volume {Label} on {Lab.Node}" : $"data store {Store} on {Lab.Node}";
        }

        /// <summary>The items of this record. Without labels, one item per data store (when <paramref name="storeAlone"/>), else an error.</summary>
        protected List<Target> Targets(bool storeAlone)
        {
            var piped = InputObjectValue;
            if (piped != null)
                return piped.Select(v => new Target(LabDomains.Require(ConnectionFor(v.Origin, v.Node, "volume", v.Label).Domain), v.DataStore, v.Label)).ToList();
            var labels = LabelValue;
            var stores = DataStoreValue?.Select(Names.NormalizeDataStore).ToList();
            var domain = ConnectionFor(OriginValue, NodeValue, labels != null ? "volume" : "data store", (object?)labels ?? stores).Domain;
            var lab = LabDomains.Require(domain);
            if (labels == null && OperationEnded is { } ended && stores != null && stores.Count > 0)
            {
                var inFlight = new List<Target>();
                foreach (var s in stores)
                {
                    if (domain.GetDataStores(s).Count == 0)
                        throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                            $"Data store '{s}' does not exist in the domain of {domain.Node}.", s, "Get-BPDataStore lists the data stores of the domain.", stopsInvocation: true);
                    var found = domain.GetVolumes(new VolumeQuery { DataStore = s }).Where(ended.InFlight).Select(v => new Target(lab, v.DataStore, v.Label)).ToList();
                    if (found.Count == 0) WriteVerbose($"No {ended.Name} is in flight in data store {s} on {domain.Node}.");
                    inFlight.AddRange(found);
                }
                return inFlight;
            }
            if (labels == null)
            {
                if (!storeAlone || stores == null || stores.Count == 0)
                    throw new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.InvalidArgument,
                        storeAlone ? "Name the volumes (-Label) or a data store to take a volume of (-DataStore)." : "Name the volumes with -Label, or pipe them from Get-BPVolume.",
                        null, "Get-BPVolume lists the volumes and their data stores.", stopsInvocation: true);
                return stores.Select(s => new Target(lab, s, null)).ToList();
            }
            foreach (var s in stores ?? new List<string>())
                if (domain.GetDataStores(s).Count == 0)
                    throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                        $"Data store '{s}' does not exist in the domain of {domain.Node}.", s, "Get-BPDataStore lists the data stores of the domain.", stopsInvocation: true);
            var list = new List<Target>();
            foreach (var raw in labels)
            {
                string l = Labels.Normalize(raw);
                if (stores != null)
                {
                    var v = domain.GetVolumes(new VolumeQuery { Labels = new[] { Labels.ParsePattern(l) } }).FirstOrDefault();
                    if (v == null || !stores.Contains(v.DataStore, StringComparer.OrdinalIgnoreCase))
                    {
                        WriteBackPakError(new BackPakException(ErrorIds.VolumeNotFound, BackPakErrorCategory.ObjectNotFound,
                            v == null ? $"Volume {l} does not exist in the domain of {domain.Node}."
                                      : $"Volume {l} on {domain.Node} belongs to data store {v.DataStore}, not {string.Join(" or ", stores)}.",
                            l, "Get-BPVolume -DataStore " + string.Join(",", stores) + " lists the volumes of " + (stores.Count == 1 ? "that store." : "those stores.")));
                        continue;
                    }
                    list.Add(new Target(lab, v.DataStore, l));
                }
                else list.Add(new Target(lab, null, l));
            }
            return list;
        }

        /// <summary>Acts on each item; a failure of one is reported and the others go on.</summary>
        protected void ForEachTarget(bool storeAlone, string action, Func<Target, Volume> act)
        {
            foreach (var t in Targets(storeAlone))
            {
                try
                {
                    if (!ShouldProcess(t.Describe, action)) continue;
                    WriteObject(act(t));
                }
                catch (BackPakException e) { WriteBackPakError(e); }
            }
        }
    }
}
