namespace BackPak.Core.Model
{
    /// <summary>
    /// The Media Key Name the storage image of a catalogued volume names: the key its data was last written with.
    /// It is normally the catalog's, but a backup writes the image before the catalog names the new key (and during a
    /// switch an older catalog entry can come back over a newer image), so the two can differ.
    /// </summary>
    public sealed class VolumeImageKey
    {
        public string Node { get; init; } = "";
        public string Label { get; init; } = "";
        public string DataStore { get; init; } = "";
        /// <summary>The key name written in the volume's storage image.</summary>
        public string MediaKeyName { get; init; } = "";
        /// <summary>The key name the volume's catalog entry gives (null for a volume the catalog has as clear).</summary>
        public string? CatalogMediaKeyName { get; init; }

        public override string ToString() => Node + " " + Label + ": " + MediaKeyName;
    }
}
