using System;

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
    }

    /// <summary>A lab as New-BPLab reports it.</summary>
    public sealed class LabInfo
    {
        public string Path { get; init; } = "";
        public int Seed { get; init; }
        public int VolumeCount { get; init; }
        public bool Encrypted { get; init; }
        public string[] Nodes { get; init; } = new string[0];
        public string ReplicatedDataStore { get; init; } = "";
        /// <summary>The lab clock: expiration is judged against it.</summary>
        public DateTime Clock { get; init; }
        public int FormatVersion { get; init; }
        public override string ToString() => Path;
    }
}
