using System;
using System.IO;
using BackPak.Lab;
using Xunit;

namespace BackPak.Lab.Tests
{
    /// <summary>Small labs built once for the read-only tests of a class.</summary>
    public sealed class LabFixture : IDisposable
    {
        public const int Count = 400;

        public LabFixture()
        {
            Root = Path.Combine(Path.GetTempPath(), "backpak-labtests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
            Encrypted = LabBuilder.Create(new LabOptions { Path = Path.Combine(Root, "enc"), VolumeCount = Count, Seed = 7, Encrypted = true });
            Twin = LabBuilder.Create(new LabOptions { Path = Path.Combine(Root, "twin"), VolumeCount = Count, Seed = 7, Encrypted = true });
            Other = LabBuilder.Create(new LabOptions { Path = Path.Combine(Root, "other"), VolumeCount = Count, Seed = 8 });
        }

        public string Root { get; }
        public LabInfo Encrypted { get; }
        public LabInfo Twin { get; }
        public LabInfo Other { get; }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }

    /// <summary>A temporary folder per test, for tests that create or break labs.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backpak-labtest-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>A copy of the lab at <paramref name="lab"/> in this folder under <paramref name="name"/>, opened: one test's own lab of a shared base.</summary>
        public Lab CopyLab(string lab, string name)
        {
            string dest = System.IO.Path.Combine(Path, name);
            CopyDir(lab, dest);
            return Lab.Open(dest);
        }

        private static void CopyDir(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, System.IO.Path.Combine(to, System.IO.Path.GetFileName(f)));
            foreach (var d in Directory.GetDirectories(from)) CopyDir(d, System.IO.Path.Combine(to, System.IO.Path.GetFileName(d)));
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(Path, true); } catch (IOException) { }
        }
    }
}
