using System;
using System.Collections.Generic;
using BackPak.Core.Keys;
using BackPak.Core.Procedures;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// What a recovery test at a secondary asks of a domain beyond its catalog and Catalog Sync: the replicated image
    /// of a volume in the store's storage, read (never written), and the key server the node's domain reaches. A
    /// provider without it gets checks that say they could not be made, never a pass. Core decides what the facts mean
    /// (<see cref="RecoveryTest"/>); the provider only reads them.
    /// </summary>
    public interface IRecoverySite
    {
        /// <summary>
        /// The image of one volume at a storage location (its StoragePath, as the configuration shows it): what its index
        /// records and how big its data is, with the first <paramref name="headBytes"/> bytes of the data read back;
        /// null when neither file of the image is there.
        /// </summary>
        VolumeImage? GetVolumeImage(string storagePath, string label, int headBytes);

        /// <summary>
        /// The key server this node's domain reaches through its Key Manager, opened for reading (the caller disposes it),
        /// or null when the provider cannot open it itself (then a key manager connected in the session is used).
        /// </summary>
        IKeyManager? OpenKeyServer();
    }

    /// <summary>The image of a volume in storage, as a recovery test reads it back.</summary>
    public sealed class VolumeImage
    {
        public string Label { get; init; } = "";
        public bool IndexPresent { get; init; }
        public bool DataPresent { get; init; }
        /// <summary>The label the index names, or null when it names none (or cannot be read).</summary>
        public string? IndexLabel { get; init; }
        /// <summary>The volume timestamp (last load for output) the index records [BB p36/34], or null.</summary>
        public DateTime? Timestamp { get; init; }
        /// <summary>The data size the index records, or null when it records none.</summary>
        public long? RecordedBytes { get; init; }
        /// <summary>The size of the data file, or null when it is not there.</summary>
        public long? DataBytes { get; init; }
        /// <summary>The Media Key Name the index names, or null (a clear volume).</summary>
        public string? MediaKeyName { get; init; }
        /// <summary>The first bytes of the data file, as many as were asked for (fewer when it is shorter).</summary>
        public byte[] Head { get; init; } = new byte[0];
        /// <summary>Why the image could not be read, or null.</summary>
        public string? Problem { get; init; }
    }

    /// <summary>
    /// Where a provider keeps the signed-off records of recovery tests (Test-BPRecovery -Save), the evidence auditors
    /// ask for: each written whole or not at all, never changed afterwards. Optional, on the domain.
    /// </summary>
    public interface IRecoveryTestRecords
    {
        /// <summary>Writes one record whole (never partially); a record with the same Id is refused.</summary>
        void SaveRecoveryTest(RecoveryTestRecord record);

        /// <summary>Every record kept for the estate, in no particular order.</summary>
        IReadOnlyList<RecoveryTestRecord> GetRecoveryTests();
    }
}
