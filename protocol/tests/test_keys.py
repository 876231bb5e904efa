"""API key lifecycle over the protocol (issue 4): api_keys.create|list|get|revoke|rotate, what a key
may manage by role, revocation and rotation of live connections, expiry, last_used_at.

Every test makes its own tenant and its own keys on the shared session server, so tests never see
each other's data. A new key costs one argon2id hash (create) and one verification (first hello),
some tens of milliseconds each; reconnecting with a key already verified is cheap (cache).
"""

from __future__ import annotations

import datetime
import json
import re
import time
import uuid

import pytest

import harness
from config_helpers import absent_id, assert_invalid, assert_not_found, fail, new_tenant, ok

UNAUTHENTICATED = -32001
FORBIDDEN = -32003
NOT_FOUND = -32004
CONFLICT = -32009

TOKEN = re.compile(r"^prly_([0-9A-Za-z]{16})_([0-9A-Za-z]{43})$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEY_MEMBERS = {"id", "name", "role", "tenant_id", "status", "created_at", "created_by", "expires_at", "revoked_at",
               "last_used_at", "replaced_by", "revision"}


# ---------------------------------------------------------------- helpers


def issue(conn, role, tenant_id=None, **extra):
    """Creates a key over `conn`; returns (token, key metadata)."""
    params = {"name": "key-" + uuid.uuid4().hex[:8], "role": role}
    if tenant_id is not None:
        params["tenant_id"] = tenant_id
    params.update(extra)
    result = ok(conn, "api_keys.create", params)
    return result["api_key"], result["key"]


def login(server, token):
    """A new connection authenticated with `token`."""
    conn = server.connect()
    conn.hello(token)
    return conn


def hello_response(server, token):
    """The response to `hello` with `token` on a fresh connection (which is then closed)."""
    with server.connect() as conn:
        return conn.request("hello", {"api_key": token, "protocol_version": 1})


def assert_auth_failed(response):
    assert "error" in response, f"hello must fail: {response!r}"
    assert response["error"] == {"code": UNAUTHENTICATED, "message": "authentication failed",
                                 "data": {"kind": "unauthenticated"}}, response


def ping_frame(id_="after"):
    return harness.frame(harness.compact({"jsonrpc": "2.0", "id": id_, "method": "ping"}))


def assert_refused_then_closed(conn):
    """The next request on `conn` is answered with -32001 (id null) and the connection is closed."""
    conn.send(ping_frame())
    message = conn.read_message(timeout=5)
    assert message["id"] is None, message
    assert message["error"]["code"] == UNAUTHENTICATED, message
    assert message["error"]["data"] == {"kind": "unauthenticated"}, message
    assert conn.wait_closed(5), "the connection stayed open after -32001"


def assert_cut_off(conn):
    """The server closed `conn`, or closes it after answering its next request with -32001."""
    try:
        conn.send(ping_frame())
        message = conn.read_message(timeout=5)
    except (harness.Closed, OSError):
        return
    assert message.get("error", {}).get("code") == UNAUTHENTICATED, f"the connection still works: {message!r}"
    assert conn.wait_closed(5), "the connection stayed open after -32001"


def rfc3339(epoch_seconds):
    moment = datetime.datetime.fromtimestamp(epoch_seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text):
    assert TIMESTAMP.match(text), text
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def assert_no_secrets(value, tokens=()):
    """No API key token, secret or argon2 hash anywhere in `value`."""
    text = json.dumps(value)
    assert "prly_" not in text, text
    assert "$argon2" not in text and "argon2id" not in text, text
    for token in tokens:
        secret = TOKEN.match(token).group(2)
        assert secret not in text, text


def list_keys(conn, **params):
    items, cursor = [], None
    for _ in range(100):
        page = ok(conn, "api_keys.list", {"limit": 1000, **params, **({"cursor": cursor} if cursor else {})})
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the key list never ended")


def missing_key_id():
    return "0" + uuid.uuid4().hex[:15]


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


@pytest.fixture
def admin_id(server, admin):
    return ok(admin, "hello", {"api_key": server.admin_key, "protocol_version": 1})["key"]["id"]


# ---------------------------------------------------------------- create, get, list


