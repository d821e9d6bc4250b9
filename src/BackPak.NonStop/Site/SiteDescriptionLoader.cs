using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.NonStop.Commands;
using BackPak.NonStop.Names;
using BackPak.NonStop.Transport;

namespace BackPak.NonStop.Site
{
    /// <summary>
    /// Reads and validates a site description: every key is checked for its name (unknown keys are refused, so a
    /// typo never passes silently), type and NonStop name rule, and the whole for contradictions. The first
    /// problem stops with SiteDescriptionInvalid naming the key path and, from a file, the line.
    /// </summary>
    public static class SiteDescriptionLoader
    {
        /// <summary>Reads a .psd1 file.</summary>
        public static SiteDescription Load(string path)
        {
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new BackPakException(ErrorIds.SiteDescriptionNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"The site description {path} cannot be read: {e.Message}", target: path, stopsInvocation: true, inner: e,
                    recommendedAction: "Check the path; New-BPSiteDescription writes a commented template to start from.");
            }
            return FromValue(Psd1Reader.Parse(text, path), path);
        }

        /// <summary>Reads the text of a description (a file's content).</summary>
        public static SiteDescription Parse(string text, string? source = null) => FromValue(Psd1Reader.Parse(text, source), source);

        /// <summary>Validates a description handed over as a hashtable (e.g. by a cmdlet from Import-PowerShellDataFile).</summary>
        public static SiteDescription FromHashtable(System.Collections.IDictionary table) => FromValue(PsdValue.FromObject(table), null);

        private static SiteDescription FromValue(PsdValue root, string? file)
        {
            var top = new Obj(root, "", file);
            top.Expect("SchemaVersion", "Name", "Nodes");
            long version = top.Number("SchemaVersion", required: true, min: 1, max: 1000)!.Value;
            if (version != SiteDescription.CurrentSchemaVersion)
                throw top.Fail("SchemaVersion", $"schema version {version} is not known to this module (it reads version {SiteDescription.CurrentSchemaVersion})");
            string? name = top.String("Name", required: false);
            var nodes = new List<SiteNode>();
            var nodeNames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var n in top.List("Nodes", required: true, minItems: 1))
            {
                var node = ReadNode(n);
                if (nodeNames.TryGetValue(node.Node, out string? first))
                    throw n.Fail("Node", $"node {node.Node} is described twice (also at {first})");
                nodeNames[node.Node] = n.Path;
                nodes.Add(node);
            }
            top.Done();

