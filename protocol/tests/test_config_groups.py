"""Operator groups (`groups.*`): every rule of issue 3 and docs/families/groups.md, over the protocol."""

from __future__ import annotations

import pytest

from config_helpers import (
    absent_id, assert_conflict, assert_invalid, assert_not_found, create_group, create_number, fail, new_tenant, ok, rpc,
)

DEFAULTS = {
    "type": "NORMAL", "routing_mode": "SEQUENTIAL_BY_OPERATOR", "member_user_ids": [],
    "max_concurrent_sessions_per_operator": 3, "queue_size": 50, "max_queue_wait_seconds": 300,
    "max_acw_seconds": 60, "fallback_group_id": None, "enabled": True, "business_hours_id": None,
}


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


def create(admin, tenant, **fields):
    return ok(admin, "groups.create", {"tenant_id": tenant, **fields})


def refused(admin, tenant, **fields):
    return fail(admin, "groups.create", {"tenant_id": tenant, **fields})


# ---------------------------------------------------------------- shape and defaults


def test_create_returns_every_field_with_defaults(admin, tenant):
    group = create(admin, tenant, name="Sales EU")
    assert group["id"].startswith("grp_") and group["tenant_id"] == tenant
    assert group["name"] == "Sales EU"
    assert {key: group[key] for key in DEFAULTS} == DEFAULTS
    assert "warnings" not in group
    assert set(group) == set(DEFAULTS) | {"name", "id", "tenant_id", "revision", "created_at", "updated_at"}
    assert ok(admin, "groups.get", {"tenant_id": tenant, "id": group["id"]}) == group


def test_every_field_can_be_set(admin, tenant):
    fallback = create(admin, tenant, name="Fallback")
    group = create(admin, tenant, name="Full", type="CHATBOT", routing_mode="SEQUENTIAL_BY_OPERATOR",
                   member_user_ids=["u-1", "u-2"], max_concurrent_sessions_per_operator=4, queue_size=20,
                   max_queue_wait_seconds=120, max_acw_seconds=30, fallback_group_id=fallback["id"], enabled=False)
    assert group["type"] == "CHATBOT" and group["member_user_ids"] == ["u-1", "u-2"]
    assert (group["max_concurrent_sessions_per_operator"], group["queue_size"], group["max_queue_wait_seconds"],
            group["max_acw_seconds"]) == (4, 20, 120, 30)
    assert group["fallback_group_id"] == fallback["id"] and group["enabled"] is False


# ---------------------------------------------------------------- name


def test_name_is_required(admin, tenant):
    assert_invalid(refused(admin, tenant), {"name": "is required"})
    assert_invalid(refused(admin, tenant, name=None), {"name": "is required"})
    assert_invalid(refused(admin, tenant, name=5), {"name": "must be a string"})


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, " " + "x" * 101 + " "])
def test_name_length_refused(admin, tenant, name):
    assert_invalid(refused(admin, tenant, name=name), {"name": "1 to 100"})


@pytest.mark.parametrize("name", ["x", "x" * 100, "  " + "y" * 100 + "\t"])
def test_name_length_accepted(admin, tenant, name):
    assert create(admin, tenant, name=name)["name"] == name.strip()


def test_name_with_control_character_refused(admin, tenant):
    assert_invalid(refused(admin, tenant, name="Sales\u0007EU"), {"name": "control characters"})
    assert_invalid(refused(admin, tenant, name="Sales\nEU"), {"name": "control characters"})


def test_name_unique_in_tenant_ignoring_case_and_case_is_kept(admin, tenant):
    first = create(admin, tenant, name="Sales EU")
    for clash in ["Sales EU", "sales eu", "SALES EU", "  sAlEs Eu "]:
        error = assert_conflict(refused(admin, tenant, name=clash), "already_exists", field="name")
        assert error["data"]["existing_id"] == first["id"]
    assert ok(admin, "groups.get", {"tenant_id": tenant, "id": first["id"]})["name"] == "Sales EU"
    # Non-ASCII letters compare ignoring case too.
    create(admin, tenant, name="Čeština")
    assert_conflict(refused(admin, tenant, name="ČEŠTINA"), "already_exists", field="name")


