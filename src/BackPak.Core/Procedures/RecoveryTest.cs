using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Keys;
using BackPak.Core.Model;
using BackPak.Core.Providers;
using BackPak.Core.Sync;

namespace BackPak.Core.Procedures
{
    /// <summary>One check of a recovery test at a secondary: could the store be recovered there now, in this respect.</summary>
    public sealed class RecoveryCheck
    {
        public string Name { get; init; } = "";
        public string Node { get; init; } = "";
        /// <summary>True only when the check was made and holds: a check that could not be made has not passed.</summary>
        public bool Passed { get; init; }
        public string Detail { get; init; } = "";
        /// <summary>The manual page behind the check, or "inferred (…)" with the rule it rests on.</summary>
        public string Source { get; init; } = "";
        public override string ToString() => (Passed ? "PASS " : "FAIL ") + Name + ": " + Detail;
    }

    /// <summary>One check as a saved recovery test keeps it.</summary>
    public sealed class RecoveryCheckResult
    {
        public string Name { get; init; } = "";
        public bool Passed { get; init; }
        public string Detail { get; init; } = "";
        public override string ToString() => (Passed ? "PASS " : "FAIL ") + Name;
    }

    /// <summary>A signed-off recovery test (Test-BPRecovery -Save): who ran it, when, on which store and node, with what result.</summary>
    public sealed class RecoveryTestRecord
    {
        public string Id { get; init; } = "";
        public string DataStore { get; init; } = "";
        /// <summary>The node of the SECONDARY store the test was run at.</summary>
        public string Node { get; init; } = "";
        public string User { get; init; } = "";
        /// <summary>When the test ran, by the domain's clock (UTC).</summary>
        public DateTime When { get; init; }
        /// <summary>True when every check passed.</summary>
        public bool Passed { get; init; }
        public int Failed { get; init; }
        public IReadOnlyList<RecoveryCheckResult> Checks { get; init; } = new RecoveryCheckResult[0];
        public string? Note { get; init; }
        public override string ToString() => $"{Id} {DataStore} at {Node} {(Passed ? "passed" : Failed + " failed")}";
    }

    /// <summary>What a recovery test works with: the secondary side, and what it can compare with.</summary>
    public sealed class RecoveryTestContext
    {
        public string DataStore { get; init; } = "";
        /// <summary>The domain of the node whose store is SECONDARY: the side that would recover.</summary>
        public IDomainReader Secondary { get; init; } = null!;
        /// <summary>The domain of the store's PRIMARY side when it is connected, or null.</summary>
        public IDomainReader? Primary { get; init; }
        /// <summary>Why the primary side is not there to compare with (for the messages), when <see cref="Primary"/> is null.</summary>
        public string? PrimaryProblem { get; init; }
        /// <summary>The key servers reachable from the secondary (its Key Manager), by endpoint.</summary>
        public IReadOnlyList<IKeyManager> KeyServers { get; init; } = new IKeyManager[0];
        /// <summary>How many replica images are read back as a sample restore; 0 skips the check.</summary>
        public int SampleSize { get; init; } = RecoveryTest.DefaultSampleSize;
    }

    /// <summary>
    /// "Could we recover here now?" at the SECONDARY side of a data store (domain.md §3.5): the checks of the first
    /// step of a recovery, made without changing anything. Each check says what it rests on; a check that could not be
    /// made (the primary not connected, a provider that does not offer a read) says so and has not passed.
    /// </summary>
    public static class RecoveryTest
    {
        public const int DefaultSampleSize = 5;
        public const int MaxSampleSize = 1000;
        /// <summary>How many bytes of each sampled image are read back.</summary>
        public const int SampleHeadBytes = 512;

