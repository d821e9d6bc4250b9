using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BackPak.Core.Model;
using BackPak.Core.Removal;
using BackPak.Lab;
using Xunit;

namespace BackPak.PowerShell.Tests
{
    /// <summary>
    /// A piped object is acted on where it came from (its Origin, else its Node, else -Domain or the default), and an
    /// explicit -Domain that contradicts it stops the command before anything changes (DomainMismatch). Each test gets
    /// its own labs: several of them remove volumes.
    /// </summary>
    public class PipelineOriginTests : IDisposable
    {
        private readonly TestLabs _labs = new TestLabs("origin");

        public void Dispose() => _labs.Dispose();

        /// <summary>One lab, \B then \A connected: \A is the default.</summary>
        private PowerShellHost Connected(out string lab)
        {
            lab = _labs.Create("lab", seed: 5);
            var h = new PowerShellHost().WithIdleFilter();
            h.Run($"Connect-BPDomain -Lab '{lab}' -Node '\\B' | Out-Null; Connect-BPDomain -Lab '{lab}' -Node '\\A' | Out-Null");
            return h;
        }

        private static int Count(PowerShellHost h, string script) => h.Count(script);

        private static string[] Strings(PowerShellHost h, string script) => h.Run(script).Output.Select(x => x.ToString()).ToArray();

        /// <summary>Audit records of both nodes: every change made through the module appends one.</summary>
        private static int Changes(PowerShellHost h) => Count(h, "Get-BPAuditRecord -Kind Change -All -Domain '\\A'; Get-BPAuditRecord -Kind Change -All -Domain '\\B'");

        private static void IsMismatch(ErrorRecord r, string cmdletClass)
        {
            Assert.Equal("DomainMismatch,BackPak.PowerShell.Cmdlets." + cmdletClass, r.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, r.CategoryInfo.Category);
            Assert.False(string.IsNullOrEmpty(r.ErrorDetails?.RecommendedAction));
        }

        // ------------------------------------------------------------------ item 1: -Domain contradicting a piped object

        [Fact]
        public void A_volume_from_A_piped_to_Remove_BPVolume_Domain_B_is_refused_and_nothing_is_removed_on_either_node()
        {
            using var h = Connected(out _);
            // DS01 is replicated: the same labels exist on \A (PRIMARY) and \B (SECONDARY).
            var label = Strings(h, "Get-BPVolume -DataStore DS01 -Expired -Domain '\\A' | Select-Object -First 1 -ExpandProperty Label").Single();
            Assert.Equal(1, Count(h, $"Get-BPVolume -Label {label} -Domain '\\B'"));
            var r = h.Terminating($"Get-BPVolume -Label {label} -Domain '\\A' | Remove-BPVolume -Domain '\\B' -Confirm:$false");
            IsMismatch(r, "RemoveBPVolumeCommand");
            Assert.Contains(@"\A (Lab: ", r.Exception.Message);
            Assert.Equal(1, Count(h, $"Get-BPVolume -Label {label} -Domain '\\A'"));
            Assert.Equal(1, Count(h, $"Get-BPVolume -Label {label} -Domain '\\B'"));
        }

        [Fact]
        public void A_contradiction_on_a_later_object_stops_Remove_BPVolume_before_the_earlier_ones_are_removed()
        {
            using var h = Connected(out _);
            int onB = Count(h, "Get-BPVolume -Domain '\\B'");
            int changes = Changes(h);
            // Two volumes read from \B (they agree with -Domain), then one read from \A.
            var r = h.Terminating("$b = Get-BPVolume -Domain '\\B' -DataStore DS03 -Expired | Idle | Select-Object -First 2; " +
                                  "$a = Get-BPVolume -Domain '\\A' -DataStore DS02 -Expired | Idle | Select-Object -First 1; " +
                                  "@($b) + @($a) | Remove-BPVolume -Domain '\\B' -Force");
            IsMismatch(r, "RemoveBPVolumeCommand");
            Assert.Equal(onB, Count(h, "Get-BPVolume -Domain '\\B'"));
            Assert.Equal(changes, Changes(h));
        }

