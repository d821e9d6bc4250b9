using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using BackPak.Core.Errors;
using BackPak.Core.Procedures;

namespace BackPak.PowerShell
{
    /// <summary>The replication a link carries: the volume images of a data store (storage) or the encryption keys (key server).</summary>
    public enum ReplicationLinkKind
    {
        Storage,
        Keys,
    }

    /// <summary>
    /// A replication link registered with Register-BPReplicationLink: the operator's own commands that reverse (and
    /// optionally report) the storage or key replication of a data store, in the estate (lab folder or site) of the
    /// domain it was registered through. Kept in the session only; the script blocks themselves are not shown.
    /// </summary>
    public sealed class ReplicationLinkRegistration
    {
        public string Name { get; internal set; } = "";
        public string DataStore { get; internal set; } = "";
        public ReplicationLinkKind Kind { get; internal set; }
        /// <summary>The estate the link serves: the location (lab folder or site) of the domain it was registered through.</summary>
        public string Location { get; internal set; } = "";
        /// <summary>The provider of that estate.</summary>
        public string Provider { get; internal set; } = "";
        /// <summary>Whether a -Status script reports the link's state; without one the switch stops for the operator to confirm it has caught up.</summary>
        public bool HasStatus => Status != null;
        public DateTime Registered { get; internal set; }

        internal ScriptBlock Reverse = null!;
        internal ScriptBlock? Status;

        /// <summary>STORAGE or KEYS, as the switch names the kinds.</summary>
        internal string CoreKind => Kind == ReplicationLinkKind.Storage ? "STORAGE" : "KEYS";

        internal bool Is(string location, string dataStore, ReplicationLinkKind kind) =>
            Kind == kind && string.Equals(Location, location, StringComparison.Ordinal) && string.Equals(DataStore, dataStore, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"{Name} ({Kind} of {DataStore})";

        /// <summary>How plans, steps and messages name the link.</summary>
        internal string Description => $"{Name} (script registered for {DataStore})";
    }

    /// <summary>
    /// What a link's scripts are given, as their one argument (<c>param($Link)</c>): the data store and kind, and the
    /// direction the switch wants, from the side that becomes PRIMARY to the side that becomes SECONDARY. A -Reverse
    /// script makes replication flow that way (so running it again does no harm); a -Status script reports how it
    /// flows now.
    /// </summary>
    public sealed class ReplicationLinkCall
    {
        public string Name { get; internal set; } = "";
        public string DataStore { get; internal set; } = "";
        public ReplicationLinkKind Kind { get; internal set; }
        /// <summary>Reverse or Status.</summary>
        public string Action { get; internal set; } = "";
        /// <summary>The node that becomes PRIMARY: replication must flow from it once reversed.</summary>
        public string FromNode { get; internal set; } = "";
        /// <summary>Its site, when the provider knows it.</summary>
        public string? FromSite { get; internal set; }
        /// <summary>The node that becomes SECONDARY.</summary>
        public string ToNode { get; internal set; } = "";
        public string? ToSite { get; internal set; }
        public override string ToString() => $"{Action} {Kind} of {DataStore}: {FromNode} -> {ToNode}";
    }

    /// <summary>
    /// The replication links registered in each runspace. Per session, like the connections: a registration holds script
    /// blocks, which belong to the runspace that made them and cannot be written to a file and read back as the same
    /// commands; a new session registers its links again (a profile or the runbook's first lines).
    /// </summary>
    internal static class ReplicationLinkRegistry
    {
        private static readonly PerRunspace<List<ReplicationLinkRegistration>> Sessions = new PerRunspace<List<ReplicationLinkRegistration>>();

        public static IReadOnlyList<ReplicationLinkRegistration> All
        {
            get { var s = Sessions.Current(); lock (s) return s.OrderBy(r => r.Location, StringComparer.Ordinal).ThenBy(r => r.DataStore, StringComparer.Ordinal).ThenBy(r => r.Kind).ToList(); }
        }

        public static ReplicationLinkRegistration? Find(string location, string dataStore, ReplicationLinkKind kind)
        {
            var s = Sessions.Current();
            lock (s) return s.FirstOrDefault(r => r.Is(location, dataStore, kind));
        }

