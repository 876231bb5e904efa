#!/usr/bin/env python3
"""Opens N authenticated connections to parleyd, keeps them idle, and prints the server's RSS.

usage: idle_connections.py HOST:PORT API_KEY SERVER_PID [N]

Each connection sends `hello` and reads its answer, then stays open without traffic. The
server's VmRSS is read from /proc before and after. Loopback use only; all sockets close at exit.
"""
import json
import resource
import socket
import struct
import sys
import time


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def hello(address: tuple, key: str) -> socket.socket:
    sock = socket.create_connection(address, timeout=10)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "hello",
                       "params": {"api_key": key, "protocol_version": 1, "client": "idle-connections"}}).encode()
    sock.sendall(struct.pack(">I", len(body)) + body)
    header = b""
    while len(header) < 4:
        header += sock.recv(4 - len(header))
    (length,) = struct.unpack(">I", header)
    payload = b""
    while len(payload) < length:
        payload += sock.recv(length - len(payload))
    if "result" not in json.loads(payload):
        raise RuntimeError(f"hello failed: {payload[:200]!r}")
    return sock


def main() -> None:
    host, port = sys.argv[1].rsplit(":", 1)
    key, pid = sys.argv[2], int(sys.argv[3])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 64)), hard))
    before = rss_kib(pid)
    sockets = [hello((host, int(port)), key) for _ in range(count)]
    time.sleep(2)
    after = rss_kib(pid)
    print(json.dumps({"connections": len(sockets), "rss_before_kib": before, "rss_after_kib": after}))
    for sock in sockets:
        sock.close()


if __name__ == "__main__":
    main()