def test_name_unique_on_update(admin, tenant):
    create(admin, tenant, name="Alpha")
    beta = create(admin, tenant, name="Beta")
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": beta["id"], "name": "ALPHA"})
    assert_conflict(error, "already_exists", field="name")
    renamed = ok(admin, "groups.update", {"tenant_id": tenant, "id": beta["id"], "name": "BETA"})
    assert renamed["name"] == "BETA", "changing only the case of its own name is allowed, and the case is kept"


def test_same_name_in_another_tenant_is_allowed(admin, tenant):
    create(admin, tenant, name="Support")
    other = new_tenant(admin)
    assert create(admin, other, name="support")["name"] == "support"


# ---------------------------------------------------------------- type and routing mode


@pytest.mark.parametrize("value", ["NORMAL", "ALL_OPERATORS", "CHATBOT"])
def test_type_accepted(admin, tenant, value):
    assert create(admin, tenant, name="G", type=value)["type"] == value


@pytest.mark.parametrize("value", ["normal", "BOT", "", 1])
def test_type_refused(admin, tenant, value):
    assert_invalid(refused(admin, tenant, name="G", type=value), {"type": None})


def test_sequential_routing_has_no_warning(admin, tenant):
    group = create(admin, tenant, name="G", routing_mode="SEQUENTIAL_BY_OPERATOR")
    assert group["routing_mode"] == "SEQUENTIAL_BY_OPERATOR" and "warnings" not in group


def test_whole_group_routing_is_accepted_with_a_warning(admin, tenant):
    group = create(admin, tenant, name="G", routing_mode="WHOLE_GROUP")
    assert group["routing_mode"] == "WHOLE_GROUP"
    assert group["warnings"] == [{"path": "routing_mode", "message": "WHOLE_GROUP is deprecated; use SEQUENTIAL_BY_OPERATOR"}]
    stored = ok(admin, "groups.get", {"tenant_id": tenant, "id": group["id"]})
    assert stored["routing_mode"] == "WHOLE_GROUP" and "warnings" not in stored
    plain = create(admin, tenant, name="H")
    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": plain["id"], "routing_mode": "WHOLE_GROUP"})
    assert [w["path"] for w in updated["warnings"]] == ["routing_mode"]


@pytest.mark.parametrize("value", ["ROUND_ROBIN", "whole_group", "", 3])
def test_routing_mode_refused(admin, tenant, value):
    assert_invalid(refused(admin, tenant, name="G", routing_mode=value), {"routing_mode": None})


def test_members_of_an_all_operators_group_warn(admin, tenant):
    group = create(admin, tenant, name="All", type="ALL_OPERATORS", member_user_ids=["u1"])
    assert group["warnings"] == [
        {"path": "member_user_ids", "message": "is ignored for ALL_OPERATORS groups, which hold every operator"}]
    assert "warnings" not in create(admin, tenant, name="All2", type="ALL_OPERATORS")


# ---------------------------------------------------------------- members


def test_thousand_members_accepted_and_order_kept(admin, tenant):
    members = [f"user-{n:04d}" for n in range(1000)][::-1]
    assert create(admin, tenant, name="Big", member_user_ids=members)["member_user_ids"] == members


def test_more_than_thousand_members_refused(admin, tenant):
    members = [f"user-{n:04d}" for n in range(1001)]
    assert_invalid(refused(admin, tenant, name="Big", member_user_ids=members), {"member_user_ids": "at most 1000"})


def test_member_ids_must_be_unique_compared_exactly(admin, tenant):
    assert_invalid(refused(admin, tenant, name="G", member_user_ids=["u1", "u2", "u1"]),
                   {"member_user_ids[2]": "duplicates"})
    assert create(admin, tenant, name="G", member_user_ids=["u1", "U1"])["member_user_ids"] == ["u1", "U1"]


