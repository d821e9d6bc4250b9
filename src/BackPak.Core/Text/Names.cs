using BackPak.Core.Errors;

namespace BackPak.Core.Text
{
    /// <summary>Data store and volume group names: what the module accepts before it asks any provider.</summary>
    public static class Names
    {
        /// <summary>Longest name accepted. The manual gives no limit; 32 is an inferred, generous bound.</summary>
        public const int MaxLength = 32;

        public static bool IsValid(string? name)
        {
            if (string.IsNullOrWhiteSpace(name) || name!.Length > MaxLength) return false;
            foreach (char c in name)
                // Store IDs may hold spaces (BB027's STOREID_ALIAS exists for them); wildcard characters may not.
                if (!(char.IsLetterOrDigit(c) || c == ' ' || c == '-' || c == '_' || c == '.')) return false;
            return true;
        }

        public static string NormalizeDataStore(string? name) => Normalize(name, "data store");
        public static string NormalizeVolumeGroup(string? name) => Normalize(name, "volume group");

        /// <summary>
        /// A NonStop (Expand) node name: a backslash and up to seven letters or digits, starting with a letter.
        /// The backslash may be left out: <c>A</c> and <c>\a</c> both mean <c>\A</c>.
        /// </summary>
        public static string NormalizeNode(string? node)
        {
            string n = (node ?? "").Trim().ToUpperInvariant();
            if (!n.StartsWith("\\", System.StringComparison.Ordinal)) n = "\\" + n;
            bool ok = n.Length >= 2 && n.Length <= 8 && char.IsLetter(n[1]);
            for (int i = 1; ok && i < n.Length; i++) ok = (n[i] >= 'A' && n[i] <= 'Z') || (n[i] >= '0' && n[i] <= '9');
            if (!ok)
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{node}' is not a NonStop node name: a backslash and up to seven letters or digits, such as \\A or \\PROD1.",
                    node, "Give the node as '\\A'; Get-BPDomain lists connected nodes.");
            return n;
        }

        private static string Normalize(string? name, string what)
        {
            string n = (name ?? "").Trim().ToUpperInvariant();
            if (!IsValid(n))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{name}' is not a valid {what} name: use 1 to {MaxLength} letters, digits, spaces, '-', '_' or '.'.",
                    name, $"Check the {what} name; Get-BP{(what == "data store" ? "DataStore" : "VolumeGroup")} lists the names that exist.");
            return n;
        }
    }
}
