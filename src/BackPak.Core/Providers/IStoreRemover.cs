namespace BackPak.Core.Providers
{
    /// <summary>
    /// Removing empty volume groups and data stores. The order of a decommission (volumes, then groups, then the store)
    /// is Core's (<see cref="Removal.Decommission"/>); the provider refuses what is not empty, since only its store knows
    /// at the moment of the change.
    /// </summary>
    public interface IStoreRemover
    {
        /// <summary>Removes an empty volume group; refuses (VolumeGroupNotEmpty) while it has volumes.</summary>
        void RemoveVolumeGroup(string name, string user);

        /// <summary>Removes a data store that has no volumes and no volume groups left (DataStoreNotEmpty otherwise).</summary>
        void RemoveDataStore(string name, string user);
    }
}
