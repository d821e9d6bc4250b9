<#
    Encryption keys end to end on the built module: the lab key store (decommission of a data store's keys after its
    volumes are deleted, keys in use refused even with -Force, -WhatIf changing nothing, -PassThru results, exact
    ErrorIds), then the same against a real KMIP server (PyKMIP on 127.0.0.1, started by tests/kmip/start-pykmip.sh
    and stopped by its pid) with mutual TLS, an untrusted server and refused client certificates.
    Volumes are deleted with SQL on the lab's BackPak catalog (what Remove-BPVolume does to it).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Module = Import-BPTestModule
    Disconnect-BPDomain -All
    Disconnect-BPKeyManager -All
    $P = 'BackPak.PowerShell.Cmdlets.'
    $script:RemoveFq = { param($Id) "$Id,${P}RemoveBPEncryptionKeyCommand" }

    # Outside TestDrive: Pester deletes the files a Describe block created when it ends, and SQLite's -shm/-wal
    # files of a store first opened inside a block would go with them while the store is in use.
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('backpak-keys-' + [guid]::NewGuid().ToString('N'))
    $script:LabPath = Join-Path $script:Work 'lab'
    $null = New-BPLab -Path $script:LabPath -VolumeCount 100 -Seed 21 -Encrypted

    function Reset-Session {
        Disconnect-BPDomain -All
        Disconnect-BPKeyManager -All
        $script:B = Connect-BPDomain -Lab $script:LabPath -Node '\B'
        $script:A = Connect-BPDomain -Lab $script:LabPath -Node '\A'
        $script:KM = Connect-BPKeyManager -Lab $script:LabPath -Node '\A'
    }
    function Get-KeyRow([string] $Name) {
        # The key as the lab's key server holds it, read past the module.
        $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$(Join-Path $script:LabPath 'sites/SITEA/keys.db');Mode=ReadOnly;Pooling=False")
        try {
            $c.Open(); $cmd = $c.CreateCommand()
            $cmd.CommandText = 'SELECT state FROM key WHERE name = $n'; $null = $cmd.Parameters.AddWithValue('$n', $Name)
            $cmd.ExecuteScalar()
        } finally { $c.Dispose() }
    }
    function Get-AuditRows([string] $Node = 'A') {
        $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$(Join-Path $script:LabPath "nodes/$Node/backpak.db");Mode=ReadOnly;Pooling=False")
        try {
            $c.Open(); $cmd = $c.CreateCommand()
            $cmd.CommandText = "SELECT action || '|' || result || '|' || target || '|' || COALESCE(detail,'') FROM audit WHERE kind IS NULL OR kind IN ('Change', 'Refusal') ORDER BY id"  # not the Start and End of each command
            $r = $cmd.ExecuteReader(); while ($r.Read()) { $r.GetString(0) }
        } finally { $c.Dispose() }
    }
    function Remove-CatalogVolume([string] $Node, [string[]] $Labels) {
        $list = ($Labels | ForEach-Object { "'$_'" }) -join ','
        Invoke-BPSqlite -Database (Join-Path $script:LabPath "nodes/$($Node.TrimStart('\'))/backpak.db") -Sql "DELETE FROM volume WHERE label IN ($list)"
    }
    Reset-Session
}

AfterAll {
    Disconnect-BPKeyManager -All
    Disconnect-BPDomain -All
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connecting to the lab key store' {
    BeforeAll { Reset-Session }

    It 'returns the default connection to the key server of the node''s site, with the node''s Key Manager id' {
        $script:KM.Endpoint | Should -Be 'lab:SITEA'
        $script:KM.BackPakId | Should -Be 'KM01'
        $script:KM.Provider | Should -Be 'Lab'
        $script:KM.IsDefault | Should -BeTrue
        @(Get-BPKeyManager).Count | Should -Be 1
        (Get-BPKeyManager -Default).Endpoint | Should -Be 'lab:SITEA'
    }

    It 'makes the newest connection the default, and Disconnect-BPKeyManager hands the default back' {
        $b = Connect-BPKeyManager -Lab $script:LabPath -Node '\B' -BackPakId KM01
        (Get-BPKeyManager -Default).Endpoint | Should -Be 'lab:SITEB'
        $script:KM.IsDefault | Should -BeFalse
        Disconnect-BPKeyManager -KeyManager $b -WarningVariable w -WarningAction SilentlyContinue
        (Get-BPKeyManager -Default).Endpoint | Should -Be 'lab:SITEA'
        $b.IsOpen | Should -BeFalse
        "$w" | Should -Match 'default key manager is now lab:SITEA'
    }
}

