using System.Collections.Generic;
using BackPak.Core.Text;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// A volume query a provider must answer inside its store: every filter here is pushed down,
    /// so a provider never streams the whole catalog to filter it afterwards.
    /// </summary>
    public sealed class VolumeQuery
    {
        /// <summary>Labels or label wildcards; empty means every label.</summary>
        public IReadOnlyList<LabelPattern> Labels { get; init; } = new LabelPattern[0];
        public string? DataStore { get; init; }
        public string? VolumeGroup { get; init; }
        /// <summary>True: only expired volumes; false: only volumes still holding non-expired data; null: both.</summary>
        public bool? Expired { get; init; }
        /// <summary>True: only volumes with a Media Key Name; false: only clear volumes; null: both.</summary>
        public bool? Encrypted { get; init; }
        /// <summary>True: only volumes a backup is writing (current operation LOAD for output).</summary>
        public bool? BackupRunning { get; init; }
        /// <summary>Only volumes whose encryption key has this Media Key Name.</summary>
        public string? MediaKeyName { get; init; }
        /// <summary>Only volumes whose catalog entry changed at or after this time (written, loaded, claimed, status changed).</summary>
        public System.DateTime? UpdatedSince { get; init; }
    }
}
