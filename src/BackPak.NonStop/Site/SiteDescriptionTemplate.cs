using System.Collections.Generic;
using System.Text;
using BackPak.NonStop.Names;

namespace BackPak.NonStop.Site
{
    /// <summary>What the template is written for (all optional: the defaults describe a two-node site \A, \B).</summary>
    public sealed class SiteTemplateOptions
    {
        public IList<string> Nodes { get; } = new List<string> { "\\A", "\\B" };
        public IList<string> DataStores { get; } = new List<string> { "DS01" };
        public string SiteName { get; set; } = "PROD";
    }

    /// <summary>
    /// Writes a commented site description template, valid as written (every value is an example to change), so the
    /// operator starts from a file the module already accepts. The future New-BPSiteDescription cmdlet is a thin call
    /// to <see cref="Write"/>.
    /// </summary>
    public static class SiteDescriptionTemplate
    {
        public static string Write(SiteTemplateOptions? options = null)
        {
            var o = options ?? new SiteTemplateOptions();
            var nodes = new List<string>();
            foreach (string n in o.Nodes) nodes.Add(NonStopNames.Node(n));
            var stores = new List<string>();
            foreach (string s in o.DataStores) stores.Add(NonStopNames.StoreId(s));

            var w = new StringBuilder();
            w.AppendLine("<#");
            w.AppendLine("    BackPak site description: what the module cannot read from the nodes themselves.");
            w.AppendLine("    Written by New-BPSiteDescription. Change every example value; keys you do not need may be removed");
            w.AppendLine("    where they are marked optional. Quote NonStop names in single quotes ('$DATA1'): in double quotes");
            w.AppendLine("    PowerShell would read $DATA1 as a variable. A password never goes here: it is asked for when connecting.");
            w.AppendLine("    Reference: docs/nonstop/site-description.md.");
            w.AppendLine("#>");
            w.AppendLine("@{");
            w.AppendLine("    SchemaVersion = 1");
            w.AppendLine($"    Name = '{o.SiteName.Replace("'", "''")}'    # optional: a name for this site in messages");
            w.AppendLine();
            w.AppendLine("    Nodes = @(");
            for (int i = 0; i < nodes.Count; i++)
            {
                string node = nodes[i];
                string host = "nonstop-" + node.Substring(1).ToLowerInvariant() + ".example.com";
                w.AppendLine("        @{");
                w.AppendLine($"            Node = '{node}'                       # the Expand node name");
                w.AppendLine("            Ssh = @{");
                w.AppendLine($"                Host = '{host}'   # the node's NonStop SSH server ($SSH process)");
                w.AppendLine("                Port = 22                       # optional, 22 by default");
                w.AppendLine("                User = 'SUPER.OPER'             # MEDIACOM deletions need a super group user (DSM/TC p146)");
                w.AppendLine("                # The host key is always checked: give ONE of KnownHostsFile (OpenSSH format) and");
                w.AppendLine("                # HostKeySha256 = 'SHA256:...' (as ssh-keygen -lf prints it). Relative paths start at this file.");
                w.AppendLine("                KnownHostsFile = '~/.ssh/known_hosts'");
                w.AppendLine("                Authentication = 'Key'          # 'Key' or 'Password' (the password is asked for when connecting)");
                w.AppendLine("                IdentityFile = '~/.ssh/id_ed25519'   # the private key, for Authentication 'Key'");
                w.AppendLine("                CommandForm = 'OssShell'        # 'OssShell' (gtacl -c) or 'Tacl' when the SSH user is forced into TACL");
                w.AppendLine("                ConnectTimeoutSeconds = 15      # optional");
                w.AppendLine("                CommandTimeoutSeconds = 300     # optional: one command, to the end of its report");
                w.AppendLine("            }");
                w.AppendLine("            BackPakSubvolume = '$SYSTEM.BBOX'   # where BBSETUP and MACROS are (LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS)");
                w.AppendLine("            Tmf = $true                       # optional: $true when volume groups of this node use the TMF catalog");
                w.AppendLine("            KeyManagerId = 'ESKM1'            # optional: the BackPak id of the domain's Key Manager (same on both sides)");
                w.AppendLine("            DataStores = @(");
                foreach (string store in stores)
                {
                    string access = i == 0 ? "PRIMARY" : "SECONDARY";
                    string other = nodes.Count > 1 ? nodes[i == 0 ? 1 : 0] : node;
                    string suffix = store.Replace(' ', '_').Replace('-', '_').Replace('.', '_');
                    w.AppendLine("                @{");
                    w.AppendLine($"                    StoreId = '{store}'");
                    w.AppendLine($"                    DomainAccess = '{access}'       # PRIMARY, SECONDARY or RESTRICTED, as you expect it to be");
                    w.AppendLine("                    StoreType = 'WINDISK'           # optional: WINDISK (default) or TSM");
                    w.AppendLine($"                    StoragePaths = @('\\\\nas01\\backpak\\{suffix}')   # where LB<label>.IND/.DAT are, as this machine reaches them");
                    w.AppendLine($"                    StagingSubvolume = '{other}.$STAGE.{Part(suffix)}'   # optional: Catalog Sync staging subvolume");
                    w.AppendLine("                    VolumeGroups = @(");
                    w.AppendLine("                        @{");
                    w.AppendLine("                            Name = 'VG01'");
                    w.AppendLine("                            Catalog = 'DsmTc'       # DsmTc, Tmf or None");
                    w.AppendLine($"                            VolumeCatalog = 'VC_{suffix}'");
                    w.AppendLine($"                            Pool = 'POOL_{suffix}'");
                    w.AppendLine($"                            FileCatalog = 'FC_{suffix}'   # optional: where replicated TAPEFILE and DISKFILE entries go");
                    w.AppendLine("                        }");
                    w.AppendLine("                    )");
                    w.AppendLine("                }");
                }
                w.AppendLine("            )");
                w.AppendLine("        }");
            }
            w.AppendLine("    )");
            w.AppendLine("}");
            return w.ToString();
        }

        // A subvolume name: at most 8 letters or digits, starting with a letter.
        private static string Part(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s) if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) sb.Append(c);
            string p = sb.Length == 0 || !(sb[0] >= 'A' && sb[0] <= 'Z') ? "S" + sb : sb.ToString();
            return p.Length > 8 ? p.Substring(0, 8) : p;
        }
    }
}
