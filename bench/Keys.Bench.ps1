<#
.SYNOPSIS
    Key removal benchmark (issue 15, row 1): Remove-BPEncryptionKey over N keys on a real PyKMIP server against the
    same locate + revoke + destroy per key done by PyKMIP's own Python client (kmip.pie.client.ProxyKmipClient, one
    process, one connection), in the same run, on the same server, each side starting on a server that holds 2 x N
    objects. The module also reads each key's state, checks both domains' catalogs and storage images for volumes
    that use it, and writes an audit record per key. Connection setup is outside both timings.
.DESCRIPTION
    The baseline is PyKMIP's client in its fastest configuration measured on this machine: TLS 1.2 and KMIP 1.2 set
    explicitly (what the server's TLS1.2 suite speaks; no negotiation), one connection, no config file. The server
    (tests/kmip/start-pykmip.sh) is the same for both sides. -CompareBaselines also times the client with its
    defaults (what this bench used before) on a server of the same size, to show the two configurations side by side.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [int] $KeyCount = 200,
    [switch] $CompareBaselines
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1')
New-Item -ItemType Directory -Path $WorkPath -Force | Out-Null
$root = Split-Path $PSScriptRoot
$python = '/usr/bin/python3'
$kmipDir = Join-Path $WorkPath 'keys-kmip'
if (Test-Path $kmipDir) { Remove-Item $kmipDir -Recurse -Force }

$baselineScript = @'
import sys, time
from kmip.pie.client import ProxyKmipClient
from kmip import enums
from kmip.core.factories import attributes
host, port, cert, key, ca, names_file, mode = sys.argv[1:8]
names = open(names_file).read().split()
factory = attributes.AttributeFactory()
# Fastest measured: TLS 1.2 and KMIP 1.2 given explicitly ('defaults' keeps the client's own defaults).
options = {} if len(sys.argv) > 8 and sys.argv[8] == 'defaults' else {'ssl_version': 'PROTOCOL_TLSv1_2', 'kmip_version': enums.KMIPVersion.KMIP_1_2}
with ProxyKmipClient(hostname=host, port=int(port), cert=cert, key=key, ca=ca, **options) as client:
    if mode == 'create':
        for name in names:
            client.activate(client.create(enums.CryptographicAlgorithm.AES, 256, name=name))
        sys.exit(0)
    start = time.perf_counter()
    for name in names:
        for uid in client.locate(attributes=[factory.create_attribute(enums.AttributeType.NAME, name)]):
            client.revoke(enums.RevocationReasonCode.CESSATION_OF_OPERATION, uid)
            client.destroy(uid)
    print('%.6f' % (time.perf_counter() - start))
'@
$baselinePy = Join-Path $WorkPath 'keys-baseline.py'
Set-Content -LiteralPath $baselinePy -Value $baselineScript

$l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
$started = & bash (Join-Path $root 'tests/kmip/start-pykmip.sh') $kmipDir $port 2>&1
if ($LASTEXITCODE -ne 0) { throw "PyKMIP did not start: $started" }
try {
    function Invoke-Baseline([string] $NamesFile, [string] $Mode, [string] $Options = 'fastest') {
        Push-Location $kmipDir
        try {
            $out = & $python $baselinePy 127.0.0.1 $port client.crt client.key ca.crt $NamesFile $Mode $Options 2>$null
            if ($LASTEXITCODE -ne 0) { throw "The Python baseline ($Mode) failed with exit code $LASTEXITCODE." }
            $out
        } finally { Pop-Location }
    }
    function Get-RemainingCount([string[]] $Names) {
        # A separate KMIP connection counts what is left of the keys.
        $client = [BackPak.Kmip.KmipClient]::Connect($options)
        try { ($Names | ForEach-Object { @($client.Locate($_)).Count } | Measure-Object -Sum).Sum } finally { $client.Dispose() }
    }

    # Two sets of active keys: one for the module, one for the baseline (created by PyKMIP's client, untimed).
    $stamp = [guid]::NewGuid().ToString('N').Substring(0, 6).ToUpperInvariant()
    $moduleNames = 1..$KeyCount | ForEach-Object { "BPK-BENCH-M$stamp-$_" }
    $baselineNames = 1..$KeyCount | ForEach-Object { "BPK-BENCH-P$stamp-$_" }
    $moduleFile = Join-Path $WorkPath 'keys-module.txt'; $baselineFile = Join-Path $WorkPath 'keys-baseline.txt'
    Set-Content $moduleFile $moduleNames; Set-Content $baselineFile $baselineNames
    Invoke-Baseline $moduleFile 'create' | Out-Null
    Invoke-Baseline $baselineFile 'create' | Out-Null

    # The module: a lab's two domains (their catalogs are checked for every key) and the KMIP server.
    Import-Module $ModulePath
    $labPath = Join-Path $WorkPath 'keys-lab'
    New-BPLab -Path $labPath -VolumeCount 10000 -Seed 4 -Encrypted -Force | Out-Null
    Connect-BPDomain -Lab $labPath -Node '\B' | Out-Null
    Connect-BPDomain -Lab $labPath -Node '\A' | Out-Null
    $password = ConvertTo-SecureString (Get-Content (Join-Path $kmipDir 'client.pfx.password') -Raw) -AsPlainText -Force
    $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $kmipDir 'ca.crt'))
    # KM01: the Key Manager id both domains of the lab define, which ties the connection to them.
    Connect-BPKeyManager -Endpoint "127.0.0.1:$port" -CertificatePath (Join-Path $kmipDir 'client.pfx') -CertificatePassword $password -TrustedRootCertificate $ca -BackPakId KM01 | Out-Null
    $options = [BackPak.Kmip.KmipClientOptions]::new()
    $options.Host = '127.0.0.1'; $options.Port = $port; $options.TrustedRootCertificate = $ca
    $options.ClientCertificatePath = Join-Path $kmipDir 'client.pfx'; $options.ClientCertificatePassword = $password
    if ((Get-RemainingCount $moduleNames) -ne $KeyCount -or (Get-RemainingCount $baselineNames) -ne $KeyCount) { throw 'The keys were not all created.' }

    $results = $null
    # PyKMIP's Locate reads every object it holds, so its cost grows with the server's size: each side removes its
    # keys from a server holding the same number of objects (2 x N at the start). The ballast keys created after the
    # module's run bring the server back to that size for the baseline; they are removed afterwards, untimed.
    $module = (Measure-Command { $script:results = @($moduleNames | Remove-BPEncryptionKey -Force -PassThru) }).TotalSeconds
    $ballastNames = 1..$KeyCount | ForEach-Object { "BPK-BENCH-B$stamp-$_" }
    $ballastFile = Join-Path $WorkPath 'keys-ballast.txt'
    Set-Content $ballastFile $ballastNames
    Invoke-Baseline $ballastFile 'create' | Out-Null
    $baseline = [double](Invoke-Baseline $baselineFile 'remove' | Select-Object -Last 1)
    Invoke-Baseline $ballastFile 'remove' | Out-Null
    if ($CompareBaselines) {
        # The client's defaults (TLS and KMIP versions left to it), on a server of the same size again.
        $defaultNames = 1..$KeyCount | ForEach-Object { "BPK-BENCH-D$stamp-$_" }
        $defaultFile = Join-Path $WorkPath 'keys-defaults.txt'
        Set-Content $defaultFile $defaultNames
        Invoke-Baseline $defaultFile 'create' | Out-Null
        Invoke-Baseline $ballastFile 'create' | Out-Null
        $defaults = [double](Invoke-Baseline $defaultFile 'remove' 'defaults' | Select-Object -Last 1)
        Invoke-Baseline $ballastFile 'remove' | Out-Null
        'PyKMIP client with its defaults: {0:N3} s ({1:N1} ms a key); TLS 1.2 + KMIP 1.2 given: {2:N3} s ({3:N1} ms a key)' -f $defaults, (1000 * $defaults / $KeyCount), $baseline, (1000 * $baseline / $KeyCount)
    }

    $destroyed = @($results | Where-Object { $_.Destroyed -and $_.Revoked }).Count
    if ($destroyed -ne $KeyCount) { throw "The module destroyed $destroyed of $KeyCount keys." }
    if ((Get-RemainingCount $moduleNames) -ne 0) { throw 'Keys removed by the module are still on the server.' }
    if ((Get-RemainingCount $baselineNames) -ne 0) { throw 'Keys removed by the baseline are still on the server.' }

    $ratio = ($KeyCount / $module) / ($KeyCount / $baseline)
    Write-BenchResult "Remove-BPEncryptionKey ($KeyCount keys)" 'module' $module 'ProxyKmipClient' $baseline $ratio '>= 2x the baseline throughput' ($ratio -ge 2)
    'module {0:N1} keys/s ({1:N1} ms a key), PyKMIP client {2:N1} keys/s ({3:N1} ms a key), throughput ratio {4:N2}; server of {5} objects at the start of each side' -f `
        ($KeyCount / $module), (1000 * $module / $KeyCount), ($KeyCount / $baseline), (1000 * $baseline / $KeyCount), $ratio, (2 * $KeyCount)
}
finally {
    if (Get-Command Disconnect-BPKeyManager -ErrorAction SilentlyContinue) { Disconnect-BPKeyManager -All }
    & bash (Join-Path $root 'tests/kmip/stop-pykmip.sh') $kmipDir | Out-Null
}
