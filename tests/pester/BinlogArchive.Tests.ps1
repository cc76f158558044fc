# Pester 5 tests of the packaged module. Run by ./build.sh test (or ./build.ps1 test) where
# PowerShell 7.4+ exists; BINLOG_MODULE_PATH points at the staged module folder (out/BinlogArchive).

BeforeAll {
    $script:Root = Resolve-Path (Join-Path $PSScriptRoot '..' '..')
    $modulePath = if ($env:BINLOG_MODULE_PATH) { $env:BINLOG_MODULE_PATH } else { Join-Path $script:Root 'out' 'BinlogArchive' }
    Import-Module (Join-Path $modulePath 'BinlogArchive.psd1') -Force
    $script:Sample = Join-Path $script:Root 'tests' 'fixtures' 'mariadb'
}

Describe 'BinlogArchive module' {
    It 'exports exactly the cmdlets of the manifest' {
        $exported = (Get-Module BinlogArchive).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Contain 'Get-ClosedBinlog'
        $exported | Should -Contain 'Protect-Binlog'
        $exported | Should -Contain 'Test-BinlogArchive'
        $exported | Should -Contain 'New-BinlogArchiveKey'
        $exported | Should -Contain 'Send-BinlogArchive'
        $exported | Should -Contain 'Get-BinlogArchive'
    }

    It 'ships no System.Management.Automation.dll' {
        Get-ChildItem (Split-Path (Get-Module BinlogArchive).Path) -Recurse -Filter 'System.Management.Automation.dll' |
            Should -BeNullOrEmpty
    }

    It 'has help with a synopsis for every cmdlet' {
        foreach ($name in (Get-Module BinlogArchive).ExportedCmdlets.Keys) {
            (Get-Help $name).Name | Should -Be $name
        }
    }
}

Describe 'the archive pipeline on the bundled sample' {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("binlog-pester-" + [guid]::NewGuid())
        New-Item -ItemType Directory $script:Work | Out-Null
        $script:KeyFile = Join-Path $script:Work 'master.key'
        New-BinlogArchiveKey -Path $script:KeyFile | Out-Null
        $script:State = Join-Path $script:Work 'state'
    }

    AfterAll { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }

    It 'Get-ClosedBinlog lists the closed sample binlogs oldest first' {
        $files = Get-ClosedBinlog -Path $script:Sample -StateDirectory $script:State
        $files.Count | Should -Be 5
        $files[0].Name | Should -Be 'mysql-bin.000001'
        ($files | ForEach-Object Sequence) | Should -Be @(1, 2, 3, 4, 5)
    }

    It 'Protect-Binlog -WhatIf writes nothing' {
        $out = Join-Path $script:Work 'whatif'
        Get-ClosedBinlog -Path $script:Sample -StateDirectory $script:State |
            Protect-Binlog -KeyFile $script:KeyFile -OutputDirectory $out -CompressionLevel 3 -WhatIf
        Test-Path $out | Should -BeFalse
    }

    It 'Get-ClosedBinlog | Protect-Binlog | Test-BinlogArchive -PassThru | Send-BinlogArchive works as written' {
        $out = Join-Path $script:Work 'archives'
        $store = Join-Path $script:Work 'store'
        $stored = Get-ClosedBinlog -Path $script:Sample -StateDirectory $script:State |
            Protect-Binlog -KeyFile $script:KeyFile -OutputDirectory $out -CompressionLevel 3 |
            Test-BinlogArchive -KeyFile $script:KeyFile -PassThru |
            Send-BinlogArchive -Destination $store -Server demo -StateDirectory $script:State
        $stored.Count | Should -Be 5
        $stored | ForEach-Object { "$($_.Outcome)" | Should -Be 'Created' }
        (Get-ChildItem $out -Filter '*.zst.enc').Count | Should -Be 5
        $report = Get-BinlogArchive -Source $store -Server demo
        $report.Files.Count | Should -Be 5
        $report.MissingSequences.Count | Should -Be 0
    }

    It 'Send-BinlogArchive -WhatIf uploads nothing' {
        $store = Join-Path $script:Work 'whatif-store'
        Get-ChildItem (Join-Path $script:Work 'archives') -Filter '*.zst.enc' |
            Send-BinlogArchive -Destination $store -WhatIf
        (Get-ChildItem $store -Recurse -Filter '*.zst.enc' -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'Test-BinlogArchive -Quiet is false for a tampered archive' {
        $out = Join-Path $script:Work 'archives'
        $victim = Get-ChildItem $out -Filter 'mysql-bin.000004.zst.enc'
        $bytes = [IO.File]::ReadAllBytes($victim.FullName)
        $bytes[2000] = $bytes[2000] -bxor 1
        [IO.File]::WriteAllBytes($victim.FullName, $bytes)
        Test-BinlogArchive -LiteralPath $victim.FullName -KeyFile $script:KeyFile -Quiet | Should -BeFalse
    }
}
