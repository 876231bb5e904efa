"""Abuse of the server's limits over the wire (issue 6, "Abuse and faults: Limits"): a slowloris
client, connections past the cap, a flood of parallel `hello`s with bad keys, a length prefix of
0xFFFFFFFF, JSON nested 10,000 deep and a 1 MiB string of escapes.

Each test starts its own parleyd with `make_server` (short timeouts, a small connection cap, the
hello throttle on or off) so that none of them disturbs the shared session server. Memory is read
from /proc/<pid>/status. Every loop is bounded in count and in time; everything is on loopback.
"""

from __future__ import annotations

import socket
import time
import uuid

import pytest

import harness
from abuse_helpers import (BUSY, INVALID_PARAMS, PARSE_ERROR, PAYLOAD_TOO_LARGE, RATE_LIMITED, UNAUTHENTICATED,
                           Pinger, parallel_hellos, proc_status, rss_mib)

#: The bound on the server's RSS under these loads (a debug build idles at about 40 MB).
RSS_BOUND_MIB = 200
#: The bound on one ping's round trip on an authenticated connection while the server is under load.
PING_BOUND_S = 2.0


def error_of(message: dict) -> dict:
    assert "error" in message and "result" not in message, f"expected an error response: {message!r}"
    return message["error"]


def assert_error_frame(message: dict, code: int, kind: str, id=None):
    error = error_of(message)
    assert message.get("jsonrpc") == "2.0" and message.get("id", "missing") == id, message
    assert error["code"] == code and error["data"]["kind"] == kind, message
    return error


def unknown_key() -> str:
    """A well-formed key whose key id does not exist."""
    return "prly_Z" + uuid.uuid4().hex[:15] + "_" + "A" * 43


def wrong_secret(token: str) -> str:
    return token[:-1] + ("a" if token[-1] != "a" else "b")


def new_admin_key(server) -> str:
    with server.connect() as conn:
        conn.hello(server.admin_key)
        response = conn.request("api_keys.create", {"name": "abuse-" + uuid.uuid4().hex[:8], "role": "ADMIN"})
        assert "result" in response, response
        return response["result"]["api_key"]


def connect_from(server, address: str) -> harness.Connection:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=harness.IO_TIMEOUT, source_address=(address, 0))
    return harness.Connection(sock)


# ---------------------------------------------------------------- slowloris


