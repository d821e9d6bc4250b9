using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackPak.Core.Errors;
using BackPak.Core.Providers;
using BackPak.NonStop.Site;
using BackPak.NonStop.Transport;

namespace BackPak.NonStop.Provider
{
    /// <summary>
    /// The NonStop provider: Connect-BPDomain -Provider NonStop -Node \A -Parameters @{ SiteDescription = './site.psd1' }.
    /// It reads a real node over SSH (MEDIACOM and TMFCOM reports, docs/nonstop) and maps what it reads to data stores
    /// and volume groups with the operator's site description. It offers reading and a run journal kept on the operator's
    /// side: a change the module would make is refused by Core (CapabilityMissing) before anything is sent to the node, and a
    /// decommission runs guided (the operator's GUI steps, checked by reads).
    /// </summary>
    public sealed class NonStopProvider : IBackPakProvider
    {
        public const string ProviderName = "NonStop";

        public string Name => ProviderName;

        public string Description => "HPE NonStop nodes over SSH: DSM/TC and TMF catalogs read with MEDIACOM and TMFCOM, mapped by a site description; reads, and guides the decommission (GUI steps checked by reads).";

        public IReadOnlyList<ProviderParameter> Parameters { get; } = new[]
        {
            new ProviderParameter { Name = "SiteDescription", Mandatory = true, IsPath = true, Description = "the site description (.psd1) that New-BPSiteDescription starts" },
            new ProviderParameter { Name = "IdentityFile", IsPath = true, Description = "a private key file to sign in with, instead of the node's IdentityFile in the site description" },
            new ProviderParameter { Name = "RunJournal", IsPath = true, Description = "the folder the journals of guided runs are kept in (by default <site description>.runs beside it); both sides of a run must use the same" },
        };

        public Type DomainType => typeof(NonStopDomain);

        /// <summary>
        /// Reads and checks the site description, then opens the node's SSH session at once, so that an unknown or
        /// changed host key, a refused sign-in or an unreachable node fails here, at Connect-BPDomain, with its ErrorId.
        /// </summary>
        public IDomainReader Connect(ProviderConnectRequest request)
        {
            string path = Convert.ToString(request.Get("SiteDescription"), CultureInfo.InvariantCulture) ?? "";
            var site = SiteDescriptionLoader.Load(path);
            var node = site.Node(request.Node)
                ?? throw new BackPakException(ErrorIds.NodeNotFound, BackPakErrorCategory.ObjectNotFound,
                    $"The site description {path} describes no node '{request.Node}'. Its nodes are {string.Join(", ", site.Nodes.Select(n => n.Node))}.",
                    request.Node, "Give one of the described nodes, or add the node to the site description.", stopsInvocation: true);
            var tmfGroups = node.DataStores.SelectMany(d => d.VolumeGroups.Where(g => g.Catalog == SiteCatalogKind.Tmf).Select(g => d.StoreId + "/" + g.Name)).ToList();
            if (tmfGroups.Count > 1)
                // A node has one TMF catalog and its report does not say which volume group a tape belongs to.
                throw Psd1Reader.Invalid($"{tmfGroups.Count} volume groups of {node.Node} are linked to TMF ({string.Join(", ", tmfGroups)}), but the node's one TMF catalog cannot tell their volumes apart: link one volume group per node to TMF", 0, 0, path);

            var shared = node.DataStores.SelectMany(d => d.VolumeGroups.Where(g => g.Catalog == SiteCatalogKind.DsmTc).Select(g => (d.StoreId, g.Name, g.VolumeCatalog, g.Pool)))
                .GroupBy(g => NonStopDomain.Bare(g.VolumeCatalog!) + " " + g.Pool!.ToUpperInvariant()).FirstOrDefault(g => g.Count() > 1);
            if (shared != null)
                // A tape is told to belong to a volume group by its VOLCAT and POOL alone.
                throw Psd1Reader.Invalid($"the volume groups {string.Join(" and ", shared.Select(g => g.StoreId + "/" + g.Name))} of {node.Node} share VOLCAT and POOL {shared.Key}: their volumes cannot be told apart", 0, 0, path);

            string baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            var endpoint = node.ToEndpoint(baseDir);
            var credential = Credential(node, request, baseDir);
            var sessions = new NonStopSessions();
            try
            {
                sessions.Add(endpoint, credential);
                sessions.For(node.Node);
                return new NonStopDomain(site, node, sessions, $"{endpoint.Host}:{endpoint.Port}", RunJournalFolder(path, request));
            }
            catch
            {
                sessions.Dispose();
                throw;
            }
        }

        // The site's nodes hold no store the module may write, so runs are journaled on the operator's side: beside the
        // site description by default, so that whoever connects with the same description continues the same runs.
        private static string RunJournalFolder(string siteDescription, ProviderConnectRequest request)
        {
            string? given = Convert.ToString(request.Get("RunJournal"), CultureInfo.InvariantCulture);
            string full = Path.GetFullPath(siteDescription);
            return Path.GetFullPath(!string.IsNullOrEmpty(given) ? given! : Path.Combine(Path.GetDirectoryName(full) ?? ".", Path.GetFileNameWithoutExtension(full) + ".runs"));
        }

        // Key: the -Parameters IdentityFile, else the description's; -Credential's password is the key's passphrase.
        // Password: -Credential's password (never in the description). The SSH user is always the description's.
        private static SshCredential Credential(SiteNode node, ProviderConnectRequest request, string baseDir)
        {
            string? secret = request.Credential?.Password;
            if (secret != null && secret.Length == 0) secret = null;
            string? keyFile = Convert.ToString(request.Get("IdentityFile"), CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(keyFile)) return SshCredential.KeyFile(keyFile!, secret);
            if (node.Ssh.Authentication == SiteAuthentication.Key) return SshCredential.KeyFile(SitePaths.Resolve(node.Ssh.IdentityFile!, baseDir), secret);
            if (secret == null)
                throw new BackPakException(ErrorIds.NonStopAuthenticationFailed, BackPakErrorCategory.PermissionDenied,
                    $"The site description signs in to {node.Node} as {node.Ssh.User} with a password, and none was given. Nothing was sent.",
                    node.Node, "Give it with -Credential (Get-Credential), or sign in with a key (-Parameters @{ IdentityFile = '<key file>' }).", stopsInvocation: true);
            return SshCredential.Password(secret);
        }
    }
}
