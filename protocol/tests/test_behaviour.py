"""Behaviour of PROTOCOL.md that byte vectors cannot pin down: pipelining, limits, timeouts, the
connection cap, the key format and the object conventions (revisions, dry runs, pagination)."""

from __future__ import annotations

import re
import subprocess
import time
import uuid

import pytest

import harness

KEY_PATTERN = re.compile(r"^prly_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}$")


def request_bytes(method, params=None, id=None) -> bytes:
    message = {"jsonrpc": "2.0", "method": method}
    if id is not None:
        message["id"] = id
    if params is not None:
        message["params"] = params
    return harness.frame(harness.compact(message))


# ---------------------------------------------------------------- keys


def test_init_prints_one_key_of_the_documented_format(tmp_path):
    """`parleyd init` prints the key alone on one line: prly_<16 base62>_<43 base62>. Several runs, because
    the key is random and a length bug would show only for some values."""
    binary = harness.find_parleyd()
    for run in range(12):
        result = subprocess.run([str(binary), "init", "--db", str(tmp_path / f"init-{run}.db")],
                                capture_output=True, text=True, timeout=60, check=True)
        assert result.stdout.count("\n") == 1
        assert KEY_PATTERN.match(result.stdout.strip()), f"key of the wrong shape: {len(result.stdout.strip())} characters"


def test_every_key_failure_is_the_same_error(server, connection):
    key_id = server.admin_key.split("_")[1]
    wrong_secret = f"prly_{key_id}_" + ("A" * 43 if not server.admin_key.endswith("A" * 43) else "B" * 43)
    unknown_id = "prly_" + "0" * 16 + "_" + server.admin_key.split("_")[2]
    errors = []
    for key in [wrong_secret, unknown_id, "prly_short_key", server.admin_key + "x"]:
        response = connection.request("hello", {"api_key": key, "protocol_version": 1})
        errors.append(response["error"])
    assert all(error == {"code": -32001, "message": "authentication failed", "data": {"kind": "unauthenticated"}}
               for error in errors), errors
    # An empty key is not a failed authentication but a missing param (issue 11).
    empty = connection.request("hello", {"api_key": "", "protocol_version": 1}, id="empty")["error"]
    assert empty["code"] == -32602 and empty["data"]["errors"][0]["path"] == "api_key", empty


# ---------------------------------------------------------------- pipelining and limits


def test_pipelined_requests_are_matched_by_id(admin):
    """100 requests in one write, mixing methods: every response comes back once, under its own id."""
    ids = list(range(100))
    data = b"".join(
        request_bytes("tenants.list" if i % 3 == 0 else "ping", {"limit": 1} if i % 3 == 0 else None, id=i)
        for i in ids)
    admin.send(data)
    seen = {}
    for _ in ids:
        response = admin.read_message()
        assert "result" in response, response
        assert response["id"] not in seen
        seen[response["id"]] = response["result"]
    assert sorted(seen) == ids
    for i in ids:
        assert ("items" in seen[i]) == (i % 3 == 0)
    admin.probe()


def test_frame_limit_rises_after_hello(server):
    payload = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'
    big = payload + b" " * (65536 + 1000 - len(payload))
    with server.connect() as conn:
        conn.send(harness.frame(payload + b" " * (65536 - len(payload))))  # exactly the pre-hello limit
        assert conn.read_message() == {"jsonrpc": "2.0", "id": 1, "result": {}}
        conn.hello(server.admin_key)
        conn.send(harness.frame(big))
        assert conn.read_message() == {"jsonrpc": "2.0", "id": 1, "result": {}}
        conn.send(harness.frame(payload + b" " * (1048576 - len(payload))))  # exactly the default limit
        assert conn.read_message() == {"jsonrpc": "2.0", "id": 1, "result": {}}
    with server.connect() as conn:
        conn.send(harness.frame(big))
        response = conn.read_message()
        assert response["error"]["code"] == -32011 and response["id"] is None
        assert conn.wait_closed()


def test_an_id_in_flight_cannot_be_reused(admin):
    """Three frames with the same id in one write: the first runs, the two others are refused at once."""
    admin.send(request_bytes("tenants.list", {"limit": 1}, id="dup") * 3)
    responses = [admin.read_message() for _ in range(3)]
    assert all(response["id"] == "dup" for response in responses)
    assert sorted("result" in r for r in responses) == [False, False, True]
    assert all(r["error"]["code"] == -32600 for r in responses if "error" in r)
    admin.probe()


def _fresh_admin_key(server):
    """A new ADMIN key that has never said hello (so its first hello runs argon2id)."""
    with server.connect() as admin:
        admin.hello(server.admin_key)
        response = admin.request("api_keys.create", {"name": "fresh-" + uuid.uuid4().hex[:8], "role": "ADMIN"})
    return response["result"]["api_key"]


def test_the_session_applies_to_requests_admitted_after_hello(server, connection):
    """A request is checked against the session in force when it is admitted: one pipelined behind a
    hello that is still verifying (argon2id) gets -32001; one sent after the hello result sees the session."""
    hello = {"api_key": _fresh_admin_key(server), "protocol_version": 1}
    connection.send(request_bytes("hello", hello, id="h") + request_bytes("tenants.list", {"limit": 1}, id="early"))
    responses = {r["id"]: r for r in (connection.read_message(), connection.read_message())}
    assert "result" in responses["h"]
    assert responses["early"]["error"]["code"] == -32001
    assert "result" in connection.request("tenants.list", {"limit": 1}, id="late")


