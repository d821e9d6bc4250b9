using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Keys;

namespace BackPak.PowerShell
{
    /// <summary>The key managers connected in each runspace and which one is the default (as DomainSessions for domains).</summary>
    internal static class KeyManagerSessions
    {
        private static readonly PerRunspace<List<KeyManagerConnection>> Sessions = new PerRunspace<List<KeyManagerConnection>>();

        private static List<KeyManagerConnection> Current() => Sessions.Current();

        /// <summary>Closes every key manager connection of a runspace and forgets its session.</summary>
        public static void CloseAll(Guid runspace)
        {
            var s = Sessions.Take(runspace);
            if (s == null) return;
            KeyManagerConnection[] all;
            lock (s) { all = s.ToArray(); s.Clear(); }
            foreach (var c in all) c.Close();
        }

        public static IReadOnlyList<KeyManagerConnection> All
        {
            get { var s = Current(); lock (s) return s.ToArray(); }
        }

        public static KeyManagerConnection? Default
        {
            get { var s = Current(); lock (s) return s.FirstOrDefault(c => c.IsDefault); }
        }

        /// <summary>Adds a connection and makes it the default; an older connection to the same endpoint is closed.</summary>
        public static void Add(KeyManagerConnection connection)
        {
            var s = Current();
            lock (s)
            {
                foreach (var old in s.Where(c => c.Endpoint == connection.Endpoint && c.Provider == connection.Provider).ToArray())
                {
                    old.Close();
                    s.Remove(old);
                }
                foreach (var c in s) c.IsDefault = false;
                connection.IsDefault = true;
                s.Add(connection);
            }
        }

        /// <summary>Removes and closes a connection; the most recent remaining one becomes the default.</summary>
        public static void Remove(KeyManagerConnection connection)
        {
            var s = Current();
            lock (s)
            {
                bool wasDefault = connection.IsDefault;
                s.Remove(connection);
                connection.Close();
                if (wasDefault && s.Count > 0) s[s.Count - 1].IsDefault = true;
            }
        }

        public static BackPakException NotConnected(string why) => new BackPakException(
            ErrorIds.KeyManagerNotConnected, BackPakErrorCategory.ResourceUnavailable, why, "key manager",
            "Connect one first: Connect-BPKeyManager -Endpoint host:5696 -Certificate <cert> -TrustedRootCertificate <root>, or Connect-BPKeyManager -Lab <folder> -Node '\\A'.",
            stopsInvocation: true);
    }
}