        /// <summary>Adds a registration, replacing the one of the same store and kind in the same estate.</summary>
        public static void Put(ReplicationLinkRegistration registration)
        {
            var s = Sessions.Current();
            lock (s)
            {
                s.RemoveAll(r => r.Is(registration.Location, registration.DataStore, registration.Kind));
                s.Add(registration);
            }
        }

        public static bool Remove(ReplicationLinkRegistration registration)
        {
            var s = Sessions.Current();
            lock (s) return s.Remove(registration);
        }

        /// <summary>Forgets the links of a runspace that closed (or removed the module): their script blocks die with it.</summary>
        public static void Forget(Guid runspace) => Sessions.Take(runspace);

        /// <summary>
        /// The link the switch of <paramref name="dataStore"/> uses for a kind: the one registered in this session for the
        /// store in that estate, which overrides the provider's; null when none is registered.
        /// </summary>
        public static IReplicationLink? LinkFor(string location, string dataStore, ReplicationLinkKind kind, string fromNode, string? fromSite,
            string toNode, string? toSite, PSCmdlet? cmdlet)
        {
            var r = Find(location, dataStore, kind);
            return r == null ? null : new ScriptReplicationLink(r, fromNode, fromSite, toNode, toSite, cmdlet);
        }

        /// <summary>Before each step of a run: the next step reads the state of the registered links afresh.</summary>
        public static void Refresh(params IReplicationLink?[] links)
        {
            foreach (var l in links) (l as ScriptReplicationLink)?.Forget();
        }
    }

    /// <summary>
    /// A registered link as the switch calls it (Core's <see cref="IReplicationLink"/>, with no PowerShell type in Core).
    /// Its scripts run on the pipeline thread of the runspace that built it, as a nested pipeline of the running cmdlet:
    /// the procedure runner calls its steps synchronously from the cmdlet's ProcessRecord (a site switch's stores, from
    /// worker threads, through the <see cref="PipelineDispatcher"/>), and a call from any other thread is refused rather
    /// than run there. A script that throws, writes an error or answers what cannot be read
    /// makes the step fail with ReplicationLinkFailed, naming the store, the kind and the script's message; the run stays
    /// resumable. The status is read once per step (and again after a reversal).
    /// </summary>
    internal sealed class ScriptReplicationLink : IRegisteredReplicationLink
    {
        private readonly ReplicationLinkRegistration _r;
        private readonly ReplicationLinkCall _call;
        private readonly PSCmdlet? _cmdlet;
        private readonly Runspace? _runspace;
        private readonly int _thread;
        private (bool Healthy, bool CaughtUp, string Source, string Target)? _state;

        public ScriptReplicationLink(ReplicationLinkRegistration r, string fromNode, string? fromSite, string toNode, string? toSite, PSCmdlet? cmdlet)
        {
            _r = r;
            _cmdlet = cmdlet;
            _runspace = Runspace.DefaultRunspace;
            _thread = Environment.CurrentManagedThreadId;
            _call = new ReplicationLinkCall { Name = r.Name, DataStore = r.DataStore, Kind = r.Kind, FromNode = fromNode, FromSite = fromSite, ToNode = toNode, ToSite = toSite };
        }

        public string Name => _r.Name;
        public string Kind => _r.CoreKind;
        public string Description => _r.Description;
        public bool StateKnown => _r.Status != null;
        public bool Healthy => State().Healthy;
        public bool CaughtUp => State().CaughtUp;
        public string Source => State().Source;
        public string Target => State().Target;

        public void Forget() => _state = null;

        public void Reverse()
        {
            _state = null;
            Invoke(_r.Reverse, "Reverse");
            _state = null;
        }

