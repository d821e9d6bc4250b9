using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using BackPak.Core.Errors;
using BackPak.Core.Model;

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

        private static readonly Dictionary<Guid, Session> Sessions = new Dictionary<Guid, Session>();

        private static Session Current()
        {
            var id = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
            lock (Sessions)
            {
                if (!Sessions.TryGetValue(id, out var s)) Sessions[id] = s = new Session();
                return s;
            }
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

        /// <summary>The connected domain of a node, preferring the default's location when several labs are open.</summary>
        public static DomainConnection? FindByNode(string node)
        {
            var s = Current();
            lock (s)
            {
                var matches = s.Connections.Where(c => string.Equals(c.Node, node, StringComparison.OrdinalIgnoreCase)).ToList();
                var def = s.Connections.FirstOrDefault(c => c.IsDefault);
                return matches.FirstOrDefault(c => def != null && c.Location == def.Location) ?? matches.LastOrDefault();
            }
        }

        public static BackPakException NotConnected(string node) => new BackPakException(
            ErrorIds.DomainNotConnected, BackPakErrorCategory.ResourceUnavailable,
            $"No BackPak domain on node '{node}' is connected in this session." +
            (All.Count > 0 ? " Connected: " + string.Join(", ", All.Select(c => c.Node)) + "." : ""),
            node, $"Connect it first: Connect-BPDomain -Lab <folder> -Node '{node}'.");

        private static bool Same(DomainConnection a, DomainConnection b) =>
            string.Equals(a.Node, b.Node, StringComparison.OrdinalIgnoreCase) && a.Location == b.Location && a.Provider == b.Provider;
    }
}
