using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Providers;

namespace BackPak.Core.Audit
{
    /// <summary>
    /// One invocation of a command, as the audit trail tells it: an id that its records and its results carry, and in
    /// each domain it touches a Start record (before its first other record there), its Change and Refusal records, and
    /// an End record with its outcome and counts. The module makes one per invocation and makes it
    /// <see cref="Current"/> while the command runs; providers stamp what it gives them (<see cref="Stamp"/>), in the same
    /// transaction as the change they record.
    /// </summary>
    public sealed class Operation
    {
        private static readonly AsyncLocal<Operation?> Ambient = new AsyncLocal<Operation?>();

        /// <summary>The operation of the command running on this flow, or null outside any command.</summary>
        public static Operation? Current => Ambient.Value;

        /// <summary>The id of <see cref="Current"/>, or null: what a result of a change carries.</summary>
        public static string? CurrentId => Ambient.Value?.Id;

        /// <param name="command">The command, cmdlet-style (Remove-BPDataStore): the Action of its Start and End records.</param>
        /// <param name="parameters">How it was called, for its Start record (the module leaves secrets out).</param>
        /// <param name="startedUtc">When it started, by the clock of the domain it works on: the time part of its id.</param>
        /// <param name="dryRun">-WhatIf: nothing changes, so nothing is recorded.</param>
        public Operation(string command, string? parameters, string user, DateTime startedUtc, bool dryRun = false)
        {
            Command = command ?? throw new ArgumentNullException(nameof(command));
            Parameters = parameters;
            User = user ?? "";
            DryRun = dryRun;
            Id = NewId(startedUtc);
        }

        public string Id { get; }
        public string Command { get; }
        public string? Parameters { get; }
        public string User { get; }
        public bool DryRun { get; }

        /// <summary>Whether it has ended (<see cref="End"/>); an ended operation records nothing more.</summary>
        public bool Ended { get; private set; }

        /// <summary>A new operation id: the UTC time to the second, then 6 random hex digits (20261101-002233-3FA9C1).</summary>
        public static string NewId(DateTime startedUtc)
        {
            var t = startedUtc.Kind == DateTimeKind.Local ? startedUtc.ToUniversalTime() : startedUtc;
            var random = new byte[3];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(random);
            return t.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + BitConverter.ToString(random).Replace("-", "");
        }

        /// <summary>Makes this the current operation until the returned scope is disposed (then the previous one is back).</summary>
        public Scope Enter()
        {
            var previous = Ambient.Value;
            Ambient.Value = this;
            return new Scope(previous);
        }

        /// <summary>
        /// Runs without an operation until the returned scope is disposed: for what a provider records of its own making
        /// (a new lab's first export), which is not a change of the command that asked for it.
        /// </summary>
        public static Scope Outside()
        {
            var previous = Ambient.Value;
            Ambient.Value = null;
            return new Scope(previous);
        }

        /// <summary>Restores the operation that was current before <see cref="Enter"/>.</summary>
        public readonly struct Scope : IDisposable
        {
            private readonly Operation? _previous;
            internal Scope(Operation? previous) { _previous = previous; }
            public void Dispose() => Ambient.Value = _previous;
        }

        private readonly object _gate = new object();
        private readonly List<Place> _places = new List<Place>();
        private readonly Dictionary<string, int> _credits = new Dictionary<string, int>(StringComparer.Ordinal);
        private string? _note;
        private bool _failed;
        private string? _lastErrorId;
        private string? _lastError;

        /// <summary>What the operation did in one domain.</summary>
        private sealed class Place
        {
            public Place(IAuditSink domain, string target) { Domain = domain; Target = target; }
            public IAuditSink Domain { get; }
            public string Target { get; }
            public int Changes;
            public int Refusals;
            public string? Summary;
            public bool Ended;
        }

        /// <summary>
        /// The records a provider writes for <paramref name="entry"/> in <paramref name="domain"/>, in this order and in
        /// the same transaction as the change it records: the operation's Start first when this is its first record
        /// there, then the entry, both stamped with the operation id and its user when the entry has none.
        /// </summary>
        public IReadOnlyList<AuditEntry> Stamp(IAuditSink domain, AuditEntry entry)
        {
            if (domain == null) throw new ArgumentNullException(nameof(domain));
            var stamped = entry.For(Id, User);
            lock (_gate)
            {
                var place = Find(domain.Identity);
                var list = new List<AuditEntry>(2);
                if (place == null)
                {
                    place = new Place(domain, AuditQuery.TopOf(entry.Target));
                    _places.Add(place);
                    if (entry.Kind != AuditKind.Start)
                        list.Add(new AuditEntry
                        {
                            Kind = AuditKind.Start, Action = Command, Target = place.Target, Result = "Started",
                            Detail = _note != null ? Join(Parameters, _note) : Parameters, User = User, OperationId = Id,
                        });
                }
                if (entry.Kind == AuditKind.Change) place.Changes++;
                else if (entry.Kind == AuditKind.Refusal)
                {
                    place.Refusals++;
                    if (entry.ErrorId != null) _credits[entry.ErrorId] = (_credits.TryGetValue(entry.ErrorId, out int n) ? n : 0) + 1;
                }
                else if (entry.Kind == AuditKind.End) place.Ended = true;
                list.Add(stamped);
                return list;
            }
        }