def test_slowloris_is_closed_at_the_partial_frame_timeout(make_server):
    """A client sending a ping frame one byte a second is closed, without a frame, about
    `--partial-frame-timeout` seconds after its first byte, whether or not it said hello; other
    clients are answered meanwhile."""
    timeout = 2.0
    slack = 1.5  # deadlines are checked every quarter of the shortest timeout (at most 1 s), plus scheduling
    server = make_server("--partial-frame-timeout", "2", "--hello-timeout", "30")
    authenticated = server.connect()
    authenticated.hello(server.admin_key)
    anonymous = server.connect()
    bystander = server.connect()
    bystander.hello(server.admin_key)
    payload = harness.frame(harness.compact({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
    clients = {"authenticated": authenticated, "anonymous": anonymous}
    closed_after: dict[str, float] = {}
    started = time.monotonic()
    try:
        for index in range(int(timeout + slack) + 3):  # one byte a second, at most a handful of seconds
            for name, conn in clients.items():
                if name in closed_after:
                    continue
                try:
                    conn.sock.send(payload[index:index + 1])
                except OSError:
                    closed_after[name] = time.monotonic() - started
            if len(closed_after) == len(clients):
                break
            bystander.probe(timeout=PING_BOUND_S, quiet=0.0)
            second_ends = started + index + 1
            while time.monotonic() < second_ends and len(closed_after) < len(clients):
                for name, conn in clients.items():
                    if name in closed_after:
                        continue
                    conn.sock.settimeout(0.05)
                    try:
                        chunk = conn.sock.recv(4096)
                    except socket.timeout:
                        continue
                    except ConnectionResetError:
                        chunk = b""
                    assert chunk == b"", f"{name}: the partial-frame timeout closes without a frame, got {chunk!r}"
                    closed_after[name] = time.monotonic() - started
    finally:
        for conn in (authenticated, anonymous):
            conn.close()
    assert set(closed_after) == set(clients), f"still open after {time.monotonic() - started:.1f}s: {closed_after}"
    for name, elapsed in closed_after.items():
        assert timeout - 0.1 <= elapsed <= timeout + slack, f"{name} closed after {elapsed:.2f}s (timeout {timeout}s)"
    bystander.probe()
    bystander.close()


# ---------------------------------------------------------------- the connection cap


def test_connections_past_the_cap_get_busy_and_existing_clients_keep_working(make_server):
    cap = 20
    server = make_server("--max-connections", str(cap))
    readers, writer = server.connect(), server.connect()
    readers.hello(server.admin_key)
    writer.hello(server.admin_key)
    slug = "cap-" + uuid.uuid4().hex[:10]
    tenant = writer.request("tenants.create", {"slug": slug, "name": "Cap"}, id="t")
    assert "result" in tenant, tenant
    tenant_id = tenant["result"]["id"]
    fillers = [server.connect() for _ in range(cap - 2)]
    try:
        for conn in fillers:
            conn.probe(quiet=0.0)  # admitted: answered before hello
        for attempt in range(10):
            extra = server.connect()
            try:
                message = extra.read_message(timeout=5.0)
                error = assert_error_frame(message, BUSY, "busy")
                assert "connection limit" in error["message"], error
                assert extra.wait_closed(5.0), "the server closes a connection it refused"
            finally:
                extra.close()
            # the clients already connected are served in between
            readers.probe(quiet=0.0)
            created = writer.request("groups.create", {"tenant_id": tenant_id, "name": f"g{attempt}"}, id=f"g{attempt}")
            assert "result" in created, created
        listed = readers.request("groups.list", {"tenant_id": tenant_id}, id="list")
        assert len(listed["result"]["items"]) == 10, listed
        # freeing a slot admits a new connection again (the close is noticed asynchronously)
        fillers.pop().close()
        deadline = time.monotonic() + 5.0
        admitted = None
        for _ in range(50):
            conn = server.connect()
            try:
                conn.probe(quiet=0.0)
                admitted = conn
                break
            except (harness.Closed, AssertionError, OSError):
                conn.close()
                assert time.monotonic() < deadline, "a freed slot was not reused within 5 s"
                time.sleep(0.1)
        assert admitted is not None
        admitted.hello(server.admin_key)
        assert "result" in admitted.request("tenants.get", {"id": tenant_id}, id="after")
        admitted.close()
    finally:
        for conn in fillers:
            conn.close()
    readers.probe()
    writer.probe()
    readers.close()
    writer.close()


# ---------------------------------------------------------------- a flood of bad hellos


def test_200_parallel_bad_hellos_without_throttle(make_server):
    """With the throttle off every bad key costs a verification: the server answers each hello with
    -32001 or, when its argon2 queue is full, -32014; an authenticated client keeps getting its pings
    answered fast; memory stays bounded."""
    server = make_server("--auth-max-failures", "0")
    wrong = wrong_secret(server.admin_key)
    tokens = [wrong if i % 2 else unknown_key() for i in range(200)]
    rss_before = rss_mib(server.pid)
    with Pinger(server, server.admin_key) as pinger:
        codes, elapsed = parallel_hellos(server.port, tokens, timeout=60.0)
        peak_during = pinger.peak_rss_mib
    counts = {code: codes.count(code) for code in set(codes)}
    print(f"\n200 bad hellos, no throttle: {counts} in {elapsed:.2f}s; pings {len(pinger.latencies)}, "
          f"max {pinger.max_latency * 1000:.0f} ms; RSS before {rss_before:.0f} MiB, peak {peak_during:.0f} MiB, "
          f"after {rss_mib(server.pid):.0f} MiB")
    assert pinger.error is None, f"the authenticated client failed: {pinger.error!r}"
    assert set(codes) <= {UNAUTHENTICATED, BUSY}, counts
    assert counts.get(UNAUTHENTICATED, 0) > 0, counts
    assert pinger.latencies and pinger.max_latency < PING_BOUND_S, pinger.latencies
    assert peak_during < RSS_BOUND_MIB and rss_mib(server.pid) < RSS_BOUND_MIB
    # afterwards a good key still authenticates
    with server.connect() as conn:
        conn.hello(server.admin_key)
        assert "result" in conn.request("tenants.list", {"limit": 1}, id="after")


def test_200_parallel_bad_hellos_with_the_default_throttle(make_server):
    """With the default throttle the flood (from 127.0.0.2: half unknown key ids, half the ADMIN key's
    id with a wrong secret) gets -32001, -32010 or -32014; the connection already authenticated with
    that ADMIN key keeps working; afterwards the address's bucket is empty (a late hello waits for a
    refill, or is refused), and another key still authenticates from another address."""
    server = make_server()
    other_key = new_admin_key(server)
    wrong = wrong_secret(server.admin_key)
    tokens = [wrong if i % 2 else unknown_key() for i in range(200)]
    with Pinger(server, server.admin_key) as pinger:
        codes, elapsed = parallel_hellos(server.port, tokens, source="127.0.0.2", timeout=60.0)
        peak_during = pinger.peak_rss_mib
    counts = {code: codes.count(code) for code in set(codes)}
    print(f"\n200 bad hellos, default throttle: {counts} in {elapsed:.2f}s; pings {len(pinger.latencies)}, "
          f"max {pinger.max_latency * 1000:.0f} ms; RSS peak {peak_during:.0f} MiB, after {rss_mib(server.pid):.0f} MiB")
    assert pinger.error is None, f"the authenticated client failed: {pinger.error!r}"
    assert set(codes) <= {UNAUTHENTICATED, RATE_LIMITED, BUSY}, counts
    assert pinger.latencies and pinger.max_latency < PING_BOUND_S, pinger.latencies
    assert peak_during < RSS_BOUND_MIB and rss_mib(server.pid) < RSS_BOUND_MIB
    # once the failures are recorded the address's bucket is empty: a late bad hello waits for the
    # next token (one every 3 s by default) and is verified then, or is refused (how many got
    # through is test_parallel_bad_hellos_from_one_address_verify_at_most_the_failure_limit)
    with connect_from(server, "127.0.0.2") as conn:
        started = time.monotonic()
        response = conn.request("hello", {"api_key": unknown_key(), "protocol_version": 1}, id="late", timeout=15)
        assert response["error"]["code"] in (UNAUTHENTICATED, RATE_LIMITED), response
        if response["error"]["code"] == UNAUTHENTICATED:
            assert time.monotonic() - started > 0.5, "a bad key from an emptied address waits for a token"
    with server.connect() as conn:  # from 127.0.0.1, with a key whose id was not attacked
        conn.hello(other_key)
        assert "result" in conn.request("tenants.list", {"limit": 1}, id="after")


def test_parallel_bad_hellos_from_one_address_verify_at_most_the_failure_limit(make_server):
    """security.md §5.2: an address's bucket holds --auth-max-failures failures and refills one per
    --auth-failure-refill seconds. Sent all at once (and with no refill during the run), at most
    the burst of them may be verified (answered -32001); the rest wait for those verdicts and are
    refused (-32010) without any argon2 work."""
    server = make_server("--auth-max-failures", "10", "--auth-failure-refill", "60")
    codes, _ = parallel_hellos(server.port, [unknown_key() for _ in range(200)], source="127.0.0.3", timeout=60.0)
    counts = {code: codes.count(code) for code in set(codes)}
    assert set(codes) <= {UNAUTHENTICATED, RATE_LIMITED, BUSY}, counts
    assert counts.get(UNAUTHENTICATED, 0) <= 10, f"verified {counts.get(UNAUTHENTICATED)} bad keys from one address: {counts}"


# ---------------------------------------------------------------- huge length prefixes


@pytest.mark.parametrize("after_hello", [False, True], ids=["before-hello", "after-hello"])
def test_length_prefix_0xffffffff_is_refused_at_once_without_allocating(make_server, after_hello):
    server = make_server()
    limit = 1048576 if after_hello else 65536
    headers = [b"\xff\xff\xff\xff", b"\x80\x00\x00\x00", b"\x7f\xff\xff\xff", (limit + 1).to_bytes(4, "big")]
    if after_hello:
        with server.connect() as conn:
            conn.hello(server.admin_key)  # the first hello's argon2 work is not what is measured
    before = proc_status(server.pid)
    for _ in range(5):
        for header in headers:
            with server.connect() as conn:
                if after_hello:
                    conn.hello(server.admin_key)
                started = time.monotonic()
                conn.send(header)
                message = conn.read_message(timeout=2.0)
                answered = time.monotonic() - started
                error = assert_error_frame(message, PAYLOAD_TOO_LARGE, "payload_too_large")
                assert error["data"]["limit"] == limit, error
                announced = int.from_bytes(header, "big")
                assert str(announced) in error["message"], error
                assert answered < 1.0, f"refused after {answered:.2f}s"
                assert conn.wait_closed(2.0), "the connection is closed after a -32011"
    after = proc_status(server.pid)
    print(f"\nlength prefixes ({'after' if after_hello else 'before'} hello): VmRSS {before['VmRSS'] // 1024} -> "
          f"{after['VmRSS'] // 1024} MiB, VmPeak {before['VmPeak'] // 1024} -> {after['VmPeak'] // 1024} MiB")
    # an allocation of the announced size would show in the peak virtual size (4 GiB) and likely the RSS
    assert after["VmPeak"] - before["VmPeak"] < 512 * 1024, (before, after)
    assert after["VmRSS"] - before["VmRSS"] < 32 * 1024, (before, after)
    with server.connect() as conn:
        conn.probe()


def test_a_client_still_sending_an_oversized_frame_gets_the_refusal_not_a_reset(make_server):
    """The server refuses right after the length prefix, but a client may still be writing the body.
    The server closes its output and discards input for a moment: the client's write completes, the
    -32011 frame can be read, then the connection ends (no reset that would lose the frame)."""
    server = make_server()
    for _ in range(3):
        with server.connect() as conn:
            conn.hello(server.admin_key)
            body = b"x" * (4 << 20)  # more than loopback socket buffers hold
            conn.send((8 << 20).to_bytes(4, "big") + body)
            error = assert_error_frame(conn.read_message(timeout=5.0), PAYLOAD_TOO_LARGE, "payload_too_large")
            assert error["data"]["limit"] == 1 << 20, error
            assert conn.wait_closed(5.0)
    with server.connect() as conn:
        conn.probe()


# ---------------------------------------------------------------- deep nesting and huge escaped strings


def request_bytes(id_, method: str, params_text: bytes) -> bytes:
    return b'{"jsonrpc":"2.0","id":' + id_ + b',"method":"' + method.encode() + b'","params":' + params_text + b"}"


def test_json_nested_10000_deep_is_a_parse_error_and_the_connection_stays_usable(make_server):
    server = make_server()
    depth = 10_000
    payloads = [
        request_bytes(b"1", "ping", b"[" * depth + b"]" * depth),  # positional params, but nested too deep
        request_bytes(b"2", "tenants.list", b'{"x":' * depth + b"1" + b"}" * depth),
        b"[" * depth + b"]" * depth,  # a batch nested too deep
        b'{"a":' * depth,  # and never closed
        b"[" * (1 << 20),  # a whole frame of brackets
    ]
    with server.connect() as conn:
        conn.hello(server.admin_key)
        before = rss_mib(server.pid)
        for payload in payloads:
            assert len(payload) <= 1 << 20
            started = time.monotonic()
            conn.send(harness.frame(payload))
            message = conn.read_message(timeout=5.0)
            error = assert_error_frame(message, PARSE_ERROR, "parse_error")
            assert "deeper than 64" in error["message"], error
            assert time.monotonic() - started < 2.0
            conn.probe(quiet=0.0)
        # 64 levels in all are still accepted (the request, params, 62 arrays: a -32602, not a parse error)
        conn.send(harness.frame(request_bytes(b"3", "ping", b'{"x":' + b"[" * 62 + b"]" * 62 + b"}")))
        assert error_of(conn.read_message())["code"] == INVALID_PARAMS
        conn.probe()
        assert rss_mib(server.pid) < RSS_BOUND_MIB
        print(f"\n10,000-deep JSON: RSS {before:.0f} -> {rss_mib(server.pid):.0f} MiB")


def test_a_1_mib_string_of_escapes_is_refused_cleanly(make_server):
    """`\\u0041` repeated to fill the 1 MiB frame: valid JSON, so it is parsed and the request refused by its
    params (connection open); a lone-surrogate escape repeated is a parse error (open); one byte past
    the frame limit is a -32011 and a close. The server keeps answering throughout."""
    server = make_server()
    limit = 1 << 20
    count = limit // 6 - 40
    escapes = b"\\u0041" * count
    with server.connect() as conn:
        conn.hello(server.admin_key)
        bystander = server.connect()
        bystander.hello(server.admin_key)
        before = rss_mib(server.pid)

        payload = request_bytes(b"1", "tenants.create", b'{"slug":"esc-' + uuid.uuid4().hex[:8].encode() + b'","name":"' + escapes + b'"}')
        assert len(payload) <= limit
        started = time.monotonic()
        conn.send(harness.frame(payload))
        message = conn.read_message(timeout=10.0)
        error = assert_error_frame(message, INVALID_PARAMS, "invalid_params", id=1)
        assert [entry["path"] for entry in error["data"]["errors"]] == ["name"], error
        print(f"\n1 MiB of escapes: refused in {time.monotonic() - started:.3f}s")
        conn.probe(quiet=0.0)
        bystander.probe(quiet=0.0)

        payload = request_bytes(b"2", "tenants.create", b'{"slug":"x","name":"' + b"\\ud800" * count + b'"}')
        conn.send(harness.frame(payload))
        error = assert_error_frame(conn.read_message(timeout=10.0), PARSE_ERROR, "parse_error")
        assert "surrogate" in error["message"], error
        conn.probe(quiet=0.0)

        payload = request_bytes(b"3", "ping", b'{"x":"' + b"\\u0041" * (limit // 6) + b'"}')
        assert len(payload) > limit
        conn.send(harness.frame(payload))
        error = assert_error_frame(conn.read_message(timeout=10.0), PAYLOAD_TOO_LARGE, "payload_too_large")
        assert error["data"]["limit"] == limit
        assert conn.wait_closed(5.0)

        bystander.probe()
        after = rss_mib(server.pid)
        print(f"1 MiB of escapes: RSS {before:.0f} -> {after:.0f} MiB")
        assert after < RSS_BOUND_MIB
        bystander.close()
