"""Conventions every configuration family shares (docs/configuration.md, issue 3): unknown members,
every problem at once, trimming, Unicode lengths, control characters, lists, update merges,
expected_revision, dry runs, warnings, references between tenants and tenants.delete."""

from __future__ import annotations

import pytest

from config_helpers import (
    absent_id, assert_conflict, assert_invalid, assert_not_found, create_blocked, create_group, create_number,
    create_tag, fail, list_all, new_tenant, number_params, ok, rpc, unique_phone, without_bookkeeping,
)

FAMILIES = ["groups", "whatsapp_numbers", "tags", "blocked_file_types"]
TYPES = {"groups": "group", "whatsapp_numbers": "whatsapp_number", "tags": "tag", "blocked_file_types": "blocked_file_type"}
PREFIXES = {"groups": "grp", "whatsapp_numbers": "wan", "tags": "tag", "blocked_file_types": "bft"}
#: A change each family accepts on update.
CHANGES = {"groups": {"queue_size": 7}, "whatsapp_numbers": {"status": "CONNECTED"}, "tags": {"label": "Changed"},
           "blocked_file_types": {"reason": "changed"}}


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


def make(admin, family, tenant, **fields):
    """One object of `family` in `tenant`."""
    if family == "groups":
        return create_group(admin, tenant, **fields)
    if family == "whatsapp_numbers":
        return create_number(admin, tenant, **fields)
    if family == "tags":
        return create_tag(admin, tenant, **fields)
    return create_blocked(admin, tenant, fields.pop("extension", "iso"), **fields)


def create_params(admin, family, tenant):
    """Valid create params for `family` in `tenant` (any object they refer to is created first)."""
    if family == "groups":
        return {"tenant_id": tenant, "name": "Sales"}
    if family == "whatsapp_numbers":
        return number_params(tenant, create_group(admin, tenant)["id"])
    if family == "tags":
        return {"tenant_id": tenant, "name": "vip"}
    return {"tenant_id": tenant, "extension": "iso"}


# ---------------------------------------------------------------- unknown members and every problem at once


@pytest.mark.parametrize("family", FAMILIES)
def test_unknown_members_are_refused_on_create(admin, tenant, family):
    params = create_params(admin, family, tenant)
    params.update({"nmae": "typo", "Zeta": 1})
    assert_invalid(fail(admin, f"{family}.create", params),
                   {"nmae": "is not a known parameter", "Zeta": "is not a known parameter"})


@pytest.mark.parametrize("family", FAMILIES)
def test_unknown_members_are_refused_on_update(admin, tenant, family):
    obj = make(admin, family, tenant)
    error = fail(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], "nmae": "typo"})
    assert_invalid(error, {"nmae": "is not a known parameter"})
    assert ok(admin, f"{family}.get", {"tenant_id": tenant, "id": obj["id"]}) == obj


@pytest.mark.parametrize("family", FAMILIES)
def test_unknown_member_set_to_null_is_refused_on_update(admin, tenant, family):
    obj = make(admin, family, tenant)
    error = rpc(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], "nmae": None})
    assert_invalid(error, {"nmae": "is not a known parameter"})


@pytest.mark.parametrize("family", FAMILIES)
def test_unknown_members_are_refused_on_get_list_delete(admin, tenant, family):
    obj = make(admin, family, tenant)
    for method, params in [("get", {"id": obj["id"]}), ("list", {}), ("delete", {"id": obj["id"]})]:
        error = fail(admin, f"{family}.{method}", {"tenant_id": tenant, **params, "bogus": True})
        assert_invalid(error, {"bogus": "is not a known parameter"})
    assert ok(admin, f"{family}.get", {"tenant_id": tenant, "id": obj["id"]}) == obj, "the refused delete deleted nothing"


def test_nested_unknown_member_reported_with_its_path(admin, tenant):
    group = create_group(admin, tenant)["id"]
    error = fail(admin, "whatsapp_numbers.create", number_params(tenant, group, profile={"about": "x", "phone": "1"}))
    assert_invalid(error, {"profile.phone": "is not a known parameter"})


def test_every_problem_is_reported_at_once(admin, tenant):
    error = fail(admin, "groups.create", {
        "tenant_id": tenant, "name": " ", "type": "BOT", "routing_mode": "RANDOM", "member_user_ids": ["a", "a"],
        "max_concurrent_sessions_per_operator": 0, "queue_size": 1001, "max_queue_wait_seconds": -1,
        "max_acw_seconds": 3601, "fallback_group_id": "nope", "enabled": "yes", "color": "red"})
    errors = assert_invalid(error, {
        "name": None, "type": None, "routing_mode": None, "member_user_ids[1]": None,
        "max_concurrent_sessions_per_operator": None, "queue_size": None, "max_queue_wait_seconds": None,
        "max_acw_seconds": None, "fallback_group_id": None, "enabled": None, "color": "is not a known parameter"})
    assert len(errors) == 11
    assert error["message"].startswith("invalid params: 11 problems: ")


