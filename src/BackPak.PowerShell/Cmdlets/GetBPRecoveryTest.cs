using System.Management.Automation;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Lists the signed-off records of recovery tests (Test-BPRecovery -Save) of the domain's estate, newest first.</summary>
    [Cmdlet(VerbsCommon.Get, "BPRecoveryTest")]
    [OutputType(typeof(RecoveryTestRecord))]
    public sealed class GetBPRecoveryTestCommand : BPDomainCmdlet
    {
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string? DataStore { get; set; }

        /// <summary>Only the tests made at this node (its SECONDARY store).</summary>
        [Parameter]
        public string? Node { get; set; }

        /// <summary>Only the newest n records.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        protected override void ProcessBackPakRecord()
        {
            var records = Capabilities.Require<IRecoveryTestRecords>(BackPak, "reading the records of recovery tests");
            string? ds = DataStore == null ? null : Names.NormalizeDataStore(DataStore);
            string? node = Node == null ? null : Names.NormalizeNode(Node);
            WriteObject(RecoveryTest.List(records.GetRecoveryTests(), ds, node, Last), true);
        }
    }
}
