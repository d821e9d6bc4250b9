using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace BackPak.Lab
{
    /// <summary>
    /// Fault injection of the simulator: kill this process at a named point, to prove that every procedure can be
    /// interrupted anywhere and completed by running it again. Set BACKPAK_LAB_CRASH_AT to "point" (the first time
    /// it is reached) or "point#n" (the n-th time). The kill is as abrupt as kill -9: no finally block runs.
    /// </summary>
    internal static class LabFaults
    {
        public const string Variable = "BACKPAK_LAB_CRASH_AT";
        private static readonly string? Point;
        private static readonly int Hit = 1;
        private static readonly Dictionary<string, int> Counts = new Dictionary<string, int>(StringComparer.Ordinal);

        static LabFaults()
        {
            var spec = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(spec)) return;
            var parts = spec!.Split('#');
            Point = parts[0].Trim();
            if (parts.Length > 1 && int.TryParse(parts[1], out var n) && n > 0) Hit = n;
        }

        public static void CrashPoint(string name)
        {
            if (Point == null || !string.Equals(Point, name, StringComparison.Ordinal)) return;
            int count;
            lock (Counts) { Counts.TryGetValue(name, out count); Counts[name] = ++count; }
            if (count == Hit) Process.GetCurrentProcess().Kill();
        }
    }
}