def test_create_shows_the_token_once_and_metadata_without_secret(server, admin, admin_id, tenant):
    before = time.time()
    result = ok(admin, "api_keys.create", {"name": "  Integration  ", "role": "TENANT_ADMIN", "tenant_id": tenant})
    assert set(result) == {"api_key", "key"}
    token, key = result["api_key"], result["key"]
    match = TOKEN.match(token)
    assert match, token
    assert set(key) == KEY_MEMBERS
    assert key["id"] == match.group(1)
    assert key["name"] == "Integration"
    assert key["role"] == "TENANT_ADMIN" and key["tenant_id"] == tenant
    assert key["status"] == "ACTIVE"
    assert key["created_by"] == admin_id
    assert key["expires_at"] is None and key["revoked_at"] is None and key["last_used_at"] is None
    assert key["replaced_by"] is None
    assert isinstance(key["revision"], int) and key["revision"] > 0
    assert before - 5 <= parse_time(key["created_at"]) <= time.time() + 5
    assert_no_secrets(key, [token])

    got = ok(admin, "api_keys.get", {"id": key["id"]})
    assert got == key
    listed = [item for item in list_keys(admin, tenant_id=tenant) if item["id"] == key["id"]]
    assert listed == [key]
    assert_no_secrets(got, [token])
    assert_no_secrets(list_keys(admin), [token])

    # The token authenticates as that key.
    assert hello_response(server, token)["result"]["key"] == {"id": key["id"], "role": "TENANT_ADMIN", "tenant_id": tenant}


def test_admin_key_is_platform_wide(server, admin):
    token, key = issue(admin, "ADMIN")
    assert key["role"] == "ADMIN" and key["tenant_id"] is None
    with login(server, token) as conn:
        ok(conn, "tenants.list", {})


def test_tenant_reader_key_is_bound_to_its_tenant(server, admin, tenant):
    token, key = issue(admin, "TENANT_READER", tenant)
    assert key["role"] == "TENANT_READER" and key["tenant_id"] == tenant
    assert hello_response(server, token)["result"]["key"] == {"id": key["id"], "role": "TENANT_READER",
                                                              "tenant_id": tenant}


def test_created_keys_are_distinct(admin, tenant):
    tokens = [issue(admin, "TENANT_READER", tenant)[0] for _ in range(3)]
    assert len(set(tokens)) == 3
    assert len({TOKEN.match(token).group(1) for token in tokens}) == 3


def test_expires_at_is_stored_normalised(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant, expires_at="2099-06-30T14:00:00+02:00")
    assert key["expires_at"] == "2099-06-30T12:00:00.000Z"
    assert key["status"] == "ACTIVE"
    _, key = issue(admin, "TENANT_READER", tenant, expires_at="2099-01-02T03:04:05.678Z")
    assert key["expires_at"] == "2099-01-02T03:04:05.678Z"


def test_dry_run_create_returns_no_token_and_stores_nothing(admin, tenant):
    result = ok(admin, "api_keys.create", {"name": "Dry", "role": "TENANT_READER", "tenant_id": tenant, "dry_run": True})
    assert result["api_key"] is None
    assert result["key"]["name"] == "Dry"
    assert_no_secrets(result)
    assert_not_found(fail(admin, "api_keys.get", {"id": result["key"]["id"]}), "api_key", result["key"]["id"])
    assert list_keys(admin, tenant_id=tenant) == []