        [Theory]
        [InlineData("Get-BPVolume -DataStore DS01 | Select-Object -First 1 | Get-BPCatalogEntry -Domain '\\B'", "GetBPCatalogEntryCommand")]
        [InlineData("Get-BPVolume -DataStore DS01 | Select-Object -First 1 | Get-BPVolume -Domain '\\B'", "GetBPVolumeCommand")]
        [InlineData("Get-BPVolume -DataStore DS01 | Select-Object -First 1 | Get-BPVolumeGroup -Domain '\\B'", "GetBPVolumeGroupCommand")]
        [InlineData("Get-BPDataStore DS01 | Get-BPVolumeGroup -Domain '\\B'", "GetBPVolumeGroupCommand")]
        [InlineData("Get-BPVolume -DataStore DS01 | Select-Object -First 1 | Get-BPDataStore -Domain '\\B'", "GetBPDataStoreCommand")]
        [InlineData("Get-BPDataStore DS01 | Get-BPExportStatus -Domain '\\B'", "GetBPExportStatusCommand")]
        [InlineData("Get-BPDataStore DS01 | Get-BPImportStatus -Domain '\\B'", "GetBPImportStatusCommand")]
        [InlineData("Get-BPDataStore DS01 | Suspend-BPCatalogExport -Domain '\\B' -Confirm:$false", "SuspendBPCatalogExportCommand")]
        [InlineData("Get-BPDataStore DS01 | Resume-BPCatalogExport -Domain '\\B' -Confirm:$false", "ResumeBPCatalogExportCommand")]
        [InlineData("Get-BPDataStore DS01 | Wait-BPCatalogExport -Domain '\\B' -Timeout 1", "WaitBPCatalogExportCommand")]
        [InlineData("Get-BPDataStore DS01 | Start-BPCatalogExport -Type Full -Domain '\\B' -Confirm:$false", "StartBPCatalogExportCommand")]
        [InlineData("Get-BPDataStore DS01 | Start-BPCatalogImport -Type Full -Domain '\\B' -Confirm:$false", "StartBPCatalogImportCommand")]
        [InlineData("Get-BPDataStore DS01 | Set-BPDataStore -ExportCheckDelay 00:02:00 -Domain '\\B' -Confirm:$false", "SetBPDataStoreCommand")]
        [InlineData("Get-BPExportStatus DS01 | Set-BPDataStore -Status Inactive -Domain '\\B' -Confirm:$false", "SetBPDataStoreCommand")]
        [InlineData("Get-BPDataStore DS01 | Invoke-BPLabBackup -Domain '\\B' -Confirm:$false", "InvokeBPLabBackupCommand")]
        [InlineData("Get-BPDataStore DS01 | Start-BPLabBackup -Domain '\\B' -Confirm:$false", "StartBPLabBackupCommand")]
        [InlineData("Get-BPDataStore DS01 | Invoke-BPLabDailyBatch -Domain '\\B' -Confirm:$false", "InvokeBPLabDailyBatchCommand")]
        [InlineData("Start-BPLabBackup DS01 -Confirm:$false | Stop-BPLabBackup -Domain '\\B' -Confirm:$false", "StopBPLabBackupCommand")]
        [InlineData("Get-BPVolumeGroup TMFDUMPS | Remove-BPVolumeGroup -Recurse -IgnoreRetention -Force -Domain '\\B'", "RemoveBPVolumeGroupCommand")]
        [InlineData("Get-BPDataStore DS02 | Remove-BPDataStore -Recurse -IgnoreRetention -Force -Domain '\\B'", "RemoveBPDataStoreCommand")]
        [InlineData("Get-BPVolume -DataStore DS02 -Expired | Remove-BPVolume -DataStore DS02 -Force -Domain '\\B'", "RemoveBPVolumeCommand")]
        [InlineData("[pscustomobject]@{ Label = 'AAAAAA'; Node = '\\A' } | Remove-BPVolume -Force -Domain '\\B'", "RemoveBPVolumeCommand")]
        [InlineData("[pscustomobject]@{ Label = 'AAAAAA'; Node = '\\A' } | Get-BPCatalogEntry -Domain '\\B'", "GetBPCatalogEntryCommand")]
        [InlineData("[pscustomobject]@{ DataStore = 'DS01'; Node = '\\A' } | Get-BPExportStatus -Domain '\\B'", "GetBPExportStatusCommand")]
        public void Every_cmdlet_with_pipeline_input_refuses_a_Domain_that_contradicts_the_piped_object(string script, string cmdletClass)
        {
            using var h = Connected(out _);
            int changes = Changes(h);
            IsMismatch(h.Terminating(script), cmdletClass);
            // Start-BPLabBackup above is the setup of its case and changes \A once; nothing else changed.
            Assert.Equal(changes + (script.StartsWith("Start-BPLabBackup") ? 1 : 0), Changes(h));
        }

