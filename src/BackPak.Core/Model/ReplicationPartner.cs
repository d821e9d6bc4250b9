namespace BackPak.Core.Model
{
    /// <summary>
    /// The other side of a replicated data store, as the domain holding one side knows it: a PRIMARY store's SECONDARY
    /// copy on another node, or a SECONDARY store's PRIMARY [CS p6].
    /// </summary>
    public sealed class ReplicationPartner
    {
        /// <summary>The data store on this side.</summary>
        public string DataStore { get; init; } = "";
        /// <summary>The node of this side.</summary>
        public string Node { get; init; } = "";
        /// <summary>This side's domain access.</summary>
        public DomainAccess DomainAccess { get; init; }
        /// <summary>The node whose domain holds the other side.</summary>
        public string PartnerNode { get; init; } = "";
        /// <summary>The other side's Store ID (the same name in the lab, Q1).</summary>
        public string PartnerDataStore { get; init; } = "";

        public override string ToString() => DataStore + " " + Node + " <-> " + PartnerNode;
    }
}