@pytest.mark.parametrize("params, expected", [
    ({"role": "TENANT_READER"}, {"name": "required"}),
    ({"name": "", "role": "TENANT_READER"}, {"name": None}),
    ({"name": "   ", "role": "TENANT_READER"}, {"name": None}),
    ({"name": "x" * 101, "role": "TENANT_READER"}, {"name": None}),
    ({"name": "a\u0007b", "role": "TENANT_READER"}, {"name": None}),
    ({"name": 7, "role": "TENANT_READER"}, {"name": None}),
    ({"name": "k"}, {"role": "required"}),
    ({"name": "k", "role": "ROOT"}, {"role": None}),
    ({"name": "k", "role": "tenant_reader"}, {"role": None}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": "2001-01-01T00:00:00Z"}, {"expires_at": "future"}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": "2099-01-01"}, {"expires_at": "RFC 3339"}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": "2099-01-01 00:00:00Z"}, {"expires_at": "RFC 3339"}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": "2099-01-01T00:00:00"}, {"expires_at": "RFC 3339"}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": "2099-02-30T00:00:00Z"}, {"expires_at": "RFC 3339"}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": "tomorrow"}, {"expires_at": "RFC 3339"}),
    ({"name": "k", "role": "TENANT_READER", "expires_at": 4102444800}, {"expires_at": None}),
    ({"name": "k", "role": "TENANT_READER", "bogus": 1}, {"bogus": "is not a known parameter"}),
])
def test_create_validation(admin, tenant, params, expected):
    params = dict(params)
    params.setdefault("tenant_id", tenant)
    assert_invalid(fail(admin, "api_keys.create", params), expected)


def test_tenant_rules_by_role(admin, tenant):
    assert_invalid(fail(admin, "api_keys.create", {"name": "k", "role": "TENANT_READER"}), {"tenant_id": "required"})
    assert_invalid(fail(admin, "api_keys.create", {"name": "k", "role": "TENANT_ADMIN"}), {"tenant_id": "required"})
    assert_invalid(fail(admin, "api_keys.create", {"name": "k", "role": "ADMIN", "tenant_id": tenant}),
                   {"tenant_id": None})


def test_every_create_problem_is_reported_at_once(admin):
    error = fail(admin, "api_keys.create", {"name": " ", "role": "NOPE", "expires_at": "yesterday", "zzz": True})
    assert_invalid(error, {"name": None, "role": None, "expires_at": None, "zzz": "is not a known parameter"})


def test_create_for_a_missing_tenant_is_not_found(admin):
    missing = absent_id("tnt")
    assert_not_found(fail(admin, "api_keys.create", {"name": "k", "role": "TENANT_READER", "tenant_id": missing}),
                     "tenant", missing)


def test_get_of_a_missing_key_is_not_found(admin):
    missing = missing_key_id()
    assert_not_found(fail(admin, "api_keys.get", {"id": missing}), "api_key", missing)
    assert_not_found(fail(admin, "api_keys.revoke", {"id": missing}), "api_key", missing)
    assert_not_found(fail(admin, "api_keys.rotate", {"id": missing}), "api_key", missing)


def test_list_filters_by_tenant_and_status_and_pages(server, admin, tenant):
    other = new_tenant(admin)
    keys = [issue(admin, "TENANT_READER", tenant)[1] for _ in range(3)]
    other_key = issue(admin, "TENANT_ADMIN", other)[1]
    ok(admin, "api_keys.revoke", {"id": keys[0]["id"]})
    listed = list_keys(admin, tenant_id=tenant)
    assert [item["id"] for item in listed] == sorted(key["id"] for key in keys)
    assert {item["tenant_id"] for item in listed} == {tenant}
    assert other_key["id"] not in {item["id"] for item in listed}
    assert [item["id"] for item in list_keys(admin, tenant_id=tenant, status="REVOKED")] == [keys[0]["id"]]
    assert {item["id"] for item in list_keys(admin, tenant_id=tenant, status="ACTIVE")} == {k["id"] for k in keys[1:]}
    assert list_keys(admin, tenant_id=tenant, status="EXPIRED") == []
    # Paging one by one walks every key exactly once, in id order.
    seen, cursor = [], None
    for _ in range(10):
        page = ok(admin, "api_keys.list", {"tenant_id": tenant, "limit": 1, **({"cursor": cursor} if cursor else {})})
        assert len(page["items"]) <= 1
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(key["id"] for key in keys)
    # Without tenant_id an ADMIN sees every tenant's keys and the platform keys.
    everything = {item["id"] for item in list_keys(admin)}
    assert {key["id"] for key in keys} | {other_key["id"]} <= everything
    assert any(item["role"] == "ADMIN" for item in list_keys(admin))
    assert_no_secrets(list_keys(admin))