Describe 'Get-BPEncryptionKey' {
    BeforeAll { Reset-Session }

    It 'shows the key of each piped volume once, with its state and the volumes that use it' {
        $vols = @(Get-BPVolume -DataStore DS02 -Encrypted)
        $vols.Count | Should -BeGreaterThan 2
        $keys = @($vols + $vols | Get-BPEncryptionKey)
        $keys.Count | Should -Be $vols.Count
        foreach ($k in $keys) {
            $v = $vols | Where-Object MediaKeyName -EQ $k.Name
            $k.State | Should -Be 'Active'
            $k.UniqueId | Should -Match '^[0-9a-f-]{36}$'
            $k.Algorithm | Should -Be 'AES'
            $k.Length | Should -Be 256
            $k.KeyManager | Should -Be 'lab:SITEA'
            $k.ReferencingVolumeCount | Should -Be 1
            "$($k.Volumes)" | Should -Be "\A $($v.Label)"
        }
    }

    It 'counts the volumes of both nodes for a key of the replicated store' {
        $v = Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -First 1
        $k = Get-BPEncryptionKey -Name $v.MediaKeyName
        $k.ReferencingVolumeCount | Should -Be 2
        @($k.Volumes.Node | Sort-Object) | Should -Be @('\A', '\B')
    }

    It 'skips clear volumes from the pipeline without error' {
        $r = Invoke-BPCaptured { Get-BPVolume -VolumeGroup TMFDUMPS | Get-BPEncryptionKey }
        @($r.Output).Count | Should -Be 0
        @($r.All).Count | Should -Be 0
    }

    It 'lists every key of the key store without -Name' {
        $all = @(Get-BPEncryptionKey)
        $expected = @(Get-BPVolume -Domain $script:A -Encrypted).Count + @(Get-BPVolume -Domain $script:B -DataStore DS03 -Encrypted).Count
        # SITEA holds the keys of \A's stores (DS01, DS02); DS03's keys live at SITEB.
        $all.Count | Should -Be @(Get-BPVolume -Domain $script:A -Encrypted).Count
        $expected | Should -BeGreaterThan $all.Count
    }

    It 'says KeyNotFound (non-terminating) for an unknown name and goes on with the others' {
        $good = (Get-BPVolume -DataStore DS02 -Encrypted | Select-Object -First 1).MediaKeyName
        $r = Invoke-BPCaptured { Get-BPEncryptionKey -Name 'BPK-NO-SUCH-KEY', $good }
        $r.Terminating | Should -BeNullOrEmpty
        @($r.Errors).Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'KeyNotFound,BackPak.PowerShell.Cmdlets.GetBPEncryptionKeyCommand'
        $r.Errors[0].TargetObject | Should -Be 'BPK-NO-SUCH-KEY'
        @($r.Output).Name | Should -Be @($good)
    }
}

