using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// Register-/Get-/Unregister-BPReplicationLink as an operator types them (binding, ErrorIds, the session as their
    /// scope), and the script link as the switch calls it: never on another thread than its pipeline's.
    /// </summary>
    public class ReplicationLinkTests : IClassFixture<SmallLab>
    {
        private readonly SmallLab _lab;
        public ReplicationLinkTests(SmallLab lab) => _lab = lab;

        private PowerShellHost Connected()
        {
            var h = new PowerShellHost();
            h.Run($"Connect-BPDomain -Lab '{_lab.Path}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{_lab.Path}' -Node '\\A' | Out-Null");
            return h;
        }

        [Theory]
        [InlineData("Storage", ReplicationLinkKind.Storage)]
        [InlineData("keys", ReplicationLinkKind.Keys)]
        [InlineData("STORAGE", ReplicationLinkKind.Storage)]
        public void Kind_binds_by_name_in_any_case(string kind, ReplicationLinkKind expected)
        {
            using var h = Connected();
            var (o, e) = h.Run($"Register-BPReplicationLink DS01 {kind} -Reverse {{ param($Link) }} -PassThru");
            Assert.Empty(e);
            var r = Assert.IsType<ReplicationLinkRegistration>(o.Single().BaseObject);
            Assert.Equal(expected, r.Kind);
            Assert.Equal("DS01", r.DataStore);
            Assert.Equal("DS01-" + expected, r.Name);
        }

        [Theory]
        [InlineData("Register-BPReplicationLink DS01 -Kind Tape -Reverse { }", "CannotConvertArgumentNoMessage")]
        [InlineData("Register-BPReplicationLink DS01 -Kind Storage -Reverse $null", "ParameterArgumentValidationError")]
        [InlineData("Register-BPReplicationLink DS01 -Kind Storage -Reverse { } -Status $null", "ParameterArgumentValidationError")]
        // A command name is not a script block: the help shows { param($Link) My-Command ... } and ${function:My-Command}.
        [InlineData("Register-BPReplicationLink DS01 -Kind Storage -Reverse 'Invoke-MyFailover'", "CannotConvertArgumentNoMessage")]
        public void Bad_arguments_are_binding_errors_and_register_nothing(string script, string id)
        {
            using var h = Connected();
            var r = h.Terminating(script);
            Assert.StartsWith(id + ",", r.FullyQualifiedErrorId);
            Assert.Equal(0, h.Count("Get-BPReplicationLink"));
        }

        [Fact]
        public void ErrorIds_categories_and_what_is_left()
        {
            using var h = Connected();
            h.Run("Register-BPReplicationLink DS01 -Kind Storage -Name First -Reverse { param($Link) }");
            var (_, e) = h.Run("Register-BPReplicationLink DS01 -Kind Storage -Name Second -Reverse { param($Link) }");
            var exists = Assert.Single(e);
            Assert.Equal("ReplicationLinkExists,BackPak.PowerShell.Cmdlets.RegisterBPReplicationLinkCommand", exists.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, exists.CategoryInfo.Category);
            Assert.Contains("First", exists.Exception.Message);
            Assert.Equal("First", h.Run("(Get-BPReplicationLink DS01).Name").Output.Single().ToString());

            var bad = Assert.Single(h.Run("Register-BPReplicationLink DS01 -Kind Keys -Name '../x' -Reverse { param($Link) }").Errors);
            Assert.Equal("InvalidName,BackPak.PowerShell.Cmdlets.RegisterBPReplicationLinkCommand", bad.FullyQualifiedErrorId);

            var missing = Assert.Single(h.Run("Unregister-BPReplicationLink DS02 -Confirm:$false").Errors);
            Assert.Equal("ReplicationLinkNotFound,BackPak.PowerShell.Cmdlets.UnregisterBPReplicationLinkCommand", missing.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
            Assert.False(string.IsNullOrEmpty(missing.ErrorDetails?.RecommendedAction));
            Assert.Equal(1, h.Count("Get-BPReplicationLink"));
        }

        [Fact]
        public void Registrations_belong_to_the_session_and_need_a_connection()
        {
            using var one = Connected();
            using var two = Connected();
            one.Run("Register-BPReplicationLink DS01 -Kind Storage -Reverse { param($Link) }");
            Assert.Equal(1, one.Count("Get-BPReplicationLink"));
            Assert.Equal(0, two.Count("Get-BPReplicationLink"));
            using var none = new PowerShellHost();
            Assert.StartsWith("NoDomainConnected,", none.Terminating("Register-BPReplicationLink DS01 -Kind Storage -Reverse { }").FullyQualifiedErrorId);
        }

        [Fact]
        public void Piped_links_are_removed_where_they_were_registered_and_a_contradicting_domain_stops_first()
        {
            using var h = Connected();
            h.Run("Register-BPReplicationLink DS01 -Kind Storage -Reverse { param($Link) }; Register-BPReplicationLink DS01 -Kind Keys -Reverse { param($Link) }");
            var other = new TestLabs("links");
            try
            {
                string lab2 = other.Create("lab2", seed: 3, volumeCount: 20);
                h.Run($"$global:two = Connect-BPDomain -Lab '{lab2}' -Node '\\A'");
                var r = h.Terminating($"Get-BPReplicationLink | Unregister-BPReplicationLink -Domain $two -Confirm:$false");
                Assert.StartsWith("DomainMismatch,", r.FullyQualifiedErrorId);
                Assert.Equal(2, h.Count("Get-BPReplicationLink"));
                var (o, e) = h.Run("Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false -PassThru");
                Assert.Empty(e);
                Assert.Equal(2, o.Count);
                Assert.Equal(0, h.Count("Get-BPReplicationLink"));
                h.Run("Disconnect-BPDomain -Domain $two");
            }
            finally { other.Dispose(); }
        }

        [Fact]
        public void A_script_link_is_never_run_off_its_pipeline_thread()
        {
            using var h = Connected();
            h.Run("$global:called = 0");
            var reg = new ReplicationLinkRegistration
            {
                Name = "Array", DataStore = "DS01", Kind = ReplicationLinkKind.Storage, Location = "lab",
                Reverse = ScriptBlock.Create("$global:called++"), Status = null,
            };
            var saved = Runspace.DefaultRunspace;
            ScriptReplicationLink link;
            Runspace.DefaultRunspace = RunspaceOf(h);
            try { link = new ScriptReplicationLink(reg, "\\B", "SITEB", "\\A", "SITEA", null); }
            finally { Runspace.DefaultRunspace = saved; }

            var e = Assert.Throws<BackPakException>(() => Task.Run(() => link.Reverse()).GetAwaiter().GetResult());
            Assert.Equal(ErrorIds.ReplicationLinkFailed, e.ErrorId);
            Assert.Contains("outside the pipeline thread", e.Message);
            Assert.Contains("DS01", e.Message);
            Assert.Equal(0, Convert.ToInt32(h.Run("$global:called").Output.Single().BaseObject));

            // No -Status script: the switch is told it cannot read the state, and reading it anyway is the same error.
            IRegisteredReplicationLink r = link;
            Assert.False(r.StateKnown);
            Assert.Equal("STORAGE", r.Kind);
            Assert.Contains("script registered for DS01", r.Description);
            Assert.Equal(ErrorIds.ReplicationLinkFailed, Assert.Throws<BackPakException>(() => r.Healthy).ErrorId);
        }

        private static Runspace RunspaceOf(PowerShellHost h) =>
            (Runspace)h.Run("[System.Management.Automation.Runspaces.Runspace]::DefaultRunspace").Output.Single().BaseObject;
    }
}
