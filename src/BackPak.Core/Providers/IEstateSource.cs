namespace BackPak.Core.Providers
{
    /// <summary>
    /// The other domains of a provider's estate (the nodes of one lab or site), opened the way this one was. How a
    /// stopped switch left a side that is not connected is read through it; without it, that side is reported as not
    /// connected.
    /// </summary>
    public interface IEstateSource
    {
        /// <summary>Opens the domain of another node of the estate; the caller disposes it.</summary>
        IDomainReader OpenNode(string node);
    }
}