def test_list_validation(admin, tenant):
    assert_invalid(fail(admin, "api_keys.list", {"tenant_id": tenant, "status": "GONE"}), {"status": None})
    assert_invalid(fail(admin, "api_keys.list", {"tenant_id": tenant, "limit": 0}), {"limit": None})
    assert_invalid(fail(admin, "api_keys.list", {"tenant_id": tenant, "cursor": "nonsense"}), {"cursor": None})
    assert_invalid(fail(admin, "api_keys.list", {"tenant_id": tenant, "bogus": 1}), {"bogus": "is not a known parameter"})
    missing = absent_id("tnt")
    assert_not_found(fail(admin, "api_keys.list", {"tenant_id": missing}), "tenant", missing)


# ---------------------------------------------------------------- what tenant keys may manage


def test_tenant_admin_manages_non_admin_keys_of_its_own_tenant(server, admin, tenant):
    token, manager = issue(admin, "TENANT_ADMIN", tenant)
    with login(server, token) as conn:
        result = ok(conn, "api_keys.create", {"name": "reader", "role": "TENANT_READER"})
        reader = result["key"]
        assert reader["tenant_id"] == tenant and reader["role"] == "TENANT_READER"
        assert reader["created_by"] == manager["id"]
        assert TOKEN.match(result["api_key"])
        second = ok(conn, "api_keys.create", {"name": "admin 2", "role": "TENANT_ADMIN", "tenant_id": tenant})["key"]
        assert second["tenant_id"] == tenant and second["role"] == "TENANT_ADMIN"
        assert ok(conn, "api_keys.get", {"id": reader["id"]})["id"] == reader["id"]
        listed = list_keys(conn)
        assert {item["id"] for item in listed} == {manager["id"], reader["id"], second["id"]}
        assert list_keys(conn, tenant_id=tenant) == listed
        rotated = ok(conn, "api_keys.rotate", {"id": reader["id"], "grace_seconds": 0})
        assert rotated["key"]["tenant_id"] == tenant and rotated["key"]["role"] == "TENANT_READER"
        revoked = ok(conn, "api_keys.revoke", {"id": second["id"]})
        assert revoked["status"] == "REVOKED"
        conn.probe()


def test_tenant_admin_may_not_create_admin_keys(server, admin, tenant):
    token, _ = issue(admin, "TENANT_ADMIN", tenant)
    with login(server, token) as conn:
        error = fail(conn, "api_keys.create", {"name": "root", "role": "ADMIN"}, FORBIDDEN)
        assert error["data"] == {"kind": "forbidden"}
        fail(conn, "api_keys.create", {"name": "root", "role": "ADMIN", "tenant_id": tenant}, FORBIDDEN)
    assert not [key for key in list_keys(admin) if key["name"] == "root"]


def test_tenant_admin_may_not_touch_another_tenant_or_admin_keys(server, admin, tenant):
    other = new_tenant(admin)
    token, _ = issue(admin, "TENANT_ADMIN", tenant)
    _, foreign = issue(admin, "TENANT_READER", other)
    _, platform = issue(admin, "ADMIN")
    missing_tenant, missing_key = absent_id("tnt"), missing_key_id()
    with login(server, token) as conn:
        def same_as_missing(method, params, present, absent):
            seen = fail(conn, method, {**params, **present[0]}, NOT_FOUND)
            unseen = fail(conn, method, {**params, **absent[0]}, NOT_FOUND)
            assert json.loads(json.dumps(seen).replace(present[1], "X")) == \
                json.loads(json.dumps(unseen).replace(absent[1], "X")), (seen, unseen)

        for role in ["TENANT_READER", "TENANT_ADMIN"]:
            same_as_missing("api_keys.create", {"name": "k", "role": role},
                            ({"tenant_id": other}, other), ({"tenant_id": missing_tenant}, missing_tenant))
        same_as_missing("api_keys.list", {}, ({"tenant_id": other}, other), ({"tenant_id": missing_tenant}, missing_tenant))
        for key in [foreign, platform]:
            for method, extra in [("api_keys.get", {}), ("api_keys.revoke", {}), ("api_keys.rotate", {}),
                                  ("api_keys.rotate", {"grace_seconds": 0})]:
                same_as_missing(method, extra, ({"id": key["id"]}, key["id"]), ({"id": missing_key}, missing_key))
        listed = {item["id"] for item in list_keys(conn)}
        assert foreign["id"] not in listed and platform["id"] not in listed
    # Nothing happened to them.
    assert ok(admin, "api_keys.get", {"id": foreign["id"]})["status"] == "ACTIVE"
    assert ok(admin, "api_keys.get", {"id": platform["id"]})["status"] == "ACTIVE"
    assert ok(admin, "api_keys.get", {"id": foreign["id"]})["replaced_by"] is None


