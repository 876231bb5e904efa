"""Small helpers for the configuration tests of templates and hero cards (test_config_templates.py,
test_config_hero_cards.py, test_render_vectors.py): fresh tenants with a group and a WhatsApp number,
calls that must succeed or fail, and the paths of a -32602.

Every helper takes the connection to use, so a test speaks over one connection. `SharedConnection`
keeps one authenticated connection per test module (a `hello` costs an Argon2 verification, which
would dominate hundreds of small tests); every test still works in its own fresh tenant.
"""

from __future__ import annotations

import itertools
import random
import uuid

import harness

_ids = itertools.count(1)


class SharedConnection:
    """One ADMIN connection reused by the tests of a module; replaced when a test leaves it unusable
    (a timed-out read, a frame left over, a closed socket)."""

    def __init__(self, server):
        self.server = server
        self.conn: harness.Connection | None = None

    def get(self) -> harness.Connection:
        if self.conn is None:
            self.conn = self.server.connect()
            self.conn.hello(self.server.admin_key)
        return self.conn

    def check(self):
        """Keeps the connection only if nothing is pending and it answers a ping."""
        if self.conn is None:
            return
        try:
            healthy = not self.conn.buffer and self.conn.request("ping", None, id="health", timeout=5.0).get(
                "result") == {}
        except Exception:  # noqa: BLE001 - any failure means: start over with a new connection
            healthy = False
        if not healthy:
            self.close()

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def call_raw(conn: harness.Connection, method: str, params: dict) -> dict:
    """The whole response to `method` with `params` (a fresh request id each time)."""
    return conn.request(method, params, id=next(_ids))


def ok(conn: harness.Connection, method: str, **params):
    """The result of a call that must succeed."""
    response = call_raw(conn, method, params)
    assert "result" in response, f"{method} failed: {response.get('error')!r}\nparams: {params!r}"
    return response["result"]


def fail(conn: harness.Connection, method: str, code: int | None = None, **params) -> dict:
    """The error of a call that must fail (with `code`, when given)."""
    response = call_raw(conn, method, params)
    assert "error" in response, f"{method} succeeded but must fail: {response.get('result')!r}\nparams: {params!r}"
    if code is not None:
        assert response["error"]["code"] == code, f"expected {code}, got {response['error']!r}"
    return response["error"]


def paths(error: dict) -> set[str]:
    """The distinct paths of a -32602's data.errors."""
    assert error["code"] == -32602, f"expected -32602, got {error!r}"
    return {entry["path"] for entry in error["data"]["errors"]}


def invalid(conn: harness.Connection, method: str, **params) -> set[str]:
    """Calls `method`, which must fail with -32602, and returns the set of error paths."""
    return paths(fail(conn, method, -32602, **params))


def unique_name(prefix: str = "n") -> str:
    """A lower_snake name no other test uses (valid as a template name)."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def unique_phone() -> str:
    """An E.164 number no other test (nor any other tenant of the shared server) uses."""
    return "+49" + "".join(random.choice("0123456789") for _ in range(12))


def unique_waba() -> str:
    return str(random.randrange(10**14, 10**15))


def new_tenant(conn: harness.Connection) -> str:
    """A fresh tenant without the default block list (fast to create); returns its id."""
    return ok(conn, "tenants.create", slug="t-" + uuid.uuid4().hex[:20], name="Test tenant",
              seed_blocked_file_types=False)["id"]


def new_group(conn: harness.Connection, tenant_id: str) -> str:
    return ok(conn, "groups.create", tenant_id=tenant_id, name=unique_name("group"))["id"]


def new_number(conn: harness.Connection, tenant_id: str, group_id: str | None = None, waba_id: str | None = None) -> str:
    """A WhatsApp number of the tenant (and a group for it if none is given); returns its id."""
    group_id = group_id or new_group(conn, tenant_id)
    return ok(conn, "whatsapp_numbers.create", tenant_id=tenant_id, name=unique_name("number"),
              phone_number=unique_phone(), waba_id=waba_id or unique_waba(), routing_group_id=group_id)["id"]


class TemplateTenant:
    """A fresh tenant with a group and one WhatsApp number, and shortcuts for its templates."""

    def __init__(self, conn: harness.Connection):
        self.conn = conn
        self.tenant_id = new_tenant(conn)
        self.group_id = new_group(conn, self.tenant_id)
        self.waba_id = unique_waba()
        self.number_id = new_number(conn, self.tenant_id, self.group_id, self.waba_id)

    def params(self, **overrides) -> dict:
        """Valid templates.create params (a MARKETING template with a plain body), with `overrides`;
        an override of None removes the member."""
        params = {"tenant_id": self.tenant_id, "whatsapp_number_id": self.number_id, "name": unique_name("tpl"),
                  "language": "en", "category": "MARKETING", "components": {"body": {"text": "Hello there."}}}
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not None}

    def create_response(self, **overrides) -> dict:
        return call_raw(self.conn, "templates.create", self.params(**overrides))

    def create(self, **overrides) -> dict:
        """Creates a template that must be accepted; returns it (with `warnings` if any)."""
        response = self.create_response(**overrides)
        assert "result" in response, f"templates.create failed: {response.get('error')!r}"
        return response["result"]

    def refused(self, **overrides) -> set[str]:
        """Creates a template that must be refused with -32602; returns the error paths."""
        response = self.create_response(**overrides)
        assert "error" in response, f"templates.create accepted what it must refuse: {response.get('result')!r}"
        return paths(response["error"])

    def components(self, **members) -> dict:
        """`create` with components built from `members` (body defaults to a plain text)."""
        components = {"body": {"text": "Hello there."}}
        components.update(members)
        return {key: value for key, value in components.items() if value is not None}
