<#
    Shared helpers of the Pester suites. One place for: where the module and the repository are, running a
    fresh pwsh, capturing errors, tab completion, and the small file/SQLite utilities the tests need.
#>
Set-StrictMode -Version 3.0

function Get-BPTestModulePath {
    # The built manifest: BACKPAK_MODULE from the test runner, else the staged module of this checkout.
    if ($env:BACKPAK_MODULE) { return $env:BACKPAK_MODULE }
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/BackPak/BackPak.psd1'))
}

function Get-BPTestPackagePath {
    # The folder of the built .nupkg: BACKPAK_PACKAGE from the test runner, else out/package of this checkout.
    if ($env:BACKPAK_PACKAGE) { return $env:BACKPAK_PACKAGE }
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/package'))
}

function Get-BPTestRepoRoot {
    if ($env:BACKPAK_ROOT) { return $env:BACKPAK_ROOT }
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
}

function Import-BPTestModule {
    # Imports the built module once into the calling session and returns it.
    $path = Get-BPTestModulePath
    if (-not (Test-Path $path)) { throw "The built module is missing: '$path'. Run ./build.ps1 -Task Build first." }
    # A binary module cannot be unloaded: once imported, every file of the run shares it.
    $loaded = Get-Module BackPak | Select-Object -First 1
    if ($loaded) { return $loaded }
    Import-Module $path -Global -PassThru -ErrorAction Stop
}

