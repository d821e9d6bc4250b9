using System;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Sync;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>The one rule of Wait-BPCatalogExport and the switch's drain step: what is drained, what cannot drain, and why.</summary>
    public class ExportDrainTests
    {
        private static readonly DomainIdentity A = new DomainIdentity("Lab", "/labs/one", @"\A");

        private static ExportStatus Status(int pending, ExportState state = ExportState.Active, bool running = false, string? staging = @"\B.$BPSTAGE.DS01",
            bool reachable = true, string? problem = null, bool inactive = false, string? lastError = null) => new ExportStatus(A)
        {
            DataStore = "DS01", Node = @"\A", State = state, Suspended = state == ExportState.Suspended, Running = running,
            StagingArea = staging, StagingReachable = reachable, StagingProblem = problem, Inactive = inactive,
            ExportCheckDelaySeconds = 300, LagSeconds = pending > 0 ? 180 : 0,
            Pending = Enumerable.Range(0, pending).Select(i => new PendingExport
            {
                Label = "AB000" + i, Raised = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), LastError = lastError,
                NextRetry = new DateTime(2026, 11, 1, 0, 5, 0, DateTimeKind.Utc),
            }).ToArray(),
        };

        [Fact]
        public void Nothing_pending_and_nothing_running_is_drained_and_a_store_that_does_not_export_is_too()
        {
            Assert.True(ExportDrain.IsDrained(Status(0)));
            Assert.True(ExportDrain.IsDrained(Status(3, ExportState.NotPrimary)));
            Assert.False(ExportDrain.IsDrained(Status(0, running: true)));
            Assert.False(ExportDrain.IsDrained(Status(1)));
            Assert.Null(ExportDrain.Blocked(Status(0, ExportState.Suspended)));
        }

        [Theory]
        [InlineData("suspended", ErrorIds.ExportSuspended, "Resume-BPCatalogExport -DataStore DS01")]
        [InlineData("no staging area", ErrorIds.StagingAreaNotSet, "Set-BPDataStore -Name DS01 -StagingArea")]
        [InlineData("unreachable", ErrorIds.StagingUnreachable, "Start-BPCatalogExport -DataStore DS01 -Type Update")]
        [InlineData("inactive", ErrorIds.ActionNotAllowed, "Start-BPCatalogExport -DataStore DS01 -Type Update")]
        public void Held_updates_that_nothing_can_send_block_the_wait_with_the_way_out(string why, string id, string wayOut)
        {
            var st = why switch
            {
                "suspended" => Status(3, ExportState.Suspended),
                "no staging area" => Status(3, staging: null, reachable: false),
                "unreachable" => Status(3, reachable: false, problem: @"The staging area \B.$BPSTAGE.DS01 on \B cannot be reached from \A: the Expand link is down."),
                _ => Status(3, inactive: true),
            };
            var e = ExportDrain.Blocked(st)!;
            Assert.Equal(id, e.ErrorId);
            Assert.Contains("3 update(s) of DS01", e.Message);
            Assert.Contains(wayOut, e.RecommendedAction);
            Assert.DoesNotMatch(@"\bR\d+\b", e.Message); // operator language: no internal rule numbers
            if (why == "unreachable") Assert.Contains("Expand link is down", e.Message);
            Assert.Equal("run's own way out", ExportDrain.Blocked(st, "run's own way out")!.RecommendedAction);
        }

        [Fact]
        public void Updates_waiting_for_their_retry_do_not_block_and_a_timeout_names_only_what_holds_now()
        {
            var st = Status(2, lastError: "The staging area cannot be reached from \\A: the Expand link is down.");
            Assert.Null(ExportDrain.Blocked(st));
            var e = ExportDrain.TimedOut(st, TimeSpan.FromSeconds(5));
            Assert.Equal(ErrorIds.ExportWaitTimeout, e.ErrorId);
            Assert.Contains("AB0000, AB0001", e.Message);
            Assert.Contains("next retry at 2026-11-01 00:05:00", e.Message);
            Assert.DoesNotContain("Expand link", e.Message);
            Assert.StartsWith("Start-BPCatalogExport -DataStore DS01 -Type Update sends the pending updates at once", e.RecommendedAction);
            Assert.Contains("an export is running now", ExportDrain.TimedOut(Status(0, running: true), TimeSpan.FromSeconds(5)).Message);
        }
    }
}
