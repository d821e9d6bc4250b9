using System;
using System.Collections.Generic;

namespace BackPak.NonStop.Reports
{
    /// <summary>DSM/TC tape statuses (MEDIACOM p172; FULL from ALTER TAPEVOLUME, p103). Unknown keeps the raw text.</summary>
    public enum DsmTapeStatus
    {
        Unknown = 0,
        Assigned,
        Bad,
        InUse,
        Released,
        Selected,
        Scratch,
        Full,
    }

    /// <summary>DSM/TC tape file statuses (MEDIACOM p172).</summary>
    public enum DsmFileStatus
    {
        Unknown = 0,
        Valid,
        Invalid,
    }

    /// <summary>TMF tape media statuses (TMF Management Programming p177: ASSIGNED, RELEASED, SCRATCH, BAD, INPROCESS).</summary>
    public enum TmfMediaStatus
    {
        Unknown = 0,
        Assigned,
        Released,
        Scratch,
        Bad,
        InProcess,
    }

    /// <summary>One tape file listed under a tape volume in the INFO TAPEVOLUME detail report.</summary>
    public sealed class TapeVolumeFile
    {
        internal TapeVolumeFile(string fileCatalog) { FileCatalog = fileCatalog; }

        public string FileCatalog { get; }
        public string? TapeFileId { get; internal set; }
        public int? Generation { get; internal set; }
        public int? Version { get; internal set; }
        public DsmFileStatus Status { get; internal set; }
        public string? StatusText { get; internal set; }

        // Which items were present (whatever their value), to tell a missing item from an unreadable one.
        internal int Seen;
    }

    /// <summary>An entry common to every report: where it started, and what could not be read in it.</summary>
    public abstract class ReportEntry
    {
        private List<UnknownLine>? _unknown;
        private List<string>? _problems;

        private protected ReportEntry(long lineNumber) { LineNumber = lineNumber; }

        /// <summary>The report line the entry started on.</summary>
        public long LineNumber { get; }

        /// <summary>Lines inside this entry that no documented item matches (at most <see cref="ReportDiagnostics.Kept"/>).</summary>
        public IReadOnlyList<UnknownLine> UnknownLines => (IReadOnlyList<UnknownLine>?)_unknown ?? Array.Empty<UnknownLine>();

        /// <summary>Documented items whose value could not be read (a number that is not one, a missing item).</summary>
        public IReadOnlyList<string> Problems => (IReadOnlyList<string>?)_problems ?? Array.Empty<string>();

        /// <summary>True when every line of the entry was understood: the only entries a change may be based on.</summary>
        public bool IsWellFormed => _unknown == null && _problems == null;

        internal void AddUnknown(UnknownLine line)
        {
            _unknown ??= new List<UnknownLine>();
            if (_unknown.Count < ReportDiagnostics.Kept) _unknown.Add(line);
        }

        internal void AddProblem(string text)
        {
            _problems ??= new List<string>();
            if (_problems.Count < ReportDiagnostics.Kept) _problems.Add(text);
        }
    }

    /// <summary>A tape volume of the INFO TAPEVOLUME detail report (MEDIACOM p166, p172).</summary>
    public sealed class TapeVolumeEntry : ReportEntry
    {
        private readonly List<TapeVolumeFile> _files = new List<TapeVolumeFile>();

        internal TapeVolumeEntry(string tapeName, long lineNumber) : base(lineNumber) { TapeName = tapeName; }

        /// <summary>The tape's name as written in the volume catalog (for BackPak volumes, the six-character label).</summary>
        public string TapeName { get; }
        public string? VolumeCatalog { get; internal set; }
        public string? Pool { get; internal set; }
        public string? LabelType { get; internal set; }
        public string? TapeType { get; internal set; }
        public string? Density { get; internal set; }
        public DsmTapeStatus Status { get; internal set; }
        public string? StatusText { get; internal set; }
        public string? TapeFormat { get; internal set; }

