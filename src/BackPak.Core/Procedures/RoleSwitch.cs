using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;

namespace BackPak.Core.Procedures
{
    /// <summary>A switch of roles as a plan: what will be done where, step by step, and where each step comes from.</summary>
    public sealed class RoleSwitchPlan
    {
        public string DataStore { get; init; } = "";
        /// <summary>The node whose store is PRIMARY now and becomes SECONDARY.</summary>
        public string Primary { get; init; } = "";
        /// <summary>The node whose store is SECONDARY now and becomes PRIMARY.</summary>
        public string Secondary { get; init; } = "";
        public IReadOnlyList<StepInfo> Steps { get; init; } = new StepInfo[0];
        /// <summary>What the procedure leaves to the operator outside BackPak.</summary>
        public IReadOnlyList<string> Notes { get; init; } = new string[0];
        public override string ToString() => $"Switch {DataStore}: {Primary} -> {Secondary} ({Steps.Count} steps)";
    }

    /// <summary>One precondition of a switch, checked.</summary>
    public sealed class RoleSwitchCheck
    {
        /// <summary>The data store whose switch is checked.</summary>
        public string DataStore { get; init; } = "";
        public string Name { get; init; } = "";
        public string Node { get; init; } = "";
        public bool Passed { get; init; }
        public string Detail { get; init; } = "";
        /// <summary>The rule or page behind the check.</summary>
        public string Source { get; init; } = "";
        /// <summary>
        /// True for a precondition nothing in the run can bring about: when it fails, Invoke-BPRoleSwitch refuses to
        /// start. The others (running backups, pending exports, replication) are waited for or checked again by a step.
        /// </summary>
        public bool BlocksStart { get; init; }
        public override string ToString() => (Passed ? "PASS " : "FAIL ") + Name + ": " + Detail;
    }

    /// <summary>How one side of a switch stands: what an operator needs to know after a run stopped half way.</summary>
    public sealed class RoleSwitchSide
    {
        public string Node { get; init; } = "";
        public string DataStore { get; init; } = "";
        /// <summary>False when the side could not be read (not connected, or its store is gone).</summary>
        public bool Known { get; init; }
        public DomainAccess DomainAccess { get; init; }
        public bool ExportSuspended { get; init; }
        public int PendingUpdates { get; init; }
        /// <summary>Where this side exports to (used while it is PRIMARY).</summary>
        public string? ExportStagingArea { get; init; }
        /// <summary>Where this side imports from (used while it is SECONDARY).</summary>
        public string? ImportStagingArea { get; init; }
        /// <summary>The staging area this side would receive the other side's exports in (its provider's naming), when known.</summary>
        public string? StagingAreaHere { get; init; }
        public string? Problem { get; init; }
        public override string ToString() => !Known ? $"{Node}: unknown ({Problem})"
            : $"{Node}: {DataStore} {DomainAccess.ToString().ToUpperInvariant()}, export {(ExportSuspended ? "suspended" : "active")}" +
              (PendingUpdates > 0 ? $" ({PendingUpdates} update(s) held)" : "") + $", exports to {ExportStagingArea ?? "(none)"}, imports from {ImportStagingArea ?? "(none)"}";
    }

    /// <summary>A switch run: its steps, their status and times, and how it ended. ConvertTo-Json makes it a change record.</summary>
    public sealed class RoleSwitchReport : ProcedureReport
    {
        /// <summary>How each side stands, when the run was abandoned.</summary>
        public List<RoleSwitchSide>? Sides { get; set; }
        public override string ToString() => $"{RunId} {DataStore} {Primary}->{Secondary} {Status}";
    }

    /// <summary>Everything a switch works with.</summary>
    public sealed class RoleSwitchContext : IProcedureContext
    {
        public string DataStore { get; init; } = "";
        public IBackPakDomain Primary { get; init; } = null!;
        public IBackPakDomain Secondary { get; init; } = null!;
        /// <summary>Storage replication of the store's volume images, or null when the operator handles it by hand.</summary>
        public IReplicationLink? StorageLink { get; init; }
        /// <summary>Key-server replication, or null when the operator handles it by hand.</summary>
        public IReplicationLink? KeyLink { get; init; }
        public IRunJournalStore Journal { get; init; } = null!;
        /// <summary>The site of the side that becomes PRIMARY: replication must flow from it once reversed.</summary>
        public string? SecondarySite { get; init; }
        /// <summary>How long a wait step may wait.</summary>
        public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
        public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
        public string User { get; init; } = Environment.UserName;
        public CancellationToken Cancel { get; init; }
        string IProcedureContext.PrimaryNode => Primary.Node;
        string IProcedureContext.SecondaryNode => Secondary.Node;
    }

    /// <summary>
    /// The planned switch of a data store between its PRIMARY and SECONDARY sides (domain.md §3.3). Steps 1–2 are the
    /// manual's (CS p41 and the seed); the rest are reconstructed from confirmed rules and marked inferred. Every step
    /// is idempotent and has a check of its end state, so a run killed anywhere resumes and ends as an uninterrupted
    /// run would. Switching back is the same procedure with the roles exchanged.
    /// </summary>
    public static class RoleSwitch
    {
        private sealed class Step
        {
            public StepInfo Info = null!;
            /// <summary>Does the step; returns a message for the report.</summary>
            public Func<RoleSwitchContext, Dictionary<string, string>, string> Run = null!;
            /// <summary>True when the step's end state already holds.</summary>
            public Func<RoleSwitchContext, Dictionary<string, string>, bool> IsDone = null!;
            /// <summary>The facility an External step calls (null: the operator does it).</summary>
            public Func<RoleSwitchContext, IReplicationLink?>? Facility;
            /// <summary>How a plan names what does a step that uses replication links.</summary>
            public Func<RoleSwitchContext, string>? Describe;
        }

        private static StepInfo WithFacility(StepInfo i, string facility) =>
            new StepInfo { Number = i.Number, Id = i.Id, Title = i.Title, Node = i.Node, Kind = i.Kind, Source = i.Source, Facility = facility };

        /// <summary>How a plan or a check names a link: a registered one by its description, a provider's by its name, none as the operator's work.</summary>
        public static string DescribeLink(IReplicationLink? l) =>
            l == null ? "none: the operator does it with the facility's own tools, then confirms it (-ConfirmStep)"
            : l is IRegisteredReplicationLink r ? r.Description : $"{l.Name} (the provider's link)";

