"""The access-control matrix over the protocol (issue 4): representative methods of every family,
each called by every role (ADMIN, TENANT_ADMIN and TENANT_READER of tenant A) on
- `own`: tenant A and A's objects,
- `other`: tenant B and B's objects (another tenant that exists),
- `missing`: a tenant that does not exist,
- `foreign`: tenant A, but naming one of B's objects (as the target or as a reference).

Expected: reads are allowed to every role in its own tenant, writes to ADMIN and TENANT_ADMIN only
(-32003 for TENANT_READER); another tenant is -32004 exactly as a missing one (same code, message
and data once the id is substituted); another tenant's object is -32004 exactly as a missing object;
lists never include other tenants' objects; tenants.* and the key/audit methods follow their roles.

Writes are dry runs, so no cell changes what another cell sees; the world (two tenants, their
objects, the keys and one connection per role) is built once per module.
"""

from __future__ import annotations

import json
import uuid

import pytest

from config_helpers import absent_id, ok, unique_digits, unique_phone

FORBIDDEN = -32003
NOT_FOUND = -32004
ROLES = ["ADMIN", "TENANT_ADMIN", "TENANT_READER"]
TARGETS = ["own", "other", "missing", "foreign"]
PREFIXES = {"group": "grp", "whatsapp_number": "wan", "template": "tpl", "hero_card": "hcd", "tag": "tag",
            "blocked_file_type": "bft"}


# ---------------------------------------------------------------- the world


def build_tenant(admin):
    """A tenant with one object of every family (plus what they refer to); returns the ids."""
    tenant = ok(admin, "tenants.create", {"slug": "roles-" + uuid.uuid4().hex[:12], "name": "Roles",
                                          "seed_blocked_file_types": False})["id"]
    ids = {"tenant": tenant}

    def make(method, params):
        return ok(admin, method, {"tenant_id": tenant, **params})["id"]

    ids["routing_group"] = make("groups.create", {"name": "Routing"})
    ids["group"] = make("groups.create", {"name": "Standalone"})
    number = {"phone_number": unique_phone(), "waba_id": unique_digits(15), "routing_group_id": ids["routing_group"]}
    ids["template_number"] = make("whatsapp_numbers.create", {"name": "Templates", **number})
    ids["whatsapp_number"] = make("whatsapp_numbers.create", {
        "name": "Standalone", "phone_number": unique_phone(), "waba_id": unique_digits(15),
        "routing_group_id": ids["routing_group"]})
    ids["template"] = make("templates.create", {
        "whatsapp_number_id": ids["template_number"], "name": "greeting", "language": "en", "category": "UTILITY",
        "components": {"body": {"text": "Hello there."}}})
    # Rejected, so that templates.update may edit it (Meta's rule: not while PENDING).
    make("templates.set_status", {"id": ids["template"], "status": "REJECTED"})
    ids["hero_card"] = make("hero_cards.create", {"name": "Card", "channel": "WEBCHAT", "default_language": "en",
                                                   "localizations": {"en": {"title": "Welcome"}}})
    ids["tag"] = make("tags.create", {"name": "vip"})
    ids["blocked_file_type"] = make("blocked_file_types.create", {"extension": "exe"})
    return ids


class World:
    def __init__(self, server, admin):
        self.a = build_tenant(admin)
        self.b = build_tenant(admin)
        self.connections = {"ADMIN": admin}
        self.keys = {}
        for role in ["TENANT_ADMIN", "TENANT_READER"]:
            result = ok(admin, "api_keys.create", {"name": role.lower(), "role": role, "tenant_id": self.a["tenant"]})
            self.keys[role] = result["key"]
            conn = server.connect()
            conn.hello(result["api_key"])
            self.connections[role] = conn
        # Keys of tenant B, for the key methods.
        self.b_key = ok(admin, "api_keys.create", {"name": "b", "role": "TENANT_READER",
                                                   "tenant_id": self.b["tenant"]})["key"]

    def ids(self, target):
        """The tenant and object ids a call on `target` names."""
        if target == "own":
            return self.a
        if target == "other":
            return self.b
        if target == "missing":
            missing = {"tenant": absent_id("tnt")}
            for name, _ in self.a.items():
                if name != "tenant":
                    missing[name] = absent_id(prefix_of(name))
            return missing
        # foreign: tenant A, B's objects.
        return {**self.b, "tenant": self.a["tenant"]}

    def close(self):
        for role, conn in self.connections.items():
            if role != "ADMIN":
                conn.close()


