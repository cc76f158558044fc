#!/usr/bin/env bash
# Restore speed: is decoding (fetch from a local store, verify, decrypt, decompress) ever the
# bottleneck of a restore, or is it the server applying the binlogs? In one run, on the same
# binlogs (sysbench against a throwaway MariaDB, archived with `binlog-archive run`):
#   decode  = binlog-archive restore --output-dir  (fetch + verify + decrypt + decompress + write)
#   apply   = mariadb-binlog FILES | mariadb         into a fresh server (what a DBA runs by hand)
#   replay  = binlog-archive restore --replay       into another fresh server (decode + apply, streamed)
# and checks that both restored servers hold exactly the source's tables (CHECKSUM TABLE).
#
#   bench/restore.sh            (also run by ./build.sh bench after bench/run.sh)
# Knobs: BENCH_RESTORE_SECONDS (sysbench run time, default 20), BENCH_SKIP_BUILD=1.
# Writes bench/results/restore.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export PATH="$PATH:/usr/sbin:/sbin"
log() { echo "bench-restore: $*" >&2; }

CLI=("$ROOT/out/cli/binlog-archive")
[ "${BENCH_SKIP_BUILD:-0}" = "1" ] && [ -x "${CLI[0]}" ] || ./build.sh cli >&2
command -v sysbench >/dev/null || {
    env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sysbench </dev/null
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/binlog-restore-bench.XXXXXX")"
cleanup() {
    for s in src t1 t2; do tests/services/mariadb.sh stop "$WORK/$s" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

start_server() {  # NAME -> prints the socket
    (eval "$(tests/services/mariadb.sh start "$WORK/$1")" && echo "$BINLOG_TEST_MARIADB_SOCKET")
}
sql() { mariadb --no-defaults --socket="$1" --user=root --batch --skip-column-names -e "$2"; }
checksums() { sql "$1" "CHECKSUM TABLE $(sql "$1" "SELECT GROUP_CONCAT(CONCAT('sbtest.', table_name)) FROM information_schema.tables WHERE table_schema='sbtest'")"; }
seconds() { /usr/bin/time -f '%e' -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; return 1; }; cat "$WORK/t"; }

log "source server + sysbench"
SRC="$(start_server src)"
DATADIR="$(sql "$SRC" "SELECT @@datadir")"
sql "$SRC" "SET GLOBAL max_binlog_size=32*1024*1024; SET GLOBAL sync_binlog=0; SET GLOBAL innodb_flush_log_at_trx_commit=0; CREATE DATABASE sbtest"
SB=(sysbench --db-driver=mysql --mysql-socket="$SRC" --mysql-user=root --mysql-password= --mysql-db=sbtest
    --tables=4 --table-size=25000 --threads=4 --rand-type=uniform)
"${SB[@]}" oltp_write_only prepare >/dev/null
"${SB[@]}" --time="${BENCH_RESTORE_SECONDS:-20}" oltp_write_only run >/dev/null
sql "$SRC" "FLUSH BINARY LOGS"
expected="$(checksums "$SRC")"
FIRST="$(sql "$SRC" "SHOW BINARY LOGS" | head -1 | cut -f1)"

log "archive with binlog-archive run (level 3)"
"${CLI[@]}" keygen --out "$WORK/k.key" >/dev/null
"${CLI[@]}" run --binlog-dir "$DATADIR" --key-file "$WORK/k.key" --destination "$WORK/store" --state-dir "$WORK/state" --level 3 >/dev/null
ARCHIVED="$(find "$WORK/store" -name '*.zst.enc' | wc -l)"

log "decode: restore --output-dir"
decode_s="$(seconds "${CLI[@]}" restore --source "$WORK/store" --key-file "$WORK/k.key" --from "$FIRST:4" --output-dir "$WORK/out")"
PLAIN_BYTES="$(find "$WORK/out" -name 'mysql-bin.[0-9]*' -printf '%s\n' | awk '{t+=$1} END {print t+0}')"

log "apply: mariadb-binlog | mariadb into a fresh server"
T1="$(start_server t1)"
sql "$T1" "SET GLOBAL max_allowed_packet=1073741824"
apply_s="$(seconds bash -c "mariadb-binlog --no-defaults \$(ls $WORK/out/mysql-bin.[0-9]* | sort) | mariadb --no-defaults --socket=$T1 --user=root --binary-mode")"
[ "$(checksums "$T1")" = "$expected" ] || { log "ERROR: apply produced different tables"; exit 1; }

log "replay: restore --replay into another fresh server"
T2="$(start_server t2)"
sql "$T2" "SET GLOBAL max_allowed_packet=1073741824"
replay_s="$(seconds "${CLI[@]}" restore --source "$WORK/store" --key-file "$WORK/k.key" --from "$FIRST:4" --replay --socket "$T2" --user root)"
[ "$(checksums "$T2")" = "$expected" ] || { log "ERROR: replay produced different tables"; exit 1; }

mkdir -p bench/results
python3 - "$PLAIN_BYTES" "$ARCHIVED" "$decode_s" "$apply_s" "$replay_s" > bench/results/restore.md <<'PY'
import sys
plain, files, dec, app, rep = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
mb = plain / 1e6
print("### Restore: decode vs apply\n")
print(f"{files} archives, {mb:.1f} MB of binlogs (sysbench oltp_write_only, MariaDB row-based), local filesystem store.\n")
print("| step | seconds | MB/s of binlog | vs apply |")
print("|---|---:|---:|---:|")
print(f"| decode: `restore --output-dir` (fetch, verify, decrypt, decompress, write) | {dec:.2f} | {mb/dec:.0f} | {dec/app:.2f}× |")
print(f"| apply: `mariadb-binlog FILES \\| mariadb` | {app:.2f} | {mb/app:.1f} | 1.00× |")
print(f"| replay: `restore --replay` (decode and apply, streamed) | {rep:.2f} | {mb/rep:.1f} | {rep/app:.2f}× |")
print(f"\nBoth restored servers' CHECKSUM TABLE equals the source's. Decode takes {100*dec/app:.0f}% of the apply time: "
      + ("the applier is the bottleneck." if dec < app else "decode is the bottleneck."))
PY
cat bench/results/restore.md
