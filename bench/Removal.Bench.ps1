<#
.SYNOPSIS
    Removal benchmark (issue 3): Get-BPVolume -DataStore X | Remove-BPVolume over 10,000 volumes, against a baseline
    that deletes the same files and rows in one plain loop with no journal, in the same run.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [int] $Volumes = 10000
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1')
$module = Import-Module $ModulePath -PassThru
New-Item -ItemType Directory -Path $WorkPath -Force | Out-Null
$labCount = [int][math]::Ceiling($Volumes / 0.8)   # DS01 holds 8 volumes in 10
$subjectLab = Join-Path $WorkPath 'removal-module'
$baselineLab = Join-Path $WorkPath 'removal-baseline'
New-BPLab -Path $subjectLab -VolumeCount $labCount -Seed 5 -Force | Out-Null
New-BPLab -Path $baselineLab -VolumeCount $labCount -Seed 5 -Force | Out-Null

# The baseline: the same deletions (two storage files, the DSM/TC or TMF rows, the BackPak row per volume), one
# plain loop, one transaction per store, no claim, no intent, no audit. Compiled, so PowerShell's own speed is
# not what is measured.
$sqlite = Join-Path $module.ModuleBase 'Microsoft.Data.Sqlite.dll'
Add-Type -ReferencedAssemblies $sqlite, 'netstandard', 'System.ComponentModel.Primitives', 'System.Data.Common', 'System.Runtime', 'System.Collections', 'System.IO.FileSystem', 'System.Linq' -TypeDefinition @'
using System.Collections.Generic;
using System.IO;
using Microsoft.Data.Sqlite;
public static class PlainDelete
{
    public static int Run(string lab, IList<string> labels)
    {
        var dbs = new[] { lab + "/nodes/A/dsmtc.db", lab + "/nodes/A/tmf.db", lab + "/nodes/A/backpak.db" };
        var sql = new[] {
            new[] { "DELETE FROM tapevolume WHERE label = @l", "DELETE FROM tapefile WHERE label = @l", "DELETE FROM diskfile WHERE label = @l" },
            new[] { "DELETE FROM tmf_volume WHERE label = @l", "DELETE FROM tmf_dump WHERE label = @l" },
            new[] { "DELETE FROM volume WHERE label = @l" } };
        foreach (var l in labels)
        {
            File.Delete(lab + "/sites/SITEA/storage/DS01/LB" + l + ".IND");
            File.Delete(lab + "/sites/SITEA/storage/DS01/LB" + l + ".DAT");
        }
        int rows = 0;
        for (int d = 0; d < dbs.Length; d++)
        {
            using var c = new SqliteConnection("Data Source=" + dbs[d]);
            c.Open();
            using (var p = c.CreateCommand()) { p.CommandText = "PRAGMA synchronous=NORMAL"; p.ExecuteNonQuery(); }
            using var tx = c.BeginTransaction();
            foreach (var text in sql[d])
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = text;
                var p = cmd.Parameters.Add("@l", SqliteType.Text);
                foreach (var l in labels) { p.Value = l; rows += cmd.ExecuteNonQuery(); }
            }
            tx.Commit();
        }
        return rows;
    }
}
'@

Connect-BPDomain -Lab $baselineLab -Node '\A' | Out-Null
$labels = [System.Collections.Generic.List[string]]@(Get-BPVolume -DataStore DS01 | ForEach-Object Label)
if ($labels.Count -ne $Volumes) { throw "Expected $Volumes volumes in DS01, found $($labels.Count)." }
Disconnect-BPDomain -All
[Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
$baseline = (Measure-Command { $script:rows = [PlainDelete]::Run($baselineLab, $labels) }).TotalSeconds

Connect-BPDomain -Lab $subjectLab -Node '\A' | Out-Null
$subject = (Measure-Command {
    $script:results = @(Get-BPVolume -DataStore DS01 | Remove-BPVolume -Confirm:$false -IgnoreRetention -PassThru)
}).TotalSeconds
$removed = @($script:results | Where-Object Status -EQ 'Removed').Count
if ($removed -ne $Volumes) { throw "Removed $removed of $Volumes volumes." }

$rate = $Volumes / $subject
$baseRate = $Volumes / $baseline
Write-BenchResult "Remove-BPVolume ($Volumes volumes)" 'module' $subject 'plain loop' $baseline ($rate / $baseRate) '>= 0.33 of baseline, >= 1000/s' (($rate / $baseRate -ge 1 / 3) -and $rate -ge 1000)
'module {0:N0} volumes/s, baseline {1:N0} volumes/s ({2:N0} rows deleted by the baseline)' -f $rate, $baseRate, $script:rows
Disconnect-BPDomain -All
Remove-Item $subjectLab, $baselineLab -Recurse -Force
