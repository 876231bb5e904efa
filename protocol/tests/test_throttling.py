"""Brute-force throttling of `hello` (issues 4 and 11) and the per-key request rate limit (issue 4).

The shared session server runs without the hello throttle (`--auth-max-failures 0`), so these
tests start their own servers with `make_server`. Failures spend tokens of a bucket per key id and
per client address (a burst, then one back every few seconds); valid keys spend nothing; to tell the two apart the tests connect from different loopback addresses
(127.0.0.2, 127.0.0.3, ...), all of which reach the server listening on 127.0.0.1 (Linux routes the
whole 127/8 to the loopback interface).

Whether argon2id ran for a throttled attempt cannot be observed from here (the Swift tests prove
that no verification runs); these tests check the answers: -32010 `rate_limited` with
`retry_after_ms`, and nothing else about timing.
"""

from __future__ import annotations

import socket
import time
import uuid

import pytest

import harness

UNAUTHENTICATED = -32001
RATE_LIMITED = -32010


# ---------------------------------------------------------------- helpers


def connect_from(server, address):
    """A connection to `server` whose client end is bound to the loopback `address`."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=harness.IO_TIMEOUT, source_address=(address, 0))
    return harness.Connection(sock)


def hello(conn, token, id_="hello"):
    return conn.request("hello", {"api_key": token, "protocol_version": 1}, id=id_)


def call(conn, method, params, id_=1):
    response = conn.request(method, params, id=id_)
    assert "result" in response, f"{method} failed: {response!r}"
    return response["result"]


def issue(server, role="ADMIN", tenant_id=None):
    """A new key on `server` (created over an ADMIN connection from 127.0.0.1); returns (token, key id)."""
    with server.connect() as admin:
        admin.hello(server.admin_key)
        params = {"name": "key-" + uuid.uuid4().hex[:8], "role": role}
        if tenant_id is not None:
            params["tenant_id"] = tenant_id
        result = call(admin, "api_keys.create", params)
    return result["api_key"], result["key"]["id"]


def wrong_secret(token):
    """`token` with its last secret character changed: the right key id, the wrong secret."""
    return token[:-1] + ("a" if token[-1] != "a" else "b")


def unknown_key():
    """A well-formed token whose key id does not exist."""
    key_id = "Z" + uuid.uuid4().hex[:15]
    return f"prly_{key_id}_" + "A" * 43


def assert_failed(response):
    assert response.get("error", {}).get("code") == UNAUTHENTICATED, response


def assert_throttled(response, refill_ms):
    """-32010 with a retry_after_ms of at most one refill, said in words in the message."""
    assert "error" in response, f"hello must be throttled: {response!r}"
    error = response["error"]
    assert error["code"] == RATE_LIMITED, error
    assert error["data"]["kind"] == "rate_limited", error
    wait = error["data"]["retry_after_ms"]
    assert isinstance(wait, int) and 0 < wait <= refill_ms, error
    assert "retry in " in error["message"], error
    return wait


def fail_hellos(server, address, tokens):
    """One failed hello per token, all from `address` over one connection (a failed hello keeps it open)."""
    with connect_from(server, address) as conn:
        for number, token in enumerate(tokens):
            assert_failed(hello(conn, token, id_=f"bad-{number}"))


#: A server whose buckets hold 5 failures and refill one a minute: longer than the 5 s an attempt
#: may wait, so an empty bucket answers -32010 at once (the default refills one every 3 s).
SLOW_REFILL = ("--auth-max-failures", "5", "--auth-failure-refill", "60")


# ---------------------------------------------------------------- per key id


def test_five_failures_for_a_key_id_empty_its_bucket_until_a_refill(make_server):
    server = make_server(*SLOW_REFILL)
    token, key_id = issue(server)
    other_token, _ = issue(server)
    fail_hellos(server, "127.0.0.2", [wrong_secret(token)] * 5)
    # From a clean address: the key id's bucket is empty, whatever the secret.
    with connect_from(server, "127.0.0.3") as conn:
        wait = assert_throttled(hello(conn, token), 60_000)
        assert wait > 50_000, wait
        # The connection stays open and unauthenticated.
        conn.probe(quiet=0)
        response = conn.request("tenants.list", {}, id="after")
        assert response["error"]["code"] == UNAUTHENTICATED, response
        # Another key from the same address is not affected.
        result = hello(conn, other_token, id_="other")
        assert "result" in result, result


def test_four_failures_leave_room_and_a_success_refills_the_key_ids_bucket(make_server):
    server = make_server(*SLOW_REFILL)
    token, key_id = issue(server)
    fail_hellos(server, "127.0.0.2", [wrong_secret(token)] * 4)
    with connect_from(server, "127.0.0.3") as conn:
        response = hello(conn, token)
        assert response["result"]["key"]["id"] == key_id, response
    # The success refilled the key id's bucket: after four more failures (from another address) a
    # fifth attempt is still checked (a wrong secret, so the verified-key cache does not answer it).
    fail_hellos(server, "127.0.0.8", [wrong_secret(token)] * 4)
    with connect_from(server, "127.0.0.10") as conn:
        assert_failed(hello(conn, wrong_secret(token)))


def test_malformed_and_unknown_keys_count_against_the_address(make_server):
    server = make_server(*SLOW_REFILL)
    token, _ = issue(server)
    fail_hellos(server, "127.0.0.4", ["not a key", "prly_short", unknown_key(), unknown_key(), unknown_key()])
    with connect_from(server, "127.0.0.4") as conn:
        assert_throttled(hello(conn, token), 60_000)


def test_an_empty_key_is_missing_not_a_failed_authentication(make_server):
    server = make_server(*SLOW_REFILL)
    with server.connect() as conn:
        for number in range(8):  # never counted: no throttling follows
            response = hello(conn, "", id_=f"empty-{number}")
            assert response["error"]["code"] == -32602, response
            assert response["error"]["data"]["errors"][0]["path"] == "api_key", response
            assert "is required" in response["error"]["message"], response
        assert "result" in hello(conn, server.admin_key, id_="good")


# ---------------------------------------------------------------- per address


def test_five_failures_from_one_address_empty_that_addresss_bucket(make_server):
    server = make_server(*SLOW_REFILL)
    token, key_id = issue(server)
    fail_hellos(server, "127.0.0.1", [unknown_key() for _ in range(5)])
    # A key that was never verified, from the emptied address, waits for a refill ...
    with server.connect() as conn:
        assert_throttled(hello(conn, token), 60_000)
        assert_throttled(hello(conn, "garbage", id_="garbage"), 60_000)
        conn.probe(quiet=0)
    # ... and the very same key works from another address.
    with connect_from(server, "127.0.0.5") as conn:
        response = hello(conn, token)
        assert response["result"]["key"]["id"] == key_id, response
        call(conn, "tenants.list", {}, id_="works")


def test_refused_attempts_do_not_count_and_a_refill_lets_the_key_in(make_server):
    server = make_server("--auth-max-failures", "5", "--auth-failure-refill", "6")
    token, key_id = issue(server)
    fail_hellos(server, "127.0.0.6", [wrong_secret(token)] * 5)
    with connect_from(server, "127.0.0.7") as conn:
        wait = assert_throttled(hello(conn, token), 6_000)
        for number in range(3):
            assert_throttled(hello(conn, wrong_secret(token), id_=f"more-{number}"), 6_000)
        time.sleep(wait / 1000 + 0.1)
        response = hello(conn, token, id_="later")
        assert response["result"]["key"]["id"] == key_id, response


# ---------------------------------------------------------------- valid keys are never locked out (issue 11)


def test_mistyped_keys_at_a_console_do_not_lock_the_right_key_out(make_server):
    server = make_server()  # the default throttle
    token, key_id = issue(server)
    fail_hellos(server, "127.0.0.11", [wrong_secret(token), "prly_oops", wrong_secret(token), unknown_key(), wrong_secret(token)])
    with connect_from(server, "127.0.0.11") as conn:
        started = time.monotonic()
        response = hello(conn, token)
        assert response["result"]["key"]["id"] == key_id, response
        assert time.monotonic() - started < 1.0, "five failures are within the default burst of 10"


def test_a_valid_key_waits_at_most_seconds_after_other_keys_failures_from_its_address(make_server):
    server = make_server()  # burst 10, one failure allowance back every 3 s
    token, key_id = issue(server)
    fail_hellos(server, "127.0.0.12", [unknown_key() for _ in range(12)])  # the last two waited for refills
    with connect_from(server, "127.0.0.12") as conn:
        started = time.monotonic()
        response = hello(conn, token, id_="valid")
        assert response["result"]["key"]["id"] == key_id, response
        assert time.monotonic() - started < 4.0


def parallel_hellos(server, tokens, address="127.0.0.13"):
    """Every token's hello on its own connection, all sent before any answer is read."""
    conns = [connect_from(server, address) for _ in tokens]
    try:
        for number, (conn, token) in enumerate(zip(conns, tokens)):
            conn.send(harness.frame(harness.compact(
                {"jsonrpc": "2.0", "id": f"h{number}", "method": "hello", "params": {"api_key": token, "protocol_version": 1}})))
        return [conn.read_message(timeout=20) for conn in conns]
    finally:
        for conn in conns:
            conn.close()


