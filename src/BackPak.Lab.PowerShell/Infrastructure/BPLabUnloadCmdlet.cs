using System.Management.Automation;
using BackPak.Core.Model;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The parameters of the lab cmdlets that end an operation in flight on named volumes (Stop-BPLabBackup,
    /// Stop-BPLabRestore): labels first, volumes piped from Get-BPVolume, or a data store alone (every operation of the
    /// cmdlet's kind in flight there ends). Start-BPLabBackup declares its own, since its -DataStore comes first.
    /// </summary>
    public abstract class BPLabUnloadCmdlet : BPLabVolumeCmdlet
    {
        /// <summary>Labels of the volumes whose operation ends; binds from strings and the Label property of piped objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [Selection]
        [AllowNull, AllowEmptyCollection, AllowEmptyString]
        public string[]? Label { get; set; }

        /// <summary>With -Label: the store the volumes must belong to. Alone: every volume of the store with this kind of operation in flight.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Label")]
        [Parameter(Mandatory = true, ParameterSetName = "DataStore")]
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

        /// <summary>Volumes from Get-BPVolume (or Start-BPLabBackup).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Volume[]? InputObject { get; set; }

        protected override string[]? LabelValue => ParameterSetName == "Label" ? Label : null;
        protected override string[]? DataStoreValue => DataStore;
        protected override Volume[]? InputObjectValue => ParameterSetName == "InputObject" ? InputObject : null;
        protected override string? NodeValue => Node;
        protected override DomainIdentity? OriginValue => Origin;
    }
}