        /// <summary>
        /// Refuses a test, or a recovery (<paramref name="recovery"/>), where the store is not SECONDARY on the node:
        /// nothing is checked or changed then.
        /// </summary>
        public static DataStore RequireSecondary(IDomainReader secondary, string ds, bool recovery = false)
        {
            string what = recovery ? "a recovery" : "a recovery test", nothing = recovery ? "Nothing was changed." : "Nothing was checked.";
            var store = secondary.GetDataStores(ds).FirstOrDefault()
                ?? throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{ds}' does not exist in the domain of {secondary.Node}: there is nothing to recover there. {nothing}", ds,
                    $"Get-BPDataStore -Domain '{secondary.Node}' lists its data stores; give the node that holds the SECONDARY copy.", stopsInvocation: true);
            if (store.DomainAccess != DomainAccess.Secondary)
                throw new BackPakException(ErrorIds.RecoveryNotSecondary, BackPakErrorCategory.InvalidArgument,
                    $"{ds} is {store.DomainAccess.ToString().ToUpperInvariant()} on {secondary.Node}, not SECONDARY: {what} is made at the side that would recover, the SECONDARY copy. {nothing}",
                    ds, "Give -Node the node whose copy of the store is SECONDARY (Get-BPDataStore shows DomainAccess on each node).", stopsInvocation: true);
            return store;
        }

        /// <summary>
        /// The node of the store's PRIMARY side as the secondary's provider knows it (its replication partner, CS p6), or
        /// null with why not.
        /// </summary>
        public static string? PrimaryNodeOf(IDomainReader secondary, string ds, out string? problem)
        {
            problem = null;
            if (!(secondary is IKeyFacts facts)) { problem = $"the {secondary.Provider} provider does not tell the other side of {ds}; give it with -Primary"; return null; }
            var partners = facts.GetReplicationPartners().Where(p => string.Equals(p.DataStore, ds, StringComparison.OrdinalIgnoreCase))
                .Select(p => p.PartnerNode).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (partners.Count == 1) return partners[0];
            problem = partners.Count == 0 ? $"no other side of {ds} is known to {secondary.Node}"
                : $"{ds} has several other sides ({string.Join(", ", partners)}); give the PRIMARY one with -Primary";
            return null;
        }

        /// <summary>
        /// How the other side of a store answers now: its Domain access there, or null with why not (it does not answer,
        /// as a lost node does, or it has no such store). Never throws for a side that does not answer.
        /// </summary>
        public static (DomainAccess? Access, string? Problem) AnswerOf(IDomainReader primary, string ds)
        {
            try
            {
                var store = primary.GetDataStores(ds).FirstOrDefault();
                return store == null ? (null, $"{ds} does not exist on {primary.Node}") : (store.DomainAccess, null);
            }
            catch (BackPakException e) when (e.Category == BackPakErrorCategory.ConnectionError)
            {
                // The connection error already names the node and says it does not answer; it is not said twice.
                string why = e.Message.TrimEnd('.');
                return (null, why.IndexOf(primary.Node, StringComparison.OrdinalIgnoreCase) >= 0 ? why : $"{primary.Node} does not answer ({why})");
            }
        }

        /// <summary>Every check of a recovery test, made now; changes nothing.</summary>
        public static IReadOnlyList<RecoveryCheck> Test(RecoveryTestContext c)
        {
            if (c.SampleSize < 0 || c.SampleSize > MaxSampleSize)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"-SampleSize {c.SampleSize} is out of range: give 0 (no sample restore) to {MaxSampleSize}.", c.SampleSize, $"For example -SampleSize {DefaultSampleSize}.", stopsInvocation: true);
            string ds = c.DataStore;
            var s = c.Secondary;
            var store = RequireSecondary(s, ds);
            string node = s.Node;
            // Only a PRIMARY side that answers is what the secondary must be in step with.
            if (c.Primary != null && AnswerOf(c.Primary, ds) is var answer && answer.Access != DomainAccess.Primary)
                c = new RecoveryTestContext
                {
                    DataStore = ds, Secondary = s, Primary = null, KeyServers = c.KeyServers, SampleSize = c.SampleSize,
                    PrimaryProblem = answer.Problem ?? $"{ds} is {answer.Access.ToString().ToUpperInvariant()} on {c.Primary.Node}, not PRIMARY",
                };
            var checks = new List<RecoveryCheck>();
            void Add(string name, string where, bool ok, string detail, string source) =>
                checks.Add(new RecoveryCheck { Name = name, Node = where, Passed = ok, Detail = detail, Source = source });

