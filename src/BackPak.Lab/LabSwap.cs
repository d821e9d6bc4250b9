using System;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// Puts a finished lab in place. The old lab is renamed aside before the new one moves in and deleted only
    /// after; if the process dies between the two renames, the next New-BPLab or Connect-BPDomain on that
    /// path puts the old lab back, so a lab is never lost to a crash.
    /// </summary>
    internal static class LabSwap
    {
        public static string BuildFolder(string full) => Sibling(full, "creating-" + Guid.NewGuid().ToString("N"));

        public static void MoveIntoPlace(string work, string full)
        {
            SqliteConnection.ClearAllPools(); // pooled handles would keep the old stores open
            string? aside = null;
            if (Directory.Exists(full))
            {
                if (Lab.IsLab(full))
                {
                    aside = Sibling(full, "replaced-" + Guid.NewGuid().ToString("N"));
                    Directory.Move(full, aside);
                }
                else Directory.Delete(full, false); // empty folder (checked before the build)
            }
            try
            {
                Directory.Move(work, full);
            }
            catch when (aside != null)
            {
                Directory.Move(aside, full); // the old lab goes back at once, not only at the next use
                throw;
            }
            if (aside != null) TryDelete(aside);
        }

        public static void RecoverInterrupted(string full)
        {
            string parent = Path.GetDirectoryName(full) ?? "";
            if (!Directory.Exists(parent)) return;
            var asides = Directory.GetDirectories(parent, "." + Path.GetFileName(full) + ".replaced-*")
                .Where(Lab.IsLab).OrderByDescending(Directory.GetLastWriteTimeUtc).ToArray();
            if (asides.Length == 0) return;
            if (!Directory.Exists(full)) Directory.Move(asides[0], full);
            else foreach (var a in asides) TryDelete(a);
        }

        public static void RemoveAbandonedBuilds(string full)
        {
            string parent = Path.GetDirectoryName(full) ?? "";
            foreach (var d in Directory.GetDirectories(parent, "." + Path.GetFileName(full) + ".creating-*")) TryDelete(d);
        }

        private static string Sibling(string full, string suffix) =>
            Path.Combine(Path.GetDirectoryName(full) ?? "", "." + Path.GetFileName(full) + "." + suffix);

        private static void TryDelete(string dir)
        {
            try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
