using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BackPak.Core.Errors;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Creates a BackPak lab: nodes \A and \B with their domains, catalogs, storage, staging areas and keys.</summary>
    [Cmdlet(VerbsCommon.New, "BPLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(LabInfo))]
    public sealed class NewBPLabCommand : BPCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        [Parameter]
        [ValidateRange(LabOptions.MinVolumeCount, LabOptions.MaxVolumeCount)]
        public int VolumeCount { get; set; } = 1000;

        [Parameter]
        public int Seed { get; set; } = 1;

        [Parameter]
        public SwitchParameter Encrypted { get; set; }

        /// <summary>Store IDs of the replicated data stores: the first is the main one, the others are replicated as it is.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] DataStore { get; set; } = { "DS01" };

        /// <summary>
        /// A volume group of this name, linked to no catalog, in the main replicated store on both sides: the group the
        /// transport volume of the transport without Expand needs (CS p44, Register-BPTransportVolume).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TransportVolumeGroup { get; set; }

        /// <summary>Replace an existing lab at -Path. A folder that is not a lab is never replaced.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndBackPak()
        {
            string full = FileSystemPath(Path, nameof(Path), ErrorIds.LabPathInvalid);
            bool replacing = BackPak.Lab.Lab.IsLab(full);
            string action = replacing
                ? $"Replace the existing lab with a new lab of {VolumeCount} volumes"
                : $"Create a lab of {VolumeCount} volumes on nodes \\A and \\B";
            if (!ShouldProcess(full, action)) return;

            var options = new LabOptions
            {
                Path = full, VolumeCount = VolumeCount, Seed = Seed, Encrypted = Encrypted,
                Force = Force, DataStore = DataStore[0], MoreDataStores = DataStore.Skip(1).ToArray(),
                TransportVolumeGroup = TransportVolumeGroup,
            };
            // The build runs on worker threads; progress is reported from this (the pipeline) thread only.
            string status = "Starting";
            int percent = 0;
            var build = Task.Run(() => LabBuilder.Create(options, (s, p) => { status = s; Volatile.Write(ref percent, p); }));
            var record = new ProgressRecord(1, "New-BPLab " + full, status);
            while (!((IAsyncResult)build).AsyncWaitHandle.WaitOne(250)) // unlike Wait, never throws: errors surface below
            {
                record.StatusDescription = status;
                record.PercentComplete = Math.Min(99, Volatile.Read(ref percent));
                WriteProgress(record);
            }
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
            var info = build.GetAwaiter().GetResult(); // rethrows a BackPakException as itself
            WriteVerbose($"Created lab {info.Path}: nodes {string.Join(", ", info.Nodes)}, {info.VolumeCount} volumes, seed {info.Seed}, replicated data store(s) {string.Join(", ", info.ReplicatedDataStores)}.");
            WriteObject(info);
        }
    }
}
