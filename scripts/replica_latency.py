#!/usr/bin/env python3
"""Watch latency across replicas: writes on replica A at a steady rate, a watch on replica B, and
the time from sending each write on A to its watch.event on B (and from its acknowledgement on A).

    python3 scripts/replica_latency.py HOST:PORT_A HOST:PORT_B API_KEY [--rate 100] [--seconds 20]

Prints and writes (--json-out) p50/p99/max in milliseconds. Bounded in count and time; loopback.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "clients" / "python" / "src"))
from parley_client import Client  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("key")
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json-out")
    args = parser.parse_args()
    host_a, port_a = args.a.rsplit(":", 1)
    host_b, port_b = args.b.rsplit(":", 1)
    writer = Client(host_a, int(port_a), args.key, timeout=10)
    watcher = Client(host_b, int(port_b), args.key, timeout=10)
    tenant = writer.call("tenants.create", slug=f"latency-{int(time.time())}", name="Latency")["id"]
    sent, acked, seen = {}, {}, {}
    total = int(args.rate * args.seconds)
    done = threading.Event()

    def watch() -> None:
        with watcher.watch(tenant_id=tenant, families=["groups"]) as events:
            while len(seen) < total:
                event = events.next_event(timeout=15)
                if event is None:
                    break
                seen[event["object"]["name"]] = time.monotonic()
        done.set()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    time.sleep(0.5)
    start = time.monotonic()
    for index in range(total):
        due = start + index / args.rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        name = f"g-{index}"
        sent[name] = time.monotonic()
        writer.call("groups.create", tenant_id=tenant, name=name)
        acked[name] = time.monotonic()
    done.wait(timeout=30)
    from_send = [(seen[n] - sent[n]) * 1000 for n in sent if n in seen]
    from_ack = [max(0.0, seen[n] - acked[n]) * 1000 for n in acked if n in seen]
    write = [(acked[n] - sent[n]) * 1000 for n in sent]
    result = {
        "writes": total, "events_seen": len(seen), "rate": args.rate,
        "write_ms": {"p50": percentile(write, 0.5), "p99": percentile(write, 0.99), "max": max(write)},
        "send_to_event_ms": {"p50": percentile(from_send, 0.5), "p99": percentile(from_send, 0.99), "max": max(from_send, default=None)},
        "ack_to_event_ms": {"p50": percentile(from_ack, 0.5), "p99": percentile(from_ack, 0.99), "max": max(from_ack, default=None)},
    }
    print(json.dumps(result, indent=2))
    if args.json_out:
        pathlib.Path(args.json_out).write_text(json.dumps(result, indent=2) + "\n")
    writer.call("tenants.delete", id=tenant, cascade=True)
    writer.close()
    watcher.close()
    return 0 if len(seen) == total else 1


if __name__ == "__main__":
    sys.exit(main())
