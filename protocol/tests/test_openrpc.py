"""protocol/openrpc.json: its own shape, and real responses of every method checked against it."""

from __future__ import annotations

import re
import uuid

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import harness

BASE = "https://parley.invalid/protocol/openrpc.json"
EXPECTED_METHODS = {
    "hello", "ping", "server.info", "rpc.discover",
    "tenants.create", "tenants.get", "tenants.list", "tenants.update", "tenants.delete",
}

# The keys OpenRPC 1.3.2 allows (besides x- extensions), from its meta-schema.
DOCUMENT_KEYS = {"openrpc", "info", "servers", "methods", "components", "externalDocs"}
METHOD_KEYS = {"name", "description", "summary", "tags", "paramStructure", "params", "result", "errors", "links",
               "examples", "deprecated", "servers", "externalDocs"}
CONTENT_DESCRIPTOR_KEYS = {"name", "description", "summary", "schema", "required", "deprecated"}
ERROR_KEYS = {"code", "message", "data"}
COMPONENT_KEYS = {"schemas", "links", "errors", "examples", "examplePairings", "contentDescriptors", "tags"}


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="session")
def registry(openrpc_document):
    return Registry().with_resource(BASE, Resource(contents=openrpc_document, specification=DRAFT202012))


def validator(registry, pointer: str) -> jsonschema.Draft202012Validator:
    """A validator for the schema at JSON pointer `pointer` of the document, its $refs resolved in the document."""
    return jsonschema.Draft202012Validator(
        {"$ref": f"{BASE}#{pointer}"}, registry=registry, format_checker=jsonschema.FormatChecker())


def method_index(document, name: str) -> int:
    for index, method in enumerate(document["methods"]):
        if method["name"] == name:
            return index
    raise KeyError(name)


def resolve(document, value):
    """Follows a {"$ref": "#/..."} inside the document."""
    if isinstance(value, dict) and set(value) == {"$ref"}:
        node = document
        for part in value["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node
    return value


def params_validator(registry, document, name: str) -> jsonschema.Draft202012Validator:
    """The by-name params object a method accepts: its content descriptors, nothing else."""
    index = method_index(document, name)
    params = [resolve(document, p) for p in document["methods"][index]["params"]]
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": [p["name"] for p in params if p.get("required")],
        "properties": {
            p["name"]: {"$ref": f"{BASE}#/methods/{index}/params/{position}/schema"}
            for position, p in enumerate(params)
        },
    }
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


class Checker:
    """Sends requests and validates params, results and errors against the document."""

    def __init__(self, registry, document):
        self.registry = registry
        self.document = document
        self.error_validator = validator(registry, "/components/schemas/Error")
        self.seen_results: set[str] = set()
        self.seen_error_codes: set[int] = set()

    def call(self, conn: harness.Connection, method: str, params=None, *, id=1, valid_params=True):
        if params is not None:
            errors = list(params_validator(self.registry, self.document, method).iter_errors(params))
            if valid_params:
                assert not errors, f"{method} params {params!r} do not match the document: {errors[0].message}"
            else:
                assert errors, f"{method} params {params!r} should not match the document"
        response = conn.request(method, params, id=id)
        check_envelope(response, id)
        if "result" in response:
            index = method_index(self.document, method)
            validator(self.registry, f"/methods/{index}/result/schema").validate(response["result"])
            self.seen_results.add(method)
        else:
            self.error_validator.validate(response["error"])
            self.seen_error_codes.add(response["error"]["code"])
        return response

    def result(self, conn, method, params=None, **kwargs):
        response = self.call(conn, method, params, **kwargs)
        assert "result" in response, f"{method} failed: {response['error']}"
        return response["result"]

    def error(self, conn, method, params=None, *, code: int, **kwargs):
        response = self.call(conn, method, params, **kwargs)
        assert "error" in response, f"{method} should have failed with {code}: {response['result']}"
        assert response["error"]["code"] == code, response["error"]
        return response["error"]


def check_envelope(response, id):
    assert response["jsonrpc"] == "2.0"
    assert response["id"] == id
    assert ("result" in response) != ("error" in response)
    assert set(response) <= {"jsonrpc", "id", "result", "error"}


@pytest.fixture
def checker(registry, openrpc_document):
    return Checker(registry, openrpc_document)


# ---------------------------------------------------------------- the document itself


