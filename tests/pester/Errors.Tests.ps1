<#
    Bad input gives the documented ErrorId (exact FullyQualifiedErrorId), the documented kind of error
    (terminating or not), a target and a recommended action, and changes nothing.
    See about_BackPak_Errors.
#>

BeforeDiscovery {
    $P = 'BackPak.PowerShell.Cmdlets.'
    # Each case: a scenario that must raise one BackPak error. Terminating: $true/$false as documented; $null = not checked.
    # The scenarios run after BeforeEach has reconnected \B then \A (default) to $script:LabPath.
    $cases = @(
        @{ Name = 'Connect-BPDomain to a missing folder'; Id = 'LabNotFound'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab (Join-Path $TestDrive 'no-such-folder') -Node '\A' } }
        @{ Name = 'Connect-BPDomain to an empty folder'; Id = 'NotALab'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:EmptyFolder -Node '\A' } }
        @{ Name = 'Connect-BPDomain to a folder whose lab.db is not a database'; Id = 'NotALab'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:GarbageLab -Node '\A' } }
        @{ Name = 'Connect-BPDomain to a folder whose lab.db is another SQLite database'; Id = 'NotALab'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:OtherDbLab -Node '\A' } }
        @{ Name = 'Connect-BPDomain to a lab whose marker names another format'; Id = 'NotALab'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:WrongFormatLab -Node '\A' } }
        @{ Name = 'Connect-BPDomain to a lab whose marker store holds a seed that is not a number'; Id = 'NotALab'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:BadSeedLab -Node '\A' } }
        @{ Name = 'Connect-BPDomain to a lab of another format version'; Id = 'LabVersionUnsupported'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:FutureLab -Node '\A' } }
        @{ Name = 'Connect-BPDomain to a node the lab does not have'; Id = 'NodeNotFound'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab $script:LabPath -Node '\C' } }
        @{ Name = 'Connect-BPDomain to a malformed node name'; Id = 'InvalidName'; Class = 'ConnectBPDomainCommand'; Terminating = $false
            Script = { Connect-BPDomain -Lab $script:LabPath -Node '1NODE' } }
        @{ Name = 'Get-BPVolume with no connection'; Id = 'NoDomainConnected'; Class = 'GetBPVolumeCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -All; Get-BPVolume } }
        @{ Name = 'Get-BPDataStore with no connection'; Id = 'NoDomainConnected'; Class = 'GetBPDataStoreCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -All; Get-BPDataStore } }
        @{ Name = 'Disconnect-BPDomain with no connection'; Id = 'NoDomainConnected'; Class = 'DisconnectBPDomainCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -All; Disconnect-BPDomain } }
        @{ Name = 'Get-BPCatalogEntry -Label with no connection'; Id = 'NoDomainConnected'; Class = 'GetBPCatalogEntryCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -All; Get-BPCatalogEntry -Label $script:Ds01Label, $script:Ds02Label } }
        @{ Name = 'a volume of a disconnected node piped to Get-BPCatalogEntry'; Id = 'DomainNotConnected'; Class = 'GetBPCatalogEntryCommand'; Terminating = $false
            Script = { $v = Get-BPVolume -Domain $script:B -DataStore DS03 | Select-Object -First 1; Disconnect-BPDomain -Domain $script:B; $v | Get-BPCatalogEntry } }
        @{ Name = 'a data store of a disconnected node piped to Get-BPVolumeGroup'; Id = 'DomainNotConnected'; Class = 'GetBPVolumeGroupCommand'; Terminating = $false
            Script = { $s = Get-BPDataStore -Domain $script:B -Name DS03; Disconnect-BPDomain -Domain $script:B; $s | Get-BPVolumeGroup } }
        @{ Name = 'Get-BPVolume on a closed connection'; Id = 'DomainDisconnected'; Class = 'GetBPVolumeCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -Domain $script:B; Get-BPVolume -Domain $script:B } }
        @{ Name = 'Get-BPDataStore on a closed connection'; Id = 'DomainDisconnected'; Class = 'GetBPDataStoreCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -Domain $script:A; Get-BPDataStore -Domain $script:A } }
        @{ Name = 'Get-BPCatalogEntry -Label on a closed connection'; Id = 'DomainDisconnected'; Class = 'GetBPCatalogEntryCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -Domain $script:A; Get-BPCatalogEntry -Domain $script:A -Label $script:Ds01Label, $script:Ds02Label } }
        @{ Name = 'volumes piped to Get-BPCatalogEntry on a closed connection'; Id = 'DomainDisconnected'; Class = 'GetBPCatalogEntryCommand'; Terminating = $true
            Script = { $v = Get-BPVolume -Domain $script:A -DataStore DS02; Disconnect-BPDomain -Domain $script:A; $v | Get-BPCatalogEntry -Domain $script:A } }
        @{ Name = 'data stores piped to Get-BPVolumeGroup on a closed connection'; Id = 'DomainDisconnected'; Class = 'GetBPVolumeGroupCommand'; Terminating = $true
            Script = { $s = Get-BPDataStore -Domain $script:A; Disconnect-BPDomain -Domain $script:A; $s | Get-BPVolumeGroup -Domain $script:A } }
        @{ Name = 'Get-BPVolume -Label AB (too short)'; Id = 'InvalidLabel'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -Label 'AB' } }
        @{ Name = 'Get-BPVolume -Label ABCDEFG* (can never match six characters)'; Id = 'InvalidLabel'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -Label 'ABCDEFG*' } }
        @{ Name = 'Get-BPCatalogEntry -Label AB'; Id = 'InvalidLabel'; Class = 'GetBPCatalogEntryCommand'; Terminating = $false
            Script = { Get-BPCatalogEntry -Label 'AB' } }
        @{ Name = 'Get-BPVolume -DataStore with a wildcard'; Id = 'InvalidName'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -DataStore 'DS*' } }
        @{ Name = 'New-BPLab -DataStore with a wildcard'; Id = 'InvalidName'; Class = 'NewBPLabCommand'; Terminating = $false
            Script = { New-BPLab -Path (Join-Path $TestDrive 'bad-store-name') -VolumeCount 10 -DataStore 'DS*' } }
        # Issue 10 items 2 and 4: paths that cannot hold a lab, a lab inside a lab, names that would leave their root.
        @{ Name = 'New-BPLab under /proc (the folder cannot be written)'; Id = 'LabWriteFailed'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path '/proc/backpak-lab' -VolumeCount 10 } }
        @{ Name = 'New-BPLab below a file'; Id = 'LabPathInvalid'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path (Join-Path $script:EmptyFile 'lab') -VolumeCount 10 } }
        @{ Name = 'New-BPLab -Path of another provider (Env:)'; Id = 'LabPathInvalid'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path 'Env:/backpak-lab' -VolumeCount 10 } }
        @{ Name = 'Connect-BPDomain -Lab on a drive that does not exist'; Id = 'LabPathInvalid'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Lab 'nosuchdrive:/lab' -Node '\A' } }
        @{ Name = 'New-BPLab inside another lab'; Id = 'LabInsideLab'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path (Join-Path $script:LabPath 'nodes/inner') -VolumeCount 10 } }
        @{ Name = 'New-BPLab -DataStore DS.01 (a Store ID the lab cannot name a staging subvolume after)'; Id = 'InvalidName'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path (Join-Path $TestDrive 'ds-dot') -VolumeCount 10 -DataStore 'DS.01' } }
        @{ Name = 'Get-BPVolume -DataStore .. (a Store ID that is a path)'; Id = 'InvalidName'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -DataStore '..' } }
        @{ Name = 'Set-BPDataStore -StagingArea with a path in its volume'; Id = 'InvalidSetting'; Class = 'SetBPDataStoreCommand'; Terminating = $false
            Script = { Set-BPDataStore DS01 -StagingArea '\B.$/TMP/ADVESCAPE.X' -Confirm:$false } }
        # Issue 10 item 2: files the lab cannot write are BackPak errors, and what was pending stays pending.
        @{ Name = 'Start-BPCatalogExport when the staging folder is a file'; Id = 'StagingWriteFailed'; Class = 'StartBPCatalogExportCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:FaultLab -Node '\A'; Start-BPCatalogExport -DataStore DS01 -Type Full -Domain $c -Confirm:$false } }
        @{ Name = 'Invoke-BPLabBackup when the storage folder is a file'; Id = 'FileSystemError'; Class = 'InvokeBPLabBackupCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:FaultLab -Node '\A'; Invoke-BPLabBackup -DataStore DS02 -Count 1 -Domain $c -Confirm:$false } }
        @{ Name = 'Get-BPVolume -DataStore DS09 (unknown)'; Id = 'DataStoreNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -DataStore DS09 } }
        @{ Name = 'Get-BPVolume -DataStore DS03 on \A (a store of \B)'; Id = 'DataStoreNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -DataStore DS03 -Domain '\A' } }
        @{ Name = 'Get-BPDataStore -Name DS09'; Id = 'DataStoreNotFound'; Class = 'GetBPDataStoreCommand'; Terminating = $false
            Script = { Get-BPDataStore -Name DS09 } }
        @{ Name = 'Get-BPVolumeGroup -DataStore DS09'; Id = 'DataStoreNotFound'; Class = 'GetBPVolumeGroupCommand'; Terminating = $false
            Script = { Get-BPVolumeGroup -DataStore DS09 } }
        @{ Name = 'Get-BPVolume -VolumeGroup NOSUCH'; Id = 'VolumeGroupNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -VolumeGroup NOSUCH } }
        @{ Name = 'Get-BPVolume -VolumeGroup LOCALB on \A (a group of \B)'; Id = 'VolumeGroupNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -VolumeGroup LOCALB } }
        @{ Name = 'Get-BPVolume -DataStore DS01 -VolumeGroup LOCALA (group of another store)'; Id = 'VolumeGroupNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -DataStore DS01 -VolumeGroup LOCALA } }
        @{ Name = 'Get-BPVolumeGroup -Name NOSUCH'; Id = 'VolumeGroupNotFound'; Class = 'GetBPVolumeGroupCommand'; Terminating = $false
            Script = { Get-BPVolumeGroup -Name NOSUCH } }
        @{ Name = 'Get-BPVolumeGroup -Name LOCALA -DataStore DS01 (group of another store)'; Id = 'VolumeGroupNotFound'; Class = 'GetBPVolumeGroupCommand'; Terminating = $false
            Script = { Get-BPVolumeGroup -Name LOCALA -DataStore DS01 } }
        @{ Name = 'Get-BPVolume of an unknown exact label'; Id = 'VolumeNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -Label $script:MissingLabel } }
        @{ Name = 'Get-BPVolume on \A of a label that only \B has'; Id = 'VolumeNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -Label $script:BOnlyLabel } }
        @{ Name = 'Get-BPVolume of a DS01 label with -DataStore DS02'; Id = 'VolumeNotFound'; Class = 'GetBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -Label $script:Ds01Label -DataStore DS02 } }
        @{ Name = 'Get-BPCatalogEntry of an unknown exact label'; Id = 'VolumeNotFound'; Class = 'GetBPCatalogEntryCommand'; Terminating = $false
            Script = { Get-BPCatalogEntry -Label $script:MissingLabel } }
        @{ Name = 'Compare-BPDomain of a label neither side has'; Id = 'VolumeNotFound'; Class = 'CompareBPDomainCommand'; Terminating = $false
            Script = { Compare-BPDomain $script:A $script:B -Label $script:MissingLabel, 'ZZ*' } }
        @{ Name = 'Compare-BPDomain -Label AB'; Id = 'InvalidLabel'; Class = 'CompareBPDomainCommand'; Terminating = $false
            Script = { Compare-BPDomain $script:A $script:B -Label AB } }
        @{ Name = 'Compare-BPDomain -DataStore DS09 (unknown)'; Id = 'DataStoreNotFound'; Class = 'CompareBPDomainCommand'; Terminating = $false
            Script = { Compare-BPDomain $script:A $script:B -DataStore DS09 } }
        @{ Name = 'Compare-BPDomain with a closed connection'; Id = 'DomainDisconnected'; Class = 'CompareBPDomainCommand'; Terminating = $true
            Script = { Disconnect-BPDomain -Domain $script:B; Compare-BPDomain $script:A $script:B } }
        @{ Name = 'New-BPLab over an existing lab without -Force'; Id = 'LabAlreadyExists'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path $script:LabPath -VolumeCount 10 -Seed 99 } }
        @{ Name = 'New-BPLab -Force over a folder of user files'; Id = 'PathNotEmpty'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path $script:UserFolder -VolumeCount 10 -Force } }
        @{ Name = 'New-BPLab over a file'; Id = 'PathNotEmpty'; Class = 'NewBPLabCommand'; Terminating = $true
            Script = { New-BPLab -Path $script:UserFile -VolumeCount 10 } }
        @{ Name = 'Get-BPCatalogEntry when the TMF catalog store of the node is unreadable'; Id = 'CatalogStoreUnavailable'; Class = 'GetBPCatalogEntryCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:CorruptLab -Node '\A'; Get-BPCatalogEntry -Domain $c -Label $script:CorruptTmfLabel } }
        # Removal (issue 3). -WhatIf keeps the main lab as it is: refusals are reported before anything would change.
        @{ Name = 'Remove-BPVolume of a volume that holds non-expired data'; Id = 'VolumeNotExpired'; Class = 'RemoveBPVolumeCommand'; Terminating = $false
            Script = { Get-BPVolume -DataStore DS01 -NotExpired | Select-Object -First 1 | Remove-BPVolume -Force -WhatIf } }
        @{ Name = 'Remove-BPVolume of a volume a backup is writing'; Id = 'VolumeBusy'; Class = 'RemoveBPVolumeCommand'; Terminating = $false
            Script = { $v = Start-BPLabBackup -DataStore DS01 -Confirm:$false; try { $v | Remove-BPVolume -IgnoreRetention -Force -WhatIf } finally { $v | Stop-BPLabBackup -Confirm:$false | Out-Null } } }
        @{ Name = 'Remove-BPVolumeGroup of a group with volumes'; Id = 'VolumeGroupNotEmpty'; Class = 'RemoveBPVolumeGroupCommand'; Terminating = $false
            Script = { Remove-BPVolumeGroup DAILY -Force } }
        @{ Name = 'Remove-BPDataStore of a store with volumes'; Id = 'DataStoreNotEmpty'; Class = 'RemoveBPDataStoreCommand'; Terminating = $false
            Script = { Remove-BPDataStore DS01 -Force } }
        # Decommission of a replicated store (issue 11).
        @{ Name = 'Remove-BPDataStore -Recurse -Secondary naming a node without the store''s SECONDARY copy'; Id = 'DecommissionSideInvalid'; Class = 'RemoveBPDataStoreCommand'; Terminating = $true
            Script = { Remove-BPDataStore DS02 -Recurse -Secondary $script:B -IgnoreRetention -Force } }
        @{ Name = 'a step confirmed in a decommission no run of which waits for the operator'; Id = 'StepNotAwaitingOperator'; Class = 'RemoveBPDataStoreCommand'; Terminating = $true
            Script = { Remove-BPDataStore DS02 -Recurse -ConfirmStep stop-export -Confirm:$false } }
        @{ Name = 'a decommission of both sides whose staging area cannot be reached (Expand down)'; Id = 'DecommissionStepFailed'; Class = 'RemoveBPDataStoreCommand'; Terminating = $true
            Script = {
                $b = Connect-BPDomain -Lab $script:DecomLab -Node '\B'; $a = Connect-BPDomain -Lab $script:DecomLab -Node '\A'
                Remove-BPDataStore DS01 -Recurse -Domain $a -Secondary $b -IgnoreRetention -Force } }
        @{ Name = 'Remove-BPVolume when a storage file cannot be deleted'; Id = 'RemovalFailed'; Class = 'RemoveBPVolumeCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:ScratchLab -Node '\A'; Remove-BPVolume -Label $script:StuckLabel -IgnoreRetention -Force -Domain $c } }
        # Pipelines (issue 9): where a piped object is acted on, and selections given with nothing in them.
        @{ Name = 'a volume read from \A piped to Remove-BPVolume -Domain \B'; Id = 'DomainMismatch'; Class = 'RemoveBPVolumeCommand'; Terminating = $true
            Script = { Get-BPVolume -Label $script:Ds01Label -Domain $script:A | Remove-BPVolume -Domain $script:B -Confirm:$false } }
        @{ Name = 'a Node column connected in two labs, the default in a third'; Id = 'DomainAmbiguous'; Class = 'GetBPCatalogEntryCommand'; Terminating = $true
            Script = {
                $null = Connect-BPDomain -Lab $script:SameNodesLab -Node '\A'; $null = Connect-BPDomain -Lab $script:SameNodesLab2 -Node '\B'
                [pscustomobject]@{ Label = $script:Ds01Label; Node = '\A' } | Get-BPCatalogEntry } }
        @{ Name = 'Remove-BPVolume -Label of an empty file'; Id = 'EmptySelection'; Class = 'RemoveBPVolumeCommand'; Terminating = $true
            Script = { Remove-BPVolume -Label (Get-Content $script:EmptyFile) -Force } }
        @{ Name = "Remove-BPVolume -Label '*' without -DataStore"; Id = 'WildcardSelectsEveryVolume'; Class = 'RemoveBPVolumeCommand'; Terminating = $true
            Script = { Remove-BPVolume -Label '*' -Force -WhatIf } }
        # Catalog Sync (issue 5).
        @{ Name = 'Invoke-BPLabBackup on a SECONDARY store'; Id = 'ActionNotAllowed'; Class = 'InvokeBPLabBackupCommand'; Terminating = $false
            Script = { Invoke-BPLabBackup -DataStore DS01 -Domain $script:B -Confirm:$false } }
        # Issue 10 item 4: backups reuse only expired or scratch volumes; a window larger than those free writes nothing.
        @{ Name = 'Invoke-BPLabBackup -Count beyond the expired and scratch volumes of the store'; Id = 'NoScratchVolume'; Class = 'InvokeBPLabBackupCommand'; Terminating = $false
            Script = { Invoke-BPLabBackup -DataStore DS01 -Count 100000 -Confirm:$false } }
        @{ Name = 'Start-BPCatalogImport on a PRIMARY store'; Id = 'ActionNotAllowed'; Class = 'StartBPCatalogImportCommand'; Terminating = $false
            Script = { Start-BPCatalogImport -DataStore DS01 -Type Update -Confirm:$false } }
        @{ Name = 'Start-BPCatalogExport while another process exports the store'; Id = 'SyncInProgress'; Class = 'StartBPCatalogExportCommand'; Terminating = $false
            Script = {
                $db = Join-Path $script:LabPath 'nodes/A/backpak.db'
                Invoke-BPSqlite -Database $db -Sql "INSERT OR REPLACE INTO sync_lock VALUES ('DS01', 'Export', '$([Environment]::MachineName)', $($script:Other.Id), $($script:OtherStart), 0)"
                try { Start-BPCatalogExport -DataStore DS01 -Type Full -Confirm:$false } finally { Invoke-BPSqlite -Database $db -Sql 'DELETE FROM sync_lock' } } }
        @{ Name = 'Start-BPCatalogExport while export is suspended'; Id = 'ExportSuspended'; Class = 'StartBPCatalogExportCommand'; Terminating = $false
            Script = { Suspend-BPCatalogExport DS01 -Confirm:$false; try { Start-BPCatalogExport -DataStore DS01 -Type Update -Confirm:$false } finally { Resume-BPCatalogExport DS01 -Confirm:$false } } }
        @{ Name = 'Start-BPCatalogExport with the Expand link to the staging node down'; Id = 'StagingUnreachable'; Class = 'StartBPCatalogExportCommand'; Terminating = $false
            Script = { Add-BPLabFault StagingUnreachable '\B' -Confirm:$false | Out-Null; try { Start-BPCatalogExport -DataStore DS01 -Type Update -Confirm:$false } finally { Remove-BPLabFault -All -Confirm:$false } } }
        @{ Name = 'Start-BPCatalogExport of a store with no staging area'; Id = 'StagingAreaNotSet'; Class = 'StartBPCatalogExportCommand'; Terminating = $false
            Script = { Start-BPCatalogExport -DataStore DS02 -Type Full -Confirm:$false } }
        @{ Name = 'Start-BPCatalogImport of a full export cut short'; Id = 'ExportFileInvalid'; Class = 'StartBPCatalogImportCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:CutLab -Node '\B'; Start-BPCatalogImport -DataStore DS01 -Type Full -Domain $c -Confirm:$false } }
        @{ Name = 'Start-BPCatalogImport when a volume fails'; Id = 'ImportFailed'; Class = 'StartBPCatalogImportCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:ScratchLab -Node '\B'; Start-BPCatalogImport -DataStore DS01 -Type Update -Domain $c -Confirm:$false | Out-Null } }
        @{ Name = 'Start-BPCatalogImport into a FILECAT that does not exist'; Id = 'CatalogNotFound'; Class = 'StartBPCatalogImportCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:NoCatalogLab -Node '\B'; Start-BPCatalogImport -DataStore DS01 -Type Full -Domain $c -Confirm:$false } }
        @{ Name = 'Start-BPCatalogImport with node replacement into the MEDIADEFS default FILECAT'; Id = 'FileCatalogConflict'; Class = 'StartBPCatalogImportCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:DefaultFilecatLab -Node '\B'; Start-BPCatalogImport -DataStore DS01 -Type Full -Domain $c -Confirm:$false } }
        @{ Name = 'Wait-BPCatalogExport that cannot drain'; Id = 'ExportWaitTimeout'; Class = 'WaitBPCatalogExportCommand'; Terminating = $false
            Script = { $c = Connect-BPDomain -Lab $script:ScratchLab -Node '\A'; Wait-BPCatalogExport -DataStore DS01 -Timeout 0 -Domain $c } }
        @{ Name = 'Set-BPDataStore with a staging area that is not a Guardian subvolume'; Id = 'InvalidSetting'; Class = 'SetBPDataStoreCommand'; Terminating = $false
            Script = { Set-BPDataStore DS01 -StagingArea 'not-a-subvolume' -Confirm:$false } }
        # Role switch (issue 6): a lab whose switch failed (Expand to \B down) and is not finished, and one whose switch completed.
        @{ Name = 'Invoke-BPRoleSwitch -Resume while the staging area is unreachable'; Id = 'SwitchStepFailed'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchLab; Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Resume $script:FailedRun -Confirm:$false } }
        @{ Name = 'Invoke-BPRoleSwitch while a run of the store is not finished'; Id = 'SwitchInProgress'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchLab; Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false } }
        @{ Name = 'Invoke-BPRoleSwitch -Resume of a run that does not exist'; Id = 'SwitchRunNotFound'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchLab; Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Resume 'SW-NO-SUCH-RUN' -Confirm:$false } }
        @{ Name = 'Invoke-BPRoleSwitch -Resume of a completed run'; Id = 'SwitchRunCompleted'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchDoneLab; Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Resume $script:DoneRun -Confirm:$false } }
        # Issue 12: replication links registered in the session (each scenario starts with none).
        @{ Name = 'Register-BPReplicationLink a second time for the same store and kind'; Id = 'ReplicationLinkExists'; Class = 'RegisterBPReplicationLinkCommand'; Terminating = $false
            Script = { Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false; Register-BPReplicationLink DS01 -Kind Storage -Reverse { param($Link) }; Register-BPReplicationLink DS01 -Kind Storage -Reverse { param($Link) } } }
        @{ Name = 'Get-BPReplicationLink of a store with no link'; Id = 'ReplicationLinkNotFound'; Class = 'GetBPReplicationLinkCommand'; Terminating = $false
            Script = { Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false; Get-BPReplicationLink -DataStore DS01 } }
        @{ Name = 'Unregister-BPReplicationLink of a store with no link'; Id = 'ReplicationLinkNotFound'; Class = 'UnregisterBPReplicationLinkCommand'; Terminating = $false
            Script = { Get-BPReplicationLink | Unregister-BPReplicationLink -Confirm:$false; Unregister-BPReplicationLink DS01 -Confirm:$false } }
        # Issues 9 and 10: a switch refused before it starts, runs that cannot be resumed, and what a store that
        # is half removed or still written refuses.
        @{ Name = 'Invoke-BPRoleSwitch in the wrong direction (DS01 is PRIMARY on \B since the switch)'; Id = 'SwitchWrongDirection'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchDoneLab; Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false } }
        @{ Name = 'Invoke-BPRoleSwitch of a data store the secondary does not have'; Id = 'SwitchPreconditionFailed'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchGuardLab; Invoke-BPRoleSwitch DS02 -Primary '\A' -Secondary '\B' -Confirm:$false } }
        @{ Name = 'Invoke-BPRoleSwitch of several stores, one of which the secondary does not have'; Id = 'SiteSwitchRefused'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchGuardLab; Invoke-BPRoleSwitch DS01, DS02 -Primary '\A' -Secondary '\B' -Confirm:$false } }
        @{ Name = 'Test-BPRecovery at the PRIMARY side'; Id = 'RecoveryNotSecondary'; Class = 'TestBPRecoveryCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchGuardLab; Test-BPRecovery DS01 -Node '\A' } }
        @{ Name = 'Invoke-BPRecovery while the primary still answers as PRIMARY'; Id = 'RecoveryPrimaryNotFenced'; Class = 'InvokeBPRecoveryCommand'; Terminating = $true
            Script = { Invoke-BPRecovery DS01 -Node '\B' -Confirm:$false } }
        @{ Name = 'Invoke-BPReprotect of a store no recovery took over'; Id = 'ReprotectNoTakeover'; Class = 'InvokeBPReprotectCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchGuardLab; Invoke-BPReprotect DS01 -Node '\A' -Confirm:$false } }
        @{ Name = 'Invoke-BPRecovery -PrimaryLost naming a node that is not the primary'; Id = 'RecoveryPrimaryLostMismatch'; Class = 'InvokeBPRecoveryCommand'; Terminating = $true
            Script = { Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\C' -Confirm:$false } }
        @{ Name = 'Invoke-BPRecovery whose last FULL import cannot read the staging area'; Id = 'RecoveryStepFailed'; Class = 'InvokeBPRecoveryCommand'; Terminating = $true
            Script = {
                Use-SwitchLab $script:RecoveryLab
                Add-BPLabFault NodeLost '\A' -Confirm:$false | Out-Null
                Add-BPLabFault StagingUnreachable '\B' -Confirm:$false | Out-Null
                try {
                    # Run again for each check of the case: the run left by the first one is resumed, and fails the same way.
                    $open = @(Get-BPRoleSwitchRun -Domain '\B' | Where-Object { $_.RunId -like 'RC-*' -and $_.Status -ne 'Completed' }) | Select-Object -First 1
                    if ($open) { Invoke-BPRecovery -Resume $open.RunId -Confirm:$false } else { Invoke-BPRecovery DS01 -Node '\B' -PrimaryLost '\A' -Confirm:$false }
                } finally { Remove-BPLabFault -All -Domain '\B' -Confirm:$false }
            } }
        @{ Name = 'Invoke-BPRoleSwitch -Resume of an abandoned run'; Id = 'SwitchRunAbandoned'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchStoppedLab; Invoke-BPRoleSwitch -Resume $script:AbandonedRun -Confirm:$false } }
        @{ Name = 'Stop-BPRoleSwitchRun of a run already abandoned'; Id = 'SwitchRunAbandoned'; Class = 'StopBPRoleSwitchRunCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchStoppedLab; Stop-BPRoleSwitchRun -RunId $script:AbandonedRun -Reason again -Confirm:$false } }
        @{ Name = 'Invoke-BPRoleSwitch -Resume of a run whose journal was emptied'; Id = 'SwitchJournalDamaged'; Class = 'InvokeBPRoleSwitchCommand'; Terminating = $true
            Script = { Use-SwitchLab $script:SwitchDamagedLab; Invoke-BPRoleSwitch -Resume $script:DamagedRun -Confirm:$false } }
        @{ Name = 'Start-BPCatalogImport while a removal of the store is unfinished'; Id = 'RemovalUnfinished'; Class = 'StartBPCatalogImportCommand'; Terminating = $false
            Script = { Use-SwitchLab $script:SwitchGuardLab; Start-BPCatalogImport DS01 -Type Full -Domain '\B' -Confirm:$false } }
        @{ Name = 'Set-BPDataStore -DomainAccess Secondary over a running backup'; Id = 'BackupsRunning'; Class = 'SetBPDataStoreCommand'; Terminating = $false
            Script = { Use-SwitchLab $script:SwitchGuardLab; Set-BPDataStore DS01 -DomainAccess Secondary -Confirm:$false } }
        # Key manager (the lab key store; a real KMIP server for the TLS cases, in Keys.Tests.ps1)
        @{ Name = 'Get-BPEncryptionKey with no key manager'; Id = 'KeyManagerNotConnected'; Class = 'GetBPEncryptionKeyCommand'; Terminating = $true
            Script = { Disconnect-BPKeyManager -All; Get-BPEncryptionKey } }
        @{ Name = 'Remove-BPEncryptionKey with no key manager'; Id = 'KeyManagerNotConnected'; Class = 'RemoveBPEncryptionKeyCommand'; Terminating = $true
            Script = { Disconnect-BPKeyManager -All; Remove-BPEncryptionKey -Name 'BPK-ANY' -Force } }
        @{ Name = 'Get-BPEncryptionKey on a closed key manager connection'; Id = 'KeyManagerNotConnected'; Class = 'GetBPEncryptionKeyCommand'; Terminating = $true
            Script = { $k = Connect-BPKeyManager -Lab $script:KeyLab -Node '\A'; Disconnect-BPKeyManager -KeyManager $k; Get-BPEncryptionKey -KeyManager $k } }
        @{ Name = 'Disconnect-BPKeyManager with no key manager'; Id = 'KeyManagerNotConnected'; Class = 'DisconnectBPKeyManagerCommand'; Terminating = $true
            Script = { Disconnect-BPKeyManager -All; Disconnect-BPKeyManager } }
        @{ Name = 'Connect-BPKeyManager -Endpoint with port 99999'; Id = 'KeyManagerEndpointInvalid'; Class = 'ConnectBPKeyManagerCommand'; Terminating = $true
            Script = { Connect-BPKeyManager -Endpoint 'kms.example.com:99999' -Certificate $script:SelfSigned -TrustedRootCertificate $script:SelfSigned } }
        @{ Name = 'Connect-BPKeyManager to a port where nothing listens'; Id = 'KeyManagerUnreachable'; Class = 'ConnectBPKeyManagerCommand'; Terminating = $true
            Script = { Connect-BPKeyManager -Endpoint "127.0.0.1:$($script:ClosedPort)" -Certificate $script:SelfSigned -TrustedRootCertificate $script:SelfSigned -TimeoutSeconds 5 } }
        @{ Name = 'Connect-BPKeyManager with a .pfx file and a wrong password'; Id = 'ClientCertificateInvalid'; Class = 'ConnectBPKeyManagerCommand'; Terminating = $true
            Script = { Connect-BPKeyManager -Endpoint "127.0.0.1:$($script:ClosedPort)" -CertificatePath $script:SelfSignedPfx -CertificatePassword (ConvertTo-SecureString 'not-it' -AsPlainText -Force) -TrustedRootCertificate $script:SelfSigned } }
        @{ Name = 'Get-BPEncryptionKey of an unknown Media Key Name'; Id = 'KeyNotFound'; Class = 'GetBPEncryptionKeyCommand'; Terminating = $false
            Script = { Use-KeyLab; Get-BPEncryptionKey -Name 'BPK-NO-SUCH-KEY' } }
        @{ Name = 'Remove-BPEncryptionKey -Force of a key a catalogued volume uses'; Id = 'KeyStillReferenced'; Class = 'RemoveBPEncryptionKeyCommand'; Terminating = $false
            Script = { Use-KeyLab; Remove-BPEncryptionKey -Name $script:KeyInUse -Force } }
        @{ Name = 'Remove-BPEncryptionKey of a key in a state the key server will not destroy'; Id = 'KeyOperationFailed'; Class = 'RemoveBPEncryptionKeyCommand'; Terminating = $false
            Script = { Use-KeyLab; Remove-BPEncryptionKey -Name $script:KeyOddState -Force } }
        @{ Name = 'Remove-BPEncryptionKey through a key manager whose BackPak id no connected domain defines'; Id = 'KeyManagerIdUnknown'; Class = 'RemoveBPEncryptionKeyCommand'; Terminating = $true
            Script = { Use-KeyLab; $null = Connect-BPKeyManager -Lab $script:KeyLab -Node '\A' -BackPakId KM99; Remove-BPEncryptionKey -Name $script:KeyOddState -Force } }
        @{ Name = 'Remove-BPEncryptionKey with one side of the replicated data store not connected'; Id = 'KeyDomainsNotConnected'; Class = 'RemoveBPEncryptionKeyCommand'; Terminating = $true
            Script = { Use-KeyLab; Disconnect-BPDomain -Domain '\B'; Remove-BPEncryptionKey -Name $script:KeyOddState -Force } }
        @{ Name = 'Remove-BPEncryptionKey with no domain to check the key against'; Id = 'NoDomainConnected'; Class = 'RemoveBPEncryptionKeyCommand'; Terminating = $true
            Script = { Use-KeyLab; Disconnect-BPDomain -All; Remove-BPEncryptionKey -Name $script:KeyOddState -Force } }
        @{ Name = 'Export-BPChangeRecord of an operation no connected domain recorded'; Id = 'OperationNotFound'; Class = 'ExportBPChangeRecordCommand'; Terminating = $true
            Script = { Export-BPChangeRecord -OperationId 20000101-000000-ABCDEF -Path (Join-Path $TestDrive 'none.md') } }
        @{ Name = 'Export-BPChangeRecord to a file of no known format'; Id = 'ChangeRecordNotWritten'; Class = 'ExportBPChangeRecordCommand'; Terminating = $true
            Script = { Export-BPChangeRecord -OperationId 20000101-000000-ABCDEF -Path (Join-Path $TestDrive 'change.txt') } }
        @{ Name = 'New-BPSiteDescription over an existing file without -Force'; Id = 'SiteDescriptionNotWritten'; Class = 'NewBPSiteDescriptionCommand'; Terminating = $true
            Script = { $f = Join-Path $TestDrive 'mine.psd1'; Set-Content -LiteralPath $f -Value '@{ Mine = 1 }'; try { New-BPSiteDescription -Path $f } finally { if ((Get-Content -Raw -LiteralPath $f) -notmatch 'Mine') { throw 'the file was replaced' } } } }
        @{ Name = 'New-BPSiteDescription to a file that is not .psd1'; Id = 'SiteDescriptionNotWritten'; Class = 'NewBPSiteDescriptionCommand'; Terminating = $true
            Script = { New-BPSiteDescription -Path (Join-Path $TestDrive 'site.txt') } }
        @{ Name = 'New-BPSiteDescription into a folder that does not exist'; Id = 'SiteDescriptionNotWritten'; Class = 'NewBPSiteDescriptionCommand'; Terminating = $true
            Script = { New-BPSiteDescription -Path (Join-Path $TestDrive 'no-such-folder/site.psd1') } }
        @{ Name = 'New-BPSiteDescription -Node PROD1 (no backslash)'; Id = 'InvalidNonStopName'; Class = 'NewBPSiteDescriptionCommand'; Terminating = $false
            Script = { New-BPSiteDescription -Path (Join-Path $TestDrive 'badnode.psd1') -Node PROD1; if (Test-Path (Join-Path $TestDrive 'badnode.psd1')) { throw 'a file was written' } } }
        @{ Name = 'Export-BPRunbook to a file that is not .md'; Id = 'RunbookNotWritten'; Class = 'ExportBPRunbookCommand'; Terminating = $true
            Script = { Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\B' -Path (Join-Path $TestDrive 'switch.txt') } }
        @{ Name = 'Export-BPRunbook over an existing file without -Force'; Id = 'RunbookNotWritten'; Class = 'ExportBPRunbookCommand'; Terminating = $true
            Script = { $f = Join-Path $TestDrive 'mine.md'; Set-Content -LiteralPath $f -Value 'mine'; Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\B' -Path $f } }
        @{ Name = 'Export-BPRunbook with the same node on both sides'; Id = 'InvalidName'; Class = 'ExportBPRunbookCommand'; Terminating = $true
            Script = { Export-BPRunbook -DataStore DS01 -Primary '\A' -Secondary '\a' -Path (Join-Path $TestDrive 'same.md') } }
        @{ Name = 'Export-BPRunbook -DataStore DS* (a wildcard)'; Id = 'InvalidName'; Class = 'ExportBPRunbookCommand'; Terminating = $false
            Script = { Export-BPRunbook -DataStore 'DS*' -Primary '\A' -Secondary '\B' -Path (Join-Path $TestDrive 'wild.md') } }
        @{ Name = 'Connect-BPDomain through a provider that is not registered'; Id = 'ProviderNotFound'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Provider NoSuchSite -Node '\A' } }
        @{ Name = 'Register-BPProvider of a module that holds no provider'; Id = 'ProviderInvalid'; Class = 'RegisterBPProviderCommand'; Terminating = $true
            Script = { Register-BPProvider -ModuleName Microsoft.PowerShell.Utility } }
        @{ Name = 'Connect-BPDomain -Provider Lab with a parameter the lab does not take'; Id = 'ProviderParameterInvalid'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Provider Lab -Node '\A' -Parameters @{ Path = $script:LabPath; Colour = 'red' } } }
        # Issue 14 item 5: the transport without Expand (CS p44).
        @{ Name = 'Register-BPTransportVolume in a volume group linked to DSM/TC'; Id = 'TransportRefused'; Class = 'RegisterBPTransportVolumeCommand'; Terminating = $false
            Script = { Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup DAILY -Confirm:$false } }
        @{ Name = 'Backup-BPStagingArea of a store with no transport volume'; Id = 'TransportVolumeNotFound'; Class = 'BackupBPStagingAreaCommand'; Terminating = $false
            Script = { Backup-BPStagingArea DS01 -Confirm:$false } }
        @{ Name = 'Get-BPTransportVolume of a store with no transport volume'; Id = 'TransportVolumeNotFound'; Class = 'GetBPTransportVolumeCommand'; Terminating = $false
            Script = { Get-BPTransportVolume DS01 } }
        @{ Name = 'Restore-BPStagingArea before anything was backed up on the transport volume'; Id = 'TransportNotArrived'; Class = 'RestoreBPStagingAreaCommand'; Terminating = $false
            Script = { Use-SwitchLab $script:TransportLab; Restore-BPStagingArea DS01 -Domain '\B' -Confirm:$false } }
        @{ Name = 'Restore-BPStagingArea of a partial backup whose FULL export the secondary never restored'; Id = 'TransportIncomplete'; Class = 'RestoreBPStagingAreaCommand'; Terminating = $false
            Script = { Use-SwitchLab $script:PartialTransportLab; Restore-BPStagingArea DS01 -Domain '\B' -Confirm:$false } }
        # The NonStop provider: what fails before any SSH server answers (NonStop.Tests.ps1 raises the rest through a real sshd).
        @{ Name = 'Connect-BPDomain -Provider NonStop with a site description that does not exist'; Id = 'SiteDescriptionNotFound'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = (Join-Path $TestDrive 'no-such-site.psd1') } } }
        @{ Name = 'Connect-BPDomain -Provider NonStop with a site description holding a key it does not know'; Id = 'SiteDescriptionInvalid'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:NsInvalidSite } } }
        @{ Name = 'Connect-BPDomain -Provider NonStop to a node name without its backslash'; Id = 'InvalidNonStopName'; Class = 'ConnectBPDomainCommand'; Terminating = $false
            Script = { Connect-BPDomain -Provider NonStop -Node 'A1' -Parameters @{ SiteDescription = $script:NsClosedSite } } }
        @{ Name = 'Connect-BPDomain -Provider NonStop signing in with a password and no -Credential'; Id = 'NonStopAuthenticationFailed'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:NsClosedSite } } }
        @{ Name = 'Connect-BPDomain -Provider NonStop to a node whose SSH port nothing listens on'; Id = 'NonStopUnreachable'; Class = 'ConnectBPDomainCommand'; Terminating = $true
            Script = { Connect-BPDomain -Provider NonStop -Node '\A' -Parameters @{ SiteDescription = $script:NsClosedSite } -Credential $script:NsCredential } }
    ) | ForEach-Object {
        $_.Fqid = "$($_.Id),$P$($_.Class)"
        $_.Kind = switch ($_.Terminating) { $true { 'terminating' } $false { 'non-terminating' } default { 'either' } }
        $_
    }

    # Documented ids no scenario here can raise; each needs a reason.
    $notRaisable = @{
        LabInUse = 'needs a second live process holding the lab: LabInUse.Tests.ps1 holds it with a real pwsh and asserts the ErrorId exactly'
        ImportUnfinished = 'needs an import killed between its commits: SyncCrash.Tests.ps1 kills a real pwsh there and asserts the ErrorId exactly, BackPak.Lab.Tests/ImportUnfinishedTests.cs too'
        NotALabDomain = 'raised only for a domain reached through another provider than the lab, and the lab is the only provider so far'
        # They need a TLS key server: Keys.Tests.ps1 raises them, with exact FullyQualifiedErrorIds, against PyKMIP.
        KeyManagerUntrusted            = 'needs a KMIP server with a certificate from another CA: Keys.Tests.ps1 (PyKMIP)'
        KeyManagerAuthenticationFailed = 'needs a KMIP server that refuses the client certificate: Keys.Tests.ps1 (PyKMIP)'
        TrustedRootCertificateInvalid  = 'a parameter binding error (ParameterArgumentTransformationError) carrying it as its inner BackPak error: Keys.Tests.ps1 asserts both'
        ReprotectPreconditionFailed = 'needs a lab after a takeover with a backup running or the new primary demoted again: BackPak.Lab.Tests/ReprotectTests.cs raises both through Core and asserts the ErrorId'
        ReprotectStepFailed = 'a step of a reprotect failing after it started (an export or import refused): the runner path RecoveryStepFailed takes above; no scenario here builds a takeover lab that fails a step'
        UnexpectedError = 'the safety net for a failure no rule foresaw: BackPak.PowerShell.Tests/SafetyNetTests.cs raises it through a test cmdlet on the module''s base class'
        # Always written after the refusals it sums up, so never the first error of a scenario here.
        DecommissionRefused            = 'comes after each refused volume it sums up: ReplicatedDecommission.Tests.ps1 and BackPak.Lab.Tests assert it exactly'
        RecoveryTestRecordFailed       = 'needs a disk that refuses the record: RecoveryTest.Tests.ps1 raises it with BACKPAK_LAB_IO_FAULT_AT and asserts the FullyQualifiedErrorId exactly, BackPak.Lab.Tests/RecoveryTestTests.cs too'
        ReplicationLinkFailed          = 'needs a switch run to reach a failing link script: ReplicationLink.Tests.ps1 raises it through Invoke-BPRoleSwitch, asserts the FullyQualifiedErrorId exactly and resumes the run'
        TransportRestoreUnfinished     = 'needs a restore interrupted between its files: BackPak.Lab.Tests/TransportTests.cs interrupts one (BACKPAK_LAB_IO_FAULT_AT) and asserts the import refused with it exactly'
        CapabilityMissing              = 'the lab offers every capability: Providers.Tests.ps1 raises it through a provider module that lacks removal, and BackPak.PowerShell.Tests on a read-only provider'
    }
    # They need an SSH server that answers: NonStop.Tests.ps1 raises each through Connect-BPDomain or Get-BPVolume, with
    # its exact FullyQualifiedErrorId, against a real sshd whose forced command is the NonStop simulator.
    foreach ($id in 'NonStopHostKeyUnknown', 'NonStopHostKeyMismatch', 'NonStopSessionDropped', 'NonStopCommandTimeout',
        'NonStopCommandFailed', 'NonStopReportMalformed', 'OperatorStepNotVerified') {
        $notRaisable[$id] = 'needs a real sshd and the NonStop simulator: NonStop.Tests.ps1 raises it through cmdlets'
    }
    $coverage = @(@{ Covered = @($cases | ForEach-Object Id | Sort-Object -Unique); NotRaisable = @($notRaisable.Keys) })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All

    $script:LabPath = Join-Path $TestDrive 'lab'
    # NonStop site descriptions for the failures that need no SSH server: a key no section has, and a node whose SSH
    # port nothing listens on (signing in with a password, so no key file is needed).
    $script:NsInvalidSite = Join-Path $TestDrive 'invalid-site.psd1'
    Set-Content -LiteralPath $script:NsInvalidSite -Value "@{ SchemaVersion = 1; Nodes = @( @{ Node = '\A'; Colour = 'red' } ) }"
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $closedPort = $listener.LocalEndpoint.Port; $listener.Stop()
    $script:NsClosedSite = Join-Path $TestDrive 'closed-site.psd1'
    Set-Content -LiteralPath $script:NsClosedSite -Value ((@'
@{ SchemaVersion = 1; Nodes = @( @{ Node = '\A'; BackPakSubvolume = '$SYSTEM.BBOX'
    Ssh = @{ Host = '127.0.0.1'; Port = PORT; User = 'op'; KnownHostsFile = './known_hosts'; Authentication = 'Password'; ConnectTimeoutSeconds = 5 } } ) }
'@).Replace('PORT', "$closedPort"))
    $script:NsCredential = [pscredential]::new('op', (ConvertTo-SecureString 'not-a-real-password' -AsPlainText -Force))
    $null = New-BPLab -Path $script:LabPath -VolumeCount 100 -Seed 3

    function Reset-Connections {
        # \B then \A (the default) on the main lab, nothing else.
        Disconnect-BPDomain -All
        $script:B = Connect-BPDomain -Lab $script:LabPath -Node '\B'
        $script:A = Connect-BPDomain -Lab $script:LabPath -Node '\A'
    }
    function Get-ConnectionState {
        @(Get-BPDomain | ForEach-Object { "$($_.Node) $($_.Location) default=$($_.IsDefault) open=$($_.IsOpen)" })
    }
    function Get-LabPicture([string] $Path) {
        # What must not change when New-BPLab refuses: the marker store and the volumes of both nodes.
        $a = Connect-BPDomain -Lab $Path -Node '\A'
        $b = Connect-BPDomain -Lab $Path -Node '\B'
        try {
            [pscustomobject]@{
                LabDb   = Get-BPFileHash (Join-Path $Path 'lab.db')
                Volumes = @(Get-BPVolume -Domain $a) + @(Get-BPVolume -Domain $b) | ForEach-Object { "$($_.Node) $($_.Label) $($_.DataStore) $($_.VolumeGroup)" }
            }
        } finally {
            Disconnect-BPDomain -Domain $b
            Disconnect-BPDomain -Domain $a
        }
    }
    function Get-Siblings([string] $Path) {
        # Everything beside a lab folder, hidden build and swap folders included.
        @(Get-ChildItem -LiteralPath (Split-Path $Path) -Force | ForEach-Object Name | Sort-Object)
    }

    Reset-Connections
    $volA = @(Get-BPVolume -Domain $script:A)
    $volB = @(Get-BPVolume -Domain $script:B)
    $script:Ds01Label = ($volA | Where-Object DataStore -EQ DS01 | Select-Object -First 1).Label
    $script:Ds02Label = ($volA | Where-Object DataStore -EQ DS02 | Select-Object -First 1).Label
    $script:BOnlyLabel = ($volB | Where-Object DataStore -EQ DS03 | Select-Object -First 1).Label
    $script:MissingLabel = @('ZZZZZ9', 'ZZZZZ8', 'ZZZZZ7') | Where-Object { $_ -notin $volA.Label -and $_ -notin $volB.Label } | Select-Object -First 1

    # Folders that are not labs.
    $script:EmptyFolder = New-Item -ItemType Directory (Join-Path $TestDrive 'empty') | ForEach-Object FullName
    $script:EmptyFile = New-Item -ItemType File (Join-Path $TestDrive 'empty.txt') | ForEach-Object FullName
    $script:GarbageLab = New-Item -ItemType Directory (Join-Path $TestDrive 'garbage') | ForEach-Object FullName
    Set-Content -LiteralPath (Join-Path $script:GarbageLab 'lab.db') -Value 'not a database'
    $script:OtherDbLab = New-Item -ItemType Directory (Join-Path $TestDrive 'other-db') | ForEach-Object FullName
    Invoke-BPSqlite -Database (Join-Path $script:OtherDbLab 'lab.db') -Sql 'CREATE TABLE inventory(item TEXT)' -Create
    $script:WrongFormatLab = Join-Path $TestDrive 'wrong-format'
    $null = New-BPLab -Path $script:WrongFormatLab -VolumeCount 10
    Invoke-BPSqlite -Database (Join-Path $script:WrongFormatLab 'lab.db') -Sql "UPDATE lab SET value = 'Something.Else' WHERE key = 'format'"
    $script:FutureLab = Join-Path $TestDrive 'future'
    $null = New-BPLab -Path $script:FutureLab -VolumeCount 10
    Invoke-BPSqlite -Database (Join-Path $script:FutureLab 'lab.db') -Sql "UPDATE lab SET value = '99' WHERE key = 'format_version'"
    $script:BadSeedLab = Join-Path $TestDrive 'bad-seed'
    $null = New-BPLab -Path $script:BadSeedLab -VolumeCount 10
    Invoke-BPSqlite -Database (Join-Path $script:BadSeedLab 'lab.db') -Sql "UPDATE lab SET value = 'x9' WHERE key = 'seed'"

    # A user's folder and file that New-BPLab must never touch.
    $script:UserFolder = New-Item -ItemType Directory (Join-Path $TestDrive 'user-folder') | ForEach-Object FullName
    Set-Content -LiteralPath (Join-Path $script:UserFolder 'notes.txt') -Value 'my notes'
    $null = New-Item -ItemType Directory (Join-Path $script:UserFolder 'sub')
    Set-Content -LiteralPath (Join-Path $script:UserFolder 'sub/data.csv') -Value 'a,b'
    $script:UserFile = Join-Path $TestDrive 'user-file.txt'
    Set-Content -LiteralPath $script:UserFile -Value 'precious'

    # A lab whose TMF catalog store on \A is unreadable (overwritten before anything opened it).
    $script:CorruptLab = Join-Path $TestDrive 'corrupt'
    $null = New-BPLab -Path $script:CorruptLab -VolumeCount 10 -Seed 4
    $c = Connect-BPDomain -Lab $script:CorruptLab -Node '\A'
    $script:CorruptTmfLabel = (Get-BPVolume -Domain $c -VolumeGroup TMFDUMPS | Select-Object -First 1).Label
    Disconnect-BPDomain -Domain $c
    Remove-Item (Join-Path $script:CorruptLab 'nodes/A/tmf.db*') -Force
    [System.IO.File]::WriteAllBytes((Join-Path $script:CorruptLab 'nodes/A/tmf.db'), [byte[]]::new(8192))

    # A live process that is not this one (our parent), to hold a lock the way another running export does.
    $script:Other = (Get-Process -Id $PID).Parent
    $script:OtherStart = [DateTimeOffset]::new($script:Other.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds()

    # A lab whose staging area on \B cannot be reached: its decommission stops at the staging-area step, every time.
    $script:DecomLab = Join-Path $TestDrive 'decom'
    $null = New-BPLab -Path $script:DecomLab -VolumeCount 30 -Seed 8
    $d = Connect-BPDomain -Lab $script:DecomLab -Node '\A'
    Add-BPLabFault StagingUnreachable '\B' -Domain $d -Confirm:$false | Out-Null
    Disconnect-BPDomain -Domain $d

    # A scratch lab for the scenarios that change state: a volume whose data file cannot be deleted (a folder in
    # its place), an update waiting to be imported whose volume fails, and an export update stuck behind a fault.
    $script:ScratchLab = Join-Path $TestDrive 'scratch'
    $null = New-BPLab -Path $script:ScratchLab -VolumeCount 40 -Seed 6
    $c = Connect-BPDomain -Lab $script:ScratchLab -Node '\A'
    $script:StuckLabel = (Get-BPVolume -Domain $c -DataStore DS02 | Where-Object { -not $_.CurrentOperation } | Select-Object -First 1).Label
    Remove-Item (Join-Path $script:ScratchLab "sites/SITEA/storage/DS02/LB$($script:StuckLabel).DAT")
    $null = New-Item -ItemType Directory (Join-Path $script:ScratchLab "sites/SITEA/storage/DS02/LB$($script:StuckLabel).DAT/keep")
    $failing = Invoke-BPLabBackup -DataStore DS01 -Count 2 -Domain $c -Confirm:$false
    Add-BPLabFault ImportFailure $failing[0].Label -Domain $c -Confirm:$false | Out-Null
    Add-BPLabFault StagingUnreachable '\B' -Domain $c -Confirm:$false | Out-Null
    Invoke-BPLabBackup -DataStore DS01 -Count 1 -Domain $c -Confirm:$false | Out-Null   # stays pending: \B unreachable
    Remove-BPLabFault StagingUnreachable -Domain $c -Confirm:$false                     # the retry is five minutes away
    Disconnect-BPDomain -Domain $c

    # A lab whose files cannot be written where the module expects folders: DS01's staging folder on \B and
    # DS02's storage folder on SITEA are files.
    $script:FaultLab = Join-Path $TestDrive 'fs-faults'
    $null = New-BPLab -Path $script:FaultLab -VolumeCount 40 -Seed 15
    foreach ($folder in 'nodes/B/staging/BPSTAGE.DS01', 'sites/SITEA/storage/DS02') {
        Remove-Item (Join-Path $script:FaultLab $folder) -Recurse -Force
        Set-Content -LiteralPath (Join-Path $script:FaultLab $folder) -Value 'a file where a folder should be'
    }

    # Two more labs with the same node names as the main one, for a node name that alone does not say which lab.
    $script:SameNodesLab = Join-Path $TestDrive 'same-nodes'
    $null = New-BPLab -Path $script:SameNodesLab -VolumeCount 10 -Seed 12
    $script:SameNodesLab2 = Join-Path $TestDrive 'same-nodes-2'
    $null = New-BPLab -Path $script:SameNodesLab2 -VolumeCount 10 -Seed 13

    # Labs whose secondary cannot import: a full export cut short, a FILECAT missing (R6), the default FILECAT with node replacement (R4).
    $script:CutLab = Join-Path $TestDrive 'cut'
    $null = New-BPLab -Path $script:CutLab -VolumeCount 20 -Seed 7
    $full = Join-Path $script:CutLab 'nodes/B/staging/BPSTAGE.DS01/FULL.bpx'
    $lines = Get-Content $full
    Set-Content $full -Value ($lines | Select-Object -First ([int]($lines.Count / 2)))
    $script:NoCatalogLab = Join-Path $TestDrive 'no-catalog'
    $null = New-BPLab -Path $script:NoCatalogLab -VolumeCount 20 -Seed 8
    Invoke-BPSqlite -Database (Join-Path $script:NoCatalogLab 'nodes/B/backpak.db') -Sql "UPDATE volume_group SET filecat = '\B.NOSUCH' WHERE name = 'DAILY'"
    $script:DefaultFilecatLab = Join-Path $TestDrive 'default-filecat'
    $null = New-BPLab -Path $script:DefaultFilecatLab -VolumeCount 20 -Seed 9
    Invoke-BPSqlite -Database (Join-Path $script:DefaultFilecatLab 'nodes/B/backpak.db') -Sql "UPDATE volume_group SET filecat = '\B.FCDEFLT' WHERE name = 'DAILY'; UPDATE data_store SET node_replacements = '\A=\X' WHERE name = 'DS01'"

    # Role switch labs: one whose switch failed and stays unfinished, one whose switch completed.
    function Use-SwitchLab([string] $Path) {
        Disconnect-BPDomain -All
        $null = Connect-BPDomain -Lab $Path -Node '\B'
        $null = Connect-BPDomain -Lab $Path -Node '\A'
    }
    $script:SwitchLab = Join-Path $TestDrive 'switch-failed'
    $null = New-BPLab -Path $script:SwitchLab -VolumeCount 20 -Seed 10
    Use-SwitchLab $script:SwitchLab
    Add-BPLabFault StagingUnreachable '\B' -Confirm:$false | Out-Null
    try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop } catch { $script:FailedRun = $_.TargetObject.RunId }
    $script:SwitchDoneLab = Join-Path $TestDrive 'switch-done'
    $null = New-BPLab -Path $script:SwitchDoneLab -VolumeCount 20 -Seed 11
    Use-SwitchLab $script:SwitchDoneLab
    $script:DoneRun = (Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false).RunId
    # A run abandoned, a run whose journal was emptied, and a lab with a backup running on \A and a removal on \B
    # interrupted after its claim (its process gone).
    $script:SwitchStoppedLab = Join-Path $TestDrive 'switch-stopped'
    $null = New-BPLab -Path $script:SwitchStoppedLab -VolumeCount 20 -Seed 12
    Use-SwitchLab $script:SwitchStoppedLab
    Add-BPLabFault StagingUnreachable '\B' -Confirm:$false | Out-Null
    try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop } catch { $script:AbandonedRun = $_.TargetObject.RunId }
    $null = Stop-BPRoleSwitchRun -RunId $script:AbandonedRun -Reason 'test setup' -Confirm:$false -WarningAction SilentlyContinue
    $script:SwitchDamagedLab = Join-Path $TestDrive 'switch-damaged'
    $null = New-BPLab -Path $script:SwitchDamagedLab -VolumeCount 20 -Seed 13
    Use-SwitchLab $script:SwitchDamagedLab
    Add-BPLabFault StagingUnreachable '\B' -Confirm:$false | Out-Null
    try { Invoke-BPRoleSwitch DS01 -Primary '\A' -Secondary '\B' -Confirm:$false -ErrorAction Stop } catch { $script:DamagedRun = $_.TargetObject.RunId }
    Set-Content -LiteralPath (Join-Path $script:SwitchDamagedLab "runs/$script:DamagedRun.jsonl") -Value $null -NoNewline
    $script:RecoveryLab = Join-Path $TestDrive 'recovery-failed'
    $null = New-BPLab -Path $script:RecoveryLab -VolumeCount 20 -Seed 15
    $script:SwitchGuardLab = Join-Path $TestDrive 'switch-guards'
    $null = New-BPLab -Path $script:SwitchGuardLab -VolumeCount 20 -Seed 14
    Use-SwitchLab $script:SwitchGuardLab
    $null = Start-BPLabBackup -DataStore DS01 -Confirm:$false
    $claimed = (Get-BPVolume -DataStore DS01 -Domain '\B' | Select-Object -First 1).Label
    Invoke-BPSqlite -Database (Join-Path $script:SwitchGuardLab 'nodes/B/backpak.db') -Sql ("UPDATE volume SET current_operation = 'DELETE' WHERE label = '$claimed'; " +
        "INSERT INTO removal_intent(label, run_id, owner_host, owner_pid, owner_start, user, data_store, volume_group, domain_access, storage_path, tape_catalog, created) " +
        "SELECT label, 'R-GONE', '$([Environment]::MachineName)', 999999999, 0, 'test', data_store, volume_group, domain_access, NULL, 'DSM/TC', 0 FROM volume WHERE label = '$claimed'")
    # The transport without Expand: a lab with the volume registered on both sides and nothing backed up yet, and one
    # whose secondary never restored the whole backup that the partial one on the volume follows.
    function New-TransportLab([string] $Path, [int] $Seed) {
        $null = New-BPLab -Path $Path -VolumeCount 20 -Seed $Seed -TransportVolumeGroup TRANSPORT
        Use-SwitchLab $Path
        $null = Set-BPDataStore DS01 -StagingArea '\A.$BPINT.DS01' -Domain '\A' -Confirm:$false
        '\A', '\B' | ForEach-Object { $null = Register-BPTransportVolume DS01 -Label XPT001 -VolumeGroup TRANSPORT -Domain $_ -Confirm:$false }
    }
    $script:TransportLab = Join-Path $TestDrive 'transport'
    New-TransportLab $script:TransportLab 16
    $script:PartialTransportLab = Join-Path $TestDrive 'transport-partial'
    New-TransportLab $script:PartialTransportLab 17
    $null = Start-BPCatalogExport DS01 -Type Full -Domain '\A' -Confirm:$false
    $null = Backup-BPStagingArea DS01 -Domain '\A' -Confirm:$false
    $null = Invoke-BPLabBackup -DataStore DS01 -Count 1 -NewVolume -Domain '\A'
    $null = Backup-BPStagingArea DS01 -Partial -Domain '\A' -Confirm:$false
    # An encrypted lab for the key cases, outside TestDrive (Pester removes files a block created when it ends,
    # which would take SQLite's -shm/-wal files of a store first opened inside a scenario).
    $script:KeyWork = Join-Path ([System.IO.Path]::GetTempPath()) ('backpak-errkeys-' + [guid]::NewGuid().ToString('N'))
    $script:KeyLab = Join-Path $script:KeyWork 'lab'
    $null = New-BPLab -Path $script:KeyLab -VolumeCount 20 -Seed 5 -Encrypted
    $k = Connect-BPDomain -Lab $script:KeyLab -Node '\A'
    $ds02 = @(Get-BPVolume -Domain $k -DataStore DS02 -Encrypted)
    $script:KeyInUse = $ds02[0].MediaKeyName
    # A key no volume uses any more, left by the key server in a state it does not destroy (not a KMIP 1.x state).
    $script:KeyOddState = $ds02[1].MediaKeyName
    Invoke-BPSqlite -Database (Join-Path $script:KeyLab 'nodes/A/backpak.db') -Sql "DELETE FROM volume WHERE label = '$($ds02[1].Label)'"
    Invoke-BPSqlite -Database (Join-Path $script:KeyLab 'sites/SITEA/keys.db') -Sql "UPDATE key SET state = 'Suspended' WHERE name = '$($script:KeyOddState)'"
    Disconnect-BPDomain -Domain $k
    function Use-KeyLab {
        Disconnect-BPDomain -All
        $null = Connect-BPDomain -Lab $script:KeyLab -Node '\B'
        $null = Connect-BPDomain -Lab $script:KeyLab -Node '\A'
        $null = Connect-BPKeyManager -Lab $script:KeyLab -Node '\A'
    }
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=backpak-errors-test', $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $script:SelfSigned = $req.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
    $script:SelfSignedPfx = Join-Path $script:KeyWork 'client.pfx'
    [System.IO.File]::WriteAllBytes($script:SelfSignedPfx, $script:SelfSigned.Export('Pkcs12', 'the-password'))
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $script:ClosedPort = $l.LocalEndpoint.Port; $l.Stop()
    Reset-Connections
}

AfterAll {
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-Item -LiteralPath $script:KeyWork -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Test setup' {
    It 'made the switch runs the scenarios need' {
        $script:FailedRun | Should -Match '^SW-'
        $script:DoneRun | Should -Match '^SW-'
        $script:AbandonedRun | Should -Match '^SW-'
        $script:DamagedRun | Should -Match '^SW-'
    }

    It 'found the labels the scenarios need' {
        $script:Ds01Label | Should -Match '^[A-Z0-9]{6}$'
        $script:Ds02Label | Should -Match '^[A-Z0-9]{6}$'
        $script:BOnlyLabel | Should -Match '^[A-Z0-9]{6}$'
        $script:MissingLabel | Should -Match '^[A-Z0-9]{6}$'
        $script:CorruptTmfLabel | Should -Match '^[A-Z0-9]{6}$'
    }
}

Describe 'Scenario: <Name>' -ForEach $cases {

    BeforeEach {
        Reset-Connections
    }
    AfterAll {
        Reset-Connections
    }

    It 'raises <Fqid>' {
        $r = Invoke-BPCaptured $Script
        @($r.All).Count | Should -BeGreaterThan 0 -Because 'the scenario must fail'
        $r.All[0].FullyQualifiedErrorId | Should -BeExactly $Fqid -Because $r.All[0].Exception.Message
    }

    It 'is <Kind> as documented' {
        $r = Invoke-BPCaptured $Script
        if ($Terminating) {
            $r.Terminating | Should -Not -BeNullOrEmpty -Because 'a terminating error stops the command'
            $r.Terminating.FullyQualifiedErrorId | Should -BeExactly $Fqid
        } else {
            $r.Terminating | Should -BeNullOrEmpty -Because 'a non-terminating error lets the pipeline go on'
            @($r.Errors | ForEach-Object FullyQualifiedErrorId) | Should -Contain $Fqid
        }
    }

    It 'names a TargetObject and gives a RecommendedAction' {
        $r = Invoke-BPCaptured $Script
        $e = @($r.All | Where-Object FullyQualifiedErrorId -EQ $Fqid) | Select-Object -First 1
        $e | Should -Not -BeNullOrEmpty -Because "the scenario raises $Fqid"
        "$($e.TargetObject)" | Should -Not -BeNullOrEmpty -Because 'every error names its target object'
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because 'every error says what to do'
        $e.Exception.Message | Should -Not -BeNullOrEmpty
    }
}

Describe 'Coverage of about_BackPak_Errors' -ForEach $coverage {
    It 'exercises every documented ErrorId in a scenario above, or says why it cannot be raised' {
        $about = Join-Path $script:Module.ModuleBase 'en-US/about_BackPak_Errors.help.txt'
        $documented = @(Get-Content $about | ForEach-Object { if ($_ -cmatch '^    ([A-Za-z]+) \(') { $Matches[1] } })
        $documented.Count | Should -BeGreaterThan 0
        @($documented | Where-Object { $_ -notin $Covered -and $_ -notin $NotRaisable }) | Should -BeNullOrEmpty
    }
}

Describe 'Connection errors change nothing' {

    BeforeEach { Reset-Connections }

    It 'a failed Connect-BPDomain (<Why>) keeps the connections and the default' -ForEach @(
        @{ Why = 'missing folder'; Script = { Connect-BPDomain -Lab (Join-Path $TestDrive 'no-such-folder') -Node '\A' } }
        @{ Why = 'not a lab'; Script = { Connect-BPDomain -Lab $script:GarbageLab -Node '\B' } }
        @{ Why = 'unknown node'; Script = { Connect-BPDomain -Lab $script:LabPath -Node '\C' } }
        @{ Why = 'other format version'; Script = { Connect-BPDomain -Lab $script:FutureLab -Node '\A' } }
    ) {
        $before = Get-ConnectionState
        $r = Invoke-BPCaptured $Script
        @($r.All).Count | Should -BeGreaterThan 0
        Get-ConnectionState | Should -Be $before
        (Get-BPDomain -Default).Node | Should -Be '\A'
    }

    It 'Connect-BPDomain to an empty folder leaves it empty' {
        $null = Invoke-BPCaptured { Connect-BPDomain -Lab $script:EmptyFolder -Node '\A' }
        @(Get-ChildItem -LiteralPath $script:EmptyFolder -Force) | Should -BeNullOrEmpty
    }

    It 'Connect-BPDomain to a folder whose lab.db is not a lab leaves the file as it was' {
        $before = Get-BPTreeSnapshot $script:OtherDbLab
        $null = Invoke-BPCaptured { Connect-BPDomain -Lab $script:OtherDbLab -Node '\A' }
        Get-BPTreeSnapshot $script:OtherDbLab | Should -Be $before
    }

    It 'the NodeNotFound message lists the nodes of the lab' {
        $r = Invoke-BPCaptured { Connect-BPDomain -Lab $script:LabPath -Node '\C' }
        $r.Terminating.Exception.Message | Should -Match '\\A, \\B'
    }

    It "-Domain '\C' (not connected) is a parameter binding error whose message names \C" {
        $r = Invoke-BPCaptured { Get-BPVolume -Domain '\C' }
        $r.Terminating | Should -Not -BeNullOrEmpty
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentTransformationError,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand'
        $r.Terminating.Exception.Message | Should -Match ([regex]::Escape("'\C'"))
        $inner = @(Get-BPInnerExceptions $r.Terminating.Exception | Where-Object { $_.GetType().FullName -eq 'BackPak.Core.Errors.BackPakException' })
        $inner.Count | Should -BeGreaterThan 0 -Because 'the BackPak rule that failed travels as the inner exception'
        $inner[0].ErrorId | Should -BeExactly 'DomainNotConnected'
        @($r.Output) | Should -BeNullOrEmpty
    }

    It 'a closed connection is no longer listed, and using it says DomainDisconnected' {
        $closed = $script:B
        Disconnect-BPDomain -Domain $closed
        $closed.IsOpen | Should -BeFalse
        @(Get-BPDomain).Node | Should -Not -Contain '\B'
        $r = Invoke-BPCaptured { Get-BPVolumeGroup -Domain $closed }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'DomainDisconnected,BackPak.PowerShell.Cmdlets.GetBPVolumeGroupCommand'
        @($r.Output) | Should -BeNullOrEmpty
    }

    It 'Disconnect-BPDomain of the default makes the remaining connection the default, and says so' {
        Disconnect-BPDomain -Domain $script:A -WarningVariable w -WarningAction SilentlyContinue
        (Get-BPDomain -Default).Node | Should -Be '\B'
        # The next command without -Domain acts on another node: the operator is told which.
        @($w).Count | Should -Be 1
        "$($w[0])" | Should -Match 'default domain is now \\B'
    }

    It 'Disconnect-BPDomain of a connection that is not the default leaves the default as it was, without a word' {
        $a = Connect-BPDomain -Lab $script:LabPath -Node '\A'
        Disconnect-BPDomain -Domain (Get-BPDomain | Where-Object Node -eq '\B') -WarningVariable w -WarningAction SilentlyContinue
        @($w).Count | Should -Be 0
        (Get-BPDomain -Default).Node | Should -Be '\A'
        $a.IsDefault | Should -BeTrue
    }
}

Describe 'Item errors are non-terminating: the good items still come back' {

    BeforeAll { Reset-Connections }

    It 'Get-BPVolume -Label good, AB returns the good volume and one InvalidLabel error' {
        $r = Invoke-BPCaptured { Get-BPVolume -Label $script:Ds01Label, 'AB' }
        @($r.Output.Label) | Should -Be @($script:Ds01Label)
        @($r.Errors.FullyQualifiedErrorId) | Should -Be @('InvalidLabel,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand')
        $r.Errors[0].TargetObject | Should -Be 'AB'
        $r.Terminating | Should -BeNullOrEmpty
    }

    It 'labels piped one by one: ABCDEFG* then a good label still returns the good volume' {
        $r = Invoke-BPCaptured { 'ABCDEFG*', $script:Ds02Label | Get-BPVolume }
        @($r.Output.Label) | Should -Be @($script:Ds02Label)
        @($r.Errors.FullyQualifiedErrorId) | Should -Be @('InvalidLabel,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand')
        $r.Terminating | Should -BeNullOrEmpty
    }

    It 'Get-BPVolume -Label good, missing returns the good volume and one VolumeNotFound for the missing label' {
        $r = Invoke-BPCaptured { Get-BPVolume -Label $script:Ds01Label, $script:MissingLabel }
        @($r.Output.Label) | Should -Be @($script:Ds01Label)
        @($r.Errors.FullyQualifiedErrorId) | Should -Be @('VolumeNotFound,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand')
        $r.Errors[0].TargetObject | Should -Be $script:MissingLabel
    }

    It 'Get-BPCatalogEntry -Label AB, good returns the entries of the good volume' {
        $r = Invoke-BPCaptured { Get-BPCatalogEntry -Label 'AB', $script:Ds01Label }
        @($r.Output.Label | Sort-Object -Unique) | Should -Be @($script:Ds01Label)
        @($r.Errors.FullyQualifiedErrorId) | Should -Be @('InvalidLabel,BackPak.PowerShell.Cmdlets.GetBPCatalogEntryCommand')
    }

    It 'Get-BPDataStore -Name DS09, DS01 returns DS01 and one DataStoreNotFound' {
        $r = Invoke-BPCaptured { Get-BPDataStore -Name DS09, DS01 }
        @($r.Output.Name) | Should -Be @('DS01')
        @($r.Errors.FullyQualifiedErrorId) | Should -Be @('DataStoreNotFound,BackPak.PowerShell.Cmdlets.GetBPDataStoreCommand')
    }

    It 'a wildcard that matches nothing is not an error' {
        $r = Invoke-BPCaptured { Get-BPVolume -Label 'ZZZZZ*'; Get-BPCatalogEntry -Label 'ZZZZZ?'; Get-BPDataStore -Name 'NOPE*'; Get-BPVolumeGroup -Name 'NOPE*' }
        @($r.Output | Where-Object { "$_" -like 'ZZZZZ*' -or "$_" -like 'NOPE*' }) | Should -BeNullOrEmpty
        $r.All | Should -BeNullOrEmpty
    }

    It 'a volume piped from a disconnected node fails alone: the volumes of connected nodes still get their entries' {
        $fromB = Get-BPVolume -Domain $script:B -DataStore DS03 | Select-Object -First 1
        $fromA = Get-BPVolume -Domain $script:A -Label $script:Ds02Label
        Disconnect-BPDomain -Domain $script:B
        try {
            $r = Invoke-BPCaptured { $fromB, $fromA | Get-BPCatalogEntry -Kind TapeVolume }
            @($r.Output.Label) | Should -Be @($script:Ds02Label)
            @($r.Errors.FullyQualifiedErrorId) | Should -Be @('DomainNotConnected,BackPak.PowerShell.Cmdlets.GetBPCatalogEntryCommand')
            $r.Errors[0].TargetObject | Should -Be "volume $($fromB.Label)"
            $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape("was read from \B (Lab: "))
        } finally {
            Reset-Connections
        }
    }

    It '-Expired with -NotExpired is AmbiguousParameterSet' {
        $r = Invoke-BPCaptured { Get-BPVolume -Expired -NotExpired }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'AmbiguousParameterSet,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand'
        @($r.Output) | Should -BeNullOrEmpty
    }

    It 'New-BPLab -VolumeCount 5 is refused before anything is made' {
        $path = Join-Path $TestDrive 'too-small'
        $r = Invoke-BPCaptured { New-BPLab -Path $path -VolumeCount 5 }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,BackPak.PowerShell.Cmdlets.NewBPLabCommand'
        $path | Should -Not -Exist
    }
}

Describe 'New-BPLab refusals change nothing' {

    BeforeAll { Reset-Connections }

    It 'over an existing lab without -Force: LabAlreadyExists, and the lab is unchanged' {
        $before = Get-LabPicture $script:LabPath
        $siblings = Get-Siblings $script:LabPath
        $r = Invoke-BPCaptured { New-BPLab -Path $script:LabPath -VolumeCount 20 -Seed 42 }
        @($r.All.FullyQualifiedErrorId) | Should -Be @('LabAlreadyExists,BackPak.PowerShell.Cmdlets.NewBPLabCommand')
        $after = Get-LabPicture $script:LabPath
        $after.LabDb | Should -Be $before.LabDb
        $after.Volumes | Should -Be $before.Volumes
        Get-Siblings $script:LabPath | Should -Be $siblings
    }

    It 'over a folder of user files even with -Force: PathNotEmpty, and the files are untouched' {
        $before = Get-BPTreeSnapshot $script:UserFolder
        $siblings = Get-Siblings $script:UserFolder
        $r = Invoke-BPCaptured { New-BPLab -Path $script:UserFolder -VolumeCount 10 -Force }
        @($r.All.FullyQualifiedErrorId) | Should -Be @('PathNotEmpty,BackPak.PowerShell.Cmdlets.NewBPLabCommand')
        Get-BPTreeSnapshot $script:UserFolder | Should -Be $before
        Get-Siblings $script:UserFolder | Should -Be $siblings
    }

    It 'over a file: PathNotEmpty, and the file is untouched' {
        $hash = Get-BPFileHash $script:UserFile
        $r = Invoke-BPCaptured { New-BPLab -Path $script:UserFile -VolumeCount 10 -Force }
        @($r.All.FullyQualifiedErrorId) | Should -Be @('PathNotEmpty,BackPak.PowerShell.Cmdlets.NewBPLabCommand')
        $script:UserFile | Should -Exist
        (Get-Item $script:UserFile).PSIsContainer | Should -BeFalse
        Get-BPFileHash $script:UserFile | Should -Be $hash
    }

    It '-WhatIf on a new path creates nothing' {
        $parent = Join-Path $TestDrive 'whatif-parent'
        $r = Invoke-BPCaptured { New-BPLab -Path (Join-Path $parent 'lab') -VolumeCount 10 -WhatIf }
        $r.All | Should -BeNullOrEmpty
        @($r.Output) | Should -BeNullOrEmpty
        $parent | Should -Not -Exist
    }

    It '-WhatIf -Force over a lab changes nothing' {
        $before = Get-LabPicture $script:LabPath
        $siblings = Get-Siblings $script:LabPath
        $r = Invoke-BPCaptured { New-BPLab -Path $script:LabPath -VolumeCount 20 -Seed 42 -Force -WhatIf }
        $r.All | Should -BeNullOrEmpty
        @($r.Output) | Should -BeNullOrEmpty
        $after = Get-LabPicture $script:LabPath
        $after.LabDb | Should -Be $before.LabDb
        $after.Volumes | Should -Be $before.Volumes
        Get-Siblings $script:LabPath | Should -Be $siblings
    }

    It '-Force over a lab replaces it: another seed gives other labels, and no folder is left beside it' {
        $path = Join-Path $TestDrive 'replace-me/lab'
        $null = New-BPLab -Path $path -VolumeCount 20 -Seed 1
        $old = (Get-LabPicture $path).Volumes
        $siblings = Get-Siblings $path
        $info = New-BPLab -Path $path -VolumeCount 20 -Seed 2 -Force
        $info.Seed | Should -Be 2
        $new = (Get-LabPicture $path).Volumes
        $new.Count | Should -Be $old.Count
        @($new | Where-Object { $_ -in $old }) | Should -BeNullOrEmpty -Because 'seed 2 draws other labels than seed 1'
        Get-Siblings $path | Should -Be $siblings
    }
}
