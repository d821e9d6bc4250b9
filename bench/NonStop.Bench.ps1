<#
.SYNOPSIS
    NonStop listing benchmark (issue 13): 100,000 volumes listed through the real sshd and the NonStop simulator
    (SSH transport plus streaming parse of the INFO TAPEVOLUME detail report), against the raw transfer of the same
    report over the same SSH session in the same run. Target: at most twice the raw transfer.
.NOTES
    The simulator serves a report it rendered once, so both figures measure this machine's client, not Python.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [int] $VolumeCount = 100000
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1')
New-Item -ItemType Directory -Path $WorkPath -Force | Out-Null
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$project = Join-Path $PSScriptRoot 'NonStop.Bench/NonStop.Bench.csproj'
$json = & dotnet run -c Release --project $project -- $root $WorkPath $VolumeCount 2>&1 | Select-Object -Last 1
if ($LASTEXITCODE -ne 0) { throw "NonStop.Bench failed: $json" }
$r = $json | ConvertFrom-Json
Write-BenchResult "NonStop list ($($r.volumes) volumes, $([math]::Round($r.bytes / 1MB, 1)) MB)" 'ssh+parse' $r.parsed 'raw ssh transfer' $r.raw $r.ratio '<= 2x raw transfer' ($r.ratio -le 2)
"    reading lines only: $($r.lines) s; report bytes waiting unread in SSH.NET (peak): $($r.bufferedMB) MB while parsing, $($r.stalledBufferedMB) MB with a reader slowed by forced collections (live heap $($r.liveHeapMB) MB); commands on one session: $($r.sessionCommands)"
