using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace BackPak.Core.Procedures
{
    /// <summary>One step of a runbook: the step of the plan, and how a person does and checks it without the module.</summary>
    public sealed class RunbookStep
    {
        public StepInfo Step { get; init; } = null!;
        /// <summary>Who does it by hand: the BackPak GUI, TACL on a node, or the storage array's or key server's own tools.</summary>
        public string Means { get; init; } = "";
        /// <summary>What to do, in order, with the GUI page and action or the exact command.</summary>
        public IReadOnlyList<string> Actions { get; init; } = new string[0];
        /// <summary>How to see that it is done.</summary>
        public string Check { get; init; } = "";
    }

    /// <summary>
    /// A procedure's plan written for a person: every step in order with the GUI page and action or the TACL command
    /// that does it by hand, how to check it, and where it comes from in the manual (or that it is inferred). For a
    /// change ticket, or for a site where the module cannot do a step (BackPak's Domain Manager has no public API:
    /// domain access, exports and the Export Status page are GUI actions).
    /// </summary>
    public sealed class Runbook
    {
        public string Title { get; init; } = "";
        public string DataStore { get; init; } = "";
        public IReadOnlyList<RunbookStep> Steps { get; init; } = new RunbookStep[0];
        public IReadOnlyList<string> Before { get; init; } = new string[0];
        public IReadOnlyList<string> After { get; init; } = new string[0];

        /// <summary>The runbook of a planned switch (domain.md §3.3): each of the plan's steps, done by hand.</summary>
        public static Runbook ForRoleSwitch(RoleSwitchPlan plan)
        {
            string ds = plan.DataStore, p = plan.Primary, s = plan.Secondary;
            const string Gui = "the BackPak GUI";
            // The line the NonStop provider's ImportCatalog template sends: a store id with spaces goes with '_' and STOREID_ALIAS 1.
            string storeArg = ds.IndexOf(' ') >= 0 ? ds.Replace(' ', '_') + ", STOREID_ALIAS 1" : ds;
            string import(string node) => $"TACL on {node}, in the BackPak install subvolume: `LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS`, then " +
                $"`BB027_IMPORT_CATALOG STOREID {storeArg}, CATALOGFILES YES, TYPE FULL` (CS p28).";
            var byId = new Dictionary<string, (string Means, string[] Actions, string Check)>(StringComparer.Ordinal)
            {
                ["wait-backups"] = (Gui, new[]
                {
                    $"Hold the backup jobs that write to the volume groups of {ds} (your backup applications' own schedule).",
                    $"Volume List of {ds}: wait until no volume shows the current operation LOAD for output.",
                }, $"No volume of {ds} on {p} is loaded for output."),
                ["drain-exports"] = (Gui, new[]
                {
                    $"Export Status page of {ds}: wait until no export update is pending.",
                    "If an update failed, start an export update by hand (CS p16) and wait for it to succeed.",
                }, "The Export Status page shows nothing pending and the last export succeeded."),
                ["final-full-export"] = (Gui, new[]
                {
                    $"Data store {ds}, Catalog Sync Export: start a FULL export to the current staging area on {s} (CS p15, p16).",
                    "Wait for it to end on the Export Status page.",
                }, "The FULL export ended with success: the staging area holds every volume, deletions included."),
                ["stop-export"] = (Gui, new[]
                {
                    $"Stop the catalog export activity of {ds}: suspend its exports (how the GUI stops them is on a page of the manual that is not available: inferred).",
                    $"Hold the NetBatch jobs that run FULL exports of {ds} on {p}.",
                    $"Do not create volumes in {ds} and do not run OBB017 until the switch ends: each would start an export update (CS p16).",
                }, "No export of the store runs or waits on the Export Status page."),
                ["final-full-import"] = ("TACL", new[] { import(s) },
                    $"The import on {s} ended and every volume was imported (a failed volume makes the next import redo them all, CS p15)."),
                ["check-replication"] = ("the storage array's and the key servers' own tools", new[]
                {
                    $"Storage replication of {ds} from {p} to {s}: healthy, and the volume images of the last backups are at {s}.",
                    $"Key-server replication from {p} to {s}: healthy, and the keys of the last backups are at {s}.",
                }, "Both report no replication lag."),
                ["reverse-storage-replication"] = ("the storage array's own tools", new[]
                {
                    $"Reverse the replication of the storage of {ds}: from now on data flows from {s} to {p}. Nothing moves; only the direction changes (CS p41).",
                }, $"The storage array shows {s} as the source of the pair."),
                ["reverse-key-replication"] = ("the key servers' own tools (for HP ESKM: its management console)", new[]
                {
                    $"Reverse key replication: from now on keys flow from the key server of {s} to that of {p} (CS p41).",
                }, $"The key server of {s} is the source."),
                ["demote-primary"] = (Gui, new[]
                {
                    $"Configuration page, data store {ds}: Switch to Edit mode, set Domain access to SECONDARY, save (CS p14).",
                }, $"{ds} on {p} shows SECONDARY: from now on {p} refuses loads for output and volume creation in it. Never two PRIMARY: do this before the next step."),
                ["promote-secondary"] = (Gui, new[]
                {
                    $"Configuration page, data store {ds}: Switch to Edit mode, set Domain access to PRIMARY, save (CS p14).",
                    $"Check that the Key Manager of the domain on {s} (same BackPak id) points at the key server that is now the source (CS p6).",
                }, $"{ds} shows PRIMARY on {s} and SECONDARY on {p}."),
                ["move-staging"] = ("your usual TACL tools", new[]
                {
                    $"Choose the staging subvolume on {p} that receives the exports of {s} from now on (the site's naming); create it if needed.",
                    $"Check that its disk volume has the space of a FULL export of {ds} (CS p41).",
                }, $"The staging subvolume exists on {p} and its disk volume has the space."),
                ["configure-export"] = (Gui, new[]
                {
                    $"Data store {ds}: Switch to Edit mode, Catalog Sync Export: set Full export frequency, Export check delay and the staging area (the new one on {p}), save (CS p20).",
                }, $"The Catalog Sync Export page of {ds} on {s} names the staging area on {p}."),
                ["configure-import"] = (Gui, new[]
                {
                    $"Data store {ds}, catalog import configuration: the staging area location; the node-name replacement pairs reversed, if the store uses them (CS p12); the original primary names, if they differ (CS p9).",
                }, $"The import configuration of {ds} on {p} names the new staging area."),
                ["prove-full-export"] = (Gui, new[]
                {
                    $"Data store {ds}, Catalog Sync Export: start a FULL export to the new staging area on {p}; wait for it on the Export Status page (CS p16).",
                }, "The FULL export ended with success."),
                ["prove-full-import"] = ("TACL", new[] { import(p) }, $"The import on {p} ended and every volume was imported: the new direction works."),
                ["resume-export"] = (Gui, new[]
                {
                    $"Export Status page of {ds}: resume its exports, if they are suspended (inferred).",
                    $"Release the backup jobs of {ds}, now on {s}: load for output is allowed there (CS p14).",
                }, $"Export updates of {ds} from {s} succeed after the next backup."),
            };
            var steps = new List<RunbookStep>();
            foreach (var step in plan.Steps)
            {
                // Every step of the plan has its hand instructions (a test walks the plan): a new step without them is a bug.
                if (!byId.TryGetValue(step.Id, out var how))
                    throw new InvalidOperationException($"The runbook has no instructions for step '{step.Id}' of the switch.");
                steps.Add(new RunbookStep { Step = step, Means = how.Means, Actions = how.Actions, Check = how.Check });
            }
            return new Runbook
            {
                Title = $"Role switch of {ds}: PRIMARY from {p} to {s}",
                DataStore = ds,
                Steps = steps,
                Before = new[]
                {
                    $"Both sides reachable: {p} and {s} linked by Expand for the staging area; storage and key replication set up by their own tools (CS p6, p41).",
                    $"Checked with the module, if you have it: `Test-BPRoleSwitch {ds} -Primary '{p}' -Secondary '{s}'` and `Compare-BPDomain '{p}' '{s}' -DataStore {ds} -CatalogEntryKind TapeVolume, TapeFile, DiskFile`.",
                    "A time with no backup of the store planned, from the first step until the store is PRIMARY on the other side.",
                    $"With the module, `Invoke-BPRoleSwitch {ds} -Primary '{p}' -Secondary '{s}'` runs these steps in this order, checks each, " +
                    "and resumes after a stop; the steps outside BackPak (replication) go through a replication link registered for the store, " +
                    "or wait for the operator to confirm them. This runbook is for doing or following them by hand.",
                },
                After = plan.Notes,
            };
        }
    }

    public static class DecommissionRunbook
    {
        /// <summary>
        /// The runbook of a decommission (domain.md §3.4): each step of <see cref="Removal.DataStoreDecommission.StepInfos"/>,
        /// done by hand through the BackPak GUI's Volume and Configuration pages, TACL, and the storage and key servers' tools.
        /// <param name="registeredStorageLink">How a storage link the operator registered for the store is named, or null:
        /// the module's run then stops at the replicas step for the operator, and the runbook says so.</param>
        /// </summary>
        public static Runbook For(string dataStore, string primary, string? secondary, bool destroyKeys, Removal.DecommissionKeep keep,
            string? registeredStorageLink = null)
        {
            string ds = dataStore, p = primary, s = secondary ?? "";
            const string Gui = "the BackPak GUI";
            var byId = new Dictionary<string, (string Means, string[] Actions, string Check)>(StringComparer.Ordinal)
            {
                ["inventory"] = (Gui, new[]
                {
                    $"Volume List of {ds} on {p}{(s.Length > 0 ? " and on " + s : "")}: note its volumes, volume groups and, for encrypted volumes, their Media Key Names: once the volumes are deleted, nothing in BackPak names their keys.",
                    "Check that no volume holds unexpired data (BackBox refuses to delete it, BB p15/13) and that none shows a current operation.",
                }, "The list of volumes, groups and Media Key Names is kept with this runbook; every volume may go."),
                ["stop-export"] = (Gui, new[]
                {
                    $"Suspend the catalog export of {ds} on {p} (how the GUI stops exports is on a page of the manual that is not available: inferred).",
                    $"Hold the NetBatch jobs of {ds}: its FULL exports on {p}{(s.Length > 0 ? $" and its BB027_IMPORT_CATALOG imports on {s}" : "")}.",
                }, "No export of the store runs or waits on the Export Status page."),
                ["primary-volumes"] = (Gui, new[]
                {
                    $"Volume List of {ds} on {p}: select its volumes (the Volume List deletes many at once, BB p166/164) and Delete. For each this deletes the backup data in storage, the DSM/TC or TMF entries and the BackPak entry (CS p41).",
                }, $"The Volume List of {ds} on {p} is empty, and MEDIACOM INFO TAPEVOLUME of its labels in the store's VOLCAT finds none."),
                ["primary-groups"] = (Gui, new[]
                {
                    $"Configuration page on {p}: for each volume group of {ds}, Switch to Edit mode, Delete (CS p41; BB p156/154).",
                }, $"No volume group of {ds} is listed on {p}."),
                ["primary-store"] = (Gui, new[]
                {
                    $"Configuration page on {p}: data store {ds}, Switch to Edit mode, Delete (CS p41; BB p156/154).",
                }, $"{ds} is no longer listed on {p}."),
                ["secondary-volumes"] = (Gui, new[]
                {
                    $"Volume List of the SECONDARY {ds} on {s}: select its volumes and Delete. Only their BackPak and DSM/TC entries go: a SECONDARY store never wrote storage (CS p14; inferred).",
                }, $"The Volume List of {ds} on {s} is empty, and its dedicated VOLCAT holds none of its labels."),
                ["secondary-groups"] = (Gui, new[]
                {
                    $"Configuration page on {s}: for each volume group of the SECONDARY {ds}, Switch to Edit mode, Delete.",
                }, $"No volume group of {ds} is listed on {s}."),
                ["secondary-store"] = (Gui, new[]
                {
                    $"Configuration page on {s}: data store {ds}, Switch to Edit mode, Delete.",
                }, $"{ds} is no longer listed on {s}."),
                ["staging-area"] = ("TACL", new[]
                {
                    $"TACL on {s}: list the export files of {ds} in its staging subvolume (FUP INFO), then purge them (FUP PURGE), so that no FULL import brings the store back (CS p8, p15).",
                }, $"The staging subvolume holds no export file of {ds}."),
                ["replicas"] = ("the storage array's own tools", new[]
                {
                    $"Stop the replication of the storage of {ds}, then delete its replicated volume images at the secondary site: the LB<label>.IND and .DAT files of its labels (VTC p41).",
                }, $"The replica path holds no LB file of the labels of {ds}."),
                ["keys"] = ("the key servers' own tools (for HP ESKM: its management console)", new[]
                {
                    $"On each key server of the store's Key Manager, destroy the keys of the Media Key Names noted in step 1 (CS p41; TEO p10).",
                    "A destroyed key can never be recovered: every volume it encrypted, on any copy, is unreadable for good.",
                }, "The key servers find none of the Media Key Names."),
            };
            var steps = new List<RunbookStep>();
            foreach (var step in Removal.DataStoreDecommission.StepInfos(ds, p, secondary, destroyKeys, keep))
            {
                if (!byId.TryGetValue(step.Id, out var how))
                    throw new InvalidOperationException($"The runbook has no instructions for step '{step.Id}' of the decommission.");
                steps.Add(new RunbookStep { Step = step, Means = how.Means, Actions = how.Actions, Check = how.Check });
            }
            string scope = s.Length > 0 ? $"-Primary '{p}' -Secondary '{s}'" : $"-Primary '{p}'";
            var replicas = steps.FirstOrDefault(x => x.Step.Id == "replicas");
            string? waits = replicas != null && registeredStorageLink != null
                ? $"A storage replication link is registered for {ds} in this session ({registeredStorageLink}): it reverses replication but cannot delete, so `Remove-BPDataStore -Recurse` " +
                  $"stops at step {replicas.Step.Number} (replicas) for you to delete the replicated images with the storage's own tools, and goes on when you confirm it with `-ConfirmStep replicas` (it reads the storage to check)."
                : null;
            var after = new List<string>
            {
                $"Remove the NetBatch jobs of {ds} held in step 2.",
                $"Checked with the module, if you have it: `Test-BPDecommission -DataStore {ds} {scope}` returns one check per place, each passed.",
            };
            if ((keep & Removal.DecommissionKeep.StagingArea) != 0 && s.Length > 0) after.Add($"The export files of {ds} stay in its staging area, as chosen: a FULL import on {s} would bring the store back.");
            if ((keep & Removal.DecommissionKeep.Replicas) != 0 && s.Length > 0) after.Add($"The replicated volume images of {ds} stay at the secondary site, as chosen: the storage team removes them.");
            if (!destroyKeys) after.Add("The encryption keys stay on the key servers, as chosen: BackPak does not delete them (CS p41).");
            return new Runbook
            {
                Title = $"Decommission of {ds} on {p}" + (s.Length > 0 ? $" and its SECONDARY copy on {s}" : ""),
                DataStore = ds,
                Steps = steps,
                Before = new[]
                {
                    "Every volume of the store expired, or its data known to be given up: deleting a volume deletes its backup data (CS p41).",
                    $"Checked with the module, if you have it: `Remove-BPDataStore {ds} -Recurse{(s.Length > 0 ? $" -Secondary '{s}'" : "")} -WhatIf` lists every volume, group, file and key that would go, and refuses while one may not.",
                    $"With the module, `Remove-BPDataStore {ds} -Recurse{(s.Length > 0 ? $" -Secondary '{s}'" : "")}{(destroyKeys ? " -DestroyKeys" : "")}` runs these steps in this order as one journaled run that resumes after a stop. This runbook is for doing or following them by hand.",
                }.Concat(waits != null ? new[] { waits } : new string[0]).ToArray(),
                After = after,
            };
        }
    }

    /// <summary>Writes a runbook as Markdown: a table of the steps, then each step with its actions and a line to sign.</summary>
    public static class RunbookWriter
    {
        public static void Markdown(Runbook book, TextWriter w, string writtenBy, DateTime writtenAt)
        {
            w.WriteLine("# " + book.Title);
            w.WriteLine();
            w.WriteLine($"Written by Export-BPRunbook on {writtenAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by {writtenBy}. " +
                "Each step names who does it, what to do and how to check it, and where it comes from: a page of the BackPak manuals " +
                "(CS: Catalog Sync Option, BB: BackBox User Manual, TEO: Tape Encryption Option, VTC: VTC Scripting Option), or *inferred* where the manual's pages are not available and the step " +
                "is rebuilt from its confirmed rules.");
            w.WriteLine();
            w.WriteLine("## Before you start");
            w.WriteLine();
            foreach (var b in book.Before) w.WriteLine("- " + b);
            w.WriteLine();
            w.WriteLine("## Steps");
            w.WriteLine();
            w.WriteLine("| # | Step | Node | By | Source |");
            w.WriteLine("|---|---|---|---|---|");
            foreach (var s in book.Steps)
                w.WriteLine($"| {s.Step.Number} | {Cell(s.Step.Title)} | {Cell(s.Step.Node)} | {Cell(s.Means)} | {Cell(Source(s.Step))} |");
            foreach (var s in book.Steps)
            {
                w.WriteLine();
                w.WriteLine($"### {s.Step.Number}. {s.Step.Title}");
                w.WriteLine();
                w.WriteLine($"On {s.Step.Node}, by {s.Means}. Source: {Source(s.Step)}.");
                w.WriteLine();
                for (int i = 0; i < s.Actions.Count; i++) w.WriteLine($"{i + 1}. {s.Actions[i]}");
                w.WriteLine();
                w.WriteLine($"**Check**: {s.Check}");
                w.WriteLine();
                w.WriteLine("- [ ] Done by: ____________ at: ____________");
            }
            w.WriteLine();
            w.WriteLine("## Afterwards");
            w.WriteLine();
            foreach (var a in book.After) w.WriteLine("- " + a);
        }

        private static string Source(StepInfo s) => s.Inferred ? "*" + s.Source + "*" : s.Source;

        // A table cell: a pipe would end the cell, a line break the row.
        private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
    }
}