            // A replicated store has one PRIMARY side: two would both write and export (CS p41, the switch swaps them).
            var primaries = nodes.SelectMany(n => n.DataStores.Where(d => d.DomainAccess == "PRIMARY").Select(d => (n.Node, d.StoreId)))
                .GroupBy(x => x.StoreId).FirstOrDefault(g => g.Count() > 1);
            if (primaries != null)
                throw Psd1Reader.Invalid($"data store {primaries.Key} is PRIMARY on {string.Join(" and ", primaries.Select(p => p.Node))}: a store has one PRIMARY side", 0, 0, file);
            return new SiteDescription(name, nodes, file);
        }

        private static SiteNode ReadNode(Obj n)
        {
            n.Expect("Node", "Ssh", "BackPakSubvolume", "Tmf", "KeyManagerId", "DataStores");
            string node = n.Name("Node", NonStopNames.Node)!;
            var ssh = ReadSsh(n.Table("Ssh", required: true)!);
            string sv = n.Name("BackPakSubvolume", NonStopNames.QualifiedSubvolume)!;
            bool tmf = n.Bool("Tmf", false);
            string? km = n.String("KeyManagerId", required: false);
            if (km != null && (km.Length == 0 || km.Length > 64 || km.Any(char.IsControl)))
                throw n.Fail("KeyManagerId", "a Key Manager id is 1 to 64 printable characters");
            var stores = new List<SiteDataStore>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in n.List("DataStores", required: false, minItems: 0))
            {
                var store = ReadStore(d, tmf);
                if (!ids.Add(store.StoreId)) throw d.Fail("StoreId", $"data store {store.StoreId} is described twice on {node}");
                stores.Add(store);
            }
            n.Done();
            return new SiteNode(node, ssh, sv, tmf, km, stores);
        }

        private static SiteSsh ReadSsh(Obj s)
        {
            if (!s.Has("Password"))
                s.Expect("Host", "Port", "User", "KnownHostsFile", "HostKeySha256", "Authentication", "IdentityFile", "CommandForm", "ConnectTimeoutSeconds", "CommandTimeoutSeconds");
            if (s.Has("Password")) throw s.Fail("Password", "a password never goes in the site description: set Authentication = 'Password' and give it when connecting");
            string host = s.String("Host", required: true)!;
            if (host.Length == 0 || host.Length > 255 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw s.Fail("Host", "a host name or address without spaces");
            int port = (int)s.Number("Port", required: false, min: 1, max: 65535, fallback: 22)!.Value;
            string user = s.String("User", required: true)!;
            if (user.Length == 0 || user.Length > 64 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw s.Fail("User", "a user name without spaces, such as SUPER.OPER");
            string? known = s.String("KnownHostsFile", required: false);
            string? pin = s.String("HostKeySha256", required: false);
            if ((known == null) == (pin == null))
                throw s.Fail(known == null ? "KnownHostsFile" : "HostKeySha256", "give exactly one of KnownHostsFile and HostKeySha256: the host key is always checked, against one trust");
            if (pin != null)
            {
                try { HostKeyTrust.PinnedSha256(pin); }
                catch (ArgumentException e) { throw s.Fail("HostKeySha256", e.Message); }
            }
            var auth = s.Enum("Authentication", SiteAuthentication.Key);
            string? identity = s.String("IdentityFile", required: false);
            if (auth == SiteAuthentication.Key && identity == null) throw s.Fail("IdentityFile", "Authentication 'Key' needs the private key file (IdentityFile)");
            if (auth == SiteAuthentication.Password && identity != null) throw s.Fail("IdentityFile", "Authentication 'Password' uses no key file: remove IdentityFile or use 'Key'");
            var form = s.Enum("CommandForm", CommandForm.OssShell);
            int connect = (int)s.Number("ConnectTimeoutSeconds", required: false, min: 1, max: 600, fallback: 15)!.Value;
            int command = (int)s.Number("CommandTimeoutSeconds", required: false, min: 1, max: 86400, fallback: 300)!.Value;
            s.Done();
            return new SiteSsh(host, port, user, known, pin, auth, identity, form, connect, command);
        }

        private static SiteDataStore ReadStore(Obj d, bool nodeHasTmf)
        {
            d.Expect("StoreId", "DomainAccess", "StoreType", "StoragePaths", "StagingSubvolume", "VolumeGroups");
            string id = d.Name("StoreId", NonStopNames.StoreId)!;
            string access = d.Choice("DomainAccess", new[] { "PRIMARY", "SECONDARY", "RESTRICTED" }, null)!;
            string type = d.Choice("StoreType", new[] { "WINDISK", "TSM" }, "WINDISK")!;
            var paths = new List<string>();
            foreach (var p in d.Strings("StoragePaths"))
            {
                if (p.Length == 0 || p.Any(char.IsControl)) throw d.Fail("StoragePaths", "a storage path is a share (\\\\server\\share\\folder) or a mounted folder");
                paths.Add(p);
            }
            if (type == "WINDISK" && paths.Count == 0) throw d.Fail("StoragePaths", "a WINDISK data store needs the storage paths where its LB<label>.IND/.DAT files are");
            string? staging = d.Name("StagingSubvolume", NonStopNames.QualifiedSubvolume, required: false);
            var groups = new List<SiteVolumeGroup>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var g in d.List("VolumeGroups", required: false, minItems: 0))
            {
                g.Expect("Name", "Catalog", "VolumeCatalog", "Pool", "FileCatalog");
                string name = g.Name("Name", Core.Text.Names.NormalizeVolumeGroup)!;
                if (!names.Add(name)) throw g.Fail("Name", $"volume group {name} is described twice in data store {id}");
                var kind = g.Enum("Catalog", (SiteCatalogKind?)null);
                string? vc = null, pool = null, fc = null;
                if (kind == SiteCatalogKind.DsmTc)
                {
                    vc = g.Name("VolumeCatalog", v => NonStopNames.Catalog(v, "volume catalog"))!;
                    pool = g.Name("Pool", NonStopNames.Pool)!;
                    fc = g.Name("FileCatalog", v => NonStopNames.Catalog(v, "file catalog"), required: false);
                }
                else
                {
                    foreach (string k in new[] { "VolumeCatalog", "Pool", "FileCatalog" })
                        if (g.Has(k)) throw g.Fail(k, $"a volume group with Catalog '{kind}' has no DSM/TC {k}");
                    if (kind == SiteCatalogKind.Tmf && !nodeHasTmf) throw g.Fail("Catalog", "the volume group is linked to TMF, but its node says Tmf = $false");
                }
                g.Done();
                groups.Add(new SiteVolumeGroup(name, kind!.Value, vc, pool, fc));
            }
            d.Done();
            return new SiteDataStore(id, access, type, paths, staging, groups);
        }

        /// <summary>One hashtable being read: typed getters that name the key path and line, and a check that no key is left unread.</summary>
        private sealed class Obj
        {
            private readonly PsdValue _v;
            private readonly string? _file;
            private readonly HashSet<string> _used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            public Obj(PsdValue v, string path, string? file)
            {
                _v = v;
                Path = path;
                _file = file;
            }

            public string Path { get; }

            public bool Has(string key) => Find(key) != null;

            public BackPakException Fail(string key, string message)
            {
                var e = Find(key);
                var where = e?.Value ?? _v;
                return Psd1Reader.Invalid($"{Join(key)}: {message}", e?.Key.Line ?? where.Line, e?.Key.Column ?? where.Column, _file);
            }

            public string? String(string key, bool required)
            {
                var v = Get(key, required);
                if (v == null) return null;
                if (v.Kind != PsdKind.String) throw Fail(key, $"a quoted string is expected, not {Describe(v)}");
                return v.Text;
            }

            public string? Name(string key, Func<string, string> rule, bool required = true)
            {
                string? s = String(key, required);
                if (s == null) return null;
                try { return rule(s); }
                catch (BackPakException e) { throw Fail(key, e.Message.Replace(" Nothing was sent to the node.", "")); }
            }

            public long? Number(string key, bool required, long min, long max, long? fallback = null)
            {
                var v = Get(key, required);
                if (v == null) return fallback;
                if (v.Kind != PsdKind.Number) throw Fail(key, $"a whole number is expected, not {Describe(v)}");
                if (v.Number < min || v.Number > max) throw Fail(key, $"{v.Number} is outside {min} to {max}");
                return v.Number;
            }

            public bool Bool(string key, bool fallback)
            {
                var v = Get(key, false);
                if (v == null) return fallback;
                if (v.Kind != PsdKind.Boolean) throw Fail(key, $"$true or $false is expected, not {Describe(v)}");
                return v.Boolean;
            }

            public string? Choice(string key, string[] choices, string? fallback)
            {
                string? s = String(key, fallback == null);
                if (s == null) return fallback;
                string up = s.ToUpperInvariant();
                if (Array.IndexOf(choices, up) < 0) throw Fail(key, $"'{s}' is not one of {string.Join(", ", choices)}");
                return up;
            }

            public T Enum<T>(string key, T fallback) where T : struct => Enum(key, (T?)fallback)!.Value;

            public T? Enum<T>(string key, T? fallback) where T : struct
            {
                string? s = String(key, fallback == null);
                if (s == null) return fallback;
                var names = System.Enum.GetNames(typeof(T));
                string? match = names.FirstOrDefault(n => string.Equals(n, s, StringComparison.OrdinalIgnoreCase));
                if (match == null) throw Fail(key, $"'{s}' is not one of {string.Join(", ", names)}");
                return (T)System.Enum.Parse(typeof(T), match);
            }

            public Obj? Table(string key, bool required)
            {
                var v = Get(key, required);
                if (v == null) return null;
                if (v.Kind != PsdKind.Hashtable) throw Fail(key, $"a hashtable @{{ ... }} is expected, not {Describe(v)}");
                return new Obj(v, Join(key), _file);
            }

            public IEnumerable<Obj> List(string key, bool required, int minItems)
            {
                var v = Get(key, required);
                if (v == null) yield break;
                var items = v.Kind == PsdKind.Array ? v.Items : v.Kind == PsdKind.Hashtable ? new[] { v } : null;
                if (items == null) throw Fail(key, $"a list @( @{{ ... }} ) is expected, not {Describe(v)}");
                if (items.Count < minItems) throw Fail(key, $"at least {minItems} entry is needed");
                for (int i = 0; i < items.Count; i++)
                {
                    if (items[i].Kind != PsdKind.Hashtable)
                        throw Psd1Reader.Invalid($"{Join(key)}[{i}]: a hashtable @{{ ... }} is expected, not {Describe(items[i])}", items[i].Line, items[i].Column, _file);
                    yield return new Obj(items[i], $"{Join(key)}[{i}]", _file);
                }
            }

            public IEnumerable<string> Strings(string key)
            {
                var v = Get(key, false);
                if (v == null) return Array.Empty<string>();
                var items = v.Kind == PsdKind.Array ? v.Items : new[] { v };
                foreach (var i in items)
                    if (i.Kind != PsdKind.String)
                        throw Psd1Reader.Invalid($"{Join(key)}: quoted strings are expected, not {Describe(i)}", i.Line, i.Column, _file);
                return items.Select(i => i.Text!).ToList();
            }

            /// <summary>Refuses, before anything else is read, a key that is not one of the section's: a typo is named as a typo.</summary>
            public void Expect(params string[] keys)
            {
                foreach (var e in _v.Entries)
                    if (!keys.Any(k => string.Equals(k, e.Key.Name, StringComparison.OrdinalIgnoreCase)))
                        throw Psd1Reader.Invalid($"{Join(e.Key.Name)}: '{e.Key.Name}' is not a key of this section (its keys are {string.Join(", ", keys)})", e.Key.Line, e.Key.Column, _file);
            }

            /// <summary>Refuses any key that no getter read: a misspelt key would otherwise be silently ignored.</summary>
            public void Done()
            {
                foreach (var e in _v.Entries)
                    if (!_used.Contains(e.Key.Name))
                        throw Psd1Reader.Invalid($"{Join(e.Key.Name)}: '{e.Key.Name}' is not a key of this section (check its spelling; New-BPSiteDescription shows every key)", e.Key.Line, e.Key.Column, _file);
            }

            private KeyValuePair<PsdKey, PsdValue>? Find(string key)
            {
                foreach (var e in _v.Entries) if (string.Equals(e.Key.Name, key, StringComparison.OrdinalIgnoreCase)) return e;
                return null;
            }

            private PsdValue? Get(string key, bool required)
            {
                _used.Add(key);
                var e = Find(key);
                if (e == null || e.Value.Value.Kind == PsdKind.Null)
                {
                    if (required) throw Psd1Reader.Invalid($"{Join(key)}: this key is required", _v.Line, _v.Column, _file);
                    return null;
                }
                return e.Value.Value;
            }

            private string Join(string key) => Path.Length == 0 ? key : Path + "." + key;

            private static string Describe(PsdValue v) => v.Kind switch
            {
                PsdKind.String => $"the string '{v.Text}'",
                PsdKind.Number => $"the number {v.Number}",
                PsdKind.Boolean => v.Boolean ? "$true" : "$false",
                PsdKind.Array => "a list",
                PsdKind.Hashtable => "a hashtable",
                _ => "$null",
            };
        }
    }
}
