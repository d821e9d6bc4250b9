using System;
using System.Collections.Generic;

namespace BackPak.Lab
{
    /// <summary>What New-BPLab asks for.</summary>
    public sealed class LabOptions
    {
        public const int MinVolumeCount = 10;
        public const int MaxVolumeCount = 1_000_000;

        public string Path { get; set; } = "";
        public int VolumeCount { get; set; } = 1000;
        public int Seed { get; set; } = 1;
        public bool Encrypted { get; set; }
        /// <summary>Replace an existing lab at <see cref="Path"/>. Never replaces a folder that is not a lab.</summary>
        public bool Force { get; set; }
        /// <summary>Store ID of the replicated data store (PRIMARY on \A, SECONDARY on \B).</summary>
        public string DataStore { get; set; } = "DS01";
        /// <summary>
        /// More replicated data stores beside <see cref="DataStore"/>, each PRIMARY on \A and SECONDARY on \B with a
        /// storage link of its own (a whole site to switch). Empty by default: the lab is then the one-store lab it always was.
        /// </summary>
        public IReadOnlyList<string> MoreDataStores { get; set; } = new string[0];
        /// <summary>
        /// A volume group of this name, linked to no catalog and holding no volume, in the main replicated store on both
        /// sides: the group the transport volume of Appendix A needs (CS p44). Null: none.
        /// </summary>
        public string? TransportVolumeGroup { get; set; }
    }

    /// <summary>A lab as New-BPLab reports it.</summary>
    public sealed class LabInfo
    {
        public string Path { get; init; } = "";
        public int Seed { get; init; }
        public int VolumeCount { get; init; }
        public bool Encrypted { get; init; }
        public string[] Nodes { get; init; } = new string[0];
        /// <summary>The main replicated data store (the first given to New-BPLab -DataStore).</summary>
        public string ReplicatedDataStore { get; init; } = "";
        /// <summary>Every replicated data store, the main one first.</summary>
        public string[] ReplicatedDataStores { get; init; } = new string[0];
        /// <summary>The lab clock: expiration is judged against it.</summary>
        public DateTime Clock { get; init; }
        public int FormatVersion { get; init; }
        public override string ToString() => Path;
    }
}
