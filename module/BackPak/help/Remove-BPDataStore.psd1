@{
    Synopsis    = 'Removes data stores; with -Recurse, decommissions a store whole, in the manual''s order, and with -Secondary both sides of its replication.'
    Description = @'
Remove-BPDataStore is the decommission of a data store [CS p41]. Without -Recurse it removes only a data store that has no volumes and no volume groups left, and refuses otherwise with DataStoreNotEmpty (the manual's order is volumes, then volume groups, then the data store).

With -Recurse it runs the decommission as one journaled run, step by step:
  1. it records what the store holds on each side (its volumes, storage, staging area and the keys its volumes name) and checks that every volume may go;
  2. it stops the store's catalog export, so nothing more reaches the staging area (inferred);
  3-5. on the node of the store (-Domain, the PRIMARY side): every volume (its storage, its DSM/TC or TMF entries, its BackPak entry), then every volume group, then the data store [CS p41];
and with -Secondary naming the node of the SECONDARY copy, in the same run (inferred, docs/inferred.md):
  6-8. the SECONDARY volumes (their BackPak and DSM/TC entries: a SECONDARY store never wrote storage), its volume groups and the SECONDARY store;
  9. the store's export files in the staging area, so that no later FULL import brings the store back (-Keep StagingArea leaves them);
  10. the replicated volume images at the secondary site, through the storage replication (-Keep Replicas leaves them; without a facility that can delete them, the step is left to the operator and the run says so; when you registered a storage link for the store with Register-BPReplicationLink, which can reverse but not delete, the run stops at this step for you to delete them with the storage's own tools, and the same command with -ConfirmStep replicas confirms it, once the storage is read to hold none of them, and goes on);
and with -DestroyKeys, last and optional [CS p41, TEO p10]:
  11. the encryption keys of the store's volumes, destroyed on every connected key server of the store's Key Manager (connect both sides' key servers to destroy both copies). Once a key is destroyed its volumes can never be read again.

-WhatIf lists every step, then every volume, volume group, store, staging file, replica and key that would go, and changes nothing. The run prompts once (ConfirmImpact High) with what goes. A decommission removes all or nothing: when any volume on either side may not be removed now (non-expired data without -IgnoreRetention, or a current operation such as a restore in flight), each refusal is reported once, nothing at all is removed, the summary says why (with -PassThru), and DecommissionRefused ends the store's removal.

The run holds the data store from start to end: no backup, export, import, setting or switch of it is accepted on either side meanwhile (SwitchInProgress, naming the run). A run stopped anywhere (the process killed, Ctrl-C, a failed step) is continued by running the same command again; Ctrl-C says how far it got. Write-Progress shows the steps and the volumes.

A replicated store removed without -Secondary leaves its SECONDARY copy, the staging area and the replicas, and the command warns about them.

On a real site (Connect-BPDomain -Provider NonStop), the module cannot change the BackPak domain: its Domain Manager has no public API, and volume, group and store deletion are GUI actions. There -Recurse runs the same steps, in the same order, guided: the module takes the inventory itself (it reads the volumes and groups of each side over SSH), then each step waits for the operator. The warning names the GUI page and action (the runbook's text, Export-BPRunbook -Decommission) and how to confirm it: do the step, then run the same command with -ConfirmStep <step id>. Steps are confirmed in their order (StepNotAwaitingOperator otherwise). A read checks what it can before the run goes on: the volume steps are done when the node's tape catalogs (MEDIACOM, TMFCOM) hold no volume of the store any more, since the GUI deletion removes their DSM/TC or TMF entries [CS p41]; a confirmation they contradict is refused with OperatorStepNotVerified, naming the volumes left, and the run still waits. The other steps have no documented read: the run records the operator's confirmation and says it was not checked. The module sends no change to the node (no MEDIACOM DELETE): BackPak removes those entries itself. The run is journaled on the operator's machine, beside the site description (<name>.runs), so any session with the same description continues it. -DestroyKeys is refused there (the Media Key Names cannot be read over SSH).
'@
    Parameters  = @{
        Name            = 'Store IDs of the data stores to remove.'
        InputObject     = 'Data stores from Get-BPDataStore; each is removed in the domain it was read from.'
        Recurse         = 'Decommissions the store whole: its volumes and volume groups first, in that order, as one journaled run.'
        Secondary       = 'With -Recurse: the node (or connection) of the store''s SECONDARY copy, decommissioned in the same run with the staging area and the replicas. The store itself must be the PRIMARY side.'
        DestroyKeys     = 'With -Recurse: the last, optional step: destroy the keys of the store''s volumes on every connected key server of its Key Manager (Connect-BPKeyManager). Refused for a replicated store unless -Secondary is given too.'
        Keep            = 'With -Recurse -Secondary: places to leave as they are: StagingArea (the export files), Replicas (the replicated images, for a storage team that removes them itself).'
        IgnoreRetention = 'With -Recurse, also removes volumes whose data has not expired.'
        ConfirmStep     = 'With -Recurse, for a run waiting for the operator (every step of a guided decommission on a NonStop site; the replicas step of a lab run whose storage link the operator registered): the id of the step the run waits for, once the operator has done it (the warning names it). It is checked by a read where one exists before the run goes on.'
        Force           = 'Skips the confirmation prompt. It overrides no rule.'
        PassThru        = 'Emits a result per volume (and per key with -DestroyKeys) and one summary per data store, also when the run stops.'
        Domain          = 'The domain of the store (its PRIMARY side): a connection or a node name. The default connection when not given.'
    }
    Outputs     = 'With -PassThru, BackPak.Core.Removal.VolumeRemovalResult per volume, BackPak.Core.Keys.KeyRemovalResult per key, and BackPak.Core.Removal.DecommissionResult per data store: its run, steps, counts, and what it leaves.'
    Examples    = @(
        @{
            Title   = 'Decommission a local data store on the primary node'
            Code    = @'
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore | Out-Null
Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -WhatIf
Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Confirm:$false -PassThru |
    Where-Object { $_ -is [BackPak.Core.Removal.DecommissionResult] }
'@
            Remarks = 'The restores the lab left in flight end first: a busy volume would refuse the whole decommission. Then -WhatIf shows every step and everything that would go; the run removes them and keeps only the summary.'
        }
        @{
            Title   = 'Decommission a replicated data store on both sides, and prove it'
            Code    = @'
Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -Force
Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Format-Table -Wrap
'@
            Remarks = 'The PRIMARY volumes, groups and store on \A, then the SECONDARY ones on \B, the staging area and the replicas at site B. Every check passes. The keys stay without -DestroyKeys, the optional last step; a connected key server would show them as left (Test-BPDecommission example 2 destroys them too).'
        }
        @{
            Title   = 'Check that nothing of it remains in the audit trail'
            Code    = @'
Get-BPVolume -DataStore DS02 | Where-Object CurrentOperation | Stop-BPLabRestore | Out-Null
Remove-BPDataStore -Name DS02 -Recurse -IgnoreRetention -Force
Get-BPDataStore DS02 -ErrorAction SilentlyContinue     # nothing
Get-BPAuditRecord -Target DS02 -Kind Start, End, Refusal
'@
            Remarks = 'The Start and End records of the operation (one per command): who ran it, how, and how it ended, with the counts of its changes. Get-BPAuditRecord -Target DS02 also lists every volume and group removed (their targets are DS02/<label> and DS02/<group>); Export-BPChangeRecord writes the whole operation as a change record.'
        }
    )
    Links       = @('Test-BPDecommission', 'Remove-BPVolume', 'Remove-BPVolumeGroup', 'Stop-BPLabRestore', 'Get-BPAuditRecord')
}
