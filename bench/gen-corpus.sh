#!/usr/bin/env bash
# Generate a realistic binlog corpus with sysbench against a throwaway MariaDB
# (tests/services/mariadb.sh), row-based binlogs, and copy the closed files to CORPUS_DIR.
#
#   bench/gen-corpus.sh CORPUS_DIR [MIN_MIB]
#
# Result: CORPUS_DIR/large/mysql-bin.NNNNNN (closed 64 MiB files from oltp_write_only, >= MIN_MIB
# in total, default 288), CORPUS_DIR/small/mysql-bin.NNNNNN (one ~2 MiB closed file from the
# same workload) and CORPUS_DIR/xl/mysql-bin.NNNNNN (one >= 256 MiB file), both for the
# memory-vs-file-size check, and CORPUS_DIR/.complete when done.
# Progress goes to stderr. Idempotent: exits at once when CORPUS_DIR/.complete exists.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CORPUS_DIR="${1:?usage: $0 CORPUS_DIR [MIN_MIB]}"
MIN_MIB="${2:-288}"
log() { echo "gen-corpus: $*" >&2; }

if [ -f "$CORPUS_DIR/.complete" ]; then
    log "corpus already present in $CORPUS_DIR"
    exit 0
fi
command -v sysbench >/dev/null || {
    log "installing sysbench"
    env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sysbench </dev/null
}

BASE="$(mktemp -d "${TMPDIR:-/tmp}/binlogbench.XXXXXX")"
cleanup() { tests/services/mariadb.sh stop "$BASE" >/dev/null 2>&1 || true; }
trap cleanup EXIT
eval "$(tests/services/mariadb.sh start "$BASE")"
SOCK="$BINLOG_TEST_MARIADB_SOCKET"
DATADIR="$BINLOG_TEST_MARIADB_DATADIR"
sql() { mariadb --no-defaults --socket="$SOCK" --user=root --batch --skip-column-names -e "$1"; }

# Generation speed only: durability knobs off (the binlog content does not change).
sql "SET GLOBAL max_binlog_size=64*1024*1024; SET GLOBAL sync_binlog=0;
     SET GLOBAL innodb_flush_log_at_trx_commit=0; SET GLOBAL binlog_format='ROW';
     SET GLOBAL binlog_row_image='FULL'; CREATE DATABASE IF NOT EXISTS sbtest;"

SB=(sysbench --db-driver=mysql --mysql-socket="$SOCK" --mysql-user=root --mysql-password=
    --mysql-db=sbtest --tables=8 --table-size=50000 --threads=4 --rand-type=uniform)
log "sysbench prepare"
"${SB[@]}" oltp_write_only prepare >/dev/null
# Start the measured corpus on fresh files: the prepare phase is bulk INSERTs, not OLTP.
sql "FLUSH BINARY LOGS"
first_seq="$(sql "SHOW MASTER STATUS" | awk '{print $1}')"

log "sysbench oltp_write_only: small file"
"${SB[@]}" --time=2 oltp_write_only run >/dev/null
sql "FLUSH BINARY LOGS"
small_file="$first_seq"

bytes_after() {  # total bytes of binlogs after the small file (closed or not)
    sql "SHOW BINARY LOGS" | awk -v s="$small_file" '$1 > s {t += $2} END {print t+0}'
}
log "sysbench oltp_write_only until >= ${MIN_MIB} MiB of binlogs"
while [ "$(bytes_after)" -lt $((MIN_MIB * 1024 * 1024)) ]; do
    "${SB[@]}" --time=20 oltp_write_only run >/dev/null
    log "  $(( $(bytes_after) / 1024 / 1024 )) MiB"
done
sql "FLUSH BINARY LOGS"
active="$(sql "SHOW MASTER STATUS" | awk '{print $1}')"

# One extra-large file (>= XL_MIB, default 256) for the memory-vs-file-size check.
XL_MIB="${BENCH_XL_MIB:-256}"
sql "SET GLOBAL max_binlog_size=1024*1024*1024"
log "sysbench oltp_write_only: one ${XL_MIB} MiB file"
xl_bytes() { sql "SHOW BINARY LOGS" | awk -v a="$active" '$1 == a {print $2+0}'; }
while [ "$(xl_bytes)" -lt $((XL_MIB * 1024 * 1024)) ]; do
    "${SB[@]}" --time=20 oltp_write_only run >/dev/null
    log "  $(( $(xl_bytes) / 1024 / 1024 )) MiB"
done
sql "FLUSH BINARY LOGS"

rm -rf "$CORPUS_DIR.tmp"
mkdir -p "$CORPUS_DIR.tmp/large" "$CORPUS_DIR.tmp/small" "$CORPUS_DIR.tmp/xl"
cp "$DATADIR/$small_file" "$CORPUS_DIR.tmp/small/"
cp "$DATADIR/$active" "$CORPUS_DIR.tmp/xl/"
sql "SHOW BINARY LOGS" | awk -v s="$small_file" -v a="$active" '$1 > s && $1 < a {print $1}' |
while read -r f; do cp "$DATADIR/$f" "$CORPUS_DIR.tmp/large/"; done
rm -rf "$CORPUS_DIR"
mv "$CORPUS_DIR.tmp" "$CORPUS_DIR"
touch "$CORPUS_DIR/.complete"
log "corpus ready in $CORPUS_DIR: $(du -sh "$CORPUS_DIR" | cut -f1)"
ls -l "$CORPUS_DIR/small" "$CORPUS_DIR/large" "$CORPUS_DIR/xl" >&2
