using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackPak.Core.Compare;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;

namespace BackPak.Core.Procedures
{
    /// <summary>A reprotect as a plan: the node that came back made the SECONDARY of the one that took over, step by step.</summary>
    public sealed class ReprotectPlan
    {
        public string DataStore { get; init; } = "";
        /// <summary>The node that took the store over (Invoke-BPRecovery) and stays PRIMARY.</summary>
        public string Primary { get; init; } = "";
        /// <summary>The old PRIMARY side that came back: it becomes the store's SECONDARY.</summary>
        public string Returning { get; init; } = "";
        public IReadOnlyList<StepInfo> Steps { get; init; } = new StepInfo[0];
        /// <summary>What the procedure leaves to the operator outside BackPak.</summary>
        public IReadOnlyList<string> Notes { get; init; } = new string[0];
        public override string ToString() => $"Reprotect {DataStore}: {Returning} becomes SECONDARY of {Primary} ({Steps.Count} steps)";
    }

    /// <summary>A reprotect run: its steps, what the returning side held that the new PRIMARY did not know, and what comes next.</summary>
    public sealed class ReprotectReport : ProcedureReport
    {
        /// <summary>
        /// The volumes the returning side held as the new PRIMARY does not (backups taken there after its last export reached
        /// the other side): listed before anything of them was replaced, and accepted by the operator.
        /// </summary>
        public List<string> StaleVolumes { get; set; } = new List<string>();
        /// <summary>What to do once the run has ended: the switch back, NetBatch.</summary>
        public string? NextSteps { get; set; }
        public override string ToString() => $"{RunId} reprotect of {DataStore}: {Secondary} SECONDARY of {Primary} {Status}";
    }

    /// <summary>Everything a reprotect works with: both sides answer.</summary>
    public sealed class ReprotectContext : IProcedureContext
    {
        public string DataStore { get; init; } = "";
        /// <summary>The domain that took the store over and stays PRIMARY.</summary>
        public IBackPakDomain Primary { get; init; } = null!;
        /// <summary>The domain of the old PRIMARY side, back with its stale state: it becomes SECONDARY.</summary>
        public IBackPakDomain Returning { get; init; } = null!;
        /// <summary>Storage replication of the store's volume images, or null when the operator turns it by hand.</summary>
        public IReplicationLink? StorageLink { get; init; }
        /// <summary>Key-server replication, or null when the operator turns it by hand.</summary>
        public IReplicationLink? KeyLink { get; init; }
        /// <summary>The site of <see cref="Primary"/>: replication must flow from it once turned.</summary>
        public string? PrimarySite { get; init; }
        public IRunJournalStore Journal { get; init; } = null!;
        public string User { get; init; } = Environment.UserName;
        public CancellationToken Cancel { get; init; }
        string IProcedureContext.PrimaryNode => Primary.Node;
        string IProcedureContext.SecondaryNode => Returning.Node;
    }

    /// <summary>
    /// Reprotect (issue 14, the DR products' "reprotect"): after an unplanned takeover, the old PRIMARY side comes back
    /// still saying PRIMARY, with what it wrote after its last export reached the other side. The manual has no page for
    /// it, so every step is inferred from the rules it rests on (CS p8, p9, p12, p14, p15, p16, p20, p41) and says so.
    /// The returning side is demoted first, before it can take a backup; what it holds that the new PRIMARY does not know
    /// is listed and the run waits for the operator before anything of it is replaced; then replication and the staging
    /// area are turned round and a FULL export and import bring it in step, checked volume by volume and entry by entry.
    /// Every step is idempotent with a check of its end state, so a run killed anywhere resumes to the end an
    /// uninterrupted run reaches. Afterwards a planned switch gives the returning side its PRIMARY role back.
    /// </summary>
    public static class Reprotect
    {
        private const string StaleKey = "stale";
        private const string FullExportAt = "fullExportAt";
        private const string TakeoverKey = "takeover";