@pytest.mark.parametrize("distinct", [False, True])
def test_a_pool_of_connections_with_valid_keys_all_get_in_after_a_restart(make_server, distinct):
    """Nothing is remembered after a restart: every hello is verified with argon2, the burst is
    smaller than the pool, and all of them still succeed (the rest wait for the verdicts)."""
    server = make_server("--auth-max-failures", "2")
    tokens = [issue(server)[0] for _ in range(10)] if distinct else [issue(server)[0]] * 16
    server.restart()
    answers = parallel_hellos(server, tokens)
    refused = [answer for answer in answers if "result" not in answer]
    assert not refused, f"{len(refused)} of {len(answers)} valid hellos refused, e.g. {refused[0]!r}"


def test_the_shared_server_runs_without_the_throttle(server):
    """The session server is started with --auth-max-failures 0: failures never throttle there."""
    with server.connect() as conn:
        for number in range(7):
            assert_failed(hello(conn, unknown_key(), id_=f"bad-{number}"))
        assert "result" in hello(conn, server.admin_key, id_="good")


def test_a_recently_verified_key_is_not_throttled(make_server):
    """The verified-key cache proves the presenter holds the key: no bucket is drawn on."""
    server = make_server(*SLOW_REFILL)
    token, _ = issue(server)
    with connect_from(server, "127.0.0.9") as conn:  # verified once: the key is now in the verified-key cache
        assert "result" in hello(conn, token)
    fail_hellos(server, "127.0.0.2", [wrong_secret(token)] * 5)
    fail_hellos(server, "127.0.0.4", [unknown_key() for _ in range(5)])
    with connect_from(server, "127.0.0.4") as conn:
        assert "result" in hello(conn, token)


