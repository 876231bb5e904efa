"""Tags (`tags.*`): every rule of issue 3 and docs/families/tags.md, over the protocol."""

from __future__ import annotations

import pytest

from config_helpers import assert_conflict, assert_invalid, fail, new_tenant, ok

CHARSET = "letters, digits"


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


def create(admin, tenant, **fields):
    return ok(admin, "tags.create", {"tenant_id": tenant, **fields})


def refused(admin, tenant, **fields):
    return fail(admin, "tags.create", {"tenant_id": tenant, **fields})


def update(admin, tenant, tag, **fields):
    return ok(admin, "tags.update", {"tenant_id": tenant, "id": tag["id"], **fields})


def test_create_returns_every_field_with_defaults(admin, tenant):
    tag = create(admin, tenant, name="vip")
    assert tag["id"].startswith("tag_") and tag["tenant_id"] == tenant
    assert {k: tag[k] for k in ("name", "label", "background_color", "text_color", "description")} == {
        "name": "vip", "label": "vip", "background_color": None, "text_color": None, "description": None}
    assert set(tag) == {"name", "label", "background_color", "text_color", "description",
                        "id", "tenant_id", "revision", "created_at", "updated_at"}
    assert ok(admin, "tags.get", {"tenant_id": tenant, "id": tag["id"]}) == tag


def test_documented_example(admin, tenant):
    tag = create(admin, tenant, name="vip", label="VIP customer", background_color="#b00020", text_color="#ffffff")
    assert (tag["label"], tag["background_color"], tag["text_color"]) == ("VIP customer", "#B00020", "#FFFFFF")
    assert "warnings" not in tag


# ---------------------------------------------------------------- name


@pytest.mark.parametrize("name", [
    "vip", "follow-up", "2nd_level", "Čeština", "čeština2", "日本", "ab", "x" * 50, "ž" * 50, "a-_-b",
    "q\u0301x",              # a combining mark after the first character (no precomposed form: NFC keeps it)
    "नमस्ते",                 # Devanagari, with combining vowel signs
    "Ωμέγα", "123",
])
def test_valid_names(admin, tenant, name):
    assert create(admin, tenant, name=name)["name"] == name


@pytest.mark.parametrize("name", ["a", "x" * 51, "ž" * 51, "", "   "])
def test_name_length_refused(admin, tenant, name):
    assert_invalid(refused(admin, tenant, name=name), {"name": "2 to 50"})


@pytest.mark.parametrize("name", [
    "_internal", "-x", "two words", "a.b", "a/b", "emoji😀", "😀😀", "a@b", "tab\tx", "a\u0007b", "a+b",
    "\u0301ex",              # a combining mark cannot come first
    "a\u200bb",              # zero-width space (a format character)
])
def test_name_characters_refused(admin, tenant, name):
    assert_invalid(refused(admin, tenant, name=name), {"name": CHARSET})


def test_name_is_required(admin, tenant):
    assert_invalid(refused(admin, tenant), {"name": "is required"})
    assert_invalid(refused(admin, tenant, name=12), {"name": "must be a string"})


def test_name_is_trimmed(admin, tenant):
    tag = create(admin, tenant, name="  vip \n")
    assert tag["name"] == "vip" and tag["label"] == "vip"


def test_name_unique_ignoring_case_and_case_kept(admin, tenant):
    first = create(admin, tenant, name="Čeština")
    for clash in ["Čeština", "čeština", "ČEŠTINA", " čEŠtina "]:
        error = assert_conflict(refused(admin, tenant, name=clash), "already_exists", field="name")
        assert error["data"]["existing_id"] == first["id"]
    assert ok(admin, "tags.get", {"tenant_id": tenant, "id": first["id"]})["name"] == "Čeština"
    other = new_tenant(admin)
    assert create(admin, other, name="čeština")["name"] == "čeština", "unique per tenant only"


def test_name_is_immutable(admin, tenant):
    tag = create(admin, tenant, name="vip")
    for new_name in ["vip2", "VIP", "Vip"]:
        error = fail(admin, "tags.update", {"tenant_id": tenant, "id": tag["id"], "name": new_name})
        assert_conflict(error, "immutable")
        assert error["data"]["field"] == "name"
    assert ok(admin, "tags.get", {"tenant_id": tenant, "id": tag["id"]}) == tag


def test_name_may_be_sent_unchanged_on_update(admin, tenant):
    tag = create(admin, tenant, name="vip")
    assert update(admin, tenant, tag, name="vip") == tag, "the same value is a no-op"
    assert update(admin, tenant, tag, name="  vip ") == tag, "compared after trimming"
    relabelled = update(admin, tenant, tag, name="vip", label="VIP")
    assert relabelled["label"] == "VIP" and relabelled["name"] == "vip"


def test_name_null_on_update_is_refused(admin, tenant):
    tag = create(admin, tenant, name="vip")
    error = fail(admin, "tags.update", {"tenant_id": tenant, "id": tag["id"], "name": None})
    assert_invalid(error, {"name": "is required"})
    assert ok(admin, "tags.get", {"tenant_id": tenant, "id": tag["id"]})["name"] == "vip"


# ---------------------------------------------------------------- label


