using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using BackPak.Core.Procedures;

namespace BackPak.Lab
{
    /// <summary>
    /// Who has a lab open: one small file per open domain under the lab's <c>holders/</c> folder, naming the process
    /// (host, pid, start time), made when the domain is opened and deleted when it is closed. New-BPLab -Force refuses
    /// to replace a lab that a live process other than this one holds, as the store locks refuse a live owner; a file
    /// left by a process that died counts for nothing and is deleted when it is seen.
    /// </summary>
    internal static class LabHolders
    {
        public static string Dir(string root) => Path.Combine(root, "holders");

        /// <summary>Records this process as a holder of the lab; returns the file to delete on close (null if it could not be written).</summary>
        public static string? Hold(string root)
        {
            try
            {
                var me = ProcessOwner.Current;
                string dir = Dir(root);
                Directory.CreateDirectory(dir);
                string file = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".holder");
                File.WriteAllText(file, me.Host + "\t" + me.Pid.ToString(CultureInfo.InvariantCulture) + "\t" + me.StartMs.ToString(CultureInfo.InvariantCulture));
                return file;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return null; } // a read-only lab is read, not replaced
        }

        public static void Release(string? file)
        {
            if (file == null) return;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        /// <summary>The live processes other than this one that hold the lab; files of dead holders are deleted.</summary>
        public static IReadOnlyList<ProcessOwner> Others(string root)
        {
            var others = new List<ProcessOwner>();
            string dir = Dir(root);
            if (!Directory.Exists(dir)) return others;
            foreach (var file in Directory.EnumerateFiles(dir, "*.holder"))
            {
                ProcessOwner? owner = null;
                try
                {
                    var f = File.ReadAllText(file).Split('\t');
                    if (f.Length == 3 && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                        && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
                        owner = new ProcessOwner(f[0], pid, start);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { continue; } // deleted meanwhile: closed
                if (owner != null && owner.IsAlive)
                {
                    if (!owner.IsCurrent && !others.Contains(owner)) others.Add(owner);
                }
                else Release(file);
            }
            return others;
        }
    }
}
