namespace BackPak.Core.Procedures
{
    /// <summary>
    /// A replication facility outside BackPak that a switch reverses: storage replication of the volume images, or
    /// key-server replication of the encryption keys [CS p41]. A provider may offer one (the lab does), the operator may
    /// register one for a data store (<see cref="IRegisteredReplicationLink"/>, which then takes precedence), or there is
    /// none and the switch stops at that step and waits for the operator to confirm it by hand.
    /// </summary>
    public interface IReplicationLink
    {
        string Name { get; }
        /// <summary>STORAGE or KEYS.</summary>
        string Kind { get; }
        /// <summary>The site (or node) data flows from now.</summary>
        string Source { get; }
        string Target { get; }
        bool Healthy { get; }
        /// <summary>Whether everything written at the source so far has reached the target.</summary>
        bool CaughtUp { get; }
        /// <summary>Makes the target the source. Nothing moves; only the direction changes [CS p41].</summary>
        void Reverse();
    }

    /// <summary>
    /// A link the operator registered for a data store (the storage array's or key server's own tool), rather than one its
    /// provider offers: how a plan names it, and whether it can report its state at all. Its <see cref="IReplicationLink.Reverse"/>
    /// is told the direction wanted (from the side that becomes PRIMARY), so calling it again does no harm.
    /// </summary>
    public interface IRegisteredReplicationLink : IReplicationLink
    {
        /// <summary>How a plan and a check name it, e.g. "ArrayFailover (script registered for DS01)".</summary>
        string Description { get; }

        /// <summary>
        /// False when it cannot report its state (registered without a status command): the switch cannot check that it is
        /// healthy and caught up, so it stops for the operator to confirm that, as when there is no link at all; nor can it
        /// check the direction after a reversal. Healthy, CaughtUp, Source and Target are then not read.
        /// </summary>
        bool StateKnown { get; }
    }
}