def test_every_problem_of_a_number_is_reported_at_once(admin, tenant):
    error = fail(admin, "whatsapp_numbers.create", {
        "tenant_id": tenant, "name": "", "phone_number": "12", "provider": "TWILIO", "waba_id": "x",
        "phone_number_id": "y", "routing_group_id": "grp", "verified_name": "v" * 257, "status": "ON",
        "quality_rating": "BLUE", "messaging_limit_tier": "TIER_1", "enabled": None,
        "profile": {"about": "a" * 140, "email": "nope", "websites": ["ftp://x.example"], "x": 1}})
    assert_invalid(error, {
        "name": None, "phone_number": None, "provider": None, "waba_id": None, "phone_number_id": None,
        "routing_group_id": None, "verified_name": None, "status": None, "quality_rating": None,
        "messaging_limit_tier": None, "profile.about": None, "profile.email": None, "profile.websites[0]": None,
        "profile.x": None})


@pytest.mark.parametrize("family", FAMILIES)
def test_tenant_id_is_required(admin, family):
    error = fail(admin, f"{family}.list", {})
    assert_invalid(error, {"tenant_id": "is required"})
    assert_invalid(fail(admin, f"{family}.list", {"tenant_id": 3}), {"tenant_id": "must be a string"})


# ---------------------------------------------------------------- trimming, Unicode lengths, control characters


def test_names_are_trimmed_in_every_family(admin, tenant):
    assert create_group(admin, tenant, name="  Sales \t")["name"] == "Sales"
    assert create_number(admin, tenant, name="\n Care ")["name"] == "Care"
    tag = create_tag(admin, tenant, name=" vip ", label="  VIP  ")
    assert (tag["name"], tag["label"]) == ("vip", "VIP")
    assert create_blocked(admin, tenant, " .ISO ", reason="  disk image ")["reason"] == "disk image"


def test_trimmed_names_are_compared_for_uniqueness(admin, tenant):
    create_group(admin, tenant, name="Sales")
    assert_conflict(fail(admin, "groups.create", {"tenant_id": tenant, "name": "  sales  "}), "already_exists", "name")


LENGTH_CASES = [
    ("ž" * 100, True),             # 2-byte letters
    ("😀" * 100, True),            # 4-byte characters, 2 UTF-16 units each
    ("日本" * 50, True),           # 3-byte letters
    ("q\u0301" * 50, True),        # 100 code points, 50 user-perceived characters (no precomposed q-acute, so NFC keeps 100)
    ("ž" * 101, False),
    ("😀" * 101, False),
    ("q\u0301" * 51, False),       # 102 code points: code points count, not grapheme clusters
]


@pytest.mark.parametrize("text,accepted", LENGTH_CASES)
def test_lengths_count_unicode_characters_group_name(admin, tenant, text, accepted):
    response = rpc(admin, "groups.create", {"tenant_id": tenant, "name": text})
    if accepted:
        assert response["result"]["name"] == text
    else:
        assert_invalid(response, {"name": "1 to 100"})


@pytest.mark.parametrize("text,accepted", LENGTH_CASES)
def test_lengths_count_unicode_characters_number_name_and_tag_label(admin, tenant, text, accepted):
    group = create_group(admin, tenant)["id"]
    number = rpc(admin, "whatsapp_numbers.create", number_params(tenant, group, name=text))
    tag = rpc(admin, "tags.create", {"tenant_id": tenant, "name": "vip", "label": text})
    if accepted:
        assert number["result"]["name"] == text and tag["result"]["label"] == text
    else:
        assert_invalid(number, {"name": "1 to 100"})
        assert_invalid(tag, {"label": "1 to 100"})


def test_tag_name_length_counts_characters(admin, tenant):
    assert create_tag(admin, tenant, name="ř" * 50)["name"] == "ř" * 50
    assert_invalid(fail(admin, "tags.create", {"tenant_id": tenant, "name": "ř" * 51}), {"name": "2 to 50"})
    assert create_tag(admin, tenant, name="日本")["name"] == "日本", "two characters, six bytes"


