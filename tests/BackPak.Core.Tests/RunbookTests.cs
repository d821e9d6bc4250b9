using System;
using System.IO;
using System.Linq;
using BackPak.Core.Procedures;
using Xunit;

namespace BackPak.Core.Tests
{
    /// <summary>The runbook of a switch: every step of the plan, in its order, each with what to do by hand and how to check it.</summary>
    public sealed class RunbookTests
    {
        [Fact]
        public void Every_step_of_the_switch_plan_has_its_actions_check_and_source_in_the_plan_order()
        {
            var plan = RoleSwitch.Plan("DS01", @"\A", @"\B");
            var book = Runbook.ForRoleSwitch(plan);
            Assert.Equal(plan.Steps.Select(s => s.Id), book.Steps.Select(s => s.Step.Id));
            Assert.All(book.Steps, s =>
            {
                Assert.NotEmpty(s.Actions);
                Assert.False(string.IsNullOrWhiteSpace(s.Check));
                Assert.False(string.IsNullOrWhiteSpace(s.Means));
            });
            Assert.Equal(plan.Notes, book.After);
        }

        [Fact]
        public void The_markdown_lists_each_step_once_with_its_source_inferred_ones_marked_and_a_line_to_sign()
        {
            var book = Runbook.ForRoleSwitch(RoleSwitch.Plan("DS01", @"\PROD1", @"\DR1"));
            var w = new StringWriter();
            RunbookWriter.Markdown(book, w, "oper", new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc));
            string md = w.ToString();
            Assert.StartsWith(@"# Role switch of DS01: PRIMARY from \PROD1 to \DR1", md);
            Assert.Contains("2026-12-02 10:00 UTC by oper", md);
            foreach (var s in book.Steps)
            {
                Assert.Single(md.Split('\n'), l => l.TrimEnd() == $"### {s.Step.Number}. {s.Step.Title}");
                Assert.Contains(s.Step.Inferred ? "*" + s.Step.Source + "*" : s.Step.Source, md);
            }
            Assert.Equal(book.Steps.Count, md.Split('\n').Count(l => l.StartsWith("- [ ] Done by:", StringComparison.Ordinal)));
            // The imports are the macro's own command, as the NonStop provider sends it (CS p28).
            Assert.Contains(@"`BB027_IMPORT_CATALOG STOREID DS01, CATALOGFILES YES, TYPE FULL`", md);
        }

        [Fact]
        public void A_store_id_with_spaces_is_written_as_the_macro_reads_it_and_a_table_cell_never_breaks()
        {
            var book = Runbook.ForRoleSwitch(RoleSwitch.Plan("MY STORE", @"\A", @"\B"));
            var w = new StringWriter();
            RunbookWriter.Markdown(book, w, "a|b", DateTime.UtcNow);
            string md = w.ToString();
            Assert.Contains("STOREID MY_STORE, STOREID_ALIAS 1, CATALOGFILES YES, TYPE FULL", md);
            // Every table row has its five cells.
            Assert.All(md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)),
                l => Assert.Equal(6, l.Replace("\\|", "").Count(c => c == '|')));
        }

        [Theory]
        [InlineData(null, false, BackPak.Core.Removal.DecommissionKeep.None)]
        [InlineData(@"\B", true, BackPak.Core.Removal.DecommissionKeep.None)]
        [InlineData(@"\B", false, BackPak.Core.Removal.DecommissionKeep.StagingArea | BackPak.Core.Removal.DecommissionKeep.Replicas)]
        public void Every_step_of_a_decommission_has_its_actions_and_check_and_what_is_kept_is_said(string? secondary, bool keys, BackPak.Core.Removal.DecommissionKeep keep)
        {
            var steps = BackPak.Core.Removal.DataStoreDecommission.StepInfos("DS01", @"\A", secondary, keys, keep);
            var book = DecommissionRunbook.For("DS01", @"\A", secondary, keys, keep);
            Assert.Equal(steps.Select(s => s.Id), book.Steps.Select(s => s.Step.Id));
            Assert.All(book.Steps, s => { Assert.NotEmpty(s.Actions); Assert.False(string.IsNullOrWhiteSpace(s.Check)); });
            Assert.Equal(!keys, book.After.Any(a => a.Contains("keys stay")));
            Assert.Equal(secondary != null && keep != 0, book.After.Any(a => a.Contains("as chosen") && a.Contains("staging area")));
            if (keys) Assert.Contains("Media Key Names", book.Steps[0].Actions[0]); // noted before the volumes that name them go
        }
    }
}