        /// <summary>Whether a link can report its state: a script registered without a status command cannot.</summary>
        private static bool Known(IReplicationLink l) => !(l is IRegisteredReplicationLink r) || r.StateKnown;

        /// <param name="newStaging">The staging area the switch moves to (the primary's <see cref="ISwitchSite.StagingAreaFor"/>), when known.</param>
        /// <param name="links">The context of the switch, when known: each step that checks or reverses replication then
        /// names the link that does it (<see cref="StepInfo.Facility"/>), a registered one before the provider's.</param>
        public static RoleSwitchPlan Plan(string dataStore, string primary, string secondary, string? newStaging = null, RoleSwitchContext? links = null) => new RoleSwitchPlan
        {
            DataStore = dataStore, Primary = primary, Secondary = secondary,
            Steps = Steps(dataStore, primary, secondary, newStaging).Select(s => links == null || s.Facility == null ? s.Info : WithFacility(s.Info, s.Describe!(links))).ToList(),
            Notes = new[]
            {
                $"NetBatch: move the full-export jobs from {primary} to {secondary} and the BB027_IMPORT_CATALOG jobs from {secondary} to {primary}; set PARAM AUTOEXPIRE^TIME on {primary} [CS p28].",
                $"OBB017 cleanup of {dataStore} is now skipped on {primary} and runs on {secondary} [CS p14].",
                "Keys stay where they are; only the replication direction changes [CS p41].",
            },
        };

        /// <summary>The header value of a switch run that records where its staging area moves (named by the provider).</summary>
        internal const string NewStagingKey = "newStaging";