@pytest.mark.parametrize("control", ["\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f", "\n", "\r", "\t"])
def test_control_characters_are_refused_in_names(admin, tenant, control):
    name = f"Sales{control}EU"
    assert_invalid(fail(admin, "groups.create", {"tenant_id": tenant, "name": name}), {"name": "control characters"})
    group = create_group(admin, tenant)["id"]
    error = fail(admin, "whatsapp_numbers.create", number_params(tenant, group, name=name))
    assert_invalid(error, {"name": "control characters"})
    error = fail(admin, "tags.create", {"tenant_id": tenant, "name": "vip", "label": name})
    assert_invalid(error, {"label": "control characters"})
    error = fail(admin, "blocked_file_types.create", {"tenant_id": tenant, "extension": "iso", "reason": name})
    assert_invalid(error, {"reason": "control characters"})


def test_line_breaks_are_allowed_only_in_long_free_texts(admin, tenant):
    assert create_tag(admin, tenant, description="one\r\ntwo\nthree")["description"] == "one\r\ntwo\nthree"
    number = create_number(admin, tenant, profile={"description": "one\ntwo"})
    assert number["profile"]["description"] == "one\ntwo"
    for control in ["bell\u0007", "tab\there"]:
        error = fail(admin, "tags.create", {"tenant_id": tenant, "name": "t2", "description": control})
        assert_invalid(error, {"description": "control characters"})
    error = fail(admin, "whatsapp_numbers.create",
                 number_params(tenant, create_group(admin, tenant)["id"], profile={"description": "a\tb"}))
    assert_invalid(error, {"profile.description": "control characters"})


# ---------------------------------------------------------------- lists


