"""File policies and files.check with sizes and channels over TCP (issue 15): a policy per channel
(BLOCK or ALLOW, max_file_bytes), the ALL policy for the others, Meta's WhatsApp media limits, the
rule that decided; the family's lifecycle, conflicts, export/apply and the CLI's view of it."""

from __future__ import annotations

import pytest

from render_helpers import fail, new_tenant, ok

MIB = 1024 * 1024


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


def check(admin, tenant, file_name, **params):
    return ok(admin, "files.check", tenant_id=tenant, file_name=file_name, **params)


def test_a_tenant_without_a_policy_blocks_by_list_and_takes_25_mib(admin, tenant):
    ok(admin, "blocked_file_types.create", tenant_id=tenant, extension="exe")
    assert check(admin, tenant, "setup.exe")["decided_by"]["rule"] == "blocked_file_type"
    assert check(admin, tenant, "a.pdf", size_bytes=25 * MIB)["allowed"] is True
    over = check(admin, tenant, "a.pdf", size_bytes=25 * MIB + 1)
    assert over["decided_by"] == {"rule": "max_file_bytes", "limit": 25 * MIB}
    assert over["policy"] == {"id": None, "channel": "ALL", "mode": "BLOCK", "max_file_bytes": 25 * MIB}


def test_the_channels_policy_governs_else_all(admin, tenant):
    ok(admin, "blocked_file_types.create", tenant_id=tenant, extension="pdf")
    everywhere = ok(admin, "file_policies.create", tenant_id=tenant, channel="ALL", max_file_bytes=MIB)
    chat = ok(admin, "file_policies.create", tenant_id=tenant, channel="WEB_CHAT", mode="ALLOW", max_file_bytes=10 * MIB)
    on_chat = check(admin, tenant, "a.pdf", size_bytes=2 * MIB, channel="WEB_CHAT")
    assert on_chat["allowed"] is True and on_chat["decided_by"] == {"rule": "on_allow_list"} and on_chat["policy"]["id"] == chat["id"]
    assert check(admin, tenant, "a.docx", channel="WEB_CHAT")["decided_by"] == {"rule": "not_on_allow_list", "extension": "docx"}
    by_mail = check(admin, tenant, "a.docx", size_bytes=2 * MIB, channel="EMAIL")
    assert by_mail["decided_by"] == {"rule": "max_file_bytes", "limit": MIB} and by_mail["policy"]["id"] == everywhere["id"]
    pdf_rule = check(admin, tenant, "a.pdf", channel="EMAIL")
    assert pdf_rule["decided_by"] == {"rule": "blocked_file_type", "id": pdf_rule["matched"][0]["id"]}, "ALL blocks by the list"


@pytest.mark.parametrize("file_name,size,animated,decided", [
    ("photo.jpg", 5 * MIB, False, None),
    ("photo.jpg", 5 * MIB + 1, False, {"rule": "whatsapp_media_limit", "kind": "image", "limit": 5 * MIB}),
    ("clip.mp4", 16 * MIB + 1, False, {"rule": "whatsapp_media_limit", "kind": "video", "limit": 16 * MIB}),
    ("voice.ogg", 16 * MIB + 1, False, {"rule": "whatsapp_media_limit", "kind": "audio", "limit": 16 * MIB}),
    ("manual.pdf", 100 * MIB, False, None),
    ("sticker.webp", 100 * 1024 + 1, False, {"rule": "whatsapp_media_limit", "kind": "sticker", "limit": 100 * 1024}),
    ("sticker.webp", 500 * 1024, True, None),
    ("archive.zip", 10, False, {"rule": "whatsapp_media_type", "extension": "zip"}),
])
def test_whatsapp_media_limits(admin, tenant, file_name, size, animated, decided):
    ok(admin, "file_policies.create", tenant_id=tenant, channel="WHATSAPP", max_file_bytes=1 << 40)
    result = check(admin, tenant, file_name, size_bytes=size, channel="WHATSAPP", animated=animated)
    assert result["allowed"] is (decided is None)
    if decided:
        assert result["decided_by"] == decided and len(result["reasons"]) == 1


def test_lifecycle_conflicts_and_params(admin, tenant):
    created = ok(admin, "file_policies.create", tenant_id=tenant, channel="WHATSAPP")
    assert created["mode"] == "BLOCK" and created["max_file_bytes"] == 25 * MIB and created["id"].startswith("fpl_")
    duplicate = fail(admin, "file_policies.create", tenant_id=tenant, channel="WHATSAPP")
    assert duplicate["code"] == -32009 and duplicate["data"]["field"] == "channel"
    assert fail(admin, "file_policies.update", tenant_id=tenant, id=created["id"], channel="EMAIL")["data"]["reason"] == "immutable"
    updated = ok(admin, "file_policies.update", tenant_id=tenant, id=created["id"], mode="ALLOW", max_file_bytes=1000)
    assert (updated["mode"], updated["max_file_bytes"]) == ("ALLOW", 1000)
    bad = fail(admin, "file_policies.create", tenant_id=tenant, channel="FAX", mode="MAYBE", max_file_bytes=0)
    assert {e["path"] for e in bad["data"]["errors"]} == {"channel", "mode", "max_file_bytes"}
    bad_check = fail(admin, "files.check", tenant_id=tenant, file_name="a.pdf", size_bytes=-1, channel="ALL", animated="yes")
    assert {e["path"] for e in bad_check["data"]["errors"]} == {"size_bytes", "channel", "animated"}
    ok(admin, "file_policies.delete", tenant_id=tenant, id=created["id"])
    assert check(admin, tenant, "a.pdf", channel="WHATSAPP")["policy"]["id"] is None


def test_export_and_apply_carry_policies_by_channel(admin, tenant):
    ok(admin, "file_policies.create", tenant_id=tenant, channel="EMAIL", mode="ALLOW", max_file_bytes=2 * MIB)
    document = ok(admin, "config.export", tenant_id=tenant)
    assert document["file_policies"] == [{"channel": "EMAIL", "mode": "ALLOW", "max_file_bytes": 2 * MIB}]
    other = new_tenant(admin)
    plan = ok(admin, "config.apply", tenant_id=other, document=document)
    assert [(c["family"], c["key"]) for c in plan["create"]] == [("file_policies", "EMAIL")]
    again = ok(admin, "config.apply", tenant_id=other, document=document, dry_run=True)
    assert again["create"] == [] and again["update"] == []