def prefix_of(name):
    return {"routing_group": "grp", "template_number": "wan"}.get(name) or PREFIXES[name]


@pytest.fixture(scope="module")
def world(server):
    admin = server.connect()
    admin.hello(server.admin_key)
    built = World(server, admin)
    yield built
    built.close()
    admin.close()


_ids = iter(range(1, 10**9))


def call(conn, method, params):
    return conn.request(method, params, id=f"roles-{next(_ids)}")


# ---------------------------------------------------------------- the methods


#: method -> (permission, params builder(ids) -> params, the object type the call names, or None).
#: Writes are dry runs. The object type is the one a `foreign` call gets -32004 for.
METHODS = {
    "groups.create": ("write", lambda i: {"tenant_id": i["tenant"], "name": "New", "fallback_group_id": i["group"],
                                          "dry_run": True}, "group"),
    "groups.get": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["group"]}, "group"),
    "groups.list": ("read", lambda i: {"tenant_id": i["tenant"]}, None),
    "groups.update": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["group"], "queue_size": 9, "dry_run": True},
                      "group"),
    "groups.delete": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["group"], "dry_run": True}, "group"),
    "whatsapp_numbers.create": ("write", lambda i: {
        "tenant_id": i["tenant"], "name": "New", "phone_number": "+420777000111", "waba_id": "1234567",
        "routing_group_id": i["routing_group"], "dry_run": True}, "group"),
    "whatsapp_numbers.get": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["whatsapp_number"]}, "whatsapp_number"),
    "whatsapp_numbers.list": ("read", lambda i: {"tenant_id": i["tenant"]}, None),
    "whatsapp_numbers.update": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["whatsapp_number"],
                                                    "status": "CONNECTED", "dry_run": True}, "whatsapp_number"),
    "whatsapp_numbers.delete": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["whatsapp_number"],
                                                    "dry_run": True}, "whatsapp_number"),
    "templates.create": ("write", lambda i: {
        "tenant_id": i["tenant"], "whatsapp_number_id": i["template_number"], "name": "other_name", "language": "en",
        "category": "MARKETING", "components": {"body": {"text": "Hi."}}, "dry_run": True}, "whatsapp_number"),
    "templates.get": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["template"]}, "template"),
    "templates.list": ("read", lambda i: {"tenant_id": i["tenant"]}, None),
    "templates.update": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["template"], "category": "MARKETING",
                                             "dry_run": True}, "template"),
    "templates.delete": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["template"], "dry_run": True}, "template"),
    "templates.set_status": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["template"], "status": "APPROVED",
                                                 "dry_run": True}, "template"),
    "templates.render": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["template"], "parameters": {}}, "template"),
    "hero_cards.create": ("write", lambda i: {
        "tenant_id": i["tenant"], "name": "New", "channel": "WHATSAPP", "default_language": "en",
        "localizations": {"en": {"title": "Hi"}}, "template_id": i["template"], "dry_run": True}, "template"),
    "hero_cards.get": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["hero_card"]}, "hero_card"),
    "hero_cards.list": ("read", lambda i: {"tenant_id": i["tenant"]}, None),
    "hero_cards.update": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["hero_card"], "name": "Renamed",
                                              "dry_run": True}, "hero_card"),
    "hero_cards.delete": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["hero_card"], "dry_run": True},
                          "hero_card"),
    "hero_cards.render": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["hero_card"]}, "hero_card"),
    "tags.create": ("write", lambda i: {"tenant_id": i["tenant"], "name": "new-tag", "dry_run": True}, None),
    "tags.get": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["tag"]}, "tag"),
    "tags.list": ("read", lambda i: {"tenant_id": i["tenant"]}, None),
    "tags.update": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["tag"], "label": "VIP", "dry_run": True}, "tag"),
    "tags.delete": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["tag"], "dry_run": True}, "tag"),
    "blocked_file_types.create": ("write", lambda i: {"tenant_id": i["tenant"], "extension": "iso", "dry_run": True},
                                  None),
    "blocked_file_types.get": ("read", lambda i: {"tenant_id": i["tenant"], "id": i["blocked_file_type"]},
                               "blocked_file_type"),
    "blocked_file_types.list": ("read", lambda i: {"tenant_id": i["tenant"]}, None),
    "blocked_file_types.update": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["blocked_file_type"],
                                                      "reason": "no", "dry_run": True}, "blocked_file_type"),
    "blocked_file_types.delete": ("write", lambda i: {"tenant_id": i["tenant"], "id": i["blocked_file_type"],
                                                      "dry_run": True}, "blocked_file_type"),
    "files.check": ("read", lambda i: {"tenant_id": i["tenant"], "file_name": "invoice.pdf.exe"}, None),
}

