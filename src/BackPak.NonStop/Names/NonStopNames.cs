using System;
using BackPak.Core.Text;

namespace BackPak.NonStop.Names
{
    /// <summary>
    /// The name rules of the NonStop objects a command may name. Every argument of a command template goes through
    /// one of these before anything is sent, and each returns the canonical (upper-case) text. The rules are the
    /// manuals' where the stored pages give them and a strict subset otherwise (docs/nonstop/names.md says which):
    /// a name the rules refuse is never sent, so a rule that is stricter than the product only refuses, never injects.
    /// </summary>
    public static class NonStopNames
    {
        /// <summary>Longest MEDIACOM pool name (MEDIACOM p29: 1 through 30 characters).</summary>
        public const int MaxPoolLength = Guardian.MaxCatalogName;

        /// <summary>Longest tape file id kept in a catalog entry (MEDIACOM p29: 1 through 60 characters).</summary>
        public const int MaxTapeFileIdLength = Guardian.MaxTapeFileId;

        /// <summary>A node: a backslash and 1 to 7 letters or digits, the first a letter (Core's rule).</summary>
        public static string Node(string? text)
        {
            string t = Upper(text);
            if (t.Length == 0 || t[0] != '\\') throw NonStopErrors.InvalidName("NonStop node name", text, "a backslash and 1 to 7 letters or digits, the first a letter, such as \\PROD1");
            try { return Core.Text.Names.NormalizeNode(t); }
            catch (Core.Errors.BackPakException) { throw NonStopErrors.InvalidName("NonStop node name", text, "a backslash and 1 to 7 letters or digits, the first a letter, such as \\PROD1"); }
        }

        /// <summary>A disk volume: '$' and 1 to 6 letters or digits, the first a letter (as $tape names, MEDIACOM p29).</summary>
        public static string Volume(string? text)
        {
            string t = Upper(text);
            // Guardian's rule, kept to the 6 characters of a $tape name that MEDIACOM gives (a strict subset).
            if (!Guardian.IsVolume(t) || t.Length > 7)
                throw NonStopErrors.InvalidName("disk volume name", text, "'$' and 1 to 6 letters or digits, the first a letter, such as $DATA1");
            return t;
        }

        /// <summary>A subvolume or a file: 1 to 8 letters or digits, the first a letter (Guardian file names).</summary>
        public static string Subvolume(string? text) => Part(text, "subvolume name");

        /// <summary>See <see cref="Subvolume"/>.</summary>
        public static string FilePart(string? text) => Part(text, "file name");

        /// <summary>
        /// A subvolume qualified by its volume and optionally its node: <c>[\NODE.]$VOL.SUBVOL</c>, the form of the
        /// BackPak install subvolume (BBOX) and of staging subvolumes.
        /// </summary>
        public static string QualifiedSubvolume(string? text)
        {
            string t = Upper(text);
            string[] parts = t.Split('.');
            string rule = "[\\node.]$volume.subvolume, such as $SYSTEM.BBOX or \\B.$STAGE.DS01";
            try
            {
                if (parts.Length == 3 && parts[0].StartsWith("\\", StringComparison.Ordinal))
                    return Node(parts[0]) + "." + Volume(parts[1]) + "." + Subvolume(parts[2]);
                if (parts.Length == 2) return Volume(parts[0]) + "." + Subvolume(parts[1]);
            }
            catch (Core.Errors.BackPakException) { }
            throw NonStopErrors.InvalidName("qualified subvolume", text, rule);
        }

        /// <summary>
        /// A disk file name as DSM/TC keeps it in DISKFILE entries, <c>[\NODE.]$VOL.SUBVOL.FILE</c>; with
        /// <paramref name="allowWildcards"/>, any part may be or hold '*' and '?' (as in <c>\NODEP.$*.*.*</c>, CS p11).
        /// </summary>
        public static string DiskFile(string? text, bool allowWildcards)
        {
            string t = Upper(text);
            if (!Guardian.IsDiskFile(t, allowWildcards))
                throw NonStopErrors.InvalidName("disk file name", text,
                    "[\\node.]$volume.subvolume.file, each part letters and digits" + (allowWildcards ? " or the wildcards * and ?" : ""));
            return t;
        }

        /// <summary>A MEDIACOM pool name: 1 to 30 letters, digits or '_', the first a letter (MEDIACOM p29).</summary>
        public static string Pool(string? text)
        {
            string t = Upper(text);
            if (!Guardian.IsCatalogName(t)) throw NonStopErrors.InvalidName("DSM/TC pool name", text, "1 to 30 letters, digits or '_', the first a letter (MEDIACOM p29)");
            return t;
        }

