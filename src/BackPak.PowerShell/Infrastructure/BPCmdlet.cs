using System;
using System.Collections.Generic;
using System.Management.Automation;
using BackPak.Core.Errors;
using Text = BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The one base of every BackPak cmdlet: turns <see cref="BackPakException"/> into ErrorRecords with the
    /// stable ErrorId, the right category, the target and a recommended action. A problem with one item is a
    /// non-terminating error so a pipeline goes on; a broken invocation is terminating.
    /// </summary>
    public abstract class BPCmdlet : PSCmdlet
    {
        protected sealed override void BeginProcessing() => Guard(BeginBackPak);
        protected sealed override void ProcessRecord() => Guard(ProcessBackPakRecord);
        protected sealed override void EndProcessing() => Guard(EndBackPak);

        protected virtual void BeginBackPak() { }
        protected virtual void ProcessBackPakRecord() { }
        protected virtual void EndBackPak() { }

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (BackPakException e)
            {
                var record = ToErrorRecord(e);
                if (e.StopsInvocation) ThrowTerminatingError(record);
                WriteError(record);
            }
        }

        /// <summary>
        /// Reports a failure met while handling one item: the pipeline goes on, unless the error says the
        /// invocation as a whole cannot (then it is terminating, once, not repeated for every item).
        /// </summary>
        protected void WriteBackPakError(BackPakException e)
        {
            if (e.StopsInvocation) ThrowTerminatingError(ToErrorRecord(e));
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

        /// <summary>Stops the invocation with a BackPak error.</summary>
        protected void ThrowBackPakError(BackPakException e) => ThrowTerminatingError(ToErrorRecord(e));

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
