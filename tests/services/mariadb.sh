#!/usr/bin/env bash
# Throwaway MariaDB for tests, fixtures and the bench: a plain process (not systemd) on
# 127.0.0.1 with its own datadir under a temp folder, binary logging and GTIDs on.
#
#   tests/services/mariadb.sh start [BASEDIR]   start one; prints `export BINLOG_TEST_MARIADB_*=...`
#                                               lines for eval (BASEDIR defaults to a new mktemp -d)
#   tests/services/mariadb.sh stop BASEDIR      shut it down (idempotent) and remove BASEDIR
#   tests/services/mariadb.sh env BASEDIR       print the export lines again
#
# Usage from a script:  eval "$(tests/services/mariadb.sh start)"; ...; tests/services/mariadb.sh stop "$BINLOG_TEST_MARIADB_BASEDIR"
# Progress and errors go to stderr so stdout stays eval-able.
set -euo pipefail

log() { echo "mariadb.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Debian ships the server binaries in /usr/sbin, which a non-login root shell may lack.
PATH="$PATH:/usr/sbin:/sbin"

START_TIMEOUT="${BINLOG_TEST_MARIADB_START_TIMEOUT:-30}"

free_port() {
    # Ask the kernel for a free port rather than guessing one: several sessions (and CI) may
    # run servers on this machine at once. Tiny race between close and mariadbd's bind is
    # acceptable; a clash shows up as a failed start with the error log printed.
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
    else
        local p
        for _ in $(seq 1 50); do
            p=$(( 20000 + RANDOM % 30000 ))
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
        done
        die "no free port found"
    fi
}

print_env() {
    local base="$1"
    [ -f "$base/env" ] || die "$base/env not found (server not started from $base?)"
    cat "$base/env"
}

start() {
    local base="${1:-}"
    if [ -z "$base" ]; then
        # Short path on purpose: the unix socket path must stay under ~107 bytes.
        base="$(mktemp -d "${TMPDIR:-/tmp}/binlogtest.XXXXXX")"
    fi
    mkdir -p "$base"
    base="$(cd "$base" && pwd)"
    local datadir="$base/data" socket="$base/mysqld.sock" errlog="$base/error.log" pidfile="$base/mysqld.pid"
    local port
    port="$(free_port)"

    command -v mariadb-install-db >/dev/null || die "mariadb-install-db not found (apt-get install mariadb-server)"
    command -v mariadbd >/dev/null || die "mariadbd not found (apt-get install mariadb-server)"

    # --no-defaults everywhere: /etc/mysql/my.cnf (Debian's) would otherwise add its socket,
    # datadir and bind settings and clash with a system server or another test server.
    if [ -d "$datadir/mysql" ]; then
        # Restart on an existing datadir (the fixture generator does this to let the server
        # describe the file its shutdown closed with a STOP event).
        log "reusing datadir $datadir"
    else
        log "initialising datadir $datadir"
        if ! mariadb-install-db --no-defaults --user=root --datadir="$datadir" \
                --auth-root-authentication-method=normal --skip-test-db \
                >"$base/install.log" 2>&1; then
            cat "$base/install.log" >&2
            die "mariadb-install-db failed"
        fi
    fi

    log "starting mariadbd on 127.0.0.1:$port (socket $socket)"
    # setsid: its own process group, so a Ctrl-C aimed at the caller's foreground job does not
    # kill the server before the caller's trap shuts it down cleanly (a clean shutdown writes
    # the final STOP event; a SIGKILL would leave the last binlog "in use").
    # --log-slave-updates + --gtid-strict-mode: what a real primary/replica pair would run.
    # --binlog-format=ROW is only the default; tests switch per session to STATEMENT.
    # --skip-name-resolve / --skip-grant-tables are NOT used: the client logs in as root
    # over the socket with an empty password (auth method "normal" above).
    setsid mariadbd --no-defaults --user=root \
        --datadir="$datadir" --socket="$socket" --pid-file="$pidfile" \
        --port="$port" --bind-address=127.0.0.1 \
        --log-error="$errlog" \
        --log-bin=mysql-bin --server-id=1 --log-slave-updates \
        --gtid-strict-mode=ON --binlog-format=ROW \
        --max-binlog-size=64M \
        --innodb-buffer-pool-size=64M --innodb-log-file-size=48M \
        --performance-schema=OFF --skip-name-resolve \
        </dev/null >>"$base/mariadbd.out" 2>&1 &
    local pid=$!
    echo "$pid" >"$base/launcher.pid"

    local i
    for ((i = 0; i < START_TIMEOUT * 4; i++)); do
        if mariadb-admin --no-defaults --socket="$socket" --user=root ping >/dev/null 2>&1; then
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            log "mariadbd exited during start-up; error log follows"
            cat "$errlog" "$base/mariadbd.out" >&2 2>/dev/null || true
            die "MariaDB did not start"
        fi
        sleep 0.25
    done
    if ! mariadb-admin --no-defaults --socket="$socket" --user=root ping >/dev/null 2>&1; then
        log "no answer within ${START_TIMEOUT}s; error log follows"
        cat "$errlog" >&2 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
        die "MariaDB did not answer mariadb-admin ping"
    fi

    cat >"$base/env" <<EOF
export BINLOG_TEST_MARIADB_BASEDIR='$base'
export BINLOG_TEST_MARIADB_DATADIR='$datadir'
export BINLOG_TEST_MARIADB_SOCKET='$socket'
export BINLOG_TEST_MARIADB_PORT='$port'
export BINLOG_TEST_MARIADB_PID='$pid'
EOF
    log "ready: $(mariadb --no-defaults --socket="$socket" --user=root --batch --skip-column-names -e 'SELECT VERSION()')"
    print_env "$base"
}

stop() {
    local base="${1:-}"
    [ -n "$base" ] || die "usage: $0 stop BASEDIR"
    if [ ! -d "$base" ]; then return 0; fi
    local socket="$base/mysqld.sock" pid=""
    [ -f "$base/launcher.pid" ] && pid="$(cat "$base/launcher.pid")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        # Clean shutdown first (writes STOP_EVENT to the last binlog), then escalate.
        mariadb-admin --no-defaults --socket="$socket" --user=root shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 120; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "mariadbd $pid did not stop in 30 s; killing it"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    if [ "${BINLOG_TEST_KEEP_TEMP:-0}" = "1" ]; then
        log "keeping $base (BINLOG_TEST_KEEP_TEMP=1)"
    else
        rm -rf "$base"
    fi
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    env) shift; print_env "${1:?usage: $0 env BASEDIR}" ;;
    *) echo "usage: $0 start [BASEDIR] | stop BASEDIR | env BASEDIR" >&2; exit 2 ;;
esac
