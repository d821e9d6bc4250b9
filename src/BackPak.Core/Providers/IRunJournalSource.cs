using BackPak.Core.Procedures;

namespace BackPak.Core.Providers
{
    /// <summary>
    /// Where the journals of procedure runs (switches, decommissions) of a domain's estate are kept: one store for both
    /// sides of a replicated data store, so a run started from one side is resumed or stopped from the other. Without it,
    /// no journaled procedure can run on the domain.
    /// </summary>
    public interface IRunJournalSource
    {
        IRunJournalStore RunJournal { get; }
    }
}