Describe 'Decommission: deleting the keys of a data store after its volumes (lab key store)' {
    BeforeAll {
        Reset-Session
        $script:Ds02 = @(Get-BPVolume -DataStore DS02 -Encrypted)
        $script:Ds02Keys = @($script:Ds02.MediaKeyName | Sort-Object -Unique)
        $script:Ds01Key = (Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -First 1).MediaKeyName
        $script:AuditBefore = @(Get-AuditRows).Count
        # Step 1 of the manual's order: the volumes go first (the lab catalog, as Remove-BPVolume leaves it).
        Remove-CatalogVolume '\A' $script:Ds02.Label
        $script:Results = @($script:Ds02Keys | Remove-BPEncryptionKey -Confirm:$false -PassThru -ErrorVariable script:RemoveErrors)
    }

    It 'removes every key of the deleted volumes without error' {
        @($script:RemoveErrors).Count | Should -Be 0
        $script:Results.Count | Should -Be $script:Ds02Keys.Count
    }

    It 'revokes each active key for CessationOfOperation and then destroys it (-PassThru)' {
        foreach ($r in $script:Results) {
            $r.StateBefore | Should -Be 'Active'
            $r.Revoked | Should -BeTrue
            "$($r.RevocationReason)" | Should -Be 'CessationOfOperation'
            $r.Destroyed | Should -BeTrue
            "$($r.Status)" | Should -Be 'Destroyed'
            $r.AlreadyAbsent | Should -BeFalse
            $r.ReferencingVolumes | Should -Be 0
            $r.Error | Should -BeNullOrEmpty
            $r.UniqueId | Should -Not -BeNullOrEmpty
        }
        @($script:Results.Name | Sort-Object) | Should -Be $script:Ds02Keys
    }

    It 'leaves the keys destroyed in the key server' {
        foreach ($n in $script:Ds02Keys) { Get-KeyRow $n | Should -Be 'Destroyed' }
        @(Get-BPEncryptionKey -Name $script:Ds02Keys).State | Sort-Object -Unique | Should -Be 'Destroyed'
    }

    It 'does not touch the keys of the other data stores' {
        Get-KeyRow $script:Ds01Key | Should -Be 'Active'
    }

    It 'writes one audit record per key in the default domain, naming key, id and result' {
        $rows = @(Get-AuditRows | Select-Object -Skip $script:AuditBefore)
        $rows.Count | Should -Be $script:Ds02Keys.Count
        foreach ($r in $script:Results) {
            @($rows | Where-Object { $_ -like "Remove-BPEncryptionKey|Destroyed|encryption key '$($r.Name)' (unique id $($r.UniqueId)) on lab:SITEA|*" }).Count | Should -Be 1
        }
    }

    It 'reports keys already destroyed as already absent on a second run, with no error and no change' {
        $r = Invoke-BPCaptured { $script:Ds02Keys | Remove-BPEncryptionKey -Force -PassThru -Verbose 4>&1 }
        @($r.All).Count | Should -Be 0
        $results = @($r.Output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($r.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $results.Count | Should -Be $script:Ds02Keys.Count
        $results.AlreadyAbsent | Sort-Object -Unique | Should -Be $true
        $results.Status | ForEach-Object { "$_" } | Sort-Object -Unique | Should -Be 'AlreadyAbsent' 
        $results.Destroyed | Sort-Object -Unique | Should -Be $false
        @($verbose | Where-Object Message -Match 'already absent').Count | Should -Be $script:Ds02Keys.Count
    }

    It 'reports a name the key server never had as already absent too' {
        $r = Remove-BPEncryptionKey -Name 'BPK-NEVER-THERE' -Force -PassThru
        $r.AlreadyAbsent | Should -BeTrue
        $r.UniqueId | Should -BeNullOrEmpty
    }
}

Describe 'Safety: a key in use is refused, -Force skips only the prompt, -WhatIf changes nothing' {
    BeforeAll {
        Reset-Session
        $script:InUse = @(Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -First 2)
        $script:Free = @(Get-BPVolume -DataStore DS01 -Encrypted | Select-Object -Skip 2 -First 3)
        # Free keys: their volumes are gone from both nodes' catalogs (DS01 is replicated).
        Remove-CatalogVolume '\A' $script:Free.Label
        Remove-CatalogVolume '\B' $script:Free.Label
    }

    It 'refuses a key in use with -Force: KeyStillReferenced, non-terminating, naming the volumes; the key stays Active' {
        $v = $script:InUse[0]
        $audit = @(Get-AuditRows).Count
        $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $v.MediaKeyName -Force -PassThru }
        $r.Terminating | Should -BeNullOrEmpty
        @($r.Errors).Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyStillReferenced')
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape("\A $($v.Label)"))
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape("\B $($v.Label)"))
        $r.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-Force does not override'
        $r.Output[0].Error | Should -Be 'KeyStillReferenced'
        $r.Output[0].ReferencingVolumes | Should -Be 2
        $r.Output[0].Destroyed | Should -BeFalse
        Get-KeyRow $v.MediaKeyName | Should -Be 'Active'
        @(Get-AuditRows | Select-Object -Skip $audit) | Should -BeLike "Remove-BPEncryptionKey|Refused|encryption key '$($v.MediaKeyName)'*"
    }

    It 'refuses a key still used on \B only (the SECONDARY copy of a replicated store)' {
        $v = $script:InUse[1]
        Remove-CatalogVolume '\A' $v.Label
        $r = Invoke-BPCaptured { $v | Remove-BPEncryptionKey -Confirm:$false }
        @($r.Errors).FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyStillReferenced')
        Get-KeyRow $v.MediaKeyName | Should -Be 'Active'
    }

    It 'goes on with the rest of the pipeline after a refusal' {
        $names = @($script:InUse[0].MediaKeyName, $script:Free[0].MediaKeyName)
        $r = Invoke-BPCaptured { $names | Remove-BPEncryptionKey -Force -PassThru }
        @($r.Errors).Count | Should -Be 1
        @($r.Output | Where-Object Destroyed).Name | Should -Be @($script:Free[0].MediaKeyName)
        Get-KeyRow $script:Free[0].MediaKeyName | Should -Be 'Destroyed'
        Get-KeyRow $script:InUse[0].MediaKeyName | Should -Be 'Active'
    }

    It '-WhatIf sends nothing that changes anything and records nothing' {
        $key = $script:Free[1].MediaKeyName
        $audit = @(Get-AuditRows).Count
        $keysDb = Join-Path $script:LabPath 'sites/SITEA/keys.db'
        $before = Get-BPFileHash $keysDb
        $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $key -WhatIf -PassThru }
        @($r.All).Count | Should -Be 0
        @($r.Output).Count | Should -Be 0
        Get-KeyRow $key | Should -Be 'Active'
        @(Get-AuditRows).Count | Should -Be $audit
        Get-BPFileHash $keysDb | Should -Be $before
    }

    It '-WhatIf with -Force still changes nothing' {
        $key = $script:Free[1].MediaKeyName
        $null = Remove-BPEncryptionKey -Name $key -WhatIf -Force
        Get-KeyRow $key | Should -Be 'Active'
    }

    It '-WhatIf names the key, its unique id, the key server and the number of volumes using it (in a fresh pwsh)' {
        $key = $script:Free[1].MediaKeyName
        $id = (Get-BPEncryptionKey -Name $key).UniqueId
        $inUse = $script:InUse[0].MediaKeyName
        $lab = $script:LabPath.Replace("'", "''")
        $r = Invoke-BPFreshPwsh -Command @"
Import-Module '$((Get-BPTestModulePath).Replace("'", "''"))'
`$null = Connect-BPDomain -Lab '$lab' -Node '\B'
`$null = Connect-BPDomain -Lab '$lab' -Node '\A'
`$null = Connect-BPKeyManager -Lab '$lab' -Node '\A'
Remove-BPEncryptionKey -Name '$key', '$inUse' -WhatIf -ErrorAction SilentlyContinue -ErrorVariable refused
'REFUSED=' + @(`$refused).Count
exit 0
"@
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.StdOut | Should -Match 'REFUSED=1'
        $text = $r.StdOut -replace '\s+', ' '
        $text | Should -Match ([regex]::Escape("What if: Performing the operation `"Revoke (CessationOfOperation) and destroy; its volumes can never be read again`" on target `"encryption key '$key' (unique id $id, Active) on lab:SITEA (Key Manager KM01), referenced by 0 catalogued volumes of the connected domains \A, \B`""))
        # The key in use is refused, not offered: no What if line for it.
        $text | Should -Not -Match ([regex]::Escape("encryption key '$inUse'"))
        Get-KeyRow $key | Should -Be 'Active'
    }

    It '-Reason selects the revocation reason' {
        $r = Remove-BPEncryptionKey -Name $script:Free[2].MediaKeyName -Reason Superseded -Force -PassThru
        "$($r.RevocationReason)" | Should -Be 'Superseded'
        $r.Destroyed | Should -BeTrue
        @(Get-AuditRows)[-1] | Should -Match 'revoked \(Superseded\)'
    }

    It 'refuses to remove anything while only \B is connected: KeyDomainsNotConnected names \A, and the key stays' {
        $key = $script:Free[1].MediaKeyName
        Disconnect-BPDomain -All
        try {
            $null = Connect-BPDomain -Lab $script:LabPath -Node '\B'
            $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $key -Force }
            $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyDomainsNotConnected')
            "$($r.Terminating.TargetObject)" | Should -Be '\A'
            # The advice names the lab \B was connected from: \A is connected the same way.
            $r.Terminating.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Connect-BPDomain -Lab '$script:LabPath' -Node '\A'"))
            Get-KeyRow $key | Should -Be 'Active'
        } finally { Reset-Session }
    }

    It 'refuses to remove anything when no domain is connected: NoDomainConnected, terminating' {
        $key = $script:Free[1].MediaKeyName
        Disconnect-BPDomain -All
        try {
            $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $key -Force }
            $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'NoDomainConnected')
            Get-KeyRow $key | Should -Be 'Active'
        } finally { Reset-Session }
    }

    It 'without a key manager: KeyManagerNotConnected, terminating' {
        Disconnect-BPKeyManager -All
        try {
            $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name 'X' -Force }
            $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyManagerNotConnected')
            $r = Invoke-BPCaptured { Get-BPEncryptionKey }
            $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'KeyManagerNotConnected,BackPak.PowerShell.Cmdlets.GetBPEncryptionKeyCommand'
        } finally { Reset-Session }
    }
}

