#!/usr/bin/env bash
# The TLS figures of docs/BENCHMARKS.md: cached groups.get over TLS against plaintext at 32
# connections, and hello on a new connection with and without TLS (the handshake's cost), in one
# sitting, release builds, alternating plaintext and TLS runs on the same database.
#
#   scripts/benchmark_tls.sh        # ~3 minutes; results in $OUT (default ./bench-results/tls)
#
# Loopback only. Throwaway certificates are made in a temporary folder (never committed); every
# server started here is stopped by its PID on exit; every run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench-results/tls}
WORK=$(mktemp -d)
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
mkdir -p "$OUT"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

swift build -c release >/dev/null
B=$(swift build -c release --show-bin-path)

# A CA and a server certificate for 127.0.0.1 (P-256, as in the tests).
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -days 2 -subj "/CN=bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req "${ec[@]}" -keyout "$WORK/server.key" -out "$WORK/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$WORK/server.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -set_serial 0x1 -days 2 \
    -extfile "$WORK/server.ext" -out "$WORK/server.pem" 2>/dev/null

serve() {
    rm -f "$WORK/port"
    "$B/parleyd" serve --db "$WORK/bench.db" --listen 127.0.0.1:0 --port-file "$WORK/port" --key-rate-limit 0 "$@" \
        >>"$WORK/parleyd.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
    PORT=$(cat "$WORK/port")
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
bench() {
    local name=$1; shift
    echo "-- $name"
    timeout 400 "$B/parley-bench" --server "127.0.0.1:$PORT" --api-key "$KEY" --json-out "$OUT/$name.json" "$@"
}

KEY=$("$B/parleyd" init --db "$WORK/bench.db" 2>/dev/null)
TLS=(--tls-ca "$WORK/ca.pem")
for round in $(seq "$ROUNDS"); do
    serve
    bench "get-plaintext-$round" --method get --objects 1000 --connections 32 --duration "$DURATION"
    bench "hello-plaintext-$round" --compare-hello-keys 100
    stop
    serve --tls-cert "$WORK/server.pem" --tls-key "$WORK/server.key"
    bench "get-tls-$round" --method get --objects 1000 --connections 32 --duration "$DURATION" "${TLS[@]}"
    bench "hello-tls-$round" --compare-hello-keys 100 "${TLS[@]}"
    stop
done
echo "results in $OUT"