        private static List<Step> Steps(string ds, string p, string s, string? newStaging)
        {
            // The name comes from the provider of the side that will import (its site's own naming); the steps ask it again
            // when they run, so a plan read from an older journal without the name still runs the same.
            string stagingTitle = newStaging ?? $"a staging subvolume of {ds} on {p}";
            var steps = new List<Step>
            {
                new Step
                {
                    Info = Info("wait-backups", $"Wait until no backup runs on the volumes of {ds}", p, StepKind.Wait, "CS p41 (step 1)"),
                    Run = (c, j) => WaitFor(c, () => RunningBackups(c.Primary, ds) == 0, () => BackupsStillRunning(c.Primary, ds)) ?? "no backup runs",
                    IsDone = (c, j) => RunningBackups(c.Primary, ds) == 0,
                },
                new Step
                {
                    Info = Info("drain-exports", "Check the Export Status and wait for pending export updates to complete", p, StepKind.Wait, "CS p42 (step 2)"),
                    Run = (c, j) =>
                    {
                        // Held updates go out now rather than at the next retry of the EMS Extractor: a manual export
                        // update, as the Export Status page offers [CS p16]. One that cannot run now is waited for.
                        var st = c.Primary.GetExportStatus(ds);
                        if (st.PendingCount > 0 && st.StagingReachable && !st.Running && !st.Suspended)
                            try { c.Primary.StartExport(ds, SyncType.Update, c.User); }
                            catch (BackPakException e) when (e.ErrorId == ErrorIds.SyncInProgress || e.ErrorId == ErrorIds.StagingUnreachable) { }
                        return WaitFor(c, () => Drained(c.Primary.GetExportStatus(ds), "drain-exports"),
                            () => { var now = c.Primary.GetExportStatus(ds); return $"{now.PendingCount} update(s) pending" + (now.Running ? ", an export running" : ""); }) ?? "no export pending or running";
                    },
                    IsDone = (c, j) => j.ContainsKey("fullExportAt") || Drained(c.Primary.GetExportStatus(ds), null),
                },
                new Step
                {
                    Info = Info("final-full-export", $"Last FULL export of {ds} to the staging area on {s}", p, StepKind.Action, "inferred (CS p8, p15)"),
                    Run = (c, j) =>
                    {
                        // Done again after a change was found (see check-replication): exports this run suspended go on first.
                        if (j.ContainsKey("exportSuspendedByRun") && c.Primary.GetExportStatus(ds).Suspended) c.Primary.SetExportSuspended(ds, false, c.User);
                        var run = c.Primary.StartExport(ds, SyncType.Full, c.User);
                        if (run.Result != SyncResult.Completed) throw Failed("final-full-export", run.Error ?? "the full export did not complete");
                        j["fullExportAt"] = Stamp(run.Started);
                        j["fullExportVolumes"] = run.Volumes.ToString(CultureInfo.InvariantCulture);
                        return $"{run.Volumes} volume(s), {run.Entries} entr(y/ies) exported";
                    },
                    IsDone = (c, j) => j.TryGetValue("fullExportAt", out var at) && c.Primary.GetExportStatus(ds).LastFullExport is { Result: SyncResult.Completed } r && r.Started >= Parse(at),
                },
                new Step
                {
                    Info = Info("stop-export", $"Stop all catalog export activities of {ds}", p, StepKind.Action, "CS p42 (step 2)"),
                    Run = (c, j) => { c.Primary.SetExportSuspended(ds, true, c.User); j["exportSuspendedByRun"] = "1"; return "export suspended"; },
                    IsDone = (c, j) => c.Primary.GetExportStatus(ds).Suspended,
                },
                new Step
                {
                    Info = Info("final-full-import", $"FULL import of {ds} on {s}, every volume checked", s, StepKind.Action, "inferred (CS p15)"),
                    Run = (c, j) =>
                    {
                        var run = c.Secondary.StartImport(ds, SyncType.Full, true, c.User);
                        if (run.Result != SyncResult.Completed)
                            throw Failed("final-full-import", $"{run.FailedVolumes.Count} volume(s) failed: {string.Join(", ", run.FailedVolumes.Take(10))}");
                        j["fullImportAt"] = Stamp(run.Started);
                        return $"{run.Volumes} volume(s) imported, {run.Deleted} deleted";
                    },
                    IsDone = (c, j) => j.TryGetValue("fullExportAt", out var at) && c.Secondary.GetImportStatus(ds).LastFullImport is { Result: SyncResult.Completed } r && r.Started >= Parse(at),
                },
                new Step
                {
                    Info = Info("check-replication", "Check that storage and key replication have caught up", p + " " + s, StepKind.Check, "CS p41"),
                    Run = (c, j) =>
                    {
                        VerifyUnchanged(c, j, "check-replication");
                        // A link that cannot say (none, or a script registered without a status command) is confirmed by
                        // the operator; one that says it is unhealthy or behind fails the step.
                        var unknown = new List<string>();
                        foreach (var (what, link) in new[] { ("storage replication", c.StorageLink), ("key replication", c.KeyLink) })
                        {
                            if (link == null) { unknown.Add(what); continue; }
                            if (!Known(link)) { unknown.Add($"{what} ({DescribeLink(link)}, which cannot report its state)"); continue; }
                            if (!link.Healthy || !link.CaughtUp) throw Failed("check-replication", $"{link.Kind} replication {link.Name} is {(link.Healthy ? "behind" : "not healthy")}");
                        }
                        if (unknown.Count > 0)
                            throw new AwaitOperator($"Confirm that {string.Join(" and ", unknown)} {(unknown.Count == 1 ? "has" : "have")} caught up with the last backups and keys.");
                        return "storage and key replication healthy and caught up";
                    },
                    IsDone = (c, j) => false,
                    Facility = c => c.StorageLink,
                    Describe = c => $"storage: {DescribeLink(c.StorageLink)}; keys: {DescribeLink(c.KeyLink)}",
                },
                ReverseStep("reverse-storage-replication", "Reverse the direction of storage replication", c => c.StorageLink, p, s),
                ReverseStep("reverse-key-replication", "Reverse the direction of key-server replication", c => c.KeyLink, p, s),
                new Step
                {
                    Info = Info("demote-primary", $"Change {ds} on {p} from PRIMARY to SECONDARY", p, StepKind.Action, "CS p14; demote before promote: inferred"),
                    Run = (c, j) =>
                    {
                        // A SECONDARY store never takes a backup: one running now must end first (it was started
                        // outside BackPak's control, since the fence refuses new ones), and nothing may have
                        // changed since the last FULL export, or the new PRIMARY would not know it.
                        WaitFor(c, () => RunningBackups(c.Primary, ds) == 0, () => BackupsStillRunning(c.Primary, ds));
                        VerifyUnchanged(c, j, "demote-primary");
                        var st = c.Primary.GetExportStatus(ds);
                        j["checkDelay"] = ((long)st.ExportCheckDelaySeconds).ToString(CultureInfo.InvariantCulture);
                        j["fullFrequency"] = st.FullExportFrequencySeconds.HasValue ? ((long)st.FullExportFrequencySeconds.Value).ToString(CultureInfo.InvariantCulture) : "0";
                        c.Primary.SetDataStore(ds, new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, c.User);
                        return $"{ds} on {p} is SECONDARY: it refuses backups and volume creation";
                    },
                    IsDone = (c, j) => j.ContainsKey("checkDelay") && Access(c.Primary, ds) == DomainAccess.Secondary,
                },
                new Step
                {
                    Info = Info("promote-secondary", $"Change {ds} on {s} from SECONDARY to PRIMARY", s, StepKind.Action, "CS p14"),
                    Run = (c, j) => { c.Secondary.SetDataStore(ds, new DataStoreSettings { DomainAccess = DomainAccess.Primary }, c.User); return $"{ds} on {s} is PRIMARY"; },
                    IsDone = (c, j) => Access(c.Secondary, ds) == DomainAccess.Primary,
                },
                new Step
                {
                    Info = Info("move-staging", $"Move the staging area to {stagingTitle} (disk space checked)", p, StepKind.Action, "CS p41"),
                    Run = (c, j) => MoveStaging(c.Secondary, c.Primary, ds, c.User, "move-staging"),
                    IsDone = (c, j) => StagingMoved(c.Secondary, c.Primary, ds),
                },
                new Step
                {
                    Info = Info("configure-export", $"Set the Catalog Sync Export page of {ds} on {s}", s, StepKind.Action, "CS p20"),
                    Run = (c, j) =>
                    {
                        var settings = ExportSettings(j);
                        c.Secondary.SetDataStore(ds, settings, c.User);
                        return $"export check delay {settings.ExportCheckDelay}, full export frequency {(settings.FullExportFrequency == TimeSpan.Zero ? "none" : settings.FullExportFrequency.ToString())}";
                    },
                    IsDone = (c, j) => j.ContainsKey("checkDelay") && TimeSpan.FromSeconds(c.Secondary.GetExportStatus(ds).ExportCheckDelaySeconds) == ExportSettings(j).ExportCheckDelay,
                },
                new Step
                {
                    Info = Info("configure-import", $"Set the import configuration of {ds} on {p}: node replacement reversed, original names", p, StepKind.Action, "CS p9, p12"),
                    Run = (c, j) => ConfigureImport(c.Primary, c.Secondary, ds, c.User),
                    IsDone = (c, j) => ImportConfigured(c.Primary, c.Secondary, ds),
                },
                new Step
                {
                    Info = Info("prove-full-export", $"FULL export of {ds} from {s} to the new staging area", s, StepKind.Action, "CS p16"),
                    Run = (c, j) =>
                    {
                        var run = c.Secondary.StartExport(ds, SyncType.Full, c.User);
                        if (run.Result != SyncResult.Completed) throw Failed("prove-full-export", run.Error ?? "the full export did not complete");
                        j["proveExportAt"] = Stamp(run.Started);
                        return $"{run.Volumes} volume(s) exported from {s}";
                    },
                    IsDone = (c, j) => j.TryGetValue("proveExportAt", out var at) && c.Secondary.GetExportStatus(ds).LastFullExport is { Result: SyncResult.Completed } r && r.Started >= Parse(at),
                },
                new Step
                {
                    Info = Info("prove-full-import", $"FULL import of {ds} on {p} to prove the new direction", p, StepKind.Action, "CS p16"),
                    Run = (c, j) =>
                    {
                        var run = c.Primary.StartImport(ds, SyncType.Full, true, c.User);
                        if (run.Result != SyncResult.Completed) throw Failed("prove-full-import", $"{run.FailedVolumes.Count} volume(s) failed");
                        return $"{run.Volumes} volume(s) imported on {p}";
                    },
                    IsDone = (c, j) => j.TryGetValue("proveExportAt", out var at) && c.Primary.GetImportStatus(ds).LastFullImport is { Result: SyncResult.Completed } r && r.Started >= Parse(at),
                },
                new Step
                {
                    Info = Info("resume-export", $"Resume catalog export of {ds} on {s}", s, StepKind.Action, "inferred"),
                    Run = (c, j) =>
                    {
                        c.Secondary.SetExportSuspended(ds, false, c.User);
                        c.Primary.SetExportSuspended(ds, false, c.User); // the flag step stop-export left on the side that is now SECONDARY
                        return $"exports of {ds} run from {s}";
                    },
                    IsDone = (c, j) => !c.Secondary.GetExportStatus(ds).Suspended && !c.Primary.GetExportStatus(ds).Suspended,
                },
            };
            for (int i = 0; i < steps.Count; i++)
            {
                var info = steps[i].Info;
                steps[i].Info = new StepInfo { Number = i + 1, Id = info.Id, Title = info.Title, Node = info.Node, Kind = info.Kind, Source = info.Source, Facility = info.Facility };
            }
            return steps;
        }