Describe 'A real KMIP server (PyKMIP on 127.0.0.1, mutual TLS)' {
    BeforeAll {
        Reset-Session
        $root = Get-BPTestRepoRoot
        $script:KmipDir = Join-Path $script:Work 'kmip'
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $script:KmipPort = $l.LocalEndpoint.Port; $l.Stop()
        $out = & bash (Join-Path $root 'tests/kmip/start-pykmip.sh') $script:KmipDir $script:KmipPort 2>&1
        if ($LASTEXITCODE -ne 0) { throw "PyKMIP did not start: $out" }
        $script:Endpoint = "127.0.0.1:$($script:KmipPort)"
        $script:Pfx = Join-Path $script:KmipDir 'client.pfx'
        $script:PfxPasswordText = Get-Content (Join-Path $script:KmipDir 'client.pfx.password') -Raw
        $script:PfxPassword = ConvertTo-SecureString $script:PfxPasswordText -AsPlainText -Force
        $script:Root = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $script:KmipDir 'ca.crt'))

        Add-Type -Path (Join-Path $script:Module.ModuleBase 'BackPak.Kmip.dll')
        function New-KmipClient {
            # A KMIP client of its own, past the cmdlets: to create keys and to check the server's state.
            $o = [BackPak.Kmip.KmipClientOptions]::new()
            $o.Host = '127.0.0.1'; $o.Port = $script:KmipPort
            $o.ClientCertificatePath = $script:Pfx; $o.ClientCertificatePasswordText = $script:PfxPasswordText
            $o.TrustedRootCertificate = $script:Root
            [BackPak.Kmip.KmipClient]::Connect($o)
        }
        function New-KmipKey([string] $Name) {
            $c = New-KmipClient
            try { $id = $c.CreateSymmetricKey($Name, 256); $c.Activate($id); $id } finally { $c.Dispose() }
        }
        function Get-KmipState([string] $Name) {
            $c = New-KmipClient
            try { $ids = @($c.Locate($Name)); if ($ids.Count -eq 0) { 'absent' } else { "$($c.GetAttributes($ids[0]).State)" } } finally { $c.Dispose() }
        }
        function New-SelfSigned([string] $Subject) {
            $rsa = [System.Security.Cryptography.RSA]::Create(2048)
            $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $req.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(2))
        }
        $script:Stranger = New-SelfSigned 'CN=not-the-kmip-ca'
        $script:ConnectFq = { param($Id) "$Id,BackPak.PowerShell.Cmdlets.ConnectBPKeyManagerCommand" }
    }

    AfterAll {
        Disconnect-BPKeyManager -All
        & bash (Join-Path (Get-BPTestRepoRoot) 'tests/kmip/stop-pykmip.sh') $script:KmipDir | Out-Null
    }

    It 'connects with a .pfx client certificate, validates the server against the given root and negotiates KMIP 1.4' {
        $c = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -BackPakId KM01
        $c.Provider | Should -Be 'KMIP'
        $c.Endpoint | Should -Be $script:Endpoint
        $c.ProtocolVersion | Should -Be '1.4'
        $c.BackPakId | Should -Be 'KM01'
        (Get-BPKeyManager -Default).Endpoint | Should -Be $script:Endpoint
    }

    It 'takes the trusted root as a file path, relative to the current location, and names a path that is no certificate' {
        Push-Location $script:KmipDir
        try {
            $c = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate ./ca.crt
            $c.ProtocolVersion | Should -Be '1.4'
            foreach ($bad in './no-such-root.crt', './server.conf') {
                $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $bad }
                $r.Terminating.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentTransformationError,BackPak.PowerShell.Cmdlets.ConnectBPKeyManagerCommand'
                $r.Terminating.Exception.Message | Should -Match ([regex]::Escape("'$bad'"))
                $r.Terminating.Exception.Message | Should -Not -Match 'BIO|routines' -Because 'the operator reads what is wrong, not an OpenSSL message'
                $inner = @(Get-BPInnerExceptions $r.Terminating.Exception | Where-Object { $_.GetType().FullName -eq 'BackPak.Core.Errors.BackPakException' })
                $inner[0].ErrorId | Should -BeExactly 'TrustedRootCertificateInvalid'
            }
        } finally { Pop-Location }
    }

    It 'connects with an X509Certificate2 client certificate too' {
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($script:Pfx, $script:PfxPassword)
        $c = Connect-BPKeyManager -Endpoint $script:Endpoint -Certificate $cert -TrustedRootCertificate $script:Root
        $c.ProtocolVersion | Should -Be '1.4'
    }

    It 'destroys the keys of deleted volumes on the server, proven by a separate KMIP connection; a key in use survives' {
        $null = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -BackPakId KM01
        $vols = @(Get-BPVolume -Domain $script:B -DataStore DS03 -Encrypted | Select-Object -First 4)
        foreach ($v in $vols) { $null = New-KmipKey $v.MediaKeyName }
        $gone = $vols[0..2]; $kept = $vols[3]
        Remove-CatalogVolume '\B' $gone.Label
        $audit = @(Get-AuditRows).Count

        $r = Invoke-BPCaptured { $vols | Remove-BPEncryptionKey -Force -PassThru }

        @($r.Errors).FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyStillReferenced')
        @($r.Output | Where-Object Destroyed).Count | Should -Be 3
        @($r.Output | Where-Object Destroyed | Where-Object Revoked).Count | Should -Be 3
        foreach ($v in $gone) { Get-KmipState $v.MediaKeyName | Should -Be 'absent' }
        Get-KmipState $kept.MediaKeyName | Should -Be 'Active'
        $rows = @(Get-AuditRows | Select-Object -Skip $audit)
        $rows.Count | Should -Be 4
        ($rows -join "`n") | Should -Not -Match ([regex]::Escape($script:PfxPasswordText.Trim()))
        ($rows -join "`n") | Should -Match ([regex]::Escape("on $($script:Endpoint)"))
    }

    It 'destroys nothing through a KMIP connection made without -BackPakId, and says how to give it' {
        # A key no catalogued volume of \A or \B names: on main it was destroyed ("referenced by 0 ... \A, \B").
        $name = 'BPK-UNTIED-' + [guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        $null = New-KmipKey $name
        $null = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root
        $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $name -Force -PassThru }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyManagerIdUnknown')
        $r.Terminating.ErrorDetails.RecommendedAction | Should -Match '-BackPakId KM01'
        @($r.Output).Count | Should -Be 0
        Get-KmipState $name | Should -Be 'Active'
    }

    It 'destroys nothing while one side of the replicated store is not connected, and names the node' {
        $name = 'BPK-ONESIDE-' + [guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        $null = New-KmipKey $name
        Disconnect-BPDomain -All
        try {
            $null = Connect-BPDomain -Lab $script:LabPath -Node '\A'
            $null = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -BackPakId KM01
            $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $name -Force }
            $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyDomainsNotConnected')
            $r.Terminating.Exception.Message | Should -Match ([regex]::Escape('node \B is not connected'))
            $r.Terminating.Exception.Message | Should -Match 'DS01'
            $r.Terminating.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("-Node '\B'"))
            Get-KmipState $name | Should -Be 'Active'
        } finally { Reset-Session }
        # With both sides connected the same key goes.
        $null = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -BackPakId KM01
        (Remove-BPEncryptionKey -Name $name -Force -PassThru).Status | Should -Be 'Destroyed'
        Get-KmipState $name | Should -Be 'absent'
    }

    It 'reports a key catalogued volumes use that the server lacks as a warning and MissingOnServer, not as done' {
        $v = Get-BPVolume -Domain $script:A -DataStore DS01 -Encrypted | Select-Object -Last 1   # catalogued on \A and \B, no key on PyKMIP
        $null = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -BackPakId KM01
        $audit = @(Get-AuditRows).Count
        $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $v.MediaKeyName -Force -PassThru -WarningVariable w -WarningAction SilentlyContinue; $w }
        @($r.Errors).Count | Should -Be 0
        $result = @($r.Output | Where-Object { $_ -is [BackPak.Core.Keys.KeyRemovalResult] })
        $result.Count | Should -Be 1
        "$($result[0].Status)" | Should -Be 'MissingOnServer'
        $result[0].AlreadyAbsent | Should -BeFalse
        $result[0].ReferencingVolumes | Should -Be 2
        $warning = @($r.Output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warning.Count | Should -Be 1
        $warning[0].Message | Should -Match 'cannot be read'
        $warning[0].Message | Should -Match ([regex]::Escape("\A $($v.Label)"))
        @(Get-AuditRows | Select-Object -Skip $audit) | Should -BeLike "Remove-BPEncryptionKey|MissingOnServer|*"
    }

    It 'refuses a key named only in a volume''s current storage image (the catalog names an older key)' {
        # A backup writes a new key into DS01's images at both sites; then an older catalog entry comes back on both
        # nodes (an import of an export taken before the backup, during a switch).
        $v = Get-BPVolume -Domain $script:A -DataStore DS01 -Encrypted | Select-Object -Skip 10 -First 1
        $written = Invoke-BPLabBackup -Domain $script:A -DataStore DS01 -Label $v.Label -Confirm:$false
        $written.MediaKeyName | Should -Not -Be $v.MediaKeyName
        foreach ($n in 'A', 'B') { Invoke-BPSqlite -Database (Join-Path $script:LabPath "nodes/$n/backpak.db") -Sql "UPDATE volume SET media_key_name = '$($v.MediaKeyName)' WHERE label = '$($v.Label)'" }
        $null = New-KmipKey $written.MediaKeyName
        $null = Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -BackPakId KM01
        $r = Invoke-BPCaptured { Remove-BPEncryptionKey -Name $written.MediaKeyName -Force -PassThru }
        @($r.Errors).FullyQualifiedErrorId | Should -BeExactly (& $script:RemoveFq 'KeyStillReferenced')
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape("\A $($v.Label) (its storage image)"))
        "$($r.Output[0].Status)" | Should -Be 'Refused'
        Get-KmipState $written.MediaKeyName | Should -Be 'Active'
        # Get-BPEncryptionKey shows the same uses.
        (Get-BPEncryptionKey -Name $written.MediaKeyName).ReferencingVolumeCount | Should -Be 2
    }

    It 'Get-BPEncryptionKey reads a key''s state and dates from the server' {
        $name = 'BPK-PESTER-' + [guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        $id = New-KmipKey $name
        $k = Get-BPEncryptionKey -Name $name
        $k.UniqueId | Should -Be $id
        $k.State | Should -Be 'Active'
        $k.Algorithm | Should -Be 'AES'
        $k.Length | Should -Be 256
        $k.Created | Should -Not -BeNullOrEmpty
        $k.ReferencingVolumeCount | Should -Be 0
    }

    It 'refuses a server whose certificate does not chain to the given root: KeyManagerUntrusted, terminating, nothing changes' {
        $before = @(Get-BPKeyManager | ForEach-Object Endpoint)
        $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Stranger }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:ConnectFq 'KeyManagerUntrusted')
        "$($r.Terminating.CategoryInfo.Category)" | Should -Be 'SecurityError'
        $r.Terminating.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        @(Get-BPKeyManager | ForEach-Object Endpoint) | Should -Be $before
    }

    It 'refuses a server certificate not issued to the name asked for: KeyManagerUntrusted' {
        $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -ServerName 'eskm.example.invalid' }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:ConnectFq 'KeyManagerUntrusted')
    }

    It 'fails with KeyManagerAuthenticationFailed when the server refuses the client certificate' {
        $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint $script:Endpoint -Certificate $script:Stranger -TrustedRootCertificate $script:Root }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:ConnectFq 'KeyManagerAuthenticationFailed')
        "$($r.Terminating.CategoryInfo.Category)" | Should -Be 'SecurityError'
    }

    It 'fails with ClientCertificateInvalid for a wrong .pfx password, says so, and keeps the password out of the message' {
        $wrong = ConvertTo-SecureString 'wrong-password-123' -AsPlainText -Force
        $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $script:Pfx -CertificatePassword $wrong -TrustedRootCertificate $script:Root }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:ConnectFq 'ClientCertificateInvalid')
        $r.Terminating.Exception.Message | Should -Match 'the password is wrong'
        $r.Terminating.Exception.Message | Should -Not -Match 'did not accept this client'
        $r.Terminating.Exception.Message | Should -Not -Match 'wrong-password-123'
    }

    It 'fails with KeyManagerAuthenticationFailed for a .pfx client certificate issued by another CA' {
        # A CA of its own and a client certificate (clientAuth) from it, as a .pfx file: the server must refuse it.
        $caKey = [System.Security.Cryptography.RSA]::Create(2048)
        $caReq = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Another CA', $caKey, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $caReq.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $ca = $caReq.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(2))
        $key = [System.Security.Cryptography.RSA]::Create(2048)
        $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=backpak-stranger', $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $eku = [System.Security.Cryptography.OidCollection]::new(); $null = $eku.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.2'))
        $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($eku, $false))
        $cert = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($req.Create($ca, [DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1), [byte[]](1, 2, 3, 4)), $key)
        $pfx = Join-Path $script:KmipDir 'stranger.pfx'
        [System.IO.File]::WriteAllBytes($pfx, $cert.Export('Pkcs12', 'stranger-pw'))
        $pw = ConvertTo-SecureString 'stranger-pw' -AsPlainText -Force
        $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint $script:Endpoint -CertificatePath $pfx -CertificatePassword $pw -TrustedRootCertificate $script:Root -TimeoutSeconds 10 }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:ConnectFq 'KeyManagerAuthenticationFailed')
        "$($r.Terminating.CategoryInfo.Category)" | Should -Be 'SecurityError'
    }

    It 'says KeyManagerUnreachable when nothing listens at the endpoint' {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
        $r = Invoke-BPCaptured { Connect-BPKeyManager -Endpoint "127.0.0.1:$port" -CertificatePath $script:Pfx -CertificatePassword $script:PfxPassword -TrustedRootCertificate $script:Root -TimeoutSeconds 5 }
        $r.Terminating.FullyQualifiedErrorId | Should -BeExactly (& $script:ConnectFq 'KeyManagerUnreachable')
        # Said once, not "Could not connect to X: Could not connect to X: ...".
        ([regex]::Matches($r.Terminating.Exception.Message, [regex]::Escape("127.0.0.1:$port"))).Count | Should -Be 1
    }

    It 'has no parameter that turns server validation off' {
        $names = (Get-Command Connect-BPKeyManager).Parameters.Keys
        @($names | Where-Object { $_ -match 'Skip|Insecure|NoValidat|Trust(All|Any)|Ignore' }) | Should -BeNullOrEmpty
    }
}

