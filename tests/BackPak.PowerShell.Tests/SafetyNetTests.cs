using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackPak.Core.Errors;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// A cmdlet of this test that fails the way .NET code fails when no rule foresaw it: what it throws is named by
    /// -Kind. It derives from the module's one base, so it has the safety net every BackPak cmdlet has.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "BPSafetyNet")]
    public sealed class TestBPSafetyNetCommand : BPCmdlet
    {
        [Parameter(Position = 0)] public string Kind { get; set; } = "";
        [Parameter] public SwitchParameter InProcess { get; set; }

        protected override void BeginBackPak()
        {
            if (!InProcess) Fail();
        }

        protected override void ProcessBackPakRecord()
        {
            WriteObject(1);
            WriteObject(2);
            if (InProcess) Fail();
        }

        private void Fail()
        {
            switch (Kind)
            {
                case "IOException": throw new IOException("No space left on device : '/labs/lab1/nodes/B/staging/BPSTAGE.DS01/FULL.bpx'");
                case "UnauthorizedAccess": throw new UnauthorizedAccessException("Access to the path '/labs/lab1' is denied.");
                case "SqliteNoData": throw new InvalidOperationException("No data exists for the row/column.");
                case "MultiLine": throw new FormatException("first line of the failure\n   at Some.Internal.Frame() in /src/x.cs:line 12");
                case "Aggregate": throw new AggregateException(new DirectoryNotFoundException("Could not find a part of the path '/x'."));
                case "AggregateBackPak":
                    throw new AggregateException(new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument, "bad name", "x", "fix it"));
                case "BackPak":
                    throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound, "no such store", "DS09", "list them");
                case "PipelineStopped": throw new PipelineStoppedException();
                case "WriteErrorStop":
                    WriteError(new ErrorRecord(new Exception("a non-terminating error of the test"), "TestError", ErrorCategory.NotSpecified, null));
                    break;
            }
        }
    }

    /// <summary>
    /// Every failure that crosses the cmdlet boundary is a BackPak ErrorRecord: a stable ErrorId, the category, the
    /// target, a recommended action and the failure's own message (never a stack trace); PowerShell's own flow passes
    /// through untouched.
    /// </summary>
    public class SafetyNetTests : IDisposable
    {
        private readonly Runspace _runspace;

        public SafetyNetTests()
        {
            var iss = InitialSessionState.CreateDefault2();
            iss.Commands.Add(new SessionStateCmdletEntry("Test-BPSafetyNet", typeof(TestBPSafetyNetCommand), null));
            _runspace = RunspaceFactory.CreateRunspace(iss);
            _runspace.Open();
        }

        public void Dispose() => _runspace.Dispose();

        private ErrorRecord Terminating(string script)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("try { " + script + " } catch { ,$_ }");
            var record = ps.Invoke().Select(o => o.BaseObject).OfType<ErrorRecord>().SingleOrDefault();
            Assert.True(record != null, "no terminating error; errors: " + string.Join("; ", ps.Streams.Error.Select(e => e.FullyQualifiedErrorId)));
            return record!;
        }

        private const string Fqid = ",BackPak.PowerShell.Tests.TestBPSafetyNetCommand";

        [Theory]
        [InlineData("IOException", "FileSystemError", ErrorCategory.WriteError, "No space left on device")]
        [InlineData("UnauthorizedAccess", "FileSystemError", ErrorCategory.PermissionDenied, "is denied")]
        [InlineData("Aggregate", "FileSystemError", ErrorCategory.WriteError, "Could not find a part of the path")]
        [InlineData("SqliteNoData", "UnexpectedError", ErrorCategory.NotSpecified, "No data exists for the row/column")]
        [InlineData("MultiLine", "UnexpectedError", ErrorCategory.NotSpecified, "first line of the failure")]
        public void A_raw_exception_becomes_a_terminating_BackPak_error(string kind, string id, ErrorCategory category, string text)
        {
            foreach (var where in new[] { "", " -InProcess" })
            {
                var r = Terminating($"Test-BPSafetyNet {kind}{where}");
                Assert.Equal(id + Fqid, r.FullyQualifiedErrorId);
                Assert.Equal(category, r.CategoryInfo.Category);
                var e = Assert.IsType<BackPakException>(r.Exception);
                Assert.Contains(text, e.Message);
                Assert.StartsWith("Test-BPSafetyNet ", e.Message);
                Assert.DoesNotContain("\n", e.Message);
                Assert.DoesNotContain(" at ", e.Message.Replace("at '", ""));
                Assert.NotNull(e.InnerException); // the original stays available for a support case
                Assert.False(string.IsNullOrEmpty(r.ErrorDetails?.RecommendedAction));
                Assert.Equal("Test-BPSafetyNet", r.TargetObject);
            }
        }

        [Fact]
        public void A_BackPak_error_keeps_its_own_id_and_stays_non_terminating()
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("Test-BPSafetyNet BackPak -InProcess; 'went on'");
            var output = ps.Invoke().Select(o => o.BaseObject.ToString()).ToList();
            Assert.Equal(new[] { "1", "2", "went on" }, output);
            Assert.Equal("DataStoreNotFound" + Fqid, ps.Streams.Error.Single().FullyQualifiedErrorId);
        }

        [Fact]
        public void A_BackPak_error_from_worker_threads_is_reported_as_itself()
        {
            var r = Terminating("Test-BPSafetyNet AggregateBackPak -ErrorAction Stop");
            Assert.Equal("InvalidName" + Fqid, r.FullyQualifiedErrorId);
        }

        [Fact]
        public void PowerShells_own_flow_passes_through()
        {
            // Select-Object -First stops the cmdlet upstream: no error at all.
            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = _runspace;
                ps.AddScript("Test-BPSafetyNet IOException -InProcess | Select-Object -First 1");
                Assert.Single(ps.Invoke());
                Assert.Empty(ps.Streams.Error);
            }
            // -ErrorAction Stop on a non-terminating error stops with that error, not with UnexpectedError.
            var stop = Terminating("Test-BPSafetyNet WriteErrorStop -ErrorAction Stop");
            Assert.Equal("TestError" + Fqid, stop.FullyQualifiedErrorId);
            // A stopped pipeline stays a stopped pipeline.
            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = _runspace;
                ps.AddScript("Test-BPSafetyNet PipelineStopped");
                try { ps.Invoke(); }
                catch (PipelineStoppedException) { }
                Assert.Empty(ps.Streams.Error);
            }
        }
    }
}
