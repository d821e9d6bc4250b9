using BackPak.Core.Procedures;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Catalog transport without Expand (manual Appendix A, CS p44): the exports of a PRIMARY store go to an
    /// intermediate staging area, whose files travel to the secondary on one reserved, uncatalogued tape volume that is
    /// moved or replicated as the other volumes are. The provider reads the facts and carries out each step;
    /// <see cref="CatalogTransport"/> decides whether a step may run. Optional, on the domain.
    /// </summary>
    public interface ICatalogTransport
    {
        /// <summary>
        /// The transport volume registered for the store at this node, what was last written to it (PRIMARY) or restored
        /// from it (SECONDARY), what its image in this node's storage holds, and what the store's staging area holds;
        /// null when none is registered here.
        /// </summary>
        TransportFacts? GetTransport(string dataStore);

        /// <summary>
        /// What the store's staging area holds now (its FULL export's sequence and the last sequence of any file),
        /// for a store with no transport volume registered yet as for one with.
        /// </summary>
        StagingContents ReadStagingArea(string dataStore);

        /// <summary>
        /// PRIMARY side: creates the volume with the reserved label in the volume group (linked to no catalog), and
        /// records it as the store's transport volume: it is never exported, so the secondary does not learn it from
        /// an import. Core has checked the store, the group and the label.
        /// </summary>
        void CreateTransportVolume(string dataStore, string label, string volumeGroup, string user);

        /// <summary>
        /// SECONDARY side, once: changes the store to RESTRICTED, creates the volume in the volume group, changes the
        /// store back to SECONDARY (CS p44), and records it. Recorded before the first change, so that a second call after
        /// a crash finishes what the first began. Core has checked the store, the group and the label.
        /// </summary>
        void RegisterTransportVolume(string dataStore, string label, string volumeGroup, string user);

        /// <summary>
        /// PRIMARY side: one backup execution on the transport volume of the files of the store's staging area (the
        /// intermediate one): all of them, or with <paramref name="partial"/> only those of the exports after its FULL
        /// export. Writes the volume's image as any backup does (its replication carries it); returns what it holds.
        /// </summary>
        TransportImage BackUpStagingArea(string dataStore, bool partial, string user);

        /// <summary>
        /// SECONDARY side: restores every file of the transport volume's image in this node's storage into the store's
        /// staging area, overwriting the files there. Until it has written the last one, an import of the store is refused
        /// (a half-restored set of export files would be imported as if it were whole).
        /// </summary>
        TransportImage RestoreStagingArea(string dataStore, string user);
    }
}
