using System;
using System.Collections.Generic;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Text;

namespace BackPak.PowerShell
{
    /// <summary>
    /// The domains connected in each runspace and which one is the default. Kept per runspace so two
    /// runspaces (jobs, Pester containers, hosted tests) never see each other's connections.
    /// </summary>
    internal static class DomainSessions
    {
        private sealed class Session
        {
            public readonly List<DomainConnection> Connections = new List<DomainConnection>();
        }

        private static readonly PerRunspace<Session> Sessions = new PerRunspace<Session>();

        private static Session Current() => Sessions.Current();

        /// <summary>Closes every connection of a runspace and forgets its session (the runspace closed, or the module was removed).</summary>
        public static void CloseAll(Guid runspace)
        {
            var s = Sessions.Take(runspace);
            if (s == null) return;
            DomainConnection[] all;
            lock (s) { all = s.Connections.ToArray(); s.Connections.Clear(); }
            foreach (var c in all) c.Close();
        }

        public static IReadOnlyList<DomainConnection> All
        {
            get { var s = Current(); lock (s) return s.Connections.ToArray(); }
        }

        public static DomainConnection? Default
        {
            get { var s = Current(); lock (s) return s.Connections.FirstOrDefault(c => c.IsDefault); }
        }

        /// <summary>Adds a connection and makes it the default; an older connection to the same domain is closed.</summary>
        public static void Add(DomainConnection connection)
        {
            var s = Current();
            lock (s)
            {
                foreach (var old in s.Connections.Where(c => Same(c, connection)).ToArray())
                {
                    old.Close();
                    s.Connections.Remove(old);
                }
                foreach (var c in s.Connections) c.IsDefault = false;
                connection.IsDefault = true;
                s.Connections.Add(connection);
            }
        }

        /// <summary>Removes and closes a connection; the most recent remaining one becomes the default.</summary>
        public static void Remove(DomainConnection connection)
        {
            var s = Current();
            lock (s)
            {
                bool wasDefault = connection.IsDefault;
                s.Connections.Remove(connection);
                connection.Close();
                if (wasDefault && s.Connections.Count > 0) s.Connections[s.Connections.Count - 1].IsDefault = true;
            }
        }

        /// <summary>The open connection to exactly this domain (provider, location and node), or null.</summary>
        public static DomainConnection? Find(DomainIdentity identity)
        {
            var s = Current();
            lock (s) return s.Connections.LastOrDefault(c => c.IsOpen && c.Identity.Equals(identity));
        }

        /// <summary>
        /// The connected domain of a node, for a node name typed or read from a file (which says nothing of the lab or
        /// site): the one in the default connection's location; else the only one; several in other locations are
        /// ambiguous (DomainAmbiguous) rather than a guess.
        /// </summary>
        public static DomainConnection? FindByNode(string node)
        {
            var s = Current();
            List<DomainConnection> matches;
            DomainConnection? def;
            lock (s)
            {
                matches = s.Connections.Where(c => string.Equals(c.Node, node, StringComparison.OrdinalIgnoreCase)).ToList();
                def = s.Connections.FirstOrDefault(c => c.IsDefault);
            }
            var inDefault = matches.FirstOrDefault(c => def != null && c.Location == def.Location && c.Provider == def.Provider);
            if (inDefault != null || matches.Count <= 1) return inDefault ?? matches.FirstOrDefault();
            throw new BackPakException(ErrorIds.DomainAmbiguous, BackPakErrorCategory.InvalidArgument,
                $"Node '{node}' is connected in {matches.Count} places: {string.Join(", ", matches.Select(c => c.Identity))}, and the default " +
                "connection is in none of them, so the node name alone does not say which one is meant.", node,
                "Give -Domain a connection object (from Connect-BPDomain or Get-BPDomain) instead of a node name, or disconnect the one not meant.",
                stopsInvocation: true);
        }

        /// <summary>A piped object's domain is not connected: it is not acted on anywhere else.</summary>
        public static BackPakException NotConnected(DomainIdentity origin, string what) => new BackPakException(
            ErrorIds.DomainNotConnected, BackPakErrorCategory.ResourceUnavailable,
            $"{Capital(what)} was read from {origin}, which is not connected in this session" +
            (All.Count > 0 ? " (connected: " + string.Join(", ", All.Select(c => c.Identity)) + ")" : "") +
            ". It is acted on only where it came from: nothing was done with it.",
            what, $"Connect that domain again ({ConnectAdvice.Command(origin.Provider, origin.Location, origin.Node)}), then run the command again.");

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

        public static BackPakException NotConnected(string node) => new BackPakException(
            ErrorIds.DomainNotConnected, BackPakErrorCategory.ResourceUnavailable,
            $"No BackPak domain on node '{node}' is connected in this session." +
            (All.Count > 0 ? " Connected: " + string.Join(", ", All.Select(c => c.Identity)) + "." : ""),
            node, $"Connect it first: {ConnectAdvice.Command(All.FirstOrDefault(c => c.IsOpen)?.Provider, All.FirstOrDefault(c => c.IsOpen)?.Location, node)}.");

        /// <summary>The connection itself, if it is still open; a connection closed by Disconnect-BPDomain stops the command.</summary>
        public static DomainConnection RequireOpen(DomainConnection c) => c.IsOpen ? c : throw new BackPakException(
            ErrorIds.DomainDisconnected, BackPakErrorCategory.ResourceUnavailable,
            $"The connection to {c.Node} was closed by Disconnect-BPDomain.", c, "Connect again with Connect-BPDomain.", stopsInvocation: true);

        private static bool Same(DomainConnection a, DomainConnection b) => a.Identity.Equals(b.Identity);
    }
}
