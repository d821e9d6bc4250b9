using System;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.Core.Model;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>Connects to the BackPak domain of a node and makes it the default for the session.</summary>
    [Cmdlet(VerbsCommunications.Connect, "BPDomain", DefaultParameterSetName = "Lab")]
    [OutputType(typeof(DomainConnection))]
    public sealed class ConnectBPDomainCommand : BPCmdlet
    {
        /// <summary>Folder of a lab made by New-BPLab.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Lab", ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string Lab { get; set; } = "";

        /// <summary>NonStop node of the domain, e.g. '\A'.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Lab")]
        [ArgumentCompleter(typeof(LabNodeCompleter))]
        [ValidateNotNullOrEmpty]
        public string Node { get; set; } = "";

        protected override void ProcessBackPakRecord()
        {
            var lab = BackPak.Lab.Lab.Open(FileSystemPath(Lab, nameof(Lab), ErrorIds.LabPathInvalid));
            var connection = new DomainConnection(lab.OpenDomain(Node), DateTime.UtcNow);
            DomainSessions.Add(connection);
            WriteVerbose($"Connected to domain {connection.DomainId} on {connection.Node} ({lab.Root}); it is now the default.");
            WriteObject(connection);
        }
    }
}