def test_tenant_reader_may_not_manage_keys(server, admin, tenant):
    token, reader = issue(admin, "TENANT_READER", tenant)
    _, sibling = issue(admin, "TENANT_READER", tenant)
    with login(server, token) as conn:
        for method, params in [
            ("api_keys.create", {"name": "k", "role": "TENANT_READER"}),
            ("api_keys.create", {"name": "k", "role": "TENANT_READER", "tenant_id": tenant}),
            ("api_keys.list", {}),
            ("api_keys.list", {"tenant_id": tenant}),
            ("api_keys.get", {"id": reader["id"]}),
            ("api_keys.get", {"id": sibling["id"]}),
            ("api_keys.revoke", {"id": sibling["id"]}),
            ("api_keys.rotate", {"id": sibling["id"]}),
            ("api_keys.revoke", {"id": reader["id"]}),
        ]:
            error = fail(conn, method, params, FORBIDDEN)
            assert error["data"] == {"kind": "forbidden"}, (method, error)
        conn.probe()
    assert ok(admin, "api_keys.get", {"id": sibling["id"]})["status"] == "ACTIVE"
    assert ok(admin, "api_keys.get", {"id": reader["id"]})["status"] == "ACTIVE"


# ---------------------------------------------------------------- revoke


def test_revoke_is_immediate_and_closes_live_connections(server, admin, tenant):
    token, key = issue(admin, "TENANT_READER", tenant)
    live = login(server, token)
    second = login(server, token)  # verified from the cache
    try:
        live.probe()
        revoked = ok(admin, "api_keys.revoke", {"id": key["id"]})
        assert revoked["status"] == "REVOKED"
        assert revoked["revoked_at"] is not None and TIMESTAMP.match(revoked["revoked_at"])
        assert revoked["revision"] > key["revision"]
        assert_cut_off(live)
        assert_cut_off(second)
    finally:
        live.close()
        second.close()
    assert_auth_failed(hello_response(server, token))
    assert ok(admin, "api_keys.get", {"id": key["id"]}) == revoked
    admin.probe()


def test_revoking_twice_is_a_no_op(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant)
    first = ok(admin, "api_keys.revoke", {"id": key["id"]})
    again = ok(admin, "api_keys.revoke", {"id": key["id"]})
    assert again == first


def test_dry_run_revoke_changes_nothing(server, admin, tenant):
    token, key = issue(admin, "TENANT_READER", tenant)
    with login(server, token) as live:
        preview = ok(admin, "api_keys.revoke", {"id": key["id"], "dry_run": True})
        assert preview["status"] == "REVOKED"
        live.probe()
    assert ok(admin, "api_keys.get", {"id": key["id"]})["status"] == "ACTIVE"
    assert "result" in hello_response(server, token)


def test_revoke_with_expected_revision(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant)
    error = fail(admin, "api_keys.revoke", {"id": key["id"], "expected_revision": key["revision"] + 1000}, CONFLICT)
    assert error["data"]["reason"] == "revision_mismatch"
    assert ok(admin, "api_keys.get", {"id": key["id"]})["status"] == "ACTIVE"
    assert ok(admin, "api_keys.revoke", {"id": key["id"], "expected_revision": key["revision"]})["status"] == "REVOKED"


def test_a_key_revoking_itself_reads_its_answer_then_is_cut_off(server, admin, tenant):
    token, key = issue(admin, "TENANT_ADMIN", tenant)
    conn = login(server, token)
    other = login(server, token)
    try:
        revoked = ok(conn, "api_keys.revoke", {"id": key["id"]})
        assert revoked["id"] == key["id"] and revoked["status"] == "REVOKED"
        assert_cut_off(other)
        assert_refused_then_closed(conn)
    finally:
        conn.close()
        other.close()
    assert_auth_failed(hello_response(server, token))


