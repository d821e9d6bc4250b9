using System;
using System.Management.Automation;
using BackPak.Core.Model;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Ends restores (load for input) and materializes in flight in the lab: the volumes were only read, so nothing is written.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "BPLabRestore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "InputObject")]
    [OutputType(typeof(Volume))]
    public sealed class StopBPLabRestoreCommand : BPLabVolumeCmdlet
    {
        /// <summary>Labels of the volumes whose restore or materialize ends; binds from strings and the Label property of piped objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString]
        public string[]? Label { get; set; }

        /// <summary>With -Label: the store the volumes must belong to.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        [Selection]
        public string[]? DataStore { get; set; }

        /// <summary>The node a piped label came from (a Node column); not for typing (-Domain is).</summary>
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
            ForEachTarget(false, "End the restore or materialize (unload)", t => t.Lab.StopRestore(t.Label!, Environment.UserName));
    }
}
