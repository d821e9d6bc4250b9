using System;
using BackPak.Core.Providers;

namespace BackPak.Core.Model
{
    /// <summary>A connection to one BackPak domain: what Connect-BPDomain returns and -Domain takes.</summary>
    public sealed class DomainConnection
    {
        public DomainConnection(IDomainReader domain, DateTime connectedAt)
        {
            Domain = domain ?? throw new ArgumentNullException(nameof(domain));
            ConnectedAt = connectedAt;
        }

        public string Node => Domain.Node;
        public string DomainId => Domain.DomainId;
        public string Provider => Domain.Provider;
        public string Location => Domain.Location;
        /// <summary>Which domain this connection reaches: what piped objects are matched against.</summary>
        public DomainIdentity Identity => Domain.Identity;
        public DateTime ConnectedAt { get; }
        /// <summary>Whether cmdlets use this connection when -Domain is not given.</summary>
        public bool IsDefault { get; set; }
        public bool IsOpen { get; internal set; } = true;

        /// <summary>The provider behind the connection.</summary>
        public IDomainReader Domain { get; }

        /// <summary>Closes the provider; the connection cannot be used afterwards.</summary>
        public void Close()
        {
            if (!IsOpen) return;
            IsOpen = false;
            IsDefault = false;
            Domain.Dispose();
        }

        public override string ToString() => Identity.ToString();
    }
}
