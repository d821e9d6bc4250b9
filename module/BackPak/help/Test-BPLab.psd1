@{
    Synopsis    = 'Checks that a lab''s estate agrees with itself: catalogs against storage and against each other, and nothing left half done.'
    Description = @'
Test-BPLab returns one check per place of a lab: each SQLite store of each node readable (the BackPak, DSM/TC and TMF catalogs, and the lab's marker store), the BackPak catalog of each node against its DSM/TC catalog (each volume of a group linked to DSM/TC has its TAPEVOLUME, each TAPEVOLUME its BackPak volume) and against its TMF catalog, the storage of each data store (each catalogued volume has its .IND and .DAT images; a SCRATCH volume has none, BB p22/20, and a volume a removal has claimed is left to the next check), each storage folder (no image file without a catalogued volume to own it, its replicas included), no interrupted removal or import left behind, and the run journals of the role switch readable. Each check has Place, Node, DataStore, Passed, Detail (what is out of step and the way out, or "in step") and Left (the items, at most 100). The lab records no image size, so images are checked for existence.

A commit lost by a power cut, a WAL file whose header is gone, or a file deleted by hand leaves a lab that reads on as if nothing had happened: this is how it is found. Test-BPLab only reads; it never repairs. Connect-BPDomain -Lab runs its cheap part for the node it opens (each catalogued volume's images in storage) and writes a warning for each data store out of step.

Without -Path it checks the lab of -Domain, or of the default connection. With -Quiet it returns only $true (every check passed) or $false.
'@
    Parameters  = @{
        Path  = 'Folder of the lab. Binds from the Path property of piped objects (New-BPLab''s result).'
        Quiet = 'Returns only $true when every check passed, else $false.'
    }
    Outputs     = 'BackPak.Core.Removal.DecommissionCheck (the check type Test-BPDecommission returns), or System.Boolean with -Quiet.'
    Examples    = @(
        @{
            Title   = 'Check a lab, place by place'
            Code    = 'Test-BPLab -Path ./lab'
            Remarks = 'A new lab is in step everywhere: every check has Passed True.'
        }
        @{
            Title   = 'A volume image deleted by hand: Test-BPLab names it, and the next connection warns'
            Code    = @'
$v = Get-BPVolume -DataStore DS02 -Domain '\A' | Select-Object -First 1
Remove-Item -LiteralPath "./lab/sites/SITEA/storage/DS02/LB$($v.Label).IND"
Test-BPLab -Path ./lab | Where-Object { -not $_.Passed } | Format-List Place, Detail
Connect-BPDomain -Lab ./lab -Node '\A' -WarningVariable found -WarningAction SilentlyContinue | Out-Null
$found
'@
            Remarks = 'The check of the storage of DS02 on \A fails and names the volume; Connect-BPDomain connects and warns that the storage of DS02 is out of step. Nothing is changed by either.'
        }
        @{
            Title   = 'Stop a runbook when the lab is out of step'
            Code    = @'
if (-not (Test-BPLab -Quiet)) { throw 'The lab is out of step: run Test-BPLab to see where.' }
'@
            Remarks = 'Checks the lab of the default connection (\A here); nothing is written when all is in step.'
        }
    )
    Links       = @('Test-BPDecommission', 'Connect-BPDomain', 'New-BPLab')
}
