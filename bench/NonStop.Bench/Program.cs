using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Reports;
using BackPak.NonStop.Transport;

// Usage: NonStop.Bench <repo root> <work dir> [volumes]
// Prints one line of JSON: the medians of the raw transfer and of the parsed listing, the ratio, sizes and memory.
string root = args[0];
string work = Path.Combine(args[1], "nonstop");
int volumes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
if (Directory.Exists(work)) Directory.Delete(work, true);
Directory.CreateDirectory(work);

int port;
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
}
Run(Path.Combine(root, "tests/nonstop/start-server.sh"), work, port.ToString(CultureInfo.InvariantCulture), "\\A");
try
{
    string state = Path.Combine(work, "state");
    Run("/usr/bin/python3", Path.Combine(root, "tests/nonstop/nssim.py"), "admin", "--state", state, "seed", "--volumes", volumes.ToString(CultureInfo.InvariantCulture),
        "--volcat", "VC1", "--pool", "POOL1", "--filecat", "FC1", "--prefix", "A");
    var endpoint = new NodeEndpoint("\\A", "127.0.0.1", port, Environment.UserName, HostKeyTrust.KnownHostsFile(Path.Combine(work, "known_hosts")),
        timeouts: new NonStopTimeouts(TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(10)));
    using var session = NonStopSession.Open(endpoint, SshCredential.KeyFile(Path.Combine(work, "client_key")));
    var command = NonStopCommands.InfoTapeVolumes("*", "VC1", "POOL1");
    var context = new CommandContext("\\A", command);

    long bytes = session.DrainRaw(command); // renders the simulator's cached report once: both sides then read the same file
    double[] raw = new double[5], parsed = new double[5], linesOnly = new double[5];
    long count = 0, peakBuffered = 0;
    for (int i = 0; i < raw.Length; i++)
    {
        var w = Stopwatch.StartNew();
        long b = session.DrainRaw(command);
        raw[i] = w.Elapsed.TotalSeconds;
        if (b != bytes) throw new InvalidOperationException($"the report changed size: {b} vs {bytes}");

        w.Restart();
        long lineCount = 0;
        foreach (var _ in session.Run(command)) lineCount++;
        linesOnly[i] = w.Elapsed.TotalSeconds;

        GC.Collect();
        w.Restart();
        count = 0;
        foreach (var v in MediacomReports.TapeVolumes(session.Run(command), context, new ReportDiagnostics(), ReportStrictness.Strict))
        {
            ++count;
            if (v.Status != DsmTapeStatus.Assigned) throw new InvalidOperationException("unexpected status");
        }
        parsed[i] = w.Elapsed.TotalSeconds;
        peakBuffered = Math.Max(peakBuffered, session.LastOutcome!.PeakBufferedBytes);
        if (count != volumes) throw new InvalidOperationException($"parsed {count} volumes, expected {volumes}");
    }
    // Memory, in a pass of its own (forced collections would distort the timings): the live heap while the report
    // streams, which holds what SSH.NET has received and the parser has not read yet, plus one entry.
    long liveBase = GC.GetTotalMemory(true), livePeak = 0;
    count = 0;
    foreach (var v in MediacomReports.TapeVolumes(session.Run(command), context, new ReportDiagnostics(), ReportStrictness.Strict))
        if (++count % 5_000 == 0) livePeak = Math.Max(livePeak, GC.GetTotalMemory(true) - liveBase);

    double rawMedian = raw.OrderBy(x => x).ElementAt(raw.Length / 2);
    double parsedMedian = parsed.OrderBy(x => x).ElementAt(parsed.Length / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"volumes\":{count},\"bytes\":{bytes},\"raw\":{rawMedian:F4},\"parsed\":{parsedMedian:F4},\"lines\":{linesOnly.OrderBy(x => x).ElementAt(2):F4},\"ratio\":{parsedMedian / rawMedian:F3},\"liveHeapMB\":{livePeak / 1048576.0:F1},\"stalledBufferedMB\":{session.LastOutcome!.PeakBufferedBytes / 1048576.0:F1},\"bufferedMB\":{peakBuffered / 1048576.0:F1},\"sessionCommands\":{session.CommandsStarted}}}"));
}
finally
{
    Run(Path.Combine(root, "tests/nonstop/stop-server.sh"), work);
}

static void Run(string file, params string[] a)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (string x in a) psi.ArgumentList.Add(x);
    using var p = Process.Start(psi)!;
    string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {o}");
}