def test_member_ids_that_are_only_canonically_equivalent_are_distinct(admin, tenant):
    response = rpc(admin, "groups.create", {"tenant_id": tenant, "name": "G", "member_user_ids": ["\u00e9", "e\u0301"]})
    assert response.get("result", {}).get("member_user_ids") == ["\u00e9", "e\u0301"], response


def test_member_id_update_keeps_the_exact_code_points(admin, tenant):
    group = create(admin, tenant, name="G", member_user_ids=["\u00e9"])
    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "member_user_ids": ["e\u0301"]})
    assert [list(map(ord, m)) for m in updated["member_user_ids"]] == [[0x65, 0x301]]


def test_member_id_rules(admin, tenant):
    members = ["ok", "", "x" * 129, " padded", "tab\tinside", 7, "x" * 128]
    assert_invalid(refused(admin, tenant, name="G", member_user_ids=members), {
        "member_user_ids[1]": "1 to 128", "member_user_ids[2]": "1 to 128", "member_user_ids[3]": "white space",
        "member_user_ids[4]": "control characters", "member_user_ids[5]": "must be a string"})
    assert create(admin, tenant, name="G", member_user_ids=["x" * 128, "ž" * 128])["member_user_ids"][1] == "ž" * 128


def test_member_ids_must_be_an_array(admin, tenant):
    assert_invalid(refused(admin, tenant, name="G", member_user_ids="u1"), {"member_user_ids": "must be an array"})


# ---------------------------------------------------------------- numeric ranges


RANGES = [
    ("max_concurrent_sessions_per_operator", 1, 50),
    ("queue_size", 0, 1000),
    ("max_queue_wait_seconds", 0, 86400),
    ("max_acw_seconds", 0, 3600),
]


@pytest.mark.parametrize("field,low,high", RANGES)
def test_numeric_range_boundaries(admin, tenant, field, low, high):
    assert create(admin, tenant, name="Low", **{field: low})[field] == low
    assert create(admin, tenant, name="High", **{field: high})[field] == high
    message = f"must be between {low} and {high}"
    assert_invalid(refused(admin, tenant, name="Below", **{field: low - 1}), {field: message})
    assert_invalid(refused(admin, tenant, name="Above", **{field: high + 1}), {field: message})


@pytest.mark.parametrize("field", [r[0] for r in RANGES])
@pytest.mark.parametrize("value", [1.5, 2.0, "3", True])
def test_numeric_fields_must_be_integers(admin, tenant, field, value):
    assert_invalid(refused(admin, tenant, name="G", **{field: value}), {field: "must be an integer"})


def test_numeric_range_applies_on_update(admin, tenant):
    group = create(admin, tenant, name="G")
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": 1001})
    assert_invalid(error, {"queue_size": "between 0 and 1000"})


def test_enabled_must_be_boolean(admin, tenant):
    assert_invalid(refused(admin, tenant, name="G", enabled="false"), {"enabled": "must be a boolean"})
    assert create(admin, tenant, name="G", enabled=False)["enabled"] is False


# ---------------------------------------------------------------- fallback group


def test_fallback_must_be_a_group_id(admin, tenant):
    assert_invalid(refused(admin, tenant, name="G", fallback_group_id="grp_x"), {"fallback_group_id": "group id"})
    assert_invalid(refused(admin, tenant, name="G", fallback_group_id=absent_id("tag")), {"fallback_group_id": "group id"})


def test_fallback_that_does_not_exist_is_not_found(admin, tenant):
    missing = absent_id("grp")
    assert_not_found(refused(admin, tenant, name="G", fallback_group_id=missing), "group", missing)


def test_fallback_of_another_tenant_is_reported_as_not_found(admin, tenant):
    other = new_tenant(admin)
    foreign = create_group(admin, other, name="Foreign")
    error = assert_not_found(refused(admin, tenant, name="G", fallback_group_id=foreign["id"]), "group", foreign["id"])
    missing = absent_id("grp")
    missing_error = refused(admin, tenant, name="G", fallback_group_id=missing)
    assert error["message"] == missing_error["message"].replace(missing, foreign["id"]), "the same words either way"
    assert "Foreign" not in error["message"] and other not in error["message"]


