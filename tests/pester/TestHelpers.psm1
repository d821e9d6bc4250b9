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
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $pwshDll) { $psi.ArgumentList.Add($pwshDll) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['NO_COLOR'] = '1'
    $p = [System.Diagnostics.Process]::Start($psi)
    $errTask = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill($true); throw "Fresh pwsh did not finish in $TimeoutSeconds s." }
    [pscustomobject]@{ ExitCode = $p.ExitCode; StdOut = $out; StdErr = $errTask.GetAwaiter().GetResult() }
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

Export-ModuleMember -Function *