def test_cursor_pagination_walks_every_object_once_in_id_order(admin, tenant):
    mine = [create_group(admin, tenant, name=f"G{n}")["id"] for n in range(5)]
    collected, cursor, pages = [], None, 0
    while True:
        params = {"tenant_id": tenant, "limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        page = ok(admin, "groups.list", params)
        assert len(page["items"]) <= 2
        collected += [g["id"] for g in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert isinstance(cursor, str) and len(cursor) <= 128
    assert collected == mine == sorted(mine) and pages == 3
    exact = ok(admin, "groups.list", {"tenant_id": tenant, "limit": 5})
    assert exact["next_cursor"] is None, "null exactly when there are no more items"
    assert [g["id"] for g in ok(admin, "groups.list", {"tenant_id": tenant})["items"]] == mine


def test_list_limit_bounds(admin, tenant):
    create_group(admin, tenant)
    for limit in (1, 1000):
        assert len(ok(admin, "groups.list", {"tenant_id": tenant, "limit": limit})["items"]) == 1
    for limit in (0, 1001, -1):
        assert_invalid(fail(admin, "groups.list", {"tenant_id": tenant, "limit": limit}), {"limit": "between 1 and 1000"})
    assert_invalid(fail(admin, "groups.list", {"tenant_id": tenant, "limit": 2.0}), {"limit": "must be an integer"})


def test_list_refuses_foreign_and_invalid_cursors(admin, tenant):
    for n in range(2):
        create_tag(admin, tenant, name=f"tag{n}")
        create_group(admin, tenant, name=f"group{n}")
    tag_cursor = ok(admin, "tags.list", {"tenant_id": tenant, "limit": 1})["next_cursor"]
    assert tag_cursor is not None
    for cursor in [tag_cursor, "not-a-cursor", "", "x" * 129]:
        error = fail(admin, "groups.list", {"tenant_id": tenant, "cursor": cursor})
        assert_invalid(error, {"cursor": "is not a cursor returned by this list"})
    tenant_cursor = ok(admin, "tenants.list", {"limit": 1})["next_cursor"]
    assert_invalid(fail(admin, "groups.list", {"tenant_id": tenant, "cursor": tenant_cursor}), {"cursor": None})


def test_name_prefix_ignores_case_and_pages(admin, tenant):
    names = ["Sales EU", "sales US", "Support", "SALES Asia", "Čeština", "čEŠTINA 2"]
    ids = {name: create_group(admin, tenant, name=name)["id"] for name in names}
    found = list_all(admin, "groups", tenant, name_prefix="sAlEs")
    assert [g["id"] for g in found] == [ids["Sales EU"], ids["sales US"], ids["SALES Asia"]]
    first = ok(admin, "groups.list", {"tenant_id": tenant, "name_prefix": "SALES", "limit": 2})
    second = ok(admin, "groups.list", {"tenant_id": tenant, "name_prefix": "SALES", "limit": 2, "cursor": first["next_cursor"]})
    assert [g["id"] for g in first["items"] + second["items"]] == [g["id"] for g in found]
    assert second["next_cursor"] is None
    assert [g["name"] for g in list_all(admin, "groups", tenant, name_prefix="češ")] == ["Čeština", "čEŠTINA 2"]
    for literal in ["%", "_", "S%", "Sales_"]:
        assert list_all(admin, "groups", tenant, name_prefix=literal) == [], f"{literal!r} is not a pattern"
    assert len(list_all(admin, "groups", tenant, name_prefix="")) == len(names)


def test_name_prefix_works_on_every_family(admin, tenant):
    create_number(admin, tenant, name="Care CZ")
    create_number(admin, tenant, name="Sales CZ")
    assert [n["name"] for n in list_all(admin, "whatsapp_numbers", tenant, name_prefix="care")] == ["Care CZ"]
    create_tag(admin, tenant, name="Follow-up")
    create_tag(admin, tenant, name="vip")
    assert [t["name"] for t in list_all(admin, "tags", tenant, name_prefix="FOLLOW")] == ["Follow-up"]
    create_blocked(admin, tenant, "iso")
    create_blocked(admin, tenant, "img")
    assert [b["extension"] for b in list_all(admin, "blocked_file_types", tenant, name_prefix="IS")] == ["iso"]


def test_group_filters(admin, tenant):
    normal = create_group(admin, tenant, name="A")
    bot = create_group(admin, tenant, name="B", type="CHATBOT")
    whole = create_group(admin, tenant, name="C", routing_mode="WHOLE_GROUP")
    assert [g["id"] for g in list_all(admin, "groups", tenant, type="CHATBOT")] == [bot["id"]]
    assert [g["id"] for g in list_all(admin, "groups", tenant, type="NORMAL")] == [normal["id"], whole["id"]]
    assert [g["id"] for g in list_all(admin, "groups", tenant, routing_mode="WHOLE_GROUP")] == [whole["id"]]
    assert list_all(admin, "groups", tenant, type="CHATBOT", routing_mode="WHOLE_GROUP") == []
    assert_invalid(fail(admin, "groups.list", {"tenant_id": tenant, "type": "BOT", "routing_mode": "x"}),
                   {"type": None, "routing_mode": None})


def test_lists_only_show_the_tenants_own_objects(admin, tenant):
    create_group(admin, tenant, name="Mine")
    other = new_tenant(admin)
    create_group(admin, other, name="Theirs")
    assert [g["name"] for g in list_all(admin, "groups", tenant)] == ["Mine"]
    assert [g["name"] for g in list_all(admin, "groups", other)] == ["Theirs"]


# ---------------------------------------------------------------- update merges


def test_update_replaces_named_members_and_keeps_the_others(admin, tenant):
    group = create_group(admin, tenant, name="G", queue_size=10, max_acw_seconds=5, member_user_ids=["a"])
    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": 11})
    assert updated["queue_size"] == 11
    assert {k: v for k, v in without_bookkeeping(updated).items() if k != "queue_size"} == \
        {k: v for k, v in without_bookkeeping(group).items() if k != "queue_size"}
    assert updated["created_at"] == group["created_at"] and updated["revision"] > group["revision"]


def test_update_null_resets_to_the_default(admin, tenant):
    fallback = create_group(admin, tenant, name="F")
    group = create_group(admin, tenant, name="G", type="CHATBOT", routing_mode="WHOLE_GROUP", member_user_ids=["a"],
                         max_concurrent_sessions_per_operator=9, queue_size=9, max_queue_wait_seconds=9,
                         max_acw_seconds=9, fallback_group_id=fallback["id"], enabled=False)
    reset = ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], **{
        field: None for field in ["type", "routing_mode", "member_user_ids", "max_concurrent_sessions_per_operator",
                                  "queue_size", "max_queue_wait_seconds", "max_acw_seconds", "fallback_group_id", "enabled"]}})
    assert without_bookkeeping(reset) == {
        "name": "G", "type": "NORMAL", "routing_mode": "SEQUENTIAL_BY_OPERATOR", "member_user_ids": [],
        "max_concurrent_sessions_per_operator": 3, "queue_size": 50, "max_queue_wait_seconds": 300,
        "max_acw_seconds": 60, "fallback_group_id": None, "enabled": True, "business_hours_id": None}
    assert "warnings" not in reset


