"""Blocked file types (`blocked_file_types.*`), the seeded default block list, and `files.check`:
every rule of issue 3 and docs/families/blocked_file_types.md, over the protocol."""

from __future__ import annotations

import pathlib
import re

import pytest

from config_helpers import (
    absent_id, assert_conflict, assert_invalid, assert_not_found, create_group, fail, list_all,
    new_tenant, ok,
)

#: The policy of a tenant without file policies: the list blocks, files up to 25 MiB pass.
STANDARD_POLICY = {"id": None, "channel": "ALL", "mode": "BLOCK", "max_file_bytes": 26214400}

ALL_DIRECTIONS = ["OPERATOR_UPLOAD", "CLIENT_UPLOAD", "EMAIL_ATTACHMENT"]
DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "families" / "blocked_file_types.md"


def documented_defaults():
    """{extension: (mime_type or None, reason)} from the default block list table of the family page."""
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `([a-z0-9]+)` \| (?:`([^`]+)`)? *\| (.+?) \|", line.strip())
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    assert len(rows) > 50, "the table of docs/families/blocked_file_types.md was not found"
    return rows


@pytest.fixture
def tenant(admin):
    """A tenant without the default block list."""
    return new_tenant(admin, seed=False)


@pytest.fixture
def seeded(admin):
    """A tenant with the default block list."""
    return new_tenant(admin, seed=True)


@pytest.fixture(scope="module")
def readonly_seeded(server):
    """A tenant with the default block list, shared by the tests of this module that only call files.check."""
    with server.connect() as conn:
        conn.hello(server.admin_key)
        return new_tenant(conn, seed=True)


def create(admin, tenant, **fields):
    return ok(admin, "blocked_file_types.create", {"tenant_id": tenant, **fields})


def refused(admin, tenant, **fields):
    return fail(admin, "blocked_file_types.create", {"tenant_id": tenant, **fields})


def check(admin, tenant, file_name, **params):
    return ok(admin, "files.check", {"tenant_id": tenant, "file_name": file_name, **params})


def check_refused(admin, tenant, file_name, **params):
    return fail(admin, "files.check", {"tenant_id": tenant, "file_name": file_name, **params})


# ---------------------------------------------------------------- fields


def test_documented_example(admin, tenant):
    created = create(admin, tenant, extension=".ISO", reason="disk images are not accepted",
                     applies_to=["EMAIL_ATTACHMENT", "CLIENT_UPLOAD"])
    assert created["id"].startswith("bft_") and created["tenant_id"] == tenant
    assert {k: created[k] for k in ("extension", "mime_type", "reason", "applies_to", "source")} == {
        "extension": "iso", "mime_type": None, "reason": "disk images are not accepted",
        "applies_to": ["CLIENT_UPLOAD", "EMAIL_ATTACHMENT"], "source": "USER"}
    assert set(created) == {"extension", "mime_type", "reason", "applies_to", "source",
                            "id", "tenant_id", "revision", "created_at", "updated_at"}
    assert ok(admin, "blocked_file_types.get", {"tenant_id": tenant, "id": created["id"]}) == created


@pytest.mark.parametrize("raw,stored", [
    (".EXE ", "exe"), (" .exe", "exe"), ("EXE", "exe"), ("\t.Ps1\n", "ps1"), ("7z", "7z"),
    ("a", "a"), ("abcdefghij012345", "abcdefghij012345"), (".ABCDEFGHIJ012345", "abcdefghij012345"),
])
def test_extension_normalised(admin, tenant, raw, stored):
    assert create(admin, tenant, extension=raw)["extension"] == stored


@pytest.mark.parametrize("raw", [
    "", " ", ".", "..exe", "abcdefghij0123456", "tar.gz", "ex e", "exe.", "é", "ex-e", "ex_e", "*.exe", "exe\u0000",
])
def test_extension_refused(admin, tenant, raw):
    assert_invalid(refused(admin, tenant, extension=raw), {"extension": "1 to 16"})


def test_extension_is_required(admin, tenant):
    assert_invalid(refused(admin, tenant), {"extension": "is required"})
    assert_invalid(refused(admin, tenant, extension=1), {"extension": "must be a string"})


def test_extension_unique_in_tenant(admin, tenant):
    first = create(admin, tenant, extension="iso")
    for clash in ["iso", ".ISO", " Iso "]:
        error = assert_conflict(refused(admin, tenant, extension=clash), "already_exists", field="extension")
        assert error["data"]["existing_id"] == first["id"]
        assert error["message"] == 'extension ".iso" is already blocked'
    other = create(admin, tenant, extension="img")
    error = fail(admin, "blocked_file_types.update", {"tenant_id": tenant, "id": other["id"], "extension": "ISO"})
    assert_conflict(error, "already_exists", field="extension")
    assert create(admin, new_tenant(admin), extension="iso")["extension"] == "iso", "unique per tenant only"


def test_extension_taken_by_a_seeded_default(admin, seeded):
    assert_conflict(refused(admin, seeded, extension=".EXE "), "already_exists", field="extension")


@pytest.mark.parametrize("raw,stored", [
    ("application/x-msdownload", "application/x-msdownload"), ("Application/X-MSDownload", "application/x-msdownload"),
    ("image/svg+xml", "image/svg+xml"),
    ("application/vnd.ms-excel.sheet.macroEnabled.12", "application/vnd.ms-excel.sheet.macroenabled.12"),
    (None, None),
])
def test_mime_type_accepted_lower_cased(admin, tenant, raw, stored):
    assert create(admin, tenant, extension="x", mime_type=raw)["mime_type"] == stored


@pytest.mark.parametrize("raw", ["application", "application/", "/pdf", "a/b/c", "text /plain", "text/plain; charset=x",
                                 "*/*", "text/*", "ap plication/pdf"])
def test_mime_type_refused(admin, tenant, raw):
    assert_invalid(refused(admin, tenant, extension="x", mime_type=raw), {"mime_type": "type/subtype"})


def test_reason(admin, tenant):
    assert create(admin, tenant, extension="r1", reason="r" * 200)["reason"] == "r" * 200
    assert create(admin, tenant, extension="r2", reason="ř" * 200)["reason"] == "ř" * 200
    assert create(admin, tenant, extension="r3", reason="  ")["reason"] is None, "empty text is stored as null"
    assert_invalid(refused(admin, tenant, extension="r4", reason="r" * 201), {"reason": "at most 200"})
    assert_invalid(refused(admin, tenant, extension="r5", reason="two\nlines"), {"reason": "control characters"})


def test_applies_to_defaults_to_all_and_is_stored_in_canonical_order(admin, tenant):
    assert create(admin, tenant, extension="a1")["applies_to"] == ALL_DIRECTIONS
    assert create(admin, tenant, extension="a2", applies_to=None)["applies_to"] == ALL_DIRECTIONS
    reversed_ = create(admin, tenant, extension="a3", applies_to=ALL_DIRECTIONS[::-1])
    assert reversed_["applies_to"] == ALL_DIRECTIONS
    for direction in ALL_DIRECTIONS:
        assert create(admin, tenant, extension="d" + direction[:3].lower(), applies_to=[direction])["applies_to"] == [direction]


def test_applies_to_refused(admin, tenant):
    assert_invalid(refused(admin, tenant, extension="x", applies_to=[]), {"applies_to": "at least one"})
    assert_invalid(refused(admin, tenant, extension="x", applies_to=["UPLOAD"]), {"applies_to[0]": "must be one of"})
    assert_invalid(refused(admin, tenant, extension="x", applies_to=["CLIENT_UPLOAD", "client_upload"]),
                   {"applies_to[1]": "must be one of"})
    assert_invalid(refused(admin, tenant, extension="x", applies_to=["CLIENT_UPLOAD", "CLIENT_UPLOAD"]),
                   {"applies_to[1]": "duplicates"})
    assert_invalid(refused(admin, tenant, extension="x", applies_to=ALL_DIRECTIONS + ["CLIENT_UPLOAD"]),
                   {"applies_to": None})
    assert_invalid(refused(admin, tenant, extension="x", applies_to="CLIENT_UPLOAD"), {"applies_to": "must be an array"})
    assert_invalid(refused(admin, tenant, extension="x", applies_to=[1]), {"applies_to[0]": "must be a string"})


def test_source_is_not_writable(admin, tenant):
    assert_invalid(refused(admin, tenant, extension="x", source="DEFAULT"), {"source": "is not a known parameter"})


# ---------------------------------------------------------------- the default block list


ISSUE_DEFAULTS = ["exe", "bat", "cmd", "com", "scr", "pif", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "msi",
                  "msp", "jar", "hta", "cpl", "lnk", "reg", "dll"]


def test_new_tenant_is_seeded_with_the_documented_default_list(admin, seeded):
    items = list_all(admin, "blocked_file_types", seeded)
    stored = {item["extension"]: item for item in items}
    assert len(stored) == len(items)
    assert set(ISSUE_DEFAULTS) <= set(stored), "issue 3 lists these"
    documented = documented_defaults()
    assert set(stored) == set(documented), "the seeded list is the table of the family page"
    for extension, (mime_type, reason) in documented.items():
        item = stored[extension]
        assert (item["mime_type"], item["reason"]) == (mime_type, reason), extension
        assert item["applies_to"] == ALL_DIRECTIONS and item["source"] == "DEFAULT"
    for absent in ["py", "pl", "rb", "html", "htm", "svg", "zip", "rar", "7z", "bin", "ipa", "docx", "pdf"]:
        assert absent not in stored, f"{absent} is documented as not blocked"


def test_seeding_can_be_switched_off(admin, tenant):
    assert list_all(admin, "blocked_file_types", tenant) == []
    assert check(admin, tenant, "setup.exe") == {"allowed": True, "decided_by": {"rule": "not_blocked"}, "policy": STANDARD_POLICY,
                                                 "matched": [], "reasons": []}


def test_seed_flag_must_be_boolean(admin):
    error = fail(admin, "tenants.create", {"slug": "cfg-seed-flag", "name": "X", "seed_blocked_file_types": "no"})
    assert_invalid(error, {"seed_blocked_file_types": "must be a boolean"})


def test_source_filter(admin, seeded):
    own = create(admin, seeded, extension="iso2")
    users = ok(admin, "blocked_file_types.list", {"tenant_id": seeded, "source": "USER"})["items"]
    assert [item["id"] for item in users] == [own["id"]]
    defaults = list_all(admin, "blocked_file_types", seeded, source="DEFAULT")
    assert len(defaults) == len(documented_defaults()) and all(item["source"] == "DEFAULT" for item in defaults)
    assert_invalid(fail(admin, "blocked_file_types.list", {"tenant_id": seeded, "source": "SYSTEM"}), {"source": None})


def test_seeded_rows_are_ordinary_rows(admin, seeded):
    exe = list_all(admin, "blocked_file_types", seeded, name_prefix="exe")
    assert [item["extension"] for item in exe] == ["exe"]
    edited = ok(admin, "blocked_file_types.update", {"tenant_id": seeded, "id": exe[0]["id"], "reason": "no programs"})
    assert edited["source"] == "USER" and edited["reason"] == "no programs", "an edited default becomes the tenant's own"
    assert check(admin, seeded, "a.exe")["reasons"] == ["extension .exe is blocked: no programs"]
    ok(admin, "blocked_file_types.delete", {"tenant_id": seeded, "id": exe[0]["id"]})
    assert check(admin, seeded, "a.exe")["allowed"] is True
    assert check(admin, seeded, "a.bat")["allowed"] is False
    assert ok(admin, "tenants.delete", {"id": seeded})["deleted"] is True, "what is left is the untouched default list"


def test_documented_check_example(admin, readonly_seeded):
    exe = list_all(admin, "blocked_file_types", readonly_seeded, name_prefix="exe")[0]
    result = check(admin, readonly_seeded, "Faktura.PDF.exe ", direction="CLIENT_UPLOAD")
    assert result == {
        "allowed": False, "decided_by": {"rule": "blocked_file_type", "id": exe["id"]}, "policy": STANDARD_POLICY,
        "matched": [{"id": exe["id"], "extension": "exe", "mime_type": "application/x-msdownload",
                     "reason": "Windows program that runs when opened", "applies_to": ALL_DIRECTIONS,
                     "matched_on": "extension"}],
        "reasons": ["extension .exe is blocked: Windows program that runs when opened"]}


# ---------------------------------------------------------------- files.check: names


@pytest.mark.parametrize("file_name,extension", [
    ("invoice.pdf.exe", "exe"), ("a.exe.pdf", "exe"), ("Faktura.PDF.EXE", "exe"), ("evil.exe. ", "exe"),
    ("setup.exe. .", "exe"), ("setup.exe...", "exe"), ("setup.exe   ", "exe"), ("a. exe", "exe"), (".bat", "bat"),
    ("x.tar.BAT.gz", "bat"), ("My Document.ExE", "exe"), ("a..exe", "exe"),
])
def test_every_suffix_counts_ignoring_case_and_trailing_dots(admin, readonly_seeded, file_name, extension):
    result = check(admin, readonly_seeded, file_name)
    assert result["allowed"] is False
    assert [m["extension"] for m in result["matched"]] == [extension]
    assert result["matched"][0]["matched_on"] == "extension"


@pytest.mark.parametrize("file_name", ["README", "exe", "report.pdf", "photo.jpeg", "archive.zip", "exe.", "notes.txt. ",
                                       "bat exe", "script.py"])
def test_allowed_names(admin, readonly_seeded, file_name):
    assert check(admin, readonly_seeded, file_name) == {"allowed": True, "decided_by": {"rule": "not_blocked"}, "policy": STANDARD_POLICY,
                                                        "matched": [], "reasons": []}


@pytest.mark.parametrize("file_name,message", [
    ("", "empty"), ("a\u0000.txt", "NUL"), ("dir/a.txt", "path separator"), ("dir\\a.txt", "path separator"),
    ("/", "path separator"), (".", "dots"), ("...", "dots"), (". . .", "dots"), ("  ", "dots"),
])
def test_bad_names_refused(admin, readonly_seeded, file_name, message):
    assert_invalid(check_refused(admin, readonly_seeded, file_name), {"file_name": message})


def test_file_name_is_required(admin, readonly_seeded):
    assert_invalid(fail(admin, "files.check", {"tenant_id": readonly_seeded}), {"file_name": "is required"})
    assert_invalid(fail(admin, "files.check", {"tenant_id": readonly_seeded, "file_name": 5}), {"file_name": "must be a string"})


def test_several_matches_and_result_shape(admin, tenant):
    pdf = create(admin, tenant, extension="pdf", reason="no PDFs here")
    exe = create(admin, tenant, extension="exe", mime_type="application/x-msdownload")
    result = check(admin, tenant, "invoice.PDF.exe")
    assert result["allowed"] is False
    by_id = {m["id"]: m for m in result["matched"]}
    assert set(by_id) == {pdf["id"], exe["id"]}
    assert by_id[exe["id"]] == {"id": exe["id"], "extension": "exe", "mime_type": "application/x-msdownload",
                                "reason": None, "applies_to": ALL_DIRECTIONS, "matched_on": "extension"}
    assert by_id[pdf["id"]]["reason"] == "no PDFs here"
    assert sorted(result["reasons"]) == ["extension .exe is blocked", "extension .pdf is blocked: no PDFs here"]
    assert set(result) == {"allowed", "decided_by", "policy", "matched", "reasons"}


# ---------------------------------------------------------------- files.check: direction and MIME type


def test_direction_filtering_by_applies_to(admin, tenant):
    create(admin, tenant, extension="iso", applies_to=["EMAIL_ATTACHMENT"], reason="no disk images")
    assert check(admin, tenant, "disk.iso", direction="EMAIL_ATTACHMENT")["allowed"] is False
    assert check(admin, tenant, "disk.iso", direction="CLIENT_UPLOAD")["allowed"] is True
    assert check(admin, tenant, "disk.iso", direction="OPERATOR_UPLOAD")["allowed"] is True
    assert check(admin, tenant, "disk.iso")["allowed"] is False, "no direction: any direction"


def test_direction_must_be_known(admin, tenant):
    assert_invalid(check_refused(admin, tenant, "a.txt", direction="UPLOAD"), {"direction": "must be one of"})
    assert_invalid(check_refused(admin, tenant, "a.txt", direction="client_upload"), {"direction": "must be one of"})


def test_mime_type_matching(admin, tenant):
    rule = create(admin, tenant, extension="exe", mime_type="application/x-msdownload", reason="programs")
    by_type = check(admin, tenant, "harmless.txt", mime_type="APPLICATION/X-MSDOWNLOAD")
    assert by_type["allowed"] is False
    assert [(m["id"], m["matched_on"]) for m in by_type["matched"]] == [(rule["id"], "mime_type")]
    assert by_type["reasons"] == ["MIME type application/x-msdownload is blocked: programs"]
    both = check(admin, tenant, "a.exe", mime_type="application/x-msdownload")
    assert [m["matched_on"] for m in both["matched"]] == ["extension"], "one match per rule, extension preferred"
    assert check(admin, tenant, "a.exe", mime_type="application/pdf")["allowed"] is False, "a MIME type never lifts a block"
    assert check(admin, tenant, "a.txt", mime_type="text/plain")["allowed"] is True


def test_mime_type_match_respects_direction(admin, tenant):
    create(admin, tenant, extension="apk", mime_type="application/vnd.android.package-archive",
           applies_to=["CLIENT_UPLOAD"])
    params = {"mime_type": "application/vnd.android.package-archive"}
    assert check(admin, tenant, "x.bin", direction="OPERATOR_UPLOAD", **params)["allowed"] is True
    assert check(admin, tenant, "x.bin", direction="CLIENT_UPLOAD", **params)["allowed"] is False


@pytest.mark.parametrize("mime_type", ["pdf", "application/", "a/b/c", "", 7])
def test_check_mime_type_must_be_type_subtype(admin, tenant, mime_type):
    assert_invalid(check_refused(admin, tenant, "a.txt", mime_type=mime_type), {"mime_type": None})


def test_check_reports_every_problem_and_unknown_params(admin, tenant):
    error = check_refused(admin, tenant, "a/b", mime_type="bad", direction="UP", size=3)
    assert_invalid(error, {"file_name": "path separator", "mime_type": None, "direction": None,
                           "size": "is not a known parameter"})


def test_check_unknown_tenant(admin):
    missing = absent_id("tnt")
    assert_not_found(fail(admin, "files.check", {"tenant_id": missing, "file_name": "a.exe"}), "tenant", missing)


# ---------------------------------------------------------------- tenants.delete and the default list


def test_tenant_with_only_its_untouched_default_list_can_be_deleted(admin, seeded):
    assert ok(admin, "tenants.delete", {"id": seeded})["deleted"] is True


def test_tenant_with_an_edited_default_needs_cascade(admin, seeded):
    exe = list_all(admin, "blocked_file_types", seeded, name_prefix="exe")[0]
    ok(admin, "blocked_file_types.update", {"tenant_id": seeded, "id": exe["id"], "applies_to": ["CLIENT_UPLOAD"]})
    error = assert_conflict(fail(admin, "tenants.delete", {"id": seeded}), "in_use")
    assert error["data"]["counts"] == {"blocked_file_types": 1}
    assert ok(admin, "tenants.delete", {"id": seeded, "cascade": True})["deleted"] is True


def test_tenant_with_configuration_needs_cascade(admin, seeded):
    create(admin, seeded, extension="iso2")
    create_group(admin, seeded)
    create_group(admin, seeded)
    error = assert_conflict(fail(admin, "tenants.delete", {"id": seeded}), "in_use")
    assert error["data"]["counts"] == {"blocked_file_types": 1, "groups": 2}
    assert ok(admin, "tenants.get", {"id": seeded})["id"] == seeded
    assert ok(admin, "tenants.delete", {"id": seeded, "cascade": True, "dry_run": True})["deleted"] is True
    assert ok(admin, "tenants.get", {"id": seeded})["id"] == seeded, "a dry run deletes nothing"
    assert ok(admin, "tenants.delete", {"id": seeded, "cascade": True})["deleted"] is True
    assert_not_found(fail(admin, "blocked_file_types.list", {"tenant_id": seeded}), "tenant", seeded)