def allowed(role, permission):
    return role in ("ADMIN", "TENANT_ADMIN") or permission == "read"


def normalised(error, *ids):
    """The error as text with `ids` replaced, so answers about different ids compare equal."""
    text = json.dumps(error, sort_keys=True)
    for value in ids:
        text = text.replace(value, "<ID>")
    return json.loads(text)


def foreign_reference(method, ids):
    """The id of B's object a `foreign` call names (the target, or the reference of a create)."""
    _, build, type_ = METHODS[method]
    params = build(ids)
    for value in params.values():
        if isinstance(value, str) and value.startswith(PREFIXES[type_] + "_") and value != ids["tenant"]:
            return value
    raise AssertionError(f"{method} names no {type_}")


# ---------------------------------------------------------------- the matrix


CELLS = [(method, role, target) for method in METHODS for role in ROLES for target in TARGETS
         if not (target == "foreign" and METHODS[method][2] is None)]


@pytest.mark.parametrize("method, role, target", CELLS, ids=[f"{m}-{r}-{t}" for m, r, t in CELLS])
def test_matrix(world, method, role, target):
    permission, build, type_ = METHODS[method]
    conn = world.connections[role]
    ids = world.ids(target)
    response = call(conn, method, build(ids))
    tenant_bound = role != "ADMIN"

    if target == "own" or (target == "other" and not tenant_bound):
        if allowed(role, permission):
            assert "result" in response, f"{role} may call {method} on {target}: {response!r}"
        else:
            assert response.get("error", {}).get("code") == FORBIDDEN, response
            assert response["error"]["data"] == {"kind": "forbidden"}, response
        return

    assert "error" in response, f"{role} must not succeed with {method} on {target}: {response!r}"
    error = response["error"]
    if target in ("other", "missing"):
        # Another tenant is answered exactly as a tenant that does not exist.
        assert error["code"] == NOT_FOUND, error
        assert error["data"] == {"kind": "not_found", "type": "tenant", "id": ids["tenant"]}, error
        if target == "other":
            missing = world.ids("missing")
            unseen = call(conn, method, build(missing))["error"]
            assert normalised(error, ids["tenant"]) == normalised(unseen, missing["tenant"]), (error, unseen)
        return

    # foreign: own tenant, another tenant's object.
    if not allowed(role, permission):
        assert error["code"] == FORBIDDEN, error
        return
    foreign = foreign_reference(method, ids)
    assert error["code"] == NOT_FOUND, error
    assert error["data"] == {"kind": "not_found", "type": type_, "id": foreign}, error
    absent = absent_id(PREFIXES[type_])
    unseen = call(conn, method, json.loads(json.dumps(build(ids)).replace(foreign, absent)))["error"]
    assert normalised(error, foreign) == normalised(unseen, absent), (error, unseen)


def test_matrix_agrees_with_the_openrpc_permissions(openrpc_document):
    declared = {m["name"]: m.get("x-permission") for m in openrpc_document["methods"]}
    for method, (permission, _, _) in METHODS.items():
        assert declared.get(method) == f"tenant_{permission}", (method, declared.get(method))


# ---------------------------------------------------------------- lists


