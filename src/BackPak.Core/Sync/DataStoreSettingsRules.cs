using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Text;

namespace BackPak.Core.Sync
{
    /// <summary>
    /// Which data store settings are valid, in one place for every provider: a provider calls <see cref="Validate"/>
    /// before it writes anything and stores the normalized values it returns. Bounds the manual does not give are the
    /// module's (docs/inferred.md).
    /// </summary>
    public static class DataStoreSettingsRules
    {
        public static readonly TimeSpan MinExportCheckDelay = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan MaxExportCheckDelay = TimeSpan.FromDays(1);

        /// <summary>
        /// The settings checked and normalized (staging area in capitals, node names and Store IDs normalized), or
        /// InvalidSetting naming the first value that is not valid. <paramref name="nodes"/>: the nodes a staging area may be on.
        /// </summary>
        public static DataStoreSettings Validate(DataStoreSettings settings, IReadOnlyCollection<string> nodes)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            string? area = null;
            if (settings.StagingArea != null)
            {
                area = Guardian.UpperAscii(settings.StagingArea.Trim());
                // One rule for every name (Guardian: letters and digits), checked before the area is used.
                if (!Guardian.TryParseSubvolume(area, requireNode: true, out var stagingNode, out _, out _))
                    throw Invalid("StagingArea", settings.StagingArea, "a Guardian subvolume \\NODE.$VOLUME.SUBVOLUME, each part letters and digits, the first a letter, such as \\B.$BPSTAGE.DS01");
                if (!nodes.Contains(stagingNode!, StringComparer.OrdinalIgnoreCase))
                    throw Invalid("StagingArea", settings.StagingArea, "a subvolume on one of the estate's nodes (" + string.Join(", ", nodes) + ")");
            }
            if (settings.ExportCheckDelay is { } delay && (delay < MinExportCheckDelay || delay > MaxExportCheckDelay))
                throw Invalid("ExportCheckDelay", delay, "between 1 second and 1 day");
            if (settings.FullExportFrequency is { } freq && freq < TimeSpan.Zero)
                throw Invalid("FullExportFrequency", freq, "zero (none) or a positive interval");
            Dictionary<string, string>? pairs = null;
            if (settings.NodeReplacements != null)
            {
                pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var kv in settings.NodeReplacements) pairs[Names.NormalizeNode(kv.Key)] = Names.NormalizeNode(kv.Value);
            }
            return new DataStoreSettings
            {
                DomainAccess = settings.DomainAccess, Status = settings.Status, StagingArea = area, ExportCheckDelay = settings.ExportCheckDelay,
                FullExportFrequency = settings.FullExportFrequency, NodeReplacements = pairs,
                PrimaryStoreId = settings.PrimaryStoreId == null ? null : Names.NormalizeDataStore(settings.PrimaryStoreId),
            };
        }

        private static BackPakException Invalid(string what, object? value, string expected) =>
            new BackPakException(ErrorIds.InvalidSetting, BackPakErrorCategory.InvalidArgument,
                $"{what} '{value}' is not valid: it must be {expected}.", value, "Correct the value; nothing was changed.");
    }
}
