<#
    Operator scenarios on the read cmdlets, against a small lab in TestDrive with both nodes connected.
    Expected values come from the lab topology described in about_BackPak and New-BPLab's help:
    \A: DS01 PRIMARY (DAILY, MONTHLY -> DSM/TC, TMFDUMPS -> TMF) and DS02 PRIMARY (LOCALA);
    \B: DS01 SECONDARY (same groups, catalogs \B.VCA01/\B.FCA01) and DS03 PRIMARY (LOCALB);
    volumes dealt 5/10 DAILY, 2/10 MONTHLY, 1/10 TMFDUMPS, 1/10 DS02, 1/10 DS03.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $null = Import-BPTestModule
    Disconnect-BPDomain -All

    $script:VolumeCount = 200
    $script:Seed = 11
    $script:LabPath = Join-Path $TestDrive 'lab'
    $script:Info = New-BPLab -Path $script:LabPath -VolumeCount $script:VolumeCount -Seed $script:Seed
    # \A connected last: it is the default.
    $script:B = Connect-BPDomain -Lab $script:LabPath -Node '\B'
    $script:A = Connect-BPDomain -Lab $script:LabPath -Node '\A'
    $script:VolA = @(Get-BPVolume -Domain $script:A)
    $script:VolB = @(Get-BPVolume -Domain $script:B)

    function Get-Labels([object[]] $Volumes) { @($Volumes | ForEach-Object Label) }
}

AfterAll {
    Disconnect-BPDomain -All
}

Describe 'A new lab and its connections' {

    It 'New-BPLab reports the lab it made' {
        $script:Info.Path | Should -Be ([System.IO.Path]::GetFullPath($script:LabPath))
        $script:Info.Nodes | Should -Be @('\A', '\B')
        $script:Info.VolumeCount | Should -Be $script:VolumeCount
        $script:Info.Seed | Should -Be $script:Seed
        $script:Info.Encrypted | Should -BeFalse
        $script:Info.ReplicatedDataStore | Should -Be 'DS01'
    }

    It 'New-BPLab accepts a PowerShell path (TestDrive:) and makes the lab in its folder' {
        $info = New-BPLab -Path 'TestDrive:/psdrive-lab' -VolumeCount 10
        $info.Path | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $TestDrive 'psdrive-lab')))
        Join-Path $TestDrive 'psdrive-lab/lab.db' | Should -Exist
    }

    It 'Get-BPDomain lists both nodes of the lab, \A (connected last) being the default' {
        $d = @(Get-BPDomain | Where-Object Location -EQ $script:Info.Path)
        @($d.Node | Sort-Object) | Should -Be @('\A', '\B')
        @($d | Where-Object IsDefault).Node | Should -Be '\A'
        (Get-BPDomain -Default).Node | Should -Be '\A'
        ($d | Where-Object Node -EQ '\A').DomainId | Should -Not -Be ($d | Where-Object Node -EQ '\B').DomainId
    }

    It '-Domain takes a node name without backslash and in lower case' {
        @(Get-BPDataStore -Domain 'b').Node | Sort-Object -Unique | Should -Be '\B'
    }
}