Describe 'The examples of <_>''s help run as written' -ForEach @('Connect-BPKeyManager', 'Get-BPKeyManager', 'Disconnect-BPKeyManager', 'Get-BPEncryptionKey', 'Remove-BPEncryptionKey') {
    BeforeAll {
        # The folder the examples say they run in: a lab made by New-BPLab -Path ./lab -Encrypted (made again for
        # each example, as they change it) and the repository's tests/kmip scripts.
        $script:ExampleDir = Join-Path $script:Work ('examples-' + $_)
        New-Item -ItemType Directory -Path (Join-Path $script:ExampleDir 'tests/kmip') -Force | Out-Null
        Copy-Item (Join-Path (Get-BPTestRepoRoot) 'tests/kmip/*.sh') (Join-Path $script:ExampleDir 'tests/kmip')
        $text = Get-Content (Join-Path $script:Module.ModuleBase 'en-US/about_BackPak_Errors.help.txt') -Raw
        $script:Documented = @([regex]::Matches($text, '(?m)^    (\w+) \(') | ForEach-Object { $_.Groups[1].Value })
    }

    It 'runs every example, and any error it raises is a documented BackPak ErrorId' {
        $examples = @((Get-Help $_ -Full).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($ex in $examples) {
            Push-Location $script:ExampleDir
            try {
                $null = New-BPLab -Path ./lab -Encrypted -Force
                Disconnect-BPKeyManager -All
                Disconnect-BPDomain -All
                $null = Connect-BPDomain -Lab ./lab -Node '\B'
                $null = Connect-BPDomain -Lab ./lab -Node '\A'
                $null = Connect-BPKeyManager -Lab ./lab -Node '\A'
                # The only change to the code: the test PyKMIP's port 5696 becomes a free one, so that parallel runs
                # on this machine cannot meet.
                $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
                $code = ([string]$ex.code).Replace('5696', "$port")
                $r = Invoke-BPCaptured ([scriptblock]::Create($code))
                foreach ($e in $r.All) {
                    ($e.FullyQualifiedErrorId -split ',')[0] | Should -BeIn $script:Documented -Because "$($ex.title): $($e.Exception.Message)"
                }
            } finally {
                if (Test-Path ./kmip/pykmip.pid) { & bash ./tests/kmip/stop-pykmip.sh ./kmip | Out-Null }
                if (Test-Path ./kmip) { Remove-Item ./kmip -Recurse -Force }
                Pop-Location
            }
        }
    }

    AfterAll {
        Disconnect-BPKeyManager -All
        Disconnect-BPDomain -All
        Reset-Session
    }
}
