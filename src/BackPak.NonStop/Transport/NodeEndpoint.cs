using System;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Names;

namespace BackPak.NonStop.Transport
{
    /// <summary>Time limits of a node's commands. An overall deadline, when a caller gives one, shortens them all.</summary>
    public sealed class NonStopTimeouts
    {
        public static readonly NonStopTimeouts Default = new NonStopTimeouts(TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5));

        public NonStopTimeouts(TimeSpan connect, TimeSpan command)
        {
            if (connect <= TimeSpan.Zero || command <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(connect), "Timeouts must be positive.");
            Connect = connect;
            Command = command;
        }

        /// <summary>TCP connection, key exchange and authentication together.</summary>
        public TimeSpan Connect { get; }

        /// <summary>One command from its exec request to the end of its report.</summary>
        public TimeSpan Command { get; }
    }

    /// <summary>Where and how to reach one node's SSH server (what the site description holds for it).</summary>
    public sealed class NodeEndpoint
    {
        public NodeEndpoint(string node, string host, int port, string user, HostKeyTrust hostKey,
            CommandForm commandForm = CommandForm.OssShell, NonStopTimeouts? timeouts = null)
        {
            Node = NonStopNames.Node(node);
            if (string.IsNullOrWhiteSpace(host)) throw new ArgumentException("The SSH host is empty.", nameof(host));
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), "An SSH port is 1 to 65535.");
            if (string.IsNullOrWhiteSpace(user)) throw new ArgumentException("The SSH user is empty.", nameof(user));
            Host = host;
            Port = port;
            User = user;
            HostKey = hostKey ?? throw new ArgumentNullException(nameof(hostKey), "A node's host key is always checked: give a known-hosts file or a pinned fingerprint.");
            CommandForm = commandForm;
            Timeouts = timeouts ?? NonStopTimeouts.Default;
        }

        public string Node { get; }
        public string Host { get; }
        public int Port { get; }

        /// <summary>The SSH user, e.g. SUPER.OPER (the Guardian user the NonStop SSH server maps it to).</summary>
        public string User { get; }
        public HostKeyTrust HostKey { get; }
        public CommandForm CommandForm { get; }
        public NonStopTimeouts Timeouts { get; }

        public string Address => Port == 22 ? Host : $"{Host}:{Port}";
    }
}
