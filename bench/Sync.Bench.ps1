<#
.SYNOPSIS
    Catalog Sync and role switch benchmarks (issues 5 and 6) on a data store of 100,000 volumes and over 1,000,000
    DISKFILE entries:
      - FULL export and FULL import, entries per second, against a plain loop that only reads the same rows and
        writes them to a file (target: at least half its rate, each);
      - the switch of that store: total time and each step's share, against the two export + import cycles it
        contains (target: total at most 2x their time).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [int] $Volumes = 100000
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1')
$module = Import-Module $ModulePath -PassThru
New-Item -ItemType Directory -Path $WorkPath -Force | Out-Null
$lab = Join-Path $WorkPath 'sync'
New-BPLab -Path $lab -VolumeCount ([int][math]::Ceiling($Volumes / 0.8)) -Seed 3 -Force | Out-Null
$sqlite = Join-Path $module.ModuleBase 'Microsoft.Data.Sqlite.dll'
Add-Type -ReferencedAssemblies $sqlite, 'netstandard', 'System.ComponentModel.Primitives', 'System.Data.Common', 'System.Runtime', 'System.Collections', 'System.IO.FileSystem', 'System.Linq', 'System.Text.Encoding.Extensions' -TypeDefinition @'
using System.IO;
using Microsoft.Data.Sqlite;
public static class PlainCopy
{
    // The same rows a full export carries (the store's volumes, TAPEVOLUMEs, TAPEFILEs, DISKFILEs), read in one
    // plain loop per table and written to a file: no merge, no format, no staging area, no run record.
    public static long Run(string lab, string store, string file)
    {
        long rows = 0;
        using var c = new SqliteConnection("Data Source=" + lab + "/nodes/A/backpak.db;Mode=ReadOnly;Pooling=False");
        c.Open();
        using (var a = c.CreateCommand()) { a.CommandText = "ATTACH DATABASE '" + lab + "/nodes/A/dsmtc.db' AS dsm"; a.ExecuteNonQuery(); }
        using var w = new StreamWriter(file, false, new System.Text.UTF8Encoding(false), 1 << 16);
        foreach (var sql in new[] {
            "SELECT * FROM volume WHERE data_store = @s",
            "SELECT t.* FROM dsm.tapevolume t JOIN volume v ON v.label = t.label WHERE v.data_store = @s",
            "SELECT t.* FROM dsm.tapefile t JOIN volume v ON v.label = t.label WHERE v.data_store = @s",
            "SELECT d.* FROM dsm.diskfile d JOIN volume v ON v.label = d.label WHERE v.data_store = @s" })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("@s", store);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                for (int i = 0; i < r.FieldCount; i++) { if (i > 0) w.Write('\t'); w.Write(r.IsDBNull(i) ? "" : r.GetValue(i).ToString()); }
                w.Write('\n');
                rows++;
            }
        }
        return rows;
    }
}
'@
$count = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$lab/nodes/A/dsmtc.db;Mode=ReadOnly")
$count.Open()
$query = $count.CreateCommand()
$query.CommandText = "SELECT COUNT(*) FROM diskfile WHERE filecat = '\A.FCDS01'"
$diskfiles = [long]$query.ExecuteScalar()
$count.Dispose()
$b = Connect-BPDomain -Lab $lab -Node '\B'
$a = Connect-BPDomain -Lab $lab -Node '\A'
$n = (Get-BPDataStore DS01 -Domain $a).VolumeCount
"DS01: $n volumes, $diskfiles DISKFILE entries"

[Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
$plainFile = Join-Path $WorkPath 'plain.tsv'
$baseline = Measure-Median { $script:rows = [PlainCopy]::Run($lab, 'DS01', $plainFile) } -Runs 2
$baseRate = $script:rows / $baseline

$export = Measure-Median { $script:ex = Start-BPCatalogExport DS01 -Type Full -Domain $a -Confirm:$false } -Runs 2
$exRate = $script:ex.Entries / $export
Write-BenchResult "FULL export ($($script:ex.Entries) entries)" 'module' $export 'plain read+write' $baseline ($exRate / $baseRate) '>= 0.5 of baseline rate' ($exRate / $baseRate -ge 0.5)

$import = Measure-Median { $script:im = Start-BPCatalogImport DS01 -Type Full -Domain $b -Confirm:$false } -Runs 2
$imRate = $script:im.Entries / $import
Write-BenchResult "FULL import ($($script:im.Entries) entries)" 'module' $import 'plain read+write' $baseline ($imRate / $baseRate) '>= 0.5 of baseline rate' ($imRate / $baseRate -ge 0.5)
'export {0:N0} entries/s, import {1:N0} entries/s, baseline {2:N0} rows/s' -f $exRate, $imRate, $baseRate
# The import above finds the secondary in step: it compares every entry and rewrites what differs [CS p15]. The
# same import into emptied catalogs writes every entry.
Disconnect-BPDomain -Domain $b
[Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
foreach ($sql in @("DELETE FROM tapevolume WHERE volcat = '\B.VCA01'", "DELETE FROM tapefile WHERE filecat = '\B.FCA01'", "DELETE FROM diskfile WHERE filecat = '\B.FCA01'")) {
    $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$lab/nodes/B/dsmtc.db;Pooling=False"); $c.Open(); $x = $c.CreateCommand(); $x.CommandText = $sql; [void]$x.ExecuteNonQuery(); $c.Dispose()
}
$b = Connect-BPDomain -Lab $lab -Node '\B'
$a = Connect-BPDomain -Lab $lab -Node '\A'
$cold = (Measure-Command { $script:im2 = Start-BPCatalogImport DS01 -Type Full -Domain $b -Confirm:$false }).TotalSeconds
$coldRate = $script:im2.Entries / $cold
Write-BenchResult "FULL import, empty catalogs" 'module' $cold 'plain read+write' $baseline ($coldRate / $baseRate) '>= 0.5 of baseline rate' ($coldRate / $baseRate -ge 0.5)

# The switch of the same store: its four export/import steps are the two cycles it contains.
$report = Invoke-BPRoleSwitch DS01 -Primary $a -Secondary $b -Confirm:$false
$total = $report.DurationSeconds
$cycles = ($report.Steps | Where-Object Id -In 'final-full-export', 'final-full-import', 'prove-full-export', 'prove-full-import' |
    ForEach-Object { $_.DurationSeconds } | Measure-Object -Sum).Sum
Write-BenchResult "role switch ($n volumes)" 'switch' $total 'its 2 export+import cycles' $cycles ($total / $cycles) '<= 2x' ($total / $cycles -le 2)
$report.Steps | ForEach-Object { '  {0,-28} {1,7:N2} s {2,5:P0}' -f $_.Id, $_.DurationSeconds, ($_.DurationSeconds / $total) }
Disconnect-BPDomain -All
[Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
Remove-Item $lab, $plainFile -Recurse -Force
