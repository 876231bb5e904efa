"""protocol/openrpc.json: its own shape, and real responses of every method checked against it."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import harness

BASE = "https://parley.invalid/protocol/openrpc.json"
FAMILIES = ["business_hours", "groups", "whatsapp_numbers", "templates", "hero_cards", "tags", "blocked_file_types", "file_policies"]
#: The object schema (components/schemas) of each family; its create/update params are `<Schema>Input`'s properties.
FAMILY_SCHEMAS = {"groups": "Group", "whatsapp_numbers": "WhatsAppNumber", "templates": "Template",
                  "hero_cards": "HeroCard", "tags": "Tag", "blocked_file_types": "BlockedFileType", "file_policies": "FilePolicy",
                  "business_hours": "BusinessHours"}
CONFIGURATION_METHODS = {f"{family}.{verb}" for family in FAMILIES for verb in ("create", "get", "list", "update", "delete")} | {
    "templates.set_status", "templates.render", "templates.import", "hero_cards.render", "files.check", "business_hours.check"}
KEY_METHODS = {f"api_keys.{verb}" for verb in ("create", "list", "get", "revoke", "rotate")}
DOCUMENT_METHODS = {"config.export", "config.apply"}
WATCH_METHODS = {"watch.subscribe", "watch.unsubscribe"}
EXPECTED_METHODS = {
    "hello", "ping", "server.info", "rpc.discover",
    "tenants.create", "tenants.get", "tenants.list", "tenants.update", "tenants.delete",
    "audit.list",
} | CONFIGURATION_METHODS | KEY_METHODS | DOCUMENT_METHODS | WATCH_METHODS
#: The notifications the server sends on its own (`x-notifications`), and the schema of each one's params.
EXPECTED_NOTIFICATIONS = {"watch.event": "WatchEvent", "watch.closed": "WatchClosed"}
#: What a watch can cover (`WatchFamily`): the tenants themselves and the configuration families.
WATCH_FAMILIES = ["tenants", *FAMILIES]
#: The references a configuration document writes as natural keys: family -> {id member: document member}
#: (checked against `ConfigDocument.links(of:)` in the sources).
DOCUMENT_LINKS = {"groups": {"fallback_group_id": "fallback_group", "business_hours_id": "business_hours"},
                  "whatsapp_numbers": {"routing_group_id": "routing_group", "business_hours_id": "business_hours"},
                  "templates": {"whatsapp_number_id": "whatsapp_number"}, "hero_cards": {"template_id": "template"}}
#: The `Permission.Level` and `Permission.Scope` cases the mapping below knows (a new one fails the scan).
PERMISSION_LEVELS = {"anyone", "authenticated", "tenantReader", "tenantAdmin", "admin"}
PERMISSION_SCOPES = {"platform", "tenant(required: Bool)", "apiKey", "ownTenant"}
#: The `x-permission` values the document explains in info.description.
X_PERMISSIONS = {"anyone", "authenticated", "admin", "own_tenant_read", "tenant_read", "tenant_write", "tenant_admin", "tenant_read_optional"}


def x_permission(name: str, permission: dict) -> str:
    """The `x-permission` value that describes a Swift `Permission` (level, scope); anything else fails the test."""
    level, scope = permission["level"], permission["scope"]
    value = {
        ("anyone", "platform"): "anyone",
        ("authenticated", "platform"): "authenticated",
        ("admin", "platform"): "admin",
        ("tenantReader", "tenant(required: true)"): "tenant_read",
        ("tenantReader", "tenant(required: false)"): "tenant_read_optional",
        ("tenantAdmin", "tenant(required: true)"): "tenant_write",
        ("tenantAdmin", "tenant(required: false)"): "tenant_admin",
        ("tenantAdmin", "apiKey"): "tenant_admin",
        ("tenantReader", "ownTenant"): "own_tenant_read",
    }.get((level, scope))
    assert value, f"{name}: no x-permission value describes level .{level}, scope .{scope}: extend the document and this mapping"
    return value


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
        return self.check_response(method, conn.request(method, params, id=id), id)

    def check_response(self, method: str, response: dict, id):
        """Validates a response to `method` read from the wire: its envelope, then its result or error."""
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
            # Inline, not a $ref: code generators (issue 16) fail on referenced error objects.
            assert "$ref" not in error, (method["name"], error)
            assert error in document["components"]["errors"].values(), (method["name"], "an error of components/errors")
            assert set(error) <= ERROR_KEYS and isinstance(error["code"], int) and error["message"]
    # Notifications the server sends (an extension: OpenRPC only knows methods): shaped like methods, params one schema.
    notifications = document["x-notifications"]
    assert [n["name"] for n in notifications] == list(EXPECTED_NOTIFICATIONS)
    for notification in notifications:
        assert set(notification) <= {"name", "summary", "description", "params", "examples"}, notification["name"]
        assert notification["name"] not in names and notification["summary"] and notification["description"]
        assert not set(notification["params"]) - CONTENT_DESCRIPTOR_KEYS and notification["params"]["name"]
        assert notification["params"]["schema"] == {"$ref": f"#/components/schemas/{EXPECTED_NOTIFICATIONS[notification['name']]}"}


def test_document_lists_exactly_the_server_methods(openrpc_document):
    assert {method["name"] for method in openrpc_document["methods"]} == EXPECTED_METHODS


def balanced_call(text: str, start: int) -> str:
    """The text of the call whose opening parenthesis is at `start`, up to its matching `)`."""
    depth = 0
    for position in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[position], 0)
        if depth == 0:
            return text[start:position + 1]
    raise AssertionError(f"unbalanced call at {start}")


def swift_enum_cases(text: str, enum: str) -> set[str]:
    """The cases of `enum <name>` in `text`, associated values written as in the source (`tenant(required: Bool)`)."""
    match = re.search(r"\benum " + enum + r"\b[^{]*\{", text)
    assert match, f"enum {enum} not found"
    depth, position = 1, match.end()
    while depth:
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        position += 1
    cases = set()
    for line in re.findall(r"^\s*case (?!\.)([^\n/]+)", text[match.end():position - 1], re.M):  # not `case .x:` of a switch
        cases |= {re.sub(r"\s+", " ", case.split("=")[0]).strip() for case in re.split(r",(?![^(]*\))", line)}
    return cases


PERMISSION_CALL = re.compile(
    r"\(\s*level:\s*\.(?P<level>\w+),\s*scope:\s*\.(?P<scope>platform|apiKey|ownTenant|tenant\(\s*required:\s*(?:true|false)\s*\)),"
    r"\s*mutates:\s*(?P<mutates>true|false)"
    r"(?:,\s*adminOnly:\s*\.init\(\s*param:\s*\"(?P<param>\w+)\",\s*values:\s*\[(?P<values>[^\]]*)\]\s*\))?\s*\)")


def parse_permission(call: str, roles: dict[str, str], where: str) -> dict:
    """`(level: .x, scope: .y, mutates: b, adminOnly: .init(param: "p", values: [...]))` -> a dict; strict."""
    match = PERMISSION_CALL.fullmatch(call)
    assert match, f"{where}: a Permission(...) the scan does not understand: {call}"
    assert match["level"] in PERMISSION_LEVELS, f"{where}: unknown level .{match['level']}"
    admin_only = None
    if match["param"]:
        values = []
        for value in filter(None, (v.strip() for v in match["values"].split(","))):
            literal = re.fullmatch(r'"([^"]*)"', value) or re.fullmatch(r"Role\.(\w+)\.rawValue", value)
            assert literal, f"{where}: an adminOnly value the scan does not understand: {value}"
            values.append(literal.group(1) if value.startswith('"') else roles[literal.group(1)])
        admin_only = {match["param"]: sorted(values)}
    return {"level": match["level"], "scope": re.sub(r"\s+", "", match["scope"]).replace(":", ": "),
            "mutates": match["mutates"] == "true", "admin_only": admin_only}


def permission_statics(text: str, roles: dict[str, str], where: str) -> dict[str, dict]:
    """`static let name = Permission(...)` declarations in `text`."""
    statics = {}
    for match in re.finditer(r"\bstatic let (\w+) = Permission\(", text):
        statics[match.group(1)] = parse_permission(balanced_call(text, match.end() - 1), roles, f"{where}: {match.group(1)}")
    return statics


REGISTRATION = re.compile(
    r'\(\s*"(?P<name>(?:\\\(kind\.family\)\.)?[a-z_.]+)",\s*permission:\s*(?P<permission>.+?)\s*'
    r'(?:,\s*immediate:\s*.+?)?\s*(?:,\s*handler:\s*\w+\s*)?\)', re.S)


def served_methods():
    """What Sources/ParleyServer/Methods registers: {name: permission} and, per configuration family, its list
    filters and whether its delete takes `cascade`. A permission is {"level", "scope", "mutates", "admin_only"}.

    Registrations are `Method("name", permission: P)` (or with `, immediate: …` and/or `, handler: f`), where P is a static of `Permission`
    (`.tenantRead`, declared in Permission.swift), a `static let` of the same file (`manage`), or a literal
    `Permission(level: .x, scope: .y, mutates: b, adminOnly: .init(param: "p", values: [...]))`. The five generic
    methods of every family are `Method("\\(kind.family).verb", permission: P)` in ResourceMethods.swift, expanded for
    each `ResourceMethods.family(Type.self, cascades: true)`, its filters those of `ResourceKind.listFilters`: `Type` is the
    ResourceContent whose `kind` is a ResourceKind with `family: "..."`. Any `Method(` or permission the scan does
    not understand fails the test, so the comparison stays strict."""
    sources = harness.PROTOCOL_DIR.parent / "Sources"
    methods_dir = sources / "ParleyServer" / "Methods"
    kind_file = sources / "ParleyModel" / "Resources" / "ResourceKind.swift"
    permission_file = sources / "ParleyServer" / "Permission.swift"
    role_file = sources / "ParleyModel" / "APIKey.swift"
    if not methods_dir.is_dir() or not kind_file.is_file() or not permission_file.is_file():
        pytest.skip("sources not available")
    families_by_kind = dict(re.findall(r'static let (\w+) = ResourceKind\(family: "([^"]+)"', kind_file.read_text(encoding="utf-8")))
    kind_by_type = {}
    for source in (sources / "ParleyModel").rglob("*.swift"):
        kind_by_type.update(re.findall(r"struct (\w+): ResourceContent\b[^{]*\{\s*(?:public )?static let kind = ResourceKind\.(\w+)",
                                       source.read_text(encoding="utf-8")))
    assert families_by_kind and kind_by_type, "ResourceKind / ResourceContent declarations not found"
    # Each family's list filters: `case .kind: [ListFilter("param", ...), ...]` in ResourceKind+ListFilters.swift.
    filters_text = (sources / "ParleyModel" / "Resources" / "ResourceKind+ListFilters.swift").read_text(encoding="utf-8")
    filters_by_kind = {kind: set(re.findall(r'ListFilter\(\s*"(\w+)"', body))
                       for kind, body in re.findall(r"case \.(\w+):(.*?)(?=\n\s*case \.|\n\s*default:)", filters_text, re.S)}
    assert filters_by_kind.get("group") == {"type", "routing_mode"}, filters_by_kind
    roles = dict(re.findall(r'case (\w+) = "([A-Z_]+)"', re.search(r"enum Role\b.*?\n\}", role_file.read_text(encoding="utf-8"), re.S).group(0)))
    assert set(roles.values()) == {"ADMIN", "TENANT_ADMIN", "TENANT_READER"}, roles
    permission_text = permission_file.read_text(encoding="utf-8")
    assert swift_enum_cases(permission_text, "Level") == PERMISSION_LEVELS, "Permission.Level changed: update the mapping"
    assert swift_enum_cases(permission_text, "Scope") == PERMISSION_SCOPES, "Permission.Scope changed: update the mapping"
    shared = permission_statics(permission_text, roles, permission_file.name)
    assert {"anyone", "authenticated", "tenantRead", "tenantWrite"} <= set(shared), shared

    served: dict[str, dict] = {}
    generic: dict[str, dict] = {}
    families: dict[str, dict] = {}
    for source in sorted(methods_dir.glob("*.swift")):
        text = source.read_text(encoding="utf-8")
        local = permission_statics(text, roles, source.name)
        for match in re.finditer(r"\bMethod\(", text):
            call = balanced_call(text, match.end() - 1)
            registration = REGISTRATION.fullmatch(call)
            assert registration, f"{source.name}: a Method( registration the scan does not understand: {call[:200]}"
            name, expression = registration["name"], registration["permission"].strip()
            where = f"{source.name}: {name}"
            if expression.startswith("Permission("):
                permission = parse_permission(expression[len("Permission"):], roles, where)
            elif re.fullmatch(r"\.\w+", expression):
                assert expression[1:] in shared, f"{where}: Permission{expression} is not declared in Permission.swift"
                permission = shared[expression[1:]]
            elif re.fullmatch(r"(?:Self\.)?\w+", expression):
                static = expression.removeprefix("Self.")
                assert static in local, f"{where}: permission {expression} is not a static of {source.name}"
                permission = local[static]
            else:
                raise AssertionError(f"{where}: a permission expression the scan does not understand: {expression}")
            if name.startswith("\\(kind.family)."):
                generic[name.removeprefix("\\(kind.family).")] = permission
                continue
            assert name not in served, f"{name} registered twice"
            served[name] = permission
        for match in re.finditer(r"ResourceMethods\.family\(", text):
            call = balanced_call(text, match.end() - 1)
            type_name = re.match(r"\(\s*(\w+)\.self", call).group(1)
            family = families_by_kind[kind_by_type[type_name]]
            families[family] = {"filters": filters_by_kind.get(kind_by_type[type_name], set()),
                                "cascades": bool(re.search(r"cascades:\s*true", call))}
    assert set(generic) == {"create", "get", "list", "update", "delete"}, generic
    for family in families:
        for verb, permission in generic.items():
            assert f"{family}.{verb}" not in served, f"{family}.{verb} registered twice"
            served[f"{family}.{verb}"] = permission
    return served, families


def system_audit_methods() -> set[str]:
    """The `method` names parleyd itself writes audit records under (`AuditContext.system("parleyd.init")`)."""
    sources = harness.PROTOCOL_DIR.parent / "Sources" / "parleyd"
    if not sources.is_dir():
        pytest.skip("sources not available")
    return {name for source in sources.glob("*.swift") for name in re.findall(r'\.system\(\s*"([^"]+)"', source.read_text(encoding="utf-8"))}


def test_document_lists_every_method_in_the_sources(openrpc_document):
    """Every method registered in Sources/ParleyServer/Methods is documented, with its permission (`x-permission`),
    whether it changes state (`x-mutates`) and the param values only an ADMIN key may pass (`x-admin-only-values`);
    nothing else is documented."""
    served, families = served_methods()
    documented = {method["name"]: method for method in openrpc_document["methods"]}
    assert set(served) == set(documented)
    assert set(families) == set(FAMILIES)
    for name, permission in served.items():
        method = documented[name]
        assert method["x-permission"] == x_permission(name, permission), name
        assert method["x-mutates"] is permission["mutates"], f"{name}: x-mutates must be {permission['mutates']}"
        assert method.get("x-admin-only-values") == permission["admin_only"], name
    # Writes are platformWrite/tenantWrite or literal mutations; the old statics keep their meaning.
    assert {name for name, p in served.items() if p["mutates"]} >= {"tenants.create", "groups.update", "templates.set_status"}
    assert not any(p["mutates"] for name, p in served.items() if name.endswith((".get", ".list", ".render", ".check", ".info")))


def test_the_document_explains_its_extensions(openrpc_document):
    """info.description explains every `x-permission` value in use, `x-mutates` and `x-admin-only-values`."""
    description = openrpc_document["info"]["description"]
    used = {method["x-permission"] for method in openrpc_document["methods"]}
    assert used == X_PERMISSIONS
    for value in used:
        assert f"`{value}`" in description, f"info.description does not explain x-permission `{value}`"
    assert "`x-mutates`" in description and "`x-admin-only-values`" in description and "`x-notifications`" in description


def test_audit_record_methods_are_the_mutating_methods(openrpc_document):
    """AuditRecord.method lists exactly the methods that leave audit records: the mutating ones, and parleyd's own."""
    served, _ = served_methods()
    expected = {name for name, permission in served.items() if permission["mutates"]} | system_audit_methods()
    documented = set(openrpc_document["components"]["schemas"]["AuditRecord"]["properties"]["method"]["enum"])
    assert documented == expected