function Get-BPCoreAssembly {
    # The BackPak.Core assembly the module loaded (loading it the way the module does when nothing used it yet).
    param([Parameter(Mandatory)] [psmoduleinfo] $Module)
    $find = { [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BackPak.Core' } | Select-Object -First 1 }
    $core = & $find
    if ($core) { return $core }
    # Touch a public property type of a cmdlet (e.g. -Domain's DomainConnection): the runtime loads Core beside the module.
    foreach ($t in $Module.ImplementingAssembly.GetExportedTypes()) {
        foreach ($p in $t.GetProperties()) {
            $a = $p.PropertyType.Assembly
            if ($a.GetName().Name -eq 'BackPak.Core') { return $a }
        }
    }
    [System.Reflection.Assembly]::LoadFrom((Join-Path $Module.ModuleBase 'BackPak.Core.dll'))
}

function Invoke-BPFreshPwsh {
    # Runs a command in a new pwsh process of the same version; returns its exit code, stdout and stderr.
    param([Parameter(Mandatory)] [string] $Command, [int] $TimeoutSeconds = 60)
    Wait-BPFreshPwsh -Child (Start-BPFreshPwsh -Command $Command) -TimeoutSeconds $TimeoutSeconds
}

function Invoke-BPCaptured {
    <#
        Runs a script block and sorts what came out: Output (objects), Errors (non-terminating ErrorRecords, in
        order) and Terminating (the ErrorRecord that stopped it, or $null). All = Errors plus Terminating.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $items = [System.Collections.Generic.List[object]]::new()
    $terminating = $null
    try {
        & $ScriptBlock 2>&1 | ForEach-Object { $items.Add($_) }
    } catch {
        $terminating = $_
    }
    $errors = @($items | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $output = @($items | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
    [pscustomobject]@{
        Output      = $output
        Errors      = $errors
        Terminating = $terminating
        All         = @($errors) + @($terminating | Where-Object { $_ })
    }
}

function Get-BPCompletion {
    # The completion texts TabExpansion2 offers at the end of the input, quotes removed.
    param([Parameter(Mandatory)] [string] $InputScript)
    $r = TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length
    @($r.CompletionMatches | ForEach-Object { $_.CompletionText.Trim("'", '"') })
}

function Get-BPFileHash {
    param([Parameter(Mandatory)] [string] $Path)
    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}

function Get-BPTreeSnapshot {
    # Relative path, length and hash of every file under a folder, plus the folders: a picture to compare before/after.
    param([Parameter(Mandatory)] [string] $Path)
    $root = [System.IO.Path]::GetFullPath($Path)
    @(Get-ChildItem -LiteralPath $root -Recurse -Force | Sort-Object FullName | ForEach-Object {
            $rel = $_.FullName.Substring($root.Length)
            if ($_.PSIsContainer) { "D $rel" } else { "F $rel $($_.Length) $(Get-BPFileHash $_.FullName)" }
        })
}

function Invoke-BPSqlite {
    # Runs one SQL statement on a lab store with the module's own SQLite (loaded once the module has opened a lab).
    param([Parameter(Mandatory)] [string] $Database, [Parameter(Mandatory)] [string] $Sql, [switch] $Create)
    $mode = if ($Create) { 'ReadWriteCreate' } else { 'ReadWrite' }
    $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$Database;Mode=$mode;Pooling=False")
    try {
        $c.Open()
        $cmd = $c.CreateCommand()
        $cmd.CommandText = $Sql
        [void]$cmd.ExecuteNonQuery()
    } finally {
        $c.Dispose()
    }
}

function Get-BPInnerExceptions {
    # The exception and all its inner exceptions.
    param([Parameter(Mandatory)] [Exception] $Exception)
    $e = $Exception
    while ($e) { $e; $e = $e.InnerException }
}

function Get-BPSwitchState {
    <#
        Everything a switch changes, on both nodes of a lab, as sorted lines: roles, staging areas, export state,
        the store's volumes with their access, status, authorization and key, the replication directions, and the
        DSM/TC entries. Two labs that end a switch alike give the same lines. Leaves no connection behind.
    #>
    param([Parameter(Mandatory)] [string] $Lab, [string] $DataStore = 'DS01')
    $a = Connect-BPDomain -Lab $Lab -Node '\A'
    $b = Connect-BPDomain -Lab $Lab -Node '\B'
    try {
        @(
            foreach ($d in $a, $b) {
                $s = Get-BPDataStore $DataStore -Domain $d
                "$($d.Node) $($s.DomainAccess) export=$((Get-BPExportStatus $DataStore -Domain $d).StagingArea) import=$((Get-BPImportStatus $DataStore -Domain $d).StagingArea) state=$((Get-BPExportStatus $DataStore -Domain $d).State)"
                Get-BPVolume -DataStore $DataStore -Domain $d | ForEach-Object { "$($d.Node) $($_.Label) $($_.DomainAccess) $($_.CatalogStatus) $($_.Authorization) $($_.MediaKeyName)" }
            }
            Invoke-BPSqliteQuery -Database (Join-Path $Lab 'lab.db') -Sql 'SELECT name, source_site, target_site FROM replication_link ORDER BY name'
            foreach ($n in 'A', 'B') {
                Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$n/dsmtc.db") -Sql "SELECT label, volcat, pool, status FROM tapevolume ORDER BY label"
                Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$n/dsmtc.db") -Sql "SELECT label, file_seq, fileid FROM tapefile ORDER BY label, file_seq"
                Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$n/dsmtc.db") -Sql "SELECT COUNT(*) FROM diskfile"
            }
        )
    } finally {
        Disconnect-BPDomain -Domain $a
        Disconnect-BPDomain -Domain $b
    }
}

function Wait-BPLabPause {
    <#
        Waits until a child started with BACKPAK_LAB_PAUSE_AT / BACKPAK_LAB_PAUSE_DIR=-Folder is paused at its point
        (it wrote -Folder/paused), and returns $true; $false when the child ended first or the timeout passed.
    #>
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 90)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (Test-Path -LiteralPath (Join-Path $Folder 'paused')) { return $true }
        if ($Child.Process.HasExited) { return $false }
        Start-Sleep -Milliseconds 10
    }
    $false
}

Export-ModuleMember -Function *

<#
    Helpers of the removal suites (RemovalCrash, RemovalConcurrency): child processes that can be crashed or killed,
    a picture of a lab's catalogs and storage, and set comparisons that stay readable on thousands of rows.
#>

function Start-BPFreshPwsh {
    <#
        Starts a command in a new pwsh process of the same version without waiting for it. -Environment sets
        variables of the child only ($null removes one). BACKPAK_LAB_CRASH_AT is never inherited: a child crashes
        only when -Environment asks for it. Returns Process, Id and the tasks reading its stdout and stderr.
    #>
    param([Parameter(Mandatory)] [string] $Command, [hashtable] $Environment = @{})
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $pwshDll) { $psi.ArgumentList.Add($pwshDll) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['NO_COLOR'] = '1'
    [void]$psi.Environment.Remove('BACKPAK_LAB_CRASH_AT')
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { [void]$psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string]$Environment[$k] }
    }
    $p = [System.Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Id = $p.Id; StdOut = $p.StandardOutput.ReadToEndAsync(); StdErr = $p.StandardError.ReadToEndAsync() }
}