def test_a_hello_answered_from_memory_is_in_force_for_what_follows(server, connection):
    """A key verified recently is answered at once, before the next frame is admitted: a request
    pipelined behind that hello already sees the session."""
    with server.connect() as warm:
        warm.hello(server.admin_key)  # now remembered
    hello = {"api_key": server.admin_key, "protocol_version": 1}
    connection.send(request_bytes("hello", hello, id="h") + request_bytes("tenants.list", {"limit": 1}, id="next"))
    responses = {r["id"]: r for r in (connection.read_message(), connection.read_message())}
    assert "result" in responses["h"]
    assert "result" in responses["next"], responses["next"]


def test_failed_hello_keeps_the_connection_usable(server, connection):
    response = connection.request("hello", {"api_key": "prly_x", "protocol_version": 1})
    assert response["error"]["code"] == -32001
    connection.hello(server.admin_key)
    assert "result" in connection.request("tenants.list", {"limit": 1})


def test_notification_with_array_params_gets_no_response(connection):
    connection.send(request_bytes("ping", []))
    connection.probe()


# ---------------------------------------------------------------- timeouts and the connection cap


def test_hello_timeout_sends_one_error_then_closes(make_server):
    server = make_server("--hello-timeout", "1")
    with server.connect() as conn:
        started = time.monotonic()
        response = conn.read_message(timeout=5)
        assert response["id"] is None and response["error"]["code"] == -32001
        assert conn.wait_closed()
        assert 0.8 <= time.monotonic() - started < 4


def test_half_sent_frame_and_idle_connections_are_closed(make_server):
    server = make_server("--partial-frame-timeout", "1", "--idle-timeout", "4")
    with server.connect() as conn:
        conn.hello(server.admin_key)
        conn.send(b"\x00\x00\x00\x10{")  # 16 bytes announced, 1 sent
        started = time.monotonic()
        assert conn.wait_closed(timeout=5)
        assert time.monotonic() - started < 3.5, "closed by the idle timeout, not the half-sent frame"
    with server.connect() as conn:
        conn.hello(server.admin_key)
        started = time.monotonic()
        assert conn.wait_closed(timeout=10)
        assert time.monotonic() - started >= 3.5


def test_connection_cap_sends_busy_then_closes(make_server):
    server = make_server("--max-connections", "1")
    with server.connect() as first:
        first.probe()
        with server.connect() as second:
            response = second.read_message(timeout=5)
            assert response["id"] is None and response["error"]["code"] == -32014
            assert response["error"]["data"]["kind"] == "busy"
            assert second.wait_closed()
        first.probe()


# ---------------------------------------------------------------- object conventions


def call(conn, method, params=None):
    response = conn.request(method, params, id=str(uuid.uuid4()))
    return response.get("result"), response.get("error")


def test_revisions_dry_run_and_no_op_updates(admin):
    tag = uuid.uuid4().hex[:10]
    first, _ = call(admin, "tenants.create", {"slug": f"rev-a-{tag}", "name": "A"})
    second, _ = call(admin, "tenants.create", {"slug": f"rev-b-{tag}", "name": "B"})
    assert second["revision"] > first["revision"], "one store-wide counter"

    would_be, _ = call(admin, "tenants.create", {"slug": f"rev-c-{tag}", "name": "C", "dry_run": True})
    assert would_be["slug"] == f"rev-c-{tag}"
    page, _ = call(admin, "tenants.list", {"limit": 1000})
    assert f"rev-c-{tag}" not in {t["slug"] for t in page["items"]}, "a dry run stores nothing"

    same, _ = call(admin, "tenants.update", {"id": first["id"], "name": "A"})
    assert same == first, "a no-op update returns the tenant unchanged, without a new revision"

    preview, _ = call(admin, "tenants.update", {"id": first["id"], "name": "A2", "dry_run": True})
    assert preview["name"] == "A2" and preview["revision"] > second["revision"]
    stored, _ = call(admin, "tenants.get", {"id": first["id"]})
    assert stored == first

    changed, _ = call(admin, "tenants.update", {"id": first["id"], "expected_revision": first["revision"], "name": "A2"})
    assert changed["revision"] > second["revision"] and changed["created_at"] == first["created_at"]
    _, stale = call(admin, "tenants.update", {"id": first["id"], "expected_revision": first["revision"], "name": "A3"})
    assert stale["code"] == -32009
    assert stale["data"] == {"kind": "conflict", "reason": "revision_mismatch", "current_revision": changed["revision"]}

    _, taken = call(admin, "tenants.update", {"id": first["id"], "slug": second["slug"]})
    assert taken["code"] == -32009 and taken["data"]["reason"] == "already_exists"

    dry_delete, _ = call(admin, "tenants.delete", {"id": second["id"], "dry_run": True})
    assert dry_delete["deleted"] is True
    assert call(admin, "tenants.get", {"id": second["id"]})[0] == second
    for tenant in (changed, second):
        result, error = call(admin, "tenants.delete", {"id": tenant["id"], "expected_revision": tenant["revision"]})
        assert error is None and result["id"] == tenant["id"]


def test_cursor_pagination_walks_every_tenant_once(admin):
    tag = uuid.uuid4().hex[:10]
    mine = [call(admin, "tenants.create", {"slug": f"page-{n}-{tag}", "name": f"P{n}"})[0]["id"] for n in range(5)]
    collected, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} if cursor is None else {"limit": 2, "cursor": cursor}
        page, error = call(admin, "tenants.list", params)
        assert error is None, error
        assert len(page["items"]) <= 2
        collected += [t["id"] for t in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 1000
    assert len(collected) == len(set(collected))
    assert collected == sorted(collected), "id order (which follows creation time)"
    assert sorted(i for i in collected if i in mine) == sorted(mine)
    default_page, _ = call(admin, "tenants.list")
    assert len(default_page["items"]) == min(100, len(collected))
    for tenant_id in mine:
        call(admin, "tenants.delete", {"id": tenant_id})
