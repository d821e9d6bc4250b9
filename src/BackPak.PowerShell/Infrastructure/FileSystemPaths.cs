using System;
using System.Management.Automation;
using BackPak.Core.Errors;

namespace BackPak.PowerShell
{
    /// <summary>
    /// Resolves a path the operator gave against the PowerShell location, as PowerShell's own cmdlets do, and refuses a
    /// path of another provider (Env:, Cert:): one rule for cmdlets and argument transformations alike.
    /// </summary>
    internal static class FileSystemPaths
    {
        public static string Resolve(SessionState sessionState, string path, string parameter, string errorId)
        {
            string resolved;
            ProviderInfo provider;
            try { resolved = sessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _); }
            catch (Exception e) when (e is RuntimeException || e is ArgumentException || e is NotSupportedException || e is System.IO.IOException)
            {
                throw new BackPakException(errorId, BackPakErrorCategory.InvalidArgument,
                    $"-{parameter} '{path}' is not a usable file system path: {e.Message}", path,
                    $"Give -{parameter} a folder or file path such as ./lab or /labs/lab1.", stopsInvocation: true);
            }
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(errorId, BackPakErrorCategory.InvalidArgument,
                    $"-{parameter} '{path}' is a path of the {provider.Name} provider, not of the file system.", path,
                    $"Give -{parameter} a folder or file path such as ./lab or /labs/lab1.", stopsInvocation: true);
            return resolved;
        }

        /// <summary>
        /// Writes a file beside its target and moves it into place, so a failure (or a crash) never leaves half a file
        /// nor replaces a good one; an existing file is replaced only when <paramref name="replace"/> says so. Throws
        /// IOException or UnauthorizedAccessException, which the caller turns into its own error.
        /// </summary>
        public static void WriteReplacing(string file, bool replace, Action<System.IO.TextWriter> write)
        {
            string temp = file + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            try
            {
                using (var w = new System.IO.StreamWriter(temp, false, new System.Text.UTF8Encoding(false)))
                    write(w);
                if (System.IO.File.Exists(file))
                {
                    if (!replace) throw new System.IO.IOException($"'{file}' appeared while it was being written.");
                    System.IO.File.Replace(temp, file, null);
                }
                else System.IO.File.Move(temp, file);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                try { if (System.IO.File.Exists(temp)) System.IO.File.Delete(temp); }
                catch (Exception cleanup) when (cleanup is System.IO.IOException || cleanup is UnauthorizedAccessException) { }
                throw;
            }
        }

        /// <summary>
        /// Stops a command before it writes over a file the operator owns: an existing file is replaced only with -Force.
        /// <paramref name="what"/> names the document in the message ("change record", "runbook").
        /// </summary>
        public static void RefuseToReplace(string file, bool force, string errorId, string what)
        {
            if (!force && System.IO.File.Exists(file))
                throw new BackPakException(errorId, BackPakErrorCategory.ResourceExists,
                    $"The {what} was not written: '{file}' exists already, and it is not replaced without -Force.", file,
                    "Give another -Path, or add -Force to replace the file.", stopsInvocation: true);
        }

        /// <summary><see cref="WriteReplacing"/>, with a failure to write reported as the command's own error.</summary>
        public static void Write(string file, bool force, string errorId, string what, Action<System.IO.TextWriter> write)
        {
            try
            {
                WriteReplacing(file, force, write);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw new BackPakException(errorId, BackPakErrorCategory.WriteError,
                    $"The {what} was not written to '{file}': {e.Message}", file,
                    "Check that the folder exists and can be written, then run the command again.", stopsInvocation: true, e);
            }
        }
    }
}