function Wait-BPFreshPwsh {
    # Waits for a child of Start-BPFreshPwsh; returns its exit code, stdout and stderr. Kills it after the timeout.
    param([Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 120)
    if (-not $Child.Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Child.Process.Kill($true)
        throw "Fresh pwsh $($Child.Id) did not finish in $TimeoutSeconds s."
    }
    $Child.Process.WaitForExit()
    [pscustomobject]@{
        ExitCode = $Child.Process.ExitCode
        StdOut   = $Child.StdOut.GetAwaiter().GetResult()
        StdErr   = $Child.StdErr.GetAwaiter().GetResult()
    }
}

function Invoke-BPFreshPwshEnv {
    # Invoke-BPFreshPwsh with variables for the child (see Start-BPFreshPwsh).
    param([Parameter(Mandatory)] [string] $Command, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 120)
    Wait-BPFreshPwsh -Child (Start-BPFreshPwsh -Command $Command -Environment $Environment) -TimeoutSeconds $TimeoutSeconds
}

function Invoke-BPSqliteQuery {
    # Runs a query on a lab store with the module's SQLite; returns each row as one string, columns joined by '|' (NULL as '').
    param([Parameter(Mandatory)] [string] $Database, [Parameter(Mandatory)] [string] $Sql)
    $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$Database;Mode=ReadWrite;Pooling=False")
    $rows = [System.Collections.Generic.List[string]]::new()
    try {
        $c.Open()
        $cmd = $c.CreateCommand()
        $cmd.CommandText = $Sql
        $r = $cmd.ExecuteReader()
        try {
            $n = $r.FieldCount
            $parts = [string[]]::new($n)
            while ($r.Read()) {
                for ($i = 0; $i -lt $n; $i++) { $parts[$i] = if ($r.IsDBNull($i)) { '' } else { [string]$r.GetValue($i) } }
                $rows.Add([string]::Join('|', $parts))
            }
        } finally {
            $r.Dispose()
        }
    } finally {
        $c.Dispose()
    }
    $rows.ToArray()
}

function New-BPRemovalChildCommand {
    <#
        The script a child pwsh runs for a removal: import the module, connect to \A of the lab, run -Setup, then
        (with -ReadyPath) create that file and (with -GoPath) wait for that one, then run -Removal with its errors
        captured, and write Results, Errors and ElapsedMs (of -Removal) as JSON to -ResultPath. A child killed
        during -Removal writes nothing. -ModulePath: the manifest to import (default: the module under test).
    #>
    param(
        [Parameter(Mandatory)] [string] $Lab,
        [Parameter(Mandatory)] [string] $Removal,
        [Parameter(Mandatory)] [string] $ResultPath,
        [string] $Setup = '',
        [string] $ReadyPath,
        [string] $GoPath,
        [string] $Node = '\A',
        [string] $ModulePath = (Get-BPTestModulePath)
    )
    $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
    $ready = if ($ReadyPath) { "[System.IO.File]::WriteAllText($(& $q $ReadyPath), `"`$PID`")" } else { '' }
    $go = if ($GoPath) { "while (-not [System.IO.File]::Exists($(& $q $GoPath))) { Start-Sleep -Milliseconds 2 }" } else { '' }
    @"
`$ErrorActionPreference = 'Stop'
Import-Module $(& $q $ModulePath)
`$null = Connect-BPDomain -Lab $(& $q $Lab) -Node $(& $q $Node)
$Setup
$ready
$go
`$ErrorActionPreference = 'Continue'
`$items = [System.Collections.Generic.List[object]]::new()
`$sw = [System.Diagnostics.Stopwatch]::StartNew()
try { . { $Removal } 2>&1 | ForEach-Object { `$items.Add(`$_) } } catch { `$items.Add(`$_) }
`$elapsed = `$sw.ElapsedMilliseconds
`$results = @(`$items | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object {
    [ordered]@{ Type = `$_.GetType().Name; Label = [string]`$_.Label; Node = [string]`$_.Node; DataStore = [string]`$_.DataStore
        Status = [string]`$_.Status; Resumed = [bool]`$_.Resumed; Storage = [string]`$_.Storage; TapeCatalog = [string]`$_.TapeCatalog
        BackPakCatalog = [string]`$_.BackPakCatalog; RunId = [string]`$_.RunId; Completed = [bool]`$_.Completed; Text = [string]`$_ }
})
`$errors = @(`$items | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object {
    [ordered]@{ Fqid = `$_.FullyQualifiedErrorId; Target = [string]`$_.TargetObject; Message = `$_.Exception.Message }
})
[System.IO.File]::WriteAllText($(& $q $ResultPath), (ConvertTo-Json -Depth 4 -InputObject ([ordered]@{ ElapsedMs = `$elapsed; Results = `$results; Errors = `$errors })))
"@
}

function Read-BPRemovalChildResult {
    # The JSON a removal child wrote, or $null when it wrote none (killed). Results and Errors are always arrays.
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $j = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json
    [pscustomobject]@{ ElapsedMs = $j.ElapsedMs; Results = @($j.Results | Where-Object { $_ }); Errors = @($j.Errors | Where-Object { $_ }) }
}

function Get-BPLabState {
    <#
        A picture of a lab for removal tests, as sorted string lists keyed by name. Every row starts with the
        volume label, then '|':
          volume:A / volume:B         Get-BPVolume output of the node (every property but the clock-derived IsExpired)
          <table>:A / <table>:B       rows of tapevolume, tapefile, diskfile (dsmtc.db), tmf_volume, tmf_dump (tmf.db)
          intent:A / intent:B         labels in removal_intent
          deleting:A / deleting:B     labels whose current operation is DELETE
          audit:A / audit:B           targets of the Remove-BPVolume Change audit rows (duplicates kept)
          files                       'label|relative path|length|sha256' of every file under sites/ (label '' when
                                      the file is not a volume image; SQLite -wal/-shm/-journal files left out)
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $root = [System.IO.Path]::GetFullPath($Path)
    $state = [ordered]@{}
    $sorted = { param($list) $a = [string[]]@(foreach ($x in $list) { $x }); [Array]::Sort($a, [StringComparer]::Ordinal); , $a }
    foreach ($n in 'A', 'B') {
        $c = Connect-BPDomain -Lab $root -Node "\$n"
        try {
            $rows = [System.Collections.Generic.List[string]]::new()
            foreach ($v in Get-BPVolume -Domain $c) {
                $t = foreach ($d in $v.LastBackup, $v.Expiration, $v.LastUpdate) { if ($null -eq $d) { '' } else { $d.ToString('o') } }
                $rows.Add([string]::Join('|', [object[]]@($v.Label, $v.DataStore, $v.VolumeGroup, $v.Node, $v.DomainAccess, $v.CatalogStatus, $v.OwnerNode,
                            $v.OwnerUser, $v.Authorization, $t[0], $t[1], $v.CurrentOperation, $v.CurrentOperationMode, $v.MediaKeyName, $v.Locked, $t[2])))
            }
            $state["volume:$n"] = & $sorted $rows
        } finally {
            Disconnect-BPDomain -Domain $c
        }
        $nodeDir = Join-Path $root "nodes/$n"
        foreach ($t in 'tapevolume', 'tapefile', 'diskfile') {
            $state["${t}:$n"] = & $sorted (Invoke-BPSqliteQuery -Database (Join-Path $nodeDir 'dsmtc.db') -Sql "SELECT * FROM $t")
        }
        foreach ($t in 'tmf_volume', 'tmf_dump') {
            $state["${t}:$n"] = & $sorted (Invoke-BPSqliteQuery -Database (Join-Path $nodeDir 'tmf.db') -Sql "SELECT * FROM $t")
        }
        $bp = Join-Path $nodeDir 'backpak.db'
        $state["intent:$n"] = & $sorted (Invoke-BPSqliteQuery -Database $bp -Sql 'SELECT label FROM removal_intent')
        $state["deleting:$n"] = & $sorted (Invoke-BPSqliteQuery -Database $bp -Sql "SELECT label FROM volume WHERE current_operation = 'DELETE'")
        $state["audit:$n"] = & $sorted (Invoke-BPSqliteQuery -Database $bp -Sql "SELECT target FROM audit WHERE action = 'Remove-BPVolume' AND kind = 'Change'")
    }
    $files = [System.Collections.Generic.List[string]]::new()
    foreach ($f in [System.IO.Directory]::EnumerateFiles((Join-Path $root 'sites'), '*', [System.IO.SearchOption]::AllDirectories)) {
        if ($f.EndsWith('-wal') -or $f.EndsWith('-shm') -or $f.EndsWith('-journal')) { continue }
        $rel = [System.IO.Path]::GetRelativePath($root, $f).Replace('\', '/')
        $name = [System.IO.Path]::GetFileName($f)
        $label = if ($name.Length -eq 12 -and $name.StartsWith('LB') -and ($name.EndsWith('.IND') -or $name.EndsWith('.DAT'))) { $name.Substring(2, 6) } else { '' }
        $bytes = [System.IO.File]::ReadAllBytes($f)
        $files.Add("$label|$rel|$($bytes.Length)|$([Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)))")
    }
    $state['files'] = & $sorted $files
    $state
}

function Select-BPRows {
    # Rows of Get-BPLabState whose label is (or with -Exclude, is not) in -Labels.
    param([AllowEmptyCollection()] [string[]] $Rows = @(), [AllowEmptyCollection()] [string[]] $Labels = @(), [switch] $Exclude)
    $set = [System.Collections.Generic.HashSet[string]]::new([string[]]@($Labels), [System.StringComparer]::Ordinal)
    $keep = -not $Exclude
    $out = [System.Collections.Generic.List[string]]::new()
    foreach ($r in $Rows) {
        $i = $r.IndexOf('|')
        $label = if ($i -lt 0) { $r } else { $r.Substring(0, $i) }
        if ($set.Contains($label) -eq $keep) { $out.Add($r) }
    }
    $out.ToArray()
}

function Compare-BPStringSet {
    <#
        The differences between two string lists, at most -Max of each kind: '-' lines are in -Reference only,
        '+' lines in -Difference only. Empty when both hold the same strings (duplicates count).
    #>
    param([AllowEmptyCollection()] [string[]] $Reference = @(), [AllowEmptyCollection()] [string[]] $Difference = @(), [int] $Max = 5)
    $count = [System.Collections.Generic.Dictionary[string, int]]::new([System.StringComparer]::Ordinal)
    foreach ($s in $Reference) { $n = 0; [void]$count.TryGetValue($s, [ref]$n); $count[$s] = $n + 1 }
    foreach ($s in $Difference) { $n = 0; [void]$count.TryGetValue($s, [ref]$n); $count[$s] = $n - 1 }
    $missing = [System.Collections.Generic.List[string]]::new()
    $extra = [System.Collections.Generic.List[string]]::new()
    foreach ($kv in $count.GetEnumerator()) {
        if ($kv.Value -gt 0) { $missing.Add($kv.Key) } elseif ($kv.Value -lt 0) { $extra.Add($kv.Key) }
    }
    $missing.Sort([StringComparer]::Ordinal)
    $extra.Sort([StringComparer]::Ordinal)
    for ($i = 0; $i -lt [math]::Min($Max, $missing.Count); $i++) { "- $($missing[$i])" }
    if ($missing.Count -gt $Max) { "- ... $($missing.Count) in all" }
    for ($i = 0; $i -lt [math]::Min($Max, $extra.Count); $i++) { "+ $($extra[$i])" }
    if ($extra.Count -gt $Max) { "+ ... $($extra.Count) in all" }
}

function New-BPScratchFolder {
    <#
        A new empty folder for labs that tests create and remove many times. On a RAM disk (/dev/shm) when there is
        one: creating and copying thousands of small files there is an order of magnitude faster than on a busy
        disk. Else under -Fallback (e.g. $TestDrive). Remove it with Remove-BPScratchFolder.
    #>
    param([Parameter(Mandatory)] [string] $Fallback)
    $base = if (-not $IsWindows -and (Test-Path -LiteralPath '/dev/shm' -PathType Container)) { '/dev/shm' } else { $Fallback }
    $path = Join-Path $base ('bp-tests-' + [Guid]::NewGuid().ToString('N').Substring(0, 12))
    try { $null = New-Item -ItemType Directory -Path $path -ErrorAction Stop }
    catch { $path = Join-Path $Fallback ('bp-tests-' + [Guid]::NewGuid().ToString('N').Substring(0, 12)); $null = New-Item -ItemType Directory -Path $path }
    $path
}

function Remove-BPScratchFolder {
    # Removes a folder of New-BPScratchFolder (closing the module's pooled SQLite connections first).
    param([string] $Path)
    if (-not $Path -or -not (Test-Path -LiteralPath $Path)) { return }
    # The type exists once this process has opened a lab (a test that only starts child processes has not).
    $sqlite = 'Microsoft.Data.Sqlite.SqliteConnection' -as [type]
    if ($sqlite) { $sqlite::ClearAllPools() }
    Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue
}

function Copy-BPTestModule {
    <#
        Copies the built module (the folder of Get-BPTestModulePath) to -Destination and returns the manifest of the
        copy. Child processes that import the copy cannot be broken by a rebuild of out/ while the tests run.
    #>
    param([Parameter(Mandatory)] [string] $Destination)
    $manifest = Get-BPTestModulePath
    Copy-Item -LiteralPath (Split-Path $manifest) -Destination $Destination -Recurse
    Join-Path $Destination (Split-Path $manifest -Leaf)
}

function Get-BPLabIntegrity {
    # 'relative path: result' of PRAGMA integrity_check for every SQLite store of a lab; 'ok' is healthy.
    param([Parameter(Mandatory)] [string] $Path)
    $root = [System.IO.Path]::GetFullPath($Path)
    foreach ($db in [System.IO.Directory]::EnumerateFiles($root, '*.db', [System.IO.SearchOption]::AllDirectories)) {
        $rel = [System.IO.Path]::GetRelativePath($root, $db).Replace('\', '/')
        "${rel}: $((Invoke-BPSqliteQuery -Database $db -Sql 'PRAGMA integrity_check') -join '; ')"
    }
}

function Copy-BPLab {
    <#
        Copies a lab folder to a new path: the same seed's lab without building it again. The module's pooled
        SQLite connections are closed first, so no -wal/-shm of an open store is copied. 'cp -a' keeps the hard
        links between a store and its replicas (as New-BPLab made them); without cp, Copy-Item copies them as files.
    #>
    param([Parameter(Mandatory)] [string] $Source, [Parameter(Mandatory)] [string] $Destination)
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    if (Test-Path -LiteralPath $Destination) { throw "'$Destination' exists already." }
    $cp = Get-Command cp -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($cp -and -not $IsWindows) {
        & $cp.Source -a -- $Source $Destination
        if ($LASTEXITCODE -ne 0) { throw "cp -a '$Source' '$Destination' failed ($LASTEXITCODE)." }
    } else {
        Copy-Item -LiteralPath $Source -Destination $Destination -Recurse
    }
}

function Get-BPSwitchState {
    <#
        Everything a switch changes, on both nodes of a lab, as sorted lines: roles, staging areas, export state,
        the store's volumes with their access, status, authorization and key, the replication directions, and the
        DSM/TC entries. Two labs that end a switch alike give the same lines. Leaves no connection behind.
    #>
    param([Parameter(Mandatory)] [string] $Lab, [string] $DataStore = 'DS01')
    $a = Connect-BPDomain -Lab $Lab -Node '\A'
    $b = Connect-BPDomain -Lab $Lab -Node '\B'
    try {
        @(
            foreach ($d in $a, $b) {
                $s = Get-BPDataStore $DataStore -Domain $d
                "$($d.Node) $($s.DomainAccess) export=$((Get-BPExportStatus $DataStore -Domain $d).StagingArea) import=$((Get-BPImportStatus $DataStore -Domain $d).StagingArea) state=$((Get-BPExportStatus $DataStore -Domain $d).State)"
                Get-BPVolume -DataStore $DataStore -Domain $d | ForEach-Object { "$($d.Node) $($_.Label) $($_.DomainAccess) $($_.CatalogStatus) $($_.Authorization) $($_.MediaKeyName)" }
            }
            Invoke-BPSqliteQuery -Database (Join-Path $Lab 'lab.db') -Sql 'SELECT name, source_site, target_site FROM replication_link ORDER BY name'
            foreach ($n in 'A', 'B') {
                Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$n/dsmtc.db") -Sql "SELECT label, volcat, pool, status FROM tapevolume ORDER BY label"
                Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$n/dsmtc.db") -Sql "SELECT label, file_seq, fileid FROM tapefile ORDER BY label, file_seq"
                Invoke-BPSqliteQuery -Database (Join-Path $Lab "nodes/$n/dsmtc.db") -Sql "SELECT COUNT(*) FROM diskfile"
            }
        )
    } finally {
        Disconnect-BPDomain -Domain $a
        Disconnect-BPDomain -Domain $b
    }
}

function Wait-BPLabPause {
    <#
        Waits until a child started with BACKPAK_LAB_PAUSE_AT / BACKPAK_LAB_PAUSE_DIR=-Folder is paused at its point
        (it wrote -Folder/paused), and returns $true; $false when the child ended first or the timeout passed.
    #>
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 90)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (Test-Path -LiteralPath (Join-Path $Folder 'paused')) { return $true }
        if ($Child.Process.HasExited) { return $false }
        Start-Sleep -Milliseconds 10
    }
    $false
}

Export-ModuleMember -Function *