        /// <summary>The tape's files in the order they were written (MEDIACOM p166).</summary>
        public IReadOnlyList<TapeVolumeFile> Files => _files;

        /// <summary>DELETE TAPEVOLUME accepts only BAD, RELEASED or SCRATCH tapes (DSM/TC Catalog Management p146).</summary>
        public bool CanBeDeleted => Status == DsmTapeStatus.Bad || Status == DsmTapeStatus.Released || Status == DsmTapeStatus.Scratch;

        internal TapeVolumeFile AddFile(string fileCatalog)
        {
            var f = new TapeVolumeFile(fileCatalog);
            _files.Add(f);
            return f;
        }
    }

    /// <summary>A tape file of the INFO TAPEFILE detail report.</summary>
    public sealed class TapeFileEntry : ReportEntry
    {
        private readonly List<string> _tapes = new List<string>();

        internal TapeFileEntry(string fileCatalog, long lineNumber) : base(lineNumber) { FileCatalog = fileCatalog; }

        public string FileCatalog { get; }
        public string? TapeFileId { get; internal set; }
        public int? Generation { get; internal set; }
        public int? Version { get; internal set; }

        /// <summary>The expiration as the report gives it (its format is not in the stored pages: kept as text).</summary>
        public string? Expiration { get; internal set; }
        public DsmFileStatus Status { get; internal set; }
        public string? StatusText { get; internal set; }

        /// <summary>The tapes of the file's tape set, in order.</summary>
        public IReadOnlyList<string> TapeNames => _tapes;

        internal void AddTape(string name) => _tapes.Add(name);
    }

    /// <summary>A disk file of the INFO DISKFILE detail report: a file backed up to a tape file.</summary>
    public sealed class DiskFileEntry : ReportEntry
    {
        internal DiskFileEntry(string name, long lineNumber) : base(lineNumber) { Name = name; }

        /// <summary>The disk file name with its node, as backed up (\NODE.$VOL.SUBVOL.FILE, CS p11).</summary>
        public string Name { get; }
        public string? FileCatalog { get; internal set; }
        public string? TapeFileId { get; internal set; }
        public int? Generation { get; internal set; }
        public int? Version { get; internal set; }
    }

    /// <summary>A tape volume of the TMF catalog (TMFCOM INFO TAPEMEDIA).</summary>
    public sealed class TmfTapeMediaEntry : ReportEntry
    {
        internal TmfTapeMediaEntry(string name, string statusText, TmfMediaStatus status, long lineNumber) : base(lineNumber)
        {
            Name = name;
            StatusText = statusText;
            Status = status;
        }

        public string Name { get; }
        public TmfMediaStatus Status { get; }
        public string StatusText { get; }
    }

    /// <summary>A change command's confirmation ("1 tape volume deleted.").</summary>
    public sealed class ChangeConfirmation
    {
        internal ChangeConfirmation(int count, string objectType, string verb, IReadOnlyList<string> otherLines)
        {
            Count = count;
            ObjectType = objectType;
            Verb = verb;
            OtherLines = otherLines;
        }

        public int Count { get; }

        /// <summary>"tape volume" or "tape file" (or "tape media" for TMFCOM).</summary>
        public string ObjectType { get; }

        /// <summary>"deleted" or "altered".</summary>
        public string Verb { get; }

        /// <summary>Lines around the confirmation, kept as they came (at most <see cref="ReportDiagnostics.Kept"/>).</summary>
        public IReadOnlyList<string> OtherLines { get; }
    }

    /// <summary>What a BackPak macro printed: its lines as messages (their layout is not documented, so none is interpreted).</summary>
    public sealed class MacroOutcome
    {
        internal MacroOutcome(IReadOnlyList<string> messages, long messageCount)
        {
            Messages = messages;
            MessageCount = messageCount;
        }

        public IReadOnlyList<string> Messages { get; }
        public long MessageCount { get; }
    }
}
