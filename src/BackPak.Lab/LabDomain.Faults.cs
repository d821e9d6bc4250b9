using System;
using BackPak.Core.Errors;

namespace BackPak.Lab
{
    /// <summary>
    /// The simulator's injected faults as the domain sees them (Add-BPLabFault): the kinds, and the staging area an
    /// Expand link fault makes unreachable. Crash points are LabFaults'; the faults are stored by Lab.
    /// </summary>
    public sealed partial class LabDomain
    {
        public const string FaultStagingUnreachable = "STAGING_UNREACHABLE";
        public const string FaultImportFailure = "IMPORT_FAILURE";
        public const string FaultNodeLost = "NODE_LOST";

        /// <summary>Refuses every read and change of a lost node's domain, as a node that does not answer would (NODE_LOST).</summary>
        private void RequireReachable()
        {
            if (_lab.IsLost(Node)) throw Lab.NodeLost(Node);
        }

        /// <summary>Why the staging area cannot be reached now, or null: its node's Expand link may be down (a fault).</summary>
        private BackPakException? StagingProblem(string stagingArea)
        {
            string node = stagingArea.Substring(0, Math.Max(0, stagingArea.IndexOf('.')));
            if (_lab.HasFault(FaultStagingUnreachable, node))
                return new BackPakException(ErrorIds.StagingUnreachable, BackPakErrorCategory.ConnectionError,
                    $"The staging area {stagingArea} on {node} cannot be reached from {Node}: the Expand link is down.", stagingArea,
                    "Restore the Expand link (in the lab: Remove-BPLabFault); pending exports are kept and retried at the export check delay.");
            return null;
        }
    }
}
