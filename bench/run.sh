#!/usr/bin/env bash
# BinlogArchive benchmark: `binlog-archive protect/verify` against the zstd CLI alone and against
# the shell pipeline it replaces (zstd | openssl enc -aes-256-cbc -pbkdf2 + sha256sum), on a real
# sysbench binlog corpus. Called by `./build.sh bench`; see bench/README.md.
#
# Environment knobs:
#   BENCH_CORPUS=DIR     where the generated corpus is cached (default /var/tmp/binlog-bench-corpus;
#                        never inside the repo). Delete it to regenerate.
#   BENCH_REPS=N         repetitions of each level-3 / verify / memory command (default 3)
#   BENCH_REPS19=N       repetitions of each level-19 command (default 3: ~2 min per repetition here)
#   BENCH_QUIET_WAIT=S   wait up to S s (default 30) for an idle machine before each run
#   BENCH_KEEP_WORK=1    keep the scratch folder with the outputs and raw timings
#   BENCH_SKIP_BUILD=1   use the already-built native CLI (out/cli/binlog-archive)
#
# Output: a Markdown report on stdout and in bench/results/latest.md, the same data as JSON in
# bench/results/latest.json, raw per-run timings in bench/results/runs.jsonl. bench/results/
# is git-ignored. Exit status is 0 when the bench ran, whatever the PASS/FAIL verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PATH="$PATH:/usr/sbin:/sbin"

CORPUS="${BENCH_CORPUS:-/var/tmp/binlog-bench-corpus}"
REPS="${BENCH_REPS:-3}"
REPS19="${BENCH_REPS19:-3}"
RESULTS="$ROOT/bench/results"
CLI="$ROOT/out/cli/binlog-archive"

