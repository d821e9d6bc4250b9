using System;
using System.Globalization;
using BackPak.NonStop.Names;

namespace BackPak.NonStop.Commands
{
    /// <summary>DSM/TC tape volume statuses that ALTER TAPEVOLUME may set (MEDIACOM p103).</summary>
    public enum AlterableTapeStatus
    {
        Bad,
        Released,
        Scratch,
        Full,
        Assigned,
    }

    /// <summary>The two kinds of Catalog Sync import (CS p15, p28).</summary>
    public enum ImportType
    {
        Full,
        Update,
    }

    /// <summary>
    /// The fixed set of command templates: the only way to make a <see cref="NonStopCommand"/>. Each method names
    /// the manual page its syntax comes from; where the stored pages give only the command's tokens and not its
    /// MEDIACOM keywords, the keyword spelling is inferred and listed in docs/nonstop/commands.md.
    /// </summary>
    public static class NonStopCommands
    {
        /// <summary>
        /// <c>MEDIACOM INFO TAPEVOLUME pattern[, VOLCAT v][, POOL p], DETAIL</c>: the tape volumes matching a label
        /// or wildcard, in the detail report (MEDIACOM p166, p172).
        /// </summary>
        public static NonStopCommand InfoTapeVolumes(string labelPattern, string? volumeCatalog = null, string? pool = null)
        {
            var b = new TaclLineBuilder("MEDIACOM INFO TAPEVOLUME", "MEDIACOM INFO TAPEVOLUME ").Arg(NonStopNames.LabelPattern(labelPattern));
            if (volumeCatalog != null) b.Text(", VOLCAT ").Arg(NonStopNames.Catalog(volumeCatalog, "volume catalog"));
            if (pool != null) b.Text(", POOL ").Arg(NonStopNames.Pool(pool));
            return b.Text(", DETAIL").Build(CommandProgram.Mediacom, CommandEffect.Read);
        }

        /// <summary><c>MEDIACOM INFO TAPEFILE id, FILECAT f[, TAPEVOLUME label], DETAIL</c>: the tape files of a file catalog.</summary>
        public static NonStopCommand InfoTapeFiles(string tapeFileIdPattern, string fileCatalog, string? label = null)
        {
            var b = new TaclLineBuilder("MEDIACOM INFO TAPEFILE", "MEDIACOM INFO TAPEFILE ").Arg(NonStopNames.TapeFileId(tapeFileIdPattern, allowWildcards: true))
                .Text(", FILECAT ").Arg(NonStopNames.Catalog(fileCatalog, "file catalog"));
            if (label != null) b.Text(", TAPEVOLUME ").Arg(NonStopNames.Label(label));
            return b.Text(", DETAIL").Build(CommandProgram.Mediacom, CommandEffect.Read);
        }

        /// <summary><c>MEDIACOM INFO DISKFILE name, FILECAT f, DETAIL</c>: the disk files backed up to tape (CS p11).</summary>
        public static NonStopCommand InfoDiskFiles(string diskFilePattern, string fileCatalog) =>
            new TaclLineBuilder("MEDIACOM INFO DISKFILE", "MEDIACOM INFO DISKFILE ").Arg(NonStopNames.DiskFile(diskFilePattern, allowWildcards: true))
                .Text(", FILECAT ").Arg(NonStopNames.Catalog(fileCatalog, "file catalog"))
                .Text(", DETAIL").Build(CommandProgram.Mediacom, CommandEffect.Read);

        /// <summary>
        /// <c>MEDIACOM ALTER TAPEVOLUME label, VOLCAT v, POOL p, STATUS s</c> (super group; MEDIACOM p103, DSM/TC
        /// Catalog Management p140). One label per command, so that each answer is one volume's.
        /// </summary>
        public static NonStopCommand AlterTapeVolumeStatus(string label, string volumeCatalog, string pool, AlterableTapeStatus status) =>
            new TaclLineBuilder("MEDIACOM ALTER TAPEVOLUME", "MEDIACOM ALTER TAPEVOLUME ").Arg(NonStopNames.Label(label))
                .Text(", VOLCAT ").Arg(NonStopNames.Catalog(volumeCatalog, "volume catalog"))
                .Text(", POOL ").Arg(NonStopNames.Pool(pool))
                .Text(", STATUS ").Arg(status.ToString().ToUpperInvariant())
                .Build(CommandProgram.Mediacom, CommandEffect.Change);

        /// <summary>
        /// <c>MEDIACOM DELETE TAPEFILE id, FILECAT f, GENERATION g, VERSION v</c> (super group; DSM/TC Catalog
        /// Management p144): one tape file entry; the tape's status follows when it was the last unexpired file.
        /// </summary>
        public static NonStopCommand DeleteTapeFile(string tapeFileId, string fileCatalog, int generation, int version) =>
            new TaclLineBuilder("MEDIACOM DELETE TAPEFILE", "MEDIACOM DELETE TAPEFILE ").Arg(NonStopNames.TapeFileId(tapeFileId, allowWildcards: false))
                .Text(", FILECAT ").Arg(NonStopNames.Catalog(fileCatalog, "file catalog"))
                .Text(", GENERATION ").Arg(NonStopNames.Generation(generation).ToString(CultureInfo.InvariantCulture))
                .Text(", VERSION ").Arg(NonStopNames.Version(version).ToString(CultureInfo.InvariantCulture))
                .Build(CommandProgram.Mediacom, CommandEffect.Change);