        private (bool Healthy, bool CaughtUp, string Source, string Target) State()
        {
            if (_r.Status == null)
                throw Fail("Status", "it was registered without a -Status script, so its state cannot be read");
            if (_state is { } known) return known;
            var output = Invoke(_r.Status, "Status");
            var last = output.LastOrDefault(o => o != null);
            if (last == null) throw Fail("Status", "its -Status script returned nothing; it must return an object with Healthy and CaughtUp booleans and a Source string");
            bool Flag(string name) => Read(last, name) is bool b ? b
                : throw Fail("Status", $"its -Status script returned no {name} boolean ($true or $false); it returned {Describe(last)}");
            string? Text(string name) => Read(last, name) is { } v ? LanguagePrimitives.ConvertTo<string>(v) : null;
            var state = (Flag("Healthy"), Flag("CaughtUp"),
                Text("Source") is { Length: > 0 } source ? source : throw Fail("Status", "its -Status script returned no Source (the site or node replication flows from now)"),
                Text("Target") ?? "");
            _state = state;
            return state;
        }

        /// <summary>A property of a script's answer: of a hashtable by key, of any other object by its property.</summary>
        private static object? Read(PSObject o, string name)
        {
            object? v;
            if (o.BaseObject is IDictionary d)
                v = d.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase)) is { } key ? d[key] : null;
            else v = o.Properties[name]?.Value;
            return v is PSObject p ? p.BaseObject : v;
        }

        private static string Describe(PSObject o) => o.BaseObject is IDictionary ? "a hashtable" : "an object of type " + o.BaseObject.GetType().Name;

        private IReadOnlyList<PSObject> Invoke(ScriptBlock script, string action)
        {
            // Only on the thread of the pipeline that built the link (and in its runspace): a script block run elsewhere
            // would run in a runspace busy on another thread. A store of a site switch runs on a worker thread: its call is
            // handed to that pipeline thread, which serves the workers while it waits for them.
            if (Environment.CurrentManagedThreadId != _thread && PipelineDispatcher.Current is { } pipeline && pipeline.ThreadId == _thread)
                return pipeline.Invoke(() => Invoke(script, action));
            if (Environment.CurrentManagedThreadId != _thread || Runspace.DefaultRunspace == null || !ReferenceEquals(Runspace.DefaultRunspace, _runspace))
                throw Fail(action, "it was called outside the pipeline thread of the session that registered it, and script blocks run only there");
            var call = new ReplicationLinkCall
            {
                Name = _call.Name, DataStore = _call.DataStore, Kind = _call.Kind, Action = action,
                FromNode = _call.FromNode, FromSite = _call.FromSite, ToNode = _call.ToNode, ToSite = _call.ToSite,
            };
            try
            {
                using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
                // The script block runs in its own session state (where it was written), given the call as its argument.
                ps.AddScript("param($__bpLinkScript, $__bpLinkCall) & $__bpLinkScript $__bpLinkCall", useLocalScope: true)
                    .AddArgument(script).AddArgument(call);
                var output = ps.Invoke();
                if (_cmdlet != null)
                {
                    foreach (var w in ps.Streams.Warning) _cmdlet.WriteWarning($"{Name}: {w.Message}");
                    foreach (var v in ps.Streams.Verbose) _cmdlet.WriteVerbose($"{Name}: {v.Message}");
                }
                if (ps.Streams.Error.Count > 0)
                    throw Fail(action, ps.Streams.Error[0].Exception?.Message ?? ps.Streams.Error[0].ToString());
                return output;
            }
            catch (PipelineStoppedException e)
            {
                // Ctrl-C while the script ran: the run records that it was interrupted, and -Resume calls the script again.
                throw new OperationCanceledException("The pipeline was stopped.", e);
            }
            catch (RuntimeException e)
            {
                throw Fail(action, e.ErrorRecord?.Exception?.Message ?? e.Message);
            }
            catch (Exception e) when (BPCmdlet.IsForeign(e) && !(e is BackPakException) && !(e is OperationCanceledException))
            {
                throw Fail(action, e.Message);
            }
        }

        private BackPakException Fail(string action, string why) => new BackPakException(ErrorIds.ReplicationLinkFailed, BackPakErrorCategory.InvalidResult,
            $"The {_r.Kind.ToString().ToLowerInvariant()} replication link {_r.Name} registered for {_r.DataStore} failed ({action}): {why}", _r.DataStore,
            $"Fix the link's script and register it again (Register-BPReplicationLink -DataStore {_r.DataStore} -Kind {_r.Kind} -AllowClobber ...), then resume the run.");
    }
}
