"""Helpers for the tenant-configuration tests (test_config_*.py): fresh tenants, creating objects,
and assertions on the error shapes of docs/configuration.md.

Every test makes its own tenant (unique slug), so tests never see each other's data even though
they share one parleyd per session. Values that are unique across all tenants (phone numbers,
phone-number ids) are random, so they never clash with other test files either.
"""

from __future__ import annotations

import itertools
import random
import uuid

INVALID_PARAMS = -32602
NOT_FOUND = -32004
CONFLICT = -32009

_ids = itertools.count(1)
_random = random.SystemRandom()


def rpc(conn, method, params):
    """The whole response to one request (with a fresh id)."""
    return conn.request(method, params, id=f"cfg-{next(_ids)}")


def ok(conn, method, params):
    """The result of a call that must succeed."""
    response = rpc(conn, method, params)
    assert "result" in response, f"{method} failed: {response.get('error')!r} (params {params!r})"
    return response["result"]


def fail(conn, method, params, code=None):
    """The error of a call that must fail (with `code`, when given)."""
    response = rpc(conn, method, params)
    assert "error" in response, f"{method} should have failed, got {response.get('result')!r} (params {params!r})"
    if code is not None:
        assert response["error"]["code"] == code, f"expected code {code}, got {response['error']!r}"
    return response["error"]


def _error_of(response_or_error):
    if "error" in response_or_error:
        return response_or_error["error"]
    assert "code" in response_or_error, f"expected an error, got {response_or_error!r}"
    return response_or_error


def assert_invalid(response_or_error, expected):
    """Asserts -32602 whose `data.errors` report exactly the SET of paths in `expected`
    ({path: substring of one message at that path, or None for any message})."""
    error = _error_of(response_or_error)
    assert error["code"] == INVALID_PARAMS, f"expected -32602, got {error!r}"
    assert error["data"]["kind"] == "invalid_params", error
    errors = error["data"]["errors"]
    paths = {entry["path"] for entry in errors}
    assert paths == set(expected), f"reported paths {sorted(paths)}, expected {sorted(expected)}: {errors!r}"
    for path, fragment in expected.items():
        if fragment is None:
            continue
        messages = [entry["message"] for entry in errors if entry["path"] == path]
        assert any(fragment in message for message in messages), f"{path}: no message contains {fragment!r}: {messages!r}"
    return errors


def assert_conflict(response_or_error, reason, field=None):
    """Asserts -32009 with `data.reason` (and `data.field`, when given)."""
    error = _error_of(response_or_error)
    assert error["code"] == CONFLICT, f"expected -32009, got {error!r}"
    assert error["data"]["kind"] == "conflict", error
    assert error["data"]["reason"] == reason, error
    if field is not None:
        assert error["data"].get("field") == field, error
    return error


def assert_not_found(response_or_error, type_, id_):
    """Asserts -32004 naming `type_` and `id_`."""
    error = _error_of(response_or_error)
    assert error["code"] == NOT_FOUND, f"expected -32004, got {error!r}"
    assert error["data"] == {"kind": "not_found", "type": type_, "id": id_}, error
    return error


def new_tenant(conn, seed=False, name="Config test"):
    """A fresh tenant's id; without the default block list unless `seed`."""
    slug = "cfg-" + uuid.uuid4().hex[:16]
    return ok(conn, "tenants.create", {"slug": slug, "name": name, "seed_blocked_file_types": seed})["id"]


def absent_id(prefix):
    """A well-formed id that names no object (`grp_` + 26 characters)."""
    return prefix + "_01" + "".join(_random.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(24))


def unique_phone():
    """A random E.164 number (14 digits) no other test uses."""
    return "+3598" + "".join(_random.choice("0123456789") for _ in range(10))


def unique_digits(length=15):
    """A random digit string (a Meta id) no other test uses."""
    return "9" + "".join(_random.choice("0123456789") for _ in range(length - 1))


def create_group(conn, tenant_id, name=None, **fields):
    params = {"tenant_id": tenant_id, "name": name or ("group-" + uuid.uuid4().hex[:8])}
    params.update(fields)
    return ok(conn, "groups.create", params)


def number_params(tenant_id, group_id, /, **fields):
    """Valid `whatsapp_numbers.create` params (random name and phone number), overridden by `fields`."""
    params = {
        "tenant_id": tenant_id,
        "name": "number-" + uuid.uuid4().hex[:8],
        "phone_number": unique_phone(),
        "waba_id": "104996122399160",
        "routing_group_id": group_id,
    }
    params.update(fields)
    return params


def create_number(conn, tenant_id, routing_group_id=None, **fields):
    if routing_group_id is None:
        routing_group_id = create_group(conn, tenant_id)["id"]
    return ok(conn, "whatsapp_numbers.create", number_params(tenant_id, routing_group_id, **fields))


def create_tag(conn, tenant_id, name=None, **fields):
    params = {"tenant_id": tenant_id, "name": name or ("tag-" + uuid.uuid4().hex[:8])}
    params.update(fields)
    return ok(conn, "tags.create", params)


def create_blocked(conn, tenant_id, extension, **fields):
    params = {"tenant_id": tenant_id, "extension": extension}
    params.update(fields)
    return ok(conn, "blocked_file_types.create", params)


def list_all(conn, family, tenant_id, **filters):
    """Every item of `<family>.list`, walking the cursor."""
    items, cursor = [], None
    for _ in range(1000):
        params = {"tenant_id": tenant_id, "limit": 1000, **filters}
        if cursor is not None:
            params["cursor"] = cursor
        page = ok(conn, f"{family}.list", params)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the list never ended")


def without_bookkeeping(obj):
    """An object's fields without what the server keeps (id, tenant_id, revision, timestamps, warnings)."""
    return {key: value for key, value in obj.items()
            if key not in {"id", "tenant_id", "revision", "created_at", "updated_at", "warnings"}}
