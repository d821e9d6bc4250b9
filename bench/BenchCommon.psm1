# Helpers shared by the benchmarks: one place for timing, medians and the report line.

function Measure-Median {
    # Runs a script block several times and returns the median wall time in seconds.
    param([scriptblock] $Script, [int] $Runs = 3)
    $times = foreach ($i in 1..$Runs) { (Measure-Command $Script).TotalSeconds }
    $sorted = @($times | Sort-Object)
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

function Write-BenchResult {
    # One line per figure: both measurements, their ratio and the target, so every figure is relative to a
    # baseline measured in the same run on the same machine.
    param(
        [string] $Name, [string] $SubjectLabel, [double] $Subject, [string] $BaselineLabel, [double] $Baseline,
        [double] $Ratio, [string] $Target, [bool] $Met
    )
    '{0,-34} {1} {2:N3} s | {3} {4:N3} s | ratio {5:N2} | target {6} | {7}' -f `
        $Name, $SubjectLabel, $Subject, $BaselineLabel, $Baseline, $Ratio, $Target, $(if ($Met) { 'MET' } else { 'MISSED' })
}

function Invoke-FreshPwsh {
    param([string] $Command)
    & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $Command | Out-Null
}

Export-ModuleMember -Function Measure-Median, Write-BenchResult, Invoke-FreshPwsh
