#!/usr/bin/env bash
# The benchmark sitting behind docs/BENCHMARKS.md: Redis as the loopback reference, then parleyd,
# all on this machine, release builds. Results go to $OUT (default ./bench-results) as JSON.
#
#   scripts/benchmark.sh            # everything, with 1,000 and 1,000,000 stored groups (~20 min)
#   SKIP_MILLION=1 scripts/benchmark.sh
#   ONLY=cpu scripts/benchmark.sh   # Redis and parleyd through the same load generator, with the
#                                   # servers' CPU per request (issue 14), ~4 min
#
# Every parley-bench run reports the server's CPU time per request (--server-pid, from /proc).
# Runs named *-light read each response only as far as its id and outcome (--light-client), as
# the Redis runs read a reply's length only: the load generator shares the two cores.
#
# Loopback only. Every server started here is stopped by its PID on exit; every run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench-results}
WORK=$(mktemp -d)
DURATION=${DURATION:-10}
mkdir -p "$OUT"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

swift build -c release >/dev/null
B=$(swift build -c release --show-bin-path)

echo "== redis-server (Debian), the loopback request/response reference"
command -v redis-server >/dev/null || sudo apt-get install -y redis-server >/dev/null
redis-server --port 6391 --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
for _ in $(seq 50); do redis-cli -p 6391 ping >/dev/null 2>&1 && break; sleep 0.1; done
[ -n "${ONLY:-}" ] || redis-benchmark -h 127.0.0.1 -p 6391 -t get,set -c 32 -n 200000 -q --csv | tee "$OUT/redis.csv"
echo "-- redis-get (parley-bench, the same lanes as parleyd's runs)"
"$B/parley-bench" --redis --server 127.0.0.1:6391 --server-pid "$REDIS_PID" --connections 32 --duration "$DURATION" \
    --json-out "$OUT/redis-get.json"
kill "$REDIS_PID"

# Starts parleyd on database $1 with extra flags; sets PORT and SERVER_PID.
serve() {
    local db=$1; shift
    rm -f "$WORK/port"
    "$B/parleyd" serve --db "$db" --listen 127.0.0.1:0 --port-file "$WORK/port" --key-rate-limit 0 "$@" >>"$WORK/parleyd.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
    PORT=$(cat "$WORK/port")
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }
bench() {
    local name=$1; shift
    echo "-- $name"
    "$B/parley-bench" --server "127.0.0.1:$PORT" --api-key "$KEY" --server-pid "$SERVER_PID" --json-out "$OUT/$name.json" "$@"
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

echo "== parleyd, 1,000 stored groups"
DB=$WORK/small.db
KEY=$("$B/parleyd" init --db "$DB" 2>/dev/null)
serve "$DB"
sleep 2
if [ -n "${ONLY:-}" ]; then
    for light in "" "--light-client"; do
        suffix=${light:+-light}
        bench "tenants-get$suffix" --method tenants.get --duration "$DURATION" $light
        bench "get-1k$suffix" --method get --objects 1000 --duration "$DURATION" $light
        bench "list-1k$suffix" --method list --objects 1000 --duration "$DURATION" $light
        bench "mix$suffix" --mix get=80,list=10,create=5,update=5 --objects 1000 --duration "$DURATION" $light
    done
    stop
    echo "results in $OUT"
    exit 0
fi
echo "{\"idle_rss_kib\": $(rss_kib "$SERVER_PID")}" | tee "$OUT/idle-rss.json"
python3 scripts/idle_connections.py "127.0.0.1:$PORT" "$KEY" "$SERVER_PID" 1000 | tee "$OUT/idle-connections.json"
bench ping --method ping --duration "$DURATION"
bench tenants-get --method tenants.get --duration "$DURATION"
bench get-1k --method get --objects 1000 --duration "$DURATION"
bench get-1k-light --method get --objects 1000 --duration "$DURATION" --light-client
bench list-1k --method list --objects 1000 --duration "$DURATION"
bench list-1k-light --method list --objects 1000 --duration "$DURATION" --light-client
bench get-1k-paced --method get --objects 1000 --duration "$DURATION" --rate 5000
bench mix --mix get=80,list=10,create=5,update=5 --objects 1000 --duration "$DURATION"
bench mix-light --mix get=80,list=10,create=5,update=5 --objects 1000 --duration "$DURATION" --light-client
bench mix-hello --mix get=90,hello=10 --objects 1000 --duration "$DURATION"
bench create-grouped --method create --duration "$DURATION"
bench hello-compare --compare-hello-keys 100
stop
serve "$DB" --no-group-commit
bench create-one-per-transaction --method create --duration "$DURATION"
stop

if [ -z "${SKIP_MILLION:-}" ]; then
    echo "== parleyd, 1,000,000 stored groups (seeding takes about 2 minutes)"
    DB=$WORK/large.db
    KEY=$("$B/parleyd" init --db "$DB" 2>/dev/null)
    serve "$DB"
    "$B/parley-bench" --server "127.0.0.1:$PORT" --api-key "$KEY" --method get --objects 1000000 --duration 1 >/dev/null
    stop
    serve "$DB"
    bench get-1m --method get --objects 1000000 --duration "$DURATION"
    bench get-1m-paced --method get --objects 1000000 --duration "$DURATION" --rate 5000
    echo "{\"rss_kib_after_1m_gets\": $(rss_kib "$SERVER_PID")}" | tee "$OUT/rss-1m.json"
    stop
fi
echo "results in $OUT"
