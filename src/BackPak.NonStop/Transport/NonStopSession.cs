using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackPak.Core.Errors;
using BackPak.NonStop.Commands;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace BackPak.NonStop.Transport
{
    /// <summary>How a command ended, once its report was read to the end.</summary>
    public sealed class CommandOutcome
    {
        internal CommandOutcome(int exitStatus, string standardError, long lines, long bytes, TimeSpan elapsed, long peakBufferedBytes)
        {
            PeakBufferedBytes = peakBufferedBytes;
            ExitStatus = exitStatus;
            StandardError = standardError;
            Lines = lines;
            Bytes = bytes;
            Elapsed = elapsed;
        }

        public int ExitStatus { get; }

        /// <summary>The first 4 KiB the node wrote to standard error (usually nothing).</summary>
        public string StandardError { get; }
        public long Lines { get; }
        public long Bytes { get; }
        public TimeSpan Elapsed { get; }

        /// <summary>
        /// The most report bytes seen waiting in SSH.NET's receive buffer, unread (sampled every 4,096 lines): how far
        /// the node ran ahead of the parser. SSH.NET reopens its receive window as data arrives rather than as it is
        /// read, so a reader that stalls lets this grow toward the report's size (docs/nonstop/transport.md).
        /// </summary>
        public long PeakBufferedBytes { get; }
    }

    /// <summary>
    /// One SSH session to one node, reused for every command sent there. The host key is checked on every connect
    /// (<see cref="HostKeyTrust"/>); a command runs only from a template (<see cref="NonStopCommand"/>) and its report
    /// is streamed line by line as it arrives, so a long report is never held whole. A session that times out or is
    /// lost is closed and marked broken; <see cref="NonStopSessions"/> opens a new one for the next command.
    /// </summary>
    public sealed class NonStopSession : IDisposable
    {
        // Reports are ASCII; Latin-1 keeps every byte as one character, so nothing is lost or guessed in decoding.
        private static readonly Encoding Wire = Encoding.GetEncoding(28591);
        private const int StandardErrorLimit = 4096;

        private readonly SshClient _client;
        private volatile bool _broken;
        private volatile Exception? _sessionError;
        private int _commandsStarted;

        private NonStopSession(NodeEndpoint endpoint, SshClient client)
        {
            Endpoint = endpoint;
            _client = client;
            _client.ErrorOccurred += (s, e) => { _sessionError = e.Exception; _broken = true; };
        }

        public NodeEndpoint Endpoint { get; }
        public string Node => Endpoint.Node;

        /// <summary>False once the session was lost, timed out or was closed: it is never used again.</summary>
        public bool IsUsable => !_broken && _client.IsConnected;

        /// <summary>Commands started on this session (one session serves many).</summary>
        public int CommandsStarted => Volatile.Read(ref _commandsStarted);

        /// <summary>How the last command that was read to its end finished.</summary>
        public CommandOutcome? LastOutcome { get; private set; }

        /// <summary>
        /// Opens a session: TCP, key exchange with the host key checked, then authentication, all within the
        /// connect timeout (or the deadline, if it comes first). Nothing is sent before the key is trusted.
        /// </summary>
        public static NonStopSession Open(NodeEndpoint endpoint, SshCredential credential, DateTimeOffset? deadline = null)
        {
            TimeSpan limit = Limit(endpoint.Timeouts.Connect, deadline);
            if (limit <= TimeSpan.Zero) throw NonStopErrors.Unreachable(endpoint.Node, endpoint.Address, "the overall deadline has passed");

            AuthenticationMethod[] methods;
            try { methods = credential.Methods(endpoint.User); }
            catch (Exception e) when (e is IOException || e is SshException || e is ArgumentException || e is InvalidOperationException)
            {
                throw NonStopErrors.AuthenticationFailed(endpoint.Node, endpoint.User, $"{credential.Describe()} cannot be used: {e.Message}", e);
            }
            var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, methods)
            {
                Timeout = limit,
                ChannelCloseTimeout = TimeSpan.FromSeconds(2),
            };
            var client = new SshClient(info) { KeepAliveInterval = TimeSpan.FromSeconds(30) };

            HostKeyVerdict verdict = HostKeyVerdict.Unknown;
            string offered = "", keyType = "", expected = "";
            client.HostKeyReceived += (s, e) =>
            {
                byte[] blob = e.HostKey;
                keyType = HostKeyTrust.KeyType(blob);
                offered = HostKeyTrust.Sha256Fingerprint(blob);
                try { verdict = endpoint.HostKey.Check(endpoint.Host, endpoint.Port, blob, out expected); }
                catch (Exception) { verdict = HostKeyVerdict.Unknown; }
                e.CanTrust = verdict == HostKeyVerdict.Trusted;
            };

            try
            {
                client.Connect();
            }
            catch (Exception) when (verdict != HostKeyVerdict.Trusted && offered.Length > 0)
            {
                // The key exchange was stopped by our refusal of the key: say why, whatever SSH.NET called it.
                client.Dispose();
                if (verdict == HostKeyVerdict.Mismatch) throw NonStopErrors.HostKeyMismatch(endpoint.Node, endpoint.Address, keyType, offered, expected, endpoint.HostKey.Source);
                throw NonStopErrors.HostKeyUnknown(endpoint.Node, endpoint.Address, keyType, offered, endpoint.HostKey.Source);
            }
            catch (SshAuthenticationException e)
            {
                client.Dispose();
                throw NonStopErrors.AuthenticationFailed(endpoint.Node, endpoint.User, credential.Describe(), e);
            }
            catch (SshOperationTimeoutException e)
            {
                client.Dispose();
                throw NonStopErrors.Unreachable(endpoint.Node, endpoint.Address, $"no answer within {limit.TotalSeconds:0.#} s", e);
            }
            catch (Exception e) when (e is SocketException || e is SshConnectionException || e is SshException || e is IOException)
            {
                client.Dispose();
                throw NonStopErrors.Unreachable(endpoint.Node, endpoint.Address, e.Message, e);
            }
            return new NonStopSession(endpoint, client);
        }

        /// <summary>
        /// Runs one command and streams its standard output, one line at a time, as the node sends it. The command
        /// is sent when enumeration starts. The end of the stream is checked: a session lost on the way gives
        /// <see cref="ErrorIds.NonStopSessionDropped"/>, a command past its time limit
        /// <see cref="ErrorIds.NonStopCommandTimeout"/>; both close this session.
        /// </summary>
        public IEnumerable<string> Run(NonStopCommand command, DateTimeOffset? deadline = null)
        {
            if (command == null) throw new ArgumentNullException(nameof(command));
            return RunIterator(command, deadline);
        }

        private IEnumerable<string> RunIterator(NonStopCommand command, DateTimeOffset? deadline)
        {
            TimeSpan limit = Limit(Endpoint.Timeouts.Command, deadline);
            bool changes = command.Effect == CommandEffect.Change;
            if (limit <= TimeSpan.Zero) throw NonStopErrors.CommandTimeout(Node, command.TaclLine, TimeSpan.Zero, changes: false);
            // Several commands may run at once, each on its own channel of the one SSH connection: a provider merges
            // the reports of several catalogs in label order, and a pipeline reads catalog entries while volumes stream.
            if (!IsUsable) throw NonStopErrors.SessionDropped(Node, command.TaclLine, 0, changes: false);

            var started = DateTime.UtcNow;
            SshCommand? cmd = null;
            Task? execution = null;
            var timer = new CancellationTokenSource();
            int timedOut = 0;
            long lines = 0, bytes = 0, peakBuffered = 0;
            try
            {
                try
                {
                    cmd = _client.CreateCommand(command.ExecText(Endpoint.CommandForm), Wire);
                    cmd.CommandTimeout = Timeout.InfiniteTimeSpan;
                    execution = cmd.ExecuteAsync(timer.Token);
                    Interlocked.Increment(ref _commandsStarted);
                }
                catch (Exception e) when (e is SshException || e is ObjectDisposedException || e is InvalidOperationException || e is SocketException)
                {
                    _broken = true;
                    throw NonStopErrors.SessionDropped(Node, command.TaclLine, 0, changes: false);
                }

                // The time limit covers the whole command. Past it: cancel, then close the session so that a read
                // blocked on a silent node returns at once.
                timer.Token.Register(() =>
                {
                    Interlocked.Exchange(ref timedOut, 1);
                    _broken = true;
                    try { _client.Dispose(); } catch (Exception) { }
                });
                timer.CancelAfter(limit);
                // The limit is the node's time, not the reader's: once the node has sent the whole report and its exit
                // status, the report waits in SSH.NET's buffer and a caller that reads slowly (a comparison reading
                // each volume's entries while the volume list is open, a pipeline doing work per volume) is not a
                // silent node. Stopping the clock there keeps a long pipeline from being cut at the limit.
                execution.ContinueWith(_ =>
                {
                    try { timer.CancelAfter(Timeout.InfiniteTimeSpan); } catch (ObjectDisposedException) { }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

                var reader = new StreamReader(cmd.OutputStream, Wire, false, 1 << 16);
                while (true)
                {
                    string? line;
                    try { line = reader.ReadLine(); }
                    catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is SshException)
                    {
                        line = null;
                        _broken = true;
                    }
                    if (line == null) break;
                    lines++;
                    if ((lines & 4095) == 0) peakBuffered = Math.Max(peakBuffered, Buffered(cmd.OutputStream));
                    bytes += line.Length + 1;
                    yield return line;
                }

                if (Volatile.Read(ref timedOut) == 1) throw NonStopErrors.CommandTimeout(Node, command.TaclLine, limit, changes);
                bool finished;
                try { finished = execution.Wait(TimeSpan.FromSeconds(10)); }
                catch (AggregateException) { finished = true; }
                if (Volatile.Read(ref timedOut) == 1) throw NonStopErrors.CommandTimeout(Node, command.TaclLine, limit, changes);
                if (!finished || execution.IsFaulted || execution.IsCanceled || _sessionError != null || !_client.IsConnected || cmd.ExitStatus == null)
                {
                    _broken = true;
                    throw NonStopErrors.SessionDropped(Node, command.TaclLine, (int)Math.Min(lines, int.MaxValue), changes);
                }
                LastOutcome = new CommandOutcome(cmd.ExitStatus.Value, ReadError(cmd), lines, bytes, DateTime.UtcNow - started, peakBuffered);
            }
            finally
            {
                timer.Dispose();
                try { cmd?.Dispose(); } catch (Exception) { }
                if (_broken) { try { _client.Dispose(); } catch (Exception) { } }
            }
        }

        /// <summary>
        /// The baseline of the NonStop benchmark: the same command over the same session, its output read as raw
        /// bytes and thrown away (no decoding, no lines, no parsing). Returns the byte count.
        /// </summary>
        internal long DrainRaw(NonStopCommand command)
        {
            if (!IsUsable) throw new InvalidOperationException("The session is lost.");
            {
                using (var cmd = _client.CreateCommand(command.ExecText(Endpoint.CommandForm), Wire))
                {
                    var run = cmd.ExecuteAsync();
                    var buffer = new byte[1 << 16];
                    long total = 0;
                    int n;
                    while ((n = cmd.OutputStream.Read(buffer, 0, buffer.Length)) > 0) total += n;
                    run.Wait();
                    Interlocked.Increment(ref _commandsStarted);
                    return total;
                }
            }
        }

        private static long Buffered(Stream s)
        {
            try { return s.Length; }
            catch (NotSupportedException) { return -1; }
            catch (ObjectDisposedException) { return 0; }
        }

        private static string ReadError(SshCommand cmd)
        {
            try
            {
                var sb = new StringBuilder();
                var buffer = new char[1024];
                using (var r = new StreamReader(cmd.ExtendedOutputStream, Wire))
                {
                    int n;
                    while (sb.Length < StandardErrorLimit && (n = r.Read(buffer, 0, buffer.Length)) > 0) sb.Append(buffer, 0, n);
                }
                return sb.Length > StandardErrorLimit ? sb.ToString(0, StandardErrorLimit) : sb.ToString();
            }
            catch (Exception) { return ""; }
        }

        private static TimeSpan Limit(TimeSpan configured, DateTimeOffset? deadline)
        {
            if (deadline == null) return configured;
            TimeSpan left = deadline.Value - DateTimeOffset.UtcNow;
            return left < configured ? left : configured;
        }

        public void Dispose()
        {
            _broken = true;
            try { _client.Dispose(); } catch (Exception) { }
        }
    }
}
