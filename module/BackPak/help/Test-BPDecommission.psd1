@{
    Synopsis    = 'Checks that a decommissioned data store left nothing behind: one object per place, on both sides of its replication.'
    Description = @'
Test-BPDecommission returns one check per place a data store can leave something in: the BackPak catalog of each side (the store, its volume groups, its volumes), the DSM/TC and TMF catalogs of each side (the entries of the store's volumes), the storage of the PRIMARY side and the replicas at the SECONDARY side (the volume image files), the staging area (the store's export files, which a FULL import would bring back), and each connected key server of the store's Key Manager (the keys of the store's volumes). Each check has Place, Node, Passed and Detail (what is left, or "nothing left"), and Left (the items left, at most 100).

What the store held is read from the catalogs while they still hold it, and from the record that Remove-BPDataStore -Recurse keeps of every decommission run (its first step records the store's volumes, storage, staging area and keys on each side), so the test still knows where to look once the catalogs no longer do. Without either it cannot tell, and says so: that check fails.

On a real site (a domain connected through a provider that reads but does not change it, such as NonStop), the test checks what a read over SSH can tell: that the DSM/TC and TMF catalogs of each node hold no volume of the store, and that the last decommission run of the store completed, naming the steps that rest on the operator's confirmation alone. The places no read reaches there (the BackPak catalog, the storage and replicas, the staging area, the key servers) are reported with Checked = $false, Passed = $false and "cannot tell: ..." with where to look instead; they never pass. Where-Object Checked keeps the places that were read.

It changes nothing. With -Quiet it returns only $true (every place clear) or $false. In Pester: Test-BPDecommission DS01 -Primary '\A' -Secondary '\B' | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty.
'@
    Parameters  = @{
        DataStore = 'Store ID of the data store on the PRIMARY side.'
        Primary   = 'The domain that held the PRIMARY store: a connection or a node name such as \A.'
        Secondary = 'The domain that held its SECONDARY copy: a connection or a node name such as \B. Left out for a store that was not replicated.'
        Quiet     = 'Returns only $true when every place is clear, else $false.'
    }
    Outputs     = 'BackPak.Core.Removal.DecommissionCheck, or System.Boolean with -Quiet.'
    Examples    = @(
        @{
            Title   = 'What a replicated data store holds, place by place, before its decommission'
            Code    = "Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Format-Table -Wrap"
            Remarks = 'Every check fails: the store is still there on both sides, with its entries, files, staging area and keys.'
        }
        @{
            Title   = 'Prove a whole decommission left nothing, as a Pester assertion would'
            Code    = @'
Connect-BPKeyManager -Lab ./lab -Node '\B' | Out-Null
Connect-BPKeyManager -Lab ./lab -Node '\A' | Out-Null
Remove-BPDataStore DS01 -Recurse -Secondary '\B' -IgnoreRetention -DestroyKeys -Force
$left = Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' | Where-Object { -not $_.Passed }
if ($left) { throw "DS01 left something: $($left.Place -join ', ')" }
Test-BPDecommission -DataStore DS01 -Primary '\A' -Secondary '\B' -Quiet
'@
            Remarks = 'Both key servers (site A and site B) are connected, so the keys go from both. The test passes: $true.'
        }
    )
    Links       = @('Remove-BPDataStore', 'Remove-BPEncryptionKey', 'Test-BPRoleSwitch')
}
