using System;
using System.IO;
using System.Runtime.InteropServices;

namespace BackPak.Lab
{
    /// <summary>Hard links where the platform has them, a copy otherwise.</summary>
    internal static class FileLinks
    {
        private static bool _unavailable;

        public static void LinkOrCopy(string existing, string link)
        {
            if (!_unavailable)
            {
                try
                {
                    bool ok = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                        ? CreateHardLink(link, existing, IntPtr.Zero)
                        : LinkUnix(existing, link) == 0;
                    if (ok) return;
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    _unavailable = true;
                }
            }
            File.Copy(existing, link);
        }

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int LinkUnix(string oldpath, string newpath);

        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern bool CreateHardLink(string lpFileName, string lpExistingFileName, IntPtr lpSecurityAttributes);
    }
}
