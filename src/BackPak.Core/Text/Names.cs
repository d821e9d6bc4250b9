using BackPak.Core.Errors;

namespace BackPak.Core.Text
{
    /// <summary>Data store and volume group names: what the module accepts before it asks any provider.</summary>
    public static class Names
    {
        /// <summary>Longest name accepted. The manual gives no limit; 32 is an inferred, generous bound.</summary>
        public const int MaxLength = 32;

        /// <summary>
        /// 1 to <see cref="MaxLength"/> ASCII letters, digits, spaces, '-', '_' or '.', the first a letter or a digit.
        /// Store IDs may hold spaces (BB027's STOREID_ALIAS exists for them); wildcard characters may not. The first
        /// character rule keeps out names such as '..', '.' or '-x' that mean something else to a file system or a
        /// command line; letters outside ASCII are refused rather than folded (ToUpperInvariant turns the dotless i
        /// into 'I'). Where a lab turns a name into a folder it checks it again against the Guardian rule.
        /// </summary>
        public static bool IsValid(string? name)
        {
            if (string.IsNullOrWhiteSpace(name) || name!.Length > MaxLength || !Guardian.IsAlnum(char.ToUpperInvariant(name[0]))) return false;
            foreach (char c in name)
                if (!((c >= 'a' && c <= 'z') || Guardian.IsAlnum(c) || c == ' ' || c == '-' || c == '_' || c == '.')) return false;
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
            if (!Guardian.IsNode(n))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{node}' is not a NonStop node name: a backslash and up to seven letters or digits, such as \\A or \\PROD1.",
                    node, "Give the node as '\\A'; Get-BPDomain lists connected nodes.");
            return n;
        }

        private static string Normalize(string? name, string what)
        {
            string n = (name ?? "").Trim();
            if (!IsValid(n))
                throw new BackPakException(ErrorIds.InvalidName, BackPakErrorCategory.InvalidArgument,
                    $"'{name}' is not a valid {what} name: use 1 to {MaxLength} letters, digits, spaces, '-', '_' or '.', starting with a letter or a digit.",
                    name, $"Check the {what} name; Get-BP{(what == "data store" ? "DataStore" : "VolumeGroup")} lists the names that exist.");
            return n.ToUpperInvariant();
        }
    }
}
