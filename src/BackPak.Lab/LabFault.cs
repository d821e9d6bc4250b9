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
    }

    public sealed class LabFault
    {
        public LabFaultKind Kind { get; init; }
        public string Target { get; init; } = "";
        public DateTime Created { get; init; }
        public override string ToString() => Kind + " " + Target;

        internal static string Code(LabFaultKind k) => k == LabFaultKind.StagingUnreachable ? LabDomain.FaultStagingUnreachable : LabDomain.FaultImportFailure;
        internal static LabFaultKind? Parse(string code) =>
            code == LabDomain.FaultStagingUnreachable ? LabFaultKind.StagingUnreachable : code == LabDomain.FaultImportFailure ? LabFaultKind.ImportFailure : (LabFaultKind?)null;
    }
}
