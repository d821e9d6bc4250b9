namespace BackPak.Core.Providers
{
    /// <summary>
    /// What the planned switch must know of a domain's site beyond its catalog and Catalog Sync: the DSM/TC search list,
    /// the staging space and the name a staging area on this node takes, and whether the import targets would take an
    /// import. The switch decides what these mean (RoleSwitch's checks); the provider only tells them.
    /// </summary>
    public interface ISwitchSite
    {
        /// <summary>The DSM/TC system search list the node belongs to (R2: primary and secondary must not share one).</summary>
        string? DsmTcSearchList { get; }

        /// <summary>
        /// The staging area a data store's exports go to when this node receives them (a Guardian subvolume of this node,
        /// in the site's own naming): the switch moves the staging area there, on the side that becomes SECONDARY.
        /// </summary>
        string StagingAreaFor(string dataStore);

        /// <summary>Free space where a staging area (a Guardian subvolume on one of the nodes) would live, or null if unknown.</summary>
        long? GetStagingFreeBytes(string stagingArea);

        /// <summary>Why an import into this store would be refused by its target catalogs (R6, R4), or null.</summary>
        Errors.BackPakException? CheckImportTargets(string dataStore);
    }
}
