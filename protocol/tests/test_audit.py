"""The audit log over the protocol (issue 4): every mutation leaves one record whatever its outcome
(APPLIED, DRY_RUN, UNCHANGED, FAILED, DENIED), reads leave none, `audit.list` filters and pages
newest first, a TENANT_ADMIN sees only its tenant's records, and secrets are never recorded.

Every test works in fresh tenants and with fresh keys on the shared session server, and looks only
at records filtered by those tenants or keys, so other tests' records never get in the way.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest

from config_helpers import absent_id, assert_invalid, create_group, fail, new_tenant, ok, rpc

FORBIDDEN = -32003
NOT_FOUND = -32004
CONFLICT = -32009
INVALID_PARAMS = -32602

RECORD_MEMBERS = {"id", "at", "key_id", "tenant_id", "method", "target_type", "target_id", "outcome", "error_code",
                  "revision", "changes"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TOKEN = re.compile(r"prly_[0-9A-Za-z]{16}_([0-9A-Za-z]{43})")


# ---------------------------------------------------------------- helpers


def records(conn, **filters):
    """Every record `audit.list` returns for `filters`, newest first, walking the cursor."""
    items, cursor = [], None
    for _ in range(1000):
        params = {"limit": 1000, **filters}
        if cursor is not None:
            params["cursor"] = cursor
        page = ok(conn, "audit.list", params)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the audit list never ended")


def latest(conn, **filters):
    """The newest record for `filters`."""
    page = ok(conn, "audit.list", {"limit": 1, **filters})
    assert page["items"], f"no audit record for {filters!r}"
    return page["items"][0]


def issue(admin, role, tenant_id=None):
    params = {"name": "key-" + uuid.uuid4().hex[:8], "role": role}
    if tenant_id is not None:
        params["tenant_id"] = tenant_id
    result = ok(admin, "api_keys.create", params)
    return result["api_key"], result["key"]["id"]


def assert_record(record, **expected):
    assert set(record) == RECORD_MEMBERS, record
    assert record["id"].startswith("aud_"), record
    assert TIMESTAMP.match(record["at"]), record
    for name, value in expected.items():
        assert record[name] == value, f"{name}: expected {value!r}, got {record[name]!r} in {record!r}"
    return record


def assert_no_secrets(value, tokens=()):
    text = json.dumps(value)
    assert "prly_" not in text, text
    assert "argon2" not in text, text
    for token in tokens:
        assert TOKEN.search(token).group(1) not in text, text
    for member in ("secret", "secret_hash", "hash", "api_key"):
        assert f'"{member}":' not in text, text


def assert_in_order(found, sequence):
    """`found` (an audit.list result) holds one record per (method, target_id) of `sequence`, which
    lists them oldest first: ids strictly decreasing, `at` never increasing, and the record of a later
    call never older than that of an earlier one. (Ids made in the same millisecond are in arbitrary
    order, so calls within one millisecond may be listed either way.)"""
    ids = [r["id"] for r in found]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids), ids
    times = [r["at"] for r in found]
    assert times == sorted(times, reverse=True), times
    by_call = {(r["method"], r["target_id"]): r for r in found}
    assert len(by_call) == len(found) and set(by_call) == set(sequence), (sorted(by_call), sequence)
    along = [by_call[call]["at"] for call in sequence]
    assert along == sorted(along), list(zip(sequence, along))


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


@pytest.fixture
def admin_id(server, admin):
    return ok(admin, "hello", {"api_key": server.admin_key, "protocol_version": 1})["key"]["id"]


@pytest.fixture
def login(server):
    """Opens connections authenticated with given tokens; closes them after the test."""
    opened = []

    def connect(token):
        conn = server.connect()
        opened.append(conn)
        conn.hello(token)
        return conn

    yield connect
    for conn in opened:
        conn.close()


# ---------------------------------------------------------------- outcomes


def test_applied_changes_are_recorded_with_revision_and_changes(admin, admin_id, tenant):
    group = create_group(admin, tenant, name="Sales")
    record = latest(admin, tenant_id=tenant)
    assert_record(record, key_id=admin_id, tenant_id=tenant, method="groups.create", target_type="group",
                  target_id=group["id"], outcome="APPLIED", error_code=None, revision=group["revision"])
    assert record["changes"]["name"] == {"before": None, "after": "Sales"}
    assert record["changes"]["queue_size"] == {"before": None, "after": group["queue_size"]}

    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": group["queue_size"] + 3,
                                          "name": "  Sales  "})
    record = latest(admin, tenant_id=tenant)
    assert_record(record, method="groups.update", target_type="group", target_id=group["id"], outcome="APPLIED",
                  error_code=None, revision=updated["revision"])
    assert record["changes"]["queue_size"] == {"before": group["queue_size"], "after": group["queue_size"] + 3}
    assert "name" not in record["changes"]  # unchanged members are not listed
    assert record["revision"] > group["revision"]

    deleted = ok(admin, "groups.delete", {"tenant_id": tenant, "id": group["id"]})
    record = latest(admin, tenant_id=tenant)
    assert_record(record, method="groups.delete", target_id=group["id"], outcome="APPLIED", revision=deleted["revision"])
    assert record["changes"]["name"] == {"before": "Sales", "after": None}


def test_dry_runs_are_recorded(admin, tenant):
    preview = ok(admin, "groups.create", {"tenant_id": tenant, "name": "Preview", "dry_run": True})
    record = latest(admin, tenant_id=tenant)
    assert_record(record, method="groups.create", tenant_id=tenant, outcome="DRY_RUN", revision=None, error_code=None,
                  target_type="group")
    assert record["changes"]["name"] == {"before": None, "after": "Preview"}
    assert record["target_id"] in (None, preview["id"])
    group = create_group(admin, tenant)
    ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": 9, "dry_run": True})
    assert_record(latest(admin, tenant_id=tenant), method="groups.update", target_id=group["id"], outcome="DRY_RUN",
                  revision=None)
    ok(admin, "groups.delete", {"tenant_id": tenant, "id": group["id"], "dry_run": True})
    assert_record(latest(admin, tenant_id=tenant), method="groups.delete", target_id=group["id"], outcome="DRY_RUN",
                  revision=None)
    assert ok(admin, "groups.get", {"tenant_id": tenant, "id": group["id"]}) == {
        key: value for key, value in group.items() if key != "warnings"}


def test_no_op_updates_are_recorded_as_unchanged(admin, tenant):
    group = create_group(admin, tenant, name="Same")
    ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "name": " Same "})
    record = assert_record(latest(admin, tenant_id=tenant), method="groups.update", target_id=group["id"],
                           outcome="UNCHANGED", revision=None, error_code=None)
    assert record["changes"] == {}


def test_validation_failures_are_recorded(admin, tenant):
    fail(admin, "groups.create", {"tenant_id": tenant, "name": "", "queue_size": -1}, INVALID_PARAMS)
    assert_record(latest(admin, tenant_id=tenant), method="groups.create", tenant_id=tenant, outcome="FAILED",
                  error_code=INVALID_PARAMS, revision=None, changes={})
    group = create_group(admin, tenant)
    fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": 100000}, INVALID_PARAMS)
    assert_record(latest(admin, tenant_id=tenant), method="groups.update", target_type="group", target_id=group["id"],
                  outcome="FAILED", error_code=INVALID_PARAMS, revision=None, changes={})


def test_conflicts_are_recorded(admin, tenant):
    group = create_group(admin, tenant, name="Taken")
    fail(admin, "groups.create", {"tenant_id": tenant, "name": "taken"}, CONFLICT)
    assert_record(latest(admin, tenant_id=tenant), method="groups.create", outcome="FAILED", error_code=CONFLICT,
                  revision=None)
    fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": 3,
                                  "expected_revision": group["revision"] + 1000}, CONFLICT)
    assert_record(latest(admin, tenant_id=tenant), method="groups.update", target_id=group["id"], outcome="FAILED",
                  error_code=CONFLICT, revision=None)


def test_missing_objects_are_recorded(admin, tenant):
    missing = absent_id("grp")
    fail(admin, "groups.delete", {"tenant_id": tenant, "id": missing}, NOT_FOUND)
    assert_record(latest(admin, tenant_id=tenant), method="groups.delete", target_id=missing, outcome="FAILED",
                  error_code=NOT_FOUND)


def test_permission_refusals_are_recorded_as_denied(admin, tenant, login):
    other = new_tenant(admin)
    reader_token, reader_id = issue(admin, "TENANT_READER", tenant)
    manager_token, manager_id = issue(admin, "TENANT_ADMIN", tenant)
    reader, manager = login(reader_token), login(manager_token)

    fail(reader, "groups.create", {"tenant_id": tenant, "name": "Nope"}, FORBIDDEN)
    assert_record(latest(admin, key_id=reader_id), method="groups.create", key_id=reader_id, tenant_id=tenant,
                  target_type="group", outcome="DENIED", error_code=FORBIDDEN, revision=None, changes={})
    group = create_group(admin, tenant)
    fail(reader, "groups.delete", {"tenant_id": tenant, "id": group["id"]}, FORBIDDEN)
    assert_record(latest(admin, key_id=reader_id), method="groups.delete", target_id=group["id"], outcome="DENIED",
                  error_code=FORBIDDEN)
    fail(reader, "api_keys.create", {"name": "k", "role": "TENANT_READER"}, FORBIDDEN)
    assert_record(latest(admin, key_id=reader_id), method="api_keys.create", outcome="DENIED", error_code=FORBIDDEN)

    fail(manager, "groups.create", {"tenant_id": other, "name": "Nope"}, NOT_FOUND)
    assert_record(latest(admin, key_id=manager_id), method="groups.create", key_id=manager_id, outcome="DENIED",
                  error_code=NOT_FOUND, revision=None, changes={})
    fail(manager, "tenants.create", {"slug": "x-" + uuid.uuid4().hex[:8], "name": "X"}, FORBIDDEN)
    assert_record(latest(admin, key_id=manager_id), method="tenants.create", outcome="DENIED", error_code=FORBIDDEN)
    fail(manager, "api_keys.create", {"name": "root", "role": "ADMIN"}, FORBIDDEN)
    assert_record(latest(admin, key_id=manager_id), method="api_keys.create", outcome="DENIED", error_code=FORBIDDEN)
    # Nothing was changed by any of them.
    assert [g["id"] for g in ok(admin, "groups.list", {"tenant_id": tenant})["items"]] == [group["id"]]
    assert ok(admin, "groups.list", {"tenant_id": other})["items"] == []


def test_reads_leave_no_record(admin, tenant, login):
    token, key_id = issue(admin, "TENANT_ADMIN", tenant)
    group = create_group(admin, tenant)
    conn = login(token)
    reads = [
        ("groups.get", {"tenant_id": tenant, "id": group["id"]}),
        ("groups.list", {"tenant_id": tenant}),
        ("tags.list", {"tenant_id": tenant}),
        ("files.check", {"tenant_id": tenant, "file_name": "a.exe"}),
        ("api_keys.list", {}),
        ("api_keys.get", {"id": key_id}),
        ("audit.list", {}),
        ("rpc.discover", None),
        ("ping", None),
        ("server.info", None),
    ]
    for method, params in reads:
        assert "result" in rpc(conn, method, params), method
    # Failed reads are no mutations either.
    fail(conn, "groups.get", {"tenant_id": tenant, "id": absent_id("grp")}, NOT_FOUND)
    fail(conn, "groups.list", {"tenant_id": tenant, "limit": 0}, INVALID_PARAMS)
    assert records(admin, key_id=key_id) == []
    # A mutation by the same key is.
    create_group(conn, tenant)
    assert [r["method"] for r in records(admin, key_id=key_id)] == ["groups.create"]


def test_every_mutation_method_leaves_exactly_one_record(admin, tenant, login):
    token, key_id = issue(admin, "TENANT_ADMIN", tenant)
    conn = login(token)
    done = []

    def mutate(method, params, code=None):
        response = rpc(conn, method, params)
        if code is None:
            assert "result" in response, (method, response)
        else:
            assert response["error"]["code"] == code, (method, response)
        result = response.get("result")
        target = params.get("id") or (result.get("key", result)["id"])
        done.append((method, target, "APPLIED" if code is None else "FAILED"))
        return result

    group = mutate("groups.create", {"tenant_id": tenant, "name": "G"})
    mutate("groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": 5})
    number = mutate("whatsapp_numbers.create", {"tenant_id": tenant, "name": "N", "phone_number": "+4208" + str(
        uuid.uuid4().int)[:9], "waba_id": "123456789", "routing_group_id": group["id"]})
    mutate("whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "status": "CONNECTED"})
    template = mutate("templates.create", {"tenant_id": tenant, "whatsapp_number_id": number["id"], "name": "hello",
                                           "language": "en", "category": "UTILITY",
                                           "components": {"body": {"text": "Hello."}}})
    mutate("templates.set_status", {"tenant_id": tenant, "id": template["id"], "status": "APPROVED"})
    mutate("templates.update", {"tenant_id": tenant, "id": template["id"], "category": "MARKETING"}, CONFLICT)
    card = mutate("hero_cards.create", {"tenant_id": tenant, "name": "C", "channel": "WEBCHAT", "default_language": "en",
                                        "localizations": {"en": {"title": "Hi"}}})
    mutate("hero_cards.update", {"tenant_id": tenant, "id": card["id"], "name": "C2"})
    mutate("hero_cards.delete", {"tenant_id": tenant, "id": card["id"]})
    tag = mutate("tags.create", {"tenant_id": tenant, "name": "vip"})
    mutate("tags.update", {"tenant_id": tenant, "id": tag["id"], "label": "VIP"})
    mutate("tags.delete", {"tenant_id": tenant, "id": tag["id"]})
    blocked = mutate("blocked_file_types.create", {"tenant_id": tenant, "extension": "iso"})
    mutate("blocked_file_types.update", {"tenant_id": tenant, "id": blocked["id"], "reason": "disk images"})
    mutate("blocked_file_types.delete", {"tenant_id": tenant, "id": blocked["id"]})
    mutate("templates.delete", {"tenant_id": tenant, "id": template["id"]})
    mutate("whatsapp_numbers.delete", {"tenant_id": tenant, "id": number["id"]})
    mutate("groups.delete", {"tenant_id": tenant, "id": group["id"]})
    reader = mutate("api_keys.create", {"name": "r", "role": "TENANT_READER"})
    rotated = mutate("api_keys.rotate", {"id": reader["key"]["id"], "grace_seconds": 0})
    mutate("api_keys.revoke", {"id": rotated["key"]["id"]})

    found = records(admin, key_id=key_id)
    assert sorted((r["method"], r["target_id"], r["outcome"]) for r in found) == sorted(done)
    assert_in_order(found, [(method, target) for method, target, _ in done])
    for record in found:
        assert_record(record, key_id=key_id, tenant_id=tenant)
        if record["outcome"] == "APPLIED":
            assert isinstance(record["revision"], int) and record["target_id"], record
    by_call = {(r["method"], r["target_id"]): r for r in found}
    revisions = [by_call[(method, target)]["revision"] for method, target, outcome in done if outcome == "APPLIED"]
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
    assert_no_secrets(found, [reader["api_key"], rotated["api_key"]])


def test_tenant_and_key_changes_are_recorded(admin, admin_id):
    tenant = ok(admin, "tenants.create", {"slug": "aud-" + uuid.uuid4().hex[:12], "name": "Audited"})
    record = latest(admin, tenant_id=tenant["id"])
    assert_record(record, method="tenants.create", key_id=admin_id, tenant_id=tenant["id"], target_type="tenant",
                  target_id=tenant["id"], outcome="APPLIED", revision=tenant["revision"])
    assert record["changes"]["name"] == {"before": None, "after": "Audited"}
    ok(admin, "tenants.update", {"id": tenant["id"], "name": "Renamed"})
    record = latest(admin, tenant_id=tenant["id"])
    assert_record(record, method="tenants.update", target_id=tenant["id"], outcome="APPLIED")
    assert record["changes"]["name"] == {"before": "Audited", "after": "Renamed"}

    result = ok(admin, "api_keys.create", {"name": "audited", "role": "TENANT_READER", "tenant_id": tenant["id"]})
    key = result["key"]
    record = latest(admin, tenant_id=tenant["id"])
    assert_record(record, method="api_keys.create", tenant_id=tenant["id"], target_type="api_key",
                  target_id=key["id"], outcome="APPLIED", revision=key["revision"])
    assert record["changes"]["role"] == {"before": None, "after": "TENANT_READER"}
    revoked = ok(admin, "api_keys.revoke", {"id": key["id"]})
    record = latest(admin, tenant_id=tenant["id"])
    assert_record(record, method="api_keys.revoke", target_id=key["id"], outcome="APPLIED", revision=revoked["revision"])
    assert record["changes"]["status"] == {"before": "ACTIVE", "after": "REVOKED"}
    ok(admin, "api_keys.revoke", {"id": key["id"]})
    assert_record(latest(admin, tenant_id=tenant["id"]), method="api_keys.revoke", target_id=key["id"],
                  outcome="UNCHANGED", revision=None)
    fail(admin, "api_keys.rotate", {"id": key["id"]}, CONFLICT)
    assert_record(latest(admin, key_id=admin_id, method="api_keys.rotate"), target_id=key["id"], outcome="FAILED",
                  error_code=CONFLICT, revision=None)
    ok(admin, "tenants.delete", {"id": tenant["id"], "cascade": True})
    assert_record(latest(admin, tenant_id=tenant["id"]), method="tenants.delete", target_id=tenant["id"],
                  outcome="APPLIED")
    assert_no_secrets(records(admin, tenant_id=tenant["id"]), [result["api_key"]])


def test_secrets_are_never_recorded(server, admin, tenant, login):
    tokens = []
    for role in ["TENANT_ADMIN", "TENANT_READER"]:
        token, key_id = issue(admin, role, tenant)
        tokens.append(token)
        rotated = ok(admin, "api_keys.rotate", {"id": key_id})
        tokens.append(rotated["api_key"])
    manager = login(tokens[0])
    created = ok(manager, "api_keys.create", {"name": "by tenant", "role": "TENANT_READER"})
    tokens.append(created["api_key"])
    tokens.append(ok(manager, "api_keys.rotate", {"id": created["key"]["id"], "grace_seconds": 0})["api_key"])
    ok(admin, "api_keys.create", {"name": "dry", "role": "TENANT_READER", "tenant_id": tenant, "dry_run": True})
    fail(admin, "api_keys.create", {"name": "bad", "role": "TENANT_READER", "tenant_id": tenant, "expires_at": "x"},
         INVALID_PARAMS)
    found = records(admin, tenant_id=tenant)
    assert len([r for r in found if r["method"].startswith("api_keys.")]) == 8
    assert_no_secrets(found, tokens)
    assert_no_secrets(records(manager), tokens)
    assert_no_secrets(records(admin, limit=1000), tokens)


# ---------------------------------------------------------------- audit.list


def test_list_is_newest_first_and_pages_with_a_cursor(admin, tenant):
    groups = [create_group(admin, tenant) for _ in range(5)]
    everything = records(admin, tenant_id=tenant)
    assert_in_order(everything, [("tenants.create", tenant)] + [("groups.create", g["id"]) for g in groups])
    walked, cursor = [], None
    for _ in range(10):
        page = ok(admin, "audit.list", {"tenant_id": tenant, "limit": 2, **({"cursor": cursor} if cursor else {})})
        assert len(page["items"]) <= 2
        walked += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == everything


def test_list_filters(admin, admin_id, tenant, login):
    other = new_tenant(admin)
    token, key_id = issue(admin, "TENANT_ADMIN", tenant)
    conn = login(token)
    mine = create_group(conn, tenant)
    theirs = create_group(admin, tenant)
    create_group(admin, other)
    tag = ok(admin, "tags.create", {"tenant_id": tenant, "name": "x1"})

    assert {r["tenant_id"] for r in records(admin, tenant_id=tenant)} == {tenant}
    assert [r["target_id"] for r in records(admin, key_id=key_id)] == [mine["id"]]
    by_admin = records(admin, tenant_id=tenant, key_id=admin_id)
    assert {r["key_id"] for r in by_admin} == {admin_id}
    assert theirs["id"] in {r["target_id"] for r in by_admin} and mine["id"] not in {r["target_id"] for r in by_admin}
    assert [r["target_id"] for r in records(admin, tenant_id=tenant, method="tags.create")] == [tag["id"]]
    assert records(admin, tenant_id=tenant, method="tags.delete") == []
    # since: records at or after that time.
    ordered = records(admin, tenant_id=tenant)
    pivot = next(r for r in ordered if r["target_id"] == theirs["id"])
    later = records(admin, tenant_id=tenant, since=pivot["at"])
    assert pivot in later
    assert all(r["at"] >= pivot["at"] for r in later)
    assert [r for r in ordered if r["at"] >= pivot["at"]] == later
    assert records(admin, tenant_id=tenant, since="2999-01-01T00:00:00Z") == []
    assert records(admin, tenant_id=tenant, since="2000-01-01T00:00:00+01:00") == ordered
    # limit
    assert len(ok(admin, "audit.list", {"tenant_id": tenant, "limit": 1})["items"]) == 1


@pytest.mark.parametrize("params, path", [
    ({"limit": 0}, "limit"),
    ({"limit": 1001}, "limit"),
    ({"limit": "5"}, "limit"),
    ({"cursor": "garbage"}, "cursor"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2026-01-01"}, "since"),
    ({"method": 5}, "method"),
    ({"bogus": True}, "bogus"),
])
def test_list_validation(admin, params, path):
    assert_invalid(fail(admin, "audit.list", params), {path: None})


def test_tenant_admin_sees_only_its_tenant(admin, tenant, login):
    other = new_tenant(admin)
    token, key_id = issue(admin, "TENANT_ADMIN", tenant)
    other_token, other_key_id = issue(admin, "TENANT_ADMIN", other)
    conn = login(token)
    create_group(admin, tenant)
    create_group(conn, tenant)
    create_group(admin, other)
    create_group(login(other_token), other)

    own = records(conn)
    assert own and {r["tenant_id"] for r in own} == {tenant}
    assert own == records(admin, tenant_id=tenant)
    assert records(conn, tenant_id=tenant) == own
    assert records(conn, key_id=other_key_id) == []
    assert records(conn, method="groups.create") == [r for r in own if r["method"] == "groups.create"]
    missing = absent_id("tnt")
    seen = fail(conn, "audit.list", {"tenant_id": other}, NOT_FOUND)
    unseen = fail(conn, "audit.list", {"tenant_id": missing}, NOT_FOUND)
    assert json.loads(json.dumps(seen).replace(other, "X")) == json.loads(json.dumps(unseen).replace(missing, "X"))
    # An ADMIN sees every tenant.
    both = {r["tenant_id"] for r in records(admin, limit=1000)}
    assert {tenant, other} <= both


def test_tenant_reader_may_not_read_the_audit_log(admin, tenant, login):
    token, _ = issue(admin, "TENANT_READER", tenant)
    conn = login(token)
    for params in [{}, {"tenant_id": tenant}]:
        error = fail(conn, "audit.list", params, FORBIDDEN)
        assert error["data"] == {"kind": "forbidden"}


def test_audit_list_needs_hello(server):
    with server.connect() as conn:
        response = conn.request("audit.list", {}, id=1)
        assert response["error"]["code"] == -32001


def test_refused_attempts_on_another_tenant_are_not_shown_to_that_tenant(admin, tenant, login):
    other = new_tenant(admin)
    prober_token, prober_id = issue(admin, "TENANT_ADMIN", tenant)
    victim_token, _ = issue(admin, "TENANT_ADMIN", other)
    prober, victim = login(prober_token), login(victim_token)
    fail(prober, "groups.create", {"tenant_id": other, "name": "probe"}, NOT_FOUND)
    fail(prober, "tags.delete", {"tenant_id": other, "id": absent_id("tag")}, NOT_FOUND)
    # The attempts are on record, in the log of the key's own tenant ...
    found = records(admin, key_id=prober_id)
    assert [r["outcome"] for r in found] == ["DENIED", "DENIED"]
    assert {r["tenant_id"] for r in found} == {tenant}
    assert [r["method"] for r in records(prober, method="tags.delete")] == ["tags.delete"]
    # ... and the other tenant's audit log says nothing about another tenant's key.
    seen = records(victim)
    assert prober_id not in json.dumps(seen), [r for r in seen if r["key_id"] == prober_id]
    assert records(admin, tenant_id=other, key_id=prober_id) == []