        /// <summary>
        /// A DSM/TC volume or file catalog, <c>[\node.]name</c> (DSM/TC User's Guide p103). The stored pages do not
        /// give the name's own rule: the pool rule is applied (docs/nonstop/names.md, inferred).
        /// </summary>
        public static string Catalog(string? text, string what)
        {
            string t = Upper(text);
            int dot = t.IndexOf('.');
            string node = "", name = t;
            if (t.StartsWith("\\", StringComparison.Ordinal) && dot > 0)
            {
                node = t.Substring(0, dot);
                name = t.Substring(dot + 1);
                if (!Guardian.IsNode(node)) name = "";
            }
            if (!Guardian.IsCatalogName(name))
                throw NonStopErrors.InvalidName($"DSM/TC {what} name", text, "[\\node.]name, the name 1 to 30 letters, digits or '_', the first a letter");
            return node.Length > 0 ? node + "." + name : name;
        }

        /// <summary>A BackPak volume label: exactly six letters or digits (Core's rule, BB p51/49).</summary>
        public static string Label(string? text)
        {
            string t = Upper(text);
            if (!Labels.IsValid(t)) throw NonStopErrors.InvalidName("volume label", text, "exactly six letters or digits, such as AB1234");
            return t;
        }

        /// <summary>
        /// A label or a MEDIACOM wildcard over labels: up to six letters, digits, '*' or '?'. PowerShell's '[a-z]'
        /// sets are refused here: MEDIACOM has no such sets and TACL reads '[' as the start of a function call.
        /// </summary>
        public static string LabelPattern(string? text)
        {
            string t = Upper(text);
            bool ok = t.Length >= 1 && t.Length <= Labels.Length;
            bool wild = false;
            foreach (char c in t)
            {
                if (c == '*' || c == '?') { wild = true; continue; }
                if (!Labels.IsLabelChar(c)) { ok = false; break; }
            }
            if (ok && !wild && t.Length != Labels.Length) ok = false;
            if (!ok) throw NonStopErrors.InvalidName("volume label or label wildcard", text, "six letters or digits, or up to six letters, digits, '*' and '?', such as AB* or AB12??");
            return t;
        }

        /// <summary>
        /// A tape file id: 1 to 60 characters (MEDIACOM p29). Accepted here: letters, digits, '-', '_' and '.',
        /// a subset of what the manual allows (its list is cut in the stored page); with wildcards, '*' and '?' too.
        /// </summary>
        public static string TapeFileId(string? text, bool allowWildcards)
        {
            string t = Upper(text);
            if (!Guardian.IsTapeFileId(t, allowWildcards)) throw NonStopErrors.InvalidName("tape file id", text, "1 to 60 letters, digits, '-', '_' or '.'" + (allowWildcards ? " or the wildcards * and ?" : ""));
            return t;
        }

        /// <summary>A BackPak store id as the module accepts it (Core's rule: letters, digits, spaces, '-', '_', '.').</summary>
        public static string StoreId(string? text)
        {
            string t = Upper(text, allowSpace: true);
            if (!Core.Text.Names.IsValid(t) || t.StartsWith(" ", StringComparison.Ordinal) || t.EndsWith(" ", StringComparison.Ordinal) || t.Contains("  "))
                throw NonStopErrors.InvalidName("BackPak store id", text, $"1 to {Core.Text.Names.MaxLength} letters, digits, single inner spaces, '-', '_' or '.'");
            return t;
        }

        /// <summary>A tape file generation: 1 to 9999 (four digits in the HDR1 label, MEDIACOM p220).</summary>
        public static int Generation(int value)
        {
            if (!Guardian.IsGeneration(value)) throw NonStopErrors.InvalidName("tape file generation", value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number from 1 to 9999");
            return value;
        }

        /// <summary>A tape file version: 0 to 100 (DSM/TC User's Guide p103).</summary>
        public static int Version(int value)
        {
            if (value < 0 || value > 100) throw NonStopErrors.InvalidName("tape file version", value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number from 0 to 100");
            return value;
        }

        private static string Part(string? text, string what)
        {
            string t = Upper(text);
            if (!Guardian.IsNamePart(t)) throw NonStopErrors.InvalidName(what, text, "1 to 8 letters or digits, the first a letter");
            return t;
        }

        private static string Upper(string? text, bool allowSpace = false) => Guardian.UpperAscii(text, allowSpace);
    }
}