        /// <summary>
        /// Moves a store's staging area to the importer's node (its provider's naming), the free space checked: the exporter
        /// (the side that is or becomes PRIMARY) exports there and the importer imports from there [CS p41].
        /// </summary>
        internal static string MoveStaging(IBackPakDomain exporter, IBackPakDomain importer, string ds, string user, string step)
        {
            string newStaging = importer.StagingAreaFor(ds);
            long? free = importer.GetStagingFreeBytes(newStaging);
            if (free.HasValue && free.Value < MinStagingBytes)
                throw new BackPakException(ErrorIds.SwitchStepFailed, BackPakErrorCategory.InvalidResult, $"only {free.Value / 1048576} MiB free for the staging area on {importer.Node}", step);
            exporter.SetDataStore(ds, new DataStoreSettings { StagingArea = newStaging }, user);
            importer.SetDataStore(ds, new DataStoreSettings { StagingArea = newStaging }, user);
            return $"{exporter.Node} exports to and {importer.Node} imports from {newStaging}";
        }

        internal static bool StagingMoved(IBackPakDomain exporter, IBackPakDomain importer, string ds)
        {
            string newStaging = importer.StagingAreaFor(ds);
            return exporter.GetExportStatus(ds).StagingArea == newStaging && importer.GetImportStatus(ds).StagingArea == newStaging;
        }

        /// <summary>
        /// Sets the import configuration of the side that becomes SECONDARY from the one that was: node replacement pairs
        /// reversed, the original primary store id [CS p9, p12].
        /// </summary>
        internal static string ConfigureImport(IBackPakDomain importer, IBackPakDomain formerImporter, string ds, string user)
        {
            var reversed = Reversed(formerImporter.GetImportStatus(ds).NodeReplacements);
            importer.SetDataStore(ds, new DataStoreSettings { NodeReplacements = reversed, PrimaryStoreId = ds }, user);
            return reversed.Count == 0 ? "no node replacement" : "node replacement " + string.Join(", ", reversed.Select(kv => kv.Key + "=" + kv.Value));
        }

        internal static bool ImportConfigured(IBackPakDomain importer, IBackPakDomain formerImporter, string ds) =>
            SameMap(importer.GetImportStatus(ds).NodeReplacements, Reversed(formerImporter.GetImportStatus(ds).NodeReplacements));

        /// <summary>A staging area needs room for a full export; this floor is inferred (the manual gives no figure).</summary>
        public const long MinStagingBytes = 64L * 1024 * 1024;

        private static Step ReverseStep(string id, string title, Func<RoleSwitchContext, IReplicationLink?> link, string p, string s) => new Step
        {
            Info = Info(id, title, p + " " + s, StepKind.External, "CS p41"),
            Facility = link,
            Describe = c => DescribeLink(link(c)),
            Run = (c, j) => TurnLink(link(c), id, title, c.Secondary.Node, c.SecondarySite, p),
            // Idempotent by its end state: the link already flows from the side that becomes PRIMARY.
            IsDone = (c, j) => LinkTurned(link(c), c.Secondary.Node, c.SecondarySite),
        };

        /// <summary>
        /// Turns a replication link so that it flows from <paramref name="node"/> (whose site is <paramref name="site"/>)
        /// to <paramref name="other"/>: a step of the switch and of the reprotect. With no link, or a provider's link whose
        /// direction cannot be told, the operator does it and confirms; a registered script without a status command is
        /// told once and trusted.
        /// </summary>
        internal static string TurnLink(IReplicationLink? l, string id, string title, string node, string? site, string other)
        {
            // One link may serve several stores (the key server's): the stores of a site switch turn it from parallel
            // runs, and its direction is read and turned as one, or two runs would each turn it and it would flow back.
            lock (LinkTurns) return TurnLinkNow(l, id, title, node, site, other);
        }

        private static readonly object LinkTurns = new object();

        private static string TurnLinkNow(IReplicationLink? l, string id, string title, string node, string? site, string other)
        {
            bool FlowsFrom(IReplicationLink x) => FlowsFromSide(x, node, site);
            if (l == null || (site == null && !(l is IRegisteredReplicationLink)))
                throw new AwaitOperator(title + $" (it must flow from {node}'s site to {other}'s) with the facility's own tools, then confirm.");
            if (!Known(l))
            {
                // A registered script with no status command: it is told the direction and does it; nothing can check it here.
                l.Reverse();
                return $"{l.Kind} replication {l.Name} told to flow from {node} to {other}; it cannot report its state: check the direction with the facility's own tools";
            }
            if (!FlowsFrom(l))
            {
                l.Reverse();
                if (!FlowsFrom(l))
                {
                    string why = $"{l.Kind} replication {l.Name} still flows {l.Source} -> {l.Target} after it was reversed; it must flow from {node}" + (site != null ? $" ({site})" : "");
                    if (l is IRegisteredReplicationLink)
                        throw new BackPakException(ErrorIds.ReplicationLinkFailed, BackPakErrorCategory.InvalidResult, why, id,
                            "Check the link's reverse and status scripts (Register-BPReplicationLink -AllowClobber replaces them), then resume the run.");
                    throw new BackPakException(ErrorIds.SwitchStepFailed, BackPakErrorCategory.InvalidResult, why, id);
                }
            }
            return $"{l.Kind} replication {l.Name} now flows {l.Source} -> {l.Target}";
        }

