using System;
using System.Diagnostics;
using System.Globalization;

namespace BackPak.Core.Procedures
{
    /// <summary>
    /// Who owns a run, a claim or a lock: host, process id and process start time. A pid alone is not enough (pids
    /// are reused), and a process on another host cannot be looked at, so an owner there counts as alive.
    /// </summary>
    public sealed class ProcessOwner : IEquatable<ProcessOwner>
    {
        public ProcessOwner(string host, int pid, long startMs)
        {
            Host = host;
            Pid = pid;
            StartMs = startMs;
        }

        public string Host { get; }
        public int Pid { get; }
        /// <summary>Process start time, UTC milliseconds since 1970.</summary>
        public long StartMs { get; }

        /// <summary>This process.</summary>
        public static ProcessOwner Current { get; } = Create();

        private static ProcessOwner Create()
        {
            using var p = Process.GetCurrentProcess();
            return new ProcessOwner(Environment.MachineName, p.Id, ToUnixMs(p.StartTime));
        }

        public bool IsCurrent => Equals(Current);

        /// <summary>
        /// Whether the owner may still be at work: this process, a process on this host with the same pid and start
        /// time, or any process on another host (it cannot be checked from here).
        /// </summary>
        public bool IsAlive
        {
            get
            {
                if (!string.Equals(Host, Current.Host, StringComparison.OrdinalIgnoreCase)) return true;
                if (IsCurrent) return true;
                try
                {
                    using var p = Process.GetProcessById(Pid);
                    if (p.HasExited) return false;
                    return Math.Abs(ToUnixMs(p.StartTime) - StartMs) < 1000; // else the pid was reused
                }
                catch (ArgumentException) { return false; }          // no such process
                catch (InvalidOperationException) { return false; }  // it exited
            }
        }

        /// <summary>"host pid started-at", for messages.</summary>
        public override string ToString() =>
            $"process {Pid} on {Host} (started {DateTimeOffset.FromUnixTimeMilliseconds(StartMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";

        public bool Equals(ProcessOwner? other) =>
            other != null && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) && Pid == other.Pid && Math.Abs(StartMs - other.StartMs) < 1000;

        public override bool Equals(object? obj) => obj is ProcessOwner o && Equals(o);
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Host) ^ Pid;

        private static long ToUnixMs(DateTime t) => (long)(t.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMilliseconds;
    }
}
