namespace BackPak.Core.Procedures
{
    /// <summary>
    /// A replication facility outside BackPak that a switch reverses: storage replication of the volume images, or
    /// key-server replication of the encryption keys [CS p41]. The lab implements it; at a real site the operator
    /// supplies one, or the switch stops at that step and waits for the operator to confirm it by hand.
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
}