        [Fact]
        public void Objects_piped_without_Domain_are_acted_on_where_they_came_from()
        {
            using var h = Connected(out _); // \A is the default
            var removed = h.Run("Get-BPVolume -Domain '\\B' -DataStore DS03 -Expired | Idle | Select-Object -First 2 | Remove-BPVolume -Force -PassThru").Output
                .Select(x => (VolumeRemovalResult)x.BaseObject).ToList();
            Assert.Equal(2, removed.Count);
            Assert.All(removed, r => { Assert.Equal(@"\B", r.Node); Assert.Equal(RemovalStatus.Removed, r.Status); });
            var status = h.Run("Get-BPDataStore DS01 -Domain '\\B' | Get-BPImportStatus").Output.Select(x => x.BaseObject).OfType<BackPak.Core.Sync.ImportStatus>().Single();
            Assert.Equal(@"\B", status.Node);
        }

        [Fact]
        public void An_object_whose_Origin_and_Node_disagree_is_refused()
        {
            using var h = Connected(out _);
            var r = h.Terminating("Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 1 | Select-Object Label, Origin, @{ n = 'Node'; e = { '\\B' } } | Remove-BPVolume -Force");
            IsMismatch(r, "RemoveBPVolumeCommand");
        }

        // ------------------------------------------------------------------ item 2: labels as strings and objects with a Label

