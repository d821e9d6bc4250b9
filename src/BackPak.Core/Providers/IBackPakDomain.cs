namespace BackPak.Core.Providers
{
    /// <summary>
    /// A full provider's domain: every domain capability together. Procedures that need them all (the planned switch, the
    /// journaled decommission) take this; a cmdlet starting one checks the connected provider with
    /// <see cref="Capabilities.RequireFull"/> first, which names every capability missing. A provider implements the
    /// capabilities its site allows; it need not implement this.
    /// </summary>
    public interface IBackPakDomain : IDomainReader, IVolumeRemover, IStoreRemover, ICatalogSync, IDataStoreSettings, ISwitchSite, IKeyFacts, IAuditSink
    {
        /// <summary>The one identity of the domain, which its reader and its audit sink both name.</summary>
        new Model.DomainIdentity Identity { get; }
    }
}
