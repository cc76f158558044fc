#!/usr/bin/env bash
# BinlogArchive build entry point (Linux/macOS; build.ps1 is the PowerShell twin).
#
#   ./build.sh build    dotnet build of BinlogCmdlets.sln ($CONFIGURATION, default Release)
#   ./build.sh cli      the natively compiled CLI, out/cli/binlog-archive (what users install)
#   ./build.sh test     install missing tools, build once, start a throwaway MariaDB, run every
#                       xunit project (+ Pester where pwsh exists), print one summary line
#   ./build.sh demo     the main job on the bundled sample binlogs (tests/fixtures/mariadb) into out/demo
#   ./build.sh bench    bench/run.sh, if present
#   ./build.sh package  module folder out/BinlogArchive (Import-Module ./out/BinlogArchive), the native
#                       CLI out/cli/binlog-archive and the portable CLI as a dotnet tool nupkg
#
# CI runs `bash .ci/run` == `./build.sh test` as root, without stdin, on a possibly brand-new
# Debian machine, so `test` must install what it needs and clean up after itself.
#
# Environment knobs:
#   CONFIGURATION=Release|Debug       build configuration (default Release)
#   BINLOG_TEST_NPM_PACKAGES="a b"    extra npm packages for test services (azurite, an S3
#                                     server...), installed into .tools/npm when missing
#   BINLOG_TEST_KEEP_TEMP=1           keep the temp folder (server datadir, logs) for debugging
#   BINLOG_TEST_FILTER=EXPR           passed to dotnet test --filter
set -euo pipefail

cd "$(dirname "$0")"
ROOT="$(pwd)"
CONFIGURATION="${CONFIGURATION:-Release}"
SOLUTION="BinlogCmdlets.sln"
TEST_PROJECTS=(tests/unit/BinlogArchive.Tests.Unit.csproj tests/integration/BinlogArchive.Tests.Integration.csproj)
RESULTS_DIR="$ROOT/TestResults"

# Quiet, deterministic dotnet output: no first-run banner or telemetry prompt in CI logs.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Server binaries live in /usr/sbin, which a non-login root shell may not have on PATH.
export PATH="$PATH:/usr/sbin:/sbin"

# Test-service npm packages: Azurite (Azure Blob) and s3rver (S3) for the storage tests, plus
# whatever BINLOG_TEST_NPM_PACKAGES adds. ensure_npm_packages installs them only when missing.
NPM_PACKAGES=(azurite s3rver@3.7.1 ${BINLOG_TEST_NPM_PACKAGES:-})

