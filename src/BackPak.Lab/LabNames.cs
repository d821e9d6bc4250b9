using System;
using BackPak.Core.Model;

namespace BackPak.Lab
{
    /// <summary>The words the lab stores for enum values: the product's own (PRIMARY, WINDOWS FILE, DSM/TC).</summary>
    internal static class LabNames
    {
        public static string Access(DomainAccess a) => a.ToString().ToUpperInvariant();

        // A switch, not Enum.TryParse: this runs once per volume streamed.
        public static DomainAccess ParseAccess(string s) => s switch
        {
            "PRIMARY" => DomainAccess.Primary,
            "SECONDARY" => DomainAccess.Secondary,
            "RESTRICTED" => DomainAccess.Restricted,
            _ => DomainAccess.Unknown,
        };

        public static DataStoreStatus ParseStatus(string s) =>
            Enum.TryParse<DataStoreStatus>(s, true, out var v) ? v : DataStoreStatus.Unknown;

        public static StoreType ParseStoreType(string s) => s.ToUpperInvariant() switch
        {
            "WINDOWS FILE" => StoreType.WindowsFile,
            "TIVOLI STORAGE MANAGER" => StoreType.TivoliStorageManager,
            _ => StoreType.Unknown,
        };

        public static string Kind(CatalogKind k) => k switch
        {
            CatalogKind.DsmTc => "DSM/TC",
            CatalogKind.Tmf => "TMF",
            _ => "NONE",
        };

        public static CatalogKind ParseKind(string s) => s.ToUpperInvariant() switch
        {
            "DSM/TC" => CatalogKind.DsmTc,
            "TMF" => CatalogKind.Tmf,
            _ => CatalogKind.None,
        };
    }
}
