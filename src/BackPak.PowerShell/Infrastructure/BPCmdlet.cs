using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using BackPak.Core.Audit;
using BackPak.Core.Errors;
using Text = BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The one base of every BackPak cmdlet: turns <see cref="BackPakException"/> into ErrorRecords with the
    /// stable ErrorId, the right category, the target and a recommended action. A problem with one item is a
    /// non-terminating error so a pipeline goes on; a broken invocation is terminating.
    /// </summary>
    public abstract class BPCmdlet : PSCmdlet, IDisposable
    {
        protected sealed override void BeginProcessing()
        {
            _givenOnCommandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            _operation = new Operation(MyInvocation.MyCommand.Name, AuditParameters.Describe(MyInvocation.BoundParameters),
                Environment.UserName, OperationClock(), dryRun: IsDryRun());
            using (_operation.Enter())
                Guard(() =>
                {
                    if (SelectionsHold(piped: false)) BeginBackPak();
                    else _selectsNothing = true;
                });
        }

        protected sealed override void ProcessRecord()
        {
            if (_selectsNothing) return;
            using (Operation.Enter())
            {
                try
                {
                    Guard(() => { if (SelectionsHold(piped: true)) ProcessBackPakRecord(); });
                }
                finally
                {
                    ForgetPipedParameters();
                }
            }
        }

        protected sealed override void EndProcessing()
        {
            using (Operation.Enter())
            {
                if (!_selectsNothing) Guard(EndBackPak);
                foreach (var e in Operation.End(stopped: false))
                    WriteWarning($"The end of this {MyInvocation.MyCommand.Name} could not be recorded in an audit trail: {e.Message}");
            }
        }

        /// <summary>
        /// The end of an invocation that did not reach EndProcessing: stopped (Ctrl-C, a stopped pipeline, a failure
        /// elsewhere in the pipeline), or ended by its own terminating error. Its End record says which.
        /// </summary>
        public void Dispose()
        {
            if (_operation == null || _operation.Ended) return;
            using (_operation.Enter()) _operation.End(stopped: !_terminated);
        }

        private Operation? _operation;
        private bool _terminated;

        /// <summary>
        /// This invocation as the audit trail tells it: its id (carried by its records and the results of its changes),
        /// its Start and End records in each domain it changes. Current while the cmdlet runs.
        /// </summary>
        protected Operation Operation => _operation ?? throw new InvalidOperationException("The operation starts in BeginProcessing.");

        /// <summary>The clock an operation id is read from: the domain's (the lab's clock in a lab), so ids and record times agree.</summary>
        protected virtual DateTime OperationClock() => ClockOf(DomainSessions.Default);

        protected static DateTime ClockOf(BackPak.Core.Model.DomainConnection? c)
        {
            try { return c != null && c.IsOpen ? c.Domain.Now : DateTime.UtcNow; }
            catch (Exception e) when (IsForeign(e) || e is BackPakException) { return DateTime.UtcNow; }
        }

        /// <summary>The domain whose audit trail records this invocation's refusals: the default connection, if it is open.</summary>
        protected virtual BackPak.Core.Providers.IAuditSink? AuditDomain =>
            DomainSessions.Default is { IsOpen: true } c ? c.Domain as BackPak.Core.Providers.IAuditSink : null;

        /// <summary>
        /// Whether this cmdlet's errors are refusals of a change, recorded in the audit trail: true for a cmdlet that changes
        /// things (it supports ShouldProcess), unless it changes nothing of BackPak (a file it writes).
        /// </summary>
        protected virtual bool RecordsRefusals => ChangesState.GetOrAdd(GetType(), t => t.GetCustomAttribute<CmdletAttribute>()?.SupportsShouldProcess == true);

        private bool IsDryRun()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)) return w is SwitchParameter sw ? sw.IsPresent : w is bool b && b;
            object? pref = SessionState.PSVariable.GetValue("WhatIfPreference");
            if (pref is PSObject p) pref = p.BaseObject;
            return pref is SwitchParameter sp ? sp.IsPresent : pref is bool pb && pb;
        }

        /// <summary>
        /// Notes an error in the operation: a refusal of a change (recorded, with its ErrorId, about <paramref name="about"/>
        /// or the error's target, in <paramref name="domain"/> or <see cref="AuditDomain"/>), or a failure.
        /// </summary>
        private void Record(BackPakException e, object? about = null, BackPak.Core.Providers.IAuditSink? domain = null)
        {
            if (_operation == null) return;
            if (e.ErrorId == ErrorIds.UnexpectedError || e.ErrorId == ErrorIds.FileSystemError || !RecordsRefusals)
            {
                _operation.Failed(e.ErrorId, e.Message);
                return;
            }
            try
            {
                domain ??= AuditDomain;
                if (domain == null) _operation.Failed(e.ErrorId, e.Message);
                else _operation.Refuse(domain, MyInvocation.MyCommand.Name, AuditTargets.Of(about ?? e.Target), e);
            }
            catch (Exception x) when (IsForeign(x) || x is BackPakException)
            {
                // The refusal stands whether or not the trail could take it: the error itself still reaches the operator.
                _operation.Failed(e.ErrorId, e.Message);
            }
        }

        protected virtual void BeginBackPak() { }
        protected virtual void ProcessBackPakRecord() { }
        protected virtual void EndBackPak() { }

        private HashSet<string>? _givenOnCommandLine;
        private bool _selectsNothing;
        private readonly List<string> _piped = new List<string>();

        /// <summary>
        /// Whether a parameter was given: on the command line, or by the object now in the pipeline. (PowerShell keeps
        /// the names of parameters an earlier piped object bound; BPCmdlet forgets them after each object.)
        /// </summary>
        protected bool IsGiven(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        /// <summary>Whether the current value of a parameter came down the pipeline rather than from the command line.</summary>
        protected bool IsPiped(string parameter) => IsGiven(parameter) && _givenOnCommandLine?.Contains(parameter) == false;

        private void ForgetPipedParameters()
        {
            _piped.Clear();
            foreach (var k in MyInvocation.BoundParameters.Keys) if (_givenOnCommandLine?.Contains(k) == false) _piped.Add(k);
            foreach (var k in _piped) MyInvocation.BoundParameters.Remove(k);
        }

        /// <summary>
        /// The one place that keeps an empty selection from meaning "everything" (see <see cref="SelectionAttribute"/>).
        /// Blank items of a list are dropped. A selection given on the command line with nothing left in it stops a
        /// cmdlet that changes things (EmptySelection, before anything changes) and makes a read select nothing, with a
        /// warning; a piped object that gives one no value selects nothing itself (said with -Verbose).
        /// </summary>
        private bool SelectionsHold(bool piped)
        {
            foreach (var p in Selections.GetOrAdd(GetType(), FindSelections))
            {
                if (!IsGiven(p.Name) || IsPiped(p.Name) != piped) continue;
                object? value = p.GetValue(this);
                if (!SelectionAttribute.Clean(value, out var kept, out int blanks))
                {
                    string name = MyInvocation.MyCommand.Name;
                    if (piped)
                    {
                        WriteVerbose($"A piped object gives -{p.Name} no value: it selects nothing, so {name} skips it.");
                        return false;
                    }
                    if (ChangesState.GetOrAdd(GetType(), t => t.GetCustomAttribute<CmdletAttribute>()?.SupportsShouldProcess == true))
                        throw new BackPakException(ErrorIds.EmptySelection, BackPakErrorCategory.InvalidArgument,
                            $"-{p.Name} was given with nothing in it ($null, an empty list or only blank text, as an empty file or an unset " +
                            $"variable gives). {name} does not guess what was meant: nothing was changed.", p.Name,
                            $"Check the variable, file or command that fills -{p.Name}.", stopsInvocation: true);
                    WriteWarning($"-{p.Name} was given with nothing in it ($null, an empty list or only blank text): {name} selects nothing.");
                    return false;
                }
                if (blanks > 0)
                {
                    WriteVerbose($"-{p.Name}: {blanks} blank item(s) ignored.");
                    p.SetValue(this, kept);
                }
            }
            return true;
        }

        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Selections = new ConcurrentDictionary<Type, PropertyInfo[]>();
        private static readonly ConcurrentDictionary<Type, bool> ChangesState = new ConcurrentDictionary<Type, bool>();

        private static PropertyInfo[] FindSelections(Type t) =>
            t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<SelectionAttribute>() != null && p.GetCustomAttributes<ParameterAttribute>().Any())
                .ToArray();

        /// <summary>
        /// Runs a part of the cmdlet and reports its failure as a BackPak error. A <see cref="BackPakException"/> is
        /// reported as it is; anything else that escaped every rule (an IOException, an InvalidOperationException of a
        /// store) goes through the one safety net, <see cref="UnexpectedErrors.Wrap"/>, so no raw .NET exception
        /// reaches the operator. PowerShell's own flow (a stopped pipeline, -ErrorAction Stop, a terminating error
        /// already written, a host that cannot prompt) passes through untouched.
        /// </summary>
        private void Guard(Action step)
        {
            BackPakException failure;
            try
            {
                step();
                return;
            }
            catch (BackPakException e)
            {
                failure = e;
            }
            catch (Exception e) when (IsForeign(e))
            {
                failure = UnexpectedErrors.Wrap(e, MyInvocation.MyCommand.Name);
            }
            Record(failure);
            var record = ToErrorRecord(failure);
            if (failure.StopsInvocation)
            {
                _terminated = true;
                ThrowTerminatingError(record);
            }
            WriteError(record);
        }

        /// <summary>A failure that is neither PowerShell's own (it already is an ErrorRecord, or flow control) nor fatal.</summary>
        internal static bool IsForeign(Exception e) =>
            !(e is RuntimeException) && !(e is HaltCommandException) && !UnexpectedErrors.IsCritical(e);

        /// <summary>
        /// Reports a failure met while handling one item: the pipeline goes on, unless the error says the
        /// invocation as a whole cannot (then it is terminating, once, not repeated for every item).
        /// </summary>
        /// <param name="about">What the error is about, for its audit record (a volume gives DS02/AB1234), when its target says less.</param>
        /// <param name="domain">The domain it happened in, when not the one the command works on (a piped object's).</param>
        protected void WriteBackPakError(BackPakException e, object? about = null, BackPak.Core.Providers.IAuditSink? domain = null)
        {
            Record(e, about, domain);
            if (e.StopsInvocation)
            {
                _terminated = true;
                ThrowTerminatingError(ToErrorRecord(e));
            }
            WriteError(ToErrorRecord(e));
        }

        /// <summary>
        /// Writes the items a list of names selects, PowerShell style: all of them with no name, every match of a
        /// wildcard (none is no error), and for an exact name its item or the error <paramref name="notFound"/> makes.
        /// </summary>
        protected void WriteNamed<T>(IReadOnlyList<T> items, string[]? names, Func<T, string> nameOf, Func<string, string> normalize, Func<string, BackPakException> notFound)
        {
            if (names == null)
            {
                WriteObject(items, true);
                return;
            }
            foreach (var n in names)
            {
                if (Text.Wildcard.IsPattern(n))
                {
                    foreach (var item in items) if (Text.Wildcard.Matches(n, nameOf(item))) WriteObject(item);
                    continue;
                }
                string exact = normalize(n);
                bool found = false;
                foreach (var item in items)
                    if (string.Equals(nameOf(item), exact, StringComparison.OrdinalIgnoreCase)) { WriteObject(item); found = true; break; }
                if (!found) WriteBackPakError(notFound(n));
            }
        }

        /// <summary>
        /// A path given by the operator as a full file system path, resolved as PowerShell resolves it (relative to the
        /// current location, ~, PSDrives). A path of another provider (Env:, Function:, a registry drive) or one that
        /// cannot be resolved (no such drive) is refused with <paramref name="errorId"/>, before anything is touched:
        /// PowerShell would otherwise hand back the bare item name, which the file system reads relative to the
        /// process's folder.
        /// </summary>
        protected string FileSystemPath(string path, string parameter, string errorId) =>
            FileSystemPaths.Resolve(SessionState, path, parameter, errorId);

        /// <summary>Stops the invocation with a BackPak error.</summary>
        protected void ThrowBackPakError(BackPakException e)
        {
            Record(e);
            _terminated = true;
            ThrowTerminatingError(ToErrorRecord(e));
        }

        public static ErrorRecord ToErrorRecord(BackPakException e)
        {
            var record = new ErrorRecord(e, e.ErrorId, Map(e.Category), e.Target);
            if (e.RecommendedAction != null)
                record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.RecommendedAction };
            return record;
        }

        private static ErrorCategory Map(BackPakErrorCategory c) => c switch
        {
            BackPakErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
            BackPakErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
            BackPakErrorCategory.ResourceExists => ErrorCategory.ResourceExists,
            BackPakErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            BackPakErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
            BackPakErrorCategory.InvalidData => ErrorCategory.InvalidData,
            BackPakErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
            BackPakErrorCategory.ConnectionError => ErrorCategory.ConnectionError,
            BackPakErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
            BackPakErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
            BackPakErrorCategory.SecurityError => ErrorCategory.SecurityError,
            BackPakErrorCategory.NotImplemented => ErrorCategory.NotImplemented,
            BackPakErrorCategory.WriteError => ErrorCategory.WriteError,
            BackPakErrorCategory.InvalidResult => ErrorCategory.InvalidResult,
            _ => ErrorCategory.NotSpecified,
        };
    }
}
