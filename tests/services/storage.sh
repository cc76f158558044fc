#!/usr/bin/env bash
# Throwaway object stores for the storage tests: Azurite (blob service only) and s3rver, each a
# plain process on a free 127.0.0.1 port with its data in BASEDIR.
#
#   tests/services/storage.sh start BASEDIR   start both; prints `export BINLOG_TEST_*=...` lines for eval
#   tests/services/storage.sh stop BASEDIR    stop both (idempotent)
#
# Needs `azurite-blob` and `s3rver` on PATH (build.sh installs them into .tools/npm).
# Progress and errors go to stderr so stdout stays eval-able.
set -euo pipefail

log() { echo "storage.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

START_TIMEOUT="${BINLOG_TEST_STORAGE_START_TIMEOUT:-30}"

# Azurite's published development account; not a secret.
AZURITE_ACCOUNT=devstoreaccount1
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {
    local port="$1" name="$2" logfile="$3" i
    for i in $(seq 1 $((START_TIMEOUT * 10))); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    log "$name did not listen on 127.0.0.1:$port within ${START_TIMEOUT}s; its log:"
    tail -n 40 "$logfile" >&2 || true
    return 1
}

start() {
    local base="$1"
    mkdir -p "$base/azurite" "$base/s3rver"
    command -v azurite-blob >/dev/null || die "azurite-blob not on PATH (npm install azurite)"
    command -v s3rver >/dev/null || die "s3rver not on PATH (npm install s3rver)"

    local az_port s3_port
    az_port="$(free_port)"
    # In-memory: the blobs die with the process, nothing to clean; --loose and
    # --skipApiVersionCheck accept the x-ms-version we send whatever Azurite release this is.
    (cd "$base/azurite" && exec azurite-blob --blobHost 127.0.0.1 --blobPort "$az_port" \
        --inMemoryPersistence --skipApiVersionCheck --loose --silent --disableTelemetry \
        >"$base/azurite.log" 2>&1 </dev/null) &
    echo $! >"$base/azurite.pid"

    s3_port="$(free_port)"
    # s3rver 3.7 on Node >= 17 needs the legacy OpenSSL provider: it hashes continuation tokens
    # with an algorithm OpenSSL 3 disabled, and paginated ListObjectsV2 answers 500 without it.
    NODE_OPTIONS=--openssl-legacy-provider s3rver -d "$base/s3rver" -a 127.0.0.1 -p "$s3_port" --silent \
        >"$base/s3rver.log" 2>&1 </dev/null &
    echo $! >"$base/s3rver.pid"

    wait_port "$az_port" azurite "$base/azurite.log" || { stop "$base"; die "Azurite did not start"; }
    wait_port "$s3_port" s3rver "$base/s3rver.log" || { stop "$base"; die "s3rver did not start"; }
    log "Azurite blob on 127.0.0.1:$az_port, s3rver on 127.0.0.1:$s3_port"

    cat <<EOF
export BINLOG_TEST_AZURITE_ENDPOINT='http://127.0.0.1:$az_port/$AZURITE_ACCOUNT'
export BINLOG_TEST_AZURITE_ACCOUNT='$AZURITE_ACCOUNT'
export BINLOG_TEST_AZURITE_KEY='$AZURITE_KEY'
export BINLOG_TEST_S3_ENDPOINT='http://127.0.0.1:$s3_port'
export BINLOG_TEST_S3_ACCESS_KEY='S3RVER'
export BINLOG_TEST_S3_SECRET_KEY='S3RVER'
EOF
}

stop() {
    local base="$1" name pid
    for name in azurite s3rver; do
        [ -f "$base/$name.pid" ] || continue
        pid="$(cat "$base/$name.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$base/$name.pid"
    done
}

case "${1:-}" in
    start) [ -n "${2:-}" ] || die "usage: $0 start BASEDIR"; start "$2" ;;
    stop) [ -n "${2:-}" ] || die "usage: $0 stop BASEDIR"; stop "$2" ;;
    *) die "usage: $0 start|stop BASEDIR" ;;
esac