def test_fallback_must_not_be_the_group_itself(admin, tenant):
    group = create(admin, tenant, name="G")
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "fallback_group_id": group["id"]})
    assert_invalid(error, {"fallback_group_id": "itself"})


def test_fallback_cycle_of_two_refused(admin, tenant):
    first = create(admin, tenant, name="A")
    second = create(admin, tenant, name="B", fallback_group_id=first["id"])
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": first["id"], "fallback_group_id": second["id"]})
    assert_invalid(error, {"fallback_group_id": "cycle"})
    assert ok(admin, "groups.get", {"tenant_id": tenant, "id": first["id"]})["fallback_group_id"] is None


def test_fallback_cycle_of_three_refused_but_chain_accepted(admin, tenant):
    a = create(admin, tenant, name="A")
    b = create(admin, tenant, name="B", fallback_group_id=a["id"])
    c = create(admin, tenant, name="C", fallback_group_id=b["id"])
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": a["id"], "fallback_group_id": c["id"]})
    assert_invalid(error, {"fallback_group_id": "cycle"})
    d = create(admin, tenant, name="D")
    chained = ok(admin, "groups.update", {"tenant_id": tenant, "id": a["id"], "fallback_group_id": d["id"]})
    assert chained["fallback_group_id"] == d["id"], "a chain without a loop is fine"
    cleared = ok(admin, "groups.update", {"tenant_id": tenant, "id": a["id"], "fallback_group_id": None})
    assert cleared["fallback_group_id"] is None


# ---------------------------------------------------------------- deleting a group that is used


def test_delete_group_used_as_fallback_is_in_use(admin, tenant):
    target = create(admin, tenant, name="Target")
    user = create(admin, tenant, name="User", fallback_group_id=target["id"])
    error = assert_conflict(fail(admin, "groups.delete", {"tenant_id": tenant, "id": target["id"]}), "in_use")
    assert error["data"]["referrers"] == [{"type": "group", "id": user["id"], "name": "User", "field": "fallback_group_id"}]
    ok(admin, "groups.update", {"tenant_id": tenant, "id": user["id"], "fallback_group_id": None})
    assert ok(admin, "groups.delete", {"tenant_id": tenant, "id": target["id"]})["deleted"] is True


def test_delete_group_used_by_a_number_is_in_use(admin, tenant):
    target = create(admin, tenant, name="Target")
    number = create_number(admin, tenant, target["id"], name="Care line")
    error = assert_conflict(fail(admin, "groups.delete", {"tenant_id": tenant, "id": target["id"]}), "in_use")
    assert error["data"]["referrers"] == [
        {"type": "whatsapp_number", "id": number["id"], "name": "Care line", "field": "routing_group_id"}]
    dry = fail(admin, "groups.delete", {"tenant_id": tenant, "id": target["id"], "dry_run": True})
    assert_conflict(dry, "in_use")
    ok(admin, "whatsapp_numbers.delete", {"tenant_id": tenant, "id": number["id"]})
    assert ok(admin, "groups.delete", {"tenant_id": tenant, "id": target["id"]})["deleted"] is True
    assert_not_found(fail(admin, "groups.get", {"tenant_id": tenant, "id": target["id"]}), "group", target["id"])


def test_delete_lists_every_referrer(admin, tenant):
    target = create(admin, tenant, name="Target")
    user = create(admin, tenant, name="User", fallback_group_id=target["id"])
    number = create_number(admin, tenant, target["id"], name="Line")
    error = assert_conflict(fail(admin, "groups.delete", {"tenant_id": tenant, "id": target["id"]}), "in_use")
    assert sorted((r["type"], r["id"], r["field"]) for r in error["data"]["referrers"]) == sorted(
        [("group", user["id"], "fallback_group_id"), ("whatsapp_number", number["id"], "routing_group_id")])


def test_groups_delete_has_no_cascade(admin, tenant):
    group = create(admin, tenant, name="G")
    error = fail(admin, "groups.delete", {"tenant_id": tenant, "id": group["id"], "cascade": True})
    assert_invalid(error, {"cascade": "not a known parameter"})