        /// <summary>
        /// <c>MEDIACOM DELETE TAPEVOLUME label, VOLCAT v, POOL p</c> (super group; DSM/TC Catalog Management p146):
        /// only for a tape whose status is BAD, RELEASED or SCRATCH. No wildcard: one named tape per command.
        /// </summary>
        public static NonStopCommand DeleteTapeVolume(string label, string volumeCatalog, string pool) =>
            new TaclLineBuilder("MEDIACOM DELETE TAPEVOLUME", "MEDIACOM DELETE TAPEVOLUME ").Arg(NonStopNames.Label(label))
                .Text(", VOLCAT ").Arg(NonStopNames.Catalog(volumeCatalog, "volume catalog"))
                .Text(", POOL ").Arg(NonStopNames.Pool(pool))
                .Build(CommandProgram.Mediacom, CommandEffect.Change);

        /// <summary><c>TMFCOM INFO TAPEMEDIA pattern</c>: TMF catalog entries of tape volumes (TMF Reference p77; read only).</summary>
        public static NonStopCommand InfoTmfTapeMedia(string labelPattern) =>
            new TaclLineBuilder("TMFCOM INFO TAPEMEDIA", "TMFCOM INFO TAPEMEDIA ").Arg(NonStopNames.LabelPattern(labelPattern))
                .Build(CommandProgram.Tmfcom, CommandEffect.Read);

        /// <summary>
        /// <c>LOAD /KEEP 1/ sv.BBSETUP sv.MACROS; BB027_IMPORT_CATALOG STOREID id[, STOREID_ALIAS 1], CATALOGFILES
        /// YES|NO, TYPE FULL|UPDATE</c> (CS p28). A store id with spaces is sent with '_' for each space and
        /// STOREID_ALIAS 1, as the macro documents; one that holds both spaces and '_' cannot be sent and is refused.
        /// </summary>
        public static NonStopCommand ImportCatalog(string backPakSubvolume, string storeId, ImportType type, bool catalogFiles)
        {
            string id = NonStopNames.StoreId(storeId);
            bool alias = id.IndexOf(' ') >= 0;
            if (alias && id.IndexOf('_') >= 0)
                throw NonStopErrors.InvalidName("BackPak store id for BB027_IMPORT_CATALOG", storeId,
                    "a store id with spaces must not also hold '_' (STOREID_ALIAS 1 reads '_' as a space, CS p28)");
            var b = LoadMacros("BB027_IMPORT_CATALOG", backPakSubvolume).Text("; BB027_IMPORT_CATALOG STOREID ").Arg(alias ? id.Replace(' ', '_') : id);
            if (alias) b.Text(", STOREID_ALIAS 1");
            return b.Text(", CATALOGFILES ").Text(catalogFiles ? "YES" : "NO")
                .Text(", TYPE ").Text(type == ImportType.Full ? "FULL" : "UPDATE")
                .Build(CommandProgram.BackPakMacro, CommandEffect.Change);
        }

        /// <summary>The OBB017 macro that frees the storage of newly expired volumes (BB p69/67). Its parameters are not in the stored pages: none are sent.</summary>
        public static NonStopCommand FreeExpired(string backPakSubvolume) =>
            LoadMacros("BB017_FREE_EXPIRED", backPakSubvolume).Text("; BB017_FREE_EXPIRED").Build(CommandProgram.BackPakMacro, CommandEffect.Change);

        /// <summary>The OBB017 macro that checks the free space of Windows data stores (BB p69/67). Read only.</summary>
        public static NonStopCommand CheckSpace(string backPakSubvolume) =>
            LoadMacros("BB022_CHECK_SPACE", backPakSubvolume).Text("; BB022_CHECK_SPACE").Build(CommandProgram.BackPakMacro, CommandEffect.Read);

        /// <summary>The OBB017 macro that deletes Windows files already backed up (BB p69/67).</summary>
        public static NonStopCommand DeleteBackedUp(string backPakSubvolume) =>
            LoadMacros("BB023_DEL_BACKEDUP", backPakSubvolume).Text("; BB023_DEL_BACKEDUP").Build(CommandProgram.BackPakMacro, CommandEffect.Change);

        // LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS (CS p28), with the install subvolume of the site description.
        private static TaclLineBuilder LoadMacros(string template, string backPakSubvolume)
        {
            string sv = NonStopNames.QualifiedSubvolume(backPakSubvolume);
            return new TaclLineBuilder(template, "LOAD /KEEP 1/ ").Arg(sv).Text(".BBSETUP ").Arg(sv).Text(".MACROS");
        }
    }
}
