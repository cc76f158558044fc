#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Build, package and test BinlogArchive from PowerShell 7.4+ (the twin of build.sh).
.DESCRIPTION
    build    dotnet build of BinlogCmdlets.sln
    package  stage the importable module in out/BinlogArchive and pack the CLI tool into out/tool
    pester   package, then run the Pester tests in tests/pester against out/BinlogArchive
    test     on Linux/macOS: ./build.sh test (services + every xunit test + Pester);
             elsewhere: the unit tests and Pester (the integration tests need Linux services)
.EXAMPLE
    ./build.ps1 package; Import-Module ./out/BinlogArchive
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'package', 'pester', 'test')]
    [string] $Task = 'test',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Checked([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $Command" }
}

function Invoke-Build {
    Invoke-Checked { dotnet build BinlogCmdlets.sln -c $Configuration -nologo }
}

function Invoke-Package {
    # The build stages the module (src/BinlogCmdlets, target StageModule): cmdlets, manifest with the
    # version filled in, formats and help on top; the engine and SDKs under Dependencies/.
    Invoke-Checked { dotnet build src/BinlogCmdlets/BinlogCmdlets.csproj -c $Configuration -nologo }
    $module = Join-Path $PSScriptRoot 'out' 'BinlogArchive'
    Remove-Item -Recurse -Force $module -ErrorAction SilentlyContinue
    New-Item -ItemType Directory (Split-Path $module) -Force | Out-Null
    Copy-Item -Recurse (Join-Path $PSScriptRoot 'src' 'BinlogCmdlets' 'bin' $Configuration 'net8.0' 'module' 'BinlogArchive') $module
    Invoke-Checked { dotnet pack src/BinlogArchive.Cli/BinlogArchive.Cli.csproj -c $Configuration -o out/tool -nologo }
    "module: $module"
}

function Invoke-Pester5 {
    Invoke-Package | Out-Host
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
        Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser -Force -SkipPublisherCheck
    }
    Import-Module Pester -MinimumVersion 5.0
    $env:BINLOG_MODULE_PATH = Join-Path $PSScriptRoot 'out' 'BinlogArchive'
    $config = New-PesterConfiguration
    $config.Run.Path = 'tests/pester'
    $config.Run.Exit = $true
    $config.Output.Verbosity = 'Normal'
    Invoke-Pester -Configuration $config
}

switch ($Task) {
    'build' { Invoke-Build }
    'package' { Invoke-Package }
    'pester' { Invoke-Pester5 }
    'test' {
        if ($IsLinux -or $IsMacOS) {
            Invoke-Checked { bash ./build.sh test }
        } else {
            Invoke-Build
            Invoke-Checked { dotnet test tests/unit -c $Configuration --no-build }
            Invoke-Pester5
        }
    }
}
