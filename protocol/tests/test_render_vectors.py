"""Replays the golden render outputs of protocol/vectors/render/ over the wire (format:
protocol/vectors/README.md). Each case gets a fresh tenant with the objects it needs: a group and a
WhatsApp number for templates; for a hero card that refers to a template, a template as well. The
object is created from `create`, a template's `status` is set when given, the object is rendered with
`render`, and the result must equal `result` exactly, or the error must have `error.code` and exactly
the set of paths `error.paths`."""

from __future__ import annotations

import json

import pytest

import harness
from render_helpers import call_raw, new_number, new_tenant, ok, unique_name

RENDER_DIR = harness.VECTORS_DIR / "render"


def load_cases(family: str) -> list[dict]:
    document = json.loads((RENDER_DIR / f"{family}.json").read_text(encoding="utf-8"))
    return document["cases"]


TEMPLATE_CASES = load_cases("templates")
HERO_CARD_CASES = load_cases("hero_cards")


def check_outcome(case: dict, response: dict):
    if "result" in case:
        assert "result" in response, f"render failed: {response.get('error')!r}"
        assert response["result"] == case["result"]
    else:
        assert "error" in response, f"render must fail, got {response.get('result')!r}"
        error = response["error"]
        assert error["code"] == case["error"]["code"], error
        got = {entry["path"] for entry in error.get("data", {}).get("errors", [])}
        assert got == set(case["error"]["paths"]), error


@pytest.mark.parametrize("family,cases", [("templates", TEMPLATE_CASES), ("hero_cards", HERO_CARD_CASES)])
def test_vector_files_are_well_formed(family, cases):
    assert cases, f"render/{family}.json has no case"
    names = [case["name"] for case in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in cases:
        assert ("result" in case) != ("error" in case), case["name"]
        assert "tenant_id" not in case["create"] and "id" not in case["render"], case["name"]


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[case["name"] for case in TEMPLATE_CASES])
def test_template_render_vector(admin, case):
    tenant_id = new_tenant(admin)
    number_id = new_number(admin, tenant_id)
    template = ok(admin, "templates.create", **case["create"], tenant_id=tenant_id, whatsapp_number_id=number_id)
    assert template["status"] == "PENDING"
    if "status" in case:
        updated = ok(admin, "templates.set_status", tenant_id=tenant_id, id=template["id"], status=case["status"])
        assert updated["status"] == case["status"]
    response = call_raw(admin, "templates.render", {**case["render"], "tenant_id": tenant_id, "id": template["id"]})
    check_outcome(case, response)


@pytest.mark.parametrize("case", HERO_CARD_CASES, ids=[case["name"] for case in HERO_CARD_CASES])
def test_hero_card_render_vector(admin, case):
    tenant_id = new_tenant(admin)
    create = dict(case["create"])
    if "template_id" in create:  # a card that points at a template: create one in this tenant
        number_id = new_number(admin, tenant_id)
        template = ok(admin, "templates.create", tenant_id=tenant_id, whatsapp_number_id=number_id,
                      name=unique_name("tpl"), language="en", category="MARKETING",
                      components={"body": {"text": "Hello there."}})
        create["template_id"] = template["id"]
    card = ok(admin, "hero_cards.create", **create, tenant_id=tenant_id)
    response = call_raw(admin, "hero_cards.render", {**case["render"], "tenant_id": tenant_id, "id": card["id"]})
    check_outcome(case, response)
