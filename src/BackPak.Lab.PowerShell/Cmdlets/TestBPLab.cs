using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Removal;
using BackPak.Lab;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Checks that a lab's estate agrees with itself: one check per place (each store of each node readable, the
    /// BackPak catalog against DSM/TC and TMF, every catalogued volume's images in storage, no image without a
    /// volume, no interrupted removal or import left, the run journals readable). Reads only; never repairs.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPLab", DefaultParameterSetName = "Domain")]
    [OutputType(typeof(DecommissionCheck), typeof(bool))]
    public sealed class TestBPLabCommand : BPDomainCmdlet
    {
        /// <summary>Folder of the lab; without it, the lab of -Domain or of the default connection.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Returns only $true (every check passed) or $false.</summary>
        [Parameter] public SwitchParameter Quiet { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var lab = ParameterSetName == "Path"
                ? global::BackPak.Lab.Lab.Open(FileSystemPath(Path, nameof(Path), ErrorIds.LabPathInvalid))
                : LabDomains.Require(BackPak).Lab;
            var progress = new ProgressRecord(1, "Test-BPLab", "Checking the estate of the lab at " + lab.Root);
            WriteProgress(progress);
            var checks = LabEstate.Test(lab);
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            if (Quiet) WriteObject(checks.All(c => c.Passed));
            else WriteObject(checks, true);
        }
    }
}
