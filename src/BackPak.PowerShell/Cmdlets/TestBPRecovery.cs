using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Answers "could we recover here now?" at the SECONDARY side of a data store, one object per check, changing
    /// nothing; with -Save, keeps a signed-off record of the test (Get-BPRecoveryTest lists them).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPRecovery")]
    [OutputType(typeof(RecoveryCheck), typeof(bool))]
    public sealed class TestBPRecoveryCommand : BPCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DataStoreCompleter))]
        public string DataStore { get; set; } = "";

        /// <summary>The domain whose store is SECONDARY: the side that would recover (a connection or a node name).</summary>
        [Parameter(Mandatory = true)]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection Node { get; set; } = null!;

        /// <summary>The domain of the PRIMARY side to compare with; by default the store's other side, when it is connected.</summary>
        [Parameter]
        [DomainTransformation]
        [ArgumentCompleter(typeof(ConnectedNodeCompleter))]
        public DomainConnection? Primary { get; set; }

        /// <summary>How many replica images are read back as a sample restore (0 skips it).</summary>
        [Parameter]
        [ValidateRange(0, RecoveryTest.MaxSampleSize)]
        public int SampleSize { get; set; } = RecoveryTest.DefaultSampleSize;

        /// <summary>Keeps a signed-off record of the test.</summary>
        [Parameter] public SwitchParameter Save { get; set; }

        /// <summary>A note kept with the record (-Save).</summary>
        [Parameter] public string? Note { get; set; }

        /// <summary>Returns only $true or $false: whether every check passed.</summary>
        [Parameter] public SwitchParameter Quiet { get; set; }

        protected override void ProcessBackPakRecord()
        {
            DomainSessions.RequireOpen(Node);
            string ds = Names.NormalizeDataStore(DataStore);
            var s = Node.Domain;
            // Checked before anything is read, so -Save never runs a test it cannot keep.
            var records = Save ? Capabilities.Require<IRecoveryTestRecords>(s, "keeping the record of a recovery test") : null;
            RecoveryTest.RequireSecondary(s, ds);
            var primary = FindPrimary(ds, out var problem);
            var opened = new List<IKeyManager>();
            try
            {
                var servers = RecoveryKeyServers.Of(s, opened);
                var checks = RecoveryTest.Test(new RecoveryTestContext
                {
                    DataStore = ds, Secondary = s, Primary = primary?.Domain, PrimaryProblem = problem, KeyServers = servers, SampleSize = SampleSize,
                });
                if (Quiet) WriteObject(checks.All(c => c.Passed));
                else WriteObject(checks, true);
                if (records != null)
                {
                    var record = RecoveryTest.Record(checks, ds, s.Node, Environment.UserName, s.Now, Note);
                    records.SaveRecoveryTest(record);
                    WriteVerbose($"Recovery test {record.Id} of {ds} at {s.Node} kept: {(record.Passed ? "passed" : record.Failed + " check(s) failed")}.");
                }
            }
            finally
            {
                foreach (var k in opened) k.Dispose();
            }
        }

        /// <summary>The PRIMARY side to compare with: -Primary, else the store's other side (the provider tells it) when it is connected.</summary>
        private DomainConnection? FindPrimary(string ds, out string? problem)
        {
            problem = null;
            if (Primary != null)
            {
                DomainSessions.RequireOpen(Primary);
                if (Primary.Location != Node.Location || string.Equals(Primary.Node, Node.Node, StringComparison.OrdinalIgnoreCase))
                    throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                        $"-Primary {Primary.Node} of {Primary.Location} is not the other side of {ds} at {Node.Node} of {Node.Location}: give a domain of the same estate on another node.",
                        Primary, "Leave -Primary out to compare with the store's other side when it is connected.", stopsInvocation: true);
                return Primary;
            }
            var partner = RecoveryTest.PrimaryNodeOf(Node.Domain, ds, out problem);
            if (partner == null) return null;
            var c = DomainSessions.All.FirstOrDefault(x => x.IsOpen && x.Location == Node.Location && string.Equals(x.Node, partner, StringComparison.OrdinalIgnoreCase));
            if (c == null) problem = $"the PRIMARY side {partner} is not connected in this session (Connect-BPDomain it to compare)";
            return c;
        }
    }
}