        /// <summary>The records for an entry written outside any operation (a provider's own tests, old callers): the entry alone.</summary>
        public static IReadOnlyList<AuditEntry> StampCurrent(IAuditSink domain, AuditEntry entry) =>
            Current is { } op ? op.Stamp(domain, entry) : new[] { entry };

        /// <summary>
        /// What the operation is about to do, in words (a plan: "DS02: 486 volume(s), then ..."): it goes into the Start
        /// record of every domain the operation has not written to yet.
        /// </summary>
        public void Note(string text)
        {
            lock (_gate) _note = _note == null ? text : Join(_note, text);
        }

        /// <summary>How the operation came out in a domain, in words: the start of its End record's detail there.</summary>
        public void Summarize(DomainIdentity domain, string summary)
        {
            lock (_gate)
            {
                var place = Find(domain);
                if (place != null) place.Summary = summary;
            }
        }

        /// <summary>
        /// Records a refusal: an error with an ErrorId that stopped a change; the outcome is Failed. A rule that recorded
        /// its own Refusal record with that ErrorId (a key still in use, a decommission refused) is not recorded twice:
        /// each such record answers for one error the module reports. Nothing is written in a dry run.
        /// </summary>
        public void Refuse(IAuditSink domain, string action, string target, BackPakException e)
        {
            lock (_gate)
            {
                _failed = true;
                _lastErrorId = e.ErrorId;
                _lastError = e.Message;
                if (DryRun || Ended) return;
                _credits.TryGetValue(e.ErrorId, out int credit);
                if (credit > 0)
                {
                    _credits[e.ErrorId] = credit - 1;
                    return;
                }
                // Stamp counts this record as a rule's own: taken back here, so it answers for this error only.
                _credits[e.ErrorId] = credit - 1;
            }
            domain.Audit(new AuditEntry
            {
                Kind = AuditKind.Refusal, Action = action, Target = target, Result = "Refused", ErrorId = e.ErrorId, Detail = e.Message, User = User,
            });
        }

        /// <summary>Notes an error that is not a refusal of a change (a failure): the outcome is Failed.</summary>
        public void Failed(string? errorId, string message)
        {
            lock (_gate)
            {
                _failed = true;
                _lastErrorId = errorId;
                _lastError = message;
            }
        }

        /// <summary>The outcome so far: Stopped when <paramref name="stopped"/>, else Failed after any error, else Succeeded.</summary>
        public OperationOutcome Outcome(bool stopped)
        {
            lock (_gate) return stopped ? OperationOutcome.Stopped : _failed ? OperationOutcome.Failed : OperationOutcome.Succeeded;
        }

        /// <summary>
        /// Ends the operation: an End record in every domain it wrote to (and not ended there already), with its outcome
        /// and counts. Idempotent. Returns the errors of domains that could not take their End record (the others still get theirs).
        /// </summary>
        public IReadOnlyList<Exception> End(bool stopped)
        {
            List<(Place Place, AuditEntry Entry)> ends;
            lock (_gate)
            {
                if (Ended) return Array.Empty<Exception>();
                Ended = true;
                var outcome = stopped ? OperationOutcome.Stopped : _failed ? OperationOutcome.Failed : OperationOutcome.Succeeded;
                ends = _places.Where(p => !p.Ended).Select(p => (p, new AuditEntry
                {
                    Kind = AuditKind.End, Action = Command, Target = p.Target, Result = outcome.ToString(),
                    ErrorId = outcome == OperationOutcome.Failed ? _lastErrorId : null,
                    Detail = Join(p.Summary, Counts(p) + (outcome == OperationOutcome.Stopped
                        ? "; stopped before its end: running the same command again completes it"
                        : outcome == OperationOutcome.Failed && _lastError != null ? "; last error: " + _lastError : "")),
                    User = User, OperationId = Id,
                })).ToList();
            }
            var errors = new List<Exception>();
            if (DryRun) return errors;
            foreach (var (place, entry) in ends)
            {
                try
                {
                    place.Domain.Audit(entry);
                    place.Ended = true;
                }
                catch (Exception e) when (!UnexpectedErrors.IsCritical(e)) { errors.Add(e); }
            }
            return errors;
        }

        private static string Counts(Place p) => $"{p.Changes} change(s), {p.Refusals} refusal(s)";

        private Place? Find(DomainIdentity identity)
        {
            foreach (var p in _places) if (p.Domain.Identity.Equals(identity)) return p;
            return null;
        }

        private static string? Join(string? a, string? b) =>
            string.IsNullOrEmpty(a) ? b : string.IsNullOrEmpty(b) ? a : a + "; " + b;
    }

    /// <summary>One record to append to a domain's audit trail, before the provider gives it its id and time.</summary>
    public sealed class AuditEntry
    {
        public AuditKind Kind { get; init; } = AuditKind.Change;
        /// <summary>Cmdlet-style (<see cref="AuditActions"/>).</summary>
        public string Action { get; init; } = "";
        public string Target { get; init; } = "";
        public string Result { get; init; } = "";
        public string? ErrorId { get; init; }
        public string? Detail { get; init; }
        public string User { get; init; } = "";
        public string OperationId { get; init; } = "";

        /// <summary>This entry with the operation's id, and its user when it names none.</summary>
        internal AuditEntry For(string operationId, string user) => new AuditEntry
        {
            Kind = Kind, Action = Action, Target = Target, Result = Result, ErrorId = ErrorId, Detail = Detail,
            User = string.IsNullOrEmpty(User) ? user : User, OperationId = string.IsNullOrEmpty(OperationId) ? operationId : OperationId,
        };
    }
}
