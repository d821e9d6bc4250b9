using System;
using System.Management.Automation;
using BackPak.Core.Model;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Leaves a backup running in the lab: a volume is loaded for output until Stop-BPLabBackup.</summary>
    [Cmdlet(VerbsLifecycle.Start, "BPLabBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Label")]
    [OutputType(typeof(Volume))]
    public sealed class StartBPLabBackupCommand : BPLabVolumeCmdlet
    {
        /// <summary>Store IDs: without -Label, one backup starts on the least recently written expired or scratch volume of each; beside -Label, the labels' store.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [Alias("Name")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public string[]? DataStore { get; set; }

        /// <summary>The volumes to load; their store is theirs.</summary>
        [Parameter(Position = 1, ParameterSetName = "Label")]
        [Selection]
        public string[]? Label { get; set; }

        /// <summary>The node a piped object came from (a Node column); not for typing (-Domain is).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Label")]
        public string? Node { get; set; }

        /// <summary>The domain a piped object was read from; not for typing.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Label")]
        [OriginTransformation]
        public DomainIdentity? Origin { get; set; }

        /// <summary>Volumes from Get-BPVolume.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Volume[]? InputObject { get; set; }

        protected override string[]? LabelValue => Label;
        protected override string[]? DataStoreValue => DataStore;
        protected override Volume[]? InputObjectValue => ParameterSetName == "InputObject" ? InputObject : null;
        protected override string? NodeValue => Node;
        protected override DomainIdentity? OriginValue => Origin;

        protected override void ProcessBackPakRecord() =>
            ForEachTarget(true, "Start a backup (load for output)", t => t.Lab.StartBackup(t.Store, t.Label, Environment.UserName));
    }
}
