#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, on a free loopback port, stopped by its PID.
#
#   scripts/pg_cluster.sh start DIR     initdb in DIR/data (as the postgres user when run as root:
#                                       PostgreSQL refuses root), start it; prints the admin URL
#   scripts/pg_cluster.sh stop DIR      fast shutdown by the postmaster's PID (SIGINT), bounded
#   scripts/pg_cluster.sh restart DIR   stop, then start on the same port and data
#
# Host connections use scram-sha-256 with user parley / password parley-test (so that a wrong
# password can be tested); nothing listens beyond 127.0.0.1.
set -euo pipefail
cmd=${1:?start|stop|restart}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg_cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 3; }
# The postmaster outlives this script and keeps every descriptor it inherits: close all but
# 0-2, so that it holds none of the caller's (a test runner waiting for this script to end would
# otherwise wait for PostgreSQL to stop).
for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
    local port
    if [ ! -d "$dir/data" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
        as_pg test -w "$dir" || { echo "pg_cluster: the postgres user cannot write $dir (are its parents searchable?)" >&2; exit 1; }
        printf 'parley-test\n' | as_pg tee "$dir/pw" >/dev/null
        as_pg "$bin/initdb" -D "$dir/data" -U parley --pwfile="$dir/pw" --auth-host=scram-sha-256 --auth-local=trust \
            -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        echo "$port" | as_pg tee "$dir/port" >/dev/null
    fi
    port=$(cat "$dir/port")
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB" start \
        </dev/null >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/server.log" >&2; exit 1; }
    # (the postmaster keeps pg_ctl's descriptors: none of them may be the caller's pipes)
    echo "postgres://parley:parley-test@127.0.0.1:$port/postgres"
}

stop() {
    [ -f "$dir/data/postmaster.pid" ] || return 0
    local pid
    pid=$(head -1 "$dir/data/postmaster.pid")
    kill -INT "$pid" 2>/dev/null || return 0
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    *) echo "usage: $0 start|stop|restart DIR" >&2; exit 2 ;;
esac