log() { echo "build.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# command -> Debian package that provides it. Checked one by one so a machine that already has
# everything never touches apt (fast, and works offline).
declare -A APT_FOR_COMMAND=(
    [mariadbd]=mariadb-server
    [mariadb-install-db]=mariadb-server
    [mariadb]=mariadb-client
    [mariadb-admin]=mariadb-client
    [mariadb-binlog]=mariadb-client
    [mariadb-backup]=mariadb-backup
    [zstd]=zstd
    [openssl]=openssl
    [python3]=python3
    # Native AOT links the CLI with the system C toolchain (clang or gcc).
    [gcc]=gcc
)

ensure_apt_packages() {
    local missing=() cmd pkg
    for cmd in "${!APT_FOR_COMMAND[@]}"; do
        if ! command -v "$cmd" >/dev/null 2>&1; then
            pkg="${APT_FOR_COMMAND[$cmd]}"
            [[ " ${missing[*]:-} " == *" $pkg "* ]] || missing+=("$pkg")
        fi
    done
    # libzstd.so.1 is loaded by P/Invoke, not found by `command -v`.
    if ! ldconfig -p 2>/dev/null | grep -q 'libzstd\.so\.1 '; then missing+=(libzstd1); fi
    # ... and the native CLI links against libz.so (the development symlink).
    if ! compgen -G '/usr/lib/*/libz.so' >/dev/null && ! compgen -G '/usr/lib/libz.so' >/dev/null; then missing+=(zlib1g-dev); fi
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    log "installing missing packages: ${missing[*]}"
    command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
    # Once per run: package lists on a fresh machine are empty or stale.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # --no-install-recommends keeps the install small. If the package starts Debian's own
    # mariadb service, that one uses /run/mysqld and port 3306 from /etc/mysql; ours runs with
    # --no-defaults on its own socket and port, so the two never meet.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

ensure_npm_packages() {
    [ ${#NPM_PACKAGES[@]} -gt 0 ] || return 0
    command -v npm >/dev/null || { log "npm missing; installing nodejs/npm"; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm </dev/null; }
    local prefix="$ROOT/.tools/npm" missing=() p
    for p in "${NPM_PACKAGES[@]}"; do
        [ -d "$prefix/node_modules/${p%@*}" ] || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing npm packages into $prefix: ${missing[*]}"
        npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "${missing[@]}"
    fi
    export PATH="$prefix/node_modules/.bin:$PATH"
}

ensure_tools() {
    command -v dotnet >/dev/null || die "dotnet SDK not found on PATH (the machine image provides it)"
    ensure_apt_packages
    ensure_npm_packages
}

cmd_build() {
    log "dotnet build $SOLUTION -c $CONFIGURATION"
    dotnet build "$SOLUTION" -c "$CONFIGURATION" -nologo -v:minimal
}

CLI_NATIVE="$ROOT/out/cli/binlog-archive"

native_rid() {
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) echo linux-x64 ;;
        Linux-aarch64) echo linux-arm64 ;;
        *) die "no native CLI build for $(uname -s)-$(uname -m); use the dotnet tool (./build.sh package)" ;;
    esac
}

# The CLI users run: one natively compiled executable (no .NET runtime needed on the database
# host). Tests and the benchmark run this same file.
cmd_cli() {
    local rid
    rid="$(native_rid)"
    command -v dotnet >/dev/null || die "dotnet SDK not found on PATH"
    command -v clang >/dev/null || command -v gcc >/dev/null ||
        die "the native CLI is linked with clang or gcc; install one (apt-get install gcc zlib1g-dev)"
    log "dotnet publish src/BinlogArchive.Cli -r $rid (Native AOT) -> $CLI_NATIVE"
    dotnet publish src/BinlogArchive.Cli/BinlogArchive.Cli.csproj -c "$CONFIGURATION" -r "$rid" \
        -o "$ROOT/out/cli" -nologo -v:quiet
    rm -f "$ROOT"/out/cli/*.pdb
    [ -x "$CLI_NATIVE" ] || die "$CLI_NATIVE was not produced"
}

# ---------------------------------------------------------------- services for `test`
TEMP_ROOT=""
MARIADB_BASE=""
STORAGE_BASE=""

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$MARIADB_BASE" ]; then
        tests/services/mariadb.sh stop "$MARIADB_BASE" || log "warning: could not stop MariaDB in $MARIADB_BASE"
    fi
    if [ -n "$STORAGE_BASE" ]; then
        tests/services/storage.sh stop "$STORAGE_BASE" || log "warning: could not stop Azurite/s3rver in $STORAGE_BASE"
    fi
    if [ -n "$TEMP_ROOT" ] && [ "${BINLOG_TEST_KEEP_TEMP:-0}" != "1" ]; then
        rm -rf "$TEMP_ROOT"
    fi
    exit "$rc"
}

start_services() {
    TEMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/binlog-build.XXXXXX")"
    local env_text
    # The MariaDB gets its own folder under TEMP_ROOT; remember it before anything can fail
    # so the trap stops a half-started server too.
    MARIADB_BASE="$TEMP_ROOT/mariadb"
    if ! env_text="$(tests/services/mariadb.sh start "$MARIADB_BASE")"; then
        die "could not start the test MariaDB (see the log above)"
    fi
    eval "$env_text"
    # Azurite (blob only, in memory) and s3rver, each on a free 127.0.0.1 port.
    STORAGE_BASE="$TEMP_ROOT/storage"
    if ! env_text="$(tests/services/storage.sh start "$STORAGE_BASE")"; then
        die "could not start Azurite/s3rver (see the log above)"
    fi
    eval "$env_text"
    # From here on a missing or unreachable server fails the tests that need it instead of
    # skipping them: CI must never go green by skipping.
    export BINLOG_TEST_REQUIRE_SERVICES=1
    export BINLOG_TEST_TEMP="$TEMP_ROOT"
}

run_pester() {
    local scripts=(tests/pester/*.Tests.ps1)
    if ! command -v pwsh >/dev/null 2>&1; then
        echo "Pester: skipped (pwsh not found on this machine; run ./build.ps1 test where PowerShell 7.4+ is installed)"
        return 0
    fi
    if [ ! -e "${scripts[0]}" ]; then
        echo "Pester: skipped (no tests/pester/*.Tests.ps1 yet)"
        return 0
    fi
    log "running Pester"
    cmd_package >/dev/null
    BINLOG_MODULE_PATH="$ROOT/out/BinlogArchive" pwsh -NoLogo -NoProfile -NonInteractive -Command '
        $ErrorActionPreference = "Stop"
        if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge 5.0)) {
            Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser -Force -SkipPublisherCheck
        }
        Import-Module Pester -MinimumVersion 5.0
        $c = New-PesterConfiguration
        $c.Run.Path = "tests/pester"
        $c.Run.Exit = $true
        $c.Output.Verbosity = "Normal"
        Invoke-Pester -Configuration $c'
}

cmd_test() {
    local started=$SECONDS
    ensure_tools
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    cmd_build
    cmd_cli
    # The CLI tests drive the shipped native executable, not the framework-dependent build.
    export BINLOG_ARCHIVE_CLI="$CLI_NATIVE"

    start_services

    rm -rf "$RESULTS_DIR"
    mkdir -p "$RESULTS_DIR"
    local project name failed_runs=0 filter=()
    [ -n "${BINLOG_TEST_FILTER:-}" ] && filter=(--filter "$BINLOG_TEST_FILTER")
    for project in "${TEST_PROJECTS[@]}"; do
        name="$(basename "$project" .csproj)"
        log "dotnet test $name"
        # --no-build: cmd_build just built everything; a second build would double the time
        # on a 2-core machine. Exit codes are collected, not fatal, so every project runs.
        if ! dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo -v:quiet \
                --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
                --results-directory "$RESULTS_DIR" "${filter[@]}"; then
            failed_runs=$((failed_runs + 1))
        fi
    done

    local summary_rc=0
    python3 tests/tools/trx-summary.py "$RESULTS_DIR" "${#TEST_PROJECTS[@]}" || summary_rc=$?

    local pester_rc=0
    run_pester || pester_rc=$?

    log "test run took $((SECONDS - started)) s"
    if [ "$summary_rc" -ne 0 ] || [ "$failed_runs" -ne 0 ] || [ "$pester_rc" -ne 0 ]; then
        log "FAILED (xunit summary rc=$summary_rc, dotnet test failures=$failed_runs, pester rc=$pester_rc)"
        exit 1
    fi
}

cmd_demo() {
    # The main job on the bundled sample: one `run` (discover the closed binlogs of
    # tests/fixtures/mariadb, protect, verify, send, catalog) into a local directory store, then
    # what the store holds, then a second run that finds nothing left to do.
    local out="$ROOT/out/demo" cli
    cmd_cli >/dev/null
    cli=("$CLI_NATIVE")
    mkdir -p "$out"
    [ -f "$out/master.key" ] || "${cli[@]}" keygen --out "$out/master.key"
    echo "== run: discover -> protect (zstd -19 + AES-256-GCM) -> verify -> send -> catalog, into $out/store"
    "${cli[@]}" run --binlog-dir tests/fixtures/mariadb --key-file "$out/master.key" --destination "$out/store" \
        --state-dir "$out/state"
    echo "== list: what the store holds, gaps, latest restorable time"
    "${cli[@]}" list --source "$out/store"
    echo "== verify the stored archives (decrypt + decompress + hashes + sidecar MAC, nothing written)"
    find "$out/store" -name '*.zst.enc' -print0 | sort -z | xargs -0 "${cli[@]}" verify --key-file "$out/master.key"
    echo "== run again: idempotent, nothing left to do"
    "${cli[@]}" run --binlog-dir tests/fixtures/mariadb --key-file "$out/master.key" --destination "$out/store" \
        --state-dir "$out/state"
}

cmd_package() {
    # A ready-to-import module folder (Import-Module ./out/BinlogArchive) and the packed CLI tool.
    # The build stages the module (src/BinlogCmdlets/BinlogCmdlets.csproj, target StageModule):
    # cmdlets + manifest + formats on top, the engine and SDKs under Dependencies/.
    local module="$ROOT/out/BinlogArchive"
    dotnet build src/BinlogCmdlets/BinlogCmdlets.csproj -c "$CONFIGURATION" -v quiet -nologo >/dev/null
    rm -rf "$module" && mkdir -p "$ROOT/out"
    cp -r "$ROOT/src/BinlogCmdlets/bin/$CONFIGURATION/net8.0/module/BinlogArchive" "$module"
    dotnet pack src/BinlogArchive.Cli/BinlogArchive.Cli.csproj -c "$CONFIGURATION" -o "$ROOT/out/tool" -v quiet -nologo >/dev/null
    cmd_cli >/dev/null
    echo "module: $module"
    echo "cli: $CLI_NATIVE"
    echo "cli tool: $(ls "$ROOT"/out/tool/*.nupkg)"
}

cmd_bench() {
    if [ -x bench/run.sh ] || [ -f bench/run.sh ]; then
        ensure_tools
        bash bench/run.sh "$@"
        BENCH_SKIP_BUILD=1 exec bash bench/restore.sh
    fi
    echo "bench: bench/run.sh not present yet; nothing to run"
}

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
    build) shift; command -v dotnet >/dev/null || die "dotnet SDK not found on PATH"; cmd_build "$@" ;;
    cli) shift; cmd_cli "$@" ;;
    test) shift; cmd_test "$@" ;;
    demo) shift; cmd_demo "$@" ;;
    bench) shift; cmd_bench "$@" ;;
    package) shift; cmd_package "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