        /// <summary>
        /// The other stores a switch would leave behind on a key link it turns: replicated stores PRIMARY on the primary
        /// node (SECONDARY on the secondary), not among <paramref name="alsoSwitching"/>, when the link is the provider's
        /// (one key server replication for the estate; a link registered for a store serves that store only). Once the
        /// link flows from the secondary's site, their new keys no longer reach it: a recovery there would lack them.
        /// </summary>
        public static IReadOnlyList<string> StoresSharingKeyLink(RoleSwitchContext c, IEnumerable<string> alsoSwitching)
        {
            if (c.KeyLink == null || c.KeyLink is IRegisteredReplicationLink) return new string[0];
            var along = new HashSet<string>(alsoSwitching, StringComparer.OrdinalIgnoreCase) { c.DataStore };
            try
            {
                return c.Primary.GetDataStores(null)
                    .Where(d => d.DomainAccess == DomainAccess.Primary && !along.Contains(d.Name)
                        && c.Secondary.GetDataStores(d.Name).Any(x => x.DomainAccess == DomainAccess.Secondary))
                    .Select(d => d.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            }
            catch (BackPakException) { return new string[0]; } // a side that cannot be read is another check's failure
        }

        /// <summary>What the operator is told of stores left behind on a shared key link.</summary>
        public static string SharedKeyLinkText(RoleSwitchContext c, IReadOnlyList<string> sharing) =>
            $"key replication {c.KeyLink?.Name} also carries the keys of {string.Join(", ", sharing)} (PRIMARY on {c.Primary.Node}, replicated to {c.Secondary.Node}): " +
            $"once it turns, their new keys stay on {c.Primary.Node}'s side and a recovery at {c.Secondary.Node} would lack them. Switch them with it: " +
            $"Invoke-BPRoleSwitch -DataStore {string.Join(", ", new[] { c.DataStore }.Concat(sharing))} -Primary '{c.Primary.Node}' -Secondary '{c.Secondary.Node}'";

        /// <summary>Whether a link can be seen to flow from the node (or its site) already: the end state of <see cref="TurnLink"/>.</summary>
        internal static bool LinkTurned(IReplicationLink? l, string node, string? site) =>
            l != null && Known(l) && (site != null || l is IRegisteredReplicationLink) && FlowsFromSide(l, node, site);

        /// <summary>
        /// Whether a link flows from a side: from its site, or from the node itself (a link the operator registered may
        /// speak of nodes, as its site's tool knows them).
        /// </summary>
        private static bool FlowsFromSide(IReplicationLink l, string node, string? site) =>
            (site != null && string.Equals(l.Source, site, StringComparison.OrdinalIgnoreCase)) || string.Equals(l.Source, node, StringComparison.OrdinalIgnoreCase);

        /// <summary>Every precondition of the switch, checked now (Test-BPRoleSwitch): the ones that block a start first.</summary>
        /// <param name="alsoSwitching">The other stores switched with this one (a site switch): a key link they share leaves none of them behind.</param>
        public static IReadOnlyList<RoleSwitchCheck> Test(RoleSwitchContext c, IEnumerable<string>? alsoSwitching = null)
        {
            var checks = new List<RoleSwitchCheck>(StartChecks(c));
            string ds = c.DataStore, p = c.Primary.Node, s = c.Secondary.Node;
            if (c.Primary.GetDataStores(ds).Count == 0 || c.Secondary.GetDataStores(ds).Count == 0) return checks;
            void Add(string name, string node, bool ok, string detail, string source) =>
                checks.Add(new RoleSwitchCheck { DataStore = ds, Name = name, Node = node, Passed = ok, Detail = detail, Source = source });

            int running = RunningBackups(c.Primary, ds);
            Add("backups idle", p, running == 0, running == 0 ? "no backup writes a volume of " + ds : BackupsStillRunning(c.Primary, ds) + " (the switch waits for them)", "CS p41");
            var ex = c.Primary.GetExportStatus(ds);
            bool drained = Drained(ex, null);
            Add("exports drained", p, drained, drained ? "nothing pending or running" : $"{ex.PendingCount} update(s) pending{(ex.Running ? ", an export running" : "")} (the switch waits for them)", "CS p42");
            Add("staging reachable", p, ex.StagingReachable, ex.StagingArea == null ? "no staging area set" : ex.StagingArea + (ex.StagingReachable ? " reachable" : " NOT reachable"), "CS p7");
            string newStaging = c.Primary.StagingAreaFor(ds);
            long? free = c.Primary.GetStagingFreeBytes(newStaging);
            Add("staging space", p, free == null || free.Value >= MinStagingBytes,
                free == null ? "free space unknown" : $"{free.Value / 1048576} MiB free for {newStaging} (at least {MinStagingBytes / 1048576} MiB wanted, inferred)", "CS p41");
            foreach (var (what, link) in new[] { ("storage replication", c.StorageLink), ("key replication", c.KeyLink) })
            {
                if (link == null) { Add(what, p + " " + s, true, "no facility connected: the operator checks and reverses it by hand", "CS p41"); continue; }
                string name = link is IRegisteredReplicationLink r ? r.Description : link.Name;
                if (!Known(link)) { Add(what, p + " " + s, true, $"{name} reverses it; it cannot report its state, so the switch stops for the operator to confirm it has caught up", "CS p41"); continue; }
                bool healthy, caughtUp;
                string source, target;
                try { healthy = link.Healthy; caughtUp = link.CaughtUp; source = link.Source; target = link.Target; }
                catch (BackPakException e) when (e.ErrorId == ErrorIds.ReplicationLinkFailed)
                {
                    Add(what, p + " " + s, false, e.Message, "CS p41");
                    continue;
                }
                Add(what, p + " " + s, healthy && caughtUp,
                    $"{name} {source} -> {target}, {(healthy ? "healthy" : "NOT healthy")}, {(caughtUp ? "caught up" : "behind")}", "CS p41");
            }
            var sharing = StoresSharingKeyLink(c, alsoSwitching ?? new string[0]);
            Add("key replication not shared", p + " " + s, sharing.Count == 0, sharing.Count == 0 ? "no other replicated store is PRIMARY on " + p + " with this key link"
                : SharedKeyLinkText(c, sharing), "CS p41; shared link: inferred");
            long vp = c.Primary.CountVolumes(new VolumeQuery { DataStore = ds }), vs = c.Secondary.CountVolumes(new VolumeQuery { DataStore = ds });
            var sample = c.Primary.GetVolumes(new VolumeQuery { DataStore = ds }).Take(20).Select(v => v.Label).ToList();
            // DSM/TC only: TMF entries are not replicated (Q7), so a TMF volume has none on the secondary.
            int held = sample.Count(l => c.Secondary.GetCatalogEntries(l).Any(e => e.Catalog == CatalogKind.DsmTc));
            int heldP = sample.Count(l => c.Primary.GetCatalogEntries(l).Any(e => e.Catalog == CatalogKind.DsmTc));
            Add("both DSM/TC sides hold the store", p + " " + s, vs > 0 && held == heldP,
                $"{vp} volume(s) on {p}, {vs} on {s}; of {sample.Count} sampled, {heldP} have DSM/TC entries on {p} and {held} on {s}", "CS p41");
            var shared = SharedLabels(c.Primary, c.Secondary, ds);
            Add("unique labels", p + " " + s, shared.Count == 0,
                shared.Count == 0 ? "no label of " + ds + " is used elsewhere on either node" : $"{shared.Count} label(s) used twice, e.g. {string.Join(", ", shared.Take(5))}", "CS p6");
            return checks;
        }

        /// <summary>
        /// The preconditions nothing in a run can bring about, and that the fence keeps as they are once a run holds
        /// the store: checked before a run is created, so a switch that cannot succeed leaves no run and no lock.
        /// They are cheap (settings and counts), unlike the label and catalog samples of <see cref="Test"/>.
        /// </summary>
        public static IReadOnlyList<RoleSwitchCheck> StartChecks(RoleSwitchContext c)
        {
            string ds = c.DataStore, p = c.Primary.Node, s = c.Secondary.Node;
            var checks = new List<RoleSwitchCheck>();
            void Add(string name, string node, bool ok, string detail, string source) =>
                checks.Add(new RoleSwitchCheck { DataStore = ds, Name = name, Node = node, Passed = ok, Detail = detail, Source = source, BlocksStart = true });

            var pStore = c.Primary.GetDataStores(ds).FirstOrDefault();
            var sStore = c.Secondary.GetDataStores(ds).FirstOrDefault();
            Add("roles", p + " " + s, pStore?.DomainAccess == DomainAccess.Primary && sStore?.DomainAccess == DomainAccess.Secondary,
                $"{ds} is {Describe(pStore)} on {p} and {Describe(sStore)} on {s}", "CS p41");
            if (pStore == null || sStore == null) return checks;

            var ex = c.Primary.GetExportStatus(ds);
            Add("export settings", p, ex.StagingArea != null && !ex.Suspended,
                ex.StagingArea == null ? $"{ds} on {p} has no staging area to export to"
                : ex.Suspended ? $"catalog export of {ds} on {p} is suspended{(ex.PendingCount > 0 ? $" with {ex.PendingCount} update(s) held" : "")}: resume it first (Resume-BPCatalogExport {ds} -Domain '{p}')"
                : $"{ds} on {p} exports to {ex.StagingArea}", "CS p42, p20");
            var im = c.Secondary.GetImportStatus(ds);
            Add("import settings", s, im.StagingArea != null, im.StagingArea == null ? $"{ds} on {s} has no staging area to import from" : $"{ds} on {s} imports from {im.StagingArea}", "CS p15");
            var kp = c.Primary.GetKeyManagerIds();
            var ks = c.Secondary.GetKeyManagerIds();
            var common = kp.Intersect(ks, StringComparer.OrdinalIgnoreCase).ToList();
            Add("key manager id", p + " " + s, common.Count > 0 || kp.Count == 0,
                common.Count > 0 ? "same BackPak id on both sides: " + string.Join(", ", common) : $"{p}: {string.Join(", ", kp)}; {s}: {string.Join(", ", ks)}", "CS p6");
            Add("no shared search list", p + " " + s, c.Primary.DsmTcSearchList == null || c.Primary.DsmTcSearchList != c.Secondary.DsmTcSearchList,
                $"{p}: {c.Primary.DsmTcSearchList ?? "?"}, {s}: {c.Secondary.DsmTcSearchList ?? "?"}", "CS p6, p10");
            var targets = c.Secondary.CheckImportTargets(ds);
            Add("isolated catalogs", s, targets == null, targets?.Message ?? "dedicated VOLCAT/FILECAT exist and none is the MEDIADEFS default with node replacement", "CS p10, p11, p12");
            var removing = c.Primary.GetRemovalsInProgress(ds).Select(l => (Node: p, Label: l)).Concat(c.Secondary.GetRemovalsInProgress(ds).Select(l => (Node: s, Label: l))).ToList();
            Add("no removal in progress", p + " " + s, removing.Count == 0,
                removing.Count == 0 ? "no volume of " + ds + " is claimed by a removal" : RemovalsText(ds, removing), "CS p41");
            return checks;
        }

        /// <summary>
        /// Refuses a new run whose start checks fail, before anything is written: the wrong direction names the right
        /// one; a removal that is not finished says how to finish it; anything else lists what failed.
        /// </summary>
        /// <summary>Everything that refuses a new switch before anything is written: another run holding the store, then <see cref="RequireStart"/>.</summary>
        public static void RequireCanStart(RoleSwitchContext c)
        {
            ProcedureRunner.RequireFree(c.Journal, c.DataStore);
            RequireStart(c);
        }

        public static void RequireStart(RoleSwitchContext c)
        {
            var checks = StartChecks(c);
            string ds = c.DataStore, p = c.Primary.Node, s = c.Secondary.Node;
            var pAccess = Access(c.Primary, ds);
            var sAccess = Access(c.Secondary, ds);
            if (pAccess == DomainAccess.Secondary && sAccess == DomainAccess.Primary)
                throw new BackPakException(ErrorIds.SwitchWrongDirection, BackPakErrorCategory.InvalidArgument,
                    $"{ds} is PRIMARY on {s} and SECONDARY on {p}: switch it with -Primary '{s}' -Secondary '{p}'. Nothing was started.", ds,
                    $"Invoke-BPRoleSwitch -DataStore {ds} -Primary '{s}' -Secondary '{p}' (-Primary is the side that is PRIMARY now).", stopsInvocation: true);
            var removal = checks.FirstOrDefault(x => x.Name == "no removal in progress" && !x.Passed);
            if (removal != null)
                throw new BackPakException(ErrorIds.RemovalUnfinished, BackPakErrorCategory.InvalidOperation,
                    $"The switch of {ds} from {p} to {s} cannot start: {removal.Detail}. Nothing was started.", ds,
                    "Wait for a running removal to end; run an interrupted one again (the same Remove-BPVolume takes it over and finishes it). Then start the switch.", stopsInvocation: true);
            var failed = checks.Where(x => !x.Passed).ToList();
            if (failed.Count > 0)
                throw new BackPakException(ErrorIds.SwitchPreconditionFailed, BackPakErrorCategory.InvalidOperation,
                    $"The switch of {ds} from {p} to {s} cannot start: {string.Join("; ", failed.Select(x => x.Name + ": " + x.Detail))}. Nothing was started.", ds,
                    $"Fix these first (Test-BPRoleSwitch {ds} -Primary '{p}' -Secondary '{s}' lists every check), then start the switch.", stopsInvocation: true);
        }

        /// <summary>How a side of a switch stands now.</summary>
        public static RoleSwitchSide Side(IDomainReader d, string ds)
        {
            try
            {
                var store = d.GetDataStores(ds).FirstOrDefault();
                if (store == null) return new RoleSwitchSide { Node = d.Node, DataStore = ds, Problem = $"{ds} does not exist on {d.Node}" };
                var sync = Capabilities.Require<ICatalogSync>(d, "reading how a side of a switch stands");
                var ex = sync.GetExportStatus(ds);
                var im = sync.GetImportStatus(ds);
                return new RoleSwitchSide
                {
                    Node = d.Node, DataStore = ds, Known = true, DomainAccess = store.DomainAccess, ExportSuspended = ex.Suspended,
                    PendingUpdates = ex.PendingCount, ExportStagingArea = ex.StagingArea, ImportStagingArea = im.StagingArea,
                    StagingAreaHere = (d as ISwitchSite)?.StagingAreaFor(ds),
                };
            }
            catch (BackPakException e) { return new RoleSwitchSide { Node = d.Node, DataStore = ds, Problem = e.Message }; }
        }

        /// <summary>
        /// What an operator should do after abandoning a run, from how the sides stand: one PRIMARY side whose exports
        /// run to the other side's staging area, and a SECONDARY side that imports from there.
        /// </summary>
        public static string NextSteps(string ds, string primary, string secondary, IReadOnlyList<RoleSwitchSide> sides)
        {
            var say = new List<string>();
            var known = sides.Where(x => x.Known).ToList();
            foreach (var x in sides.Where(x => !x.Known)) say.Add($"{x.Node} could not be read ({x.Problem}): check it before anything else.");
            var primaries = known.Where(x => x.DomainAccess == DomainAccess.Primary).ToList();
            if (primaries.Count == 0 && known.Count > 0)
                say.Add($"No side is PRIMARY, so no backup can run. Make {primary} PRIMARY again (it was, and its catalog is complete): " +
                        $"Set-BPDataStore {ds} -Domain '{primary}' -DomainAccess Primary.");
            else if (primaries.Count > 1)
                say.Add($"{ds} is PRIMARY on {string.Join(" and ", primaries.Select(x => x.Node))}: set the one that should not take backups SECONDARY (Set-BPDataStore {ds} -Domain '<node>' -DomainAccess Secondary).");
            var main = primaries.Count == 1 ? primaries[0] : null;
            string newPrimary = main?.Node ?? primary;
            if (main != null)
            {
                say.Add($"{ds} is PRIMARY on {main.Node}: backups run there.");
                var other = known.FirstOrDefault(x => x.Node != main.Node);
                string staging = other?.StagingAreaHere ?? $"<a staging subvolume on {other?.Node ?? (main.Node == primary ? secondary : primary)}>";
                if (main.ExportStagingArea == null || main.ExportStagingArea.StartsWith(main.Node + ".", StringComparison.OrdinalIgnoreCase))
                    say.Add($"Its exports do not go to the other side: Set-BPDataStore {ds} -Domain '{main.Node}' -StagingArea '{staging}'.");
                if (main.ExportSuspended)
                    say.Add($"Its catalog export is suspended{(main.PendingUpdates > 0 ? $" with {main.PendingUpdates} update(s) held" : "")}: Resume-BPCatalogExport {ds} -Domain '{main.Node}'.");
                if (other != null && other.DomainAccess == DomainAccess.Secondary && !string.Equals(other.ImportStagingArea, main.ExportStagingArea, StringComparison.OrdinalIgnoreCase))
                    say.Add($"{other.Node} imports from {other.ImportStagingArea ?? "no staging area"}, not from where {main.Node} exports: Set-BPDataStore {ds} -Domain '{other.Node}' -StagingArea '{main.ExportStagingArea ?? staging}'.");
            }
            foreach (var x in known.Where(x => x.DomainAccess != DomainAccess.Primary && x.ExportSuspended))
                say.Add($"{x.Node} keeps a suspended export flag; it does nothing while {ds} is SECONDARY there (Resume-BPCatalogExport {ds} -Domain '{x.Node}' clears it).");
            say.Add($"Storage and key replication must flow from {newPrimary}'s site: check their direction with their own tools.");
            say.Add($"Then check the store (Test-BPRoleSwitch) and start a new switch when it is ready.");
            return string.Join(" ", say);
        }

        internal static string RemovalsText(string ds, IReadOnlyList<(string Node, string Label)> removing) =>
            string.Join("; ", removing.GroupBy(x => x.Node).Select(g =>
                $"{g.Count()} volume(s) of {ds} on {g.Key} are claimed by a removal that is not finished ({string.Join(", ", g.Take(10).Select(x => x.Label))}{(g.Count() > 10 ? ", ..." : "")})"));

        private static string Describe(DataStore? store) => store?.DomainAccess.ToString().ToUpperInvariant() ?? "missing";

        /// <summary>Labels of the store that another store on either node also uses (R1), found by one merge of sorted streams.</summary>
        private static List<string> SharedLabels(IBackPakDomain p, IBackPakDomain s, string ds)
        {
            var mine = new HashSet<string>(p.GetVolumes(new VolumeQuery { DataStore = ds }).Select(v => v.Label), StringComparer.Ordinal);
            var shared = new List<string>();
            foreach (var d in new[] { p, s })
                foreach (var store in d.GetDataStores().Where(x => !string.Equals(x.Name, ds, StringComparison.OrdinalIgnoreCase)))
                    shared.AddRange(d.GetVolumes(new VolumeQuery { DataStore = store.Name }).Select(v => v.Label).Where(mine.Contains));
            return shared;
        }

        internal static int RunningBackups(IBackPakDomain d, string ds) => (int)d.CountVolumes(new VolumeQuery { DataStore = ds, BackupRunning = true });

        /// <summary>"backups still write 0AB1C2, 0AB1C3 of DS01 on \A": the volumes, named.</summary>
        internal static string BackupsStillRunning(IBackPakDomain d, string ds)
        {
            var labels = d.GetVolumes(new VolumeQuery { DataStore = ds, BackupRunning = true }).Select(v => v.Label).ToList();
            return labels.Count == 0 ? "no backup runs"
                : $"backups still write {labels.Count} volume(s) of {ds} on {d.Node}: {string.Join(", ", labels.Take(10))}{(labels.Count > 10 ? ", ..." : "")}";
        }

        /// <summary>
        /// Whether nothing is left to export. With <paramref name="failFastStep"/>, a state nothing will drain stops the
        /// wait at once with its cause instead of waiting out the timeout: the staging area cannot be reached, or
        /// exports are suspended, while updates are held.
        /// </summary>
        private static bool Drained(ExportStatus st, string? failFastStep)
        {
            if (ExportDrain.IsDrained(st)) return true;
            if (failFastStep == null) return false;
            // Core's one rule of what cannot drain (the same as Wait-BPCatalogExport's); the way out is the run's.
            var blocked = ExportDrain.Blocked(st, st.Suspended
                ? "Abandon the run (Stop-BPRoleSwitchRun), resume exports (Resume-BPCatalogExport), then start the switch again."
                : "Fix the cause the message names, then resume the run (Invoke-BPRoleSwitch -Resume).");
            if (blocked != null) throw blocked;
            return false;
        }

        /// <summary>
        /// Nothing of the store may change on the PRIMARY side between its last FULL export and its demotion: the new
        /// PRIMARY knows only what that export carried. The fence refuses every change made through BackPak; this
        /// catches what the fence cannot see (a tape application writing a volume). A change found sends the run back
        /// to the FULL export and import: the step fails, and resuming redoes them.
        /// </summary>
        private static void VerifyUnchanged(RoleSwitchContext c, Dictionary<string, string> j, string step)
        {
            if (!j.TryGetValue("fullExportAt", out var at)) return;
            string ds = c.DataStore, p = c.Primary.Node;
            var since = Parse(at);
            var written = c.Primary.GetVolumes(new VolumeQuery { DataStore = ds, UpdatedSince = since }).Select(v => v.Label).ToList();
            var raised = c.Primary.GetExportStatus(ds).Pending.Where(x => x.Raised >= since).Select(x => x.Label).ToList();
            long now = c.Primary.CountVolumes(new VolumeQuery { DataStore = ds });
            long exported = j.TryGetValue("fullExportVolumes", out var n) ? long.Parse(n, CultureInfo.InvariantCulture) : now;
            var changed = written.Union(raised, StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToList();
            if (changed.Count == 0 && now == exported) return;
            var what = new List<string>();
            if (changed.Count > 0) what.Add($"{changed.Count} volume(s) written, loaded or claimed ({string.Join(", ", changed.Take(10))}{(changed.Count > 10 ? ", ..." : "")})");
            if (now != exported) what.Add($"{now} volume(s) now against {exported} exported");
            bool reversed = step == "demote-primary";
            throw new Redo(new[] { "final-full-export", "stop-export", "final-full-import", "check-replication" }, new[] { "fullExportAt", "fullExportVolumes", "fullImportAt" },
                $"{ds} changed on {p} since its last FULL export ({since:yyyy-MM-dd HH:mm:ss} UTC): {string.Join("; ", what)}. {c.Secondary.Node} would not know it." +
                (reversed ? " Replication was already reversed: check that the images of these volumes reached the other site." : "") +
                " Resuming the run exports and imports again; stop whatever writes the store first.");
        }

        /// <summary>Thrown by a step that found the work of earlier steps undone: the run fails, and a resume redoes those steps.</summary>
        internal sealed class Redo : Exception
        {
            public Redo(IReadOnlyList<string> steps, IReadOnlyList<string> clear, string why) : base(why) { Steps = steps; Clear = clear; }
            public IReadOnlyList<string> Steps { get; }
            public IReadOnlyList<string> Clear { get; }
        }
        internal static DomainAccess Access(IBackPakDomain d, string ds) => d.GetDataStores(ds).FirstOrDefault()?.DomainAccess ?? DomainAccess.Unknown;

        internal static DataStoreSettings ExportSettings(Dictionary<string, string> j) => new DataStoreSettings
        {
            ExportCheckDelay = TimeSpan.FromSeconds(long.Parse(j["checkDelay"], CultureInfo.InvariantCulture)),
            FullExportFrequency = TimeSpan.FromSeconds(long.Parse(j["fullFrequency"], CultureInfo.InvariantCulture)),
        };

        private static Dictionary<string, string> Reversed(IReadOnlyDictionary<string, string> map) =>
            map.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

        private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
            a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.OrdinalIgnoreCase));