Describe 'Data stores' {

    It '<Node> has data stores <Expected>' -ForEach @(
        @{ Node = '\A'; Expected = 'DS01=Primary DS02=Primary' }
        @{ Node = '\B'; Expected = 'DS01=Secondary DS03=Primary' }
    ) {
        $stores = @(Get-BPDataStore -Domain $Node)
        (($stores | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.DomainAccess)" }) -join ' ') | Should -Be $Expected
        $stores.Node | Sort-Object -Unique | Should -Be $Node
        $stores.Status | Sort-Object -Unique | Should -Be 'Active'
    }

    It 'keeps the storage of each store in the site of its node' {
        foreach ($s in @(Get-BPDataStore -Domain $script:A)) { $s.StoragePath | Should -Be "\\SITEA-NAS\BACKPAK\$($s.Name)" }
        foreach ($s in @(Get-BPDataStore -Domain $script:B)) { $s.StoragePath | Should -Be "\\SITEB-NAS\BACKPAK\$($s.Name)" }
    }

    It 'counts volumes so that the PRIMARY stores add up to -VolumeCount' {
        $primary = @(Get-BPDataStore -Domain $script:A) + @(Get-BPDataStore -Domain $script:B) | Where-Object DomainAccess -EQ 'Primary'
        ($primary | Measure-Object VolumeCount -Sum).Sum | Should -Be $script:VolumeCount
    }

    It 'deals 8/10 of the volumes to DS01, 1/10 to DS02 and 1/10 to DS03' {
        (Get-BPDataStore -Domain $script:A -Name DS01).VolumeCount | Should -Be ($script:VolumeCount * 8 / 10)
        (Get-BPDataStore -Domain $script:A -Name DS02).VolumeCount | Should -Be ($script:VolumeCount / 10)
        (Get-BPDataStore -Domain $script:B -Name DS03).VolumeCount | Should -Be ($script:VolumeCount / 10)
    }

    It 'gives the SECONDARY DS01 on \B as many volumes as the PRIMARY DS01 on \A' {
        (Get-BPDataStore -Domain $script:B -Name DS01).VolumeCount | Should -Be (Get-BPDataStore -Domain $script:A -Name DS01).VolumeCount
    }

    It 'reports for each store the number of volumes Get-BPVolume lists in it' {
        foreach ($conn in $script:A, $script:B) {
            $all = if ($conn -eq $script:A) { $script:VolA } else { $script:VolB }
            foreach ($s in Get-BPDataStore -Domain $conn) {
                $s.VolumeCount | Should -Be @($all | Where-Object DataStore -EQ $s.Name).Count -Because "$($s.Node) $($s.Name)"
            }
        }
    }

    It 'filters data stores by name wildcard' {
        @(Get-BPDataStore -Domain $script:A -Name 'ds0[2-9]').Name | Should -Be @('DS02')
        @(Get-BPDataStore -Domain $script:B -Name '*3').Name | Should -Be @('DS03')
    }
}

Describe 'Volume groups and their catalogs' {

    It '<Node> <Store> has the groups <Groups>' -ForEach @(
        @{ Node = '\A'; Store = 'DS01'; Groups = 'DAILY MONTHLY TMFDUMPS' }
        @{ Node = '\A'; Store = 'DS02'; Groups = 'LOCALA' }
        @{ Node = '\B'; Store = 'DS01'; Groups = 'DAILY MONTHLY TMFDUMPS' }
        @{ Node = '\B'; Store = 'DS03'; Groups = 'LOCALB' }
    ) {
        ((Get-BPVolumeGroup -Domain $Node -DataStore $Store | ForEach-Object Name | Sort-Object) -join ' ') | Should -Be $Groups
    }

    It '<Node> <Group> is linked to <Kind> <Volcat> <Pool> <Filecat> <Tmf>' -ForEach @(
        @{ Node = '\A'; Group = 'DAILY'; Kind = 'DsmTc'; Volcat = '\A.VCDS01'; Pool = 'DAILY'; Filecat = '\A.FCDS01'; Tmf = $null }
        @{ Node = '\A'; Group = 'MONTHLY'; Kind = 'DsmTc'; Volcat = '\A.VCDS01'; Pool = 'MONTHLY'; Filecat = '\A.FCDS01'; Tmf = $null }
        @{ Node = '\A'; Group = 'TMFDUMPS'; Kind = 'Tmf'; Volcat = $null; Pool = $null; Filecat = $null; Tmf = '\A' }
        @{ Node = '\A'; Group = 'LOCALA'; Kind = 'DsmTc'; Volcat = '\A.VCLOCAL'; Pool = 'LOCAL'; Filecat = '\A.FCLOCAL'; Tmf = $null }
        @{ Node = '\B'; Group = 'DAILY'; Kind = 'DsmTc'; Volcat = '\B.VCA01'; Pool = 'DAILY'; Filecat = '\B.FCA01'; Tmf = $null }
        @{ Node = '\B'; Group = 'MONTHLY'; Kind = 'DsmTc'; Volcat = '\B.VCA01'; Pool = 'MONTHLY'; Filecat = '\B.FCA01'; Tmf = $null }
        @{ Node = '\B'; Group = 'TMFDUMPS'; Kind = 'Tmf'; Volcat = $null; Pool = $null; Filecat = $null; Tmf = '\B' }
        @{ Node = '\B'; Group = 'LOCALB'; Kind = 'DsmTc'; Volcat = '\B.VCLOCAL'; Pool = 'LOCAL'; Filecat = '\B.FCLOCAL'; Tmf = $null }
    ) {
        $g = Get-BPVolumeGroup -Domain $Node -Name $Group
        @($g).Count | Should -Be 1
        $g.Node | Should -Be $Node
        "$($g.CatalogKind)" | Should -Be $Kind
        $g.VolumeCatalog | Should -Be $Volcat
        $g.Pool | Should -Be $Pool
        $g.FileCatalog | Should -Be $Filecat
        $g.TmfNode | Should -Be $Tmf
    }

    It 'R3: every DSM/TC group of the SECONDARY DS01 uses other VOLCAT and FILECAT than its PRIMARY group, on \B' {
        $secondary = @(Get-BPVolumeGroup -Domain $script:B -DataStore DS01 | Where-Object CatalogKind -EQ 'DsmTc')
        $secondary.Count | Should -Be 2
        foreach ($g in $secondary) {
            $p = Get-BPVolumeGroup -Domain $script:A -DataStore DS01 -Name $g.Name
            $g.VolumeCatalog | Should -Not -Be $p.VolumeCatalog
            $g.FileCatalog | Should -Not -Be $p.FileCatalog
            $g.VolumeCatalog | Should -BeLike '\B.*'
            $g.FileCatalog | Should -BeLike '\B.*'
        }
    }

    It 'deals volumes to groups 5/10 DAILY, 2/10 MONTHLY, 1/10 TMFDUMPS, 1/10 LOCALA, 1/10 LOCALB' {
        $n = $script:VolumeCount
        $expected = @{ DAILY = $n / 2; MONTHLY = $n / 5; TMFDUMPS = $n / 10; LOCALA = $n / 10 }
        foreach ($g in Get-BPVolumeGroup -Domain $script:A) { $g.VolumeCount | Should -Be $expected[$g.Name] -Because "\A $($g.Name)" }
        (Get-BPVolumeGroup -Domain $script:B -Name LOCALB).VolumeCount | Should -Be ($n / 10)
    }

    It 'reports for each group the number of volumes Get-BPVolume lists in it' {
        foreach ($g in Get-BPVolumeGroup -Domain $script:A) {
            $g.VolumeCount | Should -Be @($script:VolA | Where-Object VolumeGroup -EQ $g.Name).Count -Because "\A $($g.Name)"
        }
    }

    It 'takes data stores from the pipeline and reads their groups on the node they came from, not the default \A' {
        (Get-BPDomain -Default).Node | Should -Be '\A'
        $groups = @(Get-BPDataStore -Domain $script:B -Name DS01 | Get-BPVolumeGroup)
        @($groups.Name | Sort-Object) | Should -Be @('DAILY', 'MONTHLY', 'TMFDUMPS')
        $groups.Node | Sort-Object -Unique | Should -Be '\B'
        ($groups | Where-Object Name -EQ DAILY).VolumeCatalog | Should -Be '\B.VCA01'
    }
}

Describe 'Get-BPVolume filters give what Where-Object gives on the full list' {

    It 'lists every volume of a node once, in label order' {
        $labels = Get-Labels $script:VolA
        $labels.Count | Should -Be ($script:VolumeCount * 9 / 10)
        $sorted = [string[]]$labels.Clone(); [Array]::Sort($sorted, [StringComparer]::Ordinal)
        $labels | Should -Be $sorted
        @($script:VolA.Node | Sort-Object -Unique) | Should -Be '\A'
        (Get-Labels $script:VolB).Count | Should -Be ($script:VolumeCount * 9 / 10)
    }

    It '-Label <Pattern> matches what -like matches' -ForEach @(
        @{ Pattern = '[A-M]*' }
        @{ Pattern = '*[0-9]' }
        @{ Pattern = '??[A-Z]*' }
        @{ Pattern = 'a*' }
        @{ Pattern = '*' }
    ) {
        $expected = Get-Labels ($script:VolA | Where-Object Label -Like $Pattern)
        $expected.Count | Should -BeGreaterThan 0 -Because 'a pattern that matches nothing would prove nothing'
        Get-Labels (Get-BPVolume -Domain $script:A -Label $Pattern) | Should -Be $expected
    }

    It '-Label with several patterns returns the union, each volume once' {
        $expected = Get-Labels ($script:VolA | Where-Object { $_.Label -like '[0-4]*' -or $_.Label -like '[0-2]*' -or $_.Label -like '*Z' })
        $expected.Count | Should -BeGreaterThan 0
        Get-Labels (Get-BPVolume -Domain $script:A -Label '[0-4]*', '[0-2]*', '*Z') | Should -Be $expected
    }

    It '-Label with an exact label in lower case returns that volume' {
        $v = $script:VolA[7]
        Get-Labels (Get-BPVolume -Domain $script:A -Label $v.Label.ToLowerInvariant()) | Should -Be @($v.Label)
    }

    It '-DataStore <Store> on <Node> matches Where-Object DataStore' -ForEach @(
        @{ Node = '\A'; Store = 'DS01' }
        @{ Node = '\A'; Store = 'DS02' }
        @{ Node = '\B'; Store = 'DS01' }
        @{ Node = '\B'; Store = 'ds03' }
    ) {
        $all = if ($Node -eq '\A') { $script:VolA } else { $script:VolB }
        $expected = Get-Labels ($all | Where-Object DataStore -EQ $Store)
        $expected.Count | Should -BeGreaterThan 0
        Get-Labels (Get-BPVolume -Domain $Node -DataStore $Store) | Should -Be $expected
    }

    It '-VolumeGroup <Group> matches Where-Object VolumeGroup' -ForEach @(
        @{ Group = 'DAILY' }, @{ Group = 'MONTHLY' }, @{ Group = 'TMFDUMPS' }, @{ Group = 'LocalA' }
    ) {
        $expected = Get-Labels ($script:VolA | Where-Object VolumeGroup -EQ $Group)
        $expected.Count | Should -BeGreaterThan 0
        Get-Labels (Get-BPVolume -Domain $script:A -VolumeGroup $Group) | Should -Be $expected
    }

    It '-Expired matches Where-Object IsExpired, and every volume it returns has expired' {
        # A fresh full list: expiration moves with the lab clock, so do not compare with the list read in BeforeAll.
        $expected = Get-Labels (Get-BPVolume -Domain $script:A | Where-Object IsExpired)
        $expected.Count | Should -BeGreaterThan 0
        $got = @(Get-BPVolume -Domain $script:A -Expired)
        Get-Labels $got | Should -Be $expected
        $now = $script:A.Domain.Now
        @($got | Where-Object { -not $_.IsExpired -or $_.Expiration -gt $now }).Label | Should -BeNullOrEmpty
    }

    It '-NotExpired matches Where-Object { -not IsExpired }' {
        $expected = Get-Labels (Get-BPVolume -Domain $script:A | Where-Object { -not $_.IsExpired })
        $expected.Count | Should -BeGreaterThan 0
        Get-Labels (Get-BPVolume -Domain $script:A -NotExpired) | Should -Be $expected
    }

    It '-Expired and -NotExpired partition the volumes of <Node>' -ForEach @(@{ Node = '\A' }, @{ Node = '\B' }) {
        $all = Get-Labels (Get-BPVolume -Domain $Node)
        $expired = Get-Labels (Get-BPVolume -Domain $Node -Expired)
        $live = Get-Labels (Get-BPVolume -Domain $Node -NotExpired)
        $expired.Count | Should -BeGreaterThan 0
        $live.Count | Should -BeGreaterThan 0
        @($expired | Where-Object { $_ -in $live }) | Should -BeNullOrEmpty -Because 'no volume is both expired and not expired'
        @(@($expired) + @($live) | Sort-Object { $_ } -CaseSensitive) | Should -Be @($all | Sort-Object { $_ } -CaseSensitive)
    }

    It 'combines -Label, -DataStore, -VolumeGroup and -NotExpired as one AND filter' {
        $expected = Get-Labels (Get-BPVolume -Domain $script:A | Where-Object { $_.Label -like '[A-R]*' -and $_.DataStore -eq 'DS01' -and $_.VolumeGroup -eq 'DAILY' -and -not $_.IsExpired })
        $expected.Count | Should -BeGreaterThan 0
        Get-Labels (Get-BPVolume -Domain $script:A -Label '[A-R]*' -DataStore DS01 -VolumeGroup DAILY -NotExpired) | Should -Be $expected
    }

    It '-Encrypted on a lab made without -Encrypted returns nothing, -Encrypted:$false returns every volume' {
        @(Get-BPVolume -Domain $script:A -Encrypted) | Should -BeNullOrEmpty
        Get-Labels (Get-BPVolume -Domain $script:A -Encrypted:$false) | Should -Be (Get-Labels $script:VolA)
    }

    It 'takes labels from the pipeline: the labels of \A volumes piped to -Domain \B give their SECONDARY copies' {
        $some = @($script:VolA | Where-Object DataStore -EQ DS01 | Select-Object -First 3)
        $copies = @($some.Label | Get-BPVolume -Domain $script:B)
        Get-Labels $copies | Should -Be (Get-Labels $some)
        $copies.Node | Sort-Object -Unique | Should -Be '\B'
        $copies.DomainAccess | Sort-Object -Unique | Should -Be 'Secondary'
    }

    It 'refuses \A volumes themselves piped to -Domain \B (DomainMismatch): a piped volume is read where it came from' {
        $some = @($script:VolA | Where-Object DataStore -EQ DS01 | Select-Object -First 3)
        $r = Invoke-BPCaptured { $some | Get-BPVolume -Domain $script:B }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'DomainMismatch,BackPak.PowerShell.Cmdlets.GetBPVolumeCommand'
        $r.Output | Should -BeNullOrEmpty
        Get-Labels ($some | Get-BPVolume) | Should -Be (Get-Labels $some)
        @($some | Get-BPVolume).Node | Sort-Object -Unique | Should -Be '\A'
    }

    Context 'on a lab made with -Encrypted' {
        BeforeAll {
            $encPath = Join-Path $TestDrive 'encrypted-lab'
            $null = New-BPLab -Path $encPath -VolumeCount 100 -Seed 5 -Encrypted
            $script:EA = Connect-BPDomain -Lab $encPath -Node '\A'
            $script:EB = Connect-BPDomain -Lab $encPath -Node '\B'
            $script:EncA = @(Get-BPVolume -Domain $script:EA)
        }
        AfterAll {
            Disconnect-BPDomain -Domain $script:EB
            Disconnect-BPDomain -Domain $script:EA
        }

        It '-Encrypted matches Where-Object MediaKeyName, -Encrypted:$false the others' {
            $enc = Get-Labels ($script:EncA | Where-Object MediaKeyName)
            $clear = Get-Labels ($script:EncA | Where-Object { -not $_.MediaKeyName })
            $enc.Count | Should -BeGreaterThan 0
            $clear.Count | Should -BeGreaterThan 0
            Get-Labels (Get-BPVolume -Domain $script:EA -Encrypted) | Should -Be $enc
            Get-Labels (Get-BPVolume -Domain $script:EA -Encrypted:$false) | Should -Be $clear
        }

        It 'encrypts the DSM/TC groups and not the TMF group' {
            @($script:EncA | Where-Object { $_.VolumeGroup -eq 'TMFDUMPS' -and $_.MediaKeyName }) | Should -BeNullOrEmpty
            @($script:EncA | Where-Object { $_.VolumeGroup -ne 'TMFDUMPS' -and -not $_.MediaKeyName }) | Should -BeNullOrEmpty
            @(Get-BPVolumeGroup -Domain $script:EA | Where-Object Encrypted | ForEach-Object Name | Sort-Object) | Should -Be @('DAILY', 'LOCALA', 'MONTHLY')
        }

        It '-MediaKeyName returns the volume of that key on \A and its SECONDARY copy on \B' {
            $v = $script:EncA | Where-Object { $_.MediaKeyName -and $_.DataStore -eq 'DS01' } | Select-Object -Last 1
            Get-Labels (Get-BPVolume -Domain $script:EA -MediaKeyName $v.MediaKeyName) |
                Should -Be (Get-Labels ($script:EncA | Where-Object MediaKeyName -EQ $v.MediaKeyName))
            $copy = @(Get-BPVolume -Domain $script:EB -MediaKeyName $v.MediaKeyName)
            Get-Labels $copy | Should -Be @($v.Label)
            $copy[0].DomainAccess | Should -Be 'Secondary'
        }

        It '-MediaKeyName of no key returns nothing, without error' {
            $r = Invoke-BPCaptured { Get-BPVolume -Domain $script:EA -MediaKeyName 'BPK-NOSUCH-20000101000000' }
            $r.Output | Should -BeNullOrEmpty
            $r.All | Should -BeNullOrEmpty
        }
    }
}

Describe 'R1: labels are unique in the enterprise, except a DS01 volume and its SECONDARY copy' {

    It 'no label appears twice on one node' {
        @($script:VolA | Group-Object Label | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty
        @($script:VolB | Group-Object Label | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty
    }

    It 'the labels on both nodes are exactly the DS01 labels of \A and of \B' {
        $onB = [System.Collections.Generic.HashSet[string]]::new([string[]](Get-Labels $script:VolB))
        $shared = @(Get-Labels $script:VolA | Where-Object { $onB.Contains($_) })
        $shared.Count | Should -Be ($script:VolumeCount * 8 / 10)
        $shared | Should -Be (Get-Labels ($script:VolA | Where-Object DataStore -EQ DS01))
        $shared | Should -Be (Get-Labels ($script:VolB | Where-Object DataStore -EQ DS01))
    }

    It 'a shared label is a PRIMARY DS01 volume on \A and its SECONDARY copy on \B, with the same data' {
        $onB = [System.Collections.Generic.HashSet[string]]::new([string[]](Get-Labels $script:VolB))
        $fields = { "$($_.Label) $($_.DataStore) $($_.VolumeGroup) $($_.LastBackup.Ticks) $($_.Expiration.Ticks) $($_.CatalogStatus) $($_.OwnerNode) $($_.OwnerUser)" }
        $shared = @($script:VolA | Where-Object { $onB.Contains($_.Label) })
        $shared.Count | Should -BeGreaterThan 0
        @($shared | Where-Object { "$($_.DataStore) $($_.DomainAccess)" -ne 'DS01 Primary' } | ForEach-Object Label) | Should -BeNullOrEmpty
        $copies = @($script:VolB | Where-Object { $_.Label -in $shared.Label })
        @($copies | Where-Object { "$($_.DataStore) $($_.DomainAccess)" -ne 'DS01 Secondary' } | ForEach-Object Label) | Should -BeNullOrEmpty
        @($copies | ForEach-Object $fields) | Should -Be @($shared | ForEach-Object $fields)
    }

    It 'R20: the SECONDARY copies show WRITE as "." and keep READ and CONTROL of the primary' {
        $a = @{}; foreach ($v in $script:VolA) { $a[$v.Label] = $v }
        $copies = @($script:VolB | Where-Object DataStore -EQ DS01)
        $copies.Count | Should -BeGreaterThan 0
        $wrong = foreach ($c in $copies) {
            $p = $a[$c.Label].Authorization
            if ($c.Authorization -cne ($p.Substring(0, 1) + '.' + $p.Substring(2))) { "$($c.Label): $($c.Authorization) on \B for $p on \A" }
        }
        @($wrong) | Should -BeNullOrEmpty
    }

    It 'R20: PRIMARY volumes (\A, and DS03 on \B) have a real WRITE authorization' {
        $primary = @($script:VolA) + @($script:VolB | Where-Object DataStore -EQ DS03)
        @($primary | Where-Object { $_.Authorization -notmatch '^[A-Z.]{3}$' -or $_.Authorization[1] -eq '.' } | ForEach-Object Label) | Should -BeNullOrEmpty
    }
}

Describe 'Catalog entries' {

    It 'volumes of \B piped to Get-BPCatalogEntry are read on \B even when \A is the default' {
        (Get-BPDomain -Default).Node | Should -Be '\A'
        $r = Invoke-BPCaptured { Get-BPVolume -Domain '\B' -DataStore DS01 | Get-BPCatalogEntry }
        $r.All | Should -BeNullOrEmpty
        $r.Output.Count | Should -BeGreaterThan 0
        @($r.Output.Node | Sort-Object -Unique) | Should -Be @('\B')
        @($r.Output | Where-Object Catalog -EQ 'DsmTc' | ForEach-Object CatalogName | Sort-Object -Unique) | Should -Be @('\B.FCA01', '\B.VCA01')
    }

    It 'volumes of \B that do not exist on \A (DS03) still get their entries through the pipeline' {
        $r = Invoke-BPCaptured { Get-BPVolume -Domain $script:B -DataStore DS03 | Get-BPCatalogEntry -Kind TapeVolume }
        $r.All | Should -BeNullOrEmpty
        Get-Labels $r.Output | Should -Be (Get-Labels ($script:VolB | Where-Object DataStore -EQ DS03))
    }

    It 'every DSM/TC volume of \A has one TAPEVOLUME, TAPEFILEs and DISKFILEs named on \A' {
        $dsm = @($script:VolA | Where-Object VolumeGroup -NE 'TMFDUMPS')
        $entries = @($dsm | Get-BPCatalogEntry) | Group-Object Label -AsHashTable -AsString
        $groups = @{}; foreach ($g in Get-BPVolumeGroup -Domain $script:A) { $groups[$g.Name] = $g }
        $problems = foreach ($v in $dsm) {
            $e = @($entries[$v.Label])
            $group = $groups[$v.VolumeGroup]
            $tv = @($e | Where-Object Kind -EQ 'TapeVolume')
            $tf = @($e | Where-Object Kind -EQ 'TapeFile')
            $df = @($e | Where-Object Kind -EQ 'DiskFile')
            if ($tv.Count -ne 1) { "$($v.Label): $($tv.Count) TAPEVOLUME entries"; continue }
            if ("$($tv[0].Name) $($tv[0].CatalogName) $($tv[0].Pool)" -ne "$($v.Label) $($group.VolumeCatalog) $($group.Pool)") { "$($v.Label): TAPEVOLUME $($tv[0].Name) in $($tv[0].CatalogName) $($tv[0].Pool)" }
            if ($tf.Count -eq 0) { "$($v.Label): no TAPEFILE" }
            if ($df.Count -eq 0) { "$($v.Label): no DISKFILE" }
            foreach ($x in $tf + $df | Where-Object CatalogName -NE $group.FileCatalog) { "$($v.Label): $($x.Kind) in $($x.CatalogName)" }
            foreach ($x in $df | Where-Object { -not $_.Name.StartsWith('\A.') }) { "$($v.Label): DISKFILE $($x.Name) not on \A" }
            foreach ($x in $df | Where-Object { $_.Sequence -notin $tf.Sequence }) { "$($v.Label): DISKFILE $($x.Name) of no TAPEFILE" }
            foreach ($x in $e | Where-Object { $_.Catalog -eq 'Tmf' -or $_.Label -ne $v.Label -or $_.Node -ne '\A' }) { "$($v.Label): unexpected $($x.Kind) $($x.Label) on $($x.Node)" }
        }
        $dsm.Count | Should -BeGreaterThan 0
        @($problems) | Should -BeNullOrEmpty
    }

    It '-Kind keeps only the entries of that kind' {
        $v = $script:VolA | Where-Object VolumeGroup -EQ DAILY | Select-Object -First 1
        $all = @(Get-BPCatalogEntry -Domain $script:A -Label $v.Label)
        $files = @(Get-BPCatalogEntry -Domain $script:A -Label $v.Label -Kind TapeFile)
        $files.Count | Should -BeGreaterThan 0
        @($files.Kind | Sort-Object -Unique) | Should -Be @('TapeFile')
        $files.Count | Should -Be @($all | Where-Object Kind -EQ TapeFile).Count
    }

    It '-Label with a wildcard returns the entries of every matching volume' {
        $expected = Get-Labels ($script:VolA | Where-Object Label -Like '[0-9]*')
        $expected.Count | Should -BeGreaterThan 0
        @(Get-BPCatalogEntry -Domain $script:A -Label '[0-9]*' | ForEach-Object Label | Select-Object -Unique) | Should -Be $expected
    }

    It 'TMF volumes have a TMF volume entry and dumps on \A, and no DSM/TC entry' {
        $tmf = @($script:VolA | Where-Object VolumeGroup -EQ TMFDUMPS)
        $tmf.Count | Should -BeGreaterThan 0
        $entries = @($tmf | Get-BPCatalogEntry) | Group-Object Label -AsHashTable -AsString
        foreach ($v in $tmf) {
            $e = @($entries[$v.Label])
            @($e | Where-Object Kind -EQ 'TmfVolume').Count | Should -Be 1 -Because "$($v.Label) has one TMF volume entry"
            @($e | Where-Object Kind -EQ 'TmfDump').Count | Should -BeGreaterThan 0
            @($e | Where-Object Catalog -NE 'Tmf') | Should -BeNullOrEmpty
            @($e.CatalogName | Sort-Object -Unique) | Should -Be @('\A')
        }
    }

    It 'TMF entries are not replicated (inferred rule): the TMF volumes of \B have no catalog entry, and no error' {
        $tmfB = @($script:VolB | Where-Object VolumeGroup -EQ TMFDUMPS)
        $tmfB.Count | Should -BeGreaterThan 0
        $r = Invoke-BPCaptured { $tmfB | Get-BPCatalogEntry }
        $r.Output | Should -BeNullOrEmpty
        $r.All | Should -BeNullOrEmpty
        $r = Invoke-BPCaptured { Get-BPCatalogEntry -Domain $script:B -Label $tmfB[0].Label }
        $r.Output | Should -BeNullOrEmpty
        $r.All | Should -BeNullOrEmpty
    }
}

Describe 'Storage of the volume images' {

    It 'every volume of <Node> has its LB-label .IND and .DAT files, and nothing else, under sites/<Site>/storage/(store)/' -ForEach @(
        @{ Node = '\A'; Site = 'SITEA' }
        @{ Node = '\B'; Site = 'SITEB' }
    ) {
        $volumes = if ($Node -eq '\A') { $script:VolA } else { $script:VolB }
        foreach ($store in $volumes | Group-Object DataStore) {
            $dir = Join-Path $script:LabPath "sites/$Site/storage/$($store.Name)"
            $expected = @($store.Group | ForEach-Object { "LB$($_.Label).DAT"; "LB$($_.Label).IND" } | Sort-Object)
            $actual = @(Get-ChildItem -LiteralPath $dir -File | ForEach-Object Name | Sort-Object)
            $actual | Should -Be $expected -Because "$dir holds the images of $($store.Count) volumes"
        }
    }

    It 'each index file names its volume, store and group' {
        foreach ($v in $script:VolA | Select-Object -First 40) {
            $ind = Get-Content -Raw (Join-Path $script:LabPath "sites/SITEA/storage/$($v.DataStore)/LB$($v.Label).IND")
            $ind | Should -Match "(?m)^LABEL=$($v.Label)$"
            $ind | Should -Match "(?m)^STORE=$($v.DataStore)$"
            $ind | Should -Match "(?m)^GROUP=$($v.VolumeGroup)$"
        }
    }

    It 'the DS01 replica in SITEB holds the same bytes as SITEA' {
        foreach ($v in $script:VolA | Where-Object DataStore -EQ DS01) {
            foreach ($ext in 'IND', 'DAT') {
                $a = Join-Path $script:LabPath "sites/SITEA/storage/DS01/LB$($v.Label).$ext"
                $b = Join-Path $script:LabPath "sites/SITEB/storage/DS01/LB$($v.Label).$ext"
                Get-BPFileHash $b | Should -Be (Get-BPFileHash $a) -Because "LB$($v.Label).$ext is replicated"
            }
        }
    }
}

Describe 'Streaming' {

    It 'Select-Object -First 1 stops Get-BPVolume early, without error, and the domain is still usable' {
        $r = Invoke-BPCaptured { Get-BPVolume -Domain $script:A | Select-Object -First 1 }
        $r.All | Should -BeNullOrEmpty
        @($r.Output).Count | Should -Be 1
        $r.Output[0].Label | Should -Be $script:VolA[0].Label
        @(Get-BPVolume -Domain $script:A).Count | Should -Be $script:VolA.Count
    }

    It 'Select-Object -First 2 in the middle of a pipeline to Get-BPCatalogEntry stops without error' {
        $r = Invoke-BPCaptured { Get-BPVolume -Domain $script:B -DataStore DS01 | Select-Object -First 2 | Get-BPCatalogEntry -Kind TapeVolume }
        $r.All | Should -BeNullOrEmpty
        Get-Labels $r.Output | Should -Be (Get-Labels ($script:VolB | Where-Object DataStore -EQ DS01 | Select-Object -First 2))
    }
}

Describe 'Tab completion' {

    BeforeAll {
        (Get-BPDomain -Default).Node | Should -Be '\A'
        (Get-BPDomain -Default).Location | Should -Be $script:Info.Path
    }

    It 'Get-BPVolume -DataStore D offers the data stores of the default domain (\A)' {
        Get-BPCompletion 'Get-BPVolume -DataStore D' | Should -Be @('DS01', 'DS02')
    }

    It "Get-BPVolume -Domain '\B' -DataStore offers the data stores of \B" {
        Get-BPCompletion "Get-BPVolume -Domain '\B' -DataStore " | Should -Be @('DS01', 'DS03')
    }

    It 'Get-BPVolume -VolumeGroup offers the volume groups of the domain' {
        Get-BPCompletion 'Get-BPVolume -VolumeGroup ' | Should -Be @('DAILY', 'LOCALA', 'MONTHLY', 'TMFDUMPS')
    }

    It 'Get-BPVolume -DataStore DS02 -VolumeGroup offers only the groups of DS02' {
        Get-BPCompletion 'Get-BPVolume -DataStore DS02 -VolumeGroup ' | Should -Be @('LOCALA')
    }

    It 'Connect-BPDomain -Lab (lab folder) -Node offers the nodes of the lab' {
        Get-BPCompletion "Connect-BPDomain -Lab '$($script:LabPath)' -Node " | Should -Be @('\A', '\B')
    }

    It 'Connect-BPDomain -Lab <Form> -Node offers the nodes of the lab, as Connect-BPDomain accepts that path' -ForEach @(
        @{ Form = 'relative to the current location'; Lab = './lab' }
        @{ Form = 'on a PowerShell drive'; Lab = 'TestDrive:/lab' }
    ) {
        Push-Location $TestDrive
        try {
            # The path form itself works for the cmdlet ...
            $c = Connect-BPDomain -Lab $Lab -Node '\B'
            $c.Location | Should -Be $script:Info.Path
            # ... so the completer should understand it too.
            Get-BPCompletion "Connect-BPDomain -Lab $Lab -Node " | Should -Be @('\A', '\B')
        } finally {
            Pop-Location
            # Connecting again closed the file's \B connection: restore \B, then \A as the default.
            $script:B = Connect-BPDomain -Lab $script:LabPath -Node '\B'
            $script:A = Connect-BPDomain -Lab $script:LabPath -Node '\A'
        }
    }

    It 'Get-BPVolume -Domain offers the connected nodes' {
        Get-BPCompletion 'Get-BPVolume -Domain ' | Should -Be @('\A', '\B')
    }
}

Describe 'The seed decides the lab' {

    BeforeAll {
        $same = New-BPLab -Path (Join-Path $TestDrive 'same-seed') -VolumeCount $script:VolumeCount -Seed $script:Seed
        $other = New-BPLab -Path (Join-Path $TestDrive 'other-seed') -VolumeCount $script:VolumeCount -Seed ($script:Seed + 1)
        $script:SameA = Connect-BPDomain -Lab $same.Path -Node '\A'
        $script:SameB = Connect-BPDomain -Lab $same.Path -Node '\B'
        $script:OtherA = Connect-BPDomain -Lab $other.Path -Node '\A'
        function ConvertTo-VolumeJson($Domain) {
            Get-BPVolume -Domain $Domain | Select-Object Label, DataStore, VolumeGroup, LastBackup, Expiration, CatalogStatus, MediaKeyName |
                ConvertTo-Json -Depth 2 -Compress
        }
    }
    AfterAll {
        foreach ($c in $script:OtherA, $script:SameB, $script:SameA) { if ($c.IsOpen) { Disconnect-BPDomain -Domain $c } }
    }

    It 'the same seed gives identical volumes on \A' {
        $json = ConvertTo-VolumeJson $script:A
        $json.Length | Should -BeGreaterThan 100
        ConvertTo-VolumeJson $script:SameA | Should -BeExactly $json
    }

    It 'the same seed gives identical volumes on \B' {
        ConvertTo-VolumeJson $script:SameB | Should -BeExactly (ConvertTo-VolumeJson $script:B)
    }

    It 'a different seed gives different labels' {
        $other = Get-Labels (Get-BPVolume -Domain $script:OtherA)
        $other.Count | Should -Be $script:VolA.Count
        $mine = [System.Collections.Generic.HashSet[string]]::new([string[]](Get-Labels $script:VolA))
        $common = @($other | Where-Object { $mine.Contains($_) })
        $common.Count | Should -BeLessThan 5 -Because 'labels of two seeds are independent draws'
    }
}
