using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Lab
{
    /// <summary>A fault the simulator injects into a lab.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum LabFaultKind
    {
        /// <summary>The Expand link to a node is down: its staging areas cannot be reached. Target: a node.</summary>
        StagingUnreachable,
        /// <summary>The import of one volume fails. Target: a label.</summary>
        ImportFailure,
        /// <summary>
        /// A node is lost (a disaster): its domain does not answer, and its site's storage and key server are gone with it.
        /// Removing the fault brings the node back as it was left, with its stale state. Target: a node.
        /// </summary>
        NodeLost,
    }

    public sealed class LabFault
    {
        public LabFaultKind Kind { get; init; }
        public string Target { get; init; } = "";
        public DateTime Created { get; init; }
        public override string ToString() => Kind + " " + Target;

        /// <summary>Whether the fault's target is a node (else a label).</summary>
        public static bool TargetsNode(LabFaultKind k) => k != LabFaultKind.ImportFailure;

        internal static string Code(LabFaultKind k) =>
            k == LabFaultKind.StagingUnreachable ? LabDomain.FaultStagingUnreachable : k == LabFaultKind.NodeLost ? LabDomain.FaultNodeLost : LabDomain.FaultImportFailure;
        internal static LabFaultKind? Parse(string code) =>
            code == LabDomain.FaultStagingUnreachable ? LabFaultKind.StagingUnreachable : code == LabDomain.FaultImportFailure ? LabFaultKind.ImportFailure
            : code == LabDomain.FaultNodeLost ? LabFaultKind.NodeLost : (LabFaultKind?)null;
    }
}