LISTS = ["groups", "whatsapp_numbers", "templates", "hero_cards", "tags", "blocked_file_types"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("family", LISTS)
def test_lists_hold_only_the_tenants_own_objects(world, role, family):
    conn = world.connections[role]
    items = ok(conn, f"{family}.list", {"tenant_id": world.a["tenant"], "limit": 1000})["items"]
    assert items, f"{family}.list of tenant A is empty"
    assert {item["tenant_id"] for item in items} == {world.a["tenant"]}
    listed = {item["id"] for item in items}
    assert not listed & set(world.b.values()), listed & set(world.b.values())


@pytest.mark.parametrize("role", ["ADMIN", "TENANT_ADMIN"])
def test_key_list_holds_only_the_tenants_keys(world, role):
    conn = world.connections[role]
    if role == "ADMIN":
        items = ok(conn, "api_keys.list", {"tenant_id": world.a["tenant"], "limit": 1000})["items"]
    else:
        items = ok(conn, "api_keys.list", {"limit": 1000})["items"]
    assert {item["tenant_id"] for item in items} == {world.a["tenant"]}
    assert {world.keys["TENANT_ADMIN"]["id"], world.keys["TENANT_READER"]["id"]} <= {item["id"] for item in items}
    assert world.b_key["id"] not in {item["id"] for item in items}


def test_audit_list_of_a_tenant_admin_holds_only_its_tenant(world):
    items = ok(world.connections["TENANT_ADMIN"], "audit.list", {"limit": 1000})["items"]
    assert items and {item["tenant_id"] for item in items} == {world.a["tenant"]}


# ---------------------------------------------------------------- platform, key and audit methods


def platform_calls(world):
    a, b = world.a["tenant"], world.b["tenant"]
    return [
        ("tenants.create", {"slug": "nope-" + uuid.uuid4().hex[:8], "name": "Nope", "dry_run": True}),
        ("tenants.update", {"id": a, "name": "Mine now", "dry_run": True}),
        ("tenants.delete", {"id": a, "dry_run": True, "cascade": True}),
        ("tenants.delete", {"id": b, "dry_run": True, "cascade": True}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_tenant_changes_are_for_admin_only(world, role):
    conn = world.connections[role]
    for method, params in platform_calls(world):
        response = call(conn, method, params)
        if role == "ADMIN":
            assert "result" in response, (method, response)
        else:
            assert response.get("error", {}).get("code") == FORBIDDEN, (method, response)
            assert response["error"]["data"] == {"kind": "forbidden"}, (method, response)


@pytest.mark.parametrize("role", ROLES)
def test_a_tenant_bound_key_reads_its_own_tenant_and_no_other(world, role):
    conn = world.connections[role]
    a, b = world.a["tenant"], world.b["tenant"]
    own = ok(conn, "tenants.get", {"id": a})
    assert own["id"] == a and "timezone" in own and "default_language" in own
    listed = ok(conn, "tenants.list", {"limit": 1000})["items"]
    if role == "ADMIN":
        assert ok(conn, "tenants.get", {"id": b})["id"] == b
        assert len(listed) >= 2  # every tenant, a page at a time (other tests' tenants among them)
        return
    assert [item["id"] for item in listed] == [a]
    other = call(conn, "tenants.get", {"id": b})
    missing = call(conn, "tenants.get", {"id": "tnt_00000000000000000000000000"})
    assert other["error"]["code"] == NOT_FOUND
    assert json.dumps(other["error"]).replace(b, "tnt_00000000000000000000000000") == json.dumps(missing["error"])


@pytest.mark.parametrize("role", ROLES)
def test_authenticated_methods_are_for_every_role(world, role):
    conn = world.connections[role]
    for method in ["ping", "server.info", "rpc.discover"]:
        assert "result" in call(conn, method, None), method


@pytest.mark.parametrize("role", ROLES)
def test_unknown_methods_cannot_be_called(world, role):
    for method in ["tenants.purge", "api_keys.delete", "audit.delete", "groups.drop"]:
        response = call(world.connections[role], method, {})
        assert response["error"]["code"] == -32601, response


@pytest.mark.parametrize("role", ROLES)
def test_key_and_audit_methods_by_role(world, role):
    conn = world.connections[role]
    a = world.a["tenant"]
    own_key = world.keys["TENANT_READER"]["id"]
    calls = [
        ("api_keys.list", {"tenant_id": a}),
        ("api_keys.get", {"id": own_key}),
        ("api_keys.create", {"name": "x", "role": "TENANT_READER", "tenant_id": a, "dry_run": True}),
        ("api_keys.revoke", {"id": own_key, "dry_run": True}),
        ("api_keys.rotate", {"id": own_key, "dry_run": True}),
        ("audit.list", {"tenant_id": a}),
    ]
    for method, params in calls:
        response = call(conn, method, params)
        if role == "TENANT_READER":
            assert response.get("error", {}).get("code") == FORBIDDEN, (method, response)
        else:
            assert "result" in response, (method, response)
    # Another tenant's key, seen by a tenant key, is answered as a missing one.
    if role != "ADMIN":
        for method in ["api_keys.get", "api_keys.revoke", "api_keys.rotate"]:
            error = call(conn, method, {"id": world.b_key["id"], "dry_run": True} if method != "api_keys.get"
                         else {"id": world.b_key["id"]})["error"]
            absent = "0" + uuid.uuid4().hex[:15]
            unseen = call(conn, method, {"id": absent, "dry_run": True} if method != "api_keys.get"
                          else {"id": absent})["error"]
            assert error["code"] == NOT_FOUND, error
            assert normalised(error, world.b_key["id"]) == normalised(unseen, absent), (error, unseen)