        [Fact]
        public void Plain_strings_bind_as_labels_and_are_removed_in_the_default_or_the_given_domain()
        {
            using var h = Connected(out _);
            var onA = Strings(h, "Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 2 -ExpandProperty Label");
            var (o, e) = h.Run($"'{onA[0]}', '{onA[1].ToLowerInvariant()}' | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(onA, o.Select(x => ((VolumeRemovalResult)x.BaseObject).Label));
            Assert.All(o, x => Assert.Equal(@"\A", ((VolumeRemovalResult)x.BaseObject).Node));

            var onB = Strings(h, "Get-BPVolume -Domain '\\B' -DataStore DS03 -Expired | Idle | Select-Object -First 1 -ExpandProperty Label").Single();
            (o, e) = h.Run($"'{onB}' | Remove-BPVolume -Domain '\\B' -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(@"\B", ((VolumeRemovalResult)o.Single().BaseObject).Node);
        }

        [Fact]
        public void Objects_with_a_Label_bind_and_a_Node_or_DataStore_property_is_honoured()
        {
            using var h = Connected(out _);
            var two = Strings(h, "Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 2 -ExpandProperty Label");
            string l1 = two[0], l2 = two[1];
            var onB = Strings(h, "Get-BPVolume -Domain '\\B' -DataStore DS01 -Expired | Idle | Select-Object -First 1 -ExpandProperty Label").Single();

            // Label only: the default domain.
            var (o, e) = h.Run($"[pscustomobject]@{{ Label = '{l1}' }} | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(@"\A", ((VolumeRemovalResult)o.Single().BaseObject).Node);

            // Label and Node: that node, although \A is the default (DS01 has the label on both nodes).
            (o, e) = h.Run($"[pscustomobject]@{{ Label = '{onB}'; Node = '\\B' }} | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(@"\B", ((VolumeRemovalResult)o.Single().BaseObject).Node);
            Assert.Equal(1, Count(h, $"Get-BPVolume -Label {onB} -Domain '\\A'"));

            // Label and DataStore: only in that store.
            (o, e) = h.Run($"[pscustomobject]@{{ Label = '{l2}'; DataStore = 'DS01' }} | Remove-BPVolume -Force -PassThru");
            Assert.Empty(o);
            Assert.Equal("VolumeNotFound,BackPak.PowerShell.Cmdlets.RemoveBPVolumeCommand", Assert.Single(e).FullyQualifiedErrorId);
            (o, e) = h.Run($"[pscustomobject]@{{ Label = '{l2}'; DataStore = 'DS02' }} | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(RemovalStatus.Removed, ((VolumeRemovalResult)o.Single().BaseObject).Status);
        }

        [Fact]
        public void A_CSV_file_of_labels_is_removed_and_a_Node_column_is_honoured()
        {
            using var h = Connected(out _);
            var onA = Strings(h, "Get-BPVolume -DataStore DS02 -Expired | Idle | Select-Object -First 3 -ExpandProperty Label");
            var onB = Strings(h, "Get-BPVolume -Domain '\\B' -DataStore DS03 -Expired | Idle | Select-Object -First 2 -ExpandProperty Label");
            string csv = Path.Combine(_labs.Root, "todel.csv");
            File.WriteAllText(csv, "Label\n" + string.Join("\n", onA) + "\n");
            var (o, e) = h.Run($"Import-Csv '{csv}' | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.Equal(onA, o.Select(x => ((VolumeRemovalResult)x.BaseObject).Label));

            string withNode = Path.Combine(_labs.Root, "withnode.csv");
            File.WriteAllText(withNode, "Label,Node\n" + string.Join("\n", onB.Select(l => l + @",\B")) + "\n");
            (o, e) = h.Run($"Import-Csv '{withNode}' | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.All(o, x => Assert.Equal(@"\B", ((VolumeRemovalResult)x.BaseObject).Node));
            Assert.Equal(2, o.Count);
        }

        [Fact]
        public void A_CSV_written_by_Export_Csv_brings_back_where_each_volume_came_from()
        {
            using var h = Connected(out _);
            string csv = Path.Combine(_labs.Root, "vols.csv");
            // Read from \B (not the default): the Origin column says so.
            h.Run($"Get-BPVolume -Domain '\\B' -DataStore DS01 -Expired | Idle | Select-Object -First 2 | Export-Csv '{csv}'");
            var labels = h.Run($"Import-Csv '{csv}' | ForEach-Object Label").Output.Select(x => x.ToString()).ToArray();
            var (o, e) = h.Run($"Import-Csv '{csv}' | Remove-BPVolume -Force -PassThru");
            Assert.Empty(e);
            Assert.All(o, x => Assert.Equal(@"\B", ((VolumeRemovalResult)x.BaseObject).Node));
            Assert.Equal(2, Count(h, $"Get-BPVolume -Label {string.Join(",", labels)} -Domain '\\A'"));
        }

        [Fact]
        public void Get_BPCatalogEntry_takes_strings_objects_with_a_Label_and_CSV_rows()
        {
            using var h = Connected(out _);
            var label = Strings(h, "Get-BPVolume -DataStore DS01 | Select-Object -First 1 -ExpandProperty Label").Single();
            string csv = Path.Combine(_labs.Root, "labels.csv");
            File.WriteAllText(csv, "Label,Node\n" + label + @",\B" + "\n");
            foreach (var (script, node) in new[]
            {
                ($"'{label}' | Get-BPCatalogEntry", @"\A"),
                ($"[pscustomobject]@{{ Label = '{label}' }} | Get-BPCatalogEntry", @"\A"),
                ($"[pscustomobject]@{{ Label = '{label}'; Node = '\\B' }} | Get-BPCatalogEntry", @"\B"),
                ($"Import-Csv '{csv}' | Get-BPCatalogEntry", @"\B"),
                ($"Get-BPVolume -Label {label} -Domain '\\B' | Get-BPCatalogEntry", @"\B"),
            })
            {
                var (o, e) = h.Run(script);
                Assert.True(e.Count == 0, script + ": " + string.Join("; ", e.Select(x => x.ToString())));
                Assert.NotEmpty(o);
                Assert.All(o, x => Assert.Equal(node, ((CatalogEntry)x.BaseObject).Node));
            }
        }

        [Fact]
        public void Stop_BPLabBackup_takes_strings_objects_with_a_Label_and_CSV_rows()
        {
            using var h = Connected(out _);
            string csv = Path.Combine(_labs.Root, "running.csv");
            foreach (var shape in new[] { "string", "object", "csv", "volume" })
            {
                var label = Strings(h, "Start-BPLabBackup DS02 -Confirm:$false | ForEach-Object Label").Single();
                File.WriteAllText(csv, "Label\n" + label + "\n");
                string script = shape switch
                {
                    "string" => $"'{label}' | Stop-BPLabBackup -Confirm:$false",
                    "object" => $"[pscustomobject]@{{ Label = '{label}' }} | Stop-BPLabBackup -Confirm:$false",
                    "csv" => $"Import-Csv '{csv}' | Stop-BPLabBackup -Confirm:$false",
                    _ => $"Get-BPVolume -Label {label} | Stop-BPLabBackup -Confirm:$false",
                };
                var (o, e) = h.Run(script);
                Assert.True(e.Count == 0, shape + ": " + string.Join("; ", e.Select(x => x.ToString())));
                var v = (Volume)o.Single().BaseObject;
                Assert.Equal(label, v.Label);
                Assert.False(v.IsBackupRunning, shape);
            }
        }

        [Fact]
        public void Volume_objects_bind_to_InputObject_and_everything_else_to_Label()
        {
            using var h = Connected(out _);
            // Node and Origin belong to the Label set only, so an object with Label and Node is never turned into a Volume.
            foreach (var cmd in new[] { "Remove-BPVolume", "Get-BPCatalogEntry", "Stop-BPLabBackup" })
            {
                var sets = h.Run($"(Get-Command {cmd}).ParameterSets | ForEach-Object {{ $_.Name + ':' + (($_.Parameters | Where-Object {{ $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }} | ForEach-Object Name | Sort-Object) -join ',') }}")
                    .Output.Select(x => x.ToString()).OrderBy(x => x).ToArray();
                var expected = new[] { "InputObject:InputObject", cmd != "Get-BPCatalogEntry" ? "Label:DataStore,Label,Node,Origin" : "Label:Label,Node,Origin" }.ToList();
                // Stop-BPLabBackup -DataStore alone ends every backup of the store: typed only, so that a piped row with a
                // DataStore column and no label can never select a whole store.
                if (cmd == "Stop-BPLabBackup") expected.Insert(0, "DataStore:");
                Assert.Equal(expected, sets);
            }
            var (o, e) = h.Run("[BackPak.Core.Model.Volume].GetConstructors().GetParameters().ParameterType.Name");
            Assert.Empty(e);
            // No parameterless constructor: PowerShell cannot fabricate a Volume (with an empty Node) from a hashtable or a CSV row.
            Assert.Equal("DomainIdentity", o.Single().ToString());
        }
    }
}
