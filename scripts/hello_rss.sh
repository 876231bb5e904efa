#!/usr/bin/env bash
# RSS of parleyd around argon2 work: idle after start, right after 100 cold hellos (argon2id, a new
# key each), then every 10 s for a minute. Release build, loopback, the server stopped by its PID.
#
#   scripts/hello_rss.sh            # ~1.5 minutes; JSON on stdout and in $OUT/hello-rss.json
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench-results}
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$OUT"
swift build -c release >/dev/null
B=$(swift build -c release --show-bin-path)
KEY=$("$B/parleyd" init --db "$WORK/rss.db" 2>/dev/null)
"$B/parleyd" serve --db "$WORK/rss.db" --listen 127.0.0.1:0 --port-file "$WORK/port" --key-rate-limit 0 >"$WORK/log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }
sleep 2
idle=$(rss)
timeout 300 "$B/parley-bench" --server "127.0.0.1:$(cat "$WORK/port")" --api-key "$KEY" --compare-hello-keys 100 >/dev/null
after=$(rss)
later=()
for _ in 1 2 3 4 5 6; do sleep 10; later+=("$(rss)"); done
json=$(printf '{"idle_rss_kib": %s, "after_100_cold_hellos_kib": %s, "every_10s_kib": [%s]}' "$idle" "$after" "$(IFS=,; echo "${later[*]}")")
echo "$json" | tee "$OUT/hello-rss.json"
