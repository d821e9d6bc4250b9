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
    }
}
