using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace BackPak.NonStop.Transport
{
    /// <summary>What was decided about a host key offered by a node.</summary>
    public enum HostKeyVerdict
    {
        Trusted,
        Unknown,
        Mismatch,
    }

    /// <summary>
    /// How a node's host key is checked. There is no way to skip the check: a trust is either a known-hosts file
    /// (OpenSSH format) or a pinned SHA256 fingerprint, and anything else refuses the connection.
    /// </summary>
    public abstract class HostKeyTrust
    {
        private protected HostKeyTrust() { }

        /// <summary>A known-hosts file in OpenSSH format (plain and hashed host names, [host]:port, @revoked).</summary>
        public static HostKeyTrust KnownHostsFile(string path) => new KnownHostsTrust(path);

        /// <summary>A pinned fingerprint as <c>ssh-keygen -lf</c> prints it: <c>SHA256:</c> and unpadded base64.</summary>
        public static HostKeyTrust PinnedSha256(string fingerprint) => new PinnedTrust(fingerprint);

        /// <summary>Where the trust comes from, for messages ("the known-hosts file /x", "the pinned fingerprint").</summary>
        public abstract string Source { get; }

        /// <summary>Decides on a key: <paramref name="keyBlob"/> is the SSH wire encoding of the public key.</summary>
        public abstract HostKeyVerdict Check(string host, int port, byte[] keyBlob, out string expected);

        /// <summary>SHA256 fingerprint of a key blob, unpadded base64 (OpenSSH's format, without the prefix).</summary>
        public static string Sha256Fingerprint(byte[] keyBlob)
        {
            using (var sha = SHA256.Create())
                return Convert.ToBase64String(sha.ComputeHash(keyBlob)).TrimEnd('=');
        }

        /// <summary>The key type written at the start of a key blob (e.g. ssh-ed25519), or "" if the blob is malformed.</summary>
        public static string KeyType(byte[] blob)
        {
            if (blob.Length < 4) return "";
            int len = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
            if (len <= 0 || len > blob.Length - 4 || len > 64) return "";
            return Encoding.ASCII.GetString(blob, 4, len);
        }
    }

    internal sealed class PinnedTrust : HostKeyTrust
    {
        private readonly string _fingerprint;

        public PinnedTrust(string fingerprint)
        {
            string f = (fingerprint ?? "").Trim();
            if (!f.StartsWith("SHA256:", StringComparison.Ordinal))
                throw new ArgumentException("A pinned host key fingerprint starts with 'SHA256:' (as ssh-keygen -lf prints it).", nameof(fingerprint));
            f = f.Substring(7).TrimEnd('=');
            byte[] bytes;
            try { bytes = Convert.FromBase64String(f + new string('=', (4 - f.Length % 4) % 4)); }
            catch (FormatException) { throw new ArgumentException("The pinned fingerprint is not base64 after 'SHA256:'.", nameof(fingerprint)); }
            if (bytes.Length != 32) throw new ArgumentException("A SHA256 fingerprint holds 32 bytes (43 base64 characters).", nameof(fingerprint));
            _fingerprint = f;
        }

        public override string Source => "the pinned fingerprint";

        public override HostKeyVerdict Check(string host, int port, byte[] keyBlob, out string expected)
        {
            expected = "SHA256:" + _fingerprint;
            return string.Equals(Sha256Fingerprint(keyBlob), _fingerprint, StringComparison.Ordinal) ? HostKeyVerdict.Trusted : HostKeyVerdict.Mismatch;
        }
    }

    internal sealed class KnownHostsTrust : HostKeyTrust
    {
        private readonly string _path;

        public KnownHostsTrust(string path) { _path = path; }

        public override string Source => $"the known-hosts file {_path}";

        public override HostKeyVerdict Check(string host, int port, byte[] keyBlob, out string expected)
        {
            expected = "no key";
            if (!File.Exists(_path)) return HostKeyVerdict.Unknown;
            string name = port == 22 ? host : $"[{host}]:{port}";
            var listed = new List<string>();
            bool matched = false;
            foreach (string raw in File.ReadLines(_path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                string[] f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                int i = 0;
                string marker = "";
                if (f.Length > 0 && f[0].StartsWith("@", StringComparison.Ordinal)) marker = f[i++];
                if (f.Length < i + 3) continue;
                if (!HostsMatch(f[i], name)) continue;
                byte[] blob;
                try { blob = Convert.FromBase64String(f[i + 2]); }
                catch (FormatException) { continue; }
                bool same = blob.SequenceEqual(keyBlob);
                if (marker == "@revoked")
                {
                    // A revoked key is never trusted, whatever else the file says.
                    if (same) { expected = "a key other than this revoked one"; return HostKeyVerdict.Mismatch; }
                    continue;
                }
                if (marker.Length > 0) continue; // @cert-authority: host certificates are not used here.
                listed.Add($"{f[i + 1]} SHA256:{Sha256Fingerprint(blob)}");
                if (same) matched = true;
            }
            if (matched) return HostKeyVerdict.Trusted;
            if (listed.Count == 0) return HostKeyVerdict.Unknown;
            // The host is known with other keys (of this type or another): refuse, as when in doubt.
            expected = string.Join(" or ", listed);
            return HostKeyVerdict.Mismatch;
        }

        // One hosts field: comma-separated patterns (with * and ?, and !negations) or one hashed |1|salt|hash entry.
        internal static bool HostsMatch(string field, string name)
        {
            if (field.StartsWith("|1|", StringComparison.Ordinal))
            {
                string[] p = field.Split('|');
                if (p.Length != 4) return false;
                try
                {
                    byte[] salt = Convert.FromBase64String(p[2]);
                    using (var h = new HMACSHA1(salt))
                        return Convert.ToBase64String(h.ComputeHash(Encoding.ASCII.GetBytes(name))) == p[3];
                }
                catch (FormatException) { return false; }
            }
            bool any = false;
            foreach (string pattern in field.Split(','))
            {
                bool negated = pattern.StartsWith("!", StringComparison.Ordinal);
                string pat = negated ? pattern.Substring(1) : pattern;
                if (Glob(pat, name))
                {
                    if (negated) return false;
                    any = true;
                }
            }
            return any;
        }

        private static bool Glob(string pattern, string text)
        {
            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))) { p++; t++; }
                else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
                else if (star >= 0) { p = star + 1; t = ++mark; }
                else return false;
            }
            while (p < pattern.Length && pattern[p] == '*') p++;
            return p == pattern.Length;
        }
    }
}
