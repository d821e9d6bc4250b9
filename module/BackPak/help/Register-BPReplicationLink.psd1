@{
    Synopsis    = 'Registers your own commands (the storage array''s or key server''s tool) as the replication link of a data store, so that the switch reverses that replication through them.'
    Description = @'
Register-BPReplicationLink tells the planned switch how to reach a replication facility outside BackPak for one data store: the storage replication of its volume images (-Kind Storage) or the key-server replication of its keys (-Kind Keys). Without a link, Invoke-BPRoleSwitch stops at those steps for you to do them by hand and confirm (-ConfirmStep); with one, it calls your commands and goes on. A registered link overrides the link the provider offers for that kind (the lab's own links, for example). Get-BPRoleSwitchPlan and Invoke-BPRoleSwitch -WhatIf name the link each step uses.

The link is registered for the data store in the estate (lab folder or site) of -Domain, or of the default domain: both sides of the store's switch, in either direction, use it. The data store must exist there (DataStoreNotFound); a second link of the same store and kind is refused (ReplicationLinkExists) unless -AllowClobber replaces it.

Registrations live in the session only, like the connections: a script block belongs to the session that wrote it, so nothing is written to disk and nothing of another user or session is touched. Register your links again in each new session (in the runbook's first lines or your profile).

Both scripts are called with one argument, the call ($Link, BackPak.PowerShell.ReplicationLinkCall): Name, DataStore, Kind, Action (Reverse or Status) and the direction the switch wants, FromNode and FromSite (the side that becomes PRIMARY) to ToNode and ToSite. -Reverse must make replication flow that way; being told the direction rather than asked to toggle it, it does no harm when called again (a resumed run calls it again if it was interrupted). A function of your own is given as a script block that calls it (-Reverse { param($Link) Invoke-MyFailover -From $Link.FromSite }), or as the function itself (-Reverse ${function:Invoke-MyFailover}, which then receives $Link as its first argument).

-Status must return an object or a hashtable with Healthy and CaughtUp, both [bool] ($true or $false, not text), and Source, the site or node replication flows from now (the site names the provider uses, such as SITEA in the lab, or the node names, such as \A); Target is optional. Before the reversal the switch fails if the link says it is not healthy or behind; after it, it checks that the link now flows from the new PRIMARY side and fails if not. Without -Status the switch cannot check the link: it stops at check-replication for you to confirm that replication has caught up (as when there is no link), then calls -Reverse and reports that it could not check the direction.

The scripts run in your session, on the pipeline of the switch: they see the variables and functions they were written with, and their warnings and verbose messages are shown as the switch's, prefixed with the link's name. A script that throws, writes an error or returns what cannot be read stops the step with ReplicationLinkFailed, naming the data store, the kind and the script's message; the run stays resumable: fix the script, register it again with -AllowClobber and resume the run. The audit trail and the run journal name a link only by its -Name, never by the text of its scripts.
'@
    Parameters  = @{
        DataStore    = 'Store ID of the data store whose replication the link carries. It must exist in the domain (-Domain or the default).'
        Kind         = 'Storage (the replication of the store''s volume images) or Keys (the key-server replication of its encryption keys).'
        Reverse      = 'A script block that makes replication flow from the side that becomes PRIMARY: it receives the call ($Link) with FromNode, FromSite, ToNode and ToSite. A function is given as { param($Link) My-Function ... } or ${function:My-Function}.'
        Status       = 'A script block that returns the link''s state: Healthy and CaughtUp ([bool]) and Source (the site or node replication flows from now), optionally Target. Without it the switch stops for you to confirm that replication has caught up.'
        Name         = 'How plans, run reports and the audit trail name the link, such as the tool it calls (ArrayFailover). The default is the store and kind (DS01-Storage).'
        AllowClobber = 'Replaces a link of the same data store and kind already registered in the session.'
        PassThru     = 'Returns the registration, as Get-BPReplicationLink shows it.'
        Domain       = 'The domain whose estate (lab folder or site) the link serves: a connection or the node name of one. The default connection when not given.'
    }
    Outputs     = 'BackPak.PowerShell.ReplicationLinkRegistration, with -PassThru.'
    Examples    = @(
        @{
            Title   = 'Switch DS01 with the storage array''s own tool reversing its replication'
            Code    = @'
$array = @{ Source = 'SITEA'; Target = 'SITEB'; Calls = @() }   # stands for your storage array
Register-BPReplicationLink DS01 -Kind Storage -Name ArrayFailover -Reverse {
    param($Link)
    $array.Calls += $Link.DataStore
    $array.Source, $array.Target = $Link.FromSite, $Link.ToSite
} -Status { @{ Healthy = $true; CaughtUp = $true; Source = $array.Source; Target = $array.Target } }
(Get-BPRoleSwitchPlan DS01 -Primary '\A' -Secondary '\B').Steps | Where-Object Facility | Format-Table Number, Id, Facility -Wrap
(Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false).Status
"reversed $($array.Calls.Count) time(s); storage now flows $($array.Source) -> $($array.Target)"
'@
            Remarks = 'The plan names ArrayFailover for the storage steps and the lab''s own link for the keys. The switch completes without stopping: it read the status, called -Reverse once with DS01, and checked that storage now flows from SITEB.'
        }
        @{
            Title   = 'A function of your own, with no status command: confirm, then the switch reverses'
            Code    = @'
$failovers = [System.Collections.Generic.List[string]]::new()
function Set-ArrayDirection { param([string] $Pair, [string] $From) $failovers.Add("$Pair from $From") }
Register-BPReplicationLink DS01 -Kind Storage -Name ArrayCli -Reverse { param($Link) Set-ArrayDirection -Pair "BP-$($Link.DataStore)" -From $Link.FromSite }
$report = Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -WarningAction SilentlyContinue
$report.Status                        # AwaitingOperator: nothing can check ArrayCli's state
(Invoke-BPRoleSwitch -Resume $report.RunId -ConfirmStep check-replication -Confirm:$false).Status
$failovers
'@
            Remarks = 'Without -Status the switch cannot check that storage replication has caught up, so it stops at check-replication as it does without a link. Once you have checked it and confirmed, the run goes on and reverses through Set-ArrayDirection (BP-DS01 from SITEB).'
        }
        @{
            Title   = 'Replace a link, list the links, remove one'
            Code    = @'
Register-BPReplicationLink DS01 -Kind Keys -Name KeyServerSync -Reverse { param($Link) "keys from $($Link.FromNode)" } | Out-Null
Register-BPReplicationLink DS01 -Kind Keys -Name KeyServerSync2 -Reverse { param($Link) } -AllowClobber -PassThru
Get-BPReplicationLink
Unregister-BPReplicationLink DS01 -Kind Keys -Confirm:$false
'@
            Remarks = 'A second link of the same store and kind needs -AllowClobber (ReplicationLinkExists otherwise). Once unregistered, the switch of DS01 uses the lab''s key link again.'
        }
    )
    Links       = @('Get-BPReplicationLink', 'Unregister-BPReplicationLink', 'Get-BPRoleSwitchPlan', 'Invoke-BPRoleSwitch', 'about_BackPak_Errors')
}