        /// <summary>Polls until done, or returns why not when the timeout passes (then the step fails).</summary>
        private static string? WaitFor(RoleSwitchContext c, Func<bool> done, Func<string> why)
        {
            var deadline = DateTime.UtcNow + c.Timeout;
            while (!done())
            {
                if (DateTime.UtcNow >= deadline) throw new BackPakException(ErrorIds.SwitchStepFailed, BackPakErrorCategory.OperationTimeout, "timed out: " + why(), null);
                if (c.Cancel.WaitHandle.WaitOne(c.PollInterval)) throw new OperationCanceledException();
            }
            return null;
        }

        private static StepInfo Info(string id, string title, string node, StepKind kind, string source) =>
            new StepInfo { Id = id, Title = title, Node = node, Kind = kind, Source = source };

        private static BackPakException Failed(string step, string why) =>
            new BackPakException(ErrorIds.SwitchStepFailed, BackPakErrorCategory.InvalidResult, why, step);

        internal static string Stamp(DateTime t) => t.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
        internal static DateTime Parse(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        /// <summary>Thrown by an External step with no facility: the run stops and waits for the operator.</summary>
        internal sealed class AwaitOperator : Exception
        {
            public AwaitOperator(string what) : base(what) { }
        }

        /// <summary>
        /// The steps a run executes; with <paramref name="links"/>, each step that uses replication links names the one
        /// it uses (<see cref="StepInfo.Facility"/>), which the runner records in the run's journal for its reports.
        /// </summary>
        internal static List<ProcedureStep<RoleSwitchContext>> Definition(string ds, string p, string s, string? newStaging, RoleSwitchContext? links = null) =>
            Steps(ds, p, s, newStaging).Select(x => new ProcedureStep<RoleSwitchContext>(
                links == null || x.Facility == null ? x.Info : WithFacility(x.Info, x.Describe!(links)), x.Run, x.IsDone)).ToList();
    }
}
