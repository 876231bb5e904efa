"""The smaller boundary rules of issue 11 (item 8), over the wire.

- NTFS alternate data streams: `invoice.exe::$DATA` and `invoice.exe:$DATA` are blocked like `invoice.exe`.
- One Unicode rule: every string is normalised to NFC when it arrives. Member names that are the
  same after normalisation are duplicates; names that differ only in normalisation are the same
  name; a tenant's export applies back unchanged.
- Echoed values are cut short: a -32004 for a 500,000-character id does not repeat it.
"""

from __future__ import annotations

import unicodedata
import uuid

import harness
from config_helpers import ok

NFC = unicodedata.normalize("NFC", "Café")
NFD = unicodedata.normalize("NFD", "Café")


def tenant(admin, seed=False) -> str:
    return ok(admin, "tenants.create", {"slug": "b-" + uuid.uuid4().hex[:10], "name": "Boundary",
                                        "seed_blocked_file_types": seed})["id"]


def test_ntfs_alternate_data_streams_are_checked_as_the_file_they_write(admin):
    tenant_id = tenant(admin, seed=True)
    for name in ["invoice.exe::$DATA", "invoice.exe:$DATA", "INVOICE.EXE:Zone.Identifier", "report.pdf:payload.exe"]:
        result = ok(admin, "files.check", {"tenant_id": tenant_id, "file_name": name})
        assert result["allowed"] is False, (name, result)
    assert ok(admin, "files.check", {"tenant_id": tenant_id, "file_name": "notes.txt:meta"})["allowed"] is True


def test_member_names_equal_after_nfc_are_duplicates(admin):
    assert NFC != NFD
    payload = ('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"%s":1,"%s":2}}' % (NFC, NFD)).encode()
    admin.send(harness.frame(payload))
    response = admin.read_message()
    assert response["error"]["code"] == -32700, response
    assert "NFC" in response["error"]["message"], response


def test_names_that_differ_only_in_normalisation_are_one_name_and_export_applies_back(admin):
    tenant_id = tenant(admin)
    created = ok(admin, "groups.create", {"tenant_id": tenant_id, "name": NFD})
    assert created["name"] == NFC, "stored in NFC"
    clash = admin.request("groups.create", {"tenant_id": tenant_id, "name": NFC}, id="again")
    assert clash["error"]["code"] == -32009 and clash["error"]["data"]["reason"] == "already_exists", clash
    ok(admin, "tags.create", {"tenant_id": tenant_id, "name": NFD.lower()})
    document = ok(admin, "config.export", {"tenant_id": tenant_id})
    plan = ok(admin, "config.apply", {"tenant_id": tenant_id, "document": document, "prune": True, "dry_run": True})
    assert plan["create"] == [] and plan["update"] == [] and plan["delete"] == [], plan


def test_a_huge_unknown_id_is_not_echoed(admin):
    huge = "grp_" + "x" * 500_000
    tenant_id = tenant(admin)
    admin.send(harness.frame(harness.compact(
        {"jsonrpc": "2.0", "id": "huge", "method": "groups.get", "params": {"tenant_id": tenant_id, "id": huge}})))
    frame = admin.read_frame()
    assert len(frame) < 2_000, f"the answer is {len(frame)} bytes"


def test_a_name_is_counted_after_nfc(admin):
    """51 "é" typed decomposed are 102 code points, but one name of 51 characters once normalised."""
    tenant_id = tenant(admin)
    created = ok(admin, "groups.create", {"tenant_id": tenant_id, "name": "e\u0301" * 51})
    assert created["name"] == "\u00e9" * 51


def test_member_ids_keep_their_exact_code_points(admin):
    """Only names are normalised: identifiers of other systems are kept exactly as sent."""
    tenant_id = tenant(admin)
    created = ok(admin, "groups.create", {"tenant_id": tenant_id, "name": "Ids", "member_user_ids": [NFC, NFD]})
    assert created["member_user_ids"] == [NFC, NFD]