def test_document_shape(openrpc_document):
    document = openrpc_document
    assert document["openrpc"] == "1.3.2"
    assert not {k for k in document if not k.startswith("x-")} - DOCUMENT_KEYS
    assert isinstance(document["info"]["title"], str) and isinstance(document["info"]["version"], str)
    assert not set(document["components"]) - COMPONENT_KEYS
    names = [method["name"] for method in document["methods"]]
    assert len(names) == len(set(names)), "method names must be unique"
    for method in document["methods"]:
        assert not {k for k in method if not k.startswith("x-")} - METHOD_KEYS, method["name"]
        assert method["paramStructure"] == "by-name", method["name"]
        for descriptor in [*method["params"], method["result"]]:
            descriptor = resolve(document, descriptor)
            assert not set(descriptor) - CONTENT_DESCRIPTOR_KEYS, (method["name"], descriptor)
            assert descriptor["name"] and "schema" in descriptor
        for error in method.get("errors", []):
            error = resolve(document, error)
            assert set(error) <= ERROR_KEYS and isinstance(error["code"], int) and error["message"]


def test_document_lists_exactly_the_server_methods(openrpc_document):
    assert {method["name"] for method in openrpc_document["methods"]} == EXPECTED_METHODS


def test_document_lists_every_method_in_the_sources(openrpc_document):
    """Every `Method("name", ...)` registered in Sources/ParleyServer/Methods is documented."""
    methods_dir = harness.PROTOCOL_DIR.parent / "Sources" / "ParleyServer" / "Methods"
    if not methods_dir.is_dir():
        pytest.skip("sources not available")
    registered = set()
    for source in methods_dir.glob("*.swift"):
        registered |= set(re.findall(r'Method\(\s*"([^"]+)"', source.read_text(encoding="utf-8")))
    assert registered, "no Method(...) registrations found"
    assert registered == {method["name"] for method in openrpc_document["methods"]}


def test_every_schema_is_valid_and_every_ref_resolves(openrpc_document, registry):
    shared = {"Tenant", "Error", "Limits", "KeyInfo", "TenantPage"}
    assert shared <= set(openrpc_document["components"]["schemas"])

    def walk(node, pointer):
        if isinstance(node, dict):
            if "$ref" in node:
                assert node["$ref"].startswith("#/components/"), f"{pointer}: {node['$ref']}"
                resolve(openrpc_document, {"$ref": node["$ref"]})
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for position, value in enumerate(node):
                walk(value, f"{pointer}/{position}")

    walk(openrpc_document, "")
    for name, schema in openrpc_document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft7Validator.check_schema(schema)
        validator(registry, f"/components/schemas/{name}")  # builds
    for method in openrpc_document["methods"]:
        for descriptor in [*method["params"], method["result"]]:
            jsonschema.Draft202012Validator.check_schema(resolve(openrpc_document, descriptor)["schema"])


def test_objects_the_server_controls_are_closed(openrpc_document):
    """Every object schema in components/schemas (except the document itself) forbids unknown members."""
    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and where != "OpenRPCDocument":
                assert node.get("additionalProperties") is False, f"{where} allows unknown members"
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for name, schema in openrpc_document["components"]["schemas"].items():
        if name != "OpenRPCDocument":
            walk(schema, name)


def test_rpc_discover_returns_the_document(admin, openrpc_document):
    response = admin.request("rpc.discover")
    assert "result" in response, response
    assert response["result"] == openrpc_document, (
        "rpc.discover differs from protocol/openrpc.json: run `python3 scripts/embed_openrpc.py` and rebuild parleyd")


# ---------------------------------------------------------------- real responses against the schemas


def test_session_methods_match_the_schemas(server, connection, checker):
    info = checker.result(connection, "server.info")
    assert info["protocol_version"] == 1
    assert checker.result(connection, "ping") == {}
    checker.result(connection, "ping", {})
    checker.error(connection, "ping", {"unexpected": 1}, code=-32602, valid_params=False)
    checker.error(connection, "tenants.list", code=-32001)
    checker.error(connection, "rpc.discover", code=-32001)
    checker.error(connection, "hello", {"api_key": "prly_0000000000000000_" + "0" * 43, "protocol_version": 1}, code=-32001)
    checker.error(connection, "hello", {"api_key": "nope", "protocol_version": 1}, code=-32001, valid_params=False)
    checker.error(connection, "hello", {"protocol_version": 2}, code=-32602, valid_params=False)
    hello = checker.result(connection, "hello", {"api_key": server.admin_key, "protocol_version": 1, "client": "pytest/1"})
    assert hello["key"]["role"] == "ADMIN" and hello["key"]["tenant_id"] is None
    assert server.admin_key.startswith("prly_" + hello["key"]["id"] + "_")
    assert hello["limits"] == info["limits"]
    checker.result(connection, "rpc.discover")
    checker.result(connection, "server.info", {})
    assert checker.seen_results == {"hello", "ping", "server.info", "rpc.discover"}


