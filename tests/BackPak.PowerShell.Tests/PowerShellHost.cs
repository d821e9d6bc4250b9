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
            // The main module and the lab's nested module, as the manifest loads them.
            iss.ImportPSModule(new[] { typeof(GetBPVolumeCommand).Assembly.Location, typeof(NewBPLabCommand).Assembly.Location });
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

        /// <summary>How many objects a script writes.</summary>
        public int Count(string script) => Convert.ToInt32(Run("@(" + script + ").Count").Output.Single().BaseObject);

        /// <summary>
        /// Defines the filter Idle in the runspace: volumes a removal takes, those with no current operation (the lab
        /// leaves some volumes busy, R22).
        /// </summary>
        public PowerShellHost WithIdleFilter()
        {
            Run("filter global:Idle { if (-not $_.CurrentOperation) { $_ } }");
            return this;
        }

        public void Dispose() => _runspace.Dispose();
    }

    /// <summary>Labs of one test, for tests that change them and so cannot share a fixture; deleted with the test.</summary>
    public sealed class TestLabs : IDisposable
    {
        public TestLabs(string purpose)
        {
            Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backpak-" + purpose + "-" + Guid.NewGuid().ToString("N"));
        }

        public string Root { get; }

        public string Create(string name, int seed, int volumeCount = 100) =>
            LabBuilder.Create(new LabOptions { Path = System.IO.Path.Combine(Root, name), VolumeCount = volumeCount, Seed = seed }).Path;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
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