def test_update_null_on_number_and_tag_fields(admin, tenant):
    number = create_number(admin, tenant, provider="DIALOG360", status="CONNECTED", quality_rating="RED",
                           messaging_limit_tier="TIER_1K", verified_name="Acme", profile={"about": "x"})
    reset = ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "provider": None,
                                                  "status": None, "quality_rating": None, "messaging_limit_tier": None,
                                                  "verified_name": None, "profile": None, "enabled": None})
    assert {k: reset[k] for k in ("provider", "status", "quality_rating", "messaging_limit_tier", "verified_name",
                                  "profile", "enabled")} == {
        "provider": "CLOUD_API", "status": "PENDING", "quality_rating": "NA", "messaging_limit_tier": None,
        "verified_name": None, "profile": {}, "enabled": True}
    tag = create_tag(admin, tenant, name="vip", label="V", background_color="#000000", text_color="#FFFFFF",
                     description="d")
    reset = ok(admin, "tags.update", {"tenant_id": tenant, "id": tag["id"], "label": None, "background_color": None,
                                      "text_color": None, "description": None})
    assert without_bookkeeping(reset) == {"name": "vip", "label": "vip", "background_color": None, "text_color": None,
                                          "description": None}
    blocked = create_blocked(admin, tenant, "iso", mime_type="application/x-iso9660-image", reason="r",
                             applies_to=["CLIENT_UPLOAD"])
    reset = ok(admin, "blocked_file_types.update", {"tenant_id": tenant, "id": blocked["id"], "mime_type": None,
                                                    "reason": None, "applies_to": None})
    assert (reset["mime_type"], reset["reason"], reset["applies_to"]) == (
        None, None, ["OPERATOR_UPLOAD", "CLIENT_UPLOAD", "EMAIL_ATTACHMENT"])


def test_update_null_on_a_required_field_is_refused(admin, tenant):
    group = create_group(admin, tenant)
    assert_invalid(fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "name": None}),
                   {"name": "is required"})
    number = create_number(admin, tenant)
    error = fail(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "phone_number": None,
                                                    "waba_id": None})
    assert_invalid(error, {"phone_number": "is required", "waba_id": "is required"})
    blocked = create_blocked(admin, tenant, "iso")
    assert_invalid(fail(admin, "blocked_file_types.update", {"tenant_id": tenant, "id": blocked["id"], "extension": None}),
                   {"extension": "is required"})


def test_update_replaces_nested_objects_and_arrays_whole(admin, tenant):
    number = create_number(admin, tenant, profile={"about": "About", "email": "a@acme.example",
                                                   "websites": ["https://a.example", "https://b.example"]})
    updated = ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"],
                                                    "profile": {"address": "Main street 1"}})
    assert updated["profile"] == {"address": "Main street 1"}, "profile is replaced, never merged"
    updated = ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"],
                                                    "profile": {"websites": ["https://c.example"]}})
    assert updated["profile"] == {"websites": ["https://c.example"]}
    group = create_group(admin, tenant, member_user_ids=["a", "b", "c"])
    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "member_user_ids": ["d"]})
    assert updated["member_user_ids"] == ["d"]


def test_update_validates_the_merged_object_as_a_whole(admin, tenant):
    group = create_group(admin, tenant, member_user_ids=["a"])
    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "type": "ALL_OPERATORS"})
    assert [w["path"] for w in updated["warnings"]] == ["member_user_ids"], "the stored members now warn"
    number = create_number(admin, tenant)
    error = fail(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"],
                                                    "profile": {"email": "bad", "bogus": 1}, "phone_number": "123"})
    assert_invalid(error, {"profile.email": "e-mail", "profile.bogus": "is not a known parameter", "phone_number": "E.164"})
    assert ok(admin, "whatsapp_numbers.get", {"tenant_id": tenant, "id": number["id"]}) == number


def test_update_normalises_like_create(admin, tenant):
    number = create_number(admin, tenant)
    phone = unique_phone()
    spaced = f"{phone[:4]} ({phone[4:7]}) {phone[7:10]}-{phone[10:]}"
    assert ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"],
                                                 "phone_number": spaced})["phone_number"] == phone
    blocked = create_blocked(admin, tenant, "iso")
    assert ok(admin, "blocked_file_types.update", {"tenant_id": tenant, "id": blocked["id"],
                                                   "extension": " .IMG"})["extension"] == "img"


@pytest.mark.parametrize("family", FAMILIES)
def test_no_op_update_returns_the_object_without_a_new_revision(admin, tenant, family):
    obj = make(admin, family, tenant)
    same = {key: value for key, value in without_bookkeeping(obj).items() if key != "source"}
    assert ok(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], **same}) == obj
    assert ok(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"]}) == obj
    assert ok(admin, f"{family}.get", {"tenant_id": tenant, "id": obj["id"]}) == obj


def test_no_op_after_normalisation(admin, tenant):
    group = create_group(admin, tenant, name="Sales")
    assert ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "name": "  Sales "}) == group
    number = create_number(admin, tenant)
    phone = number["phone_number"]
    spaced = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    assert ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "phone_number": spaced}) == number