# ---------------------------------------------------------------- per-key request rate


def send_pipelined(conn, requests):
    """Sends every request in one write; returns the responses by id."""
    conn.send(b"".join(harness.frame(harness.compact(request)) for request in requests))
    responses = {}
    for _ in requests:
        message = conn.read_message()
        responses[message["id"]] = message
    return responses


def pings(prefix, count):
    return [{"jsonrpc": "2.0", "id": f"{prefix}-{n}", "method": "ping"} for n in range(count)]


def test_requests_beyond_the_burst_are_rate_limited(make_server):
    server = make_server("--key-rate-limit", "1", "--key-rate-burst", "5")
    token, _ = issue(server)
    other_token, _ = issue(server)
    with server.connect() as conn, server.connect() as other, server.connect() as sibling:
        limits = hello(conn, token)["result"]["limits"]
        assert limits["key_requests_per_second"] == 1 and limits["key_request_burst"] == 5
        requests = pings("p", 12)
        responses = send_pipelined(conn, requests)
        admitted = [r["id"] for r in requests if "result" in responses[r["id"]]]
        limited = [responses[r["id"]] for r in requests if "error" in responses[r["id"]]]
        # The burst runs (in the order sent), at most one more token may have come back meanwhile.
        assert admitted[:5] == [f"p-{n}" for n in range(5)], admitted
        assert 5 <= len(admitted) <= 6, admitted
        assert len(limited) >= 6
        for response in limited:
            error = response["error"]
            assert error["code"] == RATE_LIMITED and error["data"]["kind"] == "rate_limited", error
            wait = error["data"]["retry_after_ms"]
            assert isinstance(wait, int) and 0 < wait <= 1000, error
        # The connection stays usable; another key is not affected at all.
        assert "result" in hello(other, other_token)
        for response in send_pipelined(other, pings("o", 5)).values():
            assert response["result"] == {}, response
        # The bucket belongs to the key, not the connection.
        assert "result" in hello(sibling, token)
        response = sibling.request("ping", None, id="s")
        assert response["error"]["code"] == RATE_LIMITED, response
        # A token comes back after retry_after_ms.
        time.sleep(response["error"]["data"]["retry_after_ms"] / 1000 + 0.05)
        assert conn.request("ping", None, id="later")["result"] == {}


def test_batch_entries_count_against_the_bucket(make_server):
    server = make_server("--key-rate-limit", "1", "--key-rate-burst", "3")
    token, _ = issue(server)
    with server.connect() as conn:
        hello(conn, token)
        batch = pings("b", 6)
        conn.send(harness.frame(harness.compact(batch)))
        answers = {entry["id"]: entry for entry in conn.read_message()}
        codes = [("ok" if "result" in answers[entry["id"]] else answers[entry["id"]]["error"]["code"]) for entry in batch]
        assert codes.count("ok") in (3, 4), codes
        assert codes.count(RATE_LIMITED) == 6 - codes.count("ok"), codes


def test_the_default_rate_limit_is_generous(server, admin):
    """1000 pipelined requests of one key on the default settings are all served."""
    limits = admin.request("server.info", None, id="info")["result"]["limits"]
    assert limits["key_requests_per_second"] >= 1000 and limits["key_request_burst"] >= 1000, limits
    responses = {}
    for chunk in range(20):
        responses.update(send_pipelined(admin, pings(f"g{chunk}", 50)))
    assert all("result" in response for response in responses.values())
