using System;
using BackPak.Core.Errors;

namespace BackPak.NonStop
{
    /// <summary>The BackPakExceptions of the NonStop layers, one place for their ids, categories and advice.</summary>
    internal static class NonStopErrors
    {
        public static BackPakException InvalidName(string what, string? text, string rule) =>
            new BackPakException(ErrorIds.InvalidNonStopName, BackPakErrorCategory.InvalidArgument,
                $"'{Show(text)}' is not a valid {what}: {rule}. Nothing was sent to the node.",
                target: text,
                recommendedAction: $"Give a {what} as the manuals define it ({rule}).");

        public static BackPakException Unreachable(string node, string endpoint, string why, Exception? inner = null) =>
            new BackPakException(ErrorIds.NonStopUnreachable, BackPakErrorCategory.ConnectionError,
                $"Cannot reach the SSH server of {node} at {endpoint}: {why}.",
                target: node, stopsInvocation: true, inner: inner,
                recommendedAction: "Check the node's SSH endpoint in the site description, that the NonStop SSH server ($SSH process) is started, and the network between this machine and the node.");

        public static BackPakException HostKeyUnknown(string node, string endpoint, string keyType, string fingerprint, string source) =>
            new BackPakException(ErrorIds.NonStopHostKeyUnknown, BackPakErrorCategory.SecurityError,
                $"The SSH server of {node} at {endpoint} offered a {keyType} host key SHA256:{fingerprint}, which {source} does not list for this host. Nothing was sent.",
                target: node, stopsInvocation: true,
                recommendedAction: "Ask the NonStop system manager for the host key fingerprint (SSHCOM INFO SSH2 / the key files of the $SSH process), compare it, then add it to the known-hosts file or pin it in the site description.");

        public static BackPakException HostKeyMismatch(string node, string endpoint, string keyType, string fingerprint, string expected, string source) =>
            new BackPakException(ErrorIds.NonStopHostKeyMismatch, BackPakErrorCategory.SecurityError,
                $"The SSH server of {node} at {endpoint} offered a {keyType} host key SHA256:{fingerprint}, but {source} expects {expected}. Someone may be intercepting the connection, or the node's key was changed. Nothing was sent.",
                target: node, stopsInvocation: true,
                recommendedAction: "Do not connect until the NonStop system manager confirms the new key; then update the known-hosts file or the pinned fingerprint in the site description.");

        public static BackPakException AuthenticationFailed(string node, string user, string how, Exception? inner = null) =>
            new BackPakException(ErrorIds.NonStopAuthenticationFailed, BackPakErrorCategory.PermissionDenied,
                $"The SSH server of {node} refused user {user} ({how}).",
                target: node, stopsInvocation: true, inner: inner,
                recommendedAction: "Check the user and its key or password; on the node, SSHCOM INFO USER shows the user's public keys and allowed authentications.");

        public static BackPakException SessionDropped(string node, string command, int linesRead, bool changes) =>
            new BackPakException(ErrorIds.NonStopSessionDropped, BackPakErrorCategory.ConnectionError,
                $"The SSH session to {node} was lost while '{command}' was running ({linesRead} lines read). " +
                (changes ? "The command may or may not have been carried out on the node." : "The report is incomplete and was not used."),
                target: node,
                recommendedAction: changes
                    ? "Read the catalog again (the next command reconnects) to see whether the change was made before doing anything else."
                    : "Run the read again; the next command opens a new session.");

        public static BackPakException CommandTimeout(string node, string command, TimeSpan limit, bool changes) =>
            new BackPakException(ErrorIds.NonStopCommandTimeout, BackPakErrorCategory.OperationTimeout,
                $"'{command}' on {node} did not finish within {limit.TotalSeconds:0.#} s; the session was closed. " +
                (changes ? "The command may still have been carried out on the node." : "Its report was not used."),
                target: node,
                recommendedAction: changes
                    ? "Read the catalog again to see whether the change was made; raise the command timeout in the site description if the node is only slow."
                    : "Raise the command timeout in the site description if the node is only slow, or check the node's load.");

        public static BackPakException ReportMalformed(string node, string command, string why) =>
            new BackPakException(ErrorIds.NonStopReportMalformed, BackPakErrorCategory.InvalidResult,
                $"The report of '{command}' from {node} cannot be trusted: {why}. Nothing was decided from it.",
                target: node,
                recommendedAction: "Run the command by hand on the node (TACL) and compare its report with the layout in docs/nonstop; report a layout the module does not know.");

        internal static string Show(string? text)
        {
            if (text == null) return "";
            var sb = new System.Text.StringBuilder();
            foreach (char c in text.Length > 80 ? text.Substring(0, 80) + "..." : text)
                sb.Append(c < ' ' || c == 127 ? $"\\x{(int)c:X2}" : c.ToString());
            return sb.ToString();
        }
    }
}