# ---------------------------------------------------------------- revisions and expected_revision


@pytest.mark.parametrize("family", FAMILIES)
def test_expected_revision_on_update_and_delete(admin, tenant, family):
    obj = make(admin, family, tenant)
    stale = obj["revision"] - 1
    error = fail(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], "expected_revision": stale,
                                              **CHANGES[family]})
    assert_conflict(error, "revision_mismatch")
    assert error["data"] == {"kind": "conflict", "reason": "revision_mismatch", "current_revision": obj["revision"]}
    changed = ok(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], "expected_revision": obj["revision"],
                                             **CHANGES[family]})
    assert changed["revision"] > obj["revision"]
    error = fail(admin, f"{family}.delete", {"tenant_id": tenant, "id": obj["id"], "expected_revision": obj["revision"]})
    assert error["data"] == {"kind": "conflict", "reason": "revision_mismatch", "current_revision": changed["revision"]}
    deleted = ok(admin, f"{family}.delete", {"tenant_id": tenant, "id": obj["id"], "expected_revision": changed["revision"]})
    assert deleted["id"] == obj["id"] and deleted["deleted"] is True and deleted["revision"] > changed["revision"]


def test_expected_revision_is_checked_before_the_no_op_test(admin, tenant):
    group = create_group(admin, tenant, name="G")
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "name": "G",
                                          "expected_revision": group["revision"] + 1000})
    assert_conflict(error, "revision_mismatch")


def test_expected_revision_must_be_a_non_negative_integer(admin, tenant):
    group = create_group(admin, tenant)
    for value in (-1, 1.5, "3"):
        error = fail(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "expected_revision": value})
        assert_invalid(error, {"expected_revision": None})
        error = fail(admin, "groups.delete", {"tenant_id": tenant, "id": group["id"], "expected_revision": value})
        assert_invalid(error, {"expected_revision": None})


def test_expected_revision_is_checked_after_param_validation(admin, tenant):
    group = create_group(admin, tenant)
    error = rpc(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "queue_size": -1,
                                         "expected_revision": group["revision"] + 1000})
    assert_invalid(error, {"queue_size": "between 0 and 1000"})


def test_every_change_bumps_the_store_revision(admin, tenant):
    first = create_group(admin, tenant, name="A")
    second = create_tag(admin, tenant, name="vip")
    assert second["revision"] > first["revision"], "one store-wide counter across families"
    updated = ok(admin, "groups.update", {"tenant_id": tenant, "id": first["id"], "queue_size": 1})
    assert updated["revision"] > second["revision"] and updated["updated_at"] >= first["updated_at"]
    deleted = ok(admin, "tags.delete", {"tenant_id": tenant, "id": second["id"]})
    assert deleted["revision"] > updated["revision"]


# ---------------------------------------------------------------- dry runs


@pytest.mark.parametrize("family", FAMILIES)
def test_dry_run_create_stores_nothing(admin, tenant, family):
    params = create_params(admin, family, tenant)
    before = list_all(admin, family, tenant)
    would_be = ok(admin, f"{family}.create", {**params, "dry_run": True})
    assert would_be["id"].startswith(PREFIXES[family] + "_") and would_be["tenant_id"] == tenant
    assert list_all(admin, family, tenant) == before
    assert_not_found(fail(admin, f"{family}.get", {"tenant_id": tenant, "id": would_be["id"]}), TYPES[family], would_be["id"])
    real = ok(admin, f"{family}.create", params)
    assert real["id"] != would_be["id"]
    assert without_bookkeeping(real) == without_bookkeeping(would_be)


def test_dry_run_create_runs_every_check(admin, tenant):
    create_group(admin, tenant, name="Sales")
    error = fail(admin, "groups.create", {"tenant_id": tenant, "name": "SALES", "dry_run": True})
    assert_conflict(error, "already_exists", field="name")
    error = fail(admin, "groups.create", {"tenant_id": tenant, "name": "", "dry_run": True})
    assert_invalid(error, {"name": None})
    missing = absent_id("grp")
    error = fail(admin, "groups.create", {"tenant_id": tenant, "name": "X", "fallback_group_id": missing, "dry_run": True})
    assert_not_found(error, "group", missing)
    assert_invalid(fail(admin, "groups.create", {"tenant_id": tenant, "name": "X", "dry_run": "yes"}), {"dry_run": None})


