using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using Xunit;

namespace BackPak.Kmip.Tests
{
    [CollectionDefinition(Name)]
    public sealed class PyKmipCollection : ICollectionFixture<PyKmipServerFixture>
    {
        public const string Name = "PyKMIP server";
    }

    /// <summary>
    /// Runs a real PyKMIP server (Debian package python3-pykmip, run by /usr/bin/python3) on 127.0.0.1 with a
    /// throwaway PKI, for the whole test collection. Missing PyKMIP is a failure, not a skip: the project's
    /// test setup installs it.
    /// </summary>
    public sealed class PyKmipServerFixture : IDisposable
    {
        private const string Python = "/usr/bin/python3";
        private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

        // The stdin watchdog ends the server (and its multiprocessing children) if this test process dies
        // without disposing the fixture: the pipe closes and the read returns. It reads the raw descriptor
        // because a thread blocked in sys.stdin holds a lock that forked multiprocessing children need.
        private const string Launcher = @"
import multiprocessing, os, sys, threading
from kmip.services.server import server

def watchdog():
    os.read(0, 1)
    for child in multiprocessing.active_children():
        child.terminate()
    os._exit(0)

threading.Thread(target=watchdog, daemon=True).start()
kmip_server = server.KmipServer(config_path=sys.argv[1], log_path=sys.argv[2])
with kmip_server:
    kmip_server.serve()
";

        private readonly Process _process;
        private readonly StringBuilder _output = new StringBuilder();
        private readonly string _logPath;

        public PyKmipServerFixture()
        {
            EnsurePyKmipInstalled();

            Directory = Path.Combine(Path.GetTempPath(), "backpak-kmip-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
            var policies = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "policies")).FullName;
            _logPath = Path.Combine(Directory, "server.log");

            Ca = new TestCertificateAuthority("BackPak Test KMIP CA");
            OtherCa = new TestCertificateAuthority("BackPak Untrusted CA");
            ClientCertificate = Ca.IssueClient("backpak-kmip-test-client");
            ClientCertificateWithoutClientAuth = Ca.IssueClient("backpak-kmip-server-usage-only", TestCertificateAuthority.ServerAuthOid);
            ClientCertificateFromOtherCa = OtherCa.IssueClient("backpak-kmip-stranger");
            using (var server = Ca.IssueServer("127.0.0.1", "127.0.0.1", "localhost"))
            {
                File.WriteAllText(Path.Combine(Directory, "server.crt"), server.ExportCertificatePem());
                File.WriteAllText(Path.Combine(Directory, "server.key"), TestCertificateAuthority.KeyPem(server));
            }
            File.WriteAllText(Path.Combine(Directory, "ca.crt"), Ca.Certificate.ExportCertificatePem());

            Port = FreePort();
            var config = Path.Combine(Directory, "server.conf");
            File.WriteAllText(config, string.Join("\n",
                "[server]",
                "hostname=127.0.0.1",
                $"port={Port}",
                $"certificate_path={Path.Combine(Directory, "server.crt")}",
                $"key_path={Path.Combine(Directory, "server.key")}",
                $"ca_path={Path.Combine(Directory, "ca.crt")}",
                "auth_suite=TLS1.2",
                $"policy_path={policies}",
                "enable_tls_client_auth=True",
                "logging_level=INFO",
                $"database_path={Path.Combine(Directory, "pykmip.db")}",
                ""));

            var start = new ProcessStartInfo(Python)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Directory,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Launcher);
            start.ArgumentList.Add(config);
            start.ArgumentList.Add(_logPath);
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();

            try
            {
                WaitUntilListening();
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public string Directory { get; }
        public int Port { get; }
        internal TestCertificateAuthority Ca { get; }
        internal TestCertificateAuthority OtherCa { get; }
        public X509Certificate2 ClientCertificate { get; }
        public X509Certificate2 ClientCertificateWithoutClientAuth { get; }
        public X509Certificate2 ClientCertificateFromOtherCa { get; }

        /// <summary>Options that connect successfully; tests change one thing to provoke a failure.</summary>
        public KmipClientOptions Options(Action<KmipClientOptions>? change = null)
        {
            var options = new KmipClientOptions
            {
                Host = "127.0.0.1",
                Port = Port,
                ClientCertificate = ClientCertificate,
                TrustedRootCertificate = Ca.PublicCertificate,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ReadTimeout = TimeSpan.FromSeconds(20),
                WriteTimeout = TimeSpan.FromSeconds(20),
            };
            change?.Invoke(options);
            return options;
        }

        public KmipClient Connect(Action<KmipClientOptions>? change = null) => KmipClient.Connect(Options(change));

        private static void EnsurePyKmipInstalled()
        {
            string detail;
            try
            {
                using var check = Process.Start(new ProcessStartInfo(Python, "-c \"import kmip.services.server.server\"")
                {
                    UseShellExecute = false,
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                })!;
                var stderr = check.StandardError.ReadToEndAsync();
                if (check.WaitForExit(30_000) && check.ExitCode == 0)
                    return;
                detail = stderr.Wait(1000) ? stderr.Result : "timed out";
            }
            catch (Exception ex)
            {
                detail = ex.Message;
            }
            throw new InvalidOperationException(
                $"PyKMIP is not available to {Python}; install it with 'apt-get install -y python3-pykmip'. Detail: {detail}");
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private void WaitUntilListening()
        {
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < StartupTimeout)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"The PyKMIP server exited with code {_process.ExitCode} during startup.\n{Diagnostics()}");
                try
                {
                    using var probe = new TcpClient();
                    if (probe.ConnectAsync(IPAddress.Loopback, Port).Wait(1000))
                        return;
                }
                catch (AggregateException)
                {
                    // not listening yet
                }
                Thread.Sleep(100);
            }
            throw new TimeoutException($"The PyKMIP server did not listen on 127.0.0.1:{Port} within {StartupTimeout.TotalSeconds} s.\n{Diagnostics()}");
        }

        public string Diagnostics()
        {
            string output;
            lock (_output)
                output = _output.ToString();
            var log = File.Exists(_logPath) ? File.ReadAllText(_logPath) : "(no log)";
            if (log.Length > 8000)
                log = "..." + log.Substring(log.Length - 8000);
            return $"--- server output ---\n{output}\n--- server log ---\n{log}";
        }

        private void Append(string? line)
        {
            if (line == null)
                return;
            lock (_output)
                _output.AppendLine(line);
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            _process.Dispose();
            ClientCertificate.Dispose();
            ClientCertificateWithoutClientAuth.Dispose();
            ClientCertificateFromOtherCa.Dispose();
            Ca.Dispose();
            OtherCa.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
