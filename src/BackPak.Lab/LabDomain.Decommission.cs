using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using BackPak.Core.Providers;

namespace BackPak.Lab
{
    /// <summary>
    /// What the decommission of a data store asks of the lab beyond its catalogs (<see cref="IDecommissionSite"/>): the
    /// DSM/TC and TMF entries of given labels, the files at a storage location, and the store's export files in a staging
    /// area, read and (for the staging area) deleted. Core decides when; the lab carries it out.
    /// </summary>
    public sealed partial class LabDomain : IDecommissionSite
    {
        public IReadOnlyDictionary<string, int> GetTapeCatalogEntryCounts(IReadOnlyCollection<string> labels) => Guard(() =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var all = labels.Distinct(StringComparer.Ordinal).ToList();
            using var dsm = LabDb.Open(_dsmTcDb, readOnly: true);
            using var tmf = LabDb.Open(_tmfDb, readOnly: true);
            for (int start = 0; start < all.Count; start += RemovalBatchSize)
            {
                var batch = all.Skip(start).Take(RemovalBatchSize).ToList();
                foreach (var part in new[] { CountEntries(dsm, batch, "tapevolume", "tapefile", "diskfile"), CountEntries(tmf, batch, "tmf_volume", "tmf_dump") })
                    foreach (var kv in part) counts[kv.Key] = Get(counts, kv.Key) + kv.Value;
            }
            return (IReadOnlyDictionary<string, int>)counts;
        });

        public IReadOnlyList<string> GetStorageFiles(string storagePath) => Guard(() =>
        {
            string dir = LabLayout.StorageDirFromUnc(_lab.Root, storagePath);
            return (IReadOnlyList<string>)(Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir).Select(f => Path.GetFileName(f)!).OrderBy(f => f, StringComparer.Ordinal).ToList()
                : new List<string>());
        });

        public IReadOnlyList<string> GetStagingFiles(string stagingArea, string primaryStoreId) => Guard(() =>
            (IReadOnlyList<string>)StoreStagingFiles(stagingArea, primaryStoreId).Select(f => Path.GetFileName(f)!).ToList());

        public int RemoveStagingFiles(string stagingArea, string primaryStoreId, string user) => Guard(() =>
        {
            // The staging area is reached over Expand, as the exports reach it: down, nothing is deleted.
            if (StagingProblem(stagingArea) is { } problem) throw problem;
            var files = StoreStagingFiles(stagingArea, primaryStoreId);
            foreach (var f in files)
            {
                try { File.Delete(f); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new BackPakException(ErrorIds.DecommissionStepFailed, BackPakErrorCategory.WriteError,
                        $"The export file {Path.GetFileName(f)} in the staging area {stagingArea} could not be deleted: {e.Message}", stagingArea,
                        "Fix the cause (file in use, permissions), then run the same command again.", inner: e);
                }
            }
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, stagingArea);
            try { if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir); }
            catch (IOException) { } // another file arrived meanwhile: the folder stays
            using (var c = OpenBackPak()) WriteAudit(c, user, AuditActions.RemoveStagingFile, primaryStoreId, "Removed", $"{files.Count} export file(s) in {stagingArea}");
            return files.Count;
        });

        /// <summary>The export files (and files an export left half written) of a store in a staging area, by their header's Store ID.</summary>
        private List<string> StoreStagingFiles(string stagingArea, string primaryStoreId)
        {
            string dir = LabLayout.StagingDirFromGuardian(_lab.Root, stagingArea);
            if (!Directory.Exists(dir)) return new List<string>();
            return Directory.EnumerateFiles(dir)
                .Where(f => (f.EndsWith(".bpx", StringComparison.OrdinalIgnoreCase) || f.Contains(".bpx.tmp-"))
                            && ExportFile.ReadHeader(f) is { } h && string.Equals(h.Store, primaryStoreId, StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
        }
    }
}
