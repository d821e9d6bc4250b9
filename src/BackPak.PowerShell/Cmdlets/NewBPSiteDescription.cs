using System;
using System.IO;
using System.Management.Automation;
using BackPak.Core.Errors;
using BackPak.NonStop.Site;

namespace BackPak.PowerShell.Cmdlets
{
    /// <summary>
    /// Writes a commented site description template for the NonStop provider: what no read of the nodes can discover
    /// (nodes and their SSH endpoints, data stores, volume groups and their catalogs, storage paths, staging
    /// subvolumes). The template is valid as written, so the operator edits a file the module already accepts.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "BPSiteDescription", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class NewBPSiteDescriptionCommand : BPCmdlet
    {
        /// <summary>The .psd1 file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The Expand node names of the site; the first holds the PRIMARY stores in the template.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Node { get; set; } = { "\\A", "\\B" };

        /// <summary>The Store IDs of the data stores to describe.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] DataStore { get; set; } = { "DS01" };

        /// <summary>A name for the site in messages.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SiteName { get; set; } = "PROD";

        /// <summary>Replaces a file that exists already (without it, an existing file is never overwritten).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writing a file changes nothing of BackPak: its errors are not refusals for the audit trail.</summary>
        protected override bool RecordsRefusals => false;

        protected override void EndBackPak()
        {
            string file = FileSystemPath(Path, nameof(Path), ErrorIds.SiteDescriptionNotWritten);
            if (!string.Equals(System.IO.Path.GetExtension(file), ".psd1", StringComparison.OrdinalIgnoreCase))
                throw new BackPakException(ErrorIds.SiteDescriptionNotWritten, BackPakErrorCategory.InvalidArgument,
                    $"The site description was not written: '{file}' is not a .psd1 file, which is what Connect-BPDomain reads.", file,
                    "Give -Path a file name ending in .psd1, such as ./site.psd1.", stopsInvocation: true);
            FileSystemPaths.RefuseToReplace(file, Force, ErrorIds.SiteDescriptionNotWritten, "site description");
            var options = new SiteTemplateOptions { SiteName = SiteName };
            options.Nodes.Clear();
            foreach (var n in Node) options.Nodes.Add(n);
            options.DataStores.Clear();
            foreach (var d in DataStore) options.DataStores.Add(d);
            // The names are checked (NonStop rules) before anything is written; a bad one stops the command.
            string text;
            try { text = SiteDescriptionTemplate.Write(options); }
            catch (BackPakException e)
            {
                throw new BackPakException(e.ErrorId, e.Category, $"The site description was not written: {e.Message}", e.Target,
                    e.RecommendedAction, inner: e);
            }
            if (!ShouldProcess(file, File.Exists(file) ? "Replace with a site description template" : "Write a site description template")) return;
            FileSystemPaths.Write(file, Force, ErrorIds.SiteDescriptionNotWritten, "site description", w => w.Write(text));
            WriteObject(new FileInfo(file));
        }
    }
}
