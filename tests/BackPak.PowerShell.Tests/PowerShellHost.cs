using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BackPak.Lab;
using BackPak.PowerShell.Cmdlets;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>A runspace with the module's cmdlets imported, and helpers to run script in it.</summary>
    public sealed class PowerShellHost : IDisposable
    {
        private readonly Runspace _runspace;

        public PowerShellHost()
        {
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { typeof(GetBPVolumeCommand).Assembly.Location });
            _runspace = RunspaceFactory.CreateRunspace(iss);
            _runspace.Open();
        }

        /// <summary>Runs a script; returns its output and the errors it wrote. Terminating errors throw.</summary>
        public (Collection<PSObject> Output, List<ErrorRecord> Errors) Run(string script, IDictionary<string, object>? variables = null)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            foreach (var kv in variables ?? new Dictionary<string, object>()) _runspace.SessionStateProxy.SetVariable(kv.Key, kv.Value);
            ps.AddScript(script);
            var output = ps.Invoke();
            return (output, ps.Streams.Error.ToList());
        }

        /// <summary>
        /// Runs a script that must stop with a terminating error and returns its ErrorRecord. Only a terminating
        /// error reaches the catch block; a non-terminating one goes to the error stream and fails the assertion.
        /// </summary>
        public ErrorRecord Terminating(string script)
        {
            var (o, e) = Run("try { " + script + " } catch { ,$_ }");
            var record = o.Select(x => x.BaseObject).OfType<ErrorRecord>().SingleOrDefault();
            Assert.True(record != null, "no terminating error; non-terminating: " + string.Join("; ", e.Select(r => r.FullyQualifiedErrorId)));
            return record!;
        }

        public void Dispose() => _runspace.Dispose();
    }

    /// <summary>One lab for a test class.</summary>
    public sealed class SmallLab : IDisposable
    {
        public SmallLab()
        {
            Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backpak-pstests-" + Guid.NewGuid().ToString("N"));
            Info = LabBuilder.Create(new LabOptions { Path = System.IO.Path.Combine(Root, "lab"), VolumeCount = 100, Seed = 3, Encrypted = true });
        }

        public string Root { get; }
        public LabInfo Info { get; }
        public string Path => Info.Path;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }
}
