<#
    Runs, in this (fresh) pwsh, every example of one cmdlet's built help as written: each in a new runspace (a new
    session: no connection, variable or location of another example) whose host confirms prompts
    (tests/pester/HelpExampleHost.cs), in a new empty folder, so that each example's setup builds its own lab there.
    Writes one JSON record per example to -ResultPath: the code, the error records and the terminating error (with
    the line of the code they came from), the prompts, the time, and the start of the output.
    Used by tests/pester/HelpExamples.Tests.ps1; runnable by hand to see one cmdlet's examples run:
        pwsh tests/pester/HelpExampleRunner.ps1 -ModulePath out/BackPak/BackPak.psd1 -Cmdlet Get-BPVolume `
            -WorkPath /tmp/ex -ResultPath /tmp/ex.json -HostAssembly <HelpExampleHost.dll>
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Cmdlet,
    [Parameter(Mandatory)] [string] $WorkPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # HelpExampleHost.cs compiled (Add-Type -OutputAssembly), so that no child compiles it again.
    [Parameter(Mandatory)] [string] $HostAssembly,
    # Answers to named keyboard prompts, as JSON: {"PFX password": "..."}.
    [string] $AnswersPath,
    # Files every example finds in its folder (the ESKM setup's ./eskm.psd1).
    [string[]] $ProvidedFiles = @(),
    [int] $TimeoutSeconds = 90,
    # Keep each example's folder (to look at what it left).
    [switch] $Keep,
    # Run this code as the one example instead of the help's (to try a setup on its own).
    [string] $Code
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

Add-Type -Path $HostAssembly
$ModulePath = [System.IO.Path]::GetFullPath($ModulePath)
Import-Module $ModulePath
$answers = [System.Collections.Generic.Dictionary[string, string]]::new()
if ($AnswersPath) {
    foreach ($p in (Get-Content -LiteralPath $AnswersPath -Raw | ConvertFrom-Json).PSObject.Properties) { $answers[$p.Name] = [string]$p.Value }
}

function ConvertTo-ErrorInfo($Record, [string[]] $Lines) {
    $inv = $Record.InvocationInfo
    $line = if ($inv -and $inv.ScriptLineNumber -gt 0) { $inv.ScriptLineNumber } else { 0 }
    [ordered]@{
        ErrorId  = [string]$Record.FullyQualifiedErrorId
        Category = [string]$Record.CategoryInfo.Category
        Message  = [string]$Record.Exception.Message
        Line     = $line
        Code     = if ($line -gt 0 -and $line -le $Lines.Count) { $Lines[$line - 1].Trim() } else { '' }
    }
}

$examples = if ($Code) { @([pscustomobject]@{ title = 'the given code'; code = $Code }) } else { @((Get-Help $Cmdlet -Examples).examples.example) }
$results = [System.Collections.Generic.List[object]]::new()
$n = 0
foreach ($ex in $examples) {
    $n++
    $code = [string]$ex.code
    $lines = $code -split '\r?\n'
    $dir = Join-Path $WorkPath "$Cmdlet-$n"
    $null = New-Item -ItemType Directory -Path $dir -Force
    foreach ($f in $ProvidedFiles) { Copy-Item -LiteralPath $f -Destination $dir }

    $exampleHost = [BackPak.Tests.ExampleHost]::new($answers)
    $iss = [initialsessionstate]::CreateDefault2()
    $iss.ImportPSModule([string[]]@($ModulePath))
    $rs = [runspacefactory]::CreateRunspace($exampleHost, $iss)
    $ps = [powershell]::Create()
    $errors = @(); $terminating = $null; $output = ''; $timedOut = $false
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $rs.Open()
        $rs.SessionStateProxy.Path.SetLocation($dir) | Out-Null
        $ps.Runspace = $rs
        # As written: the code of the help, setup preamble included, run as one script.
        [void]$ps.AddScript($code)
        $outputs = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $outputs)
        if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) {
            $timedOut = $true
            $ps.Stop()
        }
        try { $ps.EndInvoke($async) } catch {
            $e = $_.Exception
            while ($e -and -not ($e -is [System.Management.Automation.IContainsErrorRecord]) -and $e.InnerException) { $e = $e.InnerException }
            $terminating = if ($e -is [System.Management.Automation.IContainsErrorRecord]) { ConvertTo-ErrorInfo $e.ErrorRecord $lines }
            else { [ordered]@{ ErrorId = $e.GetType().FullName; Category = ''; Message = $e.Message; Line = 0; Code = '' } }
        }
        $errors = @($ps.Streams.Error | ForEach-Object { ConvertTo-ErrorInfo $_ $lines })
        $output = ($outputs | Out-String -Width 160)
    } catch {
        $terminating = [ordered]@{ ErrorId = 'HarnessFailure'; Category = ''; Message = "$_"; Line = 0; Code = '' }
    } finally {
        $sw.Stop()
        $ps.Dispose()
        $rs.Dispose()
    }
    if ($timedOut) {
        $terminating = [ordered]@{ ErrorId = 'Timeout'; Category = ''; Message = "did not finish in $TimeoutSeconds s and was stopped"; Line = 0; Code = '' }
    }
    $hostText = $exampleHost.ExampleUI.Text
    $results.Add([ordered]@{
            Cmdlet      = $Cmdlet
            Number      = $n
            Title       = [string]$ex.title
            Code        = $code
            Errors      = @($errors)
            Terminating = $terminating
            Prompts     = @($exampleHost.ExampleUI.Prompts)
            ElapsedMs   = $sw.ElapsedMilliseconds
            Output      = (($output + $hostText).Trim() | ForEach-Object { if ($_.Length -gt 3000) { $_.Substring(0, 3000) + ' ...' } else { $_ } })
        })
    if (-not $Keep) {
        $sqlite = 'Microsoft.Data.Sqlite.SqliteConnection' -as [type]
        if ($sqlite) { $sqlite::ClearAllPools() }
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }
}
[System.IO.File]::WriteAllText($ResultPath, (ConvertTo-Json -Depth 5 -InputObject @($results)))
