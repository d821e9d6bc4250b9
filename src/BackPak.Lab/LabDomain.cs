using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using BackPak.Core.Errors;
using BackPak.Core.Model;
using BackPak.Core.Procedures;
using BackPak.Core.Providers;
using BackPak.Core.Text;
using Microsoft.Data.Sqlite;

namespace BackPak.Lab
{
    /// <summary>
    /// The BackPak domain of one lab node, behind the provider contracts: the lab is a full provider (every domain
    /// capability), with the estate's run journal and replication links. This file holds the domain's identity, its
    /// opening and closing and the guards every part uses; the other parts are one concern each: Reads, Removal,
    /// Decommission, Export, Import (and ImportIntent), Sync (what both share), Keys, Simulation and Faults.
    /// </summary>
    public sealed partial class LabDomain : IBackPakDomain, IRunJournalSource, IReplicationLinkSource, IEstateSource, IDomainWarnings
    {
        private readonly Lab _lab;
        private readonly string _backPakDb;
        private readonly string _dsmTcDb;
        private readonly string _tmfDb;

        internal LabDomain(Lab lab, string node)
        {
            _lab = lab;
            Node = node;
            _backPakDb = LabLayout.BackPakDb(lab.Root, node);
            _dsmTcDb = LabLayout.DsmTcDb(lab.Root, node);
            _tmfDb = LabLayout.TmfDb(lab.Root, node);
            Identity = new DomainIdentity(Provider, lab.Root, node);
            DomainId = Guard(() =>
            {
                using var c = OpenBackPak();
                LabSchema.UpgradeAudit(c);
                return (string)LabDb.Scalar(c, "SELECT domain_id FROM domain")!;
            }, stopsInvocation: true);
            _holder = LabHolders.Hold(lab.Root);
            // An import killed between its two commits is finished before anything reads the domain; what cannot be
            // finished is reported (OpenWarnings), and the domain opens all the same.
            try { Guard(() => { FinishInterruptedImports(); return true; }); }
            catch (BackPakException e)
            {
                _openWarnings.Add($"Interrupted imports could not be looked for on opening the domain of {Node}: {e.Message} " +
                                  "Until they are, a removal may be refused (ImportUnfinished). " + (e.RecommendedAction ?? "Connect again once the cause is fixed."));
            }
        }

        public string Node { get; }
        public string DomainId { get; }
        public string Provider => "Lab";
        public string Location => _lab.Root;
        public DateTime Now => _lab.Now;
        /// <summary>One instance for the domain: stamped on every object read, a reference, not an allocation per object.</summary>
        public DomainIdentity Identity { get; }

        /// <summary>The lab this domain belongs to (for the simulator's faults).</summary>
        public Lab Lab => _lab;

        /// <summary>The lab's journals of procedure runs: one folder for the estate, so both sides of a switch share it.</summary>
        public IRunJournalStore RunJournal => _lab.RunJournal;

        public IReplicationLink? ReplicationLink(string kind, string? dataStore) => _lab.ReplicationLink(kind, dataStore);

        public string? SiteOf(string node) => _lab.SiteOf(node);

        public IDomainReader OpenNode(string node) => _lab.OpenDomain(node);

        /// <summary>The lab names a staging area after the node that holds it and the store (<c>\A.$BPSTAGE.DS01</c>).</summary>
        public string StagingAreaFor(string dataStore) => Node + ".$BPSTAGE." + dataStore;

        /// <summary>
        /// Connections are opened per call and pooled by Microsoft.Data.Sqlite: closing the domain closes the lab's idle
        /// pooled connections, so nothing of the lab stays open once it is disconnected.
        /// </summary>
        public void Dispose()
        {
            LabHolders.Release(_holder);
            _holder = null;
            LabDb.Release(_lab.Root);
        }

        /// <summary>This domain's file among the lab's holders (New-BPLab -Force refuses a lab a live process holds).</summary>
        private string? _holder;

        /// <summary>A store that cannot be read (corrupt, locked beyond the busy timeout) is an operator-facing error.</summary>
        private T Guard<T>(Func<T> read, bool stopsInvocation = false)
        {
            try { return read(); }
            catch (SqliteException e) { throw StoreUnavailable(e, stopsInvocation); }
            catch (Exception e) when (UnexpectedErrors.IsFileProblem(e, out var cause)) { throw FileProblem(cause, stopsInvocation); }
        }

        private IEnumerable<T> GuardStream<T>(IEnumerable<T> stream)
        {
            using var e = stream.GetEnumerator();
            while (true)
            {
                try
                {
                    if (!e.MoveNext()) yield break;
                }
                catch (SqliteException x) { throw StoreUnavailable(x, false); }
                catch (Exception x) when (UnexpectedErrors.IsFileProblem(x, out var cause)) { throw FileProblem(cause, false); }
                yield return e.Current;
            }
        }

        private BackPakException StoreUnavailable(SqliteException e, bool stopsInvocation) =>
            new BackPakException(ErrorIds.CatalogStoreUnavailable, BackPakErrorCategory.ResourceUnavailable,
                $"A catalog store of the domain on {Node} could not be read: {e.Message}", Node,
                "Run the command again; if it persists, the lab's stores are damaged: recreate the lab with New-BPLab -Force.",
                stopsInvocation, e);

        /// <summary>A file of the domain (storage, staging, journal) that could not be read or written, in operator terms.</summary>
        private BackPakException FileProblem(Exception e, bool stopsInvocation) =>
            new BackPakException(ErrorIds.FileSystemError, e is UnauthorizedAccessException ? BackPakErrorCategory.PermissionDenied : BackPakErrorCategory.WriteError,
                $"A file of the domain on {Node} could not be read or written: {e.Message}", Node,
                "Check that the lab folder is on a writable disk with free space and that nothing replaced one of its folders by a file; then run the command again.",
                stopsInvocation, e);

        private SqliteConnection OpenBackPak(bool readOnly = false)
        {
            RequireReachable();
            return LabDb.Open(_backPakDb, readOnly);
        }

        /// <summary>Refuses a change of a store while a switch of it is not finished (the rule is Core's, <see cref="StoreFence"/>).</summary>
        private void Fence(string store, StoreChange change) => StoreFence.Check(_lab.RunJournal, store, Node, change);

        private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
        private static DateTime? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? (DateTime?)null : LabDb.FromUnixMs(r.GetInt64(i));
    }
}