def test_label_defaults_to_the_name_and_keeps_case(admin, tenant):
    assert create(admin, tenant, name="Follow-Up")["label"] == "Follow-Up"
    assert create(admin, tenant, name="vip", label="  VIP Customer ")["label"] == "VIP Customer"


def test_label_null_resets_to_the_name(admin, tenant):
    tag = create(admin, tenant, name="vip", label="Very important")
    assert update(admin, tenant, tag, label=None)["label"] == "vip"


@pytest.mark.parametrize("label", ["L", "L" * 100, "😀" * 100])
def test_label_length_accepted(admin, tenant, label):
    assert create(admin, tenant, name="vip", label=label)["label"] == label


@pytest.mark.parametrize("label", ["", "   ", "L" * 101, "😀" * 101])
def test_label_length_refused(admin, tenant, label):
    assert_invalid(refused(admin, tenant, name="vip", label=label), {"label": "1 to 100"})


def test_label_control_characters_refused(admin, tenant):
    assert_invalid(refused(admin, tenant, name="vip", label="VIP\ncustomer"), {"label": "control characters"})
    assert_invalid(refused(admin, tenant, name="vip", label="VIP\u0000"), {"label": "control characters"})


# ---------------------------------------------------------------- colours


@pytest.mark.parametrize("field", ["background_color", "text_color"])
def test_colors_accepted_and_upper_cased(admin, tenant, field):
    assert create(admin, tenant, name="a1", **{field: "#a1b2c3"})[field] == "#A1B2C3"
    assert create(admin, tenant, name="a2", **{field: "#A1B2C3"})[field] == "#A1B2C3"
    assert create(admin, tenant, name="a3", **{field: None})[field] is None


@pytest.mark.parametrize("field", ["background_color", "text_color"])
@pytest.mark.parametrize("value", ["#abc", "abcdef", "#abcdeg", "#abcdef0", "red", "#ABCDE", "", "rgb(0,0,0)", 0xABCDEF])
def test_colors_refused(admin, tenant, field, value):
    assert_invalid(refused(admin, tenant, name="vip", **{field: value}), {field: None})


def test_low_contrast_warns_and_still_saves(admin, tenant):
    tag = create(admin, tenant, name="pale", background_color="#ffffff", text_color="#eeeeee")
    assert tag["warnings"] == [{"path": "text_color", "message":
                                "has a contrast of 1.16:1 with background_color; WCAG asks for at least 4.5:1"}]
    assert "warnings" not in ok(admin, "tags.get", {"tenant_id": tenant, "id": tag["id"]})


def test_contrast_threshold_is_4_5_rounded_down_in_the_message(admin, tenant):
    below = create(admin, tenant, name="below", background_color="#FFFFFF", text_color="#777777")  # 4.478:1
    assert below["warnings"] == [{"path": "text_color", "message":
                                  "has a contrast of 4.47:1 with background_color; WCAG asks for at least 4.5:1"}]
    assert "warnings" not in create(admin, tenant, name="above", background_color="#FFFFFF", text_color="#767676")
    assert "warnings" not in create(admin, tenant, name="black", background_color="#000000", text_color="#FFFFFF")


def test_no_contrast_warning_with_one_colour(admin, tenant):
    assert "warnings" not in create(admin, tenant, name="one", background_color="#FFFFFF")
    assert "warnings" not in create(admin, tenant, name="two", text_color="#FFFFFF")


def test_low_contrast_warning_on_update(admin, tenant):
    tag = create(admin, tenant, name="vip", background_color="#000000", text_color="#FFFFFF")
    updated = update(admin, tenant, tag, text_color="#111111")
    assert [w["path"] for w in updated["warnings"]] == ["text_color"]
    assert updated["text_color"] == "#111111"


# ---------------------------------------------------------------- description


def test_description(admin, tenant):
    assert create(admin, tenant, name="d1", description="d" * 500)["description"] == "d" * 500
    assert create(admin, tenant, name="d2", description="line 1\nline 2")["description"] == "line 1\nline 2"
    assert create(admin, tenant, name="d3", description="  ")["description"] is None, "empty text is stored as null"
    assert create(admin, tenant, name="d4", description="ř" * 500)["description"] == "ř" * 500
    assert_invalid(refused(admin, tenant, name="d5", description="d" * 501), {"description": "at most 500"})
    assert_invalid(refused(admin, tenant, name="d6", description="bell\u0007"), {"description": "control characters"})


def test_every_problem_reported_at_once(admin, tenant):
    error = refused(admin, tenant, name="_x", label="", background_color="#12", text_color="white",
                    description="d" * 501, colour="#FFFFFF")
    assert_invalid(error, {"name": CHARSET, "label": "1 to 100", "background_color": "#RRGGBB",
                           "text_color": "#RRGGBB", "description": "at most 500", "colour": "is not a known parameter"})


def test_list_by_name_prefix_ignoring_case(admin, tenant):
    ids = [create(admin, tenant, name=name)["id"] for name in ["Sales-a", "sales-b", "SALES_c", "support"]]
    found = ok(admin, "tags.list", {"tenant_id": tenant, "name_prefix": "sAlEs"})["items"]
    assert [t["id"] for t in found] == ids[:3]