def test_revoking_another_key_leaves_the_revoking_connection_working(server, admin, tenant):
    manager_token, _ = issue(admin, "TENANT_ADMIN", tenant)
    reader_token, reader = issue(admin, "TENANT_READER", tenant)
    with login(server, manager_token) as manager, login(server, reader_token) as live:
        assert ok(manager, "api_keys.revoke", {"id": reader["id"]})["status"] == "REVOKED"
        manager.probe()
        ok(manager, "api_keys.list", {})
        assert_cut_off(live)


# ---------------------------------------------------------------- rotate


def test_rotate_issues_a_new_key_and_keeps_the_old_one_for_the_default_grace(server, admin, admin_id, tenant):
    old_token, old = issue(admin, "TENANT_ADMIN", tenant)
    with login(server, old_token) as live:
        result = ok(admin, "api_keys.rotate", {"id": old["id"]})
        assert set(result) == {"key", "api_key", "previous"}
        new, new_token, previous = result["key"], result["api_key"], result["previous"]
        assert TOKEN.match(new_token) and TOKEN.match(new_token).group(1) == new["id"]
        assert new_token != old_token and new["id"] != old["id"]
        assert set(new) == KEY_MEMBERS and set(previous) == KEY_MEMBERS
        assert (new["role"], new["tenant_id"], new["name"]) == ("TENANT_ADMIN", tenant, old["name"])
        assert new["status"] == "ACTIVE" and new["created_by"] == admin_id
        assert previous["id"] == old["id"] and previous["replaced_by"] == new["id"]
        assert previous["status"] == "ACTIVE" and previous["revoked_at"] is None
        grace = parse_time(previous["expires_at"]) - parse_time(new["created_at"])
        assert abs(grace - 86400) < 5, previous
        assert_no_secrets([new, previous], [old_token, new_token])
        # Both keys work during the grace period: the live connection, a new hello with the old key, the new key.
        live.probe()
        ok(live, "api_keys.list", {})
        assert hello_response(server, old_token)["result"]["key"]["id"] == old["id"]
        assert hello_response(server, new_token)["result"]["key"] == {"id": new["id"], "role": "TENANT_ADMIN",
                                                                      "tenant_id": tenant}
    assert ok(admin, "api_keys.get", {"id": old["id"]}) == previous
    assert ok(admin, "api_keys.get", {"id": new["id"]})["id"] == new["id"]


def test_rotate_with_no_grace_stops_the_old_key_at_once(server, admin, tenant):
    old_token, old = issue(admin, "TENANT_READER", tenant)
    live = login(server, old_token)  # verified (and cached) before the rotation
    try:
        live.probe()
        result = ok(admin, "api_keys.rotate", {"id": old["id"], "grace_seconds": 0})
        assert result["key"]["role"] == "TENANT_READER" and result["key"]["tenant_id"] == tenant
        assert parse_time(result["previous"]["expires_at"]) <= parse_time(result["key"]["created_at"]) + 1
        assert_refused_then_closed(live)
    finally:
        live.close()
    assert_auth_failed(hello_response(server, old_token))
    assert ok(admin, "api_keys.get", {"id": old["id"]})["status"] == "EXPIRED"
    assert "result" in hello_response(server, result["api_key"])


def test_old_key_fails_when_the_grace_period_ends(server, admin, tenant):
    old_token, old = issue(admin, "TENANT_READER", tenant)
    live = login(server, old_token)
    try:
        result = ok(admin, "api_keys.rotate", {"id": old["id"], "grace_seconds": 1})
        grace_end = parse_time(result["previous"]["expires_at"])
        # Still usable inside the grace period: the live connection and a new hello (verified again).
        live.probe(quiet=0)
        during = login(server, old_token)
        try:
            time.sleep(max(0.0, grace_end - time.time()) + 0.15)
            assert_refused_then_closed(live)
            assert_refused_then_closed(during)
        finally:
            during.close()
    finally:
        live.close()
    assert_auth_failed(hello_response(server, old_token))
    assert ok(admin, "api_keys.get", {"id": old["id"]})["status"] == "EXPIRED"
    assert "result" in hello_response(server, result["api_key"])