def test_tenant_methods_match_the_schemas(admin, checker):
    suffix = uuid.uuid4().hex[:12]
    created = checker.result(admin, "tenants.create", {
        "slug": f"acme-{suffix}", "name": "  Acme Support  ", "default_language": "en_US", "timezone": "Europe/Prague"})
    assert created["name"] == "Acme Support", "name is trimmed"
    assert created["created_at"] == created["updated_at"]
    minimal = checker.result(admin, "tenants.create", {"slug": f"min-{suffix}", "name": "Minimal"})
    assert minimal["default_language"] is None and minimal["timezone"] is None
    assert minimal["revision"] > created["revision"]

    assert checker.result(admin, "tenants.get", {"id": created["id"]}) == created
    page = checker.result(admin, "tenants.list", {"limit": 1000})
    assert created in page["items"] and page["next_cursor"] is None
    checker.result(admin, "tenants.list")

    updated = checker.result(admin, "tenants.update", {
        "id": created["id"], "expected_revision": created["revision"], "name": "Acme", "timezone": None})
    assert updated["revision"] > minimal["revision"] and updated["timezone"] is None
    deleted = checker.result(admin, "tenants.delete", {"id": minimal["id"]})
    assert deleted == {"id": minimal["id"], "deleted": True, "revision": updated["revision"] + 1}

    # Errors of the tenant methods, each checked against the Error schema.
    invalid = checker.error(admin, "tenants.create", {"slug": "X", "name": ""}, code=-32602, valid_params=False)
    assert [issue["path"] for issue in invalid["data"]["errors"]] == ["slug", "name"]
    taken = checker.error(admin, "tenants.create", {"slug": f"acme-{suffix}", "name": "Again"}, code=-32009)
    assert taken["data"] == {"kind": "conflict", "reason": "already_exists", "field": "slug"}
    stale = checker.error(admin, "tenants.update", {"id": created["id"], "expected_revision": created["revision"],
                                                    "name": "Stale"}, code=-32009)
    assert stale["data"] == {"kind": "conflict", "reason": "revision_mismatch", "current_revision": updated["revision"]}
    missing = checker.error(admin, "tenants.get", {"id": minimal["id"]}, code=-32004)
    assert missing["data"] == {"kind": "not_found", "type": "tenant", "id": minimal["id"]}
    checker.error(admin, "tenants.delete", {"id": minimal["id"]}, code=-32004)
    checker.error(admin, "tenants.list", {"limit": 1001}, code=-32602, valid_params=False)
    checker.error(admin, "tenants.get", {}, code=-32602, valid_params=False)
    checker.result(admin, "tenants.delete", {"id": created["id"], "expected_revision": updated["revision"]})
    assert checker.seen_results >= {"tenants.create", "tenants.get", "tenants.list", "tenants.update", "tenants.delete"}
    assert checker.seen_error_codes == {-32602, -32009, -32004}


def test_protocol_errors_match_the_error_schema(connection, checker):
    cases = [
        b"{", b'{"jsonrpc":"2.0","id":null,"method":"ping"}', b'{"jsonrpc":"2.0","id":1,"method":"nope"}',
        b'{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}', b"[]",
    ]
    for payload in cases:
        connection.send(harness.frame(payload))
        response = connection.read_message()
        checker.error_validator.validate(response["error"])
    connection.send(b"\x00\x00\x00\x00")  # an empty frame: -32011, then the server closes
    response = connection.read_message()
    assert response["error"]["code"] == -32011
    checker.error_validator.validate(response["error"])
    assert connection.wait_closed()


def test_error_schema_rejects_inconsistent_errors(checker):
    good = {"code": -32009, "message": "m", "data": {"kind": "conflict", "reason": "revision_mismatch", "current_revision": 3}}
    checker.error_validator.validate(good)
    for bad in [
        {"code": -32009, "message": "m", "data": {"kind": "not_found", "reason": "x"}},
        {"code": -32009, "message": "m", "data": {"kind": "conflict"}},
        {"code": -32602, "message": "m", "data": {"kind": "invalid_params"}},
        {"code": -32000, "message": "m", "data": {"kind": "unknown"}},
        {"code": -32601, "message": "m"},
        {"code": -32601, "message": "m", "data": {"kind": "method_not_found", "stack": "..."}},
    ]:
        assert not checker.error_validator.is_valid(bad), bad
