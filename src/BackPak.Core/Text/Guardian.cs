namespace BackPak.Core.Text
{
    /// <summary>
    /// The name rules of Guardian (HPE NonStop) objects, in one place for every part of the module: the NonStop
    /// provider checks command arguments with them, the lab checks the staging areas, the names it turns into folders
    /// and every field of an export file it imports. Each takes upper-case text (callers that accept lower case
    /// upper-case it first) and accepts ASCII letters and digits only, so no name can hold a path separator, a dot
    /// run such as <c>..</c>, a quote or a control character. Where the stored manual pages give no rule the rule
    /// here is a strict subset (docs/nonstop/names.md, docs/inferred.md): a name it refuses is never used.
    /// </summary>
    public static class Guardian
    {
        /// <summary>Longest subvolume or file name part (Guardian: 8).</summary>
        public const int MaxNamePart = 8;

        /// <summary>Longest MEDIACOM pool or DSM/TC catalog name (MEDIACOM p29: 1 through 30 characters).</summary>
        public const int MaxCatalogName = 30;

        /// <summary>
        /// Upper-cases printable ASCII only. Anything else (control characters, non-ASCII letters such as the dotless
        /// i that ToUpperInvariant turns into 'I') gives "\0", which no rule here accepts, rather than being folded
        /// into a name.
        /// </summary>
        public static string UpperAscii(string? text, bool allowSpace = false)
        {
            string t = text ?? "";
            foreach (char c in t) if (c < (allowSpace ? 0x20 : 0x21) || c > 0x7E) return "\0";
            return t.ToUpperInvariant();
        }

        public static bool IsLetter(char c) => c >= 'A' && c <= 'Z';
        public static bool IsAlnum(char c) => IsLetter(c) || (c >= '0' && c <= '9');

        /// <summary>
        /// A name part: 1 to <paramref name="max"/> letters or digits, the first a letter (subvolume and file names,
        /// the name of a node or a disk volume after its '\' or '$'). With <paramref name="allowWildcards"/>, a part
        /// that holds '*' or '?' may mix them with letters and digits in any order.
        /// </summary>
        public static bool IsNamePart(string? p, int max = MaxNamePart, bool allowWildcards = false) =>
            p != null && IsNamePart(p, 0, p.Length, max, allowWildcards);

        /// <summary><see cref="IsNamePart(string?, int, bool)"/> on <paramref name="length"/> characters of <paramref name="s"/> from <paramref name="start"/> (no copy: an import checks millions).</summary>
        public static bool IsNamePart(string s, int start, int length, int max, bool allowWildcards)
        {
            if (length < 1 || length > max) return false;
            int end = start + length;
            if (allowWildcards)
            {
                bool wild = false;
                for (int i = start; i < end; i++) if (s[i] == '*' || s[i] == '?') { wild = true; break; }
                if (wild)
                {
                    for (int i = start; i < end; i++) if (!(IsAlnum(s[i]) || s[i] == '*' || s[i] == '?')) return false;
                    return true;
                }
            }
            if (!IsLetter(s[start])) return false;
            for (int i = start; i < end; i++) if (!IsAlnum(s[i])) return false;
            return true;
        }

        /// <summary>A node: '\' and 1 to 7 letters or digits, the first a letter (\A, \PROD1).</summary>
        public static bool IsNode(string? t, bool allowWildcards = false) => t != null && IsNode(t, 0, t.Length, allowWildcards);

        private static bool IsNode(string s, int start, int length, bool allowWildcards) =>
            length >= 2 && s[start] == '\\' && IsNamePart(s, start + 1, length - 1, 7, allowWildcards);

        /// <summary>Longest disk volume name after its '$' (Guardian volume names are 8 characters with the '$'; inferred).</summary>
        public const int MaxVolumeName = 7;

        /// <summary>A disk volume: '$' and 1 to 7 letters or digits, the first a letter ($DATA1, $BPSTAGE).</summary>
        public static bool IsVolume(string? t, bool allowWildcards = false) => t != null && IsVolume(t, 0, t.Length, allowWildcards);

        private static bool IsVolume(string s, int start, int length, bool allowWildcards) =>
            length >= 2 && s[start] == '$' && IsNamePart(s, start + 1, length - 1, MaxVolumeName, allowWildcards);

        /// <summary>A subvolume or a file name: 1 to 8 letters or digits, the first a letter.</summary>
        public static bool IsSubvolume(string? t) => IsNamePart(t, MaxNamePart);

        /// <summary>
        /// A qualified subvolume <c>[\NODE.]$VOL.SUBVOL</c>; with <paramref name="requireNode"/> the node must be
        /// there (<c>\B.$BPSTAGE.DS01</c>, the form of a staging area). Gives its parts.
        /// </summary>
        public static bool TryParseSubvolume(string? t, bool requireNode, out string? node, out string volume, out string subvolume)
        {
            node = null; volume = ""; subvolume = "";
            if (t == null) return false;
            var p = t.Split('.');
            int i = 0;
            if (p.Length == 3) { if (!IsNode(p[0])) return false; node = p[0]; i = 1; }
            else if (p.Length != 2 || requireNode) return false;
            if (!IsVolume(p[i]) || !IsSubvolume(p[i + 1])) return false;
            volume = p[i];
            subvolume = p[i + 1];
            return true;
        }

        /// <summary>
        /// A disk file name as DSM/TC keeps it, <c>[\NODE.]$VOL.SUBVOL.FILE</c>; with <paramref name="allowWildcards"/>,
        /// any part may be or hold '*' and '?' (as in <c>\NODEP.$*.*.*</c>, CS p11).
        /// </summary>
        public static bool IsDiskFile(string? t, bool allowWildcards = false)
        {
            if (t == null) return false;
            // The parts between dots, found without splitting (an import checks a million of these).
            int d1 = t.IndexOf('.'), d2 = d1 < 0 ? -1 : t.IndexOf('.', d1 + 1), d3 = d2 < 0 ? -1 : t.IndexOf('.', d2 + 1);
            if (d2 < 0) return false;
            int d4 = d3 < 0 ? -1 : t.IndexOf('.', d3 + 1);
            if (d4 >= 0) return false;
            int vol = 0, volEnd = d1, sub = d1 + 1, subEnd = d2, file = d2 + 1, fileEnd = d3 < 0 ? t.Length : d3;
            if (d3 >= 0)
            {
                if (!IsNode(t, 0, d1, allowWildcards)) return false;
                vol = d1 + 1; volEnd = d2; sub = d2 + 1; subEnd = d3; file = d3 + 1; fileEnd = t.Length;
            }
            return IsVolume(t, vol, volEnd - vol, allowWildcards) && IsNamePart(t, sub, subEnd - sub, MaxNamePart, allowWildcards)
                && IsNamePart(t, file, fileEnd - file, MaxNamePart, allowWildcards);
        }

        /// <summary>A MEDIACOM pool name or the name part of a DSM/TC catalog: 1 to 30 letters, digits or '_', the first a letter (MEDIACOM p29).</summary>
        public static bool IsCatalogName(string? t) => t != null && IsCatalogName(t, 0, t.Length);

        private static bool IsCatalogName(string t, int start, int length)
        {
            if (length < 1 || length > MaxCatalogName || !IsLetter(t[start])) return false;
            for (int i = start; i < start + length; i++) if (!(IsAlnum(t[i]) || t[i] == '_')) return false;
            return true;
        }

        /// <summary>A DSM/TC volume or file catalog <c>[\node.]name</c> (DSM/TC User's Guide p103), the name under the pool rule.</summary>
        public static bool IsCatalog(string? t)
        {
            if (t == null) return false;
            int dot = t.IndexOf('.');
            if (t.Length > 0 && t[0] == '\\' && dot > 0)
                return IsNode(t, 0, dot, false) && IsCatalogName(t, dot + 1, t.Length - dot - 1);
            return IsCatalogName(t, 0, t.Length);
        }

        /// <summary>Longest tape file id kept in a catalog entry (MEDIACOM p29: 1 through 60 characters).</summary>
        public const int MaxTapeFileId = 60;

        /// <summary>
        /// A tape file id: 1 to 60 characters (MEDIACOM p29). Accepted: letters, digits, '-', '_' and '.', a subset of
        /// what the manual allows (its list is cut in the stored page); with wildcards, '*' and '?' too.
        /// </summary>
        public static bool IsTapeFileId(string? t, bool allowWildcards = false)
        {
            if (t == null || t.Length < 1 || t.Length > MaxTapeFileId) return false;
            foreach (char c in t)
                if (!(IsAlnum(c) || c == '-' || c == '_' || c == '.' || (allowWildcards && (c == '*' || c == '?')))) return false;
            return true;
        }

        /// <summary>Highest tape file generation and file sequence number: four digits in the HDR1 label (MEDIACOM p220).</summary>
        public const int MaxGeneration = 9999;

        /// <summary>A tape file generation: 1 to 9999.</summary>
        public static bool IsGeneration(long value) => value >= 1 && value <= MaxGeneration;

        /// <summary>A Guardian user <c>GROUP.USER</c>: two name parts of 1 to 8 letters or digits, each starting with a letter (SUPER.OPER).</summary>
        public static bool IsUser(string? t)
        {
            if (t == null) return false;
            int dot = t.IndexOf('.');
            return dot > 0 && t.IndexOf('.', dot + 1) < 0 && IsNamePart(t, 0, dot, MaxNamePart, false) && IsNamePart(t, dot + 1, t.Length - dot - 1, MaxNamePart, false);
        }
    }
}
