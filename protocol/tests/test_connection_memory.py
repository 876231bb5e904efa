"""Connections that answered requests are freed when they close (found by the 30-minute soak).

Every connection that processed a request kept a reference to itself, so it stayed in memory
after it closed: about 5 KB per connection plus the state of its requests. A client that connects,
pings and disconnects 20 times a second grew the server by 10 MB a minute. Here 3,000 such
connections (after 500 to warm the allocator up) must leave RSS within a few MB of where it was;
before the fix they added about 17 MB. Loopback only; bounded in count.
"""

from __future__ import annotations

import socket
import time

import harness
from abuse_helpers import rss_mib

PINGS = harness.frame(b'{"jsonrpc":"2.0","id":1,"method":"ping"}') * 5


def connect_ping_close(port: int, count: int) -> None:
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(PINGS)
        received = b""
        while received.count(b'"result"') < 5:
            chunk = sock.recv(65536)
            assert chunk, "the server closed before answering"
            received += chunk
        sock.close()


def test_closed_connections_that_answered_requests_are_freed(make_server):
    server = make_server("--auth-max-failures", "0")
    connect_ping_close(server.port, 500)
    time.sleep(1)
    before = rss_mib(server.pid)
    connect_ping_close(server.port, 3000)
    time.sleep(1)
    after = rss_mib(server.pid)
    assert after - before < 6, f"RSS grew from {before:.1f} to {after:.1f} MiB over 3,000 closed connections"