def test_rotate_grace_bounds(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant)
    for bad in [-1, 604801, 10**12, "60", 1.5, True]:
        assert_invalid(fail(admin, "api_keys.rotate", {"id": key["id"], "grace_seconds": bad}), {"grace_seconds": None})
    assert ok(admin, "api_keys.get", {"id": key["id"]})["replaced_by"] is None
    result = ok(admin, "api_keys.rotate", {"id": key["id"], "grace_seconds": 604800})
    grace = parse_time(result["previous"]["expires_at"]) - parse_time(result["key"]["created_at"])
    assert abs(grace - 604800) < 5, result["previous"]
    result = ok(admin, "api_keys.rotate", {"id": result["key"]["id"], "grace_seconds": 60})
    grace = parse_time(result["previous"]["expires_at"]) - parse_time(result["key"]["created_at"])
    assert abs(grace - 60) < 5, result["previous"]


def test_rotate_unknown_members_are_refused(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant)
    assert_invalid(fail(admin, "api_keys.rotate", {"id": key["id"], "grace": 5}), {"grace": "is not a known parameter"})


def test_rotating_a_revoked_key_is_a_conflict(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant)
    ok(admin, "api_keys.revoke", {"id": key["id"]})
    error = fail(admin, "api_keys.rotate", {"id": key["id"]}, CONFLICT)
    assert error["data"]["kind"] == "conflict"
    assert_no_secrets(error)
    assert [item["id"] for item in list_keys(admin, tenant_id=tenant)] == [key["id"]]


def test_rotating_an_expired_key_is_a_conflict(admin, tenant):
    _, key = issue(admin, "TENANT_READER", tenant)
    ok(admin, "api_keys.rotate", {"id": key["id"], "grace_seconds": 0})
    fail(admin, "api_keys.rotate", {"id": key["id"]}, CONFLICT)


def test_dry_run_rotate_changes_nothing(server, admin, tenant):
    token, key = issue(admin, "TENANT_READER", tenant)
    result = ok(admin, "api_keys.rotate", {"id": key["id"], "grace_seconds": 0, "dry_run": True})
    assert result["api_key"] is None
    assert_no_secrets(result)
    assert ok(admin, "api_keys.get", {"id": key["id"]}) == key
    assert [item["id"] for item in list_keys(admin, tenant_id=tenant)] == [key["id"]]
    assert "result" in hello_response(server, token)


# ---------------------------------------------------------------- expiry


def test_expiry_is_enforced_at_hello_and_on_live_connections(server, admin, tenant):
    expires = time.time() + 1.5
    token, key = issue(admin, "TENANT_READER", tenant, expires_at=rfc3339(expires))
    assert key["status"] == "ACTIVE"
    live = login(server, token)
    cached = login(server, token)
    try:
        live.probe()
        time.sleep(max(0.0, expires - time.time()) + 0.15)
        assert_refused_then_closed(live)
        assert_refused_then_closed(cached)
    finally:
        live.close()
        cached.close()
    assert_auth_failed(hello_response(server, token))
    got = ok(admin, "api_keys.get", {"id": key["id"]})
    assert got["status"] == "EXPIRED"
    assert [item["id"] for item in list_keys(admin, tenant_id=tenant, status="EXPIRED")] == [key["id"]]


# ---------------------------------------------------------------- last_used_at


