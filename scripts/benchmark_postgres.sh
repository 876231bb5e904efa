#!/usr/bin/env bash
# The PostgreSQL figures of docs/BENCHMARKS.md, one sitting, release builds: groups.get on the
# SQLite store and on a PostgreSQL replica (32 connections), groups.create on PostgreSQL, two
# replicas serving gets at once, and the watch latency from a write on A to its event on B at 100
# writes/s. A throwaway cluster (scripts/pg_cluster.sh) with PostgreSQL's defaults
# (synchronous_commit=on, fsync=on).
#
#   scripts/benchmark_postgres.sh      # ~4 minutes; results in $OUT (default ./bench-results/postgres)
#
# Loopback only; every server started here is stopped by its PID on exit; every run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench-results/postgres}
WORK=$(mktemp -d)
chmod 755 "$WORK"  # the cluster's folder inside it belongs to the postgres user
DURATION=${DURATION:-10}
mkdir -p "$OUT"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    scripts/pg_cluster.sh stop "$WORK/pg" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release >/dev/null
B=$(swift build -c release --show-bin-path)
ADMIN_URL=$(scripts/pg_cluster.sh start "$WORK/pg")
PG=${ADMIN_URL%/postgres}
psql -q "$ADMIN_URL" -c "CREATE DATABASE bench"

# serve NAME --db DB [flags]: starts parleyd; sets PORT_<NAME>.
serve() {
    local name=$1; shift
    rm -f "$WORK/port-$name"
    "$B/parleyd" serve --listen 127.0.0.1:0 --port-file "$WORK/port-$name" --key-rate-limit 0 "$@" >>"$WORK/parleyd-$name.log" 2>&1 &
    PIDS+=($!)
    eval "PID_$name=$!"
    for _ in $(seq 100); do [ -s "$WORK/port-$name" ] && break; sleep 0.1; done
    eval "PORT_$name=$(cat "$WORK/port-$name")"
}
stop() { local pid; eval "pid=\$PID_$1"; kill "$pid"; wait "$pid" 2>/dev/null || true; }
bench() {
    local name=$1 port=$2 key=$3; shift 3
    echo "-- $name"
    timeout 400 "$B/parley-bench" --server "127.0.0.1:$port" --api-key "$key" --json-out "$OUT/$name.json" "$@"
}

echo "== SQLite, then one PostgreSQL replica: groups.get, 32 connections"
SQLITE_KEY=$("$B/parleyd" init --db "$WORK/bench.db" 2>/dev/null)
serve sqlite --db "$WORK/bench.db"
bench get-sqlite "$PORT_sqlite" "$SQLITE_KEY" --method get --objects 1000 --connections 32 --duration "$DURATION"
stop sqlite
PG_KEY=$("$B/parleyd" init --db "$PG/bench" 2>/dev/null)
serve a --db "$PG/bench"
bench get-postgres "$PORT_a" "$PG_KEY" --method get --objects 1000 --connections 32 --duration "$DURATION"
bench create-postgres "$PORT_a" "$PG_KEY" --method create --connections 32 --duration "$DURATION"

echo "== two replicas on one database"
serve b --db "$PG/bench"
bench get-replica-a "$PORT_a" "$PG_KEY" --method get --objects 1000 --connections 16 --duration "$DURATION" &
BA=$!
bench get-replica-b "$PORT_b" "$PG_KEY" --method get --objects 1000 --connections 16 --duration "$DURATION"
wait "$BA"
echo "-- watch latency, writes on A, watch on B, 100 writes/s"
timeout 120 python3 scripts/replica_latency.py "127.0.0.1:$PORT_a" "127.0.0.1:$PORT_b" "$PG_KEY" --rate 100 --seconds 20 \
    --json-out "$OUT/replica-watch-latency.json"
stop a
stop b
echo "results in $OUT"
