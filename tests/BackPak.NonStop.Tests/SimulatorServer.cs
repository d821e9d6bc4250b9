using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Transport;
using Xunit;

namespace BackPak.NonStop.Tests
{
    /// <summary>
    /// A real OpenSSH server on 127.0.0.1 whose forced command is the NonStop simulator, started by
    /// tests/nonstop/start-server.sh for the tests of one collection and stopped after them.
    /// </summary>
    public sealed class SimulatorServer : IDisposable
    {
        public SimulatorServer() : this("\\A") { }

        /// <summary>A server for another node (the provider's conformance estate has two).</summary>
        internal SimulatorServer(string node)
        {
            Node = node;
            Root = FindRoot();
            Dir = Path.Combine(Path.GetTempPath(), "bp-nonstop-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Port = FreePort();
            var r = Shell(Path.Combine(Root, "tests/nonstop/start-server.sh"), Dir, Port.ToString(), node);
            if (r.Code != 0) throw new InvalidOperationException("start-server.sh failed: " + r.Output);
            User = Environment.UserName;
            Admin("init", "--node", node, "--known-node", node == "\\A" ? "\\B" : "\\A");
            Admin("seed", "--volumes", "25", "--volcat", "VC1", "--pool", "POOL1", "--filecat", "FC1", "--prefix", "AA", "--diskfiles", "2", "--tmf", "3", "--store", "DS01");
            Admin("seed", "--volumes", "5", "--volcat", "VC2", "--pool", "POOL2", "--filecat", "FC2", "--prefix", "SC", "--status", "SCRATCH", "--store", "DS02", "--access", "SECONDARY");
        }

        public string Node { get; }
        public string Root { get; }
        public string Dir { get; }
        public int Port { get; }
        public string User { get; }
        public string State => Path.Combine(Dir, "state");
        public string KnownHosts => Path.Combine(Dir, "known_hosts");
        public string ClientKey => Path.Combine(Dir, "client_key");
        public string CommandLog => Path.Combine(State, "commands.log");

        public NodeEndpoint Endpoint(HostKeyTrust? trust = null, CommandForm form = CommandForm.OssShell, NonStopTimeouts? timeouts = null) =>
            new NodeEndpoint("\\A", "127.0.0.1", Port, User, trust ?? HostKeyTrust.KnownHostsFile(KnownHosts), form, timeouts);

        public NonStopSession Open(HostKeyTrust? trust = null, CommandForm form = CommandForm.OssShell, NonStopTimeouts? timeouts = null) =>
            NonStopSession.Open(Endpoint(trust, form, timeouts), SshCredential.KeyFile(ClientKey));

        public string Admin(params string[] args)
        {
            var r = Shell("/usr/bin/python3", new[] { Path.Combine(Root, "tests/nonstop/nssim.py"), "admin", "--state", State }.Concat(args).ToArray());
            if (r.Code != 0) throw new InvalidOperationException("nssim admin " + string.Join(" ", args) + " failed: " + r.Output);
            return r.Output;
        }

        public string Dump() => Admin("dump");
        public void Fault(string name, string value, string match = "") => Admin("fault", "set", name, value, "--match", match);
        public void ClearFaults() => Admin("fault", "clear");
        public int CommandsReceived => File.Exists(CommandLog) ? File.ReadLines(CommandLog).Count(l => l.Contains("\"command\"")) : 0;
        public string SshdLog => File.ReadAllText(Path.Combine(Dir, "sshd.log"));

        public void Dispose()
        {
            Shell(Path.Combine(Root, "tests/nonstop/stop-server.sh"), Dir);
            try { Directory.Delete(Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        internal static string FindRoot()
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d != null && !File.Exists(Path.Combine(d.FullName, "BackPak.PowerShell.sln"))) d = d.Parent;
            return d?.FullName ?? throw new InvalidOperationException("The repository root (BackPak.PowerShell.sln) was not found above " + AppContext.BaseDirectory);
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int p = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return p;
        }

        internal static (int Code, string Output) Shell(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout + stderr);
        }
    }

    [CollectionDefinition("nonstop-server")]
    public sealed class SimulatorServerCollection : ICollectionFixture<SimulatorServer> { }
}
