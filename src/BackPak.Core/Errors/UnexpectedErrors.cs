using System;
using System.IO;

namespace BackPak.Core.Errors
{
    /// <summary>
    /// The safety net behind every rule: a failure that no part of the module turned into a <see cref="BackPakException"/>
    /// at its cause still reaches the operator as one, with a stable ErrorId, a category, the operation it stopped and
    /// what to do. The message is the failure's own message, never a stack trace (the original exception stays
    /// available as the inner exception for a support case). Causes that are known are mapped where they happen; a
    /// failure that comes here is a gap to close at its cause.
    /// </summary>
    public static class UnexpectedErrors
    {
        /// <summary>Whether a failure is one the safety net must leave alone: the runtime cannot go on after it.</summary>
        public static bool IsCritical(Exception e) =>
            e is OutOfMemoryException || e is StackOverflowException || e is System.Threading.ThreadAbortException || e is AccessViolationException;

        /// <summary>
        /// Whether a failure is a file that could not be read or written (IOException, access denied), also when it
        /// comes from worker threads wrapped in an AggregateException; <paramref name="cause"/> is that failure.
        /// </summary>
        public static bool IsFileProblem(Exception e, out Exception cause)
        {
            cause = e is AggregateException a && a.InnerExceptions.Count > 0 ? a.Flatten().InnerExceptions[0] : e;
            return cause is IOException || cause is UnauthorizedAccessException;
        }

        /// <summary>
        /// A <see cref="BackPakException"/> for a failure met while running <paramref name="operation"/> (a cmdlet
        /// name): <see cref="ErrorIds.FileSystemError"/> for a file that could not be read or written (disk full,
        /// access denied, a file where a folder is expected), <see cref="ErrorIds.UnexpectedError"/> for anything
        /// else. It stops the invocation: what the operation had done is not known here.
        /// </summary>
        public static BackPakException Wrap(Exception e, string operation)
        {
            if (e is BackPakException b) return b;
            // Work done on worker threads (a parallel build) fails as an AggregateException: report what failed.
            if (e is AggregateException a && a.InnerExceptions.Count >= 1) return Wrap(a.Flatten().InnerExceptions[0], operation);
            string message = OneLine(e.Message);
            if (e is UnauthorizedAccessException)
                return new BackPakException(ErrorIds.FileSystemError, BackPakErrorCategory.PermissionDenied,
                    $"{operation} was refused access to a file or folder: {message}", operation,
                    "Check the permissions of the path the message names, then run the command again.", stopsInvocation: true, inner: e);
            if (e is IOException)
                return new BackPakException(ErrorIds.FileSystemError, BackPakErrorCategory.WriteError,
                    $"{operation} could not read or write a file: {message}", operation,
                    "Check that the path the message names exists, is a folder where a folder is expected, and that its disk has free space; then run the command again.",
                    stopsInvocation: true, inner: e);
            return new BackPakException(ErrorIds.UnexpectedError, BackPakErrorCategory.NotSpecified,
                $"{operation} stopped on an error it did not expect: {message}", operation,
                "Run the command again. If it fails the same way, report it with the text of $Error[0].Exception.InnerException.",
                stopsInvocation: true, inner: e);
        }

        private static string OneLine(string? text)
        {
            string t = (text ?? "").Trim();
            int nl = t.IndexOfAny(new[] { '\r', '\n' });
            return nl < 0 ? t : t.Substring(0, nl).TrimEnd();
        }
    }
}