def test_list_filters_and_cascade_match_the_sources(openrpc_document):
    """`<family>.list` documents exactly the filters the family registers; only families that cascade take `cascade`."""
    _, families = served_methods()
    documented = {method["name"]: {param["name"] for param in method["params"]} for method in openrpc_document["methods"]}
    for family, registration in families.items():
        assert documented[f"{family}.list"] - {"tenant_id", "limit", "cursor", "name_prefix"} == registration["filters"], family
        assert ("cascade" in documented[f"{family}.delete"]) == registration["cascades"], family


def test_family_params_are_the_input_schemas(openrpc_document):
    """create/update params are the family's Input schema members (by $ref), required as there on create and
    optional on update; the stored object returns every one of them."""
    schemas = openrpc_document["components"]["schemas"]
    for family, name in FAMILY_SCHEMAS.items():
        fields = schemas[f"{name}Input"]["properties"]
        for verb, controls in (("create", {"tenant_id", "dry_run"}), ("update", {"tenant_id", "id", "expected_revision", "dry_run"})):
            method = openrpc_document["methods"][method_index(openrpc_document, f"{family}.{verb}")]
            params = {param["name"]: param for param in method["params"]}
            assert set(params) - controls == set(fields), f"{family}.{verb}"
            for field in fields:
                assert params[field]["schema"] == {"$ref": f"#/components/schemas/{name}Input/properties/{field}"}, (family, verb, field)
                expected = verb == "create" and field in schemas[f"{name}Input"]["required"]
                assert params[field]["required"] == expected, (family, verb, field)
        assert set(fields) <= set(schemas[name]["required"]), name


def document_links_in_the_sources() -> tuple[list[str], dict[str, dict[str, str]]]:
    """`ConfigDocument.families` (in order) and `ConfigDocument.links(of:)` of Sources/ParleyModel/Documents/ConfigDocument.swift,
    as family names: (families, {family: {id member: document member}}); strict, like the method scan."""
    sources = harness.PROTOCOL_DIR.parent / "Sources" / "ParleyModel"
    document_file, kind_file = sources / "Documents" / "ConfigDocument.swift", sources / "Resources" / "ResourceKind.swift"
    if not document_file.is_file() or not kind_file.is_file():
        pytest.skip("sources not available")
    family_of = dict(re.findall(r'static let (\w+) = ResourceKind\(family: "([^"]+)"', kind_file.read_text(encoding="utf-8")))
    text = document_file.read_text(encoding="utf-8")
    order = re.search(r"static let families: \[ResourceKind\] = \[([^\]]*)\]", text)
    assert order, "ConfigDocument.families not found"
    families = [family_of[kind.strip().removeprefix(".")] for kind in order.group(1).split(",")]
    body = re.search(r"func links\(of kind: ResourceKind\) -> \[Link\] \{(.*?)\n    \}", text, re.S)
    assert body, "ConfigDocument.links(of:) not found"
    links: dict[str, dict[str, str]] = {}
    for line in filter(str.strip, body.group(1).splitlines()):
        line = line.strip()
        if line in ("switch kind {", "}", "default: []"):
            continue
        case = re.fullmatch(r"case \.(\w+): \[(.*)\]", line)
        assert case, f"ConfigDocument.links(of:): a line the scan does not understand: {line}"
        entries = re.findall(r'Link\(idField: "(\w+)", member: "(\w+)", target: \.\w+\)', case.group(2))
        assert entries and len(entries) == case.group(2).count("Link("), line
        links[family_of[case.group(1)]] = dict(entries)
    return families, links


def test_document_items_are_the_input_schemas_with_links(openrpc_document):
    """A document item is the family's Input (config.apply) or stored fields (config.export, plans) with each reference
    (`fallback_group_id`, ...) replaced by its natural-key member (`fallback_group`), as ConfigDocument.swift links them;
    the document has a member per family, in the sources' family order."""
    families, links = document_links_in_the_sources()
    assert families == FAMILIES
    assert links == DOCUMENT_LINKS
    schemas = openrpc_document["components"]["schemas"]
    for name in ("ConfigDocument", "ConfigDocumentInput"):
        assert list(schemas[name]["properties"]) == ["version", "tenant", *FAMILIES], name
    for family, name in FAMILY_SCHEMAS.items():
        fields = schemas[f"{name}Input"]["properties"]
        renamed = {DOCUMENT_LINKS.get(family, {}).get(field, field): field for field in fields}
        required_input = {member for member, field in renamed.items() if field in schemas[f"{name}Input"]["required"]}
        for schema_name, source, required in ((f"{name}Item", name, set(renamed)), (f"{name}ItemInput", f"{name}Input", required_input)):
            item = schemas[schema_name]
            assert list(item["properties"]) == list(renamed), schema_name
            assert set(item["required"]) == required, schema_name
            for member, field in renamed.items():
                if member == field:
                    expected = {"$ref": f"#/components/schemas/{source}/properties/{field}"}
                    assert item["properties"][member] == expected, (schema_name, member)
            item_ref = {"$ref": f"#/components/schemas/{schema_name}"}
            document = schemas["ConfigDocument" if source == name else "ConfigDocumentInput"]
            assert document["properties"][family]["items"] == item_ref, (family, schema_name)


def test_every_schema_is_valid_and_every_ref_resolves(openrpc_document, registry):
    shared = {"Tenant", "Error", "Limits", "KeyInfo", "TenantPage", "Warning", "Referrer", "FileCheckResult",
              "TemplateRender", "HeroCardRender", *FAMILY_SCHEMAS.values(), *(f"{name}Page" for name in FAMILY_SCHEMAS.values()),
              "APIKey", "APIKeyPage", "APIKeyCreated", "APIKeyRotated", "AuditRecord", "AuditPage",
              "ConfigDocument", "ConfigDocumentInput", "ApplyPlan", *(f"{name}Item" for name in FAMILY_SCHEMAS.values()),
              *(f"{name}ItemInput" for name in FAMILY_SCHEMAS.values()),
              "WatchFamily", "SubscriptionId", "WatchSubscription", "WatchUnsubscribed", "WatchEvent", "WatchClosed"}
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
    for notification in openrpc_document["x-notifications"]:
        jsonschema.Draft202012Validator.check_schema(notification["params"]["schema"])


def test_objects_the_server_controls_are_closed(openrpc_document):
    """Every object schema in components/schemas forbids unknown members, except the document itself and Meta's template
    object (templates.import reads what Parley keeps and lists the rest in `ignored`: Meta adds members over time)."""
    open_schemas = {"OpenRPCDocument", "MetaTemplate"}

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and where not in open_schemas:
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
        "rpc.discover differs from protocol/openrpc.json: rebuild parleyd (the build embeds the file)")


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
    # Other tests share the server and create tenants too: walk every page (each checked against the schema).
    listed, page = [], checker.result(admin, "tenants.list", {"limit": 1000})
    listed += page["items"]
    while page["next_cursor"] is not None:
        page = checker.result(admin, "tenants.list", {"limit": 1000, "cursor": page["next_cursor"]})
        listed += page["items"]
    assert created in listed
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
        {"code": -32010, "message": "m", "data": {"kind": "rate_limited"}},
        {"code": -32010, "message": "m", "data": {"kind": "rate_limited", "retry_after_ms": 0}},
    ]:
        assert not checker.error_validator.is_valid(bad), bad


# ---------------------------------------------------------------- configuration methods against the schemas


#: The configuration methods each test below validates a real result of; together, all of them.
COVERED = {
    "groups_numbers_tags": {f"{family}.{verb}" for family in ("groups", "whatsapp_numbers", "tags")
                            for verb in ("create", "get", "list", "update", "delete")},
    "templates_hero_cards": {f"{family}.{verb}" for family in ("templates", "hero_cards")
                             for verb in ("create", "get", "list", "update", "delete")} | {
        "templates.set_status", "templates.render", "templates.import", "hero_cards.render"},
    "blocked_file_types": {f"{family}.{verb}" for family in ("blocked_file_types", "file_policies")
                           for verb in ("create", "get", "list", "update", "delete")} | {"files.check"},
    "business_hours": {f"business_hours.{verb}" for verb in ("create", "get", "list", "update", "delete", "check")},
}


def test_the_configuration_tests_cover_every_configuration_method():
    assert set().union(*COVERED.values()) == CONFIGURATION_METHODS


def new_tenant(checker, conn, *, seed: bool = False) -> str:
    params = {"slug": f"cfg-{uuid.uuid4().hex[:12]}", "name": "Configuration"}
    if not seed:
        params["seed_blocked_file_types"] = False
    return checker.result(conn, "tenants.create", params)["id"]


def unique_phone() -> str:
    return "+4207" + str(uuid.uuid4().int % 10**8).zfill(8)


