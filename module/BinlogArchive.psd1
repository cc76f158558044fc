@{
    RootModule           = 'BinlogArchive.Cmdlets.dll'
    # Filled in at build from Directory.Build.props (VersionPrefix) when the module folder is staged.
    ModuleVersion        = '0.0.0'
    GUID                 = '5b0f3c1e-8a4d-4f57-9a36-2f0d7e1c9b42'
    Author               = 'BinlogArchive'
    CompanyName          = 'BinlogArchive'
    Copyright            = '(c) BinlogArchive contributors'
    Description          = 'Archive MySQL/MariaDB binary logs as compressed, encrypted, verifiable archives, and restore to a point in time.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('BinlogArchive.format.ps1xml')
    CmdletsToExport      = @(
        'Get-BinlogArchive'
        'Get-ClosedBinlog'
        'New-BinlogArchiveKey'
        'Protect-Binlog'
        'Restore-BinlogToPoint'
        'Send-BinlogArchive'
        'Test-BinlogArchive'
        'Update-BinlogCatalog'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('MySQL', 'MariaDB', 'binlog', 'backup', 'PITR', 'archive', 'encryption')
            ProjectUri = ''
        }
    }
}
