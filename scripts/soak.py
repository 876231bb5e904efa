#!/usr/bin/env python3
"""A soak of parleyd under the benchmark mix with abusive clients alongside (issue 11). Not run in CI.

    scripts/soak.py                        # 30 minutes, release build, results in ./soak-results
    scripts/soak.py --minutes 5 --out /tmp/soak

Well-behaved load: `parley-bench` with the get=80,list=10,create=5,update=5 mix, paced at
--rate calls/s over 16 connections, in one-minute runs back to back (each run's p50/p99/max and
errors are one point of the latency plot). Alongside it, each in its own thread, the abuse cases
of issue 11 and 18, repeated for the whole soak:

- floods without hello through a 4 KiB receive buffer, never reading, then a reset (issues 18, 11.1);
- hellos with bad keys from one address (the throttle) and with unknown key ids;
- a watcher that subscribes and never reads (a slow consumer);
- a re-hello with another key on a watching connection (11.2);
- config.apply of a 5,000-group fallback chain, dry run, every 20 s (11.3);
- pipelined api_keys.create dry runs (11.4);
- random disconnects mid-frame.

RSS of the server is sampled every second. At the end: soak.csv (RSS), runs.csv (latency per
run), soak.svg (both plotted over time) and a summary on stdout. Loopback only; the server and
every load run are stopped by PID; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pathlib
import random
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "protocol" / "tests"))
import harness  # noqa: E402  (the protocol tests' framing helpers and server wrapper)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Abuser(threading.Thread):
    """Runs `action` over and over until stopped (at most `limit` times), counting failures of its own."""

    def __init__(self, name, action, stop, limit=1_000_000, pause=0.0):
        super().__init__(name=name, daemon=True)
        self.action, self.stop, self.limit, self.pause = action, stop, limit, pause
        self.rounds = 0
        self.errors = 0
        self.first_error = None

    def run(self):
        while not self.stop.is_set() and self.rounds < self.limit:
            try:
                self.action()
            except (OSError, AssertionError, ValueError, harness.Closed) as error:
                self.errors += 1
                self.first_error = self.first_error or repr(error)[:200]
            self.rounds += 1
            if self.pause:
                self.stop.wait(self.pause)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=int, default=2000, help="calls/s offered by the well-behaved load")
    parser.add_argument("--out", default=str(ROOT / "soak-results"))
    parser.add_argument("--bin", default=None, help="directory with parleyd and parley-bench (default: a release build)")
    parser.add_argument("--abusers", default="all",
                        help="comma-separated abuser names to run (default all; 'none' for the load alone), "
                             "to find which one a trend comes from")
    parser.add_argument("--read-cache-objects", type=int, default=5000,
                        help="parleyd's read cache; small, so that a filling cache does not look like growth")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.bin:
        bin_dir = pathlib.Path(args.bin)
    else:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        bin_dir = pathlib.Path(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                                              check=True, capture_output=True, text=True).stdout.strip())
    os.environ["PARLEY_BIN_DIR"] = str(bin_dir)
    work = pathlib.Path(tempfile.mkdtemp(prefix="parley-soak-"))
    server = harness.Server(work, ["--key-rate-limit", "0", "--max-frame-bytes", str(4 << 20),
                                   "--read-cache-objects", str(args.read_cache_objects)])
    stop = threading.Event()
    deadline = time.monotonic() + args.minutes * 60
    rss_rows, run_rows = [], []
    started = time.monotonic()

    with server.connect() as admin:
        admin.hello(server.admin_key)
        tenant = admin.request("tenants.create", {"slug": "soak-abuse", "name": "Abuse", "seed_blocked_file_types": False})["result"]["id"]
        reader_key = admin.request("api_keys.create", {"name": "soak reader", "role": "TENANT_READER", "tenant_id": tenant})["result"]["api_key"]
        creator_key = admin.request("api_keys.create", {"name": "soak creator", "role": "TENANT_ADMIN", "tenant_id": tenant})["result"]["api_key"]

    info_batch = harness.frame(("[" + ",".join('{"jsonrpc":"2.0","id":%d,"method":"server.info"}' % i for i in range(64)) + "]").encode())

    def flood_without_hello():
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.port))
        sock.setblocking(False)
        until = time.monotonic() + 2
        while time.monotonic() < until:
            try:
                sock.send(info_batch * 8)
            except BlockingIOError:
                time.sleep(0.002)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    def bad_hellos():
        with server.connect() as conn:
            for number in range(5):
                key = "prly_" + uuid.uuid4().hex[:16] + "_" + "A" * 43 if number % 2 else server.admin_key[:-1] + "x"
                conn.request("hello", {"api_key": key, "protocol_version": 1}, id=number, timeout=20)

    def slow_watcher():
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        conn = harness.Connection(sock)
        conn.hello(reader_key)
        conn.request("watch.subscribe", {}, id="w")
        time.sleep(30)  # never reads; the writes of the load and of apply pile up
        conn.close()

    def rehello_watcher():
        with server.connect() as conn:
            conn.hello(server.admin_key)
            conn.request("watch.subscribe", {}, id="w")
            conn.send(harness.frame(harness.compact({"jsonrpc": "2.0", "id": "again", "method": "hello",
                                                     "params": {"api_key": reader_key, "protocol_version": 1}})))
            for _ in range(200):  # events of the old key may precede watch.closed, nothing after it
                message = conn.read_message(timeout=10)
                if message.get("id") == "again":
                    break

    def chain_apply():
        groups = [{"name": "c0"}] + [{"name": f"c{i}", "fallback_group": f"c{i - 1}"} for i in range(1, 5000)]
        with server.connect() as conn:
            conn.hello(server.admin_key)
            conn.request("config.apply", {"tenant_id": tenant, "document": {"version": 1, "groups": groups}, "dry_run": True},
                         id="apply", timeout=120)

    def create_flood():
        with server.connect() as conn:
            conn.hello(creator_key)
            conn.send(b"".join(harness.frame(harness.compact({"jsonrpc": "2.0", "id": i, "method": "api_keys.create",
                                                              "params": {"name": f"f{i}", "role": "TENANT_READER", "dry_run": True}}))
                               for i in range(64)))
            for _ in range(64):
                conn.read_message(timeout=30)

    def random_disconnect():
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        payload = harness.frame(harness.compact({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        sock.send(payload * random.randint(1, 50) + payload[: random.randint(1, len(payload) - 1)])
        if random.random() < 0.5:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    abusers = [
        Abuser("flood-without-hello", flood_without_hello, stop, pause=1),
        Abuser("bad-hellos", bad_hellos, stop, pause=2),
        Abuser("slow-watcher", slow_watcher, stop),
        Abuser("rehello-watcher", rehello_watcher, stop, pause=5),
        Abuser("chain-apply", chain_apply, stop, pause=20),
        Abuser("create-flood", create_flood, stop, pause=3),
        Abuser("random-disconnect", random_disconnect, stop, pause=0.05),
    ]

    if args.abusers != "all":
        wanted = set() if args.abusers == "none" else set(args.abusers.split(","))
        unknown = wanted - {abuser.name for abuser in abusers}
        if unknown:
            raise SystemExit(f"unknown abusers: {', '.join(sorted(unknown))}")
        abusers = [abuser for abuser in abusers if abuser.name in wanted]

    def sample_rss():
        while not stop.is_set():
            rss_rows.append((round(time.monotonic() - started, 1), round(rss_mib(server.pid), 1)))
            stop.wait(1)

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    for abuser in abusers:
        abuser.start()
    bench = bin_dir / "parley-bench"
    number = 0
    try:
        while time.monotonic() + 5 < deadline:
            number += 1
            seconds = int(min(60, deadline - time.monotonic()))
            result_path = work / f"run-{number}.json"
            run_started = time.monotonic() - started
            process = subprocess.Popen([str(bench), "--server", f"127.0.0.1:{server.port}", "--api-key", server.admin_key,
                                        "--connections", "16", "--duration", str(seconds), "--rate", str(args.rate),
                                        "--mix", "get=80,list=10,create=5,update=5", "--json-out", str(result_path)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                process.wait(timeout=seconds + 120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            assert server.process.poll() is None, f"parleyd died:\n{server.log_text()[-3000:]}"
            if result_path.exists():
                total = json.loads(result_path.read_text())["total"]
                run_rows.append((round(run_started, 1), total["requests_per_second"], total["p50_us"], total["p99_us"],
                                 total["max_us"], total["errors"]))
                print(f"run {number} at {run_started / 60:.1f} min: {total['requests_per_second']:.0f}/s, "
                      f"p50 {total['p50_us']} µs, p99 {total['p99_us']} µs, errors {total['errors']}, "
                      f"RSS {rss_rows[-1][1] if rss_rows else 0} MiB", flush=True)
    finally:
        stop.set()
        for abuser in abusers:
            abuser.join(timeout=60)
        sampler.join(timeout=5)
        alive = server.process.poll() is None
        status = server.stop()

    with open(out / "soak.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([("seconds", "rss_mib")] + rss_rows)
    with open(out / "runs.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([("start_seconds", "requests_per_second", "p50_us", "p99_us", "max_us", "errors")] + run_rows)
    (out / "soak.svg").write_text(svg(rss_rows, run_rows, args))
    print(json.dumps({
        "minutes": args.minutes, "alive_at_end": alive, "exit_status": status,
        "rss_mib": {"first": rss_rows[0][1] if rss_rows else None, "max": max((r for _, r in rss_rows), default=None),
                    "last": rss_rows[-1][1] if rss_rows else None},
        "runs": len(run_rows), "worst_p99_us": max((row[3] for row in run_rows), default=None),
        "errors": sum(row[5] for row in run_rows),
        "abusers": {abuser.name: {"rounds": abuser.rounds, "own_errors": abuser.errors, "first_error": abuser.first_error}
                    for abuser in abusers},
    }, indent=1))
    return 0 if alive and status == 0 else 1


def svg(rss_rows, run_rows, args) -> str:
    """Two panels over the same time axis: RSS (MiB) and the well-behaved load's p50/p99 (ms)."""
    width, height, left, gap = 900, 520, 60, 40
    panel = (height - 3 * gap) / 2
    end = max([rss_rows[-1][0] if rss_rows else 1] + [row[0] + 60 for row in run_rows])

    def x(seconds):
        return left + (width - left - 20) * seconds / end

    def polyline(points, top, maximum, colour):
        if not points:
            return ""
        coordinates = " ".join(f"{x(t):.1f},{top + panel - panel * min(v, maximum) / maximum:.1f}" for t, v in points)
        return f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{coordinates}"/>'

    rss_max = max([r for _, r in rss_rows] + [1]) * 1.2
    latency = [(row[0] + 30, row[2] / 1000) for row in run_rows], [(row[0] + 30, row[3] / 1000) for row in run_rows]
    lat_max = max([v for _, v in latency[1]] + [1]) * 1.2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{left}" y="20">parleyd soak: {args.minutes:g} min, mix paced at {args.rate}/s, abusive clients alongside</text>']
    for index, (title, maximum, unit) in enumerate([("RSS", rss_max, "MiB"), ("well-behaved p50 (blue) and p99 (red)", lat_max, "ms")]):
        top = gap + index * (panel + gap)
        parts.append(f'<rect x="{left}" y="{top}" width="{width - left - 20}" height="{panel}" fill="none" stroke="#999"/>')
        parts.append(f'<text x="{left + 5}" y="{top + 14}">{title}</text>')
        for fraction in (0, 0.5, 1):
            parts.append(f'<text x="5" y="{top + panel - panel * fraction + 4:.0f}">{maximum * fraction:.0f} {unit}</text>')
    parts.append(polyline(rss_rows, gap, rss_max, "#2a7"))
    parts.append(polyline(latency[0], 2 * gap + panel, lat_max, "#36c"))
    parts.append(polyline(latency[1], 2 * gap + panel, lat_max, "#c33"))
    for minute in range(0, int(end // 60) + 1, max(1, int(end // 600))):
        parts.append(f'<text x="{x(minute * 60) - 8:.0f}" y="{height - 8}">{minute}m</text>')
    parts.append("</svg>")
    return "\n".join(parts)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