        /// <param name="links">The context of a run, when known: the steps that turn replication name the link that does it.</param>
        public static ReprotectPlan Plan(string dataStore, string primary, string returning, ReprotectContext? links = null) => new ReprotectPlan
        {
            DataStore = dataStore, Primary = primary, Returning = returning,
            Steps = Definition(dataStore, primary, returning, links).Select(s => s.Info).ToList(),
            Notes = new[]
            {
                $"NetBatch: the full-export jobs of {dataStore} belong on {primary}, its BB027_IMPORT_CATALOG jobs on {returning}; set PARAM AUTOEXPIRE^TIME on {returning} [CS p28].",
                $"OBB017 cleanup of {dataStore} is skipped on {returning} while it is SECONDARY and runs on {primary} [CS p14].",
                $"Backups of {dataStore} are refused on both sides while the run holds the store; they run on {primary} again once it ends.",
                $"To give {returning} its PRIMARY role back afterwards: Invoke-BPRoleSwitch {dataStore} -Primary '{primary}' -Secondary '{returning}'.",
            },
        };

        /// <summary>
        /// The node that took the store over from <paramref name="returning"/>: the newest completed procedure of the store
        /// in the journal must be a recovery whose lost PRIMARY side is that node. Anything else is refused before anything
        /// is read or written: the node named is the one that took over (the wrong direction), the store was reprotected or
        /// switched since, or no recovery of it is known.
        /// </summary>
        public static (string Primary, string RecoveryRunId) FindTakeover(IRunJournalStore journal, string dataStore, string returning)
        {
            string ds = Text.Names.NormalizeDataStore(dataStore), node = Text.Names.NormalizeNode(returning);
            var last = journal.RunIds()
                .Where(id => { var k = ProcedureKind.Of(id); return k == ProcedureKind.Recovery || k == ProcedureKind.Switch || k == ProcedureKind.Reprotect; })
                .Select(id => ProcedureRunner.AnyReport(journal, id))
                .Where(r => r != null && r.Status == RunStatus.Completed && string.Equals(r.DataStore, ds, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(r => r!.Ended ?? r.Started).ThenByDescending(r => r!.RunId, StringComparer.Ordinal)
                .FirstOrDefault();
            string again = $"Invoke-BPReprotect -DataStore {ds} -Node '<the node that was lost>'";
            if (last is RecoveryReport rc)
            {
                if (string.Equals(rc.Primary, node, StringComparison.OrdinalIgnoreCase)) return (rc.Secondary, rc.RunId);
                if (string.Equals(rc.Secondary, node, StringComparison.OrdinalIgnoreCase))
                    throw NoTakeover($"{node} took {ds} over in run {rc.RunId}: it stays PRIMARY. The node that came back and is made its SECONDARY is {rc.Primary}. Nothing was changed.", node,
                        $"Invoke-BPReprotect -DataStore {ds} -Node '{rc.Primary}'.");
                throw NoTakeover($"The last recovery of {ds} (run {rc.RunId}) took it over at {rc.Secondary} from {rc.Primary}, not from {node}. Nothing was changed.", node,
                    $"Invoke-BPReprotect -DataStore {ds} -Node '{rc.Primary}'.");
            }
            if (last is ReprotectReport rp)
                throw NoTakeover($"{ds} was already reprotected in run {rp.RunId}: {rp.Secondary} is the SECONDARY of {rp.Primary}. Nothing was changed.", node,
                    $"To give {rp.Secondary} its PRIMARY role back: Invoke-BPRoleSwitch {ds} -Primary '{rp.Primary}' -Secondary '{rp.Secondary}'.");
            if (last != null)
                throw NoTakeover($"The last procedure of {ds} is the switch {last.RunId} from {last.Primary} to {last.Secondary}, not a recovery: there is nothing to reprotect. Nothing was changed.", node,
                    $"Check how the sides stand (Get-BPDataStore {ds} on each node); a planned switch is Invoke-BPRoleSwitch.");
            throw NoTakeover($"No completed recovery of {ds} is in the journals of {journal.Location}: a reprotect follows a takeover by Invoke-BPRecovery, and BackPak cannot tell which side is the PRIMARY to keep. Nothing was changed.", node,
                $"If {ds} was taken over by hand, make the side that came back SECONDARY by hand (Set-BPDataStore {ds} -Domain '{node}' -DomainAccess Secondary) and follow docs/procedures.md; after an Invoke-BPRecovery: {again}.");
        }

        private static BackPakException NoTakeover(string message, string node, string advice) =>
            new BackPakException(ErrorIds.ReprotectNoTakeover, BackPakErrorCategory.InvalidOperation, message, node, advice, stopsInvocation: true);

        /// <summary>
        /// Refuses a reprotect that must not start (nothing is written then): the store is missing on a side, the side that
        /// took over is not PRIMARY, the returning side is neither PRIMARY nor SECONDARY, or a backup runs on either side.
        /// </summary>
        public static void RequireStart(ReprotectContext c)
        {
            string ds = c.DataStore, p = c.Primary.Node, s = c.Returning.Node;
            var primary = c.Primary.GetDataStores(ds).FirstOrDefault();
            var returning = c.Returning.GetDataStores(ds).FirstOrDefault();
            string fix = $"Check both sides (Get-BPDataStore {ds} -Domain '{p}', then '{s}'), then start the reprotect again.";
            if (primary == null || returning == null)
                throw Refused($"{ds} does not exist on {(primary == null ? p : s)}. Nothing was changed.", ds, fix);
            if (primary.DomainAccess != DomainAccess.Primary)
                throw Refused($"{ds} is {Upper(primary.DomainAccess)} on {p}, which took it over: a reprotect makes {s} the SECONDARY of a PRIMARY {p}. Nothing was changed.", ds,
                    $"Finish the takeover first (Get-BPRoleSwitchRun lists the recovery runs; Invoke-BPRecovery -Resume continues one). {fix}");
            if (returning.DomainAccess != DomainAccess.Primary && returning.DomainAccess != DomainAccess.Secondary)
                throw Refused($"{ds} is {Upper(returning.DomainAccess)} on {s}: a reprotect takes a side that is PRIMARY (as it was left when it was lost) or SECONDARY. Nothing was changed.", ds, fix);
            foreach (var d in new[] { c.Returning, c.Primary })
                if (RoleSwitch.RunningBackups(d, ds) > 0)
                    throw Refused($"{RoleSwitch.BackupsStillRunning(d, ds)}. A reprotect holds the store on both sides, so a backup must not be running when it starts" +
                                  (d == c.Returning ? $"; {p} does not know what {s} writes now, and the run lists it as stale." : ".") + " Nothing was changed.", ds,
                        "Let the backup end, then start the reprotect.");
        }

        private static BackPakException Refused(string message, string ds, string advice) =>
            new BackPakException(ErrorIds.ReprotectPreconditionFailed, BackPakErrorCategory.InvalidOperation, message, ds, advice, stopsInvocation: true);

        /// <summary>Runs (or resumes) a reprotect through the run journal; a -ConfirmStep is checked before anything is entered.</summary>
        public static ReprotectReport Run(ReprotectContext c, string? takeoverRunId, string? resumeRunId, string? confirmStep, Action<StepReport, int, int>? progress)
        {
            var steps = Definition(c.DataStore, c.Primary.Node, c.Returning.Node, c);
            if (confirmStep != null) ProcedureRunner.RequireAwaited(c, steps, resumeRunId, confirmStep);
            var header = new Dictionary<string, string>(StringComparer.Ordinal) { [TakeoverKey] = takeoverRunId ?? "" };
            var report = ProcedureRunner.Run(ProcedureKind.Reprotect, c, steps, () => RequireStart(c), null, () => new ReprotectReport(), header, resumeRunId, confirmStep, progress);
            return Complete(report, ProcedureRunner.RecordedValues(c.Journal, report.RunId));
        }

        /// <summary>A reprotect run's report from its journal alone (Get-BPRoleSwitchRun), or null when there is no such run.</summary>
        public static ReprotectReport? Report(IRunJournalStore journal, string runId)
        {
            var r = ProcedureRunner.ReportOf(journal, runId, () => new ReprotectReport());
            return r == null ? null : Complete(r, ProcedureRunner.RecordedValues(journal, r.RunId));
        }

        private static ReprotectReport Complete(ReprotectReport r, Dictionary<string, string> j)
        {
            r.StaleVolumes = j.TryGetValue(StaleKey, out var stale) && stale.Length > 0 ? stale.Split(',').ToList() : new List<string>();
            if (r.Status == RunStatus.Completed)
                r.NextSteps = $"{r.DataStore} is PRIMARY on {r.Primary} and SECONDARY on {r.Secondary}, which imports from {r.Primary}'s exports. " +
                              $"NetBatch: BB027_IMPORT_CATALOG jobs on {r.Secondary}, full-export jobs on {r.Primary} [CS p28]. " +
                              $"To give {r.Secondary} its PRIMARY role back: Invoke-BPRoleSwitch {r.DataStore} -Primary '{r.Primary}' -Secondary '{r.Secondary}'.";
            return r;
        }

        /// <summary>
        /// What the returning side holds of the store as the PRIMARY side does not: volumes only there, and volumes written
        /// there later than the PRIMARY's copy says (the PRIMARY's labels held once, the other side streamed). Volumes only at the
        /// PRIMARY, or newer there, are what the FULL import brings, not stale.
        /// </summary>
        public static (List<string> OnlyThere, List<string> NewerThere) Stale(IDomainReader primary, IDomainReader returning, string ds)
        {
            // Last backups compared at the precision the provider gives (two backups in one second are two backups).
            var known = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
            foreach (var v in primary.GetVolumes(new VolumeQuery { DataStore = ds })) known[v.Label] = v.LastBackup;
            var only = new List<string>();
            var newer = new List<string>();
            foreach (var v in returning.GetVolumes(new VolumeQuery { DataStore = ds }))
            {
                if (!known.TryGetValue(v.Label, out var here)) only.Add(v.Label);
                else if (v.LastBackup.HasValue && v.LastBackup > (here ?? DateTime.MinValue)) newer.Add(v.Label);
            }
            return (only, newer);
        }

        private static string Listed(IReadOnlyList<string> labels) => string.Join(", ", labels.Take(10)) + (labels.Count > 10 ? $", ... ({labels.Count})" : "");

        private static string StaleText(string ds, string p, string s, List<string> only, List<string> newer)
        {
            var parts = new List<string>();
            if (only.Count > 0) parts.Add($"{only.Count} only on {s}, never received on {p} or deleted there since the takeover ({Listed(only)})");
            if (newer.Count > 0) parts.Add($"{newer.Count} written on {s} later than {p} knows ({Listed(newer)})");
            return $"{only.Count + newer.Count} volume(s) of {ds} on {s} are not known on {p} as {s} has them: {string.Join("; ", parts)}";
        }

        /// <param name="links">The context of a run, when known: the steps that turn replication name the link that does it.</param>
        internal static List<ProcedureStep<ReprotectContext>> Definition(string ds, string p, string s, ReprotectContext? links = null)
        {
            var steps = new List<ProcedureStep<ReprotectContext>>
            {
                new ProcedureStep<ReprotectContext>(
                    Info("demote-returning", $"Change {ds} on {s} from PRIMARY to SECONDARY before it can take a backup", s, StepKind.Action, "inferred (CS p14: a SECONDARY store refuses backups)"),
                    (c, j) =>
                    {
                        // Its export settings go to the side that stays PRIMARY (configure-export), as in a switch.
                        var st = c.Returning.GetExportStatus(ds);
                        j["checkDelay"] = ((long)st.ExportCheckDelaySeconds).ToString(CultureInfo.InvariantCulture);
                        j["fullFrequency"] = st.FullExportFrequencySeconds.HasValue ? ((long)st.FullExportFrequencySeconds.Value).ToString(CultureInfo.InvariantCulture) : "0";
                        bool was = RoleSwitch.Access(c.Returning, ds) == DomainAccess.Secondary;
                        c.Returning.SetDataStore(ds, new DataStoreSettings { DomainAccess = DomainAccess.Secondary }, c.User);
                        return was ? $"{ds} on {s} was SECONDARY already" : $"{ds} on {s} is SECONDARY: it refuses backups and volume creation; restores may run there";
                    },
                    (c, j) => j.ContainsKey("checkDelay") && RoleSwitch.Access(c.Returning, ds) == DomainAccess.Secondary),
                new ProcedureStep<ReprotectContext>(
                    Info("list-stale", $"List what {s} holds of {ds} that {p} does not know, before anything of it is replaced", $"{s} {p}", StepKind.Check, "inferred (CS p8, p15: a FULL import makes the secondary's catalog the primary's)"),
                    (c, j) =>
                    {
                        var (only, newer) = Stale(c.Primary, c.Returning, ds);
                        if (only.Count + newer.Count == 0) { j[StaleKey] = ""; return $"nothing stale: every volume of {ds} on {s} is known on {p} as {s} has it"; }
                        throw new RoleSwitch.AwaitOperator(StaleText(ds, p, s, only, newer) +
                            $". What they hold was written on {s} after its last export reached {p}. The FULL import from {p} drops them from {s}'s catalog, and storage replication, once turned, " +
                            $"brings {p}'s images over {s}'s. A volume written on {s} while its storage replication still flowed from {s}'s site may have that image on {p}'s storage too, " +
                            $"over {p}'s: the timestamp check then refuses it on both sides until it is turned off for the volume (BB p80/78). To keep what they hold, restore it now on {s} (load for input is allowed on the SECONDARY store) or copy their images aside. " +
                            "Then confirm this step.");
                    },
                    (c, j) => j.ContainsKey(StaleKey))
                {
                    // The operator's word decides; what it accepts is recorded in the run.
                    Verify = (c, j) =>
                    {
                        var (only, newer) = Stale(c.Primary, c.Returning, ds);
                        j[StaleKey] = string.Join(",", only.Concat(newer).OrderBy(x => x, StringComparer.Ordinal));
                        return only.Count + newer.Count == 0 ? "nothing stale now" : "accepted: " + StaleText(ds, p, s, only, newer);
                    },
                },
                new ProcedureStep<ReprotectContext>(
                    Info("reverse-storage-replication", "Turn storage replication round", $"{p} {s}", StepKind.External, "inferred (CS p41: replication flows from the PRIMARY side)"),
                    (c, j) => RoleSwitch.TurnLink(c.StorageLink, "reverse-storage-replication", "Turn storage replication round", p, c.PrimarySite, s),
                    (c, j) => RoleSwitch.LinkTurned(c.StorageLink, p, c.PrimarySite)),
                new ProcedureStep<ReprotectContext>(
                    Info("reverse-key-replication", "Turn key-server replication round", $"{p} {s}", StepKind.External, "inferred (CS p41, CS p6)"),
                    (c, j) => RoleSwitch.TurnLink(c.KeyLink, "reverse-key-replication", "Turn key-server replication round", p, c.PrimarySite, s),
                    (c, j) => RoleSwitch.LinkTurned(c.KeyLink, p, c.PrimarySite)),
                new ProcedureStep<ReprotectContext>(
                    Info("move-staging", $"Make a staging subvolume of {ds} on {s} the export target of {p} and the import source of {s} (disk space checked)", s, StepKind.Action, "CS p41, p20"),
                    (c, j) => RoleSwitch.MoveStaging(c.Primary, c.Returning, ds, c.User, "move-staging"),
                    (c, j) => RoleSwitch.StagingMoved(c.Primary, c.Returning, ds)),
                new ProcedureStep<ReprotectContext>(
                    Info("configure-export", $"Set the Catalog Sync Export page of {ds} on {p} as it was on {s}", p, StepKind.Action, "CS p20"),
                    (c, j) =>
                    {
                        var settings = RoleSwitch.ExportSettings(j);
                        c.Primary.SetDataStore(ds, settings, c.User);
                        return $"export check delay {settings.ExportCheckDelay}, full export frequency {(settings.FullExportFrequency == TimeSpan.Zero ? "none" : settings.FullExportFrequency.ToString())}";
                    },
                    (c, j) => j.ContainsKey("checkDelay") && TimeSpan.FromSeconds(c.Primary.GetExportStatus(ds).ExportCheckDelaySeconds) == RoleSwitch.ExportSettings(j).ExportCheckDelay),
                new ProcedureStep<ReprotectContext>(
                    Info("configure-import", $"Set the import configuration of {ds} on {s}: node replacement reversed, original names", s, StepKind.Action, "CS p9, p12"),
                    (c, j) => RoleSwitch.ConfigureImport(c.Returning, c.Primary, ds, c.User),
                    (c, j) => RoleSwitch.ImportConfigured(c.Returning, c.Primary, ds)),
                new ProcedureStep<ReprotectContext>(
                    Info("resume-export", $"Resume the catalog export of {ds} on {p}, held since the takeover", p, StepKind.Action, "inferred (CS p8)"),
                    (c, j) => { c.Primary.SetExportSuspended(ds, false, c.User); return $"exports of {ds} run from {p} to {s}'s staging area"; },
                    (c, j) => !c.Primary.GetExportStatus(ds).Suspended),
                new ProcedureStep<ReprotectContext>(
                    Info("full-export", $"FULL export of {ds} from {p} to the staging area on {s}", p, StepKind.Action, "CS p16"),
                    (c, j) =>
                    {
                        var run = c.Primary.StartExport(ds, SyncType.Full, c.User);
                        if (run.Result != SyncResult.Completed) throw Failed("full-export", run.Error ?? "the full export did not complete");
                        j[FullExportAt] = RoleSwitch.Stamp(run.Started);
                        return $"{run.Volumes} volume(s), {run.Entries} entr(y/ies) exported from {p}";
                    },
                    (c, j) => j.TryGetValue(FullExportAt, out var at) && c.Primary.GetExportStatus(ds).LastFullExport is { Result: SyncResult.Completed } r && r.Started >= RoleSwitch.Parse(at)),
                new ProcedureStep<ReprotectContext>(
                    Info("full-import", $"FULL import of {ds} on {s}, every volume checked", s, StepKind.Action, "CS p15, p16"),
                    (c, j) =>
                    {
                        var run = c.Returning.StartImport(ds, SyncType.Full, true, c.User);
                        if (run.Result != SyncResult.Completed)
                            throw Failed("full-import", $"the FULL import did not complete: {run.Error ?? $"{run.FailedVolumes.Count} volume(s) failed: {string.Join(", ", run.FailedVolumes.Take(10))}"}");
                        return $"{run.Volumes} volume(s) imported on {s}, {run.Deleted} deleted";
                    },
                    (c, j) => j.TryGetValue(FullExportAt, out var at) && c.Returning.GetImportStatus(ds).LastFullImport is { Result: SyncResult.Completed } r && r.Started >= RoleSwitch.Parse(at)),
                new ProcedureStep<ReprotectContext>(
                    Info("compare-catalogs", $"Check that the catalogs of {ds} on {s} and {p} are equal, volume by volume and DSM/TC entry by entry", $"{s} {p}", StepKind.Check, "inferred (CS p15)"),
                    (c, j) =>
                    {
                        var differences = DomainComparison.Compare(c.Primary, c.Returning, new VolumeQuery { DataStore = ds }, entryKinds: ReplicatedEntries).Take(11).ToList();
                        if (differences.Count == 0) return $"the catalogs of {ds} on {s} and {p} are equal";
                        // Something changed on the PRIMARY side after its FULL export (a backup after the run released
                        // nothing: the store is held): export and import again.
                        throw new RoleSwitch.Redo(new[] { "full-export", "full-import" }, new[] { FullExportAt },
                            $"the catalogs of {ds} still differ after the FULL import ({string.Join("; ", differences.Take(10))}{(differences.Count > 10 ? "; ..." : "")}). Resuming the run exports and imports again.");
                    },
                    (c, j) => false),
            };
            for (int i = 0; i < steps.Count; i++)
            {
                var x = steps[i];
                var info = x.Info;
                steps[i] = new ProcedureStep<ReprotectContext>(
                    new StepInfo
                    {
                        Number = i + 1, Id = info.Id, Title = info.Title, Node = info.Node, Kind = info.Kind, Source = info.Source,
                        Facility = links == null ? null : info.Id == "reverse-storage-replication" ? RoleSwitch.DescribeLink(links.StorageLink)
                            : info.Id == "reverse-key-replication" ? RoleSwitch.DescribeLink(links.KeyLink) : null,
                    }, x.Run, x.IsDone) { Verify = x.Verify };
            }
            return steps;
        }

        /// <summary>What Catalog Sync replicates besides the BackPak catalog: DSM/TC entries; TMF entries are not (domain.md 2.6, inferred).</summary>
        private static readonly CatalogEntryKind[] ReplicatedEntries = { CatalogEntryKind.TapeVolume, CatalogEntryKind.TapeFile, CatalogEntryKind.DiskFile };

        private static string Upper(DomainAccess a) => a.ToString().ToUpperInvariant();

        private static StepInfo Info(string id, string title, string node, StepKind kind, string source) =>
            new StepInfo { Id = id, Title = title, Node = node, Kind = kind, Source = source };

        private static BackPakException Failed(string step, string why) =>
            new BackPakException(ErrorIds.ReprotectStepFailed, BackPakErrorCategory.InvalidResult, why, step);
    }
}
