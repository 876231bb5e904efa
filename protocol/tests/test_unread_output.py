"""Clients that send without reading (issue 11, "Unauthenticated memory growth and stuck slots").

A client with a small receive buffer that never reads and sends requests back to back used to
make the server buffer every response: 33 MB -> 485 MB in 8 s, and past the hello deadline the
connection stayed open for as long as the client did not read. Now unsent output per connection
is bounded (reading and starting stop above 64 KiB before hello, 4 MiB after), a connection whose
output stays above that mark is closed after --output-stall-timeout, and a closing connection is
gone within its close timeout (2 s) whatever the peer does.

Every flood is bounded in time; everything is on loopback; RSS is read from /proc.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

import harness
from abuse_helpers import BUSY, rss_mib

PING = harness.frame(b'{"jsonrpc":"2.0","id":1,"method":"ping"}')
#: 64 `server.info` calls: 2.7 KB in, about 40 KB out (the amplification of issue 18's report).
INFO_BATCH = harness.frame(("[" + ",".join(
    '{"jsonrpc":"2.0","id":%d,"method":"server.info"}' % i for i in range(64)) + "]").encode())
LIST_BATCH = harness.frame(("[" + ",".join(
    '{"jsonrpc":"2.0","id":%d,"method":"tenants.list","params":{"limit":1000}}' % i for i in range(64)) + "]").encode())


def stalled_socket(server) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    sock.setblocking(False)
    return sock


def flood(sockets: list[socket.socket], data: bytes, seconds: float, pid: int) -> list[tuple[float, float]]:
    """Sends `data` back to back on every socket (a thread each) for `seconds`, never reading;
    returns (seconds since start, RSS MiB) samples taken every 0.25 s."""
    blob = data * max(1, 65536 // len(data))
    started = time.monotonic()
    deadline = started + seconds

    def send_all(sock: socket.socket):
        while time.monotonic() < deadline:
            try:
                sock.send(blob)
            except (BlockingIOError, InterruptedError):
                time.sleep(0.0005)
            except OSError:
                return  # closed by the server

    threads = [threading.Thread(target=send_all, args=(sock,), daemon=True) for sock in sockets]
    for thread in threads:
        thread.start()
    samples = []
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - started, rss_mib(pid)))
        time.sleep(0.25)
    for thread in threads:
        thread.join(timeout=5)
    samples.append((time.monotonic() - started, rss_mib(pid)))
    return samples


def rss_at(samples, second: float) -> float:
    return next(rss for at, rss in samples if at >= second)


def peer_closed(sock: socket.socket) -> bool:
    """Whether the server closed or reset the connection (TCP state read without reading data)."""
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    return info[0] in (7, 8)  # TCP_CLOSE (reset), TCP_CLOSE_WAIT (FIN received)


def wait_until_closed(sockets: list[socket.socket], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(peer_closed(sock) for sock in sockets):
            return True
        time.sleep(0.05)
    return all(peer_closed(sock) for sock in sockets)


def test_clients_that_never_say_hello_nor_read_stay_bounded_and_are_gone_after_the_hello_deadline(make_server):
    count = 8
    server = make_server("--hello-timeout", "8", "--max-connections", str(count), "--auth-max-failures", "0")
    time.sleep(0.3)
    before = rss_mib(server.pid)
    sockets = [stalled_socket(server) for _ in range(count)]
    try:
        samples = flood(sockets, INFO_BATCH, 7.0, server.pid)
        peak = max(rss for _, rss in samples)
        late = peak - rss_at(samples, 2.0)
        print(f"\nRSS {before:.1f} MiB -> {rss_at(samples, 2.0):.1f} after 2 s -> peak {peak:.1f} MiB with {count} flooding clients")
        # The bound per connection before hello: 64 KiB of unsent output plus what is in flight
        # (one batch of answers), one read's worth of queued frames and the socket buffers.
        assert peak - before < count * 1 + 16, f"RSS grew by {peak - before:.1f} MiB"
        assert late < 4, f"memory keeps growing while the clients do not read: +{late:.1f} MiB after the first 2 s"
        # hello deadline (8 s) + close timeout (2 s) + a tick, counted from the flood's end (7 s)
        assert wait_until_closed(sockets, 6.0), "every stuck connection is closed although none reads"
        with server.connect() as conn:  # the slots are free again
            assert conn.request("ping", id="after")["result"] == {}
    finally:
        for sock in sockets:
            sock.close()


def test_an_authenticated_client_that_does_not_read_is_closed_after_the_stall_timeout(make_server):
    server = make_server("--output-stall-timeout", "2", "--auth-max-failures", "0", "--key-rate-limit", "0")
    with server.connect() as admin:  # some data, so that each list answer is a few KiB
        admin.hello(server.admin_key)
        for index in range(30):
            assert "result" in admin.request("tenants.create", {"slug": f"t{index}", "name": "T" * 100}, id=index)
    time.sleep(0.3)
    before = rss_mib(server.pid)
    sockets = []
    try:
        for _ in range(4):
            sock = stalled_socket(server)
            sock.setblocking(True)
            sock.settimeout(10)
            conn = harness.Connection(sock)
            conn.hello(server.admin_key)
            sock.setblocking(False)
            sockets.append(sock)
        samples = flood(sockets, LIST_BATCH, 5.0, server.pid)
        peak = max(rss for _, rss in samples)
        growth = peak - before
        print(f"\nRSS {before:.1f} MiB -> peak {peak:.1f} MiB with 4 authenticated clients not reading")
        # The bound after hello: 16 MiB (four times the 4 MiB mark) of unsent output per connection.
        assert growth < 4 * 16 + 24, f"RSS grew by {growth:.1f} MiB"
        assert wait_until_closed(sockets, 8.0), "connections whose output stalls are closed"
        with server.connect() as conn:
            conn.hello(server.admin_key)
            assert "result" in conn.request("tenants.list", {"limit": 1}, id="after")
        assert "the client has not read its responses in time" in server.log_text() \
            or "the client's unread responses passed the limit" in server.log_text()
    finally:
        for sock in sockets:
            sock.close()


def test_a_slow_watch_consumer_that_never_reads_is_gone_by_the_close_timeout(make_server):
    """`watch.closed slow_consumer` is the connection's last frame; a client that never reads it
    used to keep the connection open for as long as it did not read. Now it is closed (reset)
    within the close timeout."""
    server = make_server("--auth-max-failures", "0", "--key-rate-limit", "0")
    sock = stalled_socket(server)
    sock.setblocking(True)
    sock.settimeout(10)
    watcher = harness.Connection(sock)
    watcher.hello(server.admin_key)
    assert "result" in watcher.request("watch.subscribe", {}, id="watch")
    sock.setblocking(False)
    with server.connect() as admin:
        admin.hello(server.admin_key)
        # each seeded tenant is ~95 events (~30 KB): a few hundred pass the kernel's buffers and
        # the 4 MiB cap; stop as soon as the server gave up on the watcher
        deadline = time.monotonic() + 60
        for index in range(800):
            if time.monotonic() > deadline:
                break
            assert "result" in admin.request("tenants.create", {"slug": f"w{index}", "name": "W"}, id=index)
            if peer_closed(sock):
                break
    try:
        assert wait_until_closed([sock], 8.0), "the slow consumer is disconnected without reading a byte"
        assert "slow_consumer" in server.log_text() or "the last frame was not taken in time" in server.log_text() \
            or "unread responses" in server.log_text()
    finally:
        sock.close()
