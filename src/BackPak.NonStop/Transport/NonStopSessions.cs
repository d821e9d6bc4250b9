using System;
using System.Collections.Generic;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Names;

namespace BackPak.NonStop.Transport
{
    /// <summary>
    /// The sessions of a site: one per node, opened on first use and reused for every later command. A session that
    /// was lost or timed out is replaced by a new one on the next command; the command that failed is never sent
    /// again by this class (after a change, the caller must first read what happened).
    /// </summary>
    public sealed class NonStopSessions : IDisposable
    {
        private readonly Dictionary<string, (NodeEndpoint Endpoint, SshCredential Credential)> _nodes =
            new Dictionary<string, (NodeEndpoint, SshCredential)>(StringComparer.Ordinal);
        private readonly Dictionary<string, NonStopSession> _open = new Dictionary<string, NonStopSession>(StringComparer.Ordinal);
        private readonly object _gate = new object();

        /// <summary>Sessions opened so far (a measure of reuse: stays at one per node while nothing fails).</summary>
        public int SessionsOpened { get; private set; }

        public void Add(NodeEndpoint endpoint, SshCredential credential)
        {
            lock (_gate) _nodes[endpoint.Node] = (endpoint, credential ?? throw new ArgumentNullException(nameof(credential)));
        }

        /// <summary>The open session of a node, opening (or reopening) it if needed.</summary>
        public NonStopSession For(string node, DateTimeOffset? deadline = null)
        {
            string n = NonStopNames.Node(node);
            lock (_gate)
            {
                if (!_nodes.TryGetValue(n, out var target))
                    throw new ArgumentException($"No SSH endpoint is described for node {n}.", nameof(node));
                if (_open.TryGetValue(n, out var s))
                {
                    if (s.IsUsable) return s;
                    s.Dispose();
                    _open.Remove(n);
                }
                var opened = NonStopSession.Open(target.Endpoint, target.Credential, deadline);
                SessionsOpened++;
                _open[n] = opened;
                return opened;
            }
        }

        /// <summary>Runs a command on a node's session and streams its report.</summary>
        public IEnumerable<string> Run(string node, NonStopCommand command, DateTimeOffset? deadline = null) =>
            For(node, deadline).Run(command, deadline);

        public void Dispose()
        {
            lock (_gate)
            {
                foreach (var s in _open.Values) s.Dispose();
                _open.Clear();
            }
        }
    }
}
