<#
.SYNOPSIS
    Read-path benchmarks (issue 2): streaming 100,000 volumes, pushed-down label filter, module import cost,
    lab creation. Each figure is measured against its baseline in the same run.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [int] $VolumeCount = 100000
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1')
New-Item -ItemType Directory -Path $WorkPath -Force | Out-Null
$labPath = Join-Path $WorkPath "read-$VolumeCount"

# Lab creation: the time for the whole estate, against the bare cost of creating the same number of storage
# files (two per volume per site that holds it) with no catalog at all, in a scratch folder, right after.
Import-Module $ModulePath
# A lab left by an earlier run is removed first: deleting its files is not part of creating one.
if (Test-Path $labPath) { Remove-Item $labPath -Recurse -Force }
$create = (Measure-Command { New-BPLab -Path $labPath -VolumeCount $VolumeCount -Seed 1 -Encrypted -Force | Out-Null }).TotalSeconds
$scratch = Join-Path $WorkPath 'files-baseline'
if (Test-Path $scratch) { Remove-Item $scratch -Recurse -Force }
New-Item -ItemType Directory $scratch | Out-Null
$fileCount = [int]($VolumeCount * 2 * 1.8)   # DS01 (80% of volumes) is stored at both sites
$bytes = [byte[]]::new(640)
$filesBaseline = (Measure-Command {
    for ($i = 0; $i -lt $fileCount; $i++) { [System.IO.File]::WriteAllBytes([System.IO.Path]::Combine($scratch, "F$i"), $bytes) }
}).TotalSeconds
Write-BenchResult "lab creation ($VolumeCount volumes)" 'New-BPLab' $create 'storage files only' $filesBaseline ($create / $filesBaseline) 'tens of seconds at most' ($create -lt 60)

Connect-BPDomain -Lab $labPath -Node '\A' | Out-Null
$csv = Join-Path $WorkPath "volumes-$VolumeCount.csv"
# What operators have today: a GUI export of the volume list. Its columns are the volume's catalog fields, without
# the Origin the module adds (which connection a volume came from): the baseline stays the same file as before it.
Get-BPVolume | Select-Object * -ExcludeProperty Origin | Export-Csv $csv -NoTypeInformation
$n1 = (Get-BPVolume | Measure-Object).Count
$n2 = (Import-Csv $csv | Measure-Object).Count
if ($n1 -ne $n2) { throw "Row counts differ: $n1 vs $n2" }
$module = Measure-Median { Get-BPVolume | Measure-Object }
$baseline = Measure-Median { Import-Csv $csv | Measure-Object }
Write-BenchResult "Get-BPVolume | Measure ($n1)" 'module' $module 'Import-Csv' $baseline ($baseline / $module) '>= 2x faster' ($baseline / $module -ge 2)

$pushed = Measure-Median { Get-BPVolume -Label 'AB1*' | Measure-Object } -Runs 5
$filtered = Measure-Median { Get-BPVolume | Where-Object Label -like 'AB1*' | Measure-Object }
$a = @(Get-BPVolume -Label 'AB1*').Count; $b = @(Get-BPVolume | Where-Object Label -like 'AB1*').Count
if ($a -ne $b) { throw "-Label and Where-Object disagree: $a vs $b" }
Write-BenchResult "-Label 'AB1*' ($a matches)" 'pushed down' $pushed 'Where-Object' $filtered ($filtered / $pushed) '>= 20x faster' ($filtered / $pushed -ge 20)

$manifest = $ModulePath
$bare = Measure-Median { Invoke-FreshPwsh -Command '1' } -Runs 5
$withModule = Measure-Median { Invoke-FreshPwsh -Command "Import-Module '$manifest'" } -Runs 5
$cost = $withModule - $bare
Write-BenchResult 'module import cost' 'pwsh + Import-Module' $withModule 'pwsh -c 1' $bare ($withModule / $bare) '<= 0.3 s added' ($cost -le 0.3)
'module import adds {0:N3} s' -f $cost

Remove-Item $csv
Remove-Item $scratch -Recurse -Force
Disconnect-BPDomain -All
[Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
Remove-Item $labPath -Recurse -Force
