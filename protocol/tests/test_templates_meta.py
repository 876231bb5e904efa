"""Templates in Meta's shape over TCP (issue 15): templates.import of Meta's documented payloads
(protocol/vectors/meta/templates.json), templates.get with format meta, re-imports, and
`parley templates import` of Meta's list response, per template."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

import harness
from render_helpers import fail, new_number, new_tenant, ok

VECTORS = json.loads((harness.PROTOCOL_DIR / "vectors" / "meta" / "templates.json").read_text())["cases"]


@pytest.fixture
def place(admin):
    tenant = new_tenant(admin)
    group = ok(admin, "groups.create", tenant_id=tenant, name="Support")["id"]
    return tenant, new_number(admin, tenant, group)


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_metas_documented_templates_import(admin, place, case):
    tenant, number = place
    imported = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template=case["meta"])
    assert imported["action"] == "created"
    stored = imported["template"]
    assert stored["components"] == case["parley"] and stored["name"] == case["meta"]["name"]
    assert stored["status"] == (case["status"] or "PENDING") and stored["meta_template_id"] == case["meta_template_id"]
    assert imported["ignored"] == case.get("ignored", [])
    again = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template=case["meta"])
    assert again["action"] == "unchanged" and again["template"]["revision"] == stored["revision"]
    meta = ok(admin, "templates.get", tenant_id=tenant, id=stored["id"], format="meta")
    assert meta["name"] == case["meta"]["name"] and meta["category"] == case["meta"]["category"]
    round_trip = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template=meta)
    assert round_trip["action"] == "unchanged", "Parley -> Meta -> Parley changes nothing"


def test_an_import_updates_by_name_and_language(admin, place):
    tenant, number = place
    meta = dict(VECTORS[1]["meta"])
    created = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template={**meta, "status": "REJECTED"})["template"]
    changed = json.loads(json.dumps(meta))
    changed["components"][2]["text"] = "Lucky Shrub"
    updated = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template=changed)
    assert updated["action"] == "updated" and updated["template"]["id"] == created["id"]
    assert updated["template"]["components"]["footer"] == {"text": "Lucky Shrub"} and updated["template"]["status"] == "APPROVED"
    other = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template={**meta, "language": "cs"})
    assert other["action"] == "created" and other["template"]["id"] != created["id"]
    dry = ok(admin, "templates.import", tenant_id=tenant, whatsapp_number_id=number, template={**meta, "name": "not_stored"}, dry_run=True)
    assert dry["action"] == "created" and dry["dry_run"] is True
    assert ok(admin, "templates.list", tenant_id=tenant, name_prefix="not_stored")["items"] == []


def test_import_problems_have_paths(admin, place):
    tenant, number = place
    error = fail(admin, "templates.import", -32602, tenant_id=tenant, whatsapp_number_id=number,
                 template={"name": "x", "language": "cs", "category": "MARKETING", "components": [{"type": "CATALOG"}]})
    assert [e["path"] for e in error["data"]["errors"]] == ["template.components[0].type"]
    rules = fail(admin, "templates.import", -32602, tenant_id=tenant, whatsapp_number_id=number,
                 template={"name": "Bad Name", "language": "cs", "category": "MARKETING", "components": [{"type": "BODY", "text": "Hi"}]})
    assert [e["path"] for e in rules["data"]["errors"]] == ["name"]
    assert fail(admin, "templates.import", -32602, tenant_id=tenant, whatsapp_number_id=number, template=[1])["data"]["errors"][0]["path"] == "template"


def test_cli_imports_metas_list_response_per_template(server, admin, place, tmp_path):
    tenant, number = place
    listing = {"data": [VECTORS[0]["meta"], VECTORS[1]["meta"],
                        {"name": "broken", "language": "en", "category": "MARKETING", "components": [{"type": "BODY"}]}],
               "paging": {"cursors": {"before": "QVFIU...", "after": "QVFIU..."}}}
    path = tmp_path / "templates.json"
    path.write_text(json.dumps(listing))
    parley = pathlib.Path(harness.find_parleyd()).parent / "parley"
    env = {**os.environ, "PARLEY_SERVER": f"127.0.0.1:{server.port}", "PARLEY_API_KEY": server.admin_key}
    run = subprocess.run([str(parley), "templates", "import", "-f", str(path), "--number", number, "--tenant", tenant],
                         capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 2, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].startswith("created   reservation_confirmation (en_US) tpl_")
    assert lines[1].startswith("created   coupon_expiration_reminder_number_vars (en) tpl_")
    assert lines[2].startswith("refused   broken (en): ") and "components.body.text" in lines[2]
    again = subprocess.run([str(parley), "templates", "import", "-f", str(path), "--number", number, "--tenant", tenant,
                            "--output", "json"], capture_output=True, text=True, timeout=60, env=env)
    actions = [t["action"] for t in json.loads(again.stdout)["templates"]]
    assert actions == ["unchanged", "unchanged", "refused"]
