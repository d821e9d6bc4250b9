using System;
using System.IO;
using BackPak.Conformance;
using BackPak.Core.Providers;

namespace BackPak.Lab.Tests
{
    /// <summary>The lab passes the provider conformance suite, on a fresh lab per test.</summary>
    public sealed class LabConformanceTests : ProviderConformance
    {
        protected override IConformanceEstate Create() => new LabEstate();

        private sealed class LabEstate : IConformanceEstate
        {
            private readonly TempDir _dir = new TempDir();
            private readonly LabDomain _a, _b;

            public LabEstate()
            {
                var info = LabBuilder.Create(new LabOptions { Path = Path.Combine(_dir.Path, "lab"), VolumeCount = 60, Seed = 3, Encrypted = true });
                var lab = Lab.Open(info.Path);
                _a = lab.OpenDomain(@"\A");
                _b = lab.OpenDomain(@"\B");
            }

            public IDomainReader Primary => _a;
            public IDomainReader Secondary => _b;
            public string ReplicatedStore => "DS01";
            public string LocalStore => "DS02";
            public void MakeBusy(string label) => _a.StartBackup(null, label, "conformance");

            public void MakeIdle(string label)
            {
                var v = System.Linq.Enumerable.Single(_a.GetVolumes(new VolumeQuery { Labels = new[] { Core.Text.Labels.ParsePattern(label) } }));
                if (v.IsBackupRunning) _a.StopBackup(label, "conformance"); else _a.StopRestore(label, "conformance");
            }

            public void Dispose()
            {
                _a.Dispose();
                _b.Dispose();
                _dir.Dispose();
            }
        }
    }
}