def test_group_number_and_tag_methods_match_the_schemas(admin, checker):
    tenant = new_tenant(checker, admin)
    other = new_tenant(checker, admin)
    call = lambda method, **params: checker.result(admin, method, {"tenant_id": tenant, **params})  # noqa: E731
    fail = lambda method, code, valid=True, **params: checker.error(  # noqa: E731
        admin, method, {"tenant_id": tenant, **params}, code=code, valid_params=valid)

    sales = call("groups.create", name="  Sales EU ", type="NORMAL", routing_mode="WHOLE_GROUP", member_user_ids=["u-1", "u-2"],
                 max_concurrent_sessions_per_operator=4, queue_size=0, max_queue_wait_seconds=86400, max_acw_seconds=3600, enabled=False)
    assert sales["name"] == "Sales EU" and [w["path"] for w in sales["warnings"]] == ["routing_mode"]
    backup = call("groups.create", name="Backup", fallback_group_id=sales["id"], type=None, dry_run=False)
    assert "warnings" not in backup and backup["type"] == "NORMAL"
    everyone = call("groups.create", name="Everyone", type="ALL_OPERATORS", member_user_ids=["u-1"])
    assert everyone["warnings"][0]["path"] == "member_user_ids"
    assert call("groups.get", id=sales["id"]) == {k: v for k, v in sales.items() if k != "warnings"}
    first = call("groups.list", limit=1)
    assert first["next_cursor"] is not None and "warnings" not in first["items"][0]
    call("groups.list", cursor=first["next_cursor"], name_prefix="s", type="NORMAL", routing_mode="WHOLE_GROUP")
    changed = call("groups.update", id=sales["id"], expected_revision=sales["revision"], routing_mode=None, member_user_ids=[],
                   fallback_group_id=None, queue_size=None)
    assert changed["routing_mode"] == "SEQUENTIAL_BY_OPERATOR" and changed["queue_size"] == 50 and "warnings" not in changed
    call("groups.update", id=backup["id"], name="Backup", dry_run=True)

    phone_number = unique_phone()
    number = call("whatsapp_numbers.create", name="Customer care",
                  phone_number=f"{phone_number[:4]} ({phone_number[4:7]}) {phone_number[7:10]}-{phone_number[10:]}",
                  provider="DIALOG360", waba_id=" 104996122399160 ", phone_number_id=str(uuid.uuid4().int % 10**15),
                  routing_group_id=sales["id"], verified_name="Acme", status="CONNECTED", quality_rating="GREEN",
                  messaging_limit_tier="TIER_1K", enabled=True,
                  profile={"about": "We answer 8-20", "address": "Praha 1", "description": "Line one\nline two",
                           "email": "care@acme.example", "websites": ["https://acme.example", "https://shop.acme.example/x"]})
    assert number["phone_number"] == phone_number and number["waba_id"] == "104996122399160"
    minimal = call("whatsapp_numbers.create", name="Minimal", phone_number=unique_phone(), waba_id="1", routing_group_id=backup["id"],
                   profile={"about": "", "websites": []}, verified_name="")
    assert minimal["profile"] == {} and minimal["verified_name"] is None and minimal["phone_number_id"] is None
    call("whatsapp_numbers.get", id=number["id"])
    call("whatsapp_numbers.list", status="CONNECTED", routing_group_id=sales["id"], name_prefix="CUST")
    call("whatsapp_numbers.update", id=minimal["id"], profile={"email": "x@y.example"}, messaging_limit_tier=None, status="FLAGGED")

    vip = call("tags.create", name="vip", label="VIP customer", background_color="#ffffff", text_color="#eeeeee", description="Line\nline")
    assert vip["background_color"] == "#FFFFFF" and vip["warnings"][0]["path"] == "text_color"
    plain = call("tags.create", name="čeština")
    assert plain["label"] == "čeština" and plain["description"] is None
    call("tags.get", id=vip["id"])
    call("tags.list", name_prefix="V")
    assert call("tags.update", id=vip["id"], name="vip", label=None, text_color="#000000")["label"] == "vip"

    # Conflicts, references and params, each error checked against the Error schema.
    taken = fail("groups.create", -32009, name="sales eu")
    assert taken["data"] == {"kind": "conflict", "reason": "already_exists", "field": "name", "existing_id": sales["id"]}
    foreign = checker.error(admin, "whatsapp_numbers.create", {"tenant_id": other, "name": "Elsewhere", "phone_number": unique_phone(),
                                                              "waba_id": "2", "routing_group_id": everyone["id"]}, code=-32004)
    assert foreign["data"] == {"kind": "not_found", "type": "group", "id": everyone["id"]}, "another tenant's group is not found"
    other_group = checker.result(admin, "groups.create", {"tenant_id": other, "name": "Sales EU"})
    phone = checker.error(admin, "whatsapp_numbers.create", {"tenant_id": other, "name": "Elsewhere", "phone_number": number["phone_number"],
                                                            "waba_id": "2", "routing_group_id": other_group["id"]}, code=-32009)
    assert phone["data"] == {"kind": "conflict", "reason": "already_exists", "field": "phone_number"}, "no existing_id across tenants"
    assert fail("groups.get", -32004, id=other_group["id"])["data"]["type"] == "group"
    in_use = fail("groups.delete", -32009, id=sales["id"])
    assert in_use["data"]["reason"] == "in_use"
    assert {(r["type"], r["id"], r["field"]) for r in in_use["data"]["referrers"]} == {
        ("group", backup["id"], "fallback_group_id"), ("whatsapp_number", number["id"], "routing_group_id")}
    immutable = fail("tags.update", -32009, id=vip["id"], name="vip2")
    assert immutable["data"] == {"kind": "conflict", "reason": "immutable", "field": "name"}
    stale = fail("groups.update", -32009, id=sales["id"], expected_revision=sales["revision"], name="Sales")
    assert stale["data"]["reason"] == "revision_mismatch"
    fail("groups.update", -32602, id=backup["id"], fallback_group_id=backup["id"])
    fail("groups.create", -32602, valid=False, name="", queue_size=1001, type="BIG")
    fail("whatsapp_numbers.create", -32602, valid=False, name="X", phone_number="0601", waba_id="x", routing_group_id="grp_1",
         profile={"email": "nope", "websites": ["http://insecure.example"], "fax": "1"})
    fail("tags.create", -32602, valid=False, name="_x", background_color="red")
    fail("groups.delete", -32602, valid=False, id=backup["id"], cascade=True)
    counts = checker.error(admin, "tenants.delete", {"id": tenant}, code=-32009)
    assert counts["data"] == {"kind": "conflict", "reason": "in_use", "counts": {"groups": 3, "whatsapp_numbers": 2, "tags": 2}}

    deleted = call("whatsapp_numbers.delete", id=minimal["id"], expected_revision=call("whatsapp_numbers.get", id=minimal["id"])["revision"])
    assert deleted["cascaded"] == [] and deleted["deleted"] is True
    assert set(call("tags.delete", id=plain["id"], dry_run=True)) == {"id", "deleted", "revision"}
    call("groups.delete", id=everyone["id"])
    checker.result(admin, "tenants.delete", {"id": tenant, "cascade": True})
    checker.result(admin, "tenants.delete", {"id": other, "cascade": True, "dry_run": True})
    checker.result(admin, "tenants.delete", {"id": other, "cascade": True})
    assert checker.seen_results >= COVERED["groups_numbers_tags"]
    assert checker.seen_error_codes == {-32602, -32004, -32009}