log() { echo "bench: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

case "$(realpath -m "$CORPUS")/" in
    "$ROOT"/*) die "BENCH_CORPUS must be outside the repository ($CORPUS)" ;;
esac

# ------------------------------------------------------------------ tools
need_apt=()
command -v sysbench >/dev/null || need_apt+=(sysbench)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v zstd >/dev/null || need_apt+=(zstd)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v python3 >/dev/null || need_apt+=(python3)
command -v mariadbd >/dev/null || need_apt+=(mariadb-server)
command -v mariadb >/dev/null || need_apt+=(mariadb-client)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing: ${need_apt[*]}"
    env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" </dev/null
fi

# The native CLI is what users install (./build.sh cli), so that is what is measured.
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ] || [ ! -x "$CLI" ]; then
    ./build.sh cli >&2
fi
[ -x "$CLI" ] || die "$CLI not found after the build"
OURS=("$CLI")

# ------------------------------------------------------------------ corpus
bench/gen-corpus.sh "$CORPUS"
mapfile -t LARGE < <(ls -1 "$CORPUS"/large/mysql-bin.* | sort)
SMALL="$(ls -1 "$CORPUS"/small/mysql-bin.* | head -1)"
XL="$(ls -1 "$CORPUS"/xl/mysql-bin.* | head -1)"
L19_FILE="${LARGE[0]}"     # one closed 64 MiB file: the level-19 subset
[ ${#LARGE[@]} -gt 0 ] && [ -f "$SMALL" ] && [ -f "$XL" ] || die "corpus in $CORPUS is incomplete; delete it to regenerate"

# zstd -T0 counts physical cores; give ours the same number of workers.
THREADS="$(echo x | zstd -v -T0 -c 2>&1 >/dev/null | sed -n 's/.*Note: \([0-9]*\) physical core.*/\1/p' || true)"
THREADS="${THREADS:-$(nproc)}"

WORK="$(mktemp -d /var/tmp/binlog-bench-work.XXXXXX)"
cleanup() { [ "${BENCH_KEEP_WORK:-0}" = "1" ] && log "kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT
KEY="$WORK/master.key"
"${OURS[@]}" keygen --out "$KEY" >/dev/null
mkdir -p "$RESULTS"
RUNS="$WORK/runs.jsonl"
: >"$RUNS"

# ------------------------------------------------------------------ measuring
# The machine may be shared (other sessions' builds and tests on the same 2 cores), which
# inflates wall times. Before each run wait (up to BENCH_QUIET_WAIT s, default 30) for the CPUs
# to be >= 75% idle over one second, and record, next to wall time, the command's own CPU time
# and the CPU time everything else on the machine used meanwhile ("others", from /proc/stat).
cpu_busy() {  # busy and total jiffies of all CPUs
    awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; t = b + $5 + $6; print b, t}' /proc/stat
}
wait_quiet() {
    local deadline=$((SECONDS + ${BENCH_QUIET_WAIT:-30})) b0 t0 b1 t1
    while :; do
        read -r b0 t0 < <(cpu_busy); sleep 1; read -r b1 t1 < <(cpu_busy)
        # idle >= 75%
        [ $(( (b1 - b0) * 4 )) -le $((t1 - t0)) ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && { log "  (machine still busy after ${BENCH_QUIET_WAIT:-30}s; measuring anyway)"; return 0; }
    done
}
HZ="$(getconf CLK_TCK)"
NCPU="$(nproc)"

# measure CASE TOOL LEVEL INPUT_BYTES OUTDIR REP -- command...
# Runs the command under /usr/bin/time (wall seconds, peak RSS of the largest process in the
# tree, user+sys CPU of the tree), then records output bytes (*.zst and *.enc files in OUTDIR;
# sidecars counted apart).
measure() {
    local case="$1" tool="$2" level="$3" in_bytes="$4" outdir="$5" rep="$6"
    shift 7
    local tf="$WORK/time.out" b0 t0 b1 t1
    wait_quiet
    read -r b0 t0 < <(cpu_busy)
    # Wall time from bash's microsecond clock: GNU time's %e has 10 ms steps, too coarse for
    # the ~0.1 s verify of one archive.
    local w0="$EPOCHREALTIME" w1
    if ! /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err"; then
        cat "$WORK/cmd.err" >&2
        die "command failed: $*"
    fi
    w1="$EPOCHREALTIME"
    read -r b1 t1 < <(cpu_busy)
    local wall rss usr sys cpu others out_bytes=0 side_bytes=0
    read -r _ rss usr sys <"$tf"
    wall="$(awk -v a="${w0/,/.}" -v b="${w1/,/.}" 'BEGIN {printf "%.3f", b - a}')"
    cpu="$(awk -v u="$usr" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')"
    others="$(awk -v b="$((b1 - b0))" -v hz="$HZ" -v c="$cpu" 'BEGIN {o = b / hz - c; printf "%.2f", (o < 0 ? 0 : o)}')"
    if [ -n "$outdir" ] && [ -d "$outdir" ]; then
        out_bytes="$(find "$outdir" -type f \( -name '*.zst' -o -name '*.enc' \) -printf '%s\n' | awk '{t+=$1} END {print t+0}')"
        side_bytes="$(find "$outdir" -type f -name '*.json' -printf '%s\n' | awk '{t+=$1} END {print t+0}')"
    fi
    printf '{"case":"%s","tool":"%s","level":%s,"rep":%s,"input_bytes":%s,"wall_s":%s,"max_rss_kib":%s,"cpu_s":%s,"others_cpu_s":%s,"ncpu":%s,"output_bytes":%s,"sidecar_bytes":%s}\n' \
        "$case" "$tool" "$level" "$rep" "$in_bytes" "$wall" "$rss" "$cpu" "$others" "$NCPU" "$out_bytes" "$side_bytes" >>"$RUNS"
    log "  $case $tool rep $rep: ${wall}s wall, ${cpu}s CPU (others ${others}s), $((rss / 1024)) MiB peak RSS, $out_bytes bytes out"
}

bytes_of() { stat -c %s "$@" | awk '{t+=$1} END {print t+0}'; }

# The two reference commands, one file at a time, exactly as an operator's shell script runs them.
zstd_files() {  # LEVEL OUTDIR FILE...
    local level="$1" out="$2" f; shift 2
    for f in "$@"; do zstd -q -"$level" -T0 -c "$f" >"$out/$(basename "$f").zst"; done
}
pipeline_files() {  # LEVEL OUTDIR KEY FILE...
    local level="$1" out="$2" key="$3" f o; shift 3
    for f in "$@"; do
        o="$out/$(basename "$f").zst.enc"
        zstd -q -"$level" -T0 -c "$f" | openssl enc -aes-256-cbc -salt -pbkdf2 -iter 100000 -pass "file:$key" >"$o"
        sha256sum "$f" "$o" >"$o.sha256"
    done
}
zstd_decode_files() {  # FILE.zst...
    local f
    for f in "$@"; do zstd -q -d -c "$f" >/dev/null; done
}
export -f zstd_files pipeline_files zstd_decode_files

warm() {  # read files twice so every tool starts from the same warm page cache
    cat "$@" >/dev/null
    cat "$@" >/dev/null
}

# compress_case CASE LEVEL REPS FILE...: ours / zstd / pipeline, interleaved per repetition.
# The outputs of the last repetition stay in $WORK/CASE-{ours,zstd} for the verify cases.
compress_case() {
    local case="$1" level="$2" reps="$3"; shift 3
    local in_bytes rep d
    in_bytes="$(bytes_of "$@")"
    warm "$@"
    for ((rep = 1; rep <= reps; rep++)); do
        d="$WORK/$case-ours"; rm -rf "$d"; mkdir -p "$d"
        measure "$case" ours "$level" "$in_bytes" "$d" "$rep" -- \
            "${OURS[@]}" protect --key-file "$KEY" --output-dir "$d" --level "$level" --workers "$THREADS" --parallel 1 "$@"
        d="$WORK/$case-zstd"; rm -rf "$d"; mkdir -p "$d"
        measure "$case" zstd "$level" "$in_bytes" "$d" "$rep" -- bash -c 'zstd_files "$@"' _ "$level" "$d" "$@"
        d="$WORK/$case-pipeline"; rm -rf "$d"; mkdir -p "$d"
        measure "$case" pipeline "$level" "$in_bytes" "$d" "$rep" -- bash -c 'pipeline_files "$@"' _ "$level" "$d" "$KEY" "$@"
        rm -rf "$d"
    done
}

# verify_case CASE COMPRESS_CASE LEVEL REPS INPUT_BYTES: ours verify vs zstd -d of the same data.
verify_case() {
    local case="$1" from="$2" level="$3" reps="$4" in_bytes="$5" rep
    local ours_archives=("$WORK/$from-ours"/*.zst.enc) zstd_archives=("$WORK/$from-zstd"/*.zst)
    warm "${ours_archives[@]}" "${zstd_archives[@]}"
    for ((rep = 1; rep <= reps; rep++)); do
        measure "$case" ours "$level" "$in_bytes" "" "$rep" -- "${OURS[@]}" verify --key-file "$KEY" "${ours_archives[@]}"
        measure "$case" zstd "$level" "$in_bytes" "" "$rep" -- bash -c 'zstd_decode_files "$@"' _ "${zstd_archives[@]}"
    done
}

# mem_case CASE LEVEL REPS FILE: peak RSS of ours vs zstd -T0 on one file.
mem_case() {
    local case="$1" level="$2" reps="$3" file="$4" in_bytes rep d
    in_bytes="$(bytes_of "$file")"
    warm "$file"
    for ((rep = 1; rep <= reps; rep++)); do
        d="$WORK/$case-ours"; rm -rf "$d"; mkdir -p "$d"
        measure "$case" ours "$level" "$in_bytes" "$d" "$rep" -- \
            "${OURS[@]}" protect --key-file "$KEY" --output-dir "$d" --level "$level" --workers "$THREADS" --parallel 1 "$file"
        d="$WORK/$case-zstd"; rm -rf "$d"; mkdir -p "$d"
        # the zstd process itself (no bash wrapper), so its RSS is not hidden behind bash's
        measure "$case" zstd "$level" "$in_bytes" "$d" "$rep" -- zstd -q -"$level" -T0 -o "$d/$(basename "$file").zst" "$file"
        rm -rf "$WORK/$case-ours" "$WORK/$case-zstd"
    done
}

started=$SECONDS
log "corpus: ${#LARGE[@]} files, $(($(bytes_of "${LARGE[@]}") / 1048576)) MiB; level-19 subset $(basename "$L19_FILE") ($(($(bytes_of "$L19_FILE") / 1048576)) MiB); threads $THREADS; reps $REPS (level 19: $REPS19)"

log "runtime baseline: binlog-archive --help"
measure baseline ours 0 0 "" 1 -- "${OURS[@]}" --help

log "level 3, full corpus"
compress_case l3 3 "$REPS" "${LARGE[@]}"
log "verify, level-3 archives of the full corpus"
verify_case verify-l3 l3 3 "$REPS" "$(bytes_of "${LARGE[@]}")"

log "level 19, $(basename "$L19_FILE")"
compress_case l19 19 "$REPS19" "$L19_FILE"
log "verify, level-19 archive"
# One archive decodes in ~0.1 s, where scheduling noise is a large share: more runs.
verify_case verify-l19 l19 19 "$((REPS * 3))" "$(bytes_of "$L19_FILE")"

log "peak memory vs file size, level 3: small / large / xl"
mem_case mem-l3-small 3 "$REPS" "$SMALL"
mem_case mem-l3-large 3 "$REPS" "$L19_FILE"
mem_case mem-l3-xl 3 "$REPS" "$XL"
log "peak memory vs file size, level 19: small (large comes from the level-19 case)"
mem_case mem-l19-small 19 1 "$SMALL"

cp "$RUNS" "$RESULTS/runs.jsonl"
python3 bench/report.py "$RUNS" "$RESULTS" \
    --threads "$THREADS" --elapsed "$((SECONDS - started))" \
    --corpus "$CORPUS" --l19-file "$(basename "$L19_FILE")" \
    --small "$(basename "$SMALL"):$(bytes_of "$SMALL")" --large "$(basename "$L19_FILE"):$(bytes_of "$L19_FILE")" \
    --xl "$(basename "$XL"):$(bytes_of "$XL")" \
    --zstd-version "$(zstd -V | sed -n 's/.*\(v[0-9.]*\).*/\1/p')" \
    --openssl-version "$(openssl version | cut -d' ' -f1-2)" \
    --dotnet-version "$(dotnet --version)" \
    --git "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
log "done in $((SECONDS - started)) s; report in bench/results/latest.md"
