using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace BackPak.Lab
{
    /// <summary>
    /// Fault injection of the simulator: kill this process at a named point, to prove that every procedure can be
    /// interrupted anywhere and completed by running it again. Set BACKPAK_LAB_CRASH_AT to "point" (the first time
    /// it is reached) or "point#n" (the n-th time). The kill is as abrupt as kill -9: no finally block runs.
    /// <para>
    /// BACKPAK_LAB_PAUSE_AT (same form) pauses this process at the point instead, alive, so a test can act while a
    /// procedure is half done: the process writes its pid to BACKPAK_LAB_PAUSE_DIR/paused and goes on once a file
    /// BACKPAK_LAB_PAUSE_DIR/go exists (or after two minutes).
    /// </para>
    /// </summary>
    internal static class LabFaults
    {
        public const string Variable = "BACKPAK_LAB_CRASH_AT";
        public const string PauseVariable = "BACKPAK_LAB_PAUSE_AT";
        public const string PauseDirVariable = "BACKPAK_LAB_PAUSE_DIR";
        private static readonly (string Point, int Hit)? Crash = Parse(Variable);
        private static readonly (string Point, int Hit)? Pause = Parse(PauseVariable);
        private static readonly Dictionary<string, int> Counts = new Dictionary<string, int>(StringComparer.Ordinal);

        private static (string, int)? Parse(string variable)
        {
            var spec = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(spec)) return null;
            var parts = spec!.Split('#');
            return (parts[0].Trim(), parts.Length > 1 && int.TryParse(parts[1], out var n) && n > 0 ? n : 1);
        }

        public static void CrashPoint(string name)
        {
            bool crash = Crash is { } c && string.Equals(c.Point, name, StringComparison.Ordinal);
            bool pause = Pause is { } p && string.Equals(p.Point, name, StringComparison.Ordinal);
            if (!crash && !pause) return;
            int count;
            lock (Counts) { Counts.TryGetValue(name, out count); Counts[name] = ++count; }
            if (crash && count == Crash!.Value.Hit) Process.GetCurrentProcess().Kill();
            if (pause && count == Pause!.Value.Hit) Wait();
        }

        /// <summary>
        /// BACKPAK_LAB_IO_FAULT_AT (same form, read at each call so a test can set it in a running process) makes
        /// the lab fail at a named point as a full disk does: an IOException "No space left on device". It proves
        /// that a write the disk refuses is reported as a BackPak error and loses nothing.
        /// </summary>
        public const string IoFaultVariable = "BACKPAK_LAB_IO_FAULT_AT";

        public static void IoPoint(string name)
        {
            var spec = Environment.GetEnvironmentVariable(IoFaultVariable);
            if (string.IsNullOrWhiteSpace(spec)) return;
            foreach (var point in spec!.Split(','))
                if (string.Equals(point.Trim(), name, StringComparison.Ordinal))
                    throw new System.IO.IOException("No space left on device (simulated at " + name + ")", unchecked((int)0x80070070));
        }

        private static void Wait()
        {
            string dir = Environment.GetEnvironmentVariable(PauseDirVariable) ?? System.IO.Path.GetTempPath();
            System.IO.Directory.CreateDirectory(dir);
            System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "paused"), Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!System.IO.File.Exists(System.IO.Path.Combine(dir, "go")) && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(10);
        }
    }
}