def _wait_for_last_use(admin, key_id, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = ok(admin, "api_keys.get", {"id": key_id})["last_used_at"]
        if value is not None:
            return value
        time.sleep(0.02)
    raise AssertionError("last_used_at was never set after a successful hello")


def test_last_used_at_is_recorded_at_most_once_a_minute(server, admin, tenant):
    token, key = issue(admin, "TENANT_READER", tenant)
    assert key["last_used_at"] is None
    start = time.time()
    with login(server, token) as conn:
        ok(conn, "groups.list", {"tenant_id": tenant})
    first = _wait_for_last_use(admin, key["id"])
    assert start - 2 <= parse_time(first) <= time.time() + 2
    # A second hello within the minute, and requests, leave it as it is.
    with login(server, token) as conn:
        for _ in range(5):
            ok(conn, "groups.list", {"tenant_id": tenant})
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        assert ok(admin, "api_keys.get", {"id": key["id"]})["last_used_at"] == first
        time.sleep(0.05)
    # Failed hellos are no use of the key.
    other_token, other = issue(admin, "TENANT_READER", tenant)
    bad = other_token[:-1] + ("a" if other_token[-1] != "a" else "b")
    assert_auth_failed(hello_response(server, bad))
    assert ok(admin, "api_keys.get", {"id": other["id"]})["last_used_at"] is None


# ---------------------------------------------------------------- deleting the tenant


def test_deleting_a_tenant_stops_its_keys(server, admin, tenant):
    token, key = issue(admin, "TENANT_ADMIN", tenant)
    live = login(server, token)
    try:
        ok(live, "groups.create", {"tenant_id": tenant, "name": "Doomed"})
        ok(admin, "tenants.delete", {"id": tenant, "cascade": True})
        assert_cut_off(live)
    finally:
        live.close()
    assert_auth_failed(hello_response(server, token))


def test_a_rotated_key_never_outlives_the_key_that_rotated_it(server, admin, tenant):
    """Issue 11 (5): a TENANT_ADMIN key that expires in 1 h rotates a sibling with no expiry and a
    week of grace: the new key and the old key's grace both end when the rotating key does."""
    limit = time.time() + 3600
    rotator_token, _ = issue(admin, "TENANT_ADMIN", tenant, expires_at=rfc3339(limit))
    _, sibling = issue(admin, "TENANT_READER", tenant)
    assert sibling["expires_at"] is None
    with login(server, rotator_token) as conn:
        rotated = ok(conn, "api_keys.rotate", {"id": sibling["id"], "grace_seconds": 604_800})
        created = ok(conn, "api_keys.create", {"name": "made", "role": "TENANT_READER"})
    assert rotated["key"]["expires_at"] is not None, rotated
    assert parse_time(rotated["key"]["expires_at"]) <= limit + 1, rotated
    assert parse_time(rotated["previous"]["expires_at"]) <= limit + 1, "the grace period is capped too"
    assert parse_time(created["key"]["expires_at"]) <= limit + 1, "as for a created key"


def test_key_creation_cannot_starve_authentication(server, admin, tenant):
    """Issue 11 (4): 64 pipelined api_keys.create (real ones and dry runs) on two connections of one
    TENANT_ADMIN key, while 12 hellos with valid keys that are not remembered arrive: every hello
    succeeds. Creation hashes in its own lane of the argon2 pool, at most 2 at once per key, and a
    dry run does not hash at all."""
    tokens = [issue(admin, "TENANT_READER", tenant)[0] for _ in range(12)]
    creator, _ = issue(admin, "TENANT_ADMIN", tenant)
    flooders = [login(server, creator) for _ in range(2)]
    try:
        for number, conn in enumerate(flooders):
            conn.send(b"".join(harness.frame(harness.compact({
                "jsonrpc": "2.0", "id": index, "method": "api_keys.create",
                "params": {"name": f"flood-{number}-{index}", "role": "TENANT_READER", "dry_run": index % 2 == 0}}))
                for index in range(64)))
        # Creating a key does not verify it: each hello below runs argon2 while the creations queue.
        conns = [server.connect() for _ in tokens]
        for number, (conn, token) in enumerate(zip(conns, tokens)):
            conn.send(harness.frame(harness.compact(
                {"jsonrpc": "2.0", "id": number, "method": "hello", "params": {"api_key": token, "protocol_version": 1}})))
        answers = [conn.read_message(timeout=20) for conn in conns]
        for conn in conns:
            conn.close()
        refused = [answer for answer in answers if "result" not in answer]
        assert not refused, f"{len(refused)} of 12 valid hellos refused while keys were being created: {refused[0]!r}"
        outcomes = {}
        for conn in flooders:
            for _ in range(64):
                answer = conn.read_message(timeout=30)
                code = answer["error"]["code"] if "error" in answer else "result"
                outcomes[code] = outcomes.get(code, 0) + 1
        assert set(outcomes) <= {"result", -32014}, outcomes
        assert outcomes.get("result", 0) >= 64, f"every dry run needs no hash and succeeds: {outcomes}"
    finally:
        for conn in flooders:
            conn.close()