TEMPLATE_CASES = {
    "order_update": ("UTILITY", "POSITIONAL", {
        "header": {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "12345"}},
        "body": {"text": "{{1}} {{2}}", "examples": {"1": "Jan", "2": "Friday"}},
        "footer": {"text": "Acme s.r.o."},
        "buttons": [{"type": "QUICK_REPLY", "text": "Thanks"}, {"type": "QUICK_REPLY", "text": "Stop"},
                    {"type": "URL", "text": "Track", "url": "https://track.example.com/t/{{1}}", "example": "abc123"},
                    {"type": "URL", "text": "Shop", "url": "https://shop.example.com"},
                    {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+420 601 123 456"}]},
        {"header": {"1": "A-1001"}, "body": {"1": "Jana", "2": "Monday"}, "buttons": {"2": {"1": "A-1001?ref=wa"}}}),
    "spring_sale": ("MARKETING", "NAMED", {
        "header": {"format": "DOCUMENT", "example_url": "https://cdn.example.com/leaflet.pdf"},
        "body": {"text": "Hi {{first_name}}, here is our leaflet.", "examples": {"first_name": "Jan"}},
        "buttons": [{"type": "COPY_CODE", "example": "SPRING10"}]},
        {"header": {"filename": "leaflet.pdf"}, "body": {"first_name": "Eva"}, "buttons": {"0": {"code": "SPRING25"}}}),
    "our_office": ("UTILITY", None, {"header": {"format": "LOCATION"}, "body": {"text": "Find us here."}},
                   {"header": {"latitude": 50.0875, "longitude": 14.4213, "name": "Acme", "address": "Praha 1"}}),
    "new_photo": ("MARKETING", None, {"header": {"format": "IMAGE", "example_url": "https://cdn.example.com/a.jpg"}, "body": {"text": "New!"}},
                  {"header": {"url": "https://cdn.example.com/b.jpg"}}),
    "new_video": ("MARKETING", None, {"header": {"format": "VIDEO", "example_url": "https://cdn.example.com/a.mp4"}, "body": {"text": "Watch."}},
                  None),
    "login_code": ("AUTHENTICATION", None, {"body": {"add_security_recommendation": True}, "footer": {"code_expiration_minutes": 10},
                                            "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}]},
                   {"code": "482913"}),
    "app_login": ("AUTHENTICATION", None, {"body": {}, "buttons": [
                      {"type": "OTP", "otp_type": "ZERO_TAP", "autofill_text": "Autofill", "zero_tap_terms_accepted": True,
                       "supported_apps": [{"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"}]}]},
                  {"code": "J$FpnYnP"}),
    "plain": ("UTILITY", None, {"body": {"text": "Thank you."}, "footer": None, "buttons": None}, {}),
}


def test_template_and_hero_card_methods_match_the_schemas(admin, checker):
    tenant = new_tenant(checker, admin)
    call = lambda method, **params: checker.result(admin, method, {"tenant_id": tenant, **params})  # noqa: E731
    fail = lambda method, code, valid=True, **params: checker.error(  # noqa: E731
        admin, method, {"tenant_id": tenant, **params}, code=code, valid_params=valid)
    group = call("groups.create", name="Support")
    number = call("whatsapp_numbers.create", name="Care", phone_number=unique_phone(), waba_id=str(uuid.uuid4().int % 10**15),
                  routing_group_id=group["id"])

    templates = {}
    for name, (category, parameter_format, components, parameters) in TEMPLATE_CASES.items():
        params = {"whatsapp_number_id": number["id"], "name": name, "language": "en_US", "category": category, "components": components}
        if parameter_format:
            params["parameter_format"] = parameter_format
        templates[name] = template = call("templates.create", **params)
        assert template["status"] == "PENDING" and template["approved_at"] is None
        render = {"id": template["id"]} if parameters is None else {"id": template["id"], "parameters": parameters}
        rendered = call("templates.render", **render)
        assert rendered["sendable"] is False
    assert {w["message"].split(" ")[0] for w in templates["order_update"]["warnings"]} == {"starts", "ends", "has"}
    assert templates["login_code"]["components"]["buttons"] == [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}]
    assert "footer" not in templates["plain"]["components"] and templates["plain"]["components"]["buttons"] == []

    order = templates["order_update"]
    call("templates.get", id=order["id"])
    meta = call("templates.get", id=order["id"], format="meta")
    assert {c["type"] for c in meta["components"]} <= {"HEADER", "BODY", "FOOTER", "BUTTONS"} and "id" not in meta
    same = call("templates.import", whatsapp_number_id=number["id"], template=meta)
    assert same["action"] == "unchanged" and same["template"]["id"] == order["id"]
    imported = call("templates.import", whatsapp_number_id=number["id"], template={**meta, "name": "imported_copy", "status": "APPROVED",
                                                                                  "id": "1387372356726668", "sub_category": "CUSTOM"})
    assert imported["action"] == "created" and imported["template"]["status"] == "APPROVED" and imported["ignored"] == ["sub_category"]
    fail("templates.import", -32602, valid=False, whatsapp_number_id=number["id"], template={"name": "x", "components": "BODY"})
    page = call("templates.list", whatsapp_number_id=number["id"], status="PENDING", language="en_US", category="UTILITY", limit=2)
    assert len(page["items"]) == 2 and page["next_cursor"]
    call("templates.list", cursor=page["next_cursor"], name_prefix="o")
    call("templates.set_status", id=templates["plain"]["id"], status="REJECTED", rejected_reason="INVALID_FORMAT")
    edited = call("templates.update", id=templates["plain"]["id"], components={"body": {"text": "Thanks a lot."}}, parameter_format=None)
    assert edited["status"] == "PENDING"
    rejected = call("templates.set_status", id=order["id"], status="REJECTED", reason="  Looks like spam  ", dry_run=True)
    assert rejected["status_reason"] == "Looks like spam"
    approved = call("templates.set_status", id=order["id"], status="APPROVED", expected_revision=order["revision"])
    assert approved["approved_at"] is not None and approved["status_reason"] is None
    assert call("templates.render", id=order["id"], parameters=TEMPLATE_CASES["order_update"][3])["sendable"] is True

    cards = {
        "web": call("hero_cards.create", name="Welcome", channel="WEBCHAT", default_language="cs", localizations={
            "cs": {"title": " Vítejte ", "subtitle": "Podpora", "text": "Jak vám\nmůžeme pomoci?",
                   "images": [{"url": "https://cdn.example.com/a.png", "alt": "Logo"}, {"url": "http://cdn.example.com/b.png"}],
                   "buttons": [{"type": "openUrl", "title": "Web", "value": "https://example.com"},
                               {"type": "imBack", "title": "Order", "value": "About my order"},
                               {"type": "postBack", "title": "Complaint", "value": "intent:complaint"},
                               {"type": "messageBack", "title": "Other", "value": "other"},
                               {"type": "call", "title": "Call", "value": "tel:+420 601 123 456"},
                               {"type": "signin", "title": "Sign in", "value": "https://login.example.com"}]},
            "en_GB": {"text": "How can we help?", "subtitle": None, "images": None, "buttons": None}}),
        "interactive": call("hero_cards.create", name="Order status", channel="WHATSAPP", default_language="en", template_id=order["id"],
                            localizations={"en": {"title": "Your order", "text": "Is on its way", "subtitle": "Acme",
                                                  "images": [{"url": "https://cdn.example.com/parcel.jpg"}],
                                                  "buttons": [{"type": "imBack", "title": "Track", "value": "track"},
                                                              {"type": "postBack", "title": "Change", "value": "change"}]}}),
        "header": call("hero_cards.create", name="Header", channel="WHATSAPP", default_language="en", localizations={
            "en": {"title": "Your order", "text": "Is on its way", "buttons": [{"type": "imBack", "title": "OK", "value": "ok"}]}}),
        "image": call("hero_cards.create", name="Image", channel="WHATSAPP", default_language="en", localizations={
            "en": {"title": "New", "subtitle": "Lost", "images": [{"url": "https://cdn.example.com/new.jpg", "alt": "New"}]}}),
        "text": call("hero_cards.create", name="Text", channel="WHATSAPP", default_language="en", localizations={
            "en": {"title": "Hello", "text": "Body", "subtitle": "Acme"}}),
        "apple": call("hero_cards.create", name="Welcome", channel="APPLE", default_language="en", localizations={"en": {"title": "Hi"}}),
    }
    assert [w["path"] for w in cards["interactive"]["warnings"]] == ["localizations.en.title"]
    assert cards["web"]["localizations"]["en_GB"] == {"title": None, "subtitle": None, "text": "How can we help?", "images": [], "buttons": [], "tap": None}
    shapes = {}
    for key, card in cards.items():
        rendered = call("hero_cards.render", id=card["id"], **({"language": "en_US"} if key == "web" else {}))
        shapes[key] = rendered.get("whatsapp", {}).get("type")
    assert shapes == {"web": None, "interactive": "interactive", "header": "interactive", "image": "image", "text": "text", "apple": None}
    call("hero_cards.get", id=cards["web"]["id"])
    call("hero_cards.list", channel="WHATSAPP", name_prefix="o")
    call("hero_cards.update", id=cards["apple"]["id"], localizations={"en": {"text": "Hello"}, "de": {"title": "Hallo"}})

    immutable = fail("templates.update", -32009, id=order["id"], name="order_update_2")
    assert immutable["data"] == {"kind": "conflict", "reason": "immutable", "field": "name"}
    duplicate = fail("templates.create", -32009, whatsapp_number_id=number["id"], name="order_update", language="en_US",
                     category="UTILITY", components={"body": {"text": "Again"}})
    assert duplicate["data"]["reason"] == "already_exists" and duplicate["data"]["field"] == "name"
    in_use = fail("templates.delete", -32009, id=order["id"])
    assert in_use["data"]["referrers"] == [{"type": "hero_card", "id": cards["interactive"]["id"], "name": "Order status", "field": "template_id"}]
    fail("whatsapp_numbers.delete", -32009, id=number["id"], cascade=True)
    missing = fail("hero_cards.create", -32004, name="Ghost", channel="WHATSAPP", default_language="en",
                   template_id="tpl_01JD8X7B2C4D6E8F0G1H2J3K4M", localizations={"en": {"title": "Boo"}})
    assert missing["data"] == {"kind": "not_found", "type": "template", "id": "tpl_01JD8X7B2C4D6E8F0G1H2J3K4M"}
    fail("templates.render", -32602, valid=False, id=order["id"], parameters={"body": {"1": "Jana", "3": "x"}, "footer": {}})
    fail("templates.render", -32602, id=templates["our_office"]["id"])
    fail("hero_cards.render", -32602, valid=False, id=cards["web"]["id"], language="en-US")
    fail("hero_cards.create", -32602, valid=False, name="", channel="SMS", default_language="cs", localizations={})
    fail("templates.create", -32602, valid=False, whatsapp_number_id=number["id"], name="Bad Name", language="en-US", category="UTILITY",
         components={"body": {"text": "Hi {{1}}"}, "footer": {"text": "{{1}}"}, "extra": 1})
    fail("templates.set_status", -32602, valid=False, id=order["id"], status="GOOD")

    call("hero_cards.update", id=cards["interactive"]["id"], template_id=None)
    call("hero_cards.delete", id=cards["header"]["id"])
    call("templates.delete", id=templates["new_video"]["id"])
    cascaded = call("whatsapp_numbers.delete", id=number["id"], cascade=True)
    assert {entry["id"] for entry in cascaded["cascaded"]} == {t["id"] for n, t in templates.items() if n != "new_video"} | {
        imported["template"]["id"]}
    checker.result(admin, "tenants.delete", {"id": tenant, "cascade": True})
    assert checker.seen_results >= COVERED["templates_hero_cards"]


def test_blocked_file_types_and_files_check_match_the_schemas(admin, checker):
    tenant = new_tenant(checker, admin, seed=True)
    call = lambda method, **params: checker.result(admin, method, {"tenant_id": tenant, **params})  # noqa: E731
    fail = lambda method, code, valid=True, **params: checker.error(  # noqa: E731
        admin, method, {"tenant_id": tenant, **params}, code=code, valid_params=valid)
    seeded = call("blocked_file_types.list", limit=1000, source="DEFAULT")["items"]
    assert {"exe", "bat", "js", "ps1", "msi", "jar", "lnk"} <= {entry["extension"] for entry in seeded}
    exe = next(entry for entry in seeded if entry["extension"] == "exe")

    blocked = call("files.check", file_name="Faktura.PDF.exe. ", direction="CLIENT_UPLOAD")
    assert blocked["allowed"] is False and blocked["matched"][0]["id"] == exe["id"]
    assert blocked["matched"][0]["matched_on"] == "extension"
    by_type = call("files.check", file_name="photo.jpg", mime_type="Application/X-MSDownload")
    assert [m["matched_on"] for m in by_type["matched"]] == ["mime_type"]
    standard = {"id": None, "channel": "ALL", "mode": "BLOCK", "max_file_bytes": 26214400}
    assert call("files.check", file_name="report.pdf") == {
        "allowed": True, "decided_by": {"rule": "not_blocked"}, "policy": standard, "matched": [], "reasons": []}
    big = call("files.check", file_name="report.pdf", size_bytes=26214401, channel="EMAIL")
    assert big["decided_by"] == {"rule": "max_file_bytes", "limit": 26214400}
    photo = call("files.check", file_name="receipt.jpg", size_bytes=6_000_000, channel="WHATSAPP")
    assert photo["decided_by"] == {"rule": "whatsapp_media_limit", "kind": "image", "limit": 5242880}
    assert call("files.check", file_name="notes.zip", channel="WHATSAPP")["decided_by"] == {"rule": "whatsapp_media_type", "extension": "zip"}

    policy = call("file_policies.create", channel="WHATSAPP", mode="ALLOW", max_file_bytes=10_000_000)
    assert policy["channel"] == "WHATSAPP" and policy["mode"] == "ALLOW" and policy["id"].startswith("fpl_")
    call("file_policies.create", channel="ALL", mode=None, max_file_bytes=None)
    call("file_policies.get", id=policy["id"])
    call("file_policies.list")
    allow = call("files.check", file_name="receipt.jpg", channel="WHATSAPP")
    assert allow["decided_by"] == {"rule": "not_on_allow_list", "extension": "jpg"} and allow["policy"]["id"] == policy["id"]
    call("file_policies.update", id=policy["id"], mode="BLOCK")
    fail("file_policies.update", -32009, id=policy["id"], channel="EMAIL")  # immutable
    fail("file_policies.create", -32009, channel="WHATSAPP")
    fail("file_policies.create", -32602, valid=False, channel="FAX", max_file_bytes=0)
    fail("files.check", -32602, valid=False, file_name="a.pdf", size_bytes=-1, channel="ALL")
    call("file_policies.delete", id=policy["id"])

    iso2 = call("blocked_file_types.create", extension=" .ISO2 ", mime_type=" Application/X-Iso2 ", reason="  disk images  ",
                applies_to=["EMAIL_ATTACHMENT", "CLIENT_UPLOAD"])
    assert iso2["extension"] == "iso2" and iso2["applies_to"] == ["CLIENT_UPLOAD", "EMAIL_ATTACHMENT"] and iso2["source"] == "USER"
    call("blocked_file_types.create", extension="tmp2", applies_to=None, reason="")
    call("blocked_file_types.get", id=iso2["id"])
    own = call("blocked_file_types.update", id=exe["id"], reason=None, applies_to=["OPERATOR_UPLOAD"])
    assert own["source"] == "USER" and own["reason"] is None
    call("blocked_file_types.list", name_prefix="ISO", source="USER")
    duplicate = fail("blocked_file_types.create", -32009, extension="EXE")
    assert duplicate["data"] == {"kind": "conflict", "reason": "already_exists", "field": "extension", "existing_id": exe["id"]}
    fail("blocked_file_types.create", -32602, valid=False, extension="tar.gz", applies_to=[], mime_type="text")
    fail("files.check", -32602, valid=False, file_name="../etc/passwd", direction="UP")
    fail("files.check", -32602, valid=False, file_name=". . .")
    call("blocked_file_types.delete", id=iso2["id"], dry_run=True)
    counts = checker.error(admin, "tenants.delete", {"id": tenant}, code=-32009)
    assert counts["data"]["counts"] == {"blocked_file_types": 3, "file_policies": 1}, "edited and own entries count, untouched seeded ones do not"
    call("blocked_file_types.delete", id=iso2["id"])
    checker.result(admin, "tenants.delete", {"id": tenant, "cascade": True})
    assert checker.seen_results >= COVERED["blocked_file_types"]


def test_business_hours_methods_match_the_schemas(admin, checker):
    tenant = new_tenant(checker, admin)
    call = lambda method, **params: checker.result(admin, method, {"tenant_id": tenant, **params})  # noqa: E731
    fail = lambda method, code, valid=True, **params: checker.error(  # noqa: E731
        admin, method, {"tenant_id": tenant, **params}, code=code, valid_params=valid)
    week = {"sat": [{"open": "22:00", "close": "06:00"}], "sun": [{"open": "06:00", "close": "00:00"}], "mon": None}
    office = call("business_hours.create", name=" Office ", timezone="Europe/Prague", week=week,
                  special_days=[{"date": "2026-12-24", "closed": True, "label": "Christmas Eve"}])
    assert office["week"]["sun"] == [{"open": "06:00", "close": "24:00"}] and office["week"]["mon"] == []
    call("business_hours.get", id=office["id"])
    call("business_hours.list", name_prefix="off")
    call("business_hours.update", id=office["id"], special_days=None)
    checked = call("business_hours.check", id=office["id"], at="2026-03-29T03:30:00+02:00")
    assert checked["open"] is True and checked["next_change"] == "2026-03-29T22:00:00.000Z"
    call("business_hours.check", id=office["id"])
    fail("business_hours.create", -32602, valid=False, name="Bad", timezone="Europe/Prague",
         week={"mon": [{"open": "9:00", "close": "17:00"}]})
    fail("business_hours.check", -32602, valid=False, id=office["id"], at="yesterday")
    group = call("groups.create", name="Support", business_hours_id=office["id"])
    in_use = fail("business_hours.delete", -32009, id=office["id"])
    assert in_use["data"]["referrers"] == [{"type": "group", "id": group["id"], "name": "Support", "field": "business_hours_id"}]
    call("groups.update", id=group["id"], business_hours_id=None)
    call("business_hours.delete", id=office["id"])
    assert checker.seen_results >= COVERED["business_hours"]


# ---------------------------------------------------------------- declarative documents against the schemas


def test_config_export_and_apply_match_the_schemas(admin, checker):
    """Real config.export documents and config.apply plans against ConfigDocument and ApplyPlan; every export is a
    valid `document` param (the checker validates it); natural keys, changes, prune and the errors of both."""
    source, target = new_tenant(checker, admin), new_tenant(checker, admin)
    call = lambda tenant, method, **params: checker.result(admin, method, {"tenant_id": tenant, **params})  # noqa: E731
    fail = lambda tenant, method, code, valid=True, **params: checker.error(  # noqa: E731
        admin, method, {"tenant_id": tenant, **params}, code=code, valid_params=valid)
    checker.result(admin, "tenants.update", {"id": source, "default_language": "cs", "timezone": "Europe/Prague"})
    sales = call(source, "groups.create", name="Sales", member_user_ids=["u-1"])
    call(source, "groups.create", name="Support", fallback_group_id=sales["id"], type="CHATBOT")
    phone = unique_phone()
    number = call(source, "whatsapp_numbers.create", name="Main", phone_number=phone, waba_id=str(uuid.uuid4().int % 10**15),
                  routing_group_id=sales["id"], profile={"about": "We answer 8-20", "websites": ["https://acme.example"]})
    category, parameter_format, components, _ = TEMPLATE_CASES["order_update"]
    template = call(source, "templates.create", whatsapp_number_id=number["id"], name="order_update", language="cs",
                    category=category, parameter_format=parameter_format, components=components)
    call(source, "templates.set_status", id=template["id"], status="APPROVED")
    call(source, "hero_cards.create", name="Welcome", channel="WEBCHAT", default_language="cs", localizations={
        "cs": {"title": "Vítejte", "buttons": [{"type": "openUrl", "title": "Web", "value": "https://acme.example"}]}})
    call(source, "hero_cards.create", name="Order", channel="WHATSAPP", default_language="cs", template_id=template["id"],
         localizations={"cs": {"title": "Objednávka", "text": "Je na cestě"}})
    call(source, "tags.create", name="vip", background_color="#112233")
    call(source, "blocked_file_types.create", extension="iso", mime_type="application/x-iso9660-image",
         applies_to=["CLIENT_UPLOAD"])

    document = call(source, "config.export")
    text = json.dumps(document, ensure_ascii=False)
    assert not re.search(r'"(?:grp|wan|tpl|hcd|tag|bft|tnt)_[0-9A-Z]{26}"', text), "an id in the document"
    assert not {"revision", "created_at", "updated_at", "status_reason", "approved_at", "source"} & set(re.findall(r'"(\w+)":', text))
    assert document["tenant"] == {"name": "Configuration", "default_language": "cs", "timezone": "Europe/Prague"}
    assert [(g["name"], g["fallback_group"]) for g in document["groups"]] == [("Sales", None), ("Support", "Sales")]
    assert document["whatsapp_numbers"][0]["routing_group"] == "Sales" and document["templates"][0]["whatsapp_number"] == phone
    assert "status" not in document["templates"][0], "a template's review status is not configuration"
    assert [(c["channel"], c["template"]) for c in document["hero_cards"]] == [
        ("WEBCHAT", None), ("WHATSAPP", {"whatsapp_number": phone, "name": "order_update", "language": "cs"})]
    assert call(source, "config.export") == document, "the same configuration, the same document"

    # A tenant's own export is an empty plan, whose revision is the store's; expected_revision is compared with it.
    unchanged = call(source, "config.apply", document=document, prune=True)
    assert (unchanged["create"], unchanged["update"], unchanged["delete"]) == ([], [], [])
    assert {warning["path"].split(".")[1] for warning in unchanged["warnings"]} == {"templates[0]"}, "warnings even for an empty plan"
    stale = fail(source, "config.apply", -32009, document=document, expected_revision=unchanged["revision"] - 1)
    assert stale["data"] == {"kind": "conflict", "reason": "revision_mismatch", "current_revision": unchanged["revision"]}
    assert call(source, "config.apply", document=document, expected_revision=unchanged["revision"]) == unchanged

    # Another tenant: a dry run plans every object (phone numbers are unique across tenants: the copy gets its own).
    copied = json.loads(text.replace(phone, unique_phone()))
    dry = call(target, "config.apply", document=copied, dry_run=True)
    assert [entry["family"] for entry in dry["create"]] == [family for family in FAMILIES for _ in document[family]]
    assert [entry["object"] for entry in dry["create"]] == [item for family in FAMILIES for item in copied[family]]
    assert dry["create"][2]["key"] == copied["whatsapp_numbers"][0]["phone_number"] != phone
    copied_phone = copied["whatsapp_numbers"][0]["phone_number"]
    assert dry["create"][3]["key"] == {"whatsapp_number": copied_phone, "name": "order_update", "language": "cs"}
    assert dry["create"][5]["key"] == {"channel": "WHATSAPP", "name": "Order"}
    assert dry["update"] == [{"family": "tenant", "key": None,
                              "changes": {"default_language": [None, "cs"], "timezone": [None, "Europe/Prague"]}}]
    assert call(target, "groups.list")["items"] == [], "a dry run changes nothing"
    applied = call(target, "config.apply", document=copied)
    assert (applied["create"], applied["update"]) == (dry["create"], dry["update"]) and applied["revision"] > unchanged["revision"]
    assert call(target, "config.export") == copied, "the copy exports as the document it was made from"

    # Changes: the members that differ as [old, new]; families absent from the document are not managed, even with prune.
    changed = {"version": 1, "tags": [],
               "groups": [{**document["groups"][0], "queue_size": 7}, document["groups"][1],
                          {"name": "Night shift", "routing_mode": "WHOLE_GROUP"}]}
    plan = call(source, "config.apply", document=changed, prune=True)
    assert plan["update"] == [{"family": "groups", "key": "Sales", "changes": {"queue_size": [50, 7]}}]
    assert [(entry["family"], entry["key"], entry["object"]["routing_mode"]) for entry in plan["create"]] == [
        ("groups", "Night shift", "WHOLE_GROUP")]
    assert plan["delete"] == [{"family": "tags", "key": "vip"}]
    assert [warning["path"] for warning in plan["warnings"]] == ["document.groups[2].routing_mode"]
    after = call(source, "config.export")
    assert after["tags"] == [] and after["blocked_file_types"] == document["blocked_file_types"]

    # Every problem of a document at once, with its path in it: valid for the schema but not for the server ...
    invalid = fail(source, "config.apply", -32602, document={
        "version": 1, "groups": [{"name": "Sales"}, {"name": " sales "}],
        "whatsapp_numbers": [{"name": "Spare", "phone_number": unique_phone(), "waba_id": "1", "routing_group": "Nowhere"}]})
    assert [issue["path"] for issue in invalid["data"]["errors"]] == ["document.groups[1]", "document.whatsapp_numbers[0].routing_group"]
    # ... and invalid for both.
    invalid = fail(source, "config.apply", -32602, valid=False, document={
        "version": 2, "tenant": {"slug": "renamed"}, "groups": [{"name": "Ops", "queue_size": -1}], "colours": []})
    assert {issue["path"] for issue in invalid["data"]["errors"]} == {
        "document.version", "document.tenant.slug", "document.groups[0].queue_size", "document.colours"}
    fail(source, "config.apply", -32602, valid=False, prune="yes")

    # Refusals from the stored state apply nothing at all.
    frozen = json.loads(json.dumps(after))
    frozen["groups"][0]["queue_size"] = 8
    frozen["templates"][0]["category"] = "MARKETING"
    immutable = fail(source, "config.apply", -32009, document=frozen)
    assert immutable["data"] == {"kind": "conflict", "reason": "immutable"}
    in_use = fail(source, "config.apply", -32009, document={"version": 1, "groups": []}, prune=True, dry_run=True)
    assert in_use["data"]["reason"] == "in_use" and in_use["data"]["referrers"][0]["type"] == "whatsapp_number"
    taken = fail(target, "config.apply", -32009, document={"version": 1, "whatsapp_numbers": [
        {**document["whatsapp_numbers"][0], "name": "Borrowed"}]})
    assert taken["data"] == {"kind": "conflict", "reason": "already_exists", "field": "phone_number"}, "no hint who holds it"
    assert call(source, "config.export") == after and call(target, "config.export") == copied
    # A rejected template may change (Meta's rule), also its category; references change as natural keys.
    card = next(item for item in copied["hero_cards"] if item["channel"] == "WHATSAPP")
    target_template = call(target, "templates.list")["items"][0]
    call(target, "templates.set_status", id=target_template["id"], status="REJECTED")
    edited = call(target, "config.apply", document={"version": 1, "templates": [{**copied["templates"][0], "category": "MARKETING"}],
                                                    "hero_cards": [{**card, "template": None}]})
    assert edited["update"] == [
        {"family": "templates", "key": dry["create"][3]["key"], "changes": {"category": ["UTILITY", "MARKETING"]}},
        {"family": "hero_cards", "key": {"channel": "WHATSAPP", "name": "Order"}, "changes": {"template": [card["template"], None]}}]
    missing = checker.error(admin, "config.export", {"tenant_id": "tnt_" + "0" * 26}, code=-32004)
    assert missing["data"] == {"kind": "not_found", "type": "tenant", "id": "tnt_" + "0" * 26}

    # One audit record per call, on the tenant; an applied plan is counted.
    records = {tenant: all_pages(checker, admin, "audit.list", {"tenant_id": tenant, "method": "config.apply"})
               for tenant in (source, target)}
    assert {(r["target_type"], r["target_id"], r["outcome"]) for r in records[target] if r["outcome"] != "FAILED"} == {
        ("tenant", target, "DRY_RUN"), ("tenant", target, "APPLIED")}
    assert {r["outcome"] for r in records[source]} == {"APPLIED", "UNCHANGED", "FAILED"}
    assert [r["changes"] for r in records[source] if r["outcome"] == "APPLIED"] == [
        {"plan": {"before": None, "after": {"created": 1, "updated": 1, "deleted": 1}}}]
    for tenant in (source, target):
        checker.result(admin, "tenants.delete", {"id": tenant, "cascade": True})
    assert checker.seen_results >= DOCUMENT_METHODS


def test_document_and_plan_schemas_refuse_what_the_server_never_returns(registry):
    """ConfigDocument and ApplyPlan are strict: real shapes pass, and each mutation below, which the server never produces, fails."""
    phone = "+420601555001"
    template_key = {"whatsapp_number": phone, "name": "order_ready", "language": "cs"}
    group = {"name": "Sales", "type": "NORMAL", "routing_mode": "SEQUENTIAL_BY_OPERATOR", "member_user_ids": [],
             "max_concurrent_sessions_per_operator": 3, "queue_size": 50, "max_queue_wait_seconds": 300, "max_acw_seconds": 60,
             "fallback_group": None, "enabled": True, "business_hours": None}
    document = {
        "version": 1, "tenant": {"name": "Acme", "default_language": None, "timezone": "UTC"}, "business_hours": [],
        "groups": [group, {**group, "name": "Support", "fallback_group": "Sales"}],
        "whatsapp_numbers": [{"name": "Main", "phone_number": phone, "provider": "CLOUD_API", "waba_id": "1", "phone_number_id": None,
                              "routing_group": "Sales", "business_hours": None, "verified_name": None, "status": "PENDING", "quality_rating": "NA",
                              "messaging_limit_tier": None, "name_status": None, "code_verification_status": None,
                              "throughput_level": None, "account_mode": None, "profile": {}, "enabled": True}],
        "templates": [{"whatsapp_number": phone, "name": "order_ready", "language": "cs", "category": "UTILITY",
                       "parameter_format": "POSITIONAL", "components": {"body": {"text": "Hotovo", "examples": {}}, "buttons": []},
                       "message_send_ttl_seconds": None}],
        "hero_cards": [{"name": "Order", "channel": "WHATSAPP", "default_language": "cs", "template": template_key,
                        "localizations": {"cs": {"title": "T", "subtitle": None, "text": None, "images": [], "buttons": [], "tap": None}}}],
        "tags": [{"name": "vip", "label": "vip", "background_color": None, "text_color": None, "description": None}],
        "blocked_file_types": [{"extension": "exe", "mime_type": None, "reason": None, "applies_to": ["CLIENT_UPLOAD"]}],
        "file_policies": [{"channel": "WHATSAPP", "mode": "ALLOW", "max_file_bytes": 16777216}],
    }
    plan = {
        "create": [{"family": "templates", "key": template_key, "object": document["templates"][0]},
                   {"family": "hero_cards", "key": {"channel": "WHATSAPP", "name": "Order"}, "object": document["hero_cards"][0]}],
        "update": [{"family": "groups", "key": "Support", "changes": {"fallback_group": [None, "Sales"], "queue_size": [50, 7]}},
                   {"family": "tenant", "key": None, "changes": {"default_language": ["cs", None]}}],
        "delete": [{"family": "tags", "key": "old"}, {"family": "blocked_file_types", "key": "bat"}],
        "revision": 12, "warnings": [{"path": "document.groups[1].routing_mode", "message": "WHOLE_GROUP is deprecated"}],
    }
    mutations = {
        "ConfigDocument": (document, [
            lambda d: d["groups"][1].update(fallback_group_id="grp_01JD8X5B2C3D4E5F6G7H8J9K0M"),
            lambda d: d["groups"][0].update(revision=3),
            lambda d: d["templates"][0].update(status="APPROVED"),
            lambda d: d["blocked_file_types"][0].update(source="DEFAULT"),
            lambda d: d["whatsapp_numbers"][0].update(routing_group=None),
            lambda d: d["hero_cards"][0]["template"].pop("language"),
            lambda d: d["hero_cards"][0].update(channel="WEBCHAT"),
            lambda d: d["tenant"].update(slug="acme"),
            lambda d: d.update(version=2),
            lambda d: d.pop("tags"),
            lambda d: d["groups"][0].pop("enabled"),
        ]),
        "ApplyPlan": (plan, [
            lambda p: p["update"][0]["changes"]["queue_size"].append(8),
            lambda p: p["update"][0]["changes"].update(queue_size=[50, -1]),
            lambda p: p["update"][0]["changes"].update(id=["grp_1", "grp_2"]),
            lambda p: p["update"][0].update(changes={}),
            lambda p: p["update"][1].update(key="Acme"),
            lambda p: p["update"][1]["changes"].update(slug=["a", "b"]),
            lambda p: p["create"][0].update(family="hero_cards"),
            lambda p: p["create"][1].update(family="tenant"),
            lambda p: p["delete"][0].update(object={}),
            lambda p: p["delete"][1].update(key=".bat"),
            lambda p: p.pop("revision"),
            lambda p: p.update(warnings=[]),
        ]),
    }
    assert_mutations_refused(registry, mutations)


# ---------------------------------------------------------------- API keys and the audit log against the schemas


def hello_params(key: str) -> dict:
    return {"api_key": key, "protocol_version": 1, "client": "protocol-tests/1"}


def all_pages(checker, conn, method: str, params: dict) -> list:
    """Every item of a list, page by page (each page checked against the schema); cursors never repeat an item."""
    items, page = [], checker.result(conn, method, params)
    items += page["items"]
    while page["next_cursor"] is not None:
        page = checker.result(conn, method, {**params, "cursor": page["next_cursor"]})
        items += page["items"]
    assert len({item["id"] for item in items}) == len(items), f"{method} repeated an item across pages"
    return items


def next_frame_closes(checker, conn: harness.Connection):
    """The next request on a connection whose key was revoked or has expired: one -32001 frame with id null, then close."""
    conn.send(harness.frame(b'{"jsonrpc":"2.0","id":"after","method":"ping"}'))
    response = conn.read_message()
    assert response["id"] is None and response["error"]["code"] == -32001, response
    checker.error_validator.validate(response["error"])
    assert conn.wait_closed()


def test_key_and_audit_methods_match_the_schemas(server, admin, checker):
    """Real results of api_keys.* and audit.list, as ADMIN, TENANT_ADMIN and TENANT_READER, against the schemas;
    what each role may see of another tenant; live connections of revoked and expired keys."""
    tenant, other = new_tenant(checker, admin), new_tenant(checker, admin)
    admin_key_id = server.admin_key[5:21]
    as_admin = lambda method, **params: checker.result(admin, method, params)  # noqa: E731

    created = as_admin("api_keys.create", name="  CRM integration ", role="TENANT_ADMIN", tenant_id=tenant,
                       expires_at="2099-01-01T02:00:00+02:00")
    tenant_admin_key = created["key"]
    assert created["api_key"].startswith(f"prly_{tenant_admin_key['id']}_")
    assert tenant_admin_key["name"] == "CRM integration" and tenant_admin_key["expires_at"] == "2099-01-01T00:00:00.000Z"
    assert (tenant_admin_key["status"], tenant_admin_key["created_by"], tenant_admin_key["tenant_id"]) == ("ACTIVE", admin_key_id, tenant)
    reader = as_admin("api_keys.create", name="Wallboard", role="TENANT_READER", tenant_id=tenant)
    foreign = as_admin("api_keys.create", name="Elsewhere", role="TENANT_ADMIN", tenant_id=other)
    dry = as_admin("api_keys.create", name="Dry", role="ADMIN", dry_run=True)
    assert dry["api_key"] is None and dry["key"]["tenant_id"] is None
    assert as_admin("api_keys.get", id=tenant_admin_key["id"]) == tenant_admin_key

    listed = all_pages(checker, admin, "api_keys.list", {"tenant_id": tenant, "limit": 1})
    assert {key["id"] for key in listed} == {tenant_admin_key["id"], reader["key"]["id"]}, "the dry run stored nothing"
    everything = all_pages(checker, admin, "api_keys.list", {"limit": 1000, "status": "ACTIVE"})
    assert {admin_key_id, foreign["key"]["id"]} <= {key["id"] for key in everything}
    assert [key["id"] for key in everything] == sorted(key["id"] for key in everything), "key id order"

    # As the tenant's TENANT_ADMIN: its own tenant only; another tenant's objects do not exist.
    with server.connect() as ta:
        hello = checker.result(ta, "hello", hello_params(created["api_key"]))
        assert hello["key"] == {"id": tenant_admin_key["id"], "role": "TENANT_ADMIN", "tenant_id": tenant}
        as_ta = lambda method, **params: checker.result(ta, method, params)  # noqa: E731
        assert {key["id"] for key in as_ta("api_keys.list")["items"]} == {tenant_admin_key["id"], reader["key"]["id"]}
        second = as_ta("api_keys.create", name="Second reader", role="TENANT_READER")
        assert second["key"]["tenant_id"] == tenant and second["key"]["created_by"] == tenant_admin_key["id"]
        as_ta("api_keys.get", id=second["key"]["id"])
        assert as_ta("api_keys.revoke", id=reader["key"]["id"], dry_run=True)["status"] == "REVOKED"
        with server.connect() as second_conn:
            checker.result(second_conn, "hello", hello_params(second["api_key"]))
            rotated = as_ta("api_keys.rotate", id=second["key"]["id"], grace_seconds=0)
            assert rotated["previous"]["status"] == "EXPIRED" and rotated["previous"]["replaced_by"] == rotated["key"]["id"]
            assert (rotated["key"]["role"], rotated["key"]["tenant_id"], rotated["key"]["name"]) == ("TENANT_READER", tenant, "Second reader")
            next_frame_closes(checker, second_conn)
        stale = checker.error(ta, "api_keys.revoke", {"id": rotated["key"]["id"], "expected_revision": 0}, code=-32009)
        assert stale["data"]["reason"] == "revision_mismatch"
        as_ta("api_keys.revoke", id=rotated["key"]["id"], expected_revision=rotated["key"]["revision"])
        denied = checker.error(ta, "api_keys.create", {"name": "Boss", "role": "ADMIN"}, code=-32003)
        assert denied["data"] == {"kind": "forbidden"}
        for method, params, missing in [
            ("api_keys.list", {"tenant_id": other}, {"type": "tenant", "id": other}),
            ("api_keys.create", {"name": "x", "role": "TENANT_READER", "tenant_id": other}, {"type": "tenant", "id": other}),
            ("audit.list", {"tenant_id": other}, {"type": "tenant", "id": other}),
            ("api_keys.get", {"id": foreign["key"]["id"]}, {"type": "api_key", "id": foreign["key"]["id"]}),
            ("api_keys.revoke", {"id": foreign["key"]["id"]}, {"type": "api_key", "id": foreign["key"]["id"]}),
            ("api_keys.rotate", {"id": admin_key_id}, {"type": "api_key", "id": admin_key_id}),
        ]:
            error = checker.error(ta, method, params, code=-32004)
            assert error["data"] == {"kind": "not_found", **missing}, (method, error)
        own_records = all_pages(checker, ta, "audit.list", {"limit": 1000})
        assert own_records and {record["tenant_id"] for record in own_records} == {tenant}

    # As the TENANT_READER: no key management or audit log in its tenant (-32003), other tenants not found (-32004).
    with server.connect() as tr:
        checker.result(tr, "hello", hello_params(reader["api_key"]))
        for method, params in [("api_keys.list", {}), ("api_keys.get", {"id": reader["key"]["id"]}), ("audit.list", {}),
                               ("api_keys.create", {"name": "x", "role": "TENANT_READER"})]:
            checker.error(tr, method, params, code=-32003)
        checker.error(tr, "api_keys.get", {"id": foreign["key"]["id"]}, code=-32004)
        # Revoked by the ADMIN from another connection: this one gets -32001 (id null) and is closed at once.
        revoked = as_admin("api_keys.revoke", id=reader["key"]["id"])
        goodbye = tr.read_message(timeout=5)
        assert goodbye["id"] is None and goodbye["error"]["code"] == -32001, goodbye
        checker.error_validator.validate(goodbye["error"])
        assert tr.wait_closed()
    assert revoked["status"] == "REVOKED" and revoked["revoked_at"] is not None
    assert as_admin("api_keys.revoke", id=reader["key"]["id"]) == revoked, "revoking again changes nothing"
    inactive = checker.error(admin, "api_keys.rotate", {"id": reader["key"]["id"]}, code=-32009)
    assert inactive["data"] == {"kind": "conflict", "reason": "inactive"}
    checker.error(admin, "hello", hello_params(reader["api_key"]), code=-32001)

    preview = as_admin("api_keys.rotate", id=foreign["key"]["id"], dry_run=True)
    assert preview["api_key"] is None and as_admin("api_keys.get", id=foreign["key"]["id"])["replaced_by"] is None
    replaced = as_admin("api_keys.rotate", id=foreign["key"]["id"])
    assert replaced["previous"]["status"] == "ACTIVE" and replaced["previous"]["expires_at"] is not None, "a day of grace"
    checker.error(admin, "api_keys.rotate", {"id": foreign["key"]["id"], "grace_seconds": 604801}, code=-32602, valid_params=False)
    checker.error(admin, "api_keys.create", {"name": "", "role": "OWNER", "expires_at": "soon"}, code=-32602, valid_params=False)
    checker.error(admin, "api_keys.create", {"name": "Platform", "role": "ADMIN", "tenant_id": tenant}, code=-32602)
    missing = checker.error(admin, "api_keys.get", {"id": "0000000000000000"}, code=-32004)
    assert missing["data"] == {"kind": "not_found", "type": "api_key", "id": "0000000000000000"}
    checker.error(admin, "audit.list", {"since": "yesterday", "limit": 0}, code=-32602, valid_params=False)

    # The tenant's audit log as the ADMIN sees it: every outcome, newest first, no secrets.
    records = all_pages(checker, admin, "audit.list", {"tenant_id": tenant, "limit": 2})
    assert [record["id"] for record in records] == sorted((record["id"] for record in records), reverse=True)
    assert {record["outcome"] for record in records} == {"APPLIED", "UNCHANGED", "DRY_RUN", "FAILED", "DENIED"}
    assert {record["error_code"] for record in records if record["outcome"] == "DENIED"} == {-32003, -32004}
    text = json.dumps(records)
    for token in (created["api_key"], reader["api_key"], second["api_key"], rotated["api_key"]):
        assert token.split("_")[2] not in text, "an audit record holds a secret"
    assert "$argon2" not in text
    creation = next(r for r in records if r["method"] == "api_keys.create" and r["target_id"] == tenant_admin_key["id"])
    assert creation["outcome"] == "APPLIED" and creation["changes"]["role"] == {"before": None, "after": "TENANT_ADMIN"}
    filtered = checker.result(admin, "audit.list", {"key_id": tenant_admin_key["id"], "method": "api_keys.rotate",
                                                    "since": creation["at"], "tenant_id": tenant})["items"]
    assert [(r["key_id"], r["method"], r["target_id"], r["outcome"]) for r in filtered] == [
        (tenant_admin_key["id"], "api_keys.rotate", admin_key_id, "DENIED"),
        (tenant_admin_key["id"], "api_keys.rotate", second["key"]["id"], "APPLIED")]
    assert checker.seen_results >= KEY_METHODS | {"audit.list", "hello"}


def test_rate_limits_and_hello_throttling_match_the_schemas(make_server, checker):
    """-32010 from the per-key request rate and from hello throttling; the limits in hello and server.info."""
    server = make_server("--key-rate-limit", "1", "--key-rate-burst", "1", "--auth-max-failures", "2", "--auth-failure-refill", "900")
    with server.connect() as conn:
        limits = checker.result(conn, "hello", hello_params(server.admin_key))["limits"]
        assert (limits["key_requests_per_second"], limits["key_request_burst"]) == (1, 1)
        fresh = checker.result(conn, "api_keys.create", {"name": "Never used", "role": "ADMIN"})["api_key"]  # the only token
        limited = checker.error(conn, "server.info", code=-32010)
        assert limited["data"]["kind"] == "rate_limited" and 1 <= limited["data"]["retry_after_ms"] <= 1000
    with server.connect() as conn:
        assert checker.result(conn, "server.info")["limits"] == limits, "before hello nothing counts against a key"
        wrong = "prly_" + server.admin_key[5:21] + "_" + "0" * 43
        for attempt in range(2):
            checker.error(conn, "hello", hello_params(wrong), code=-32001, id=attempt)
        # The key id's and the address's buckets are empty now (no refill for 15 minutes): a wrong
        # key, and even a right one that was never verified, are refused without argon2.
        for key in (wrong, fresh):
            throttled = checker.error(conn, "hello", hello_params(key), code=-32010)
            assert 0 < throttled["data"]["retry_after_ms"] <= 15 * 60 * 1000
            assert "retry in 15 min" in throttled["message"], throttled
        # A key verified a moment ago is not throttled: the verified-key cache proves it (issue 11).
        checker.result(conn, "hello", hello_params(server.admin_key))


def test_examples_match_the_schemas(openrpc_document, registry):
    """Every method example: its params are valid params, its result a valid result; every notification example valid params."""
    examples = 0
    for index, method in enumerate(openrpc_document["methods"]):
        for example in method.get("examples", []):
            params = {param["name"]: param["value"] for param in example["params"]}
            errors = list(params_validator(registry, openrpc_document, method["name"]).iter_errors(params))
            assert not errors, f"{method['name']} example {example['name']}: {errors[0].message}"
            validator(registry, f"/methods/{index}/result/schema").validate(example["result"]["value"])
            examples += 1
    assert examples >= 10
    for index, notification in enumerate(openrpc_document["x-notifications"]):
        assert notification["examples"], notification["name"]
        for example in notification["examples"]:
            validator(registry, f"/x-notifications/{index}/params/schema").validate(example["params"])


def test_render_vectors_match_the_schemas(openrpc_document, registry):
    """The golden render outputs in protocol/vectors/render are valid results (and their inputs valid params)."""
    placeholders = {"tenant_id": "tnt_01JD8X3Q4N7Z2K5M8P0R3S6T9V", "whatsapp_number_id": "wan_01JD8Y0M2C4V6B8N0Q2S4T6W8Y",
                    "templates": "tpl_01JD8X7B2C4D6E8F0G1H2J3K4M", "hero_cards": "hcd_01JD8XA0B1C2D3E4F5G6H7J8K9"}
    checked = 0
    for family in ("templates", "hero_cards"):
        path = harness.VECTORS_DIR / "render" / f"{family}.json"
        if not path.is_file():
            continue
        create = params_validator(registry, openrpc_document, f"{family}.create")
        render = params_validator(registry, openrpc_document, f"{family}.render")
        result = validator(registry, f"/methods/{method_index(openrpc_document, family + '.render')}/result/schema")
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            if "result" not in case:
                continue  # a refusal: its error is checked by the vector tests themselves
            created = {"tenant_id": placeholders["tenant_id"], **case["create"]}
            if family == "templates":
                created.setdefault("whatsapp_number_id", placeholders["whatsapp_number_id"])
            errors = list(create.iter_errors(created))
            assert not errors, f"{family} vector {case['name']}: create: {errors[0].message}"
            params = {"tenant_id": placeholders["tenant_id"], "id": placeholders[family], **case.get("render", {})}
            errors = list(render.iter_errors(params))
            assert not errors, f"{family} vector {case['name']}: render params: {errors[0].message}"
            result.validate(case["result"])
            checked += 1
    if not checked:
        pytest.skip("no render vectors")


def test_family_schemas_refuse_what_the_server_never_returns(registry):
    """The object schemas are strict: a stored template and hero card (as the server returns them) pass,
    and each mutation below, which the server would never produce, fails."""
    template = {
        "id": "tpl_01JD8X7B2C4D6E8F0G1H2J3K4M", "tenant_id": "tnt_01JD8X3Q4N7Z2K5M8P0R3S6T9V",
        "whatsapp_number_id": "wan_01JD8Y0M2C4V6B8N0Q2S4T6W8Y", "name": "order", "language": "en_US", "category": "UTILITY",
        "parameter_format": "POSITIONAL", "status": "PENDING", "status_reason": None, "approved_at": None,
        "components": {"header": {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "1"}},
                       "body": {"text": "Hi {{1}}", "examples": {"1": "a"}}, "footer": {"text": "F"},
                       "buttons": [{"type": "QUICK_REPLY", "text": "Thanks"},
                                   {"type": "URL", "text": "Track", "url": "https://x.example/t/{{1}}", "example": "abc"},
                                   {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+420601123456"}]},
        "message_send_ttl_seconds": None, "rejected_reason": None, "previous_category": None, "meta_template_id": None,
        "quality_score": None, "edits_while_approved": [], "revision": 6, "status_updated_at": "2026-11-24T23:20:19.225Z",
        "created_at": "2026-11-24T23:20:19.225Z", "updated_at": "2026-11-24T23:20:19.225Z",
    }
    card = {
        "id": "hcd_01JD8XA0B1C2D3E4F5G6H7J8K9", "tenant_id": "tnt_01JD8X3Q4N7Z2K5M8P0R3S6T9V", "name": "Card", "channel": "WHATSAPP",
        "default_language": "cs", "template_id": "tpl_01JD8X7B2C4D6E8F0G1H2J3K4M",
        "localizations": {"cs": {"title": "T", "subtitle": None, "text": "x", "images": [{"url": "https://i.example/a.jpg", "alt": None}],
                                 "buttons": [{"type": "imBack", "title": "A", "value": "a"}], "tap": None}},
        "revision": 8, "created_at": "2026-11-24T23:20:19.233Z", "updated_at": "2026-11-24T23:20:19.233Z",
    }
    mutations = {
        "Template": (template, [
            lambda t: t["components"]["buttons"][0].update(url="https://x.example"),
            lambda t: t["components"]["buttons"].append({"type": "OTP"}),
            lambda t: t["components"]["buttons"][1].update(url="https://x.example{{1}}"),
            lambda t: t["components"]["buttons"][1].update(url="https://x.example/{{1}}/more"),
            lambda t: t["components"]["header"].update(example_url="https://x.example/a.png"),
            lambda t: t["components"].update(footer={"text": "Ref {{1}}"}),
            lambda t: t["components"]["body"]["examples"].update(First="x"),
            lambda t: t["components"].pop("buttons"),
            lambda t: t.update(status="LIVE"),
            lambda t: t.update(name="Order"),
            lambda t: t.pop("approved_at"),
            lambda t: t.update(warnings=[]),
        ]),
        "HeroCard": (card, [
            lambda c: c["localizations"]["cs"]["buttons"][0].update(type="openUrl", value="https://x.example"),
            lambda c: c["localizations"]["cs"]["images"][0].update(url="http://x.example/a.jpg"),
            lambda c: c["localizations"]["cs"].update(title="x" * 61),
            lambda c: c["localizations"]["cs"].update(title=None, text=None),
            lambda c: c["localizations"].update({"en-US": c["localizations"]["cs"]}),
            lambda c: c.update(channel="WEBCHAT"),
            lambda c: c["localizations"]["cs"].pop("subtitle"),
            lambda c: c.update(id="tpl_01JD8X7B2C4D6E8F0G1H2J3K4M"),
        ]),
    }
    assert_mutations_refused(registry, mutations)


def test_key_and_audit_schemas_refuse_what_the_server_never_returns(registry):
    """APIKey and AuditRecord are strict: real shapes pass, and each mutation below, which the server never produces, fails."""
    key = {"id": "0KPyLqD6wrMziU0w", "name": "CRM", "role": "TENANT_ADMIN", "tenant_id": "tnt_01M87Z5A4SFHS426NJHKGXGNWK",
           "status": "REVOKED", "created_at": "2026-11-24T23:44:50.892Z", "created_by": "02PTvA1AtmuXpxut",
           "expires_at": None, "revoked_at": "2026-11-24T23:44:51.062Z", "last_used_at": None, "replaced_by": None, "revision": 7}
    record = {"id": "aud_01M87Z5ABPPEN3HB6YVTMRGH23", "at": "2026-11-24T23:44:51.062Z", "key_id": "02PTvA1AtmuXpxut",
              "tenant_id": "tnt_01M87Z5A4SFHS426NJHKGXGNWK", "method": "api_keys.revoke", "target_type": "api_key",
              "target_id": "0KPyLqD6wrMziU0w", "outcome": "APPLIED", "error_code": None, "revision": 7,
              "changes": {"status": {"before": "ACTIVE", "after": "REVOKED"}}}
    mutations = {
        "APIKey": (key, [
            lambda k: k.update(revoked_at=None),
            lambda k: k.update(status="ACTIVE"),
            lambda k: k.update(status="EXPIRED", revoked_at=None),
            lambda k: k.update(role="ADMIN"),
            lambda k: k.update(tenant_id=None),
            lambda k: k.update(secret_hash="$argon2id$v=19$..."),
            lambda k: k.update(id="prly_0KPyLqD6wrMziU0w"),
            lambda k: k.update(status="DISABLED"),
            lambda k: k.pop("last_used_at"),
        ]),
        "AuditRecord": (record, [
            lambda r: r.update(revision=None),
            lambda r: r.update(error_code=-32602),
            lambda r: r.update(outcome="DENIED", revision=None, error_code=-32602, changes={}),
            lambda r: r.update(outcome="FAILED", revision=None, error_code=-32009),
            lambda r: r.update(outcome="DRY_RUN"),
            lambda r: r["changes"]["status"].pop("before"),
            lambda r: r.update(changes={"Status": {"before": 1, "after": 2}}),
            lambda r: r.update(method="api_keys.list"),
            lambda r: r.update(target_type="key"),
            lambda r: r.update(api_key="prly_..."),
        ]),
    }
    assert_mutations_refused(registry, mutations)


def assert_mutations_refused(registry, mutations):
    """Each schema accepts its valid example and refuses every mutation of it."""
    for name, (valid, changes) in mutations.items():
        schema = validator(registry, f"/components/schemas/{name}")
        schema.validate(valid)
        for position, change in enumerate(changes):
            mutated = json.loads(json.dumps(valid))
            change(mutated)
            assert not schema.is_valid(mutated), f"{name} mutation {position} should be refused"


# ---------------------------------------------------------------- watch: subscriptions and notifications against the schemas


class NotificationChecker:
    """Validates frames the server sends on its own against `x-notifications`."""

    def __init__(self, registry, document):
        self.validators = {notification["name"]: validator(registry, f"/x-notifications/{index}/params/schema")
                           for index, notification in enumerate(document["x-notifications"])}

    def check(self, frame: dict) -> dict:
        """A notification frame: `{"jsonrpc", "method", "params"}` and nothing else (no `id`); returns its params."""
        assert set(frame) == {"jsonrpc", "method", "params"} and frame["jsonrpc"] == "2.0", f"not a notification: {frame!r}"
        assert frame["method"] in self.validators, f"a notification the document does not list: {frame['method']}"
        self.validators[frame["method"]].validate(frame["params"])
        return frame["params"]


def read_events(notifications: NotificationChecker, conn: harness.Connection, done) -> list[dict]:
    """Reads `watch.event` notifications (each checked) until `done(events)` holds; any other frame fails."""
    events: list[dict] = []
    while not done(events):
        frame = conn.read_message()
        assert frame.get("method") == "watch.event", f"expected a watch.event, got {frame!r}"
        events.append(notifications.check(frame))
    return events


def stored(result: dict) -> dict:
    """A create/update result as the object it stored (what a watch.event carries): without `warnings`."""
    return {key: value for key, value in result.items() if key != "warnings"}


def test_watch_events_match_the_schemas(server, admin, checker, registry, openrpc_document):
    """Real watch.event notifications of every family and type against WatchEvent: a tenant's history replayed with
    `from_revision`, then live changes in commit order, each carrying the object the write returned (null when deleted),
    a cascade as several events of one revision; a second subscription filtered to one family sees only its events."""
    notifications = NotificationChecker(registry, openrpc_document)
    created = checker.result(admin, "tenants.create", {"slug": f"watch-{uuid.uuid4().hex[:12]}", "name": "Watched"})  # seeded
    tenant = created["id"]
    call = lambda method, **params: checker.result(admin, method, {"tenant_id": tenant, **params})  # noqa: E731
    seeded = call("blocked_file_types.list", limit=1000)["items"]
    assert seeded, "a new tenant gets the default block list"
    with server.connect() as watcher:
        checker.result(watcher, "hello", hello_params(server.admin_key))
        # Events come only after their subscription's result; the live-only subscription goes first
        # (nothing to send until the writes below), so both results are the next frames.
        tags_only = checker.result(watcher, "watch.subscribe", {"tenant_id": tenant, "families": ["tags"]}, id=2)
        everything = checker.result(watcher, "watch.subscribe", {"tenant_id": tenant, "from_revision": created["revision"] - 1}, id=1)
        assert everything["revision"] >= created["revision"] and everything["subscription_id"] != tags_only["subscription_id"]

        writes = [("tenants", "updated", checker.result(admin, "tenants.update", {"id": tenant, "timezone": "Europe/Prague"}))]
        group = call("groups.create", name="Sales", member_user_ids=["u-1"])
        writes += [("groups", "created", group), ("groups", "updated", call("groups.update", id=group["id"], queue_size=5))]
        number = call("whatsapp_numbers.create", name="Main", phone_number=unique_phone(), waba_id=str(uuid.uuid4().int % 10**15),
                      routing_group_id=group["id"])
        category, parameter_format, components, _ = TEMPLATE_CASES["order_update"]
        template = call("templates.create", whatsapp_number_id=number["id"], name="order_update", language="cs",
                        category=category, parameter_format=parameter_format, components=components)
        writes += [("whatsapp_numbers", "created", number), ("templates", "created", template),
                   ("templates", "updated", call("templates.set_status", id=template["id"], status="APPROVED"))]
        card = call("hero_cards.create", name="Order", channel="WHATSAPP", default_language="cs", template_id=template["id"],
                    localizations={"cs": {"title": "Objednávka", "text": "Je na cestě"}})
        tag = call("tags.create", name="vip", background_color="#112233")
        exe = next(entry for entry in seeded if entry["extension"] == "exe")
        writes += [("hero_cards", "created", card), ("tags", "created", tag),
                   ("blocked_file_types", "updated", call("blocked_file_types.update", id=exe["id"], reason="Never"))]
        tag_deleted = call("tags.delete", id=tag["id"])
        deleted = checker.result(admin, "tenants.delete", {"id": tenant, "cascade": True})

        def subscription_done(subscription, last):
            return lambda events: any(e["subscription_id"] == subscription["subscription_id"] and (e["family"], e["type"]) == last
                                      for e in events)
        events = read_events(notifications, watcher, lambda events: subscription_done(everything, ("tenants", "deleted"))(events)
                             and subscription_done(tags_only, ("tags", "deleted"))(events))
        mine = [e for e in events if e["subscription_id"] == everything["subscription_id"]]
        tags = [e for e in events if e["subscription_id"] == tags_only["subscription_id"]]
        for stream in (mine, tags):
            revisions = [e["revision"] for e in stream]
            assert revisions == sorted(revisions), "events come in revision order"
            assert {e["tenant_id"] for e in stream} == {tenant}

        # The history: the tenant, then its seeded block list, all under the creation's revision.
        creation = [e for e in mine if e["revision"] == created["revision"]]
        assert [(e["family"], e["type"]) for e in creation[:1]] == [("tenants", "created")] and creation[0]["object"] == created
        assert creation[0]["id"] == tenant
        assert sorted((e["id"], e["family"], e["type"]) for e in creation[1:]) == sorted(
            (entry["id"], "blocked_file_types", "created") for entry in seeded)
        assert all(e["object"] == entry for e, entry in zip(sorted(creation[1:], key=lambda e: e["id"]),
                                                          sorted(seeded, key=lambda entry: entry["id"])))
        # The live changes, one event per write, carrying what the write returned.
        live = [e for e in mine if created["revision"] < e["revision"] < deleted["revision"]]
        expected = [(family, kind, result["id"], result["revision"], stored(result)) for family, kind, result in writes]
        expected.append(("tags", "deleted", tag["id"], tag_deleted["revision"], None))
        assert [(e["family"], e["type"], e["id"], e["revision"], e["object"]) for e in live] == expected
        # The cascade: every object's deletion, then the tenant's, all under one revision.
        cascade = [e for e in mine if e["revision"] == deleted["revision"]]
        assert len(creation) + len(live) + len(cascade) == len(mine)
        assert cascade[-1]["family"] == "tenants" and cascade[-1]["id"] == tenant
        assert {(e["family"], e["id"]) for e in cascade[:-1]} == {
            ("groups", group["id"]), ("whatsapp_numbers", number["id"]), ("templates", template["id"]), ("hero_cards", card["id"]),
            *(("blocked_file_types", entry["id"]) for entry in seeded)}
        assert {(e["type"], json.dumps(e["object"])) for e in cascade} == {("deleted", "null")}
        # The filtered subscription: only the tag's two changes, live.
        assert [(e["type"], e["id"], e["revision"]) for e in tags] == [
            ("created", tag["id"], tag["revision"]), ("deleted", tag["id"], tag_deleted["revision"])]

        for subscription in (everything, tags_only):
            assert checker.result(watcher, "watch.unsubscribe", {"subscription_id": subscription["subscription_id"]}) == {
                "subscription_id": subscription["subscription_id"], "unsubscribed": True}
        again = checker.error(watcher, "watch.unsubscribe", {"subscription_id": everything["subscription_id"]}, code=-32004)
        assert again["data"] == {"kind": "not_found", "type": "subscription", "id": everything["subscription_id"]}
        watcher.probe()
    assert checker.seen_results >= WATCH_METHODS


def test_watch_scope_and_errors_match_the_schemas(server, admin, checker, registry, openrpc_document):
    """A tenant key watches its own tenant only (another is -32004, as for a missing tenant); invalid params; the
    subscription cap of a connection (-32014); each error against the Error schema."""
    notifications = NotificationChecker(registry, openrpc_document)
    mine, theirs = new_tenant(checker, admin), new_tenant(checker, admin)
    reader = checker.result(admin, "api_keys.create", {"name": "Watcher", "role": "TENANT_READER", "tenant_id": mine})["api_key"]
    with server.connect() as conn:
        checker.result(conn, "hello", hello_params(reader))
        hidden = checker.error(conn, "watch.subscribe", {"tenant_id": theirs}, code=-32004)
        assert hidden["data"] == {"kind": "not_found", "type": "tenant", "id": theirs}
        checker.error(conn, "watch.subscribe", {"tenant_id": theirs, "from_revision": 0}, code=-32004)
        subscription = checker.result(conn, "watch.subscribe", {"families": ["groups", "tenants"]})
        checker.result(admin, "groups.create", {"tenant_id": theirs, "name": "Hidden"})
        visible = checker.result(admin, "groups.create", {"tenant_id": mine, "name": "Visible"})
        event = notifications.check(conn.read_message())
        assert (event["subscription_id"], event["tenant_id"], event["id"], event["object"]) == (
            subscription["subscription_id"], mine, visible["id"], visible)

    missing = checker.error(admin, "watch.subscribe", {"tenant_id": "tnt_" + "0" * 26}, code=-32004)
    assert missing["data"] == {"kind": "not_found", "type": "tenant", "id": "tnt_" + "0" * 26}
    invalid = checker.error(admin, "watch.subscribe", {"families": ["groups", "users", "groups"], "from_revision": -1, "since": 3},
                            code=-32602, valid_params=False)
    assert [issue["path"] for issue in invalid["data"]["errors"]] == ["families[1]", "families[2]", "from_revision", "since"]
    checker.error(admin, "watch.subscribe", {"families": [*WATCH_FAMILIES, "tags"]}, code=-32602, valid_params=False)
    checker.error(admin, "watch.unsubscribe", {}, code=-32602, valid_params=False)
    unknown = checker.error(admin, "watch.unsubscribe", {"subscription_id": "sub_0"}, code=-32004)
    assert unknown["data"] == {"kind": "not_found", "type": "subscription", "id": "sub_0"}
    # The cap: 16 subscriptions per connection (these watch no family, so no event can come in between).
    quiet = [checker.result(admin, "watch.subscribe", {"families": []}, id=index)["subscription_id"] for index in range(16)]
    assert len(set(quiet)) == 16
    busy = checker.error(admin, "watch.subscribe", {"families": []}, code=-32014)
    assert busy["data"] == {"kind": "busy"}
    checker.result(admin, "watch.unsubscribe", {"subscription_id": quiet[0]})
    checker.result(admin, "watch.subscribe", {"families": []})
    for tenant in (mine, theirs):
        checker.result(admin, "tenants.delete", {"id": tenant, "cascade": True})
    assert checker.seen_error_codes == {-32602, -32004, -32014}


def test_watch_gone_matches_the_error_schema(make_server, checker):
    """-32012 `gone` with `data.compact_revision` once the history after `from_revision` was compacted. The server
    compacts hourly, keeping at least 100 000 revisions and 24 hours; the test compacts its own server's change log
    directly in the database, as the server would (SQLite allows a second writer)."""
    server = make_server()
    with server.connect() as conn:
        checker.result(conn, "hello", hello_params(server.admin_key))
        revision = checker.result(conn, "tenants.create", {"slug": "gone", "name": "Gone", "seed_blocked_file_types": False})["revision"]
        with sqlite3.connect(server.db, timeout=10) as db:
            db.execute("DELETE FROM change_log WHERE revision <= ?", (revision,))
            assert db.execute("UPDATE change_log_state SET compact_revision = ? WHERE id = 1", (revision,)).rowcount == 1
        db.close()
        gone = checker.error(conn, "watch.subscribe", {"from_revision": revision - 1}, code=-32012)
        assert gone["data"] == {"kind": "gone", "compact_revision": revision}
        resumed = checker.result(conn, "watch.subscribe", {"from_revision": revision, "families": ["groups"]})
        assert resumed["revision"] == revision
        conn.probe()


def test_watch_notification_schemas_refuse_what_the_server_never_sends(registry, openrpc_document):
    """WatchEvent and WatchClosed are strict: shapes the server sends pass (watch.closed is checked here by shape only:
    provoking one needs megabytes of unread events), and each mutation below, which the server never sends, fails."""
    notifications = NotificationChecker(registry, openrpc_document)
    closed = {"subscription_id": "sub_7", "reason": "slow_consumer", "revision": 1204}
    notifications.check({"jsonrpc": "2.0", "method": "watch.closed", "params": closed})
    notifications.check({"jsonrpc": "2.0", "method": "watch.closed", "params": {**closed, "reason": "internal_error", "revision": 0}})
    tag = {"id": "tag_01JD8ZC3D4E5F6G7H8J9K0M1N2", "tenant_id": "tnt_01JD8X3Q4N7Z2K5M8P0R3S6T9V", "name": "vip", "label": "VIP",
           "background_color": "#112233", "text_color": None, "description": None, "revision": 9,
           "created_at": "2026-11-24T22:30:14.794Z", "updated_at": "2026-11-24T22:30:14.794Z"}
    event = {"subscription_id": "sub_7", "revision": 9, "tenant_id": tag["tenant_id"], "family": "tags", "type": "created",
             "id": tag["id"], "object": tag}
    tenant = {"id": tag["tenant_id"], "slug": "acme", "name": "Acme", "default_language": None, "timezone": None, "revision": 10,
              "created_at": "2026-11-24T22:30:14.794Z", "updated_at": "2026-11-24T22:30:14.794Z"}
    notifications.check({"jsonrpc": "2.0", "method": "watch.event",
                         "params": {**event, "family": "tenants", "type": "updated", "id": tenant["id"], "object": tenant}})
    notifications.check({"jsonrpc": "2.0", "method": "watch.event", "params": {**event, "type": "deleted", "object": None}})
    for frame in [{"jsonrpc": "2.0", "id": 1, "method": "watch.event", "params": event},
                  {"jsonrpc": "2.0", "method": "watch.started", "params": event}]:
        with pytest.raises(AssertionError):
            notifications.check(frame)
    mutations = {
        "WatchEvent": (event, [
            lambda e: e.update(type="deleted"),
            lambda e: e.update(object=None),
            lambda e: e.update(type="renamed"),
            lambda e: e.update(family="groups"),
            lambda e: e.update(family="tenants"),
            lambda e: e.update(family="users"),
            lambda e: e["object"].update(warnings=[]),
            lambda e: e.update(revision=0),
            lambda e: e.pop("tenant_id"),
            lambda e: e.pop("object"),
            lambda e: e.update(cursor="x"),
        ]),
        "WatchClosed": (closed, [
            lambda c: c.update(reason="shutdown"),
            lambda c: c.update(revision=-1),
            lambda c: c.pop("revision"),
            lambda c: c.update(subscription_id=""),
            lambda c: c.update(retry_after_ms=1),
        ]),
    }
    assert_mutations_refused(registry, mutations)