@pytest.mark.parametrize("family", FAMILIES)
def test_dry_run_update_stores_nothing(admin, tenant, family):
    obj = make(admin, family, tenant)
    preview = ok(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], "dry_run": True, **CHANGES[family]})
    for key, value in CHANGES[family].items():
        assert preview[key] == value
    assert preview["revision"] > obj["revision"]
    assert ok(admin, f"{family}.get", {"tenant_id": tenant, "id": obj["id"]}) == obj


def test_dry_run_update_runs_every_check(admin, tenant):
    first = create_group(admin, tenant, name="A")
    second = create_group(admin, tenant, name="B", fallback_group_id=first["id"])
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": first["id"], "fallback_group_id": second["id"],
                                          "dry_run": True})
    assert_invalid(error, {"fallback_group_id": "cycle"})
    error = fail(admin, "groups.update", {"tenant_id": tenant, "id": second["id"], "name": "a", "dry_run": True})
    assert_conflict(error, "already_exists", field="name")
    tag = create_tag(admin, tenant, name="vip")
    error = fail(admin, "tags.update", {"tenant_id": tenant, "id": tag["id"], "name": "vip2", "dry_run": True})
    assert_conflict(error, "immutable")


@pytest.mark.parametrize("family", FAMILIES)
def test_dry_run_delete_deletes_nothing(admin, tenant, family):
    obj = make(admin, family, tenant)
    result = ok(admin, f"{family}.delete", {"tenant_id": tenant, "id": obj["id"], "dry_run": True})
    expected = {"id", "deleted", "revision"} | ({"cascaded"} if family == "whatsapp_numbers" else set())
    assert set(result) == expected and result["deleted"] is True and result["id"] == obj["id"]
    if family == "whatsapp_numbers":
        assert result["cascaded"] == []
    assert ok(admin, f"{family}.get", {"tenant_id": tenant, "id": obj["id"]}) == obj
    real = ok(admin, f"{family}.delete", {"tenant_id": tenant, "id": obj["id"]})
    assert real["deleted"] is True
    assert_not_found(fail(admin, f"{family}.get", {"tenant_id": tenant, "id": obj["id"]}), TYPES[family], obj["id"])
    error = fail(admin, f"{family}.delete", {"tenant_id": tenant, "id": obj["id"]})
    assert_not_found(error, TYPES[family], obj["id"])


# ---------------------------------------------------------------- warnings


def test_warnings_member_only_when_there_are_warnings(admin, tenant):
    plain = create_group(admin, tenant, name="Plain")
    assert "warnings" not in plain
    assert "warnings" not in ok(admin, "groups.update", {"tenant_id": tenant, "id": plain["id"], "queue_size": 3})
    risky = create_group(admin, tenant, name="Risky", routing_mode="WHOLE_GROUP")
    assert risky["warnings"] == [{"path": "routing_mode", "message": "WHOLE_GROUP is deprecated; use SEQUENTIAL_BY_OPERATOR"}]
    dry = ok(admin, "groups.create", {"tenant_id": tenant, "name": "Dry", "routing_mode": "WHOLE_GROUP", "dry_run": True})
    assert [w["path"] for w in dry["warnings"]] == ["routing_mode"], "a dry run shows the warnings too"
    fixed = ok(admin, "groups.update", {"tenant_id": tenant, "id": risky["id"], "routing_mode": "SEQUENTIAL_BY_OPERATOR"})
    assert "warnings" not in fixed
    both = create_group(admin, tenant, name="Both", type="ALL_OPERATORS", routing_mode="WHOLE_GROUP", member_user_ids=["u"])
    assert sorted(w["path"] for w in both["warnings"]) == ["member_user_ids", "routing_mode"]
    assert all(set(w) == {"path", "message"} for w in both["warnings"])
    for item in list_all(admin, "groups", tenant):
        assert "warnings" not in item, "stored objects never carry warnings"
    assert "warnings" not in ok(admin, "groups.get", {"tenant_id": tenant, "id": both["id"]})


# ---------------------------------------------------------------- tenants and references


@pytest.mark.parametrize("family", FAMILIES)
def test_unknown_tenant_is_not_found_for_every_method(admin, family):
    missing = absent_id("tnt")
    object_id = absent_id(PREFIXES[family])
    calls = [
        ("create", create_params_for_unknown_tenant(family, missing)),
        ("get", {"tenant_id": missing, "id": object_id}),
        ("list", {"tenant_id": missing}),
        ("update", {"tenant_id": missing, "id": object_id, **CHANGES[family]}),
        ("delete", {"tenant_id": missing, "id": object_id}),
    ]
    for method, params in calls:
        error = fail(admin, f"{family}.{method}", params, code=-32004)
        assert error["data"]["kind"] == "not_found"
        if method in ("create", "get", "list"):
            assert_not_found(error, "tenant", missing)