            checks.Add(new RecoveryCheck
            {
                Name = "secondary store", Node = node, Passed = true, Source = "CS p14",
                Detail = $"{ds} is SECONDARY on {node}: restores may run there (load for input), backups may not",
            });

            var volumes = s.GetVolumes(new VolumeQuery { DataStore = ds }).ToList();
            var site = s as IRecoverySite;

            Add("last import current", node, LastImport(c, out var importDetail), importDetail, "CS p8, p15");
            checks.Add(Replicas(c, store, volumes, site, out var images));
            checks.Add(ReplicaFacts(c, store, volumes, site, images, out _));
            checks.Add(Keys(c, volumes));
            checks.Add(TapeCatalogs(c, volumes));
            if (c.SampleSize > 0) checks.Add(Sample(c, store, volumes, site));
            checks.Add(Staging(c));
            return checks;
        }

        private static bool LastImport(RecoveryTestContext c, out string detail)
        {
            string ds = c.DataStore, node = c.Secondary.Node;
            if (!(c.Secondary is ICatalogSync sync)) { detail = $"could not check: the {c.Secondary.Provider} provider does not offer {Capabilities.NameOf(typeof(ICatalogSync))}"; return false; }
            var im = sync.GetImportStatus(ds);
            var imported = Latest(im.LastFullImport, im.LastUpdate, completedOnly: true);
            var lastTried = Latest(im.LastFullImport, im.LastUpdate, completedOnly: false);
            string failedNote = lastTried != null && lastTried.Result != SyncResult.Completed && (imported == null || lastTried.Started > imported.Started)
                ? $"; the last import ({lastTried.Type.ToString().ToUpperInvariant()} at {At(lastTried.Started)}) did not complete" : "";
            string waiting = im.WaitingFiles > 0 ? $"; {im.WaitingFiles} export file(s) wait in {im.StagingArea} to be imported" : "";
            if (imported == null) { detail = $"{ds} was never imported on {node}{failedNote}{waiting}: its catalog may not match the primary's"; return false; }
            string said = $"last import {imported.Type.ToString().ToUpperInvariant()} at {At(imported.Started)}";
            if (c.Primary == null || !(c.Primary is ICatalogSync psync))
            {
                detail = $"could not compare with the primary's last export ({(c.Primary == null ? noPrimaryText(c) : $"the {c.Primary.Provider} provider of {c.Primary.Node} does not offer {Capabilities.NameOf(typeof(ICatalogSync))}")}); {said}, {Age(c.Secondary.Now - imported.Started)} ago{failedNote}{waiting}";
                return false;
            }
            var ex = psync.GetExportStatus(ds);
            var exported = Latest(ex.LastFullExport, ex.LastUpdate, completedOnly: true);
            long changed = c.Primary.CountVolumes(new VolumeQuery { DataStore = ds, UpdatedSince = imported.Started });
            string changedText = $"{changed} volume(s) changed on {c.Primary.Node} since it started";
            if (exported == null) { detail = $"{said}; {c.Primary.Node} has no completed export of {ds}; {changedText}{failedNote}{waiting}"; return false; }
            if (exported.Started > imported.Started)
            {
                detail = $"{said} is {Age(exported.Started - imported.Started)} behind the last export from {c.Primary.Node} ({exported.Type.ToString().ToUpperInvariant()} at {At(exported.Started)}, {exported.Volumes} volume(s)); {changedText}{failedNote}{waiting}";
                return false;
            }
            detail = $"{said}, after the last export from {c.Primary.Node} ({exported.Type.ToString().ToUpperInvariant()} at {At(exported.Started)}); {changedText}" +
                     (changed > 0 ? " (not exported yet)" : "") + failedNote + waiting;
            return failedNote.Length == 0 && im.WaitingFiles == 0;
        }

        private static string noPrimaryText(RecoveryTestContext c) => c.PrimaryProblem ?? "the PRIMARY side is not connected";

        /// <summary>The volumes whose images must be in storage: not SCRATCH (no files while SCRATCH, BB p22/20).</summary>
        private static List<Volume> Written(List<Volume> volumes) =>
            volumes.Where(v => !string.Equals(v.CatalogStatus, "SCRATCH", StringComparison.OrdinalIgnoreCase)).ToList();

        private static RecoveryCheck Replicas(RecoveryTestContext c, DataStore store, List<Volume> volumes, IRecoverySite? site, out Dictionary<string, VolumeImage> images)
        {
            images = new Dictionary<string, VolumeImage>(StringComparer.Ordinal);
            string node = c.Secondary.Node;
            const string name = "replicas present", source = "BB p36/34, CS p6";
            if (site == null) return CouldNot(name, node, source, c.Secondary, typeof(IRecoverySite));
            var written = Written(volumes);
            var missing = new List<string>();
            foreach (var v in written)
            {
                var img = site.GetVolumeImage(store.StoragePath, v.Label, 0);
                if (img == null || !img.IndexPresent || !img.DataPresent)
                {
                    missing.Add(v.Label + (img == null ? "" : img.IndexPresent ? " (no data file)" : img.DataPresent ? " (no index file)" : "") + (img?.Problem != null ? $" ({img.Problem})" : ""));
                    continue;
                }
                images[v.Label] = img;
            }
            return new RecoveryCheck
            {
                Name = name, Node = node, Source = source, Passed = missing.Count == 0,
                Detail = missing.Count == 0 ? $"all {written.Count} written volume(s) of {c.DataStore} have their images in {store.StoragePath}"
                    : $"{missing.Count} of {written.Count} written volume(s) have no replica in {store.StoragePath}: {List(missing)}",
            };
        }

        /// <summary>
        /// The checks of the first step of a recovery (Invoke-BPRecovery), the same as the test's: every written volume's
        /// replica in storage at the secondary, every encrypted volume's key on a key server it reaches, and the size
        /// and timestamp of each replica, with the labels whose timestamp (or size) the secondary would refuse
        /// (<paramref name="refused"/>). Made whatever the store's Domain access is now; changes nothing.
        /// </summary>
        public static (RecoveryCheck Replicas, RecoveryCheck Keys, RecoveryCheck Facts) DataAndKeys(RecoveryTestContext c, out IReadOnlyList<string> refused)
        {
            var s = c.Secondary;
            var store = s.GetDataStores(c.DataStore).FirstOrDefault()
                ?? throw new BackPakException(ErrorIds.DataStoreNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"Data store '{c.DataStore}' does not exist in the domain of {s.Node}.", c.DataStore, $"Get-BPDataStore -Domain '{s.Node}' lists its data stores.");
            var volumes = s.GetVolumes(new VolumeQuery { DataStore = c.DataStore }).ToList();
            var site = s as IRecoverySite;
            var replicas = Replicas(c, store, volumes, site, out var images);
            var facts = ReplicaFacts(c, store, volumes, site, images, out var wrong);
            refused = wrong;
            return (replicas, Keys(c, volumes), facts);
        }

        private static RecoveryCheck ReplicaFacts(RecoveryTestContext c, DataStore store, List<Volume> volumes, IRecoverySite? site, Dictionary<string, VolumeImage> images,
            out List<string> refusedLabels)
        {
            refusedLabels = new List<string>();
            string node = c.Secondary.Node;
            const string name = "replica size and timestamp", source = "BB p36/34, BB p63/61";
            if (site == null) return CouldNot(name, node, source, c.Secondary, typeof(IRecoverySite));
            var primarySite = c.Primary as IRecoverySite;
            var primaryStore = primarySite != null ? c.Primary!.GetDataStores(c.DataStore).FirstOrDefault() : null;
            var wrongTime = new List<string>();
            var wrongSize = new List<string>();
            int checkedSize = 0, againstPrimary = 0;
            foreach (var v in Written(volumes))
            {
                if (!images.TryGetValue(v.Label, out var img)) continue;
                // The catalog carries the timestamp, and the secondary site checks the image's version with it (BB p36/34);
                // the index keeps it to the second.
                if (Seconds(v.LastBackup) != Seconds(img.Timestamp))
                {
                    wrongTime.Add($"{v.Label} (catalog {At(v.LastBackup)}, image {At(img.Timestamp)})");
                    refusedLabels.Add(v.Label);
                }
                if (img.RecordedBytes.HasValue)
                {
                    checkedSize++;
                    if (img.DataBytes != img.RecordedBytes)
                    {
                        wrongSize.Add($"{v.Label} ({img.DataBytes} bytes, its index records {img.RecordedBytes})");
                        if (!refusedLabels.Contains(v.Label)) refusedLabels.Add(v.Label);
                        continue;
                    }
                }
                if (primarySite != null && primaryStore != null)
                {
                    var p = primarySite.GetVolumeImage(primaryStore.StoragePath, v.Label, 0);
                    if (p?.DataBytes != null && Seconds(p.Timestamp) == Seconds(img.Timestamp))
                    {
                        againstPrimary++;
                        if (p.DataBytes != img.DataBytes)
                        {
                            wrongSize.Add($"{v.Label} ({img.DataBytes} bytes, {p.DataBytes} on the primary's storage)");
                            if (!refusedLabels.Contains(v.Label)) refusedLabels.Add(v.Label);
                        }
                    }
                }
            }
            var what = new List<string>();
            if (wrongTime.Count > 0) what.Add($"{wrongTime.Count} with another timestamp than the catalog's: {List(wrongTime)}");
            if (wrongSize.Count > 0) what.Add($"{wrongSize.Count} of the wrong size: {List(wrongSize)}");
            string how = $"{images.Count} replica(s) read: timestamps against {c.Secondary.Node}'s catalog; sizes against their index ({checkedSize})" +
                         (primarySite != null && primaryStore != null ? $" and the primary's storage ({againstPrimary})" : $" (the primary's storage not compared: {(c.Primary == null ? noPrimaryText(c) : "its provider does not offer " + Capabilities.NameOf(typeof(IRecoverySite)))})");
            return new RecoveryCheck
            {
                Name = name, Node = node, Source = source, Passed = what.Count == 0,
                Detail = what.Count == 0 ? how + ": all match" : string.Join("; ", what) + $" ({how}). A timestamp check would refuse them at the secondary; the way out is in the manual (BB p80/78)",
            };
        }

        private static RecoveryCheck Keys(RecoveryTestContext c, List<Volume> volumes)
        {
            string node = c.Secondary.Node;
            const string name = "encryption keys at the secondary", source = "CS p6, TEO p10";
            var encrypted = volumes.Where(v => v.MediaKeyName != null).ToList();
            if (encrypted.Count == 0)
                return new RecoveryCheck { Name = name, Node = node, Passed = true, Source = source, Detail = $"no volume of {c.DataStore} is encrypted" };
            if (c.KeyServers.Count == 0)
                return new RecoveryCheck
                {
                    Name = name, Node = node, Passed = false, Source = source,
                    Detail = $"could not check: no key server reachable from {node} is connected ({encrypted.Count} encrypted volume(s) to check); connect it with Connect-BPKeyManager",
                };
            var missing = new List<string>();
            foreach (var v in encrypted)
            {
                bool present = c.KeyServers.Any(k => k.Locate(v.MediaKeyName).Any(uid => k.Get(uid) is { IsDestroyed: false }));
                if (!present) missing.Add($"{v.Label} ({v.MediaKeyName})");
            }
            string servers = string.Join(", ", c.KeyServers.Select(k => k.Endpoint));
            return new RecoveryCheck
            {
                Name = name, Node = node, Source = source, Passed = missing.Count == 0,
                Detail = missing.Count == 0 ? $"the keys of all {encrypted.Count} encrypted volume(s) are on {servers}"
                    : $"{missing.Count} of {encrypted.Count} encrypted volume(s) have no key on {servers}: {List(missing)}; their data could not be read at {node}",
            };
        }

        private static RecoveryCheck TapeCatalogs(RecoveryTestContext c, List<Volume> volumes)
        {
            var s = c.Secondary;
            const string name = "DSM/TC entries", source = "CS p9, p11; TMF not replicated: inferred";
            var groups = s.GetVolumeGroups(c.DataStore).ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
            var dsm = volumes.Where(v => groups.TryGetValue(v.VolumeGroup, out var g) && g.CatalogKind == CatalogKind.DsmTc).ToList();
            int tmf = volumes.Count(v => groups.TryGetValue(v.VolumeGroup, out var g) && g.CatalogKind == CatalogKind.Tmf);
            var wrong = new List<string>();
            static int Count(IDomainReader d, string label) => d.GetCatalogEntries(label).Count(e => e.Catalog == CatalogKind.DsmTc);
            foreach (var v in dsm)
            {
                int here = Count(s, v.Label);
                if (c.Primary != null)
                {
                    int there = Count(c.Primary, v.Label);
                    if (here != there) wrong.Add($"{v.Label} ({here} entr(y/ies) on {s.Node}, {there} on {c.Primary.Node})");
                }
                else if (!s.GetCatalogEntries(v.Label).Any(e => e.Kind == CatalogEntryKind.TapeVolume))
                    wrong.Add($"{v.Label} (no TAPEVOLUME on {s.Node})");
            }
            string against = c.Primary != null ? $"entry counts compared with {c.Primary.Node}" : $"only the TAPEVOLUME of each checked, not the counts ({noPrimaryText(c)})";
            string tmfNote = tmf > 0 ? $"; {tmf} TMF volume(s) not compared (TMF entries are not replicated)" : "";
            return new RecoveryCheck
            {
                Name = name, Node = s.Node, Source = source, Passed = wrong.Count == 0 && c.Primary != null,
                Detail = wrong.Count == 0
                    ? (c.Primary != null ? $"the DSM/TC entries of all {dsm.Count} DSM/TC volume(s) match ({against}){tmfNote}" : $"could not compare the counts: {against}; every TAPEVOLUME is there{tmfNote}")
                    : $"{wrong.Count} of {dsm.Count} DSM/TC volume(s) differ ({against}): {List(wrong)}{tmfNote}",
            };
        }

        private static RecoveryCheck Sample(RecoveryTestContext c, DataStore store, List<Volume> volumes, IRecoverySite? site)
        {
            string node = c.Secondary.Node;
            string name = "sample restores read back", source = "inferred (load for input is allowed on a SECONDARY store, CS p14)";
            if (site == null) return CouldNot(name, node, source, c.Secondary, typeof(IRecoverySite));
            var written = Written(volumes);
            if (written.Count == 0) return new RecoveryCheck { Name = name, Node = node, Passed = false, Source = source, Detail = $"could not check: no written volume of {c.DataStore} to read back" };
            // Evenly over the label order, the same volumes each time for the same catalog.
            int n = Math.Min(c.SampleSize, written.Count);
            var sample = Enumerable.Range(0, n).Select(i => written[(int)((long)i * written.Count / n)]).ToList();
            var bad = new List<string>();
            foreach (var v in sample)
            {
                var img = site.GetVolumeImage(store.StoragePath, v.Label, SampleHeadBytes);
                if (img == null || !img.IndexPresent || !img.DataPresent) bad.Add($"{v.Label} (no image{(img?.Problem != null ? ": " + img.Problem : "")})");
                else if (!string.Equals(img.IndexLabel, v.Label, StringComparison.Ordinal)) bad.Add($"{v.Label} (its index names {img.IndexLabel ?? "no label"})");
                else if (img.Head.Length == 0) bad.Add($"{v.Label} (no data read back{(img.Problem != null ? ": " + img.Problem : "")})");
            }
            return new RecoveryCheck
            {
                Name = name, Node = node, Source = source, Passed = bad.Count == 0,
                Detail = bad.Count == 0 ? $"{n} sampled image(s) read back with the label the catalog gives ({string.Join(", ", sample.Select(v => v.Label))})"
                    : $"{bad.Count} of {n} sampled image(s) did not read back: {List(bad)}",
            };
        }

        private static RecoveryCheck Staging(RecoveryTestContext c)
        {
            string node = c.Secondary.Node;
            const string name = "staging space", source = "CS p8; the floor is inferred";
            if (!(c.Secondary is ICatalogSync sync)) return CouldNot(name, node, source, c.Secondary, typeof(ICatalogSync));
            if (!(c.Secondary is ISwitchSite sw)) return CouldNot(name, node, source, c.Secondary, typeof(ISwitchSite));
            var im = sync.GetImportStatus(c.DataStore);
            if (im.StagingArea == null) return new RecoveryCheck { Name = name, Node = node, Passed = false, Source = source, Detail = $"{c.DataStore} on {node} has no staging area to import from" };
            long? free = sw.GetStagingFreeBytes(im.StagingArea);
            string floor = $"at least {RoleSwitch.MinStagingBytes / 1048576} MiB wanted, inferred";
            if (!im.StagingReachable) return new RecoveryCheck { Name = name, Node = node, Passed = false, Source = source, Detail = $"the staging area {im.StagingArea} cannot be reached: a last FULL import could not read it" };
            if (free == null) return new RecoveryCheck { Name = name, Node = node, Passed = false, Source = source, Detail = $"could not check: the free space of {im.StagingArea} is not known ({floor})" };
            return new RecoveryCheck
            {
                Name = name, Node = node, Source = source, Passed = free.Value >= RoleSwitch.MinStagingBytes,
                Detail = $"{free.Value / 1048576} MiB free for {im.StagingArea} ({floor})",
            };
        }

        /// <summary>The signed-off record of a test just made.</summary>
        public static RecoveryTestRecord Record(IReadOnlyList<RecoveryCheck> checks, string dataStore, string node, string user, DateTime when, string? note)
        {
            int failed = checks.Count(x => !x.Passed);
            var stamp = when.ToUniversalTime();
            return new RecoveryTestRecord
            {
                Id = "RT-" + stamp.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6).ToUpperInvariant(),
                DataStore = dataStore, Node = node, User = user, When = stamp, Passed = failed == 0, Failed = failed,
                Checks = checks.Select(x => new RecoveryCheckResult { Name = x.Name, Passed = x.Passed, Detail = x.Detail }).ToList(),
                Note = string.IsNullOrWhiteSpace(note) ? null : note!.Trim(),
            };
        }

        /// <summary>Whether a record Id is one this module writes (so a provider can name its file after it).</summary>
        public static bool IsRecordId(string id) =>
            id.Length == 25 && id.StartsWith("RT-", StringComparison.Ordinal) && id.Substring(3).All(ch => char.IsDigit(ch) || (ch >= 'A' && ch <= 'F') || ch == '-');

        /// <summary>The records of a store and/or node, newest first, at most <paramref name="last"/> of them.</summary>
        public static IReadOnlyList<RecoveryTestRecord> List(IEnumerable<RecoveryTestRecord> records, string? dataStore, string? node, int? last)
        {
            var q = records.Where(r => (dataStore == null || string.Equals(r.DataStore, dataStore, StringComparison.OrdinalIgnoreCase))
                                       && (node == null || string.Equals(r.Node, node, StringComparison.OrdinalIgnoreCase)))
                .OrderByDescending(r => r.When).ThenByDescending(r => r.Id, StringComparer.Ordinal);
            return (last.HasValue ? q.Take(last.Value) : q).ToList();
        }

        private static RecoveryCheck CouldNot(string name, string node, string source, IDomainReader d, Type capability) => new RecoveryCheck
        {
            Name = name, Node = node, Passed = false, Source = source,
            Detail = $"could not check: the {d.Provider} provider does not offer {Capabilities.NameOf(capability)}",
        };

        private static SyncRun? Latest(SyncRun? a, SyncRun? b, bool completedOnly) =>
            new[] { a, b }.Where(r => r != null && (!completedOnly || r.Result == SyncResult.Completed)).OrderByDescending(r => r!.Started).FirstOrDefault();

        private static long? Seconds(DateTime? t) => t.HasValue ? (t.Value.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond) : (long?)null;

        private static string At(DateTime? t) => t.HasValue ? t.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "none";

        private static string Age(TimeSpan t)
        {
            if (t < TimeSpan.Zero) t = TimeSpan.Zero;
            if (t.TotalDays >= 1) return $"{(int)t.TotalDays}d {t.Hours}h {t.Minutes}m";
            if (t.TotalHours >= 1) return $"{(int)t.TotalHours}h {t.Minutes}m";
            if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes}m {t.Seconds}s";
            return $"{(int)t.TotalSeconds}s";
        }

        private static string List(List<string> items) => string.Join(", ", items.Take(10)) + (items.Count > 10 ? ", ..." : "");
    }
}