@pytest.mark.parametrize("family", FAMILIES)
def test_unknown_tenant_is_named_by_update_and_delete(admin, family):
    missing = absent_id("tnt")
    object_id = absent_id(PREFIXES[family])
    update = rpc(admin, f"{family}.update", {"tenant_id": missing, "id": object_id, **CHANGES[family]})
    assert_not_found(update, "tenant", missing)
    delete = rpc(admin, f"{family}.delete", {"tenant_id": missing, "id": object_id})
    assert_not_found(delete, "tenant", missing)


def create_params_for_unknown_tenant(family, tenant):
    if family == "whatsapp_numbers":
        return number_params(tenant, absent_id("grp"))
    return {"groups": {"name": "G"}, "tags": {"name": "vip"}, "blocked_file_types": {"extension": "iso"}}[family] | {
        "tenant_id": tenant}


def test_a_deleted_tenant_is_not_found(admin):
    tenant = new_tenant(admin)
    ok(admin, "tenants.delete", {"id": tenant})
    assert_not_found(fail(admin, "groups.list", {"tenant_id": tenant}), "tenant", tenant)
    assert_not_found(fail(admin, "groups.create", {"tenant_id": tenant, "name": "G"}), "tenant", tenant)


@pytest.mark.parametrize("family", FAMILIES)
def test_another_tenants_object_is_not_found_in_the_same_words(admin, tenant, family):
    other = new_tenant(admin)
    theirs = make(admin, family, other)
    missing = absent_id(PREFIXES[family])
    for method, extra in [("get", {}), ("update", CHANGES[family]), ("delete", {})]:
        error = assert_not_found(fail(admin, f"{family}.{method}", {"tenant_id": tenant, "id": theirs["id"], **extra}),
                                 TYPES[family], theirs["id"])
        absent = fail(admin, f"{family}.{method}", {"tenant_id": tenant, "id": missing, **extra})
        assert error["message"] == absent["message"].replace(missing, theirs["id"])
    assert ok(admin, f"{family}.get", {"tenant_id": other, "id": theirs["id"]}) == theirs, "nothing changed"


def test_object_of_another_family_is_not_found(admin, tenant):
    tag = create_tag(admin, tenant)
    assert_not_found(fail(admin, "groups.get", {"tenant_id": tenant, "id": tag["id"]}), "group", tag["id"])


def test_tenants_delete_with_configuration_needs_cascade(admin):
    tenant = new_tenant(admin, seed=True)
    fallback = create_group(admin, tenant, name="F")
    group = create_group(admin, tenant, name="G", fallback_group_id=fallback["id"])
    phone = unique_phone()
    create_number(admin, tenant, group["id"], phone_number=phone)
    create_tag(admin, tenant)
    error = assert_conflict(fail(admin, "tenants.delete", {"id": tenant}), "in_use")
    assert error["data"]["counts"] == {"groups": 2, "whatsapp_numbers": 1, "tags": 1}
    assert_conflict(fail(admin, "tenants.delete", {"id": tenant, "dry_run": True}), "in_use")
    assert len(list_all(admin, "groups", tenant)) == 2
    assert ok(admin, "tenants.delete", {"id": tenant, "cascade": True})["deleted"] is True
    assert_not_found(fail(admin, "tenants.get", {"id": tenant}), "tenant", tenant)
    # The deleted tenant's globally unique phone number is free again.
    other = new_tenant(admin)
    assert create_number(admin, other, phone_number=phone)["phone_number"] == phone


def test_tenants_delete_without_configuration(admin):
    tenant = new_tenant(admin)
    group = create_group(admin, tenant)
    ok(admin, "groups.delete", {"tenant_id": tenant, "id": group["id"]})
    assert ok(admin, "tenants.delete", {"id": tenant})["deleted"] is True


@pytest.mark.parametrize("family", FAMILIES)
def test_update_reports_its_own_params_and_the_fields_together(admin, tenant, family):
    """PROTOCOL.md §5: one -32602 names every problem, a bad expected_revision or dry_run with the fields' own."""
    obj = make(admin, family, tenant)
    error = fail(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"], "expected_revision": -1, "dry_run": "yes",
                                            "nmae": "typo"})
    paths = {issue["path"] for issue in error["data"]["errors"]}
    assert paths == {"expected_revision", "dry_run", "nmae"}, error
    missing = fail(admin, f"{family}.update", {"tenant_id": tenant, "id": obj["id"][:4] + "0" * 26, "expected_revision": -1, "nmae": 1})
    assert {issue["path"] for issue in missing["data"]["errors"]} == {"expected_revision"}, "an object that is not there adds nothing"
